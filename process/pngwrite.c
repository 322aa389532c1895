#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <isa-l/crc.h>
#include <png.h>

#include "common/util.h"
#include "deflate.h"
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

/* the largest IDAT chunk written: a PNG chunk holds less than 2^31 bytes */
enum { IDATMAX = 1 << 30 };

/* put v big-endian at p */
static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* write the chunk of type (4 letters) and data[0..n) to f; 0 or -1 (errno set) */
static int
chunk(FILE *f, const char *type, const unsigned char *data, size_t n)
{
	unsigned char head[8], tail[4];

	put32(head, (uint32_t)n);
	memcpy(head + 4, type, 4);
	put32(tail, crc32_gzip_refl(crc32_gzip_refl(0, head + 4, 4), data, n));
	if (fwrite(head, 1, 8, f) != 8 || (n > 0 && fwrite(data, 1, n, f) != n) || fwrite(tail, 1, 4, f) != 4)
		return -1;
	return 0;
}

/*
 * Levels 1-3: each row Up-filtered (a row minus the one above it, byte by byte) and the
 * whole deflated as literals only (deflate.h): on float products, whose low bytes are
 * noise, as small as zlib's run-length matches, several times faster. Written here, not
 * through libpng, which hands its rows to zlib. 0 or -1 (errno set).
 */
static int
writelits(FILE *f, const struct img *im, double lo, double hi)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	size_t stride = 1 + 2 * (size_t)im->w, n = stride * (size_t)im->h, len, off, k;
	unsigned char ihdr[13], *raw = xmalloc(n), *z, *row, *up;
	const float *px;
	unsigned c;
	int x, y, flat = !(hi > lo), r = -1;

	for (y = 0; y < im->h; y++) {
		row = raw + (size_t)y * stride;
		px = im->px + (size_t)y * im->w;
		/* Up on the first row too (the row above it is zeros), as libpng wrote it: the same data inflated */
		row[0] = 2;
		for (x = 0; x < im->w; x++) {
			c = flat ? 0 : code16(px[x], lo, hi);
			row[1 + 2 * x] = c >> 8;
			row[2 + 2 * x] = c & 0xff;
		}
	}
	/* Up, from the last row so that each subtracts the row above as it was */
	for (y = im->h - 1; y > 0; y--) {
		row = raw + (size_t)y * stride + 1;
		up = row - stride;
		for (k = 0; k < stride - 1; k++)
			row[k] = (unsigned char)(row[k] - up[k]);
	}
	z = xmalloc(deflatebound(n));
	len = deflatelits(raw, n, z);
	put32(ihdr, (uint32_t)im->w);
	put32(ihdr + 4, (uint32_t)im->h);
	ihdr[8] = 16, ihdr[9] = 0, ihdr[10] = 0, ihdr[11] = 0, ihdr[12] = 0;
	if (fwrite(sig, 1, sizeof(sig), f) != sizeof(sig) || chunk(f, "IHDR", ihdr, sizeof(ihdr)) < 0)
		goto out;
	for (off = 0; off < len; off += k) {
		k = len - off < IDATMAX ? len - off : IDATMAX;
		if (chunk(f, "IDAT", z + off, k) < 0)
			goto out;
	}
	r = chunk(f, "IEND", NULL, 0);
out:
	free(raw), free(z);
	return r;
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
	if (level >= 1 && level <= 3) {
		if (writelits(o->f, im, lo, hi) < 0)
			seterr(err, n, "write error:");
		else
			r = 0;
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
	/* levels 4-9 (levels 1-3 are writelits'): libpng's adaptive filters and zlib's full search; 0 stored */
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
