#ifndef RUNJA_THUMB_H
#define RUNJA_THUMB_H

#include <stddef.h>

#include "common/util.h"
#include "process/img.h"
#include "process/thumbimg.h"

/* the most pixels of an interlaced PNG given a colour thumbnail (decoded whole: 4 bytes a pixel) */
#define THUMBMAXINTERLACED (1LL << 26)

/*
 * Make dst, the thumbnail of the 16-bit gray PNG product src: an 8-bit gray PNG of
 * thumbsize's size, written under a temporary name and renamed. Nothing is done when
 * dst is newer than src and of that size. *tw and *th get its size. 0 or -1 with
 * "FILE: cause" in err.
 */
int thumbmake(const char *src, const char *dst, int *tw, int *th, char *err, size_t n);
/*
 * thumbmake in two steps, the first on any thread (it only reads): thumbcompute is 1
 * when dst is up to date, else 0 with the thumbnail's PNG file in png (its bytes,
 * encoded there too), *tw and *th its size either way, or -1 with err; thumbsave
 * writes png to dst (temporary name, rename), 0 or -1 with err.
 */
int thumbcompute(const char *src, const char *dst, struct buf *png, int *tw, int *th, char *err, size_t n);
int thumbsave(const char *dst, const struct buf *png, char *err, size_t n);
/*
 * Make dst, the colour thumbnail of src, any PNG (a user's program wrote it: palette,
 * gray, RGB, with alpha or tRNS, 1 to 16 bits, interlaced): an 8-bit RGB PNG of
 * thumbsize's size, alpha composited on white, box-filtered row by row (so memory stays
 * one source row, unless src is interlaced), written under a temporary name and renamed.
 * Nothing is done when dst is newer than src and of that size. *tw and *th get its size.
 * 0 or -1 with "FILE: cause" in err ("plot.png: not a PNG file", "plot.png: truncated").
 */
int thumbmakergb(const char *src, const char *dst, int *tw, int *th, char *err, size_t n);

#endif
