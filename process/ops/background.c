/* background: a background subtracted from every frame, made of the first frames or read from a file */
#include <stdlib.h>

#include "common/opdesc.h"
#include "common/util.h"
#include "ops.h"

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

void
imgsub(struct img *im, const struct img *b)
{
	float *p = im->px;
	const float *q = b->px;
	size_t i, n = (size_t)im->w * im->h;

	for (i = 0; i < n; i++)
		p[i] -= q[i];
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

void
imgbgmedian(const struct img *v, size_t n, struct img *b)
{
	float *col;
	size_t i, j, np = (size_t)v[0].w * v[0].h;

	imgresize(b, v[0].w, v[0].h);
	col = xreallocarray(NULL, n, sizeof(*col));
	for (i = 0; i < np; i++) {
		for (j = 0; j < n; j++)
			col[j] = v[j].px[i];
		sortcol(col, n);
		if (n % 2)
			b->px[i] = col[n / 2];
		else
			b->px[i] = ((double)col[n / 2 - 1] + col[n / 2]) / 2;
	}
	free(col);
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
