#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "opdesc.h"
#include "spec.h"
#include "util.h"

static const char *const channames[] = {[CHLUMA] = "luma", [CHR] = "r", [CHG] = "g", [CHB] = "b"};
static const char *const fromnames[] = {
	[FROMLEFT] = "left", [FROMRIGHT] = "right", [FROMTOP] = "top", [FROMBOTTOM] = "bottom",
};

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static int
lookup(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *channame(enum channel c) { return channames[c]; }
int chanbyname(const char *s) { return lookup(channames, LEN(channames), s); }
const char *fromname(enum fromside f) { return fromnames[f]; }
int frombyname(const char *s) { return lookup(fromnames, LEN(fromnames), s); }

void
specfmtop(struct buf *b, const struct opspec *op)
{
	const struct opdesc *d = opdesc(op->kind);
	const struct opkey *alone = opalonegiven(op);
	size_t i;
	int sep = ':';

	bufputs(b, d->name);
	for (i = 0; i < d->nkeys; i++) {
		const struct opkey *k = &d->keys[i];

		/* the OPALONE key alone when it is given, else every other key */
		if (alone ? k != alone : (k->flags & OPALONE) != 0)
			continue;
		bufprintf(b, "%c%s=", sep, k->name);
		opfmtvalue(b, op, k);
		sep = ',';
	}
}

size_t
specprodtexts(const struct prodspec *p, char **v)
{
	size_t n = 0;
	char s[40];

	if (p->mean)
		v[n++] = xstrdup("mean");
	if (p->std)
		v[n++] = xstrdup("std");
	if (p->min)
		v[n++] = xstrdup("min");
	if (p->max)
		v[n++] = xstrdup("max");
	if (p->stats)
		v[n++] = xstrdup("stats");
	if (p->timestack)
		v[n++] = p->tsrow >= 0 ? xasprintf("timestack:row=%d", p->tsrow)
		                       : xasprintf("timestack:column=%d", p->tscol);
	if (p->front) {
		fmtdouble(s, sizeof(s), p->frontlevel);
		v[n++] = xasprintf("front:level=%s,from=%s", s, fromname(p->frontfrom));
	}
	return n;
}

/* one key=value of an op's or a product's text */
struct kv {
	char *key, *val;
};

/*
 * split "k=v,k=v" (p, a copy of the part of text after "name:") in place into kv (room for max);
 * the value of a key of d that holds a file name runs to the end of the text
 */
static int
splitpairs(const char *text, char *p, const struct opdesc *d, struct kv *kv, size_t *nkv, size_t max,
           char *err, size_t n)
{
	const struct opkey *k;

	*nkv = 0;
	while (*p) {
		char *eq = strchr(p, '=');

		if (!eq || eq == p || *nkv == max)
			return seterr(err, n, "bad parameter list in '%s'", text);
		*eq = '\0';
		kv[*nkv].key = p;
		kv[*nkv].val = eq + 1;
		(*nkv)++;
		if (d && (k = opkey(d, p)) && k->type == OPKFILE)
			break;
		p = strchr(eq + 1, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	return 0;
}

/* the name of "name:k=v,..." (s, in place) ended at its ':'; *pairs is what follows, or NULL */
static char *
splitname(char *s, char **pairs)
{
	char *p = strchr(s, ':');

	*pairs = p ? p + 1 : NULL;
	if (p)
		*p = '\0';
	return s;
}

static int
getint(const char *v, int lo, int *out)
{
	char *end;
	long x;

	errno = 0;
	x = strtol(v, &end, 10);
	if (errno || end == v || *end || x < lo || x > INT_MAX)
		return -1;
	*out = (int)x;
	return 0;
}

static int
getdouble(const char *v, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(v, &end);
	return errno || end == v || *end || !isfinite(*out) ? -1 : 0;
}

int
specparseop(const char *text, struct opspec *op, char *err, size_t n)
{
	struct kv kv[8];
	bool given[OPMAXKEYS] = {false};
	const struct opdesc *d;
	const struct opkey *k;
	char *s = xstrdup(text), *name, *pairs;
	size_t nkv = 0, i;
	int kind;

	memset(op, 0, sizeof(*op));
	name = splitname(s, &pairs);
	if ((kind = opbyname(name)) < 0) {
		seterr(err, n, "unknown op '%s'", name);
		goto err0;
	}
	d = opdesc((enum opkind)kind);
	opinit(op, (enum opkind)kind);
	if (pairs && splitpairs(text, pairs, d, kv, &nkv, LEN(kv), err, n) < 0)
		goto err1;
	for (i = 0; i < nkv; i++) {
		if (!(k = opkey(d, kv[i].key))) {
			seterr(err, n, "unknown key '%s' in op '%s'", kv[i].key, name);
			goto err1;
		}
		if (opsettext(op, k, kv[i].val, err, n) < 0)
			goto err1;
		given[k - d->keys] = true;
	}
	if (opcheckgiven(d, given, err, n) < 0)
		goto err1;
	free(s);
	return 0;
err1:
	specfreeop(op);
err0:
	free(s);
	return -1;
}

int
specparseprod(const char *text, struct prodspec *p, char *err, size_t n)
{
	struct kv kv[4];
	size_t nkv = 0, i;
	char *s = xstrdup(text), *name, *pairs;
	int bad = 0, f;

	name = splitname(s, &pairs);
	if (pairs && splitpairs(text, pairs, NULL, kv, &nkv, LEN(kv), err, n) < 0)
		goto err;
	if (strcmp(name, "timestack") == 0) {
		p->timestack = true;
		p->tsrow = p->tscol = -1;
	} else if (strcmp(name, "front") == 0) {
		p->front = true;
		p->frontlevel = 0.5;
		p->frontfrom = FROMLEFT;
	} else if (nkv == 0 && strcmp(name, "mean") == 0) p->mean = true;
	else if (nkv == 0 && strcmp(name, "std") == 0) p->std = true;
	else if (nkv == 0 && strcmp(name, "min") == 0) p->min = true;
	else if (nkv == 0 && strcmp(name, "max") == 0) p->max = true;
	else if (nkv == 0 && strcmp(name, "stats") == 0) p->stats = true;
	else {
		seterr(err, n, "unknown product '%s'", text);
		goto err;
	}
	for (i = 0; i < nkv; i++) {
		const char *key = kv[i].key, *v = kv[i].val;

		if (p->timestack && strcmp(name, "timestack") == 0 && strcmp(key, "row") == 0) bad |= getint(v, 0, &p->tsrow);
		else if (strcmp(name, "timestack") == 0 && strcmp(key, "column") == 0) bad |= getint(v, 0, &p->tscol);
		else if (strcmp(name, "front") == 0 && strcmp(key, "level") == 0) bad |= getdouble(v, &p->frontlevel);
		else if (strcmp(name, "front") == 0 && strcmp(key, "from") == 0 && (f = frombyname(v)) >= 0)
			p->frontfrom = (enum fromside)f;
		else
			bad = -1;
		if (bad) {
			seterr(err, n, "bad parameter '%s=%s' for product '%s'", key, v, name);
			goto err;
		}
	}
	if (strcmp(name, "timestack") == 0 && (p->tsrow >= 0) == (p->tscol >= 0)) {
		seterr(err, n, "product 'timestack' needs exactly one of row and column");
		goto err;
	}
	free(s);
	return 0;
err:
	free(s);
	return -1;
}

void
specdefprods(struct prodspec *p)
{
	memset(p, 0, sizeof(*p));
	p->mean = p->std = true;
	p->tsrow = p->tscol = -1;
	p->frontlevel = 0.5;
}

size_t
specoutputs(const struct prodspec *p, bool npy, const char **v)
{
	static const char *const png[] = {"mean.png", "std.png", "min.png", "max.png", "timestack.png"};
	static const char *const npyname[] = {"mean.npy", "std.npy", "min.npy", "max.npy", "timestack.npy"};
	const bool on[] = {p->mean, p->std, p->min, p->max, p->timestack};
	size_t n = 0, i;

	v[n++] = "summary.json";
	for (i = 0; i < LEN(on); i++) {
		if (!on[i])
			continue;
		v[n++] = png[i];
		if (npy)
			v[n++] = npyname[i];
	}
	if (p->stats)
		v[n++] = "stats.csv";
	if (p->front)
		v[n++] = "front.csv";
	return n;
}

bool
specinterpreter(const char *program)
{
	static const char *const interpreters[] = {"python3", "python", "sh", "bash", "Rscript", "julia", "perl", "ruby", "node"};
	const char *base = basepart(program);
	size_t i;

	for (i = 0; i < sizeof(interpreters) / sizeof(interpreters[0]); i++)
		if (strcmp(base, interpreters[i]) == 0)
			return true;
	return false;
}

bool
specrunflag(const char *arg)
{
	return strcmp(arg, "--depfile-phony") == 0 || strcmp(arg, "--keep-going") == 0 || strcmp(arg, "--attempt") == 0;
}
