#ifndef RUNJA_PRODUCTS_H
#define RUNJA_PRODUCTS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/spec.h"
#include "img.h"

/* the accumulators of one run's products (SPEC section 4) */
struct products;

/* an image product once finished */
struct prodimg {
	const char *name;  /* "mean", "std", "min", "max" or "timestack": files NAME.png / NAME.npy */
	struct img img;    /* float32 values, owned by the products */
	double lo, hi;     /* smallest and largest value of img */
};

/* what one processed frame gives the products by itself, whatever the other frames */
struct prodfig {
	double mean, m2;  /* the mean of its pixels and the sum of their squared deviations from it */
	float lo, hi;     /* its smallest and largest pixel */
	bool front;       /* front: some value of its profile reaches the level */
	double pos;       /* front: the position, when it does */
};

/* start accumulating the products of s (copied) */
struct products *mkproducts(const struct prodspec *s);
/* add one processed frame; the first fixes the size, a later one of another size is an error */
int prodadd(struct products *p, const struct frame *f, char *err, size_t n);

/*
 * prodadd in three steps, so that the pixel work need not wait for the frames' order:
 * prodfigure on any thread (it reads only what p computes), prodtake in frame order,
 * then prodaddband for each of the bands of pixels, on any thread, each band seeing
 * the frames in the order taken (so every sum is that of prodadd's one pass).
 */
/* the figures of the processed frame f for the products of p */
void prodfigure(const struct products *p, const struct frame *f, struct prodfig *fig);
/*
 * prodfigure while the last op writes the frame, row by row (a blur does): each row is
 * figured while in cache, and the frame is read once more, not four times.
 * mkprodrows, then prodrowstake for each row from the top, then prodrowsfigure.
 */
struct prodrows;
/* figures for p (borrowed), rows not taken yet; delprodrows frees it */
struct prodrows *mkprodrows(const struct products *p);
/* take row y (w pixels) of a w x h frame, rows in order from the top: y 0 starts a frame (ctx: the prodrows) */
void prodrowstake(void *ctx, const float *row, int y, int w, int h);
/* when it took every row of f, in order, since its last figures: f's figures into fig (prodfigure's), true; false otherwise */
bool prodrowsfigure(struct prodrows *r, const struct frame *f, struct prodfig *fig);
void delprodrows(struct prodrows *r);
/* prodadd of f with its figures fig, but for the pixelwise accumulators (mean, std, min, max): prodaddband's */
int prodtake(struct products *p, const struct frame *f, const struct prodfig *fig, char *err, size_t n);
/* the nf frames f, taken in this order, to the pixelwise accumulators, band `band` of nbands of the pixels only */
void prodaddband(struct products *p, const struct frame *const *f, int nf, size_t band, size_t nbands);
/* are there sums over the pixels (mean, std, min, max) for prodaddband to add? */
bool prodbands(const struct products *p);
/* after the last frame: compute the images; -1 with err when no frame was added */
int prodfinish(struct products *p, char *err, size_t n);
/* the finished image products, in the order mean, std, min, max, timestack; returns how many */
size_t prodimages(const struct products *p, const struct prodimg **v);
/* stats.csv text (header "index,file,mean,std,min,max" and one row per frame), or NULL when off */
const char *prodstatscsv(const struct products *p);
/* the per-frame record's text (header "index,mean,min,max" and one row per frame), whatever the products */
const char *prodframescsv(const struct products *p);
/* front.csv text (header "index,file,position" and one row per frame), or NULL when off */
const char *prodfrontcsv(const struct products *p);
/* least-squares slope of front position over frame index; false when off or fewer than 2 fronts */
bool prodfrontspeed(const struct products *p, double *speed);
/* frames added, width and height of the processed frames */
void prodsize(const struct products *p, int *nframes, int *w, int *h);
/* the bytes the run's results take at most once finished (spaceproducts); names: the length of the frames' paths together */
double prodspace(const struct products *p, bool npy, size_t names);
/* pixelwise mean over all processed pixels of all frames, and their population std (for the summary) */
void prodglobal(const struct products *p, double *mean, double *std);
/* free everything */
void delproducts(struct products *p);

#endif
