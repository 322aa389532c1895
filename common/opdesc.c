#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "opdesc.h"
#include "util.h"

/* the value of op's key k (a key of its kind's declaration) */
#define VAL(op, k) ((op)->v[(k) - opdesc((op)->kind)->keys])

const struct opdesc *
opdesc(enum opkind k)
{
	return opdescs[k];
}

const char *
opname(enum opkind k)
{
	return opdescs[k]->name;
}

int
opbyname(const char *s)
{
	size_t i;

	for (i = 0; i < nopdescs; i++)
		if (strcmp(opdescs[i]->name, s) == 0)
			return (int)i;
	return -1;
}

const struct opkey *
opkey(const struct opdesc *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nkeys; i++)
		if (strcmp(d->keys[i].name, name) == 0)
			return &d->keys[i];
	return NULL;
}

void
opinit(struct opspec *op, enum opkind kind)
{
	const struct opdesc *d = opdesc(kind);
	size_t i;

	memset(op, 0, sizeof(*op));
	op->kind = kind;
	for (i = 0; i < d->nkeys; i++) {
		const struct opkey *k = &d->keys[i];

		if (k->type == OPKINT || k->type == OPKENUM)
			op->v[i].i = (int)k->def;
		else if (k->type == OPKNUM)
			op->v[i].num = k->def;
		else
			op->v[i].file = NULL;
	}
}

void
opmemspare(struct opmem *m)
{
	m->spare = m->spare > m->w * m->h * 4 ? m->spare : m->w * m->h * 4;
}

void
specfreeop(struct opspec *op)
{
	const struct opdesc *d = opdesc(op->kind);
	size_t i;

	for (i = 0; i < d->nkeys; i++) {
		if (d->keys[i].type == OPKFILE) {
			free(op->v[i].file);
			op->v[i].file = NULL;
		}
	}
}

/* a bound as the messages give it: whole numbers in full ("10000"), others as fmtdouble */
static void
boundtext(char *s, size_t n, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(s, n, "%.0f", v);
	else
		fmtdouble(s, n, v);
}

/* the range of a number key in words: "", " > 0", " < 1", " > 0 and < 1" */
static void
numrange(const struct opkey *k, char *s, size_t n)
{
	char lo[40], hi[40];

	boundtext(lo, sizeof(lo), k->min);
	boundtext(hi, sizeof(hi), k->max);
	if (k->min > -INFINITY && k->max < INFINITY)
		snprintf(s, n, " > %s and < %s", lo, hi);
	else if (k->min > -INFINITY)
		snprintf(s, n, " > %s", lo);
	else if (k->max < INFINITY)
		snprintf(s, n, " < %s", hi);
	else
		snprintf(s, n, "%s", "");
}

/* opbadvalue, with an integer range up to OPINTMAX stated in full when full is set (a value above it) */
static int
badvalue(const struct opdesc *d, const struct opkey *k, bool full, char *err, size_t n)
{
	char range[100];
	struct buf b;
	size_t i;
	int r;

	switch (k->type) {
	case OPKINT:
		if (k->max >= OPINTMAX && !full)
			return seterr(err, n, "'%s' in op '%s' must be an integer >= %.0f", k->name, d->name, k->min);
		return seterr(err, n, "'%s' in op '%s' must be an integer from %.0f to %.0f", k->name, d->name, k->min,
		              k->max);
	case OPKNUM:
		numrange(k, range, sizeof(range));
		return seterr(err, n, "'%s' in op '%s' must be a number%s", k->name, d->name, range);
	case OPKENUM:
		bufinit(&b);
		for (i = 0; k->names[i]; i++)
			bufprintf(&b, "%s%s", i ? ", " : "", k->names[i]);
		r = seterr(err, n, "'%s' in op '%s' must be one of %s", k->name, d->name, b.s);
		buffree(&b);
		return r;
	case OPKFILE:
		break;
	}
	return seterr(err, n, "'%s' in op '%s' must be a string", k->name, d->name);
}

int
opbadvalue(const struct opdesc *d, const struct opkey *k, char *err, size_t n)
{
	return badvalue(d, k, false, err, n);
}

int
opsetint(struct opspec *op, const struct opkey *k, long long v, char *err, size_t n)
{
	if (k->type == OPKNUM)
		return opsetnum(op, k, (double)v, err, n);
	if (k->type != OPKINT || v < k->min || v > k->max)
		return badvalue(opdesc(op->kind), k, k->type == OPKINT && v > k->max, err, n);
	VAL(op, k).i = (int)v;
	return 0;
}

int
opsetnum(struct opspec *op, const struct opkey *k, double v, char *err, size_t n)
{
	if (k->type != OPKNUM || !isfinite(v) || !(v > k->min && v < k->max))
		return opbadvalue(opdesc(op->kind), k, err, n);
	VAL(op, k).num = v;
	return 0;
}

int
opsetstr(struct opspec *op, const struct opkey *k, const char *v, char *err, size_t n)
{
	const struct opdesc *d = opdesc(op->kind);
	char what[80];
	int i;

	if (k->type == OPKENUM) {
		for (i = 0; k->names[i]; i++)
			if (strcmp(k->names[i], v) == 0) {
				VAL(op, k).i = i;
				return 0;
			}
	}
	if (k->type != OPKFILE)
		return opbadvalue(d, k, err, n);
	snprintf(what, sizeof(what), "%s' in op '%s", k->name, d->name);
	if (fsrelpattern(what, v, 1, err, n) < 0)
		return -1;
	free(VAL(op, k).file);
	VAL(op, k).file = xstrdup(v);
	return 0;
}

int
opsettext(struct opspec *op, const struct opkey *k, const char *v, char *err, size_t n)
{
	char *end;
	long long i;
	double x;

	switch (k->type) {
	case OPKINT:
		i = strtoll(v, &end, 10);  /* beyond long long: LLONG_MIN or LLONG_MAX, out of any range */
		if (end == v || *end)
			return opbadvalue(opdesc(op->kind), k, err, n);
		return opsetint(op, k, i, err, n);
	case OPKNUM:
		errno = 0;
		x = strtod(v, &end);
		if (errno || end == v || *end)
			return opbadvalue(opdesc(op->kind), k, err, n);
		return opsetnum(op, k, x, err, n);
	case OPKENUM:
	case OPKFILE:
		break;
	}
	return opsetstr(op, k, v, err, n);
}

/* append 'a', 'b' and 'c': the keys of d but skip */
static void
keylist(struct buf *b, const struct opdesc *d, const struct opkey *skip)
{
	size_t i, left = d->nkeys - 1;

	for (i = 0; i < d->nkeys; i++) {
		if (&d->keys[i] == skip)
			continue;
		bufprintf(b, "'%s'%s", d->keys[i].name, left > 2 ? ", " : left == 2 ? " and " : "");
		left--;
	}
}

int
opcheckgiven(const struct opdesc *d, const bool *given, char *err, size_t n)
{
	const struct opkey *alone = NULL;
	struct buf b;
	size_t i, ngiven = 0;
	int r;

	for (i = 0; i < d->nkeys; i++) {
		ngiven += given[i];
		if (given[i] && (d->keys[i].flags & OPALONE))
			alone = &d->keys[i];
	}
	if (alone && ngiven > 1) {
		bufinit(&b);
		keylist(&b, d, alone);
		r = seterr(err, n, "op '%s' takes either '%s' or %s, not both", d->name, alone->name, b.s);
		buffree(&b);
		return r;
	}
	for (i = 0; i < d->nkeys && !alone; i++)
		if ((d->keys[i].flags & OPREQUIRED) && !given[i])
			return seterr(err, n, "missing key '%s' in op '%s'", d->keys[i].name, d->name);
	return 0;
}

const struct opkey *
opalonegiven(const struct opspec *op)
{
	const struct opdesc *d = opdesc(op->kind);
	size_t i;

	for (i = 0; i < d->nkeys; i++)
		if ((d->keys[i].flags & OPALONE) && op->v[i].file)
			return &d->keys[i];
	return NULL;
}

void
opfmtvalue(struct buf *b, const struct opspec *op, const struct opkey *k)
{
	char s[40];

	switch (k->type) {
	case OPKINT:
		bufprintf(b, "%d", VAL(op, k).i);
		break;
	case OPKNUM:
		fmtdouble(s, sizeof(s), VAL(op, k).num);
		bufputs(b, s);
		break;
	case OPKENUM:
		bufputs(b, k->names[VAL(op, k).i]);
		break;
	case OPKFILE:
		bufputs(b, VAL(op, k).file);
		break;
	}
}

void
opnamelist(struct buf *b)
{
	size_t i;

	for (i = 0; i < nopdescs; i++)
		bufprintf(b, "%s%s", i ? ", " : "", opdescs[i]->name);
}
