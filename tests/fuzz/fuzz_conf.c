/*
 * libFuzzer harness of the config loader (gen/conf.c): the input is the text of a
 * runja.cfg, parsed as a main file and as a run's run.cfg override. Besides crashes,
 * it checks the contract: an error is one line "NAME:LINE: message".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gen/conf.h"

/* abort unless err is one line starting with "name:" and a line number */
static void
checkerr(const char *err, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(err, name, n) != 0 || err[n] != ':' || !(err[n + 1] >= '1' && err[n + 1] <= '9') ||
	    strchr(err, '\n'))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[1024];
	struct conf c;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* libconfig would read the named file: not what is being fuzzed */
	if (strstr(text, "@include")) {
		free(text);
		return 0;
	}
	if (confparse(&c, text, "runja.cfg", false, err, sizeof(err)) < 0)
		checkerr(err, "runja.cfg");
	delconf(&c);
	if (confparse(&c, text, "run_1/run.cfg", true, err, sizeof(err)) < 0)
		checkerr(err, "run_1/run.cfg");
	delconf(&c);
	free(text);
	return 0;
}
