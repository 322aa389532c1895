/*
 * libFuzzer harness of the template expander (common/tmpl.c): the input is a
 * template's text, expanded with a few variables. Besides crashes, it checks the
 * contract: an error is one line "NAME:LINE: message", and a success leaves no "{{".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/tmpl.h"
#include "common/util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct tvar vars[] = {
		{"generated", "written by runja-gen"}, {"id", "run_1"}, {"path", "out/run$ 1"}, {"x", ""},
	};
	char *text = malloc(size + 1), err[512];
	struct buf out;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	bufinit(&out);
	if (tmplexpand(&out, text, "run.ninja", vars, sizeof(vars) / sizeof(vars[0]), err, sizeof(err)) < 0) {
		if (strncmp(err, "run.ninja:", 10) != 0 || !(err[10] >= '1' && err[10] <= '9') || strchr(err, '\n'))
			abort();
	} else if (strstr(out.s, "{{")) {
		abort();
	}
	buffree(&out);
	free(text);
	return 0;
}
