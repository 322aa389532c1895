#include "ops.h"

void
imginvert(struct img *im)
{
	float *p = im->px;
	size_t i, n = (size_t)im->w * im->h;

	for (i = 0; i < n; i++)
		p[i] = 1.0f - p[i];
}
