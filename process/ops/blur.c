#include <math.h>
#include <stdlib.h>

#include "common/util.h"
#include "ops.h"

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
 * Separable Gaussian, in scipy's axis order: the vertical pass writes each row into
 * tmp with r clamped pixels on either side, so the horizontal pass reads a padded row
 * and has no edge cases. Both passes run whole-row loops, one per weight.
 */
void
imgblur(struct img *im, double sigma, struct img *tmp)
{
	const float *a, *b;
	float *wt, *pad, *out;
	double s;
	int w = im->w, h = im->h, r, pw, i, k, y;

	r = floor(3 * sigma + 0.5);
	if (r < 1)
		return;
	wt = xreallocarray(NULL, r + 1, sizeof(*wt));
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
		rowmul(out, im->px + (size_t)y * w, wt[0], w);
		for (k = 1; k <= r; k++) {
			a = im->px + (size_t)(y - k < 0 ? 0 : y - k) * w;
			b = im->px + (size_t)(y + k >= h ? h - 1 : y + k) * w;
			rowadd2(out, a, b, wt[k], w);
		}
		for (i = 0; i < r; i++) {
			pad[i] = out[0];
			out[w + i] = out[w - 1];
		}
	}
	for (y = 0; y < h; y++) {
		pad = tmp->px + (size_t)y * pw + r;
		out = im->px + (size_t)y * w;
		rowmul(out, pad, wt[0], w);
		for (k = 1; k <= r; k++)
			rowadd2(out, pad - k, pad + k, wt[k], w);
	}
	free(wt);
}
