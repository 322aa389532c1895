#ifndef RUNJA_IMG_H
#define RUNJA_IMG_H

#include <stddef.h>

/* a one-channel float image, row-major and contiguous: pixel (x, y) is px[y * w + x] */
struct img {
	int w, h;   /* size in pixels, both >= 1 once allocated */
	float *px;  /* w * h pixels, owned by the image */
};

/* allocate a w x h image (contents undefined); exits on overflow or out of memory */
void mkimg(struct img *im, int w, int h);
/* make im w x h, reusing its storage when large enough (im zeroed or from mkimg) */
void imgresize(struct img *im, int w, int h);
/* imgresize that returns -1 (im unchanged) instead of exiting when memory runs out */
int imgtryresize(struct img *im, int w, int h);
/* copy src into dst (resized to match) */
void imgcopy(struct img *dst, const struct img *src);
/* exchange the storage of a and b */
void imgswap(struct img *a, struct img *b);
/* free the pixels; im becomes 0 x 0 */
void delimg(struct img *im);

/* one frame moving through the pipeline */
struct frame {
	struct img img;    /* its pixels, owned */
	int index;         /* 0-based position among all frames of the run, in natural order */
	const char *name;  /* file name relative to the run folder; borrowed from the run's frame list */
};

#endif
