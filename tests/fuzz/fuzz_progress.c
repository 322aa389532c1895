/*
 * libFuzzer harness of a run's progress record and a command's own count
 * (common/progress.c): the input is a record's text, parsed as it is and with its sum
 * line added (so that what follows the sum check is reached), and a count file's text.
 * Besides crashes, it checks the contract: an error is one line and leaves nothing; a
 * record parsed is written back in one form, which parses to the same record and is
 * written back as the same bytes; a count found is DONE <= TOTAL, TOTAL > 0.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/inputs.h"
#include "common/progress.h"
#include "common/util.h"

/* the count of text, whole or as the end of a longer file, must keep its contract */
static void
count(const char *text, size_t len)
{
	long long done = -1, total = -1;
	int partial;

	for (partial = 0; partial < 2; partial++)
		if (progressuser(text, len, partial, &done, &total) && !(total > 0 && done >= 0 && done <= total))
			abort();
}

/* the record text (len bytes) must keep its contract */
static void
record(const char *text, size_t len)
{
	struct progress p, q;
	struct buf out, again;
	char err[512];

	if (progressparse(text, len, &p, err, sizeof(err)) < 0) {
		if (!*err || strchr(err, '\n') || p.id || p.host)
			abort();
		return;
	}
	bufinit(&out), bufinit(&again);
	progressfmt(&out, &p);
	if (progressparse(out.s, out.len, &q, err, sizeof(err)) < 0)
		abort();
	if (strcmp(p.id, q.id) || strcmp(p.host, q.host) || p.what != q.what || p.done != q.done || p.total != q.total ||
	    strcmp(p.key, q.key) || (p.since < 0) != (q.since < 0))
		abort();
	progressfmt(&again, &q);
	if (strcmp(out.s, again.s) != 0)
		abort();
	buffree(&out), buffree(&again);
	progressfree(&p), progressfree(&q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b;

	count((const char *)data, size);
	record((const char *)data, size);
	bufinit(&b);
	bufadd(&b, (const char *)data, size);
	bufprintf(&b, "sum %016llx\n", (unsigned long long)inputshash(data, size));
	record(b.s, b.len);
	buffree(&b);
	return 0;
}
