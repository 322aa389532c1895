/* blur: Gaussian blur, as scipy.ndimage.gaussian_filter(mode='nearest', truncate=3.0) */
#include <math.h>
#include <stdlib.h>

#include "common/opdesc.h"
#include "common/util.h"
#include "ops.h"

/* its key's position (common/opdesc.h) */
enum { BLURSIGMA = OPPOS(0, OPKNUM) };

#ifdef OPDECL
/* the declaration, compiled into libcommon by common/ops.c: runja-gen and runja-process read it */

static const struct opkey blurkeys[] = {
	OPNUM("sigma", BLURSIGMA, OPREQUIRED, 0, 10000, 0, "the Gaussian's standard deviation in pixels (its radius, 3 sigma, must fit an int)"),
};

/* the vertical pass writes a scratch image of the frame's size (plus its padding, left out) */
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
static void
rowmul(float *restrict out, const float *restrict a, float c, int n)
{
	int x;

	for (x = 0; x < n; x++)
		out[x] = c * a[x];
}

/* out += c * (a + b) over n pixels: the two taps of one weight */
static void
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
static inline void
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
static void
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

/*
 * Separable Gaussian, in scipy's axis order: the vertical pass writes each row into
 * tmp with r clamped pixels on either side, so the horizontal pass reads a padded row
 * and has no edge cases. Both passes sum the taps of one output row in one loop.
 */
void
imgblur(struct img *im, double sigma, struct img *tmp)
{
	const float **a, **b;
	float *wt, *pad, *out;
	double s;
	int w = im->w, h = im->h, r, pw, i, k, y;

	r = floor(3 * sigma + 0.5);
	if (r < 1)
		return;
	wt = xreallocarray(NULL, r + 1, sizeof(*wt));
	a = xreallocarray(NULL, r + 1, sizeof(*a));
	b = xreallocarray(NULL, r + 1, sizeof(*b));
	s = 1;
	for (i = 1; i <= r; i++)
		s += 2 * exp(-(double)i * i / (2 * sigma * sigma));
	for (i = 0; i <= r; i++)
		wt[i] = exp(-(double)i * i / (2 * sigma * sigma)) / s;

	pw = w + 2 * r;
	imgresize(tmp, pw, h);
	for (y = 0; y < h; y++) {
		pad = tmp->px + (size_t)y * pw;
		out = pad + r;
		for (k = 1; k <= r; k++) {
			a[k] = im->px + (size_t)(y - k < 0 ? 0 : y - k) * w;
			b[k] = im->px + (size_t)(y + k >= h ? h - 1 : y + k) * w;
		}
		rowconv(out, im->px + (size_t)y * w, a, b, wt, r, w);
		for (i = 0; i < r; i++) {
			pad[i] = out[0];
			out[w + i] = out[w - 1];
		}
	}
	for (y = 0; y < h; y++) {
		pad = tmp->px + (size_t)y * pw + r;
		for (k = 1; k <= r; k++) {
			a[k] = pad - k;
			b[k] = pad + k;
		}
		rowconv(im->px + (size_t)y * w, pad, a, b, wt, r, w);
	}
	free(a);
	free(b);
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
