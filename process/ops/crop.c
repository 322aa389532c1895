#include <string.h>

#include "common/util.h"
#include "ops.h"

int
imgcrop(const struct img *src, struct img *dst, int x, int y, int w, int h, char *err, size_t n)
{
	int j;

	if (x < 0 || y < 0 || w < 1 || h < 1 || w > src->w - x || h > src->h - y)
		return seterr(err, n, "crop x=%d y=%d width=%d height=%d does not fit the %dx%d frame",
		              x, y, w, h, src->w, src->h);
	imgresize(dst, w, h);
	for (j = 0; j < h; j++)
		memcpy(dst->px + (size_t)j * w, src->px + (size_t)(y + j) * src->w + x, (size_t)w * sizeof(float));
	return 0;
}
