#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"
#include "paramkey.h"
#include "util.h"

/* append s as one piece, its length first, so that no two lists of pieces make the same text */
static void
piece(struct buf *b, const char *s)
{
	bufprintf(b, "%zu:%s", strlen(s), s);
}

/* the key of the text in b into key; frees b */
static void
keyof(char *key, struct buf *b)
{
	uint64_t sig = 0;

	/* one name's signature is a 64-bit hash of it (FNV-1a and a finaliser) */
	framesigadd(&sig, b->s);
	snprintf(key, PARAMKEYSIZE, "%016llx", (unsigned long long)sig);
	buffree(b);
}

void
paramkeypipeline(char *key, const struct opspec *ops, size_t nops, const struct prodspec *p, enum channel ch,
                 long long maxpixels, bool npy)
{
	char *prod[8], num[32];
	struct buf b, op;
	size_t i, np;

	bufinit(&b);
	piece(&b, "pipeline");
	piece(&b, channame(ch));
	snprintf(num, sizeof(num), "%lld", maxpixels);
	piece(&b, num);
	piece(&b, npy ? "npy" : "no-npy");
	for (i = 0; i < nops; i++) {
		bufinit(&op);
		specfmtop(&op, &ops[i]);
		piece(&b, "op");
		piece(&b, op.s);
		buffree(&op);
	}
	np = specprodtexts(p, prod);
	for (i = 0; i < np; i++) {
		piece(&b, "product");
		piece(&b, prod[i]);
		free(prod[i]);
	}
	keyof(key, &b);
}

void
paramkeycommand(char *key, char *const *prog, size_t nprog, const char *params)
{
	struct buf b;
	size_t i;

	bufinit(&b);
	piece(&b, "command");
	for (i = 0; i < nprog; i++)
		piece(&b, prog[i]);
	piece(&b, "params");
	piece(&b, params ? params : "{}");
	keyof(key, &b);
}
