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

/* the frame is blurred into a scratch image of its size, which then takes the frame's place */
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

/* radii up to this get a loop with the taps unrolled, VROWS rows at a time; larger ones go tap by tap */
enum { MAXUNROLL = 8, VROWS = 4 };

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

/* the horizontal pass of rowtaps: a[k] = m - k, b[k] = m + k (m padded by r either side), one pointer for all taps */
SIMDINLINE void
htaps(float *restrict out, const float *restrict m, const float *wt, int r, int n)
{
	float c[MAXUNROLL + 1], s;
	int x, k;

	for (k = 0; k <= r; k++)
		c[k] = wt[k];
	for (x = 0; x < n; x++) {
		s = c[0] * m[x];
#pragma GCC unroll 8
		for (k = 1; k <= r; k++)
			s += c[k] * (m[x - k] + m[x + k]);
		out[x] = s;
	}
}

/* out = the 2r+1 taps of the padded row m, as rowconv with a[k] = m - k and b[k] = m + k; r <= MAXUNROLL */
SIMDINLINE void
hconv(float *out, const float *m, const float *wt, int r, int n)
{
	switch (r) {
	case 1: htaps(out, m, wt, 1, n); return;
	case 2: htaps(out, m, wt, 2, n); return;
	case 3: htaps(out, m, wt, 3, n); return;
	case 4: htaps(out, m, wt, 4, n); return;
	case 5: htaps(out, m, wt, 5, n); return;
	case 6: htaps(out, m, wt, 6, n); return;
	case 7: htaps(out, m, wt, 7, n); return;
	case 8: htaps(out, m, wt, 8, n); return;
	}
}

/*
 * The vertical pass of VROWS rows at once: out + i * ms gets row i of them, from the
 * 2r + VROWS rows in (in[i] is row i - r of them, clamped): each input pixel is loaded
 * once for all the rows it is a tap of. Each row's sum is rowtaps', in its order.
 */
SIMDINLINE void
vtaps(float *restrict out, size_t ms, const float *const *in, const float *wt, int r, int n)
{
	const float *t[2 * MAXUNROLL + VROWS];
	float c[MAXUNROLL + 1], v[2 * MAXUNROLL + VROWS], s;
	int x, i, k;

	for (i = 0; i < 2 * r + VROWS; i++)
		t[i] = in[i];
	for (k = 0; k <= r; k++)
		c[k] = wt[k];
	for (x = 0; x < n; x++) {
#pragma GCC unroll 24
		for (i = 0; i < 2 * r + VROWS; i++)
			v[i] = t[i][x];
#pragma GCC unroll 8
		for (i = 0; i < VROWS; i++) {
			s = c[0] * v[r + i];
#pragma GCC unroll 8
			for (k = 1; k <= r; k++)
				s += c[k] * (v[r + i - k] + v[r + i + k]);
			out[i * ms + x] = s;
		}
	}
}

/* vtaps with r a constant, for r <= MAXUNROLL */
SIMDINLINE void
vconv(float *out, size_t ms, const float *const *in, const float *wt, int r, int n)
{
	switch (r) {
	case 1: vtaps(out, ms, in, wt, 1, n); return;
	case 2: vtaps(out, ms, in, wt, 2, n); return;
	case 3: vtaps(out, ms, in, wt, 3, n); return;
	case 4: vtaps(out, ms, in, wt, 4, n); return;
	case 5: vtaps(out, ms, in, wt, 5, n); return;
	case 6: vtaps(out, ms, in, wt, 6, n); return;
	case 7: vtaps(out, ms, in, wt, 7, n); return;
	case 8: vtaps(out, ms, in, wt, 8, n); return;
	}
}

/* what blurrows works with: the frame, the weights, and its scratch */
struct blurjob {
	float *px;          /* the w x h frame, prepared in place (prep) */
	float *out;         /* w x h: the frame blurred */
	int w, h, r;        /* its size, and the radius */
	const float *wt;    /* the r + 1 weights, from the centre out */
	float *pad;         /* VROWS rows of w + 2r: rows of the vertical pass, clamped pixels either side */
	const float **in;   /* 2r + VROWS row pointers: the vertical pass's input rows */
	const float **a, **b; /* r + 1 row pointers each: the taps above/left and below/right */
	const struct blurrows *rows; /* what the rows are handed to */
	int wide;           /* the vector path is wider than the baseline: the vertical pass goes VROWS rows at a time */
};

/* rows y..y+nv-1's vertical pass into j->pad (row i at i * (w + 2r) + r) */
SIMDINLINE void
blurvert(const struct blurjob *j, int y, int nv)
{
	const float *px = j->px;
	int w = j->w, h = j->h, r = j->r, i, k, q;

	for (i = 0; i < 2 * r + nv; i++) {
		q = y - r + i < 0 ? 0 : y - r + i >= h ? h - 1 : y - r + i;
		j->in[i] = px + (size_t)q * w;
	}
	if (nv == VROWS) {
		vconv(j->pad + r, (size_t)w + 2 * r, j->in, j->wt, r, w);
		return;
	}
	for (k = 1; k <= r; k++) {
		j->a[k] = j->in[r - k];
		j->b[k] = j->in[r + k];
	}
	rowconv(j->pad + r, j->in[r], j->a, j->b, j->wt, r, w);
}

/*
 * Separable Gaussian, in scipy's axis order: the vertical pass of a few rows goes into
 * padded rows (in cache), and the horizontal pass from there into the output. The rows
 * are read as they are, each prepared (prep) once, r rows ahead: the frame goes through
 * the cache once, whatever ops before the blur prep applies. Each row written is handed
 * on (post) while it is in cache.
 */
SIMDINLINE void
blurrowsbody(const struct blurjob *j)
{
	float *px = j->px, *out = j->out, *mid;
	int w = j->w, h = j->h, r = j->r, ready = 0, nv, i, k, y, v;

	for (y = 0; y < h; y += nv) {
		/* (not on the baseline path, where several rows at a time measured slower) */
		nv = r <= MAXUNROLL && h - y >= VROWS && j->wide ? VROWS : 1;
		for (; j->rows->prep && ready < h && ready < y + nv + r; ready++)
			j->rows->prep(j->rows->prepctx, px + (size_t)ready * w, (size_t)ready * w, (size_t)w);
		blurvert(j, y, nv);
		for (v = 0; v < nv; v++) {
			mid = j->pad + (size_t)v * (w + 2 * r) + r;
			for (i = 0; i < r; i++) {
				mid[i - r] = mid[0];
				mid[w + i] = mid[w - 1];
			}
			if (r <= MAXUNROLL) {
				hconv(out + (size_t)(y + v) * w, mid, j->wt, r, w);
			} else {
				for (k = 1; k <= r; k++) {
					j->a[k] = mid - k;
					j->b[k] = mid + k;
				}
				rowconv(out + (size_t)(y + v) * w, mid, j->a, j->b, j->wt, r, w);
			}
			/* the row is done: handed on while in cache */
			if (j->rows->post)
				j->rows->post(j->rows->postctx, out + (size_t)(y + v) * w, y + v, w, h);
		}
	}
}
SIMDCLONES(blurrows, (const struct blurjob *j), (j))

void
imgblurprep(struct img *im, double sigma, const struct blurrows *h, struct img *tmp)
{
	static const struct blurrows none;
	struct blurjob j = {.px = im->px, .w = im->w, .h = im->h, .rows = h ? h : &none};
	float *wt;
	double s;
	int r, i, y;

	r = floor(3 * sigma + 0.5);
	if (r < 1) {
		if (j.rows->prep)
			j.rows->prep(j.rows->prepctx, im->px, 0, (size_t)im->w * im->h);
		for (y = 0; j.rows->post && y < im->h; y++)
			j.rows->post(j.rows->postctx, im->px + (size_t)y * im->w, y, im->w, im->h);
		return;
	}
	wt = xreallocarray(NULL, r + 1, sizeof(*wt));
	j.a = xreallocarray(NULL, r + 1, sizeof(*j.a));
	j.b = xreallocarray(NULL, r + 1, sizeof(*j.b));
	j.in = xreallocarray(NULL, 2 * (size_t)r + VROWS, sizeof(*j.in));
	j.pad = xreallocarray(NULL, ((size_t)im->w + 2 * (size_t)r) * VROWS, sizeof(*j.pad));
	s = 1;
	for (i = 1; i <= r; i++)
		s += 2 * exp(-(double)i * i / (2 * sigma * sigma));
	for (i = 0; i <= r; i++)
		wt[i] = exp(-(double)i * i / (2 * sigma * sigma)) / s;

	/* the blurred frame goes into tmp, which then takes the frame's storage: no row is
	   overwritten while the rows around it still read it */
	j.wide = simdpath() != SIMDBASE;
	imgresize(tmp, im->w, im->h);
	j.out = tmp->px;
	j.r = r;
	j.wt = wt;
	blurrows(&j);
	imgswap(im, tmp);
	free(j.pad);
	free(j.in);
	free(j.a);
	free(j.b);
	free(wt);
}

void
imgblur(struct img *im, double sigma, struct img *tmp)
{
	imgblurprep(im, sigma, NULL, tmp);
}

void
blurprepapply(const struct opspec *op, struct img *im, struct opscratch *s, const struct blurrows *h)
{
	imgblurprep(im, opvalnum(op, BLURSIGMA), h, &s->tmp);
}

int
blurapply(const struct opspec *op, struct img *im, struct opscratch *s, char *err, size_t n)
{
	(void)err, (void)n;
	blurprepapply(op, im, s, NULL);
	return 0;
}

#endif
