#include "ops.h"

void
imgscale(struct img *im, double gain, double offset)
{
	float *p = im->px;
	size_t i, n = (size_t)im->w * im->h;

	for (i = 0; i < n; i++)
		p[i] = p[i] * gain + offset;
}
