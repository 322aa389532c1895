#ifndef RUNJA_PNGHEAD_H
#define RUNJA_PNGHEAD_H

#include <stdbool.h>

/* what a PNG's header says */
struct pnghead {
	unsigned width, height;
	int depth;        /* bits per sample: 1, 2, 4, 8 or 16 */
	int channels;     /* samples per pixel as stored: 1 gray or palette, 2 gray+alpha, 3 RGB, 4 RGBA */
	int colortype;    /* PNG_COLOR_TYPE_* */
	bool interlaced;  /* Adam7 */
};

/*
 * The buffers of runja-process's reader of plain PNGs (process/pngfast.c): the whole
 * file, read once; rows inflated PNGOUTBYTES at a time (one row at least, the image at
 * most), from the IDAT data of as many chunks as fill PNGZBYTES.
 */
enum { PNGOUTBYTES = 1 << 20, PNGZBYTES = 1 << 18 };

/* rows of rowbytes bytes (filter byte included) inflated at a time in an image of h rows */
unsigned long pngoutrows(unsigned long rowbytes, unsigned long h);
/* the bytes runja-process holds to decode a frame with header h: the file, counted as large as its
   filtered rows (PNG rarely makes them larger), and the rows being decoded (an interlaced frame's all) */
double pngdecodemem(const struct pnghead *h);
/* read the header of the PNG at path (no pixels); 0, or -1 when it is not a readable PNG */
int pnghead(const char *path, struct pnghead *h);
/* "1024x768 8-bit gray", "640x480 16-bit RGB, interlaced" into out (size n) */
void pngheaddesc(const struct pnghead *h, char *out, unsigned long n);

#endif
