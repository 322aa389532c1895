#ifndef RUNJA_PRODSUM_H
#define RUNJA_PRODSUM_H

#include <stddef.h>

/*
 * The pixel loops of the products (process/products.c), with their vector paths
 * (simd.h). LANES partial sums per reduction, so the sums vectorise; passes over a
 * frame go in blocks of BLOCK pixels, a multiple of LANES, so the lanes see the same
 * values in the same order as one pass over the whole frame would.
 */
enum { LANES = 8, BLOCK = 2048 };

/*
 * The running extremes of a stream of values, kept per offset within a block so that
 * the loops vectorise (min and max are exact: any grouping gives the same result).
 */
struct extremes {
	float lo[BLOCK], hi[BLOCK];  /* smallest and largest value seen at each offset */
	size_t n;                    /* offsets used so far */
};

/* start with the value v0 (the first of the stream): every slot holds it, as one scalar pass would start */
void extinit(struct extremes *e, float v0);
/* the smallest and largest value seen */
void extfinish(const struct extremes *e, float *lo, float *hi);
/* the sum of the LANES partial sums acc, in lane order */
double lanetotal(const double *acc);
/* sum of v[0..n) in double, through LANES lanes */
double sumf(const float *v, size_t n);
/* sum of (v[i] - c)^2 over v[0..n) in double, through LANES lanes */
double sumsqdev(const float *v, size_t n, double c);
/* smallest and largest of v[0..n), n >= 1 */
void minmaxf(const float *v, size_t n, float *lo, float *hi);

/*
 * A frame's own figures in one pass, taking its rows in order, as few at a time as its
 * maker writes them: the sum of its pixels through LANES lanes (pixel i in lane i mod
 * LANES, the last npx mod LANES pixels in lane 0), its extremes (pixel i at offset i mod
 * BLOCK), and optionally its column sums (from the top) and each row's sumf. Each sum
 * sees the same values in the same order however the rows are handed in.
 */
struct figrows {
	double sum[LANES];    /* framestats' lane sums */
	struct extremes ext;  /* framestats' extremes */
	double *col;          /* the w column sums (borrowed), or NULL */
	double *row;          /* each row's sumf, h of them (borrowed), or NULL */
	int w, h;             /* the frame's size */
	int y;                /* rows taken */
};

/* start the figures of a w x h frame (w, h >= 1); col (w) and row (h), each may be NULL */
void figrowsinit(struct figrows *f, int w, int h, double *col, double *row);
/* take the n rows at px, the next rows of the frame (f->y + n <= f->h) */
void figrowsadd(struct figrows *f, const float *px, int n);

/* the pixelwise accumulators of the image products; a pointer is NULL when its product is off */
struct pixacc {
	size_t npx;       /* pixels of a frame */
	const float *k;   /* mean/std: the first frame, the shift of s1 and s2 */
	double *s1, *s2;  /* mean/std: sums of x - k (s1; also when only the mean is on) and (x - k)^2 (s2: std) */
	float *mn, *mx;   /* min/max: the extremes */
};

/*
 * Add the nx frames x[0..nx) to a, in that order: every pixel's sums see the frames one
 * by one as nx calls would, but the accumulators of a block of pixels are read and
 * written once for all nx frames.
 */
void pixaccadd(const struct pixacc *a, const float *const *x, int nx);
/* px = the mean image: k + s1 / nf, over npx pixels */
void meanimage(float *px, const float *k, const double *s1, double nf, size_t npx);
/* px = the population std image of the shifted sums s1, s2 over nf frames, over npx pixels */
void stdimage(float *px, const double *s1, const double *s2, double nf, size_t npx);

#endif
