#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "img.h"

void
mkimg(struct img *im, int w, int h)
{
	im->w = w;
	im->h = h;
	im->px = xreallocarray(NULL, (size_t)w * (size_t)h, sizeof(float));
}

void
imgresize(struct img *im, int w, int h)
{
	if (!im->px || (size_t)im->w * (size_t)im->h < (size_t)w * (size_t)h) {
		free(im->px);
		mkimg(im, w, h);
		return;
	}
	im->w = w;
	im->h = h;
}

int
imgtryresize(struct img *im, int w, int h)
{
	float *px;

	if (im->px && (size_t)im->w * (size_t)im->h >= (size_t)w * (size_t)h) {
		im->w = w;
		im->h = h;
		return 0;
	}
	if (!(px = reallocarray(NULL, (size_t)w * (size_t)h, sizeof(float))))
		return -1;
	free(im->px);
	im->px = px;
	im->w = w;
	im->h = h;
	return 0;
}

void
imgcopy(struct img *dst, const struct img *src)
{
	imgresize(dst, src->w, src->h);
	memcpy(dst->px, src->px, (size_t)src->w * (size_t)src->h * sizeof(float));
}

void
imgswap(struct img *a, struct img *b)
{
	struct img t = *a;

	*a = *b;
	*b = t;
}

void
delimg(struct img *im)
{
	free(im->px);
	im->px = NULL;
	im->w = im->h = 0;
}
