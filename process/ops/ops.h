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
	struct img tmp;    /* other scratch (blur writes the frame blurred there, then swaps it with the frame) */
};

/* apply op to the frame im, in place or through s; 0 or -1 with err */
typedef int opapplyfn(const struct opspec *op, struct img *im, struct opscratch *s, char *err, size_t n);
/* NAMEapply, each op's, in its file: process/pipeline.c's table of them comes from common/oplist.h */
#define OPAPPLYFN(name, NAME) opapplyfn name##apply;
OPLIST(OPAPPLYFN)
#undef OPAPPLYFN

/*
 * The ops that work pixel by pixel (invert, scale, threshold): NAMErow applies op to
 * the n pixels at p. The pipeline runs several of them, and a background's subtraction,
 * over a few rows at a time while those stay in cache, or hands them to the blur after
 * them to apply to each row before it reads it (blurprepapply).
 */
typedef void oprowfn(const struct opspec *op, float *p, size_t n);
oprowfn invertrow, scalerow, thresholdrow;
/* what a blur applies to each row of its frame, once and before it reads it: p is the frame's pixel off, n pixels */
typedef void blurprepfn(void *ctx, float *p, size_t off, size_t n);
/* what a blur hands each row of its frame once blurred, from the top: row y (w pixels) of the w x h frame */
typedef void blurpostfn(void *ctx, const float *row, int y, int w, int h);
/* the rows a blur hands out as it goes: prep's before it reads them, post's once written (each NULL: none) */
struct blurrows {
	blurprepfn *prep;
	void *prepctx;
	blurpostfn *post;
	void *postctx;
};
/* blurapply, with the rows handed to h's functions (h NULL: none) */
void blurprepapply(const struct opspec *op, struct img *im, struct opscratch *s, const struct blurrows *h);

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
/* p = p - b over n pixels */
void imgsubpx(float *p, const float *b, size_t n);
/* b = pixelwise mean of the n >= 1 images (all the same size) */
void imgbgmean(const struct img *v, size_t n, struct img *b);
/* b = pixelwise median of the n >= 1 images (even n: mean of the two middle values) */
void imgbgmedian(const struct img *v, size_t n, struct img *b);
/* Gaussian blur of im, as scipy.ndimage.gaussian_filter(mode='nearest', truncate=3.0): made in tmp,
 * whose storage im then takes (and tmp im's, kept for the next call) */
void imgblur(struct img *im, double sigma, struct img *tmp);
/* imgblur, its rows handed to h's functions (h NULL: none) */
void imgblurprep(struct img *im, double sigma, const struct blurrows *h, struct img *tmp);
/* dst = median of the (2r+1)^2 window, edges clamped, as scipy.ndimage.median_filter(mode='nearest') */
void imgmedian(const struct img *src, struct img *dst, int r);
/* v = v >= level ? 1 : 0 */
void imgthreshold(struct img *im, double level);

#endif
