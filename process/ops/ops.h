#ifndef RUNJA_OPS_H
#define RUNJA_OPS_H

#include <stddef.h>

#include "common/spec.h"
#include "process/img.h"

/*
 * The image ops of SPEC section 4, one file each in process/ops/: its declaration
 * (keys, ranges, defaults, memory model, version; common/opdesc.h), its pixel functions
 * on float images, and NAMEapply, which process/pipeline.c calls (background's never:
 * the pipeline holds the frames it is made of, and subtracts it). Functions that can
 * fail return 0 or -1 with the cause in err (no run or frame name: the caller adds those).
 */

/* the scratch images the pipeline lends its ops, kept from frame to frame */
struct opscratch {
	struct img spare;  /* what an op that cannot work in place writes, then swaps with the frame */
	struct img tmp;    /* other scratch (blur writes the blurred frame there, then swaps it with the frame) */
};

/* apply op to the frame im, in place or through s; 0 or -1 with err */
typedef int opapplyfn(const struct opspec *op, struct img *im, struct opscratch *s, char *err, size_t n);
/* NAMEapply, each op's, in its file: process/pipeline.c's table of them comes from common/oplist.h */
#define OPAPPLYFN(name, NAME) opapplyfn name##apply;
OPLIST(OPAPPLYFN)
#undef OPAPPLYFN

/* crop: its rectangle */
void croprect(const struct opspec *op, int *x, int *y, int *w, int *h);
/* background: the file in the run folder it is read from, or NULL when it is made of frames */
const char *backgroundfile(const struct opspec *op);
/* background: how many frames it is made of (0 when it is read from a file) */
int backgroundframes(const struct opspec *op);
/* background: b = the background of the n >= 1 held frames v (all the same size), by op's method */
void backgroundmake(const struct opspec *op, const struct img *v, size_t n, struct img *b);

/* dst = src[y:y+h, x:x+w]; -1 when the rectangle leaves the frame (message names the frame size) */
int imgcrop(const struct img *src, struct img *dst, int x, int y, int w, int h, char *err, size_t n);
/* dst = mean of each k x k block of src, remainder rows/columns dropped; -1 when k exceeds the frame */
int imgdownsample(const struct img *src, struct img *dst, int k, char *err, size_t n);
/* v = 1 - v */
void imginvert(struct img *im);
/* v = v * gain + offset */
void imgscale(struct img *im, double gain, double offset);
/* v = v - b (same size) */
void imgsub(struct img *im, const struct img *b);
/* b = pixelwise mean of the n >= 1 images (all the same size) */
void imgbgmean(const struct img *v, size_t n, struct img *b);
/* b = pixelwise median of the n >= 1 images (even n: mean of the two middle values) */
void imgbgmedian(const struct img *v, size_t n, struct img *b);
/* Gaussian blur of im, as scipy.ndimage.gaussian_filter(mode='nearest', truncate=3.0); written into tmp,
 * whose storage im then takes (and tmp im's) */
void imgblur(struct img *im, double sigma, struct img *tmp);
/* dst = median of the (2r+1)^2 window, edges clamped, as scipy.ndimage.median_filter(mode='nearest') */
void imgmedian(const struct img *src, struct img *dst, int r);
/* v = v >= level ? 1 : 0 */
void imgthreshold(struct img *im, double level);

#endif
