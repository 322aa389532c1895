#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "process/products.h"
#include "tests/test.h"

/* a frame of w x h pixels px (copied), with index and name */
static struct frame
mkframe(int w, int h, const float *px, int index, const char *name)
{
	struct frame f;

	mkimg(&f.img, w, h);
	memcpy(f.img.px, px, (size_t)w * h * sizeof(float));
	f.index = index;
	f.name = name;
	return f;
}

/* add w x h pixels px as frame index to p; returns prodadd's result, err filled */
static int
add(struct products *p, int w, int h, const float *px, int index, const char *name, char *err)
{
	struct frame f = mkframe(w, h, px, index, name);
	int r;

	err[0] = '\0';
	r = prodadd(p, &f, err, 256);
	delimg(&f.img);
	return r;
}

/* the image product named name, or NULL */
static const struct prodimg *
findimg(const struct products *p, const char *name)
{
	const struct prodimg *v;
	size_t i, n = prodimages(p, &v);

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	}
	return NULL;
}

static const float f0[] = {1, 2, 3, 4};
static const float f1[] = {3, 2, 1, 4};
static const float f2[] = {2, 5, 2, 1};

TEST(pixelwise)
{
	struct prodspec s = {.mean = true, .std = true, .min = true, .max = true, .tsrow = -1, .tscol = -1};
	struct products *p = mkproducts(&s);
	const struct prodimg *v, *im;
	char err[256];
	int nf, w, h;
	size_t n;

	EXPECTINT(add(p, 2, 2, f0, 0, "a.png", err), 0);
	EXPECTINT(add(p, 2, 2, f1, 1, "b.png", err), 0);
	EXPECTINT(add(p, 2, 2, f2, 2, "c.png", err), 0);
	EXPECTINT(prodfinish(p, err, sizeof(err)), 0);
	n = prodimages(p, &v);
	EXPECTINT(n, 4);
	if (n != 4)
		goto out;
	EXPECTSTR(v[0].name, "mean");
	EXPECTSTR(v[1].name, "std");
	EXPECTSTR(v[2].name, "min");
	EXPECTSTR(v[3].name, "max");
	prodsize(p, &nf, &w, &h);
	EXPECTINT(nf, 3);
	EXPECTINT(w, 2);
	EXPECTINT(h, 2);

	im = &v[0];
	EXPECT(im->img.w == 2 && im->img.h == 2);
	EXPECT(im->img.px[0] == 2 && im->img.px[1] == 3 && im->img.px[2] == 2 && im->img.px[3] == 3);
	EXPECT(im->lo == 2 && im->hi == 3);

	/* pixel 0: 1, 3, 2 -> var 2/3; pixel 1: 2, 2, 5 -> var 2 */
	im = &v[1];
	EXPECT(im->img.w == 2 && im->img.h == 2);
	EXPECTNEAR(im->img.px[0], sqrt(2.0 / 3), 1e-7);
	EXPECTNEAR(im->img.px[1], sqrt(2.0), 1e-7);
	EXPECTNEAR(im->img.px[2], sqrt(2.0 / 3), 1e-7);
	EXPECTNEAR(im->img.px[3], sqrt(2.0), 1e-7);
	EXPECT(im->lo == im->img.px[0] && im->hi == im->img.px[1]);

	im = &v[2];
	EXPECT(im->img.px[0] == 1 && im->img.px[1] == 2 && im->img.px[2] == 1 && im->img.px[3] == 1);
	EXPECT(im->lo == 1 && im->hi == 2);
	im = &v[3];
	EXPECT(im->img.px[0] == 3 && im->img.px[1] == 5 && im->img.px[2] == 3 && im->img.px[3] == 4);
	EXPECT(im->lo == 3 && im->hi == 5);

	EXPECT(prodstatscsv(p) == NULL);
	EXPECT(prodfrontcsv(p) == NULL);
out:
	delproducts(p);
}

TEST(constantstd)
{
	/* a constant pixel far from 0 has std exactly 0, not a rounding residue */
	struct prodspec s = {.std = true, .tsrow = -1, .tscol = -1};
	struct products *p = mkproducts(&s);
	const float a[] = {0.7f, 1000.1f}, b[] = {0.7f, 1000.3f};
	const struct prodimg *im;
	char err[256];

	add(p, 2, 1, a, 0, "a", err);
	add(p, 2, 1, b, 1, "b", err);
	add(p, 2, 1, a, 2, "a", err);
	EXPECTINT(prodfinish(p, err, sizeof(err)), 0);
	im = findimg(p, "std");
	EXPECT(im != NULL);
	if (im) {
		EXPECT(im->img.px[0] == 0);
		EXPECTNEAR(im->img.px[1], 0.2 * sqrt(2.0) / 3, 1e-4);
		EXPECT(im->lo == 0);
	}
	EXPECT(findimg(p, "mean") == NULL);
	delproducts(p);
}

TEST(order)
{
	struct prodspec s = {.max = true, .mean = true, .timestack = true, .tsrow = 0, .tscol = -1};
	struct products *p = mkproducts(&s);
	const struct prodimg *v;
	char err[256];

	add(p, 2, 2, f0, 0, "a", err);
	EXPECTINT(prodimages(p, &v), 0);
	EXPECTINT(prodfinish(p, err, sizeof(err)), 0);
	EXPECTINT(prodimages(p, &v), 3);
	EXPECTSTR(v[0].name, "mean");
	EXPECTSTR(v[1].name, "max");
	EXPECTSTR(v[2].name, "timestack");
	delproducts(p);
}

TEST(timestackrow)
{
	struct prodspec s = {.timestack = true, .tsrow = 1, .tscol = -1};
	struct products *p = mkproducts(&s);
	const struct prodimg *im;
	const float want[] = {3, 4, 1, 4, 2, 1};
	char err[256];
	int i;

	add(p, 2, 2, f0, 0, "a", err);
	add(p, 2, 2, f1, 1, "b", err);
	add(p, 2, 2, f2, 2, "c", err);
	EXPECTINT(prodfinish(p, err, sizeof(err)), 0);
	im = findimg(p, "timestack");
	EXPECT(im != NULL);
	if (im) {
		EXPECTINT(im->img.w, 2);
		EXPECTINT(im->img.h, 3);
		for (i = 0; i < 6; i++)
			EXPECT(im->img.px[i] == want[i]);
		EXPECT(im->lo == 1 && im->hi == 4);
	}
	delproducts(p);
}

TEST(timestackcolumn)
{
	struct prodspec s = {.timestack = true, .tsrow = -1, .tscol = 0};
	struct products *p = mkproducts(&s);
	const struct prodimg *im;
	const float want[] = {1, 3, 3, 1, 2, 2};
	char err[256];
	int i;

	add(p, 2, 2, f0, 0, "a", err);
	add(p, 2, 2, f1, 1, "b", err);
	add(p, 2, 2, f2, 2, "c", err);
	EXPECTINT(prodfinish(p, err, sizeof(err)), 0);
	im = findimg(p, "timestack");
	EXPECT(im != NULL);
	if (im) {
		EXPECTINT(im->img.w, 2);
		EXPECTINT(im->img.h, 3);
		for (i = 0; i < 6; i++)
			EXPECT(im->img.px[i] == want[i]);
	}
	delproducts(p);
}

TEST(timestackgrow)
{
	/* 3x1 frames, column 2, 40 frames: shape (40, 1), grows past the first allocation */
	struct prodspec s = {.timestack = true, .tsrow = -1, .tscol = 2};
	struct products *p = mkproducts(&s);
	const struct prodimg *im;
	char err[256];
	float px[3];
	int i, ok = 1;

	for (i = 0; i < 40; i++) {
		px[0] = -1;
		px[1] = -2;
		px[2] = i;
		EXPECTINT(add(p, 3, 1, px, i, "f", err), 0);
	}
	EXPECTINT(prodfinish(p, err, sizeof(err)), 0);
	im = findimg(p, "timestack");
	EXPECT(im != NULL);
	if (im) {
		EXPECTINT(im->img.w, 1);
		EXPECTINT(im->img.h, 40);
		for (i = 0; i < 40; i++)
			ok &= im->img.px[i] == i;
		EXPECT(ok);
		EXPECT(im->lo == 0 && im->hi == 39);
	}
	delproducts(p);
}

TEST(timestackoutside)
{
	struct prodspec s = {.timestack = true, .tsrow = 2, .tscol = -1};
	struct products *p = mkproducts(&s);
	char err[256];
	int nf, w, h;

	EXPECTINT(add(p, 2, 2, f0, 0, "a", err), -1);
	EXPECTSTR(err, "timestack row 2 is outside the 2x2 frame");
	prodsize(p, &nf, &w, &h);
	EXPECTINT(nf, 0);
	EXPECTINT(prodfinish(p, err, sizeof(err)), -1);
	EXPECTSTR(err, "no frames");
	delproducts(p);

	s.tsrow = -1;
	s.tscol = 3;
	p = mkproducts(&s);
	EXPECTINT(add(p, 3, 1, f0, 0, "a", err), -1);
	EXPECTSTR(err, "timestack column 3 is outside the 3x1 frame");
	delproducts(p);
}

TEST(stats)
{
	struct prodspec s = {.stats = true, .tsrow = -1, .tscol = -1};
	struct products *p = mkproducts(&s);
	char err[256];

	/* frame indices need not be contiguous (skipped frames) */
	add(p, 2, 2, f0, 0, "a.png", err);
	add(p, 2, 2, f1, 2, "b,c.png", err);
	add(p, 2, 2, f2, 5, "q\"x.png", err);
	EXPECTINT(prodfinish(p, err, sizeof(err)), 0);
	EXPECTSTR(prodstatscsv(p),
	          "index,file,mean,std,min,max\n"
	          "0,a.png,2.5,1.11803399,1,4\n"
	          "2,\"b,c.png\",2.5,1.11803399,1,4\n"
	          "5,\"q\"\"x.png\",2.5,1.5,1,5\n");
	EXPECT(prodfrontcsv(p) == NULL);
	delproducts(p);
}

TEST(statsempty)
{
	/* header only before any frame; 9 significant digits; CR and LF are quoted */
	struct prodspec s = {.stats = true, .tsrow = -1, .tscol = -1};
	struct products *p = mkproducts(&s);
	const float a[] = {1.0f / 3};
	char err[256];

	EXPECTSTR(prodstatscsv(p), "index,file,mean,std,min,max\n");
	add(p, 1, 1, a, 0, "x\ny", err);
	add(p, 1, 1, a, 1, "x\rz", err);
	EXPECTSTR(prodstatscsv(p),
	          "index,file,mean,std,min,max\n"
	          "0,\"x\ny\",0.333333343,0,0.333333343,0.333333343\n"
	          "1,\"x\rz\",0.333333343,0,0.333333343,0.333333343\n");
	delproducts(p);
}

TEST(global)
{
	struct prodspec s = {.tsrow = -1, .tscol = -1};
	struct products *p = mkproducts(&s);
	const float a[] = {0, 2}, b[] = {4, 6};
	char err[256];
	double m, sd;

	/* 0, 2, 4, 6: mean 3, population variance 5 */
	add(p, 2, 1, a, 0, "a", err);
	add(p, 2, 1, b, 1, "b", err);
	EXPECTINT(prodfinish(p, err, sizeof(err)), 0);
	prodglobal(p, &m, &sd);
	EXPECTNEAR(m, 3, 1e-12);
	EXPECTNEAR(sd, sqrt(5.0), 1e-12);
	delproducts(p);

	/* 1, 3, 5 as 1x1 frames: variance 8/3; 2x2 frames f0, f1, f2: variance 19/12 */
	p = mkproducts(&s);
	add(p, 1, 1, (const float[]){1}, 0, "a", err);
	add(p, 1, 1, (const float[]){3}, 1, "b", err);
	add(p, 1, 1, (const float[]){5}, 2, "c", err);
	prodglobal(p, &m, &sd);
	EXPECTNEAR(m, 3, 1e-12);
	EXPECTNEAR(sd, sqrt(8.0 / 3), 1e-12);
	delproducts(p);

	p = mkproducts(&s);
	add(p, 2, 2, f0, 0, "a", err);
	add(p, 2, 2, f1, 1, "b", err);
	add(p, 2, 2, f2, 2, "c", err);
	prodglobal(p, &m, &sd);
	EXPECTNEAR(m, 2.5, 1e-12);
	EXPECTNEAR(sd, sqrt(19.0 / 12), 1e-12);
	delproducts(p);
}

TEST(blocks)
{
	/*
	 * 61 x 73 frames: more pixels than one block of prodadd, and a tail that is not a
	 * whole lane chunk; the extremes sit in the second block and in the tail
	 */
	enum { FW = 61, FH = 73, NPX = FW * FH, NFR = 3 };
	struct prodspec s = {.mean = true, .std = true, .min = true, .max = true, .stats = true,
	                     .tsrow = -1, .tscol = -1};
	struct products *p = mkproducts(&s);
	static float px[NFR][NPX];
	const struct prodimg *im;
	const char *csv;
	char err[256], name[16];
	double sum, m2, mean, gsum = 0, gm2 = 0, gm, gsd, a, v;
	float lo, hi, mnlo, mnhi, mxlo, mxhi;
	int i, k, row, ok;

	for (k = 0; k < NFR; k++) {
		for (i = 0; i < NPX; i++)
			px[k][i] = (float)((i * 37 + k * 11) % 101 - 50) / 8;
		px[k][3000 + k] = 77.5f;
		px[k][NPX - 1 - k] = -100.25f;
		EXPECTINT(add(p, FW, FH, px[k], k, "f", err), 0);
	}
	EXPECTINT(prodfinish(p, err, sizeof(err)), 0);

	/* stats.csv: every frame's mean, std, min and max over all its pixels */
	csv = prodstatscsv(p);
	csv = csv ? strchr(csv, '\n') : NULL;
	for (k = 0; k < NFR && csv; k++) {
		sum = 0;
		for (i = 0; i < NPX; i++)
			sum += px[k][i];
		mean = sum / NPX;
		m2 = 0;
		for (i = 0; i < NPX; i++)
			m2 += (px[k][i] - mean) * (px[k][i] - mean);
		gsum += sum;
		EXPECT(sscanf(csv + 1, "%d,%15[^,],%lf,%lf,%f,%f", &row, name, &a, &v, &lo, &hi) == 6);
		EXPECTINT(row, k);
		EXPECTNEAR(a, mean, 1e-8);
		EXPECTNEAR(v, sqrt(m2 / NPX), 1e-8);
		EXPECT(lo == -100.25f && hi == 77.5f);
		csv = strchr(csv + 1, '\n');
	}
	EXPECT(csv != NULL);
	gm = gsum / (NFR * NPX);
	for (k = 0; k < NFR; k++)
		for (i = 0; i < NPX; i++)
			gm2 += (px[k][i] - gm) * (px[k][i] - gm);
	prodglobal(p, &a, &gsd);
	EXPECTNEAR(a, gm, 1e-9);
	EXPECTNEAR(gsd, sqrt(gm2 / (NFR * NPX)), 1e-9);

	/* the pixelwise images, every pixel */
	ok = 1;
	mnlo = mxlo = INFINITY;
	mnhi = mxhi = -INFINITY;
	for (i = 0; i < NPX; i++) {
		mean = (px[0][i] + px[1][i] + px[2][i]) / 3.0;
		m2 = 0;
		for (k = 0; k < NFR; k++)
			m2 += (px[k][i] - mean) * (px[k][i] - mean);
		lo = fminf(px[0][i], fminf(px[1][i], px[2][i]));
		hi = fmaxf(px[0][i], fmaxf(px[1][i], px[2][i]));
		ok &= (im = findimg(p, "mean")) && fabs(im->img.px[i] - mean) < 1e-5;
		ok &= (im = findimg(p, "std")) && fabs(im->img.px[i] - sqrt(m2 / NFR)) < 1e-5;
		ok &= (im = findimg(p, "min")) && im->img.px[i] == lo;
		ok &= (im = findimg(p, "max")) && im->img.px[i] == hi;
		mnlo = fminf(mnlo, lo);
		mnhi = fmaxf(mnhi, lo);
		mxlo = fminf(mxlo, hi);
		mxhi = fmaxf(mxhi, hi);
	}
	EXPECT(ok);
	im = findimg(p, "min");
	EXPECT(im && im->lo == mnlo && im->hi == mnhi && mnlo == -100.25f);
	im = findimg(p, "max");
	EXPECT(im && im->lo == mxlo && im->hi == mxhi && mxhi == 77.5f);
	delproducts(p);
}

/* front.csv of one frame w x h px with level and side */
static void
front1(int w, int h, const float *px, double level, enum fromside from, const char *want, int line)
{
	struct prodspec s = {.front = true, .frontlevel = level, .frontfrom = from, .tsrow = -1, .tscol = -1};
	struct products *p = mkproducts(&s);
	char err[256];
	const char *got;

	add(p, w, h, px, 7, "f.png", err);
	got = prodfrontcsv(p);
	if (!got || strcmp(got, want)) {
		printf("  line %d: front.csv is\n    \"%s\"\n  expected\n    \"%s\"\n", line, got ? got : "(null)", want);
		testfailed = 1;
	}
	delproducts(p);
}

#define FRONT(w, h, px, level, from, pos) \
	front1(w, h, px, level, from, "index,file,position\n7,f.png," pos "\n", __LINE__)

TEST(frontcolumns)
{
	/* 5x2, column means p = 1, 0.75, 0.5, 0, 0 */
	const float dec[] = {1, 1, 0.5f, 0, 0, 1, 0.5f, 0.5f, 0, 0};
	/* 5x2, column means p = 0, 0, 0.5, 1, 1 */
	const float inc[] = {0, 0, 0.5f, 1, 1, 0, 0, 0.5f, 1, 1};

	FRONT(5, 2, dec, 0.6, FROMLEFT, "1.6000");   /* x* = 1: 1 + 0.15 / 0.25 */
	FRONT(5, 2, dec, 0.6, FROMRIGHT, "0.0000");  /* x* = 0 */
	FRONT(5, 2, dec, 0, FROMLEFT, "4.0000");     /* x* = last index */
	FRONT(5, 2, dec, 1.5, FROMLEFT, "");         /* nothing reaches the level */
	FRONT(5, 2, dec, 1.5, FROMRIGHT, "");
	FRONT(5, 2, dec, 1, FROMLEFT, "0.0000");     /* p[x*] equal to the level */
	FRONT(5, 2, inc, 0.25, FROMRIGHT, "1.5000"); /* x* = 2: 2 - 0.25 / 0.5 */
	FRONT(5, 2, inc, 0.25, FROMLEFT, "4.0000");  /* x* = last index */
	FRONT(5, 2, inc, 0.9, FROMRIGHT, "2.8000");  /* x* = 3: 3 - 0.1 / 0.5 */
	FRONT(5, 2, inc, 0.9, FROMTOP, "");          /* rows: means 0.5, 0.5 */
}

TEST(frontrows)
{
	/* 2x4, row means p = 1, 0.5, 0, 0 */
	const float dec[] = {1, 1, 1, 0, 0, 0, 0, 0};
	/* 2x4, row means p = 0, 0, 0.5, 1 */
	const float inc[] = {0, 0, 0, 0, 1, 0, 1, 1};

	FRONT(2, 4, dec, 0.25, FROMTOP, "1.5000");    /* y* = 1: 1 + 0.25 / 0.5 */
	FRONT(2, 4, dec, 0.25, FROMBOTTOM, "0.0000"); /* y* = 0 */
	FRONT(2, 4, dec, 2, FROMTOP, "");
	FRONT(2, 4, inc, 0.25, FROMBOTTOM, "1.5000"); /* y* = 2: 2 - 0.25 / 0.5 */
	FRONT(2, 4, inc, 0.25, FROMTOP, "3.0000");    /* y* = last index */
	FRONT(2, 4, inc, 0.75, FROMLEFT, "");         /* columns: means 0.5, 0.25 */
	FRONT(2, 4, inc, 0.25, FROMLEFT, "1.0000");
}

/* the same figures, to the bit */
static bool
samefig(const struct prodfig *a, const struct prodfig *b)
{
	return memcmp(&a->mean, &b->mean, sizeof(a->mean)) == 0 && memcmp(&a->m2, &b->m2, sizeof(a->m2)) == 0 &&
	       memcmp(&a->lo, &b->lo, sizeof(a->lo)) == 0 && memcmp(&a->hi, &b->hi, sizeof(a->hi)) == 0 &&
	       a->front == b->front && (!a->front || memcmp(&a->pos, &b->pos, sizeof(a->pos)) == 0);
}

TEST(rows)
{
	/* figures taken row by row (as a last blur hands them on) are prodfigure's; rows that skip
	   one, a frame of another size, or rows left out give none, and a new first row starts over */
	static const enum fromside sides[] = {FROMLEFT, FROMRIGHT, FROMTOP, FROMBOTTOM};
	enum { FW = 37, FH = 11 };
	float px[FW * FH];
	struct prodspec s = {.stats = true, .front = true, .frontlevel = 0.4, .tsrow = -1, .tscol = -1};
	struct prodfig whole, byrow;
	struct frame f;
	struct products *p;
	struct prodrows *r;
	size_t k;
	int i, y;

	for (i = 0; i < FW * FH; i++)
		px[i] = (float)((i * 7919) % 1013) / 1013 * (i % 2 ? 1e3f : 1e-3f);
	f = mkframe(FW, FH, px, 0, "f.png");
	for (k = 0; k < sizeof(sides) / sizeof(sides[0]); k++) {
		s.frontfrom = sides[k];
		p = mkproducts(&s);
		r = mkprodrows(p);
		prodfigure(p, &f, &whole);
		/* a first attempt cut short, then the frame from its first row */
		for (y = 0; y < 4; y++)
			prodrowstake(r, px + y * FW, y, FW, FH);
		for (y = 0; y < FH; y++)
			prodrowstake(r, px + y * FW, y, FW, FH);
		EXPECT(prodrowsfigure(r, &f, &byrow));
		EXPECT(samefig(&whole, &byrow));
		EXPECT(whole.front);
		/* taken once: again, with no rows since, gives none */
		EXPECT(!prodrowsfigure(r, &f, &byrow));
		for (y = 0; y < FH; y++) {
			if (y != 5)
				prodrowstake(r, px + y * FW, y, FW, FH);
		}
		EXPECT(!prodrowsfigure(r, &f, &byrow));
		for (y = 0; y < FH - 1; y++)
			prodrowstake(r, px + y * FW, y, FW, FH);
		EXPECT(!prodrowsfigure(r, &f, &byrow));
		for (y = 0; y < FH; y++)
			prodrowstake(r, px + y * FW, y, FW, y < 3 ? FH : FH + 1);
		EXPECT(!prodrowsfigure(r, &f, &byrow));
		delprodrows(r);
		delproducts(p);
	}
	delimg(&f.img);
}

TEST(frontspeed)
{
	struct prodspec s = {.front = true, .frontlevel = 0.5, .frontfrom = FROMLEFT, .tsrow = -1, .tscol = -1};
	struct products *p = mkproducts(&s);
	const float a[] = {1, 0, 0, 0}, b[] = {1, 1, 0, 0}, c[] = {1, 1, 1, 0}, z[] = {0, 0, 0, 0};
	char err[256];
	double v = -1;

	/* positions 0.5, 1.5, 2.5 at indices 0, 1, 3 (index 2 has none): slope 3 / (14/3) = 9/14 */
	add(p, 4, 1, a, 0, "a", err);
	add(p, 4, 1, b, 1, "b,1", err);
	add(p, 4, 1, z, 2, "z", err);
	add(p, 4, 1, c, 3, "c", err);
	EXPECTINT(prodfinish(p, err, sizeof(err)), 0);
	EXPECTSTR(prodfrontcsv(p),
	          "index,file,position\n"
	          "0,a,0.5000\n"
	          "1,\"b,1\",1.5000\n"
	          "2,z,\n"
	          "3,c,2.5000\n");
	EXPECT(prodfrontspeed(p, &v));
	EXPECTNEAR(v, 9.0 / 14, 1e-12);
	delproducts(p);

	/* one front only */
	p = mkproducts(&s);
	add(p, 4, 1, a, 0, "a", err);
	add(p, 4, 1, z, 1, "z", err);
	EXPECTINT(prodfinish(p, err, sizeof(err)), 0);
	EXPECT(!prodfrontspeed(p, &v));
	delproducts(p);

	/* front off */
	s.front = false;
	s.mean = true;
	p = mkproducts(&s);
	add(p, 4, 1, a, 0, "a", err);
	add(p, 4, 1, b, 1, "b", err);
	EXPECTINT(prodfinish(p, err, sizeof(err)), 0);
	EXPECT(!prodfrontspeed(p, &v));
	EXPECT(prodfrontcsv(p) == NULL);
	delproducts(p);
}

TEST(errors)
{
	struct prodspec s = {.mean = true, .stats = true, .tsrow = -1, .tscol = -1};
	struct products *p = mkproducts(&s);
	const struct prodimg *im;
	char err[256];
	int nf, w, h;

	EXPECTINT(prodfinish(p, err, sizeof(err)), -1);
	EXPECTSTR(err, "no frames");
	EXPECTINT(add(p, 2, 2, f0, 0, "a", err), 0);
	EXPECTINT(add(p, 3, 1, f1, 1, "b", err), -1);
	EXPECTSTR(err, "frame is 3x1, earlier frames are 2x2");
	EXPECTINT(add(p, 1, 4, f1, 2, "c", err), -1);
	EXPECTSTR(err, "frame is 1x4, earlier frames are 2x2");
	/* the refused frames left nothing behind */
	prodsize(p, &nf, &w, &h);
	EXPECTINT(nf, 1);
	EXPECTSTR(prodstatscsv(p), "index,file,mean,std,min,max\n0,a,2.5,1.11803399,1,4\n");
	EXPECTINT(prodfinish(p, err, sizeof(err)), 0);
	im = findimg(p, "mean");
	EXPECT(im && im->img.px[3] == 4);
	EXPECTINT(add(p, 2, 2, f0, 3, "d", err), -1);
	EXPECTSTR(err, "frame added after the last one");
	delproducts(p);
}

int
main(void)
{
	RUN(pixelwise);
	RUN(constantstd);
	RUN(order);
	RUN(timestackrow);
	RUN(timestackcolumn);
	RUN(timestackgrow);
	RUN(timestackoutside);
	RUN(stats);
	RUN(statsempty);
	RUN(global);
	RUN(blocks);
	RUN(frontcolumns);
	RUN(frontrows);
	RUN(rows);
	RUN(frontspeed);
	RUN(errors);
	return TESTEXIT();
}
