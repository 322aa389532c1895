/* blur: Gaussian blur, as scipy.ndimage.gaussian_filter(mode='nearest', truncate=3.0) */
#include <math.h>
#include <stdlib.h>

#include "common/opdesc.h"
#include "common/util.h"
#include "ops.h"
#include "process/simd.h"

/* its key's position (common/opdesc.h) */
enum { BLURSIGMA = OPPOS(0, OPKNUM) };

#ifdef OPDECL
/* the declaration, compiled into libcommon by common/ops.c: runja-gen and runja-process read it */

static const struct opkey blurkeys[] = {
	OPNUM("sigma", BLURSIGMA, OPREQUIRED, 0, 10000, 0, "the Gaussian's standard deviation in pixels (its radius, 3 sigma, must fit an int)"),
};

/* the blurred frame is written into a scratch image of the frame's size (a padded row beside it left out) */
static void
blurmem(const struct opspec *op, struct opmem *m)
{
	(void)op;
	m->tmp = m->tmp > m->w * m->h * 4 ? m->tmp : m->w * m->h * 4;
}

static const struct opdesc blurdesc = {
	.name = "blur", .help = "Gaussian blur of every frame", .version = 1,
	.keys = blurkeys, .nkeys = OPNKEYS(blurkeys), .mem = blurmem,
};

#else
/* the pixels, compiled into runja-process */

/* radii up to this get a loop with the taps unrolled; larger ones go tap by tap */
enum { MAXUNROLL = 8 };

/* out = c * a over n pixels */
SIMDINLINE void
rowmul(float *restrict out, const float *restrict a, float c, int n)
{
	int x;

	for (x = 0; x < n; x++)
		out[x] = c * a[x];
}

/* out += c * (a + b) over n pixels: the two taps of one weight */
SIMDINLINE void
rowadd2(float *restrict out, const float *restrict a, const float *restrict b, float c, int n)
{
	int x;

	for (x = 0; x < n; x++)
		out[x] += c * (a[x] + b[x]);
}

/*
 * out[x] = wt[0] * m[x], then + wt[k] * (a[k][x] + b[k][x]) for k = 1..r in that
 * order, in float: the same roundings as rowmul and r rowadd2, but each pixel stays in
 * a register across the taps. r is a constant where this is inlined, so the tap loop
 * unrolls and the pixel loop vectorises.
 */
SIMDINLINE void
rowtaps(float *restrict out, const float *restrict m, const float *const *a, const float *const *b,
        const float *wt, int r, int n)
{
	const float *ta[MAXUNROLL + 1], *tb[MAXUNROLL + 1];
	float c[MAXUNROLL + 1], s;
	int x, k;

	for (k = 0; k <= r; k++) {
		ta[k] = a[k];
		tb[k] = b[k];
		c[k] = wt[k];
	}
	for (x = 0; x < n; x++) {
		s = c[0] * m[x];
#pragma GCC unroll 8
		for (k = 1; k <= r; k++)
			s += c[k] * (ta[k][x] + tb[k][x]);
		out[x] = s;
	}
}

/* out = the 2r+1 taps of m's row (a[k] and b[k] at distance k); a switch per radius, as in rowtaps */
SIMDINLINE void
rowconv(float *out, const float *m, const float *const *a, const float *const *b, const float *wt,
        int r, int n)
{
	int k;

	switch (r) {
	case 1: rowtaps(out, m, a, b, wt, 1, n); return;
	case 2: rowtaps(out, m, a, b, wt, 2, n); return;
	case 3: rowtaps(out, m, a, b, wt, 3, n); return;
	case 4: rowtaps(out, m, a, b, wt, 4, n); return;
	case 5: rowtaps(out, m, a, b, wt, 5, n); return;
	case 6: rowtaps(out, m, a, b, wt, 6, n); return;
	case 7: rowtaps(out, m, a, b, wt, 7, n); return;
	case 8: rowtaps(out, m, a, b, wt, 8, n); return;
	}
	rowmul(out, m, wt[0], n);
	for (k = 1; k <= r; k++)
		rowadd2(out, a[k], b[k], wt[k], n);
}

/* what blurrows works with: the frame, the weights, and its scratch */
struct blurjob {
	const float *px;    /* the w x h frame */
	float *out;         /* the w x h blurred frame */
	int w, h, r;        /* its size, and the radius */
	const float *wt;    /* the r + 1 weights, from the centre out */
	float *pad;         /* one row of w + 2r: a row of the vertical pass, clamped pixels either side */
	const float **a, **b; /* r + 1 row pointers each: the taps above/left and below/right */
};

/*
 * Separable Gaussian, in scipy's axis order, a row at a time: row y's vertical pass
 * goes into the padded row (in cache), and its horizontal pass from there into row y
 * of the output, so the frame is read once and the output written once.
 */
SIMDINLINE void
blurrowsbody(const struct blurjob *j)
{
	const float *px = j->px;
	float *mid = j->pad + j->r;
	int w = j->w, h = j->h, r = j->r, i, k, y;

	for (y = 0; y < h; y++) {
		for (k = 1; k <= r; k++) {
			j->a[k] = px + (size_t)(y - k < 0 ? 0 : y - k) * w;
			j->b[k] = px + (size_t)(y + k >= h ? h - 1 : y + k) * w;
		}
		rowconv(mid, px + (size_t)y * w, j->a, j->b, j->wt, r, w);
		for (i = 0; i < r; i++) {
			j->pad[i] = mid[0];
			mid[w + i] = mid[w - 1];
		}
		for (k = 1; k <= r; k++) {
			j->a[k] = mid - k;
			j->b[k] = mid + k;
		}
		rowconv(j->out + (size_t)y * w, mid, j->a, j->b, j->wt, r, w);
	}
}
SIMDCLONES(blurrows, (const struct blurjob *j), (j))

void
imgblur(struct img *im, double sigma, struct img *tmp)
{
	struct blurjob j = {.px = im->px, .w = im->w, .h = im->h};
	float *wt, *pad;
	double s;
	int r, i;

	r = floor(3 * sigma + 0.5);
	if (r < 1)
		return;
	wt = xreallocarray(NULL, r + 1, sizeof(*wt));
	j.a = xreallocarray(NULL, r + 1, sizeof(*j.a));
	j.b = xreallocarray(NULL, r + 1, sizeof(*j.b));
	pad = xreallocarray(NULL, (size_t)im->w + 2 * (size_t)r, sizeof(*pad));
	s = 1;
	for (i = 1; i <= r; i++)
		s += 2 * exp(-(double)i * i / (2 * sigma * sigma));
	for (i = 0; i <= r; i++)
		wt[i] = exp(-(double)i * i / (2 * sigma * sigma)) / s;

	/* the output goes into tmp, which then becomes the frame (both stay w x h, so neither is made again) */
	imgresize(tmp, im->w, im->h);
	j.out = tmp->px;
	j.r = r;
	j.wt = wt;
	j.pad = pad;
	blurrows(&j);
	imgswap(im, tmp);
	free(pad);
	free(j.a);
	free(j.b);
	free(wt);
}

int
blurapply(const struct opspec *op, struct img *im, struct opscratch *s, char *err, size_t n)
{
	(void)err, (void)n;
	imgblur(im, opvalnum(op, BLURSIGMA), &s->tmp);
	return 0;
}

#endif
