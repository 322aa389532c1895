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

/* start accumulating the products of s (copied) */
struct products *mkproducts(const struct prodspec *s);
/* add one processed frame; the first fixes the size, a later one of another size is an error */
int prodadd(struct products *p, const struct frame *f, char *err, size_t n);
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
