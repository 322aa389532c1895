/*
 * What each run's edge last computed with, beside build.ninja (.runja/args): one line
 * "P ID HASH" (the pipeline) or "C ID HASH" (the command) a step, HASH that of its
 * arguments. When the regeneration finds a step's arguments changed, it removes the
 * step's outcome stamp: ninja keeps, for a step that failed, what it knew of the last
 * success (its command and time), so a step killed after its attempt wrote results from
 * new parameters would look up to date once the parameters went back. A missing stamp
 * makes ninja start the step, which then looks at what its results were made from.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/inputs.h"
#include "common/state.h"
#include "common/util.h"
#include "emit.h"

#define ARGSMEMO STATEBUILD "/args"

/* append step i's line ("P ID HASH\n", cmd: "C ...") to b */
static void
memoline(struct buf *b, const struct emit *e, size_t i, bool cmd)
{
	struct buf text;
	char **argv;
	size_t j, nargs = cmd ? emitexecargv(e, i, &argv) : emitargv(e, i, &argv);

	bufinit(&text);
	for (j = 0; j < nargs; j++)
		bufprintf(&text, "%s\n", argv[j]);
	delstrv(argv, nargs);
	bufprintf(b, "%c %s %016" PRIx64 "\n", cmd ? 'C' : 'P', e->s->runs[i].id, inputshash(text.s, text.len));
	buffree(&text);
}

/*
 * The hash the memo old (len bytes) holds for the step whose line starts with key
 * ("P ID "), or NULL; points into old. The lines come in the order of the runs both
 * times: the search starts at *at, just after the line found last, and goes round once.
 */
static const char *
memofind(const char *old, size_t len, const char **at, const char *key, size_t keylen)
{
	const char *p = *at, *stop = old + len, *nl;
	int pass;

	for (pass = 0; pass < 2; pass++, stop = *at, p = old)
		for (; p < stop && (nl = strchr(p, '\n')); p = nl + 1)
			if (nl - p == (ptrdiff_t)keylen + 16 && strncmp(p, key, keylen) == 0) {
				*at = nl + 1;
				return p + keylen;
			}
	return NULL;
}

/* remove the outcome stamp of every step of now whose hash differs from old's */
static void
memodrop(const struct emit *e, const struct buf *old, const char *now)
{
	const char *line, *end, *hash, *was, *at = old->s;
	char *stamp, *id;

	for (line = now; *line; line = end + 1) {
		end = strchr(line, '\n');
		/* "P ID HASH": the hash is the last 16 bytes (an id may hold spaces) */
		hash = end - 16;
		was = memofind(old->s, old->len, &at, line, (size_t)(hash - line));
		if (!was || strncmp(was, hash, 16) == 0)
			continue;
		id = xasprintf("%.*s", (int)(hash - 1 - (line + 2)), line + 2);
		stamp = statepath(e->c->outdir, *line == 'C' ? STATECMDENDED : STATEENDED, id);
		unlink(stamp);
		free(stamp), free(id);
	}
}

int
ninjastamps(const struct emit *e, bool changed, char *err, size_t n)
{
	struct buf now, old;
	size_t i;
	int ret = 0;

	/* the arguments are in build.ninja: the same text, the same arguments */
	if (!changed && exists(ARGSMEMO))
		return 0;
	bufinit(&now);
	for (i = 0; i < e->s->nruns; i++) {
		if (emithaspipeline(e))
			memoline(&now, e, i, false);
		if (e->c->cmd.run)
			memoline(&now, e, i, true);
	}
	/* (no memo yet: every step runs anyway, or finds its results up to date) */
	if (readfile(ARGSMEMO, &old, NULL, 0) == 0)
		memodrop(e, &old, now.s);
	if (strcmp(old.s, now.s) != 0)
		ret = mkdirp(STATEBUILD, err, n) < 0 || writeatomic(ARGSMEMO, now.s, now.len, err, n) < 0 ? -1 : 0;
	buffree(&old), buffree(&now);
	return ret;
}
