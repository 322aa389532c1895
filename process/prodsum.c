#include <math.h>
#include <string.h>

#include "prodsum.h"
#include "simd.h"

/* pixels of a block of pixaccadd: its accumulators stay in the first-level cache across the frames */
enum { ACCBLOCK = 1024 };
/* frames pixaccadd adds in one pass over a block's accumulators (the rest one by one) */
enum { ADDFRAMES = 4 };

/* acc[j] += v[i] for the i = j mod LANES of the whole chunks of v[0..n), then the rest into acc[0] */
SIMDINLINE void
lanesum(double *acc, const float *v, size_t n)
{
	double a[LANES];
	size_t i, j, m = n - n % LANES;

	/* a local copy stays in registers */
	memcpy(a, acc, sizeof(a));
	for (i = 0; i < m; i += LANES)
#pragma GCC unroll 8
		for (j = 0; j < LANES; j++)
			a[j] += v[i + j];
	for (; i < n; i++)
		a[0] += v[i];
	memcpy(acc, a, sizeof(a));
}

double
lanetotal(const double *acc)
{
	double sum = 0;
	size_t j;

	for (j = 0; j < LANES; j++)
		sum += acc[j];
	return sum;
}

double
sumf(const float *v, size_t n)
{
	double acc[LANES] = {0};

	lanesum(acc, v, n);
	return lanetotal(acc);
}

/* *out = the sum of (v[i] - c)^2 over v[0..n) in double */
SIMDINLINE void
sumsqdevvbody(const float *v, size_t n, double c, double *out)
{
	double acc[LANES] = {0}, d;
	size_t i, j, m = n - n % LANES;

	for (i = 0; i < m; i += LANES) {
#pragma GCC unroll 8
		for (j = 0; j < LANES; j++) {
			d = v[i + j] - c;
			acc[j] += d * d;
		}
	}
	for (; i < n; i++) {
		d = v[i] - c;
		acc[0] += d * d;
	}
	*out = lanetotal(acc);
}
SIMDCLONES(sumsqdevv, (const float *v, size_t n, double c, double *out), (v, n, c, out))

double
sumsqdev(const float *v, size_t n, double c)
{
	double s;

	sumsqdevv(v, n, c, &s);
	return s;
}

void
extinit(struct extremes *e, float v0)
{
	size_t i;

	for (i = 0; i < BLOCK; i++)
		e->lo[i] = e->hi[i] = v0;
	e->n = 0;
}

/* take the values v[0..n) into offsets s..s+n-1 (s + n <= BLOCK) */
SIMDINLINE void
extadd(struct extremes *e, size_t s, const float *restrict v, size_t n)
{
	float *restrict lo = e->lo + s, *restrict hi = e->hi + s;
	size_t i;

	for (i = 0; i < n; i++) {
		lo[i] = v[i] < lo[i] ? v[i] : lo[i];
		hi[i] = v[i] > hi[i] ? v[i] : hi[i];
	}
	if (s + n > e->n)
		e->n = s + n;
}

void
extfinish(const struct extremes *e, float *lo, float *hi)
{
	size_t i;

	*lo = e->lo[0];
	*hi = e->hi[0];
	for (i = 1; i < e->n; i++) {
		*lo = e->lo[i] < *lo ? e->lo[i] : *lo;
		*hi = e->hi[i] > *hi ? e->hi[i] : *hi;
	}
}

/* a pass over the npx pixels px: their lane sums into sum (or NULL: none), their values into e */
SIMDINLINE void
framestatsvbody(const float *px, size_t npx, double *sum, struct extremes *e)
{
	size_t i, nb;

	for (i = 0; i < npx; i += nb) {
		nb = npx - i < BLOCK ? npx - i : BLOCK;
		if (sum)
			lanesum(sum, px + i, nb);
		extadd(e, 0, px + i, nb);
	}
}
SIMDCLONES(framestatsv, (const float *px, size_t npx, double *sum, struct extremes *e), (px, npx, sum, e))

/*
 * The n pixels v, pixel off of the frame, to f with the lane sums a: a pixel's lane and
 * extremes' offset are framestats' (its index mod LANES, the last npx mod LANES pixels
 * in lane 0; its index mod BLOCK), so each lane and offset sees the frame's values in
 * frame order.
 */
SIMDINLINE void
figpixels(struct figrows *f, double *restrict a, const float *restrict v, size_t off, size_t n)
{
	size_t npx = (size_t)f->w * (size_t)f->h, m = npx - npx % LANES, end = off + n, i, j, s, k;
	double b[LANES];

	/* up to the next multiple of LANES, whole groups of LANES before m, then the rest; the
	   groups' sums in a copy that stays in registers (a, indexed by a variable, cannot) */
	for (i = off; i < end && i % LANES; i++)
		a[i < m ? i % LANES : 0] += v[i - off];
	memcpy(b, a, sizeof(b));
	for (; i + LANES <= end && i + LANES <= m; i += LANES)
#pragma GCC unroll 8
		for (j = 0; j < LANES; j++)
			b[j] += v[i - off + j];
	memcpy(a, b, sizeof(b));
	for (; i < end; i++)
		a[i < m ? i % LANES : 0] += v[i - off];
	for (i = off; i < end; i += k) {
		s = i % BLOCK;
		k = end - i < BLOCK - s ? end - i : BLOCK - s;
		extadd(&f->ext, s, v + (i - off), k);
	}
}

/* a row goes to figpixels this many pixels at a time, each piece's column sums after it:
   the lanes' additions, each waiting for the last, overlap the other loops' work */
enum { FIGPIECE = 128 };

SIMDINLINE void
figrowsaddvbody(struct figrows *f, const float *px, int n)
{
	double a[LANES], *restrict col = f->col;
	const float *restrict row;
	size_t w = (size_t)f->w, x, k, p;
	int r;

	if (n < 1)
		return;
	if (f->y == 0)
		extinit(&f->ext, px[0]);
	/* the lane sums, kept here for the whole call */
	memcpy(a, f->sum, sizeof(a));
	for (r = 0; r < n; r++, f->y++) {
		row = px + (size_t)r * w;
		for (p = 0; p < w; p += k) {
			k = w - p < FIGPIECE ? w - p : FIGPIECE;
			figpixels(f, a, row + p, (size_t)f->y * w + p, k);
			if (col) {
				for (x = p; x < p + k; x++)
					col[x] += row[x];
			}
		}
		if (f->row)
			f->row[f->y] = sumf(row, w);
	}
	memcpy(f->sum, a, sizeof(a));
}
SIMDCLONES(figrowsaddv, (struct figrows *f, const float *px, int n), (f, px, n))

void
figrowsinit(struct figrows *f, int w, int h, double *col, double *row)
{
	int x;

	memset(f->sum, 0, sizeof(f->sum));
	f->ext.n = 0;
	f->col = col;
	f->row = row;
	f->w = w;
	f->h = h;
	f->y = 0;
	for (x = 0; col && x < w; x++)
		col[x] = 0;
}

void
figrowsadd(struct figrows *f, const float *px, int n)
{
	figrowsaddv(f, px, n);
}

void
minmaxf(const float *v, size_t n, float *lo, float *hi)
{
	struct extremes e;

	extinit(&e, v[0]);
	framestatsv(v, n, NULL, &e);
	extfinish(&e, lo, hi);
}

/*
 * Add the nx <= ADDFRAMES frames x[0..nx), pixels off..off+n of each, to the
 * accumulators, in that order: each pixel's sums and extremes take them one by one, as
 * nx passes of one frame would, but its accumulators are read and written once for all
 * nx (in registers). nx is a constant where this is inlined, so the frames' loop unrolls
 * and the pixels' loop vectorises.
 */
SIMDINLINE void
addpixelwise(const struct pixacc *a, const float *const *x, int nx, size_t off, size_t n)
{
	const float *restrict k;
	double *restrict s1, *restrict s2, d[ADDFRAMES], u, v;
	float *restrict m, e;
	size_t i;
	int j;

	if (a->s2) {
		k = a->k + off;
		s1 = a->s1 + off;
		s2 = a->s2 + off;
		for (i = 0; i < n; i++) {
#pragma GCC unroll 4
			for (j = 0; j < nx; j++)
				d[j] = (double)x[j][off + i] - k[i];
			u = s1[i];
			v = s2[i];
#pragma GCC unroll 4
			for (j = 0; j < nx; j++) {
				u += d[j];
				v += d[j] * d[j];
			}
			s1[i] = u;
			s2[i] = v;
		}
	} else if (a->s1) {
		k = a->k + off;
		s1 = a->s1 + off;
		for (i = 0; i < n; i++) {
			u = s1[i];
#pragma GCC unroll 4
			for (j = 0; j < nx; j++)
				u += (double)x[j][off + i] - k[i];
			s1[i] = u;
		}
	}
	if (a->mn) {
		m = a->mn + off;
		for (i = 0; i < n; i++) {
			e = m[i];
#pragma GCC unroll 4
			for (j = 0; j < nx; j++)
				e = x[j][off + i] < e ? x[j][off + i] : e;
			m[i] = e;
		}
	}
	if (a->mx) {
		m = a->mx + off;
		for (i = 0; i < n; i++) {
			e = m[i];
#pragma GCC unroll 4
			for (j = 0; j < nx; j++)
				e = x[j][off + i] > e ? x[j][off + i] : e;
			m[i] = e;
		}
	}
}

SIMDINLINE void
pixaccaddvbody(const struct pixacc *a, const float *const *x, int nx)
{
	size_t i, nb;
	int j;

	for (i = 0; i < a->npx; i += nb) {
		nb = a->npx - i < ACCBLOCK ? a->npx - i : ACCBLOCK;
		for (j = 0; j + ADDFRAMES <= nx; j += ADDFRAMES)
			addpixelwise(a, x + j, ADDFRAMES, i, nb);
		for (; j < nx; j++)
			addpixelwise(a, x + j, 1, i, nb);
	}
}
SIMDCLONES(pixaccaddv, (const struct pixacc *a, const float *const *x, int nx), (a, x, nx))

void
pixaccadd(const struct pixacc *a, const float *const *x, int nx)
{
	pixaccaddv(a, x, nx);
}

SIMDINLINE void
meanimagevbody(float *restrict px, const float *restrict k, const double *restrict s1, double nf, size_t npx)
{
	size_t i;

	for (i = 0; i < npx; i++)
		px[i] = (float)(k[i] + s1[i] / nf);
}
SIMDCLONES(meanimagev, (float *restrict px, const float *restrict k, const double *restrict s1, double nf, size_t npx),
           (px, k, s1, nf, npx))

void
meanimage(float *px, const float *k, const double *s1, double nf, size_t npx)
{
	meanimagev(px, k, s1, nf, npx);
}

SIMDINLINE void
stdimagevbody(float *restrict px, const double *restrict s1, const double *restrict s2, double nf, size_t npx)
{
	double a, v;
	size_t i;

	for (i = 0; i < npx; i++) {
		a = s1[i] / nf;
		v = s2[i] / nf - a * a;
		px[i] = (float)sqrt(v > 0 ? v : 0);
	}
}
SIMDCLONES(stdimagev, (float *restrict px, const double *restrict s1, const double *restrict s2, double nf, size_t npx),
           (px, s1, s2, nf, npx))

void
stdimage(float *px, const double *s1, const double *s2, double nf, size_t npx)
{
	stdimagev(px, s1, s2, nf, npx);
}
