#ifndef RUNJA_PNG_H
#define RUNJA_PNG_H

#include <stddef.h>

#include "common/spec.h"
#include "img.h"

/* an open PNG being read (libpng state and the file) */
struct pngin;
/* libpng's state (png_structp), for its callbacks below without <png.h> */
struct png_struct_def;

/* the size of the message buffer a libpng error pointer points to for pngerrorfn */
enum { PNGMSGSIZE = 256 };
/* libpng error callback: keeps msg, made one line, in the char[PNGMSGSIZE] that is the error pointer, then unwinds to the setjmp */
void pngerrorfn(struct png_struct_def *png, const char *msg);
/* libpng warning callback: warnings (bad ancillary chunks, profiles) are ignored */
void pngwarningfn(struct png_struct_def *png, const char *msg);

/*
 * Open path read-only, read its header, then the whole file (once: the readers decode
 * from memory). Refuses (NULL, message in err) a file that is not a PNG, is truncated
 * before the image data, or has more than maxpixels pixels (checked on the header,
 * before the rest is read or any pixel buffer is allocated). *w and *h get the size.
 * Messages are the cause only, e.g. "not a PNG file", "truncated", "CRC error in IHDR";
 * the caller prefixes run and frame.
 */
struct pngin *pngopen(const char *path, long long maxpixels, int *w, int *h, char *err, size_t n);
/* what pngopenbytes hands the bytes of a whole file to (ctx: its context) */
typedef void pngbytesfn(void *ctx, const unsigned char *b, size_t n);
/*
 * pngopen that hands the bytes it judged the file from, as read, to fn(ctx, ...), once:
 * the whole file, which is then decoded from them (or refused by libpng); or, for a
 * file refused by its first bytes (empty, not a PNG, too short, too many pixels),
 * those (at most 33). Not called when the file cannot be opened or read.
 */
struct pngin *pngopenbytes(const char *path, long long maxpixels, pngbytesfn *fn, void *ctx, int *w, int *h,
                           char *err, size_t n);
/*
 * Decode the whole image into im (resized to w x h) as SPEC section 4 says: every pixel
 * a float in [0,1]; gray v/(2^depth-1); RGB, RGBA, palette through channel ch; alpha
 * ignored; 1/2/4/8/16-bit and interlaced. Rows are converted as they are decoded.
 * Returns 0, or -1 with the cause in err (truncated data, CRC error, bad zlib stream,
 * a palette index beyond the palette's entries).
 */
int pngread(struct pngin *p, struct img *im, enum channel ch, char *err, size_t n);
/*
 * pngread of the rectangle x, y, w, h only: im is resized to w x h and gets
 * f[y:y+h, x:x+w] of the decoded frame, as pngread + imgcrop would give. Every row is
 * still decoded and checked; the rows and columns outside are not converted. A
 * rectangle that leaves the image is refused (-1) with imgcrop's message, before any
 * decoding.
 */
int pngreadrect(struct pngin *p, struct img *im, enum channel ch, int x, int y, int w, int h,
                char *err, size_t n);
/* free the state and the file's bytes (p may be NULL) */
void pngclose(struct pngin *p);
/* open + read + close in one call; returns 0 or -1 with the cause in err */
int pngload(const char *path, long long maxpixels, enum channel ch, struct img *im, char *err, size_t n);

/*
 * Write im to path as a 16-bit gray PNG, v mapped from [lo, hi] to [0, 65535] with
 * round half up (all 0 when hi == lo), compression 0-9: 1-3 Up-filtered rows deflated
 * as literals by runja's own writer (deflate.h), the others through libpng and zlib
 * at that level. The file is written in place: callers write to a temporary name and
 * rename.
 */
int pngwrite16(const char *path, const struct img *im, double lo, double hi, int compression,
               char *err, size_t n);
/* what pngwrite16rows hands each row it writes: its w 16-bit codes, big-endian (ctx: the caller's) */
typedef void pngrowfn(void *ctx, const unsigned char *row);
/* pngwrite16 that also hands each row's codes, in order, to each(ctx, row) (each may be NULL) */
int pngwrite16rows(const char *path, const struct img *im, double lo, double hi, int compression,
                   pngrowfn *each, void *ctx, char *err, size_t n);

#endif
