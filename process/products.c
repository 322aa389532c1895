#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/space.h"
#include "common/util.h"
#include "prodsum.h"
#include "products.h"

/* the most frames prodaddband adds in one pass over a band's accumulators */
enum { PRODBATCH = 4 };

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

/*
 * n doubles set to 0 by writing them: calloc's fresh pages would be the kernel's zero
 * page until the first frame's add writes them, and replacing a page other threads may
 * have seen costs an interrupt of every core (a TLB shootdown) per page
 */
static double *
zeroes(size_t n)
{
	double *v = xreallocarray(NULL, n, sizeof(double));

	memset(v, 0, n * sizeof(double));
	return v;
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
		p->s1 = zeroes(npx);
	}
	if (p->s.std)
		p->s2 = zeroes(npx);
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
	return 0;
}

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

/* the front.csv row of f (figures fig) and the sums of the front speed */
static void
addfront(struct products *p, const struct frame *f, const struct prodfig *fig)
{
	double dx, dy;

	bufprintf(&p->front, "%d,", f->index);
	csvfield(&p->front, f->name ? f->name : "");
	if (!fig->front) {
		bufputs(&p->front, ",\n");
		return;
	}
	bufprintf(&p->front, ",%.4f\n", fig->pos);
	if (p->nfront == 0) {
		p->fx0 = f->index;
		p->fy0 = fig->pos;
	}
	dx = f->index - p->fx0;
	dy = fig->pos - p->fy0;
	p->nfront++;
	p->fsx += dx;
	p->fsy += dy;
	p->fsxx += dx * dx;
	p->fsxy += dx * dy;
}

/* does the front of s go by columns (a profile along x), not by rows? */
static bool
frontbycol(const struct prodspec *s)
{
	return s->frontfrom == FROMLEFT || s->frontfrom == FROMRIGHT;
}

/* start fr for the w x h frame's figures for p, with the column or row sums its front needs (*sums: its storage) */
static void
figstart(const struct products *p, struct figrows *fr, double **sums, int w, int h)
{
	bool bycol = frontbycol(&p->s);

	if (p->s.front)
		*sums = xreallocarray(*sums, bycol ? w : h, sizeof(**sums));
	figrowsinit(fr, w, h, p->s.front && bycol ? *sums : NULL, p->s.front && !bycol ? *sums : NULL);
}

/* the figures fig of the frame im, all of whose rows fr took */
static void
figfinish(const struct products *p, struct figrows *fr, const struct img *im, struct prodfig *fig)
{
	size_t npx = (size_t)im->w * (size_t)im->h;
	bool bycol = frontbycol(&p->s);
	double *prof = bycol ? fr->col : fr->row;
	int len = bycol ? im->w : im->h, i;

	*fig = (struct prodfig){0};
	fig->mean = lanetotal(fr->sum) / (double)npx;
	fig->m2 = sumsqdev(im->px, npx, fig->mean);
	extfinish(&fr->ext, &fig->lo, &fig->hi);
	if (!p->s.front)
		return;
	/* the profile of the column or row means, in place of the sums */
	for (i = 0; i < len; i++)
		prof[i] /= bycol ? im->h : im->w;
	fig->front = frontpos(prof, len, p->s.frontlevel, p->s.frontfrom == FROMLEFT || p->s.frontfrom == FROMTOP,
	                      &fig->pos);
}

void
prodfigure(const struct products *p, const struct frame *f, struct prodfig *fig)
{
	const struct img *im = &f->img;
	/* sums of its own: frames are figured on several threads at once */
	double *sums = NULL;
	struct figrows fr;

	*fig = (struct prodfig){0};
	if (im->w < 1 || im->h < 1)
		return;
	figstart(p, &fr, &sums, im->w, im->h);
	figrowsadd(&fr, im->px, im->h);
	figfinish(p, &fr, im, fig);
	free(sums);
}

struct prodrows {
	const struct products *p; /* whose figures */
	struct figrows fr;        /* the rows taken */
	double *sums;             /* the front's column or row sums, or NULL */
	bool ok;                  /* the rows so far came in order, from the first, all of one frame's size */
};

struct prodrows *
mkprodrows(const struct products *p)
{
	struct prodrows *r = xcalloc(1, sizeof(*r));

	r->p = p;
	return r;
}

void
prodrowstake(void *ctx, const float *row, int y, int w, int h)
{
	struct prodrows *r = ctx;

	if (y == 0 && w >= 1 && h >= 1) {
		figstart(r->p, &r->fr, &r->sums, w, h);
		r->ok = true;
	} else if (!r->ok || y != r->fr.y || w != r->fr.w || h != r->fr.h) {
		r->ok = false;
		return;
	}
	figrowsadd(&r->fr, row, 1);
}

bool
prodrowsfigure(struct prodrows *r, const struct frame *f, struct prodfig *fig)
{
	const struct img *im = &f->img;

	if (!r->ok || im->w != r->fr.w || im->h != r->fr.h || r->fr.y != im->h)
		return false;
	figfinish(r->p, &r->fr, im, fig);
	r->ok = false;
	return true;
}

void
delprodrows(struct prodrows *r)
{
	if (!r)
		return;
	free(r->sums);
	free(r);
}

int
prodtake(struct products *p, const struct frame *f, const struct prodfig *fig, char *err, size_t n)
{
	const struct img *im = &f->img;
	double cnt, delta, tot;

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
	cnt = (double)p->npx;
	if (p->s.timestack)
		addtimestack(p, im);
	if (p->s.front)
		addfront(p, f, fig);
	bufprintf(&p->frames, "%d,%.9g,%.9g,%.9g\n", f->index, fig->mean, (double)fig->lo, (double)fig->hi);
	if (p->s.stats) {
		bufprintf(&p->stats, "%d,", f->index);
		csvfield(&p->stats, f->name ? f->name : "");
		bufprintf(&p->stats, ",%.9g,%.9g,%.9g,%.9g\n", fig->mean, sqrt(fig->m2 / cnt), (double)fig->lo,
		          (double)fig->hi);
	}
	/* merge the frame into the global mean and squared deviations (Chan et al.) */
	tot = p->gcount + cnt;
	delta = fig->mean - p->gmean;
	p->gmean += delta * (cnt / tot);
	p->gm2 += fig->m2 + delta * delta * (p->gcount * cnt / tot);
	p->gcount = tot;
	p->nframes++;
	return 0;
}

/* the first pixel of band of nbands of npx pixels: a multiple of 16, so no two bands write one cache line */
static size_t
bandstart(size_t npx, size_t band, size_t nbands)
{
	return band >= nbands ? npx : npx * band / nbands & ~(size_t)15;
}

void
prodaddband(struct products *p, const struct frame *const *f, int nf, size_t band, size_t nbands)
{
	size_t lo = bandstart(p->npx, band, nbands), hi = bandstart(p->npx, band + 1, nbands);
	struct pixacc a = {.npx = hi - lo};
	const float *x[PRODBATCH];
	int j;

	if (hi <= lo)
		return;
	a.k = p->k ? p->k + lo : NULL;
	a.s1 = p->s1 ? p->s1 + lo : NULL;
	a.s2 = p->s2 ? p->s2 + lo : NULL;
	a.mn = p->mn ? p->mn + lo : NULL;
	a.mx = p->mx ? p->mx + lo : NULL;
	/* up to PRODBATCH frames a pass: the band's accumulators are read and written once for them all */
	for (; nf > 0; f += j, nf -= j) {
		for (j = 0; j < nf && j < PRODBATCH; j++)
			x[j] = f[j]->img.px + lo;
		pixaccadd(&a, x, j);
	}
}

bool
prodbands(const struct products *p)
{
	return p->s.mean || p->s.std || p->s.min || p->s.max;
}

int
prodadd(struct products *p, const struct frame *f, char *err, size_t n)
{
	struct prodfig fig;

	prodfigure(p, f, &fig);
	if (prodtake(p, f, &fig, err, n) < 0)
		return -1;
	prodaddband(p, &f, 1, 0, 1);
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
	p->k = NULL;
	p->s1 = p->s2 = NULL;
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
	buffree(&p->stats);
	buffree(&p->frames);
	buffree(&p->front);
	free(p);
}
