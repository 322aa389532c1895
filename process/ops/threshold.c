#include <math.h>

#include "ops.h"

void
imgthreshold(struct img *im, double level)
{
	float *p = im->px;
	float l = level;
	size_t i, n = (size_t)im->w * im->h;

	/* the smallest float >= level, so that the float compare equals v >= level in double */
	if ((double)l < level)
		l = nextafterf(l, INFINITY);
	for (i = 0; i < n; i++)
		p[i] = p[i] >= l ? 1.0f : 0.0f;
}
