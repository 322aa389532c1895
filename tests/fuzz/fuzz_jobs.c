/*
 * libFuzzer harness of OUT/.runja/jobs (common/jobs.c), how runs are run: the input is
 * the file's text, parsed. Besides crashes, it checks the contract: an error is one line
 * "NAME:LINE: message"; settings parsed are written back (jobsfmt) and parse again to
 * the same settings, and the text written is what jobsfmt writes for them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/jobs.h"
#include "common/util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jobs j, k;
	struct buf out, again;
	char err[512], *text = xmalloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	jobsinit(&j);
	if (jobsparse("j", text, &j, err, sizeof(err)) < 0) {
		if (strncmp(err, "j:", 2) != 0 || !(err[2] >= '1' && err[2] <= '9') || strchr(err, '\n'))
			abort();
		deljobs(&j);
		free(text);
		return 0;
	}
	bufinit(&out), bufinit(&again);
	jobsfmt(&out, &j);
	jobsinit(&k);
	if (jobsparse("j", out.s, &k, err, sizeof(err)) < 0)
		abort();
	if (strcmp(j.launcher, k.launcher) != 0 || j.retries != k.retries || j.timeout != k.timeout || j.warm != k.warm)
		abort();
	jobsfmt(&again, &k);
	if (strcmp(out.s, again.s) != 0)
		abort();
	buffree(&out), buffree(&again);
	deljobs(&j), deljobs(&k);
	free(text);
	return 0;
}
