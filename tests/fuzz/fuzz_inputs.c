/*
 * libFuzzer harness of the record of a run's inputs (common/inputs.c): the input is a
 * record's text, parsed. Besides crashes, it checks the contract: an error is one line
 * "NAME:LINE: message" and leaves nothing; a record parsed is written back as the same
 * bytes (each text has one form), and compares with itself as the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/inputs.h"
#include "common/util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inputs in;
	enum inputsdiff d;
	char err[512];
	struct buf out;

	if (inputsparse("r.inputs", (const char *)data, size, &in, err, sizeof(err)) < 0) {
		if (strncmp(err, "r.inputs:", 9) != 0 || !(err[9] >= '1' && err[9] <= '9') || strchr(err, '\n'))
			abort();
		if (in.key || in.frames || in.nframes)
			abort();
		return 0;
	}
	bufinit(&out);
	inputstext(&in, &out);
	if (out.len != size || memcmp(out.s, data, size) != 0)
		abort();
	/* every frame is hashed: nothing is read, whatever the names */
	if (inputscompare(&in, &in, &d, err, sizeof(err)) < 0 || d == INPUTSCHANGED)
		abort();
	buffree(&out);
	delinputs(&in);
	return 0;
}
