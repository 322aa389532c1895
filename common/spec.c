#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "spec.h"
#include "util.h"

static const char *const opnames[] = {
	[OPCROP] = "crop",
	[OPDOWNSAMPLE] = "downsample",
	[OPINVERT] = "invert",
	[OPSCALE] = "scale",
	[OPBACKGROUND] = "background",
	[OPBLUR] = "blur",
	[OPMEDIAN] = "median",
	[OPTHRESHOLD] = "threshold",
};
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

const char *opname(enum opkind k) { return opnames[k]; }
int opbyname(const char *s) { return lookup(opnames, LEN(opnames), s); }
const char *channame(enum channel c) { return channames[c]; }
int chanbyname(const char *s) { return lookup(channames, LEN(channames), s); }
const char *fromname(enum fromside f) { return fromnames[f]; }
int frombyname(const char *s) { return lookup(fromnames, LEN(fromnames), s); }

static void
putnum(struct buf *b, const char *key, double v)
{
	char s[40];

	fmtdouble(s, sizeof(s), v);
	bufprintf(b, "%s=%s", key, s);
}

void
specfmtop(struct buf *b, const struct opspec *op)
{
	bufputs(b, opname(op->kind));
	switch (op->kind) {
	case OPCROP:
		bufprintf(b, ":x=%d,y=%d,width=%d,height=%d", op->x, op->y, op->width, op->height);
		break;
	case OPDOWNSAMPLE:
		bufprintf(b, ":factor=%d", op->factor);
		break;
	case OPINVERT:
		break;
	case OPSCALE:
		bufputc(b, ':');
		putnum(b, "gain", op->gain);
		bufputc(b, ',');
		putnum(b, "offset", op->offset);
		break;
	case OPBACKGROUND:
		if (op->file)
			bufprintf(b, ":file=%s", op->file);
		else
			bufprintf(b, ":frames=%d,method=%s", op->frames, op->median ? "median" : "mean");
		break;
	case OPBLUR:
		bufputc(b, ':');
		putnum(b, "sigma", op->sigma);
		break;
	case OPMEDIAN:
		bufprintf(b, ":radius=%d", op->radius);
		break;
	case OPTHRESHOLD:
		bufputc(b, ':');
		putnum(b, "level", op->level);
		break;
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

/* split "name:k=v,k=v" in place: *name, then pairs; the value of "file" runs to the end */
struct kv {
	char *key, *val;
};

static int
splitspec(const char *text, char *s, char **name, struct kv *kv, size_t *nkv, size_t max, char *err,
          size_t n)
{
	char *p = strchr(s, ':');

	*name = s;
	*nkv = 0;
	if (!p)
		return 0;
	*p++ = '\0';
	while (*p) {
		char *eq = strchr(p, '=');

		if (!eq || eq == p || *nkv == max)
			return seterr(err, n, "bad parameter list in '%s'", text);
		*eq = '\0';
		kv[*nkv].key = p;
		kv[*nkv].val = eq + 1;
		(*nkv)++;
		if (strcmp(p, "file") == 0)
			break;
		p = strchr(eq + 1, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	return 0;
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
	size_t nkv, i;
	char *s = xstrdup(text), *name;
	int k, bad = 0;

	memset(op, 0, sizeof(*op));
	op->gain = 1;
	if (splitspec(text, s, &name, kv, &nkv, LEN(kv), err, n) < 0)
		goto err0;
	if ((k = opbyname(name)) < 0) {
		seterr(err, n, "unknown op '%s'", name);
		goto err0;
	}
	op->kind = (enum opkind)k;
	op->factor = op->radius = 1;
	op->frames = 1;
	op->median = true;
	for (i = 0; i < nkv; i++) {
		const char *key = kv[i].key, *v = kv[i].val;

		if (op->kind == OPCROP && strcmp(key, "x") == 0) bad |= getint(v, 0, &op->x);
		else if (op->kind == OPCROP && strcmp(key, "y") == 0) bad |= getint(v, 0, &op->y);
		else if (op->kind == OPCROP && strcmp(key, "width") == 0) bad |= getint(v, 1, &op->width);
		else if (op->kind == OPCROP && strcmp(key, "height") == 0) bad |= getint(v, 1, &op->height);
		else if (op->kind == OPDOWNSAMPLE && strcmp(key, "factor") == 0) bad |= getint(v, 1, &op->factor);
		else if (op->kind == OPSCALE && strcmp(key, "gain") == 0) bad |= getdouble(v, &op->gain);
		else if (op->kind == OPSCALE && strcmp(key, "offset") == 0) bad |= getdouble(v, &op->offset);
		else if (op->kind == OPBACKGROUND && strcmp(key, "frames") == 0) bad |= getint(v, 1, &op->frames);
		else if (op->kind == OPBACKGROUND && strcmp(key, "method") == 0 && (strcmp(v, "median") == 0 || strcmp(v, "mean") == 0))
			op->median = strcmp(v, "median") == 0;
		else if (op->kind == OPBACKGROUND && strcmp(key, "file") == 0 && *v) {
			free(op->file);
			op->file = xstrdup(v);
			op->frames = 0;
		} else if (op->kind == OPBLUR && strcmp(key, "sigma") == 0) bad |= getdouble(v, &op->sigma) || !(op->sigma > 0) ? -1 : 0;
		else if (op->kind == OPMEDIAN && strcmp(key, "radius") == 0) bad |= getint(v, 1, &op->radius);
		else if (op->kind == OPTHRESHOLD && strcmp(key, "level") == 0) bad |= getdouble(v, &op->level);
		else
			bad = -1;
		if (bad) {
			seterr(err, n, "bad parameter '%s=%s' for op '%s'", key, v, name);
			goto err1;
		}
	}
	if (op->kind == OPCROP && (op->width < 1 || op->height < 1)) {
		seterr(err, n, "op 'crop' needs width and height");
		goto err1;
	}
	if (op->kind == OPBLUR && !(op->sigma > 0)) {
		seterr(err, n, "op 'blur' needs sigma > 0");
		goto err1;
	}
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
	size_t nkv, i;
	char *s = xstrdup(text), *name;
	int bad = 0, f;

	if (splitspec(text, s, &name, kv, &nkv, LEN(kv), err, n) < 0)
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

void
specfreeop(struct opspec *op)
{
	free(op->file);
	op->file = NULL;
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
	return strcmp(arg, "--depfile-phony") == 0 || strcmp(arg, "--keep-going") == 0;
}
