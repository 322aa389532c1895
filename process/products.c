#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/space.h"
#include "common/util.h"
#include "products.h"
#include "simd.h"

/*
 * LANES partial sums per reduction, so the compiler can vectorise the sums; prodadd
 * goes over a frame in blocks of BLOCK pixels, a multiple of LANES, so the lanes see
 * the same values in the same order as one pass over the whole frame would.
 */
enum { LANES = 8, BLOCK = 2048 };

struct products {
	struct prodspec s;       /* what to compute */
	int nframes, w, h;       /* frames added and their size (0 x 0 before the first) */
	size_t npx;              /* w * h */
	bool finished;           /* prodfinish done */

	float *k;                /* mean/std: the first frame, the shift of s1 and s2 */
	double *s1, *s2;         /* mean/std: per pixel sums of x - k and (x - k)^2 */
	float *mn, *mx;          /* min/max: per pixel extremes */

	float *ts;               /* timestack: one row of tsw values per frame */
	int tsw;                 /* timestack: values per row (frame width or height) */
	size_t tscap;            /* timestack: rows allocated */

	struct buf stats;        /* stats.csv text */
	struct buf frames;       /* the per-frame record (index,mean,min,max), kept whatever the products */
	struct buf front;        /* front.csv text */
	double *prof;            /* front: the profile of the current frame */
	int nprof;               /* front: its length */
	int nfront;              /* front: frames with a front */
	double fx0, fy0;         /* front: index and position of the first front, the shift of the sums */
	double fsx, fsy, fsxx, fsxy; /* front: sums of shifted index, position, their squares and product */

	double gcount, gmean, gm2;   /* all pixels: count, mean and sum of squared deviations */

	struct prodimg imgs[5];  /* finished image products */
	size_t nimgs;            /* how many */
};

struct products *
mkproducts(const struct prodspec *s)
{
	struct products *p = xcalloc(1, sizeof(*p));

	p->s = *s;
	bufinit(&p->stats);
	bufinit(&p->frames);
	bufinit(&p->front);
	bufputs(&p->frames, "index,mean,min,max\n");
	if (p->s.stats)
		bufputs(&p->stats, "index,file,mean,std,min,max\n");
	if (p->s.front)
		bufputs(&p->front, "index,file,position\n");
	return p;
}

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

/* the sum of the LANES partial sums */
static double
lanetotal(const double *acc)
{
	double sum = 0;
	size_t j;

	for (j = 0; j < LANES; j++)
		sum += acc[j];
	return sum;
}

/* sum of v[0..n) in double */
static double
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

/* sum of (v[i] - c)^2 over v[0..n) in double */
static double
sumsqdev(const float *v, size_t n, double c)
{
	double s;

	sumsqdevv(v, n, c, &s);
	return s;
}

/*
 * The running extremes of a stream of values, kept per offset within a block so that
 * the loops vectorise (min and max are exact: any grouping gives the same result).
 * Every slot starts at the first value, as one scalar pass would.
 */
struct extremes {
	float lo[BLOCK], hi[BLOCK];  /* smallest and largest value seen at each offset */
	size_t n;                    /* offsets used so far */
};

/* start with the value v0 (the first of the stream) */
static void
extinit(struct extremes *e, float v0)
{
	size_t i;

	for (i = 0; i < BLOCK; i++)
		e->lo[i] = e->hi[i] = v0;
	e->n = 0;
}

/* take the n <= BLOCK values v[0..n) into offsets 0..n-1 */
SIMDINLINE void
extadd(struct extremes *e, const float *restrict v, size_t n)
{
	float *restrict lo = e->lo, *restrict hi = e->hi;
	size_t i;

	for (i = 0; i < n; i++) {
		lo[i] = v[i] < lo[i] ? v[i] : lo[i];
		hi[i] = v[i] > hi[i] ? v[i] : hi[i];
	}
	if (n > e->n)
		e->n = n;
}

/* the smallest and largest value seen */
static void
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

/* smallest and largest of v[0..n), n >= 1 */
static void
minmaxf(const float *v, size_t n, float *lo, float *hi)
{
	struct extremes e;
	size_t i, nb;

	extinit(&e, v[0]);
	for (i = 0; i < n; i += nb) {
		nb = n - i < BLOCK ? n - i : BLOCK;
		extadd(&e, v + i, nb);
	}
	extfinish(&e, lo, hi);
}

/* append name to b as one CSV field (RFC 4180 quoting only when needed) */
static void
csvfield(struct buf *b, const char *name)
{
	const char *c;

	if (!strpbrk(name, ",\"\r\n")) {
		bufputs(b, name);
		return;
	}
	bufputc(b, '"');
	for (c = name; *c; c++) {
		if (*c == '"')
			bufputc(b, '"');
		bufputc(b, *c);
	}
	bufputc(b, '"');
}

/* the first frame: fix the size and allocate the accumulators; nothing changes on error */
static int
start(struct products *p, const struct img *im, char *err, size_t n)
{
	size_t npx = (size_t)im->w * (size_t)im->h;

	if (p->s.timestack && p->s.tsrow >= 0 && p->s.tsrow >= im->h)
		return seterr(err, n, "timestack row %d is outside the %dx%d frame", p->s.tsrow, im->w, im->h);
	if (p->s.timestack && p->s.tsrow < 0 && (p->s.tscol < 0 || p->s.tscol >= im->w))
		return seterr(err, n, "timestack column %d is outside the %dx%d frame", p->s.tscol, im->w, im->h);
	p->w = im->w;
	p->h = im->h;
	p->npx = npx;
	if (p->s.mean || p->s.std) {
		p->k = xreallocarray(NULL, npx, sizeof(float));
		memcpy(p->k, im->px, npx * sizeof(float));
		p->s1 = xcalloc(npx, sizeof(double));
	}
	if (p->s.std)
		p->s2 = xcalloc(npx, sizeof(double));
	if (p->s.min) {
		p->mn = xreallocarray(NULL, npx, sizeof(float));
		memcpy(p->mn, im->px, npx * sizeof(float));
	}
	if (p->s.max) {
		p->mx = xreallocarray(NULL, npx, sizeof(float));
		memcpy(p->mx, im->px, npx * sizeof(float));
	}
	if (p->s.timestack)
		p->tsw = p->s.tsrow >= 0 ? im->w : im->h;
	if (p->s.front) {
		p->nprof = p->s.frontfrom == FROMLEFT || p->s.frontfrom == FROMRIGHT ? im->w : im->h;
		p->prof = xreallocarray(NULL, p->nprof, sizeof(double));
	}
	return 0;
}

/* add the n pixels x[0..n), at offset off in the frame, to the pixelwise accumulators */
SIMDINLINE void
addpixelwise(struct products *p, const float *restrict x, size_t off, size_t n)
{
	const float *restrict k;
	double *restrict s1, *restrict s2, d;
	float *restrict m;
	size_t i;

	if (p->s2) {
		k = p->k + off;
		s1 = p->s1 + off;
		s2 = p->s2 + off;
		for (i = 0; i < n; i++) {
			d = (double)x[i] - k[i];
			s1[i] += d;
			s2[i] += d * d;
		}
	} else if (p->s1) {
		k = p->k + off;
		s1 = p->s1 + off;
		for (i = 0; i < n; i++)
			s1[i] += (double)x[i] - k[i];
	}
	if (p->mn) {
		m = p->mn + off;
		for (i = 0; i < n; i++)
			m[i] = x[i] < m[i] ? x[i] : m[i];
	}
	if (p->mx) {
		m = p->mx + off;
		for (i = 0; i < n; i++)
			m[i] = x[i] > m[i] ? x[i] : m[i];
	}
}

/*
 * One pass over the frame px in blocks (a block stays in cache from one loop to the
 * next): the pixelwise accumulators, the frame's lane sums and its extremes.
 */
SIMDINLINE void
framepassbody(struct products *p, const float *px, double *sum, struct extremes *ext)
{
	size_t i, nb;

	for (i = 0; i < p->npx; i += nb) {
		nb = p->npx - i < BLOCK ? p->npx - i : BLOCK;
		addpixelwise(p, px + i, i, nb);
		lanesum(sum, px + i, nb);
		extadd(ext, px + i, nb);
	}
}
SIMDCLONES(framepass, (struct products *p, const float *px, double *sum, struct extremes *ext), (p, px, sum, ext))

/* append the timestack row of im */
static void
addtimestack(struct products *p, const struct img *im)
{
	float *row;
	int y;

	if ((size_t)p->nframes == p->tscap) {
		p->tscap = p->tscap ? p->tscap * 2 : 16;
		p->ts = xreallocarray(p->ts, p->tscap, (size_t)p->tsw * sizeof(float));
	}
	row = p->ts + (size_t)p->nframes * p->tsw;
	if (p->s.tsrow >= 0) {
		memcpy(row, im->px + (size_t)p->s.tsrow * im->w, (size_t)im->w * sizeof(float));
		return;
	}
	for (y = 0; y < im->h; y++)
		row[y] = im->px[(size_t)y * im->w + p->s.tscol];
}

/* the front position along the profile, or false when no value reaches the level */
static bool
frontpos(const double *prof, int len, double level, bool fromstart, double *pos)
{
	int i;

	if (fromstart) {
		for (i = len - 1; i >= 0 && prof[i] < level; i--)
			;
		if (i < 0)
			return false;
		*pos = i == len - 1 ? i : i + (prof[i] - level) / (prof[i] - prof[i + 1]);
		return true;
	}
	for (i = 0; i < len && prof[i] < level; i++)
		;
	if (i == len)
		return false;
	*pos = i == 0 ? 0 : i - (prof[i] - level) / (prof[i] - prof[i - 1]);
	return true;
}

/* prof[x] = the mean of column x of the w x h pixels px, summed from the top in double */
SIMDINLINE void
colmeansbody(double *restrict prof, const float *restrict px, int w, int h)
{
	const float *row;
	int x, y;

	for (x = 0; x < w; x++)
		prof[x] = 0;
	for (y = 0; y < h; y++) {
		row = px + (size_t)y * w;
		for (x = 0; x < w; x++)
			prof[x] += row[x];
	}
	for (x = 0; x < w; x++)
		prof[x] /= h;
}
SIMDCLONES(colmeans, (double *restrict prof, const float *restrict px, int w, int h), (prof, px, w, h))

/* the front.csv row of f and the sums of the front speed */
static void
addfront(struct products *p, const struct frame *f)
{
	const struct img *im = &f->img;
	double *prof = p->prof, pos, dx, dy;
	bool bycol, found;
	int y;

	bycol = p->s.frontfrom == FROMLEFT || p->s.frontfrom == FROMRIGHT;
	if (bycol) {
		colmeans(prof, im->px, im->w, im->h);
	} else {
		for (y = 0; y < im->h; y++)
			prof[y] = sumf(im->px + (size_t)y * im->w, im->w) / im->w;
	}
	found = frontpos(prof, p->nprof, p->s.frontlevel,
	                 p->s.frontfrom == FROMLEFT || p->s.frontfrom == FROMTOP, &pos);
	bufprintf(&p->front, "%d,", f->index);
	csvfield(&p->front, f->name ? f->name : "");
	if (!found) {
		bufputs(&p->front, ",\n");
		return;
	}
	bufprintf(&p->front, ",%.4f\n", pos);
	if (p->nfront == 0) {
		p->fx0 = f->index;
		p->fy0 = pos;
	}
	dx = f->index - p->fx0;
	dy = pos - p->fy0;
	p->nfront++;
	p->fsx += dx;
	p->fsy += dy;
	p->fsxx += dx * dx;
	p->fsxy += dx * dy;
}

int
prodadd(struct products *p, const struct frame *f, char *err, size_t n)
{
	const struct img *im = &f->img;
	double cnt, mean, m2, delta, tot, sum[LANES] = {0};
	float lo, hi;
	struct extremes ext;

	if (p->finished)
		return seterr(err, n, "frame added after the last one");
	if (im->w < 1 || im->h < 1)
		return seterr(err, n, "frame has no pixels");
	if (p->nframes == 0) {
		if (start(p, im, err, n) < 0)
			return -1;
	} else if (im->w != p->w || im->h != p->h) {
		return seterr(err, n, "frame is %dx%d, earlier frames are %dx%d", im->w, im->h, p->w, p->h);
	}
	extinit(&ext, im->px[0]);
	framepass(p, im->px, sum, &ext);
	if (p->s.timestack)
		addtimestack(p, im);
	if (p->s.front)
		addfront(p, f);

	cnt = (double)p->npx;
	mean = lanetotal(sum) / cnt;
	m2 = sumsqdev(im->px, p->npx, mean);
	extfinish(&ext, &lo, &hi);
	bufprintf(&p->frames, "%d,%.9g,%.9g,%.9g\n", f->index, mean, (double)lo, (double)hi);
	if (p->s.stats) {
		bufprintf(&p->stats, "%d,", f->index);
		csvfield(&p->stats, f->name ? f->name : "");
		bufprintf(&p->stats, ",%.9g,%.9g,%.9g,%.9g\n", mean, sqrt(m2 / cnt), (double)lo, (double)hi);
	}
	/* merge the frame into the global mean and squared deviations (Chan et al.) */
	tot = p->gcount + cnt;
	delta = mean - p->gmean;
	p->gmean += delta * (cnt / tot);
	p->gm2 += m2 + delta * delta * (p->gcount * cnt / tot);
	p->gcount = tot;
	p->nframes++;
	return 0;
}

/* record px (w x h, taken) as the next image product */
static void
addimage(struct products *p, const char *name, float *px, int w, int h)
{
	struct prodimg *pi = &p->imgs[p->nimgs++];
	float lo, hi;

	pi->name = name;
	pi->img.w = w;
	pi->img.h = h;
	pi->img.px = px;
	minmaxf(px, (size_t)w * (size_t)h, &lo, &hi);
	pi->lo = lo;
	pi->hi = hi;
}

/* px = the mean image: k + s1 / nf, over npx pixels */
SIMDINLINE void
meanimagebody(float *restrict px, const float *restrict k, const double *restrict s1, double nf, size_t npx)
{
	size_t i;

	for (i = 0; i < npx; i++)
		px[i] = (float)(k[i] + s1[i] / nf);
}
SIMDCLONES(meanimage, (float *restrict px, const float *restrict k, const double *restrict s1, double nf, size_t npx),
           (px, k, s1, nf, npx))

/* px = the population std image of the shifted sums s1, s2 over nf frames, over npx pixels */
SIMDINLINE void
stdimagebody(float *restrict px, const double *restrict s1, const double *restrict s2, double nf, size_t npx)
{
	double a, v;
	size_t i;

	for (i = 0; i < npx; i++) {
		a = s1[i] / nf;
		v = s2[i] / nf - a * a;
		px[i] = (float)sqrt(v > 0 ? v : 0);
	}
}
SIMDCLONES(stdimage, (float *restrict px, const double *restrict s1, const double *restrict s2, double nf, size_t npx),
           (px, s1, s2, nf, npx))

int
prodfinish(struct products *p, char *err, size_t n)
{
	double nf;
	float *px;
	size_t npx = p->npx;

	if (p->finished)
		return 0;
	if (p->nframes == 0)
		return seterr(err, n, "no frames");
	nf = p->nframes;
	if (p->s.mean) {
		px = xreallocarray(NULL, npx, sizeof(float));
		meanimage(px, p->k, p->s1, nf, npx);
		addimage(p, "mean", px, p->w, p->h);
	}
	if (p->s.std) {
		px = xreallocarray(NULL, npx, sizeof(float));
		stdimage(px, p->s1, p->s2, nf, npx);
		addimage(p, "std", px, p->w, p->h);
	}
	if (p->s.min) {
		addimage(p, "min", p->mn, p->w, p->h);
		p->mn = NULL;
	}
	if (p->s.max) {
		addimage(p, "max", p->mx, p->w, p->h);
		p->mx = NULL;
	}
	if (p->s.timestack) {
		addimage(p, "timestack", p->ts, p->tsw, p->nframes);
		p->ts = NULL;
	}
	free(p->k);
	free(p->s1);
	free(p->s2);
	free(p->prof);
	p->k = NULL;
	p->s1 = p->s2 = p->prof = NULL;
	p->finished = true;
	return 0;
}

size_t
prodimages(const struct products *p, const struct prodimg **v)
{
	*v = p->imgs;
	return p->nimgs;
}

const char *
prodstatscsv(const struct products *p)
{
	return p->s.stats ? p->stats.s : NULL;
}

const char *
prodframescsv(const struct products *p)
{
	return p->frames.s;
}

const char *
prodfrontcsv(const struct products *p)
{
	return p->s.front ? p->front.s : NULL;
}

bool
prodfrontspeed(const struct products *p, double *speed)
{
	double nf = p->nfront, den;

	if (!p->s.front || p->nfront < 2)
		return false;
	den = nf * p->fsxx - p->fsx * p->fsx;
	if (den == 0)
		return false;
	*speed = (nf * p->fsxy - p->fsx * p->fsy) / den;
	return true;
}

void
prodsize(const struct products *p, int *nframes, int *w, int *h)
{
	*nframes = p->nframes;
	*w = p->w;
	*h = p->h;
}

double
prodspace(const struct products *p, bool npy, size_t names)
{
	return spaceproducts(&p->s, npy, p->w, p->h, p->nframes, names);
}

void
prodglobal(const struct products *p, double *mean, double *std)
{
	*mean = p->gmean;
	*std = p->gcount > 0 ? sqrt(p->gm2 / p->gcount) : 0;
}

void
delproducts(struct products *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nimgs; i++)
		delimg(&p->imgs[i].img);
	free(p->k);
	free(p->s1);
	free(p->s2);
	free(p->mn);
	free(p->mx);
	free(p->ts);
	free(p->prof);
	buffree(&p->stats);
	buffree(&p->frames);
	buffree(&p->front);
	free(p);
}
