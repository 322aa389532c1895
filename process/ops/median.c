/* median: the median of every pixel's (2 radius + 1)^2 window */
#include <stdlib.h>

#include "common/opdesc.h"
#include "common/util.h"
#include "ops.h"

/* its key's position (common/opdesc.h) */
enum { MEDIANRADIUS = OPPOS(0, OPKINT) };

#ifdef OPDECL
/* the declaration, compiled into libcommon by common/ops.c: runja-gen and runja-process read it */

static const struct opkey mediankeys[] = {
	OPINT("radius", MEDIANRADIUS, OPREQUIRED, 1, 1000, 0, "the window is 2 radius + 1 pixels square"),
};

/* the filtered image is written beside the frame */
static void
medianmem(const struct opspec *op, struct opmem *m)
{
	(void)op;
	opmemspare(m);
}

static const struct opdesc mediandesc = {
	.name = "median", .help = "median filter of every frame", .version = 1,
	.keys = mediankeys, .nkeys = OPNKEYS(mediankeys), .mem = medianmem,
};

#else
/* the pixels, compiled into runja-process */

/* the k-th smallest of a[0..n) (Wirth's selection); reorders a */
static float
selectk(float *a, long n, long k)
{
	long l = 0, m = n - 1, i, j;
	float x, t;

	while (l < m) {
		x = a[k];
		i = l;
		j = m;
		do {
			while (a[i] < x)
				i++;
			while (x < a[j])
				j--;
			if (i <= j) {
				t = a[i];
				a[i] = a[j];
				a[j] = t;
				i++;
				j--;
			}
		} while (i <= j);
		if (j < k)
			l = i;
		if (k < i)
			m = j;
	}
	return a[k];
}

void
imgmedian(const struct img *src, struct img *dst, int r)
{
	const float *row;
	float *win, *out;
	int *xs, w = src->w, h = src->h, d = 2 * r + 1, x, y, dx, dy, yy;
	long m;

	if (r < 1) {
		imgcopy(dst, src);
		return;
	}
	imgresize(dst, w, h);
	win = xreallocarray(NULL, (size_t)d * d, sizeof(*win));
	/* xs[x + r] is the clamped column of x, for x in [-r, w + r) */
	xs = xreallocarray(NULL, (size_t)w + 2 * r, sizeof(*xs));
	for (x = -r; x < w + r; x++)
		xs[x + r] = x < 0 ? 0 : x >= w ? w - 1 : x;
	for (y = 0; y < h; y++) {
		out = dst->px + (size_t)y * w;
		for (x = 0; x < w; x++) {
			m = 0;
			for (dy = -r; dy <= r; dy++) {
				yy = y + dy < 0 ? 0 : y + dy >= h ? h - 1 : y + dy;
				row = src->px + (size_t)yy * w;
				for (dx = 0; dx < d; dx++)
					win[m++] = row[xs[x + dx]];
			}
			out[x] = selectk(win, m, m / 2);
		}
	}
	free(xs);
	free(win);
}

int
medianapply(const struct opspec *op, struct img *im, struct opscratch *s, char *err, size_t n)
{
	(void)err, (void)n;
	imgmedian(im, &s->spare, opvalint(op, MEDIANRADIUS));
	imgswap(im, &s->spare);
	return 0;
}

#endif
