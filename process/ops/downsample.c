#include <stdlib.h>

#include "common/util.h"
#include "ops.h"

int
imgdownsample(const struct img *src, struct img *dst, int k, char *err, size_t n)
{
	const float *row;
	float *out;
	double s;
	int ow, oh, ox, oy, dx, dy;

	if (k < 1)
		return seterr(err, n, "downsample factor %d is not at least 1", k);
	if (k > src->w || k > src->h)
		return seterr(err, n, "downsample factor %d is larger than the %dx%d frame", k, src->w, src->h);
	ow = src->w / k;
	oh = src->h / k;
	imgresize(dst, ow, oh);
	for (oy = 0; oy < oh; oy++) {
		out = dst->px + (size_t)oy * ow;
		for (ox = 0; ox < ow; ox++) {
			s = 0;
			for (dy = 0; dy < k; dy++) {
				row = src->px + (size_t)(oy * k + dy) * src->w + (size_t)ox * k;
				for (dx = 0; dx < k; dx++)
					s += row[dx];
			}
			out[ox] = s / ((double)k * k);
		}
	}
	return 0;
}
