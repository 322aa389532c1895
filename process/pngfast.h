#ifndef RUNJA_PNGFAST_H
#define RUNJA_PNGFAST_H

#include <stddef.h>

/*
 * The fast reader of the PNGs cameras write: not interlaced, 8 or 16 bits, gray, gray +
 * alpha, RGB or RGBA, IDAT inflated by ISA-L (about three times zlib's speed) while
 * streaming. It reads only files that are well formed in every respect libpng checks;
 * for anything else (another kind, a damaged or unusual file) it gives up, and the
 * caller reads the file again with libpng, which decides and says what is wrong. So
 * where both read a file they give the same samples, and libpng alone words errors.
 */
struct pngfast;

/*
 * The chunks that never change the decoded values, NSKIPCHUNKS types of 4 letters each
 * followed by a 0 byte ("bKGD\0cHRM\0..."): both readers pass over them unparsed.
 */
enum { NSKIPCHUNKS = 17 };
extern const unsigned char pngskipchunks[NSKIPCHUNKS * 5];

/* samples per pixel of a colour type this reader takes (gray 1, gray + alpha 2, RGB 3,
   RGBA 4); 0 for another */
int fastchannels(int type);
/*
 * Start reading the nb bytes b (borrowed until fastclose), a file's bytes after its
 * IHDR chunk; chunk is the signature and that chunk (33 bytes). Reads the chunks
 * before the first IDAT. Returns NULL when the file is not one this reader takes.
 */
struct pngfast *fastopen(const unsigned char *b, size_t nb, const unsigned char chunk[33]);
/*
 * Inflate and check rows 0 to y1 - 1, and hand rows y0 to y1 - 1, unfiltered (no filter
 * byte: samples as stored, 16-bit big-endian), to put(arg, y, row); rows above y0 are
 * unfiltered only when a later row needs them. Then read the chunks up to IEND: with
 * y1 = the height the stream's end and Adler-32 are checked; with fewer rows the rest
 * of the stream is not inflated, and its IDATs are checked by their CRCs only. Returns
 * 0, or -1 where libpng is to read the file instead (put may have been called by then).
 */
int fastread(struct pngfast *q, int y0, int y1, void (*put)(void *, int, const unsigned char *),
             void *arg);
/* free q (may be NULL); the file is the caller's */
void fastclose(struct pngfast *q);

#endif
