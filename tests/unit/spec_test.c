/* tests of common/spec.c: the canonical text of ops and products, and reading it back */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/opdesc.h"
#include "common/spec.h"
#include "common/util.h"
#include "tests/test.h"
#include "tests/unit/mkop.h"

static char err[256];

/* do a and b hold the same parameters (the values of their kind's keys, through its declaration)? */
static int
opeq(const struct opspec *a, const struct opspec *b)
{
	const struct opdesc *d = opdesc(a->kind);
	size_t i;

	if (a->kind != b->kind)
		return 0;
	for (i = 0; i < d->nkeys; i++) {
		const union opval *x = &a->v[i], *y = &b->v[i];

		if (d->keys[i].type == OPKNUM ? x->num != y->num
		    : d->keys[i].type == OPKFILE ? (x->file || y->file) && (!x->file || !y->file || strcmp(x->file, y->file))
		    : x->i != y->i)
			return 0;
	}
	return 1;
}

/* op must format as want, and want must parse back to op */
#define ROUNDTRIP(op, want) do { struct buf sb_; struct opspec p_; \
	bufinit(&sb_); specfmtop(&sb_, &(op)); EXPECTSTR(sb_.s, want); \
	EXPECTINT(specparseop(sb_.s, &p_, err, sizeof(err)), 0); EXPECT(opeq(&p_, &(op))); \
	specfreeop(&p_); buffree(&sb_); } while (0)

/* text must fail to parse as an op with msg */
#define BADOP(text, msg) do { struct opspec p_; strcpy(err, ""); \
	EXPECTINT(specparseop(text, &p_, err, sizeof(err)), -1); EXPECTSTR(err, msg); \
	EXPECT(opalonegiven(&p_) == NULL); } while (0)

/* text must fail to parse as a product with msg */
#define BADPROD(text, msg) do { struct prodspec p_; strcpy(err, ""); specdefprods(&p_); \
	EXPECTINT(specparseprod(text, &p_, err, sizeof(err)), -1); EXPECTSTR(err, msg); } while (0)

TEST(names)
{
	EXPECTSTR(opname(OPCROP), "crop");
	EXPECTSTR(opname(OPTHRESHOLD), "threshold");
	EXPECTINT(opbyname("downsample"), OPDOWNSAMPLE);
	EXPECTINT(opbyname("background"), OPBACKGROUND);
	EXPECTINT(opbyname("Blur"), -1);
	EXPECTINT(opbyname(""), -1);
	EXPECTSTR(channame(CHLUMA), "luma");
	EXPECTINT(chanbyname("b"), CHB);
	EXPECTINT(chanbyname("red"), -1);
	EXPECTSTR(fromname(FROMBOTTOM), "bottom");
	EXPECTINT(frombyname("top"), FROMTOP);
	EXPECTINT(frombyname("up"), -1);
}

TEST(ops)
{
	struct opspec op;

	opinit(&op, OPCROP);
	setkey(&op, "x", 0), setkey(&op, "y", 200), setkey(&op, "width", 1024), setkey(&op, "height", 300);
	ROUNDTRIP(op, "crop:x=0,y=200,width=1024,height=300");
	opinit(&op, OPDOWNSAMPLE);
	setkey(&op, "factor", 4);
	ROUNDTRIP(op, "downsample:factor=4");
	opinit(&op, OPINVERT);
	ROUNDTRIP(op, "invert");
	opinit(&op, OPSCALE);
	setkey(&op, "gain", 1.5), setkey(&op, "offset", -0.25);
	ROUNDTRIP(op, "scale:gain=1.5,offset=-0.25");
	setkey(&op, "gain", 1), setkey(&op, "offset", 0);
	ROUNDTRIP(op, "scale:gain=1,offset=0");
	/* the shortest text that reads back exactly */
	setkey(&op, "gain", 0.1), setkey(&op, "offset", 1.0 / 3);
	ROUNDTRIP(op, "scale:gain=0.1,offset=0.3333333333333333");
	setkey(&op, "gain", 1e-300), setkey(&op, "offset", -1e22);
	ROUNDTRIP(op, "scale:gain=1e-300,offset=-1e+22");
	opinit(&op, OPBACKGROUND);
	setkey(&op, "frames", 5), setkeystr(&op, "method", "median");
	ROUNDTRIP(op, "background:frames=5,method=median");
	setkey(&op, "frames", 1), setkeystr(&op, "method", "mean");
	ROUNDTRIP(op, "background:frames=1,method=mean");
	opinit(&op, OPBACKGROUND);
	setkeystr(&op, "file", "bg with, comma.png");
	ROUNDTRIP(op, "background:file=bg with, comma.png");
	setkeystr(&op, "file", "a=b,method=mean");
	ROUNDTRIP(op, "background:file=a=b,method=mean");
	specfreeop(&op);
	opinit(&op, OPBLUR);
	setkey(&op, "sigma", 2);
	ROUNDTRIP(op, "blur:sigma=2");
	setkey(&op, "sigma", 0.75);
	ROUNDTRIP(op, "blur:sigma=0.75");
	opinit(&op, OPMEDIAN);
	setkey(&op, "radius", 1);
	ROUNDTRIP(op, "median:radius=1");
	opinit(&op, OPTHRESHOLD);
	setkey(&op, "level", 0.1);
	ROUNDTRIP(op, "threshold:level=0.1");
	setkey(&op, "level", -2);
	ROUNDTRIP(op, "threshold:level=-2");
}

TEST(parseop)
{
	struct opspec op;

	/* keys in any order; the defaults of the optional ones (scale's gain and offset, background's method) */
	EXPECTINT(specparseop("crop:height=3,width=4,y=2,x=1", &op, err, sizeof(err)), 0);
	EXPECTINT(op.kind, OPCROP);
	EXPECTSTR(optext(&op), "crop:x=1,y=2,width=4,height=3");
	EXPECTINT(specparseop("scale", &op, err, sizeof(err)), 0);
	EXPECTSTR(optext(&op), "scale:gain=1,offset=0");
	EXPECTINT(specparseop("scale:offset=2", &op, err, sizeof(err)), 0);
	EXPECTSTR(optext(&op), "scale:gain=1,offset=2");
	EXPECTINT(specparseop("background:frames=2", &op, err, sizeof(err)), 0);
	EXPECTSTR(optext(&op), "background:frames=2,method=median");
	EXPECT(opalonegiven(&op) == NULL);
	EXPECTINT(specparseop("background:file=x.png", &op, err, sizeof(err)), 0);
	EXPECTSTR(optext(&op), "background:file=x.png");
	EXPECT(opalonegiven(&op) != NULL);
	specfreeop(&op);
	EXPECT(opalonegiven(&op) == NULL);
	EXPECTINT(specparseop("median:radius=1000", &op, err, sizeof(err)), 0);
	EXPECTSTR(optext(&op), "median:radius=1000");
}

TEST(parseoperrors)
{
	/* the config checker's words (gen/conf.c), from the same declarations (process/ops/NAME.c) */
	BADOP("", "unknown op ''");
	BADOP("sharpen:amount=1", "unknown op 'sharpen'");
	BADOP("Blur:sigma=1", "unknown op 'Blur'");
	BADOP("blur", "missing key 'sigma' in op 'blur'");
	BADOP("blur:sigma=0", "'sigma' in op 'blur' must be a number > 0 and < 10000");
	BADOP("blur:sigma=-1", "'sigma' in op 'blur' must be a number > 0 and < 10000");
	BADOP("blur:sigma=2x", "'sigma' in op 'blur' must be a number > 0 and < 10000");
	BADOP("blur:sigma=nan", "'sigma' in op 'blur' must be a number > 0 and < 10000");
	BADOP("blur:sigma=", "'sigma' in op 'blur' must be a number > 0 and < 10000");
	BADOP("blur:sigma=1,radius=2", "unknown key 'radius' in op 'blur'");
	BADOP("crop:x=1,y=2", "missing key 'width' in op 'crop'");
	BADOP("crop:x=-1,y=0,width=1,height=1", "'x' in op 'crop' must be an integer >= 0");
	BADOP("crop:x=0,y=0,width=0,height=1", "'width' in op 'crop' must be an integer >= 1");
	BADOP("crop:x=99999999999,y=0,width=1,height=1", "'x' in op 'crop' must be an integer from 0 to 1073741824");
	BADOP("crop:x=1,,y=2", "unknown key ',y' in op 'crop'");
	BADOP("invert:x=1", "unknown key 'x' in op 'invert'");
	BADOP("downsample:factor=1.5", "'factor' in op 'downsample' must be an integer >= 1");
	BADOP("downsample:factor=0", "'factor' in op 'downsample' must be an integer >= 1");
	BADOP("scale:gain=inf", "'gain' in op 'scale' must be a number");
	BADOP("background:frames=0", "'frames' in op 'background' must be an integer from 1 to 1048576");
	BADOP("background:frames=2,method=mode", "'method' in op 'background' must be one of mean, median");
	BADOP("background:file=", "'file' in op 'background' must be a relative path pattern, not ''");
	BADOP("median:radius=0", "'radius' in op 'median' must be an integer from 1 to 1000");
	BADOP("threshold:level=x", "'level' in op 'threshold' must be a number");
}

TEST(parseopdrift)
{
	/*
	 * What the --op parser let through where runja.cfg's checker did not: keys left out
	 * (they had defaults here), median radius over 1000, background frames over 2^20, crop
	 * and downsample values over 2^30, and background files outside the run folder or
	 * given with frames. Both checkers read one declaration now.
	 */
	BADOP("crop:width=4,height=3", "missing key 'x' in op 'crop'");
	BADOP("downsample", "missing key 'factor' in op 'downsample'");
	BADOP("background", "missing key 'frames' in op 'background'");
	BADOP("background:method=mean", "missing key 'frames' in op 'background'");
	BADOP("median", "missing key 'radius' in op 'median'");
	BADOP("threshold", "missing key 'level' in op 'threshold'");
	BADOP("median:radius=1001", "'radius' in op 'median' must be an integer from 1 to 1000");
	BADOP("background:frames=1048577", "'frames' in op 'background' must be an integer from 1 to 1048576");
	BADOP("crop:x=0,y=0,width=1073741825,height=1", "'width' in op 'crop' must be an integer from 1 to 1073741824");
	BADOP("downsample:factor=2147483647", "'factor' in op 'downsample' must be an integer from 1 to 1073741824");
	BADOP("background:file=/bg.png", "'file' in op 'background' must be a relative path pattern, not '/bg.png'");
	BADOP("background:file=..", "'file' in op 'background' has an empty, '.' or '..' component in '..'");
	BADOP("background:file=sub/bg.png", "'file' in op 'background' must be a file name in the run folder, not 'sub/bg.png'");
	BADOP("background:frames=2,file=bg.png", "op 'background' takes either 'file' or 'frames' and 'method', not both");
	BADOP("background:method=median,file=bg.png", "op 'background' takes either 'file' or 'frames' and 'method', not both");
}

TEST(listerror)
{
	/* a list that is not key=value pairs: the message should quote the whole text, not only the name */
	BADOP("blur:sigma", "bad parameter list in 'blur:sigma'");
	BADOP("crop:x=1,y", "bad parameter list in 'crop:x=1,y'");
	BADOP("crop:=3", "bad parameter list in 'crop:=3'");
	/* more than 8 pairs */
	BADOP("median:radius=1,radius=1,radius=1,radius=1,radius=1,radius=1,radius=1,radius=1,radius=1",
	      "bad parameter list in 'median:radius=1,radius=1,radius=1,radius=1,radius=1,radius=1,radius=1,"
	      "radius=1,radius=1'");
	BADPROD("front:level", "bad parameter list in 'front:level'");
}

TEST(products)
{
	struct prodspec p, q;
	char *v[8];
	size_t i, n;

	specdefprods(&p);
	n = specprodtexts(&p, v);
	EXPECTINT(n, 2);
	if (n == 2) {
		EXPECTSTR(v[0], "mean");
		EXPECTSTR(v[1], "std");
	}
	for (i = 0; i < n; i++)
		free(v[i]);

	memset(&p, 0, sizeof(p));
	p.mean = p.std = p.min = p.max = p.stats = p.timestack = p.front = true;
	p.tsrow = 150, p.tscol = -1, p.frontlevel = 0.1, p.frontfrom = FROMRIGHT;
	n = specprodtexts(&p, v);
	EXPECTINT(n, 7);
	if (n == 7) {
		EXPECTSTR(v[0], "mean");
		EXPECTSTR(v[1], "std");
		EXPECTSTR(v[2], "min");
		EXPECTSTR(v[3], "max");
		EXPECTSTR(v[4], "stats");
		EXPECTSTR(v[5], "timestack:row=150");
		EXPECTSTR(v[6], "front:level=0.1,from=right");
	}
	/* and back: every text enables what it says on a spec that had nothing */
	memset(&q, 0, sizeof(q));
	q.tsrow = q.tscol = -1;
	for (i = 0; i < n; i++) {
		EXPECTINT(specparseprod(v[i], &q, err, sizeof(err)), 0);
		free(v[i]);
	}
	EXPECT(q.mean && q.std && q.min && q.max && q.stats && q.timestack && q.front);
	EXPECTINT(q.tsrow, 150);
	EXPECTINT(q.tscol, -1);
	EXPECTNEAR(q.frontlevel, 0.1, 0);
	EXPECTINT(q.frontfrom, FROMRIGHT);

	memset(&p, 0, sizeof(p));
	p.timestack = p.front = true;
	p.tsrow = -1, p.tscol = 0, p.frontlevel = -0.5, p.frontfrom = FROMTOP;
	n = specprodtexts(&p, v);
	EXPECTINT(n, 2);
	if (n == 2) {
		EXPECTSTR(v[0], "timestack:column=0");
		EXPECTSTR(v[1], "front:level=-0.5,from=top");
		memset(&q, 0, sizeof(q));
		EXPECTINT(specparseprod(v[0], &q, err, sizeof(err)), 0);
		EXPECTINT(specparseprod(v[1], &q, err, sizeof(err)), 0);
		EXPECT(q.timestack && q.front && !q.mean);
		EXPECTINT(q.tsrow, -1);
		EXPECTINT(q.tscol, 0);
		EXPECTNEAR(q.frontlevel, -0.5, 0);
		EXPECTINT(q.frontfrom, FROMTOP);
	}
	for (i = 0; i < n; i++)
		free(v[i]);

	/* front alone: level 0.5 from the left */
	memset(&q, 0, sizeof(q));
	EXPECTINT(specparseprod("front", &q, err, sizeof(err)), 0);
	EXPECT(q.front);
	EXPECTNEAR(q.frontlevel, 0.5, 0);
	EXPECTINT(q.frontfrom, FROMLEFT);
	EXPECTINT(specparseprod("front:from=bottom", &q, err, sizeof(err)), 0);
	EXPECTINT(q.frontfrom, FROMBOTTOM);
}

TEST(producterrors)
{
	BADPROD("median", "unknown product 'median'");
	BADPROD("mean:x=1", "unknown product 'mean:x=1'");
	BADPROD("", "unknown product ''");
	BADPROD("timestack", "product 'timestack' needs exactly one of row and column");
	BADPROD("timestack:row=1,column=2", "product 'timestack' needs exactly one of row and column");
	BADPROD("timestack:row=-1", "bad parameter 'row=-1' for product 'timestack'");
	BADPROD("timestack:width=3", "bad parameter 'width=3' for product 'timestack'");
	BADPROD("front:from=up", "bad parameter 'from=up' for product 'front'");
	BADPROD("front:level=high", "bad parameter 'level=high' for product 'front'");
	BADPROD("front:row=1", "bad parameter 'row=1' for product 'front'");
}

TEST(outputs)
{
	struct prodspec p;
	const char *v[16];
	size_t n;

	specdefprods(&p);
	n = specoutputs(&p, true, v);
	EXPECTINT(n, 5);
	if (n == 5) {
		EXPECTSTR(v[0], "summary.json");
		EXPECTSTR(v[1], "mean.png");
		EXPECTSTR(v[2], "mean.npy");
		EXPECTSTR(v[3], "std.png");
		EXPECTSTR(v[4], "std.npy");
	}
	n = specoutputs(&p, false, v);
	EXPECTINT(n, 3);
	if (n == 3) {
		EXPECTSTR(v[0], "summary.json");
		EXPECTSTR(v[1], "mean.png");
		EXPECTSTR(v[2], "std.png");
	}

	memset(&p, 0, sizeof(p));
	n = specoutputs(&p, true, v);
	EXPECTINT(n, 1);
	EXPECTSTR(v[0], "summary.json");

	p.mean = p.std = p.min = p.max = p.stats = p.timestack = p.front = true;
	p.tsrow = 3, p.tscol = -1;
	n = specoutputs(&p, true, v);
	EXPECTINT(n, 13);
	if (n == 13) {
		static const char *const want[] = {
			"summary.json", "mean.png", "mean.npy", "std.png", "std.npy", "min.png", "min.npy",
			"max.png", "max.npy", "timestack.png", "timestack.npy", "stats.csv", "front.csv",
		};
		size_t i;

		for (i = 0; i < 13; i++)
			EXPECTSTR(v[i], want[i]);
	}
	n = specoutputs(&p, false, v);
	EXPECTINT(n, 8);
	if (n == 8) {
		EXPECTSTR(v[5], "timestack.png");
		EXPECTSTR(v[6], "stats.csv");
		EXPECTSTR(v[7], "front.csv");
	}

	memset(&p, 0, sizeof(p));
	p.stats = p.front = true;
	n = specoutputs(&p, true, v);
	EXPECTINT(n, 3);
	if (n == 3) {
		EXPECTSTR(v[1], "stats.csv");
		EXPECTSTR(v[2], "front.csv");
	}
}

/* the token of specresults with every version written N ("d1.blur2" -> "dN.blurN"), in a static buffer */
static const char *
shape(const struct opspec *ops, size_t nops, const struct prodspec *p, bool npy)
{
	static char s[256];
	struct buf b;
	size_t i, n = 0;

	bufinit(&b);
	specresults(&b, ops, nops, p, npy);
	for (i = 0; b.s[i] && n + 1 < sizeof(s); i++)
		if (!isdigit((unsigned char)b.s[i]))
			s[n++] = b.s[i];
		else if (!isdigit((unsigned char)b.s[i + 1]))
			s[n++] = 'N';
	s[n] = '\0';
	buffree(&b);
	return s;
}

TEST(results)
{
	struct opspec ops[3] = {mkop("crop:x=0,y=0,width=4,height=4"), mkop("blur:sigma=1"),
	                        mkop("crop:x=0,y=0,width=2,height=2")};
	struct prodspec p;
	struct buf b, npy;
	char want[512], e[512];

	/* what is used, each once, in a fixed order: decoder, ops, writers, products, summary.json */
	specdefprods(&p);
	EXPECTSTR(shape(NULL, 0, &p, true), "dN.pngN.npyN.meanN.stdN.sumN");
	EXPECTSTR(shape(ops, 3, &p, false), "dN.cropN.blurN.pngN.meanN.stdN.sumN");
	EXPECTSTR(shape(ops + 1, 2, &p, false), "dN.blurN.cropN.pngN.meanN.stdN.sumN");
	memset(&p, 0, sizeof(p));
	p.stats = true;
	EXPECTSTR(shape(ops, 1, &p, true), "dN.cropN.statsN.sumN");
	p.mean = p.std = p.min = p.max = p.stats = p.timestack = p.front = true;
	EXPECTSTR(shape(NULL, 0, &p, true), "dN.pngN.npyN.meanN.stdN.minN.maxN.statsN.timestackN.frontN.sumN");
	p.mean = p.std = p.min = p.max = p.stats = p.front = false;
	EXPECTSTR(shape(NULL, 0, &p, false), "dN.pngN.timestackN.sumN");

	/* an op's own version, from its declaration */
	specdefprods(&p);
	bufinit(&b);
	specresults(&b, ops + 1, 1, &p, false);
	snprintf(want, sizeof(want), ".blur%d.", opdesc(OPBLUR)->version);
	EXPECT(strstr(b.s, want) != NULL);

	/* runja-process --results: its own token taken, another refused with both in the message */
	EXPECTINT(specresultscheck(b.s, ops + 1, 1, &p, false, e, sizeof(e)), 0);
	EXPECTINT(specresultscheck(b.s, ops + 1, 1, &p, true, e, sizeof(e)), -1);
	bufinit(&npy);
	specresults(&npy, ops + 1, 1, &p, true);
	snprintf(want, sizeof(want),
	         "--results '%s' is not what this runja-process computes ('%s'); regenerate the build file with runja-gen",
	         b.s, npy.s);
	EXPECTSTR(e, want);
	buffree(&npy);
	buffree(&b);
	delops(ops, 3);
}

int
main(void)
{
	RUN(names);
	RUN(ops);
	RUN(parseop);
	RUN(parseoperrors);
	RUN(parseopdrift);
	RUN(listerror);
	RUN(products);
	RUN(producterrors);
	RUN(outputs);
	RUN(results);
	return TESTEXIT();
}
