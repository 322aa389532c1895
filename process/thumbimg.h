#ifndef RUNJA_THUMBIMG_H
#define RUNJA_THUMBIMG_H

#include <stddef.h>

#include "common/util.h"
#include "img.h"

/*
 * A thumbnail's pixels and its PNG bytes, no files: the box filter to at most
 * THUMBMAX a side, and the 8-bit encoding. The report shows them (report/thumb.h
 * keeps its files fresh); runja-process makes those of its image products as it
 * writes them.
 */

/* largest side; least height, or half the width if less (a short timestack is stretched) */
enum { THUMBMAX = 160, THUMBMINH = 48 };

/* the box filter of a w x h image of nch planes, fed one source row at a time */
struct thumbacc;

/* the size of the thumbnail of a w x h image into *tw, *th: within THUMBMAX, aspect kept unless too flat */
void thumbsize(int w, int h, int *tw, int *th);
/* start the filter of a w x h image of nch planes to tw x th; caller frees with delthumbacc */
struct thumbacc *mkthumbacc(int w, int h, int tw, int th, int nch);
void delthumbacc(struct thumbacc *a);
/* add the next source row: planes[c] holds its w pixels of plane c */
void thumbaddrow(struct thumbacc *a, const float *const *planes);
/* the filtered image, plane c into dst[c] (resized to tw x th), once every row was added */
void thumbfinish(const struct thumbacc *a, struct img *dst);
/* resample src into dst (resized to tw x th) by a box filter: each pixel the mean of the area it covers */
void thumbresize(const struct img *src, struct img *dst, int tw, int th);
/*
 * the nch planes of im (1: gray, 3: R, G, B; [0,1] each) as an 8-bit PNG into out
 * (emptied first): 0 or -1 with libpng's word in err; any thread
 */
int thumbencode(const struct img *im, int nch, struct buf *out, char *err, size_t n);
/*
 * pngrowfn of a thumbacc of one plane (ctx) as wide as the rows: add a row of 16-bit
 * codes (pngwrite16rows), decoded as png.c decodes them, each code times 1 / 65535. So
 * the thumbnail of an image product made as it is written is byte for byte the one
 * the report makes from its file.
 */
void thumbadd16(void *ctx, const unsigned char *row);
/* the thumbnail of a (one plane, as thumbadd16 feeds) once every row was added, as PNG bytes into png; 0 or -1 with err */
int thumbdone(const struct thumbacc *a, struct buf *png, char *err, size_t n);

#endif
