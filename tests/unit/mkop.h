#ifndef RUNJA_MKOP_H
#define RUNJA_MKOP_H

/*
 * Helpers of the unit tests that make and read ops: from their --op text, or key by key
 * through their declaration, so a test names keys as a user does and knows no op's
 * positions. Include after tests/test.h; inline, so that a test need not use every one.
 */
#include <stdio.h>

#include "common/opdesc.h"
#include "common/spec.h"
#include "common/util.h"

/* the op of the --op text s (specparseop); one that does not parse fails the test (and gives an invert) */
static inline struct opspec
mkop(const char *s)
{
	struct opspec op;
	char e[256];

	if (specparseop(s, &op, e, sizeof(e)) < 0) {
		printf("  mkop(\"%s\"): %s\n", s, e);
		testfailed = 1;
		opinit(&op, OPINVERT);
	}
	return op;
}

/* free what each of the n ops owns */
static inline void
delops(struct opspec *ops, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		specfreeop(&ops[i]);
}

/* set op's key named key to v, an integer or a number as the key takes; one it refuses fails the test */
static inline void
setkey(struct opspec *op, const char *key, double v)
{
	const struct opkey *k = opkey(opdesc(op->kind), key);
	char e[256] = "no such key";

	if (!k || (k->type == OPKINT ? opsetint(op, k, (long long)v, e, sizeof(e)) : opsetnum(op, k, v, e, sizeof(e))) < 0) {
		printf("  setkey(%s, %s, %g): %s\n", opname(op->kind), key, v, e);
		testfailed = 1;
	}
}

/* set op's key named key to the name or file name v, as setkey */
static inline void
setkeystr(struct opspec *op, const char *key, const char *v)
{
	const struct opkey *k = opkey(opdesc(op->kind), key);
	char e[256] = "no such key";

	if (!k || opsetstr(op, k, v, e, sizeof(e)) < 0) {
		printf("  setkeystr(%s, %s, %s): %s\n", opname(op->kind), key, v, e);
		testfailed = 1;
	}
}

/* the canonical text of op (specfmtop), in the last of 4 static buffers */
static inline const char *
optext(const struct opspec *op)
{
	static char s[4][512];
	static int next;
	struct buf b;
	char *r = s[next++ % 4];

	bufinit(&b);
	specfmtop(&b, op);
	snprintf(r, sizeof(s[0]), "%s", b.s);
	buffree(&b);
	return r;
}

#endif
