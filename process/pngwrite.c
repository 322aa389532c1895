#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <zlib.h>

#include "common/util.h"
#include "png.h"

/* pngwrite16: the 16-bit gray PNG products (png.h) */

/* state of pngwrite16, on the heap so that it survives longjmp */
struct pngout {
	FILE *f;              /* the file being written */
	png_structp png;      /* libpng write state */
	png_infop info;       /* header */
	unsigned char *row;   /* one 16-bit row */
	char msg[PNGMSGSIZE]; /* libpng's last error (its error pointer) */
	char iomsg[128];      /* our own write error, passed to png_error */
	int ioerr;            /* its errno, so the cause is told as seterr's ':' tells it (no room may pass) */
};

/* libpng write callback over o->f; a short write is an error with strerror */
static void
pngwritedata(png_structp png, png_bytep data, size_t len)
{
	struct pngout *o = png_get_io_ptr(png);

	if (fwrite(data, 1, len, o->f) == len)
		return;
	o->ioerr = errno;
	snprintf(o->iomsg, sizeof(o->iomsg), "write error: %s", strerror(errno));
	png_error(png, o->iomsg);
}

/* libpng flush callback: nothing to do, stdio flushes at fclose */
static void
pngflush(png_structp png)
{
	(void)png;
}

/* 16-bit code of v: floor(t + 0.5) of t = (v - lo) / (hi - lo) * 65535, clamped */
static unsigned
code16(float v, double lo, double hi)
{
	double t = (v - lo) / (hi - lo) * 65535 + 0.5;

	if (!(t >= 1))
		return 0;
	if (t >= 65535)
		return 65535;
	return (unsigned)t;
}

int
pngwrite16(const char *path, const struct img *im, double lo, double hi, int compression,
           char *err, size_t n)
{
	struct pngout *o;
	const float *px;
	unsigned c;
	int x, y, r = -1, flat = !(hi > lo), level = compression < 0 ? 0 : compression > 9 ? 9 : compression;

	if (im->w < 1 || im->h < 1 || !im->px)
		return seterr(err, n, "empty image");
	o = xcalloc(1, sizeof(*o));
	o->f = fopen(path, "wb");
	if (!o->f) {
		seterr(err, n, "cannot create:");
		goto err;
	}
	o->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, o->msg, pngerrorfn, pngwarningfn);
	if (!o->png || !(o->info = png_create_info_struct(o->png))) {
		seterr(err, n, "out of memory for libpng");
		goto err;
	}
	o->row = xreallocarray(NULL, im->w, 2);
	if (setjmp(png_jmpbuf(o->png))) {
		errno = o->ioerr;
		if (o->ioerr)
			seterr(err, n, "write error:");
		else
			seterr(err, n, "%s", o->msg);
		goto err;
	}
	png_set_write_fn(o->png, o, pngwritedata, pngflush);
	png_set_compression_level(o->png, level);
	/*
	 * Levels 1-3 favour speed: one filter (Up) instead of libpng's per-row trial of all
	 * five, and run-length matches only (Z_RLE, made for PNG). On float products, whose
	 * low bytes are noise that longer matches cannot shrink, the files come out within
	 * a few percent of full deflate in a third of the time. Levels 4-9 keep libpng's
	 * adaptive filters and zlib's full search.
	 */
	if (level >= 1 && level <= 3) {
		png_set_filter(o->png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
		png_set_compression_strategy(o->png, Z_RLE);
	}
	png_set_IHDR(o->png, o->info, im->w, im->h, 16, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(o->png, o->info);
	if (flat)
		memset(o->row, 0, (size_t)im->w * 2);
	for (y = 0; y < im->h; y++) {
		px = im->px + (size_t)y * im->w;
		for (x = 0; x < im->w && !flat; x++) {
			c = code16(px[x], lo, hi);
			o->row[2 * x] = c >> 8;
			o->row[2 * x + 1] = c & 0xff;
		}
		png_write_row(o->png, o->row);
	}
	png_write_end(o->png, NULL);
	r = 0;
err:
	if (o->png)
		png_destroy_write_struct(&o->png, &o->info);
	if (o->f && fclose(o->f) != 0 && r == 0)
		r = seterr(err, n, "write error:");
	free(o->row);
	free(o);
	return r;
}
