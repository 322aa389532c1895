/* background: a background subtracted from every frame, made of the first frames or read from a file */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/opdesc.h"
#include "common/util.h"
#include "ops.h"
#include "process/simd.h"

/* its keys' positions (common/opdesc.h) */
enum {
	BACKGROUNDFRAMES = OPPOS(0, OPKINT),
	BACKGROUNDMETHOD = OPPOS(1, OPKENUM),
	BACKGROUNDFILE = OPPOS(2, OPKFILE),
};
/* the methods, by their index in backgroundmethods */
enum { BGMEAN, BGMEDIAN };

#ifdef OPDECL
/* the declaration, compiled into libcommon by common/ops.c: runja-gen and runja-process read it */

static const char *const backgroundmethods[] = {[BGMEAN] = "mean", [BGMEDIAN] = "median", NULL};

static const struct opkey backgroundkeys[] = {
	OPINT("frames", BACKGROUNDFRAMES, OPREQUIRED, 1, 1 << 20, 0, "the first N frames make the background"),
	OPENUM("method", BACKGROUNDMETHOD, 0, backgroundmethods, BGMEDIAN, "their pixelwise mean or median"),
	OPFILE("file", BACKGROUNDFILE, OPALONE, "or this image in the run folder is the background"),
};

/* copies of the first N frames (or the file), and the background itself */
static void
backgroundmem(const struct opspec *op, struct opmem *m)
{
	size_t frames = (size_t)opvalint(op, BACKGROUNDFRAMES);

	m->held += (opvalfile(op, BACKGROUNDFILE) ? 1 : (double)(frames < m->nframes ? frames : m->nframes)) *
	           m->w * m->h * 4;
	m->held += m->w * m->h * 4;
}

/* the pipeline holds the frames until the background is made (process/pipeline.c) */
static const struct opdesc backgrounddesc = {
	.name = "background", .help = "subtract a background from every frame", .version = 1,
	.keys = backgroundkeys, .nkeys = OPNKEYS(backgroundkeys), .mem = backgroundmem,
};

#else
/* the pixels, compiled into runja-process */

/* insertion sort for the short columns of a typical background */
enum { SHORTSORT = 32 };
/* up to this many frames, the median goes through a sorting network, BGBLOCK pixels at a time */
enum { NETMAX = 16, BGBLOCK = 64 };

/* im = im - b over n pixels */
SIMDINLINE void
subpxbody(float *restrict p, const float *restrict q, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] -= q[i];
}
SIMDCLONES(subpx, (float *restrict p, const float *restrict q, size_t n), (p, q, n))

void
imgsubpx(float *p, const float *b, size_t n)
{
	subpx(p, b, n);
}

void
imgsub(struct img *im, const struct img *b)
{
	subpx(im->px, b->px, (size_t)im->w * im->h);
}

void
imgbgmean(const struct img *v, size_t n, struct img *b)
{
	double *acc;
	const float *src;
	float *out;
	int w = v[0].w, h = v[0].h, x, y;
	size_t j;

	imgresize(b, w, h);
	acc = xreallocarray(NULL, w, sizeof(*acc));
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++)
			acc[x] = 0;
		for (j = 0; j < n; j++) {
			src = v[j].px + (size_t)y * w;
			for (x = 0; x < w; x++)
				acc[x] += src[x];
		}
		out = b->px + (size_t)y * w;
		for (x = 0; x < w; x++)
			out[x] = acc[x] / n;
	}
	free(acc);
}

/* qsort order of floats */
static int
fcmp(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return (x > y) - (x < y);
}

/* sort the n values of one pixel's column */
static void
sortcol(float *c, size_t n)
{
	size_t i, j;
	float t;

	if (n > SHORTSORT) {
		qsort(c, n, sizeof(*c), fcmp);
		return;
	}
	for (i = 1; i < n; i++) {
		t = c[i];
		for (j = i; j > 0 && c[j - 1] > t; j--)
			c[j] = c[j - 1];
		c[j] = t;
	}
}

/* the median of a sorted column of n */
static inline float
midof(const float *c, size_t n)
{
	return n % 2 ? c[n / 2] : (float)(((double)c[n / 2 - 1] + c[n / 2]) / 2);
}

/* b[i] = the median of the n values v[j].px[i], by sorting each column (any values, any n) */
static void
bgmediansort(const struct img *v, size_t n, float *b, size_t from, size_t to)
{
	float *col = xreallocarray(NULL, n, sizeof(*col));
	size_t i, j;

	for (i = from; i < to; i++) {
		for (j = 0; j < n; j++)
			col[j] = v[j].px[i];
		sortcol(col, n);
		b[i] = midof(col, n);
	}
	free(col);
}

/*
 * The medians of pixels from..from+BGBLOCK of the n <= NETMAX images: an odd-even
 * transposition network of compare-exchanges over the block, vectorised across pixels.
 * It swaps a pair only when the second is strictly less, as sortcol moves a value only
 * past strictly greater ones, so equal values (-0 and 0 too) keep their order and the
 * middle holds the bits sortcol puts there. A NaN compares with nothing, where the two
 * could part: a block holding one is left to bgmediansort (*done = 0), else *done = 1.
 */
SIMDINLINE void
bgnetbody(const struct img *v, size_t n, float *b, size_t from, int *done)
{
	float c[NETMAX][BGBLOCK], lo, hi;
	uint32_t u, hasnan = 0;
	size_t j, r, i;

	for (j = 0; j < n; j++) {
		for (i = 0; i < BGBLOCK; i++) {
			c[j][i] = v[j].px[from + i];
			memcpy(&u, &c[j][i], sizeof(u));
			hasnan |= (u & 0x7fffffffu) > 0x7f800000u;
		}
	}
	if (hasnan) {
		*done = 0;
		return;
	}
	for (r = 0; r < n; r++) {
		for (j = r % 2; j + 1 < n; j += 2) {
			for (i = 0; i < BGBLOCK; i++) {
				lo = c[j + 1][i] < c[j][i] ? c[j + 1][i] : c[j][i];
				hi = c[j + 1][i] < c[j][i] ? c[j][i] : c[j + 1][i];
				c[j][i] = lo;
				c[j + 1][i] = hi;
			}
		}
	}
	if (n % 2) {
		for (i = 0; i < BGBLOCK; i++)
			b[from + i] = c[n / 2][i];
	} else {
		for (i = 0; i < BGBLOCK; i++)
			b[from + i] = (float)(((double)c[n / 2 - 1][i] + c[n / 2][i]) / 2);
	}
	*done = 1;
}
SIMDCLONES(bgnet, (const struct img *v, size_t n, float *b, size_t from, int *done), (v, n, b, from, done))

void
imgbgmedian(const struct img *v, size_t n, struct img *b)
{
	size_t i, np = (size_t)v[0].w * v[0].h;
	int done;

	imgresize(b, v[0].w, v[0].h);
	for (i = 0; n <= NETMAX && i + BGBLOCK <= np; i += BGBLOCK) {
		bgnet(v, n, b->px, i, &done);
		if (!done)
			bgmediansort(v, n, b->px, i, i + BGBLOCK);
	}
	bgmediansort(v, n, b->px, i, np);
}

const char *
backgroundfile(const struct opspec *op)
{
	return opvalfile(op, BACKGROUNDFILE);
}

int
backgroundframes(const struct opspec *op)
{
	return opvalfile(op, BACKGROUNDFILE) ? 0 : opvalint(op, BACKGROUNDFRAMES);
}

void
backgroundmake(const struct opspec *op, const struct img *v, size_t n, struct img *b)
{
	if (opvalenum(op, BACKGROUNDMETHOD) == BGMEDIAN)
		imgbgmedian(v, n, b);
	else
		imgbgmean(v, n, b);
}

int
backgroundapply(const struct opspec *op, struct img *im, struct opscratch *s, char *err, size_t n)
{
	(void)op, (void)im, (void)s;
	/* never called: the pipeline holds the frames a background is made of, and subtracts it */
	return seterr(err, n, "background applied as a plain op");
}

#endif
