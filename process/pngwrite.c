#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <isa-l/crc.h>
#include <png.h>

#include "common/util.h"
#include "deflate.h"
#include "png.h"
#include "simd.h"

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

/*
 * The 16-bit codes of v[0..n), big-endian, at out[0..2n): floor(t + 0.5) of t = (v - lo) /
 * (hi - lo) * 65535, clamped to 0..65535 (0 when it is not a number). A plain loop, each
 * pixel's arithmetic in double in this order, so every vector path writes the same bytes.
 */
SIMDINLINE void
code16rowbody(const float *restrict v, size_t n, double lo, double hi, unsigned char *restrict out)
{
	double t;
	uint16_t c;
	size_t i;

	for (i = 0; i < n; i++) {
		t = (v[i] - lo) / (hi - lo) * 65535 + 0.5;
		t = t >= 65535 ? 65535 : t;
		t = t >= 1 ? t : 0;
		c = (uint16_t)(int32_t)t;
		c = (uint16_t)(c << 8 | c >> 8);
		memcpy(out + 2 * i, &c, 2);
	}
}
SIMDCLONES(code16row, (const float *restrict v, size_t n, double lo, double hi, unsigned char *restrict out),
           (v, n, lo, hi, out))

/* the Up filter: up[k] = row[k] - up[k], byte by byte */
SIMDINLINE void
upfilterbody(unsigned char *restrict up, const unsigned char *restrict row, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		up[k] = (unsigned char)(row[k] - up[k]);
}
SIMDCLONES(upfilter, (unsigned char *restrict up, const unsigned char *restrict row, size_t n), (up, row, n))

/* the codes of a row of w pixels px at out (zeros when flat) */
static void
coderow(const float *px, int w, double lo, double hi, int flat, unsigned char *out)
{
	if (flat)
		memset(out, 0, 2 * (size_t)w);
	else
		code16row(px, (size_t)w, lo, hi, out);
}

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

/* the IDAT stream of writelits: filtered rows gathered into blocks, each deflated and written as a chunk */
struct idat {
	FILE *f;
	struct deflater z;
	unsigned char in[DEFLATEBLOCK];  /* filtered bytes not deflated yet */
	size_t nin;
	unsigned char out[DEFLATEROOM];  /* the deflater's */
};

/* deflate the block gathered (the last when last) and write what is complete as an IDAT chunk; 0 or -1 */
static int
idatflush(struct idat *d, int last)
{
	deflateblock(&d->z, d->in, d->nin, last);
	d->nin = 0;
	if (d->z.len && chunk(d->f, "IDAT", d->out, d->z.len) < 0)
		return -1;
	d->z.len = 0;
	return 0;
}

/* append b[0..n) to the stream; 0 or -1 */
static int
idatadd(struct idat *d, const unsigned char *b, size_t n)
{
	size_t k;

	for (; n > 0; b += k, n -= k) {
		if (d->nin == DEFLATEBLOCK && idatflush(d, 0) < 0)
			return -1;
		k = n < DEFLATEBLOCK - d->nin ? n : DEFLATEBLOCK - d->nin;
		memcpy(d->in + d->nin, b, k);
		d->nin += k;
	}
	return 0;
}

/*
 * Levels 1-3: each row Up-filtered (a row minus the one above it, byte by byte) and the
 * rows deflated as literals only (deflate.h), a block of 64 KiB at a time, each an IDAT
 * chunk: on float products, whose low bytes are noise, as small as zlib's run-length
 * matches, several times faster. Written here, not through libpng, which hands its rows
 * to zlib. Two rows and a block in memory. 0 or -1 (errno set).
 */
static int
writelits(FILE *f, const struct img *im, double lo, double hi, pngrowfn *each, void *ctx)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	size_t stride = 1 + 2 * (size_t)im->w;
	unsigned char ihdr[13], *row = xcalloc(stride, 1), *up = xcalloc(stride, 1), *t;
	struct idat *d = xmalloc(sizeof(*d));
	int y, flat = !(hi > lo), r = -1;

	d->f = f;
	d->nin = 0;
	deflatestart(&d->z, d->out);
	put32(ihdr, (uint32_t)im->w);
	put32(ihdr + 4, (uint32_t)im->h);
	ihdr[8] = 16, ihdr[9] = 0, ihdr[10] = 0, ihdr[11] = 0, ihdr[12] = 0;
	if (fwrite(sig, 1, sizeof(sig), f) != sizeof(sig) || chunk(f, "IHDR", ihdr, sizeof(ihdr)) < 0)
		goto out;
	for (y = 0; y < im->h; y++) {
		coderow(im->px + (size_t)y * im->w, im->w, lo, hi, flat, row + 1);
		if (each)
			each(ctx, row + 1);
		/* Up on the first row too (the row above it is zeros), as libpng wrote it: the same data inflated */
		up[0] = 2;
		upfilter(up + 1, row + 1, stride - 1);
		if (idatadd(d, up, stride) < 0)
			goto out;
		/* up holds the filtered row now: the row itself becomes the one above */
		t = up, up = row, row = t;
	}
	if (idatflush(d, 1) < 0)
		goto out;
	r = chunk(f, "IEND", NULL, 0);
out:
	free(row), free(up), free(d);
	return r;
}

/* levels 1-3: writelits into a new file at path; 0 or -1 with err */
static int
writeown(const char *path, const struct img *im, double lo, double hi, pngrowfn *each, void *ctx, char *err,
         size_t n)
{
	FILE *f = fopen(path, "wb");
	int r;

	if (!f)
		return seterr(err, n, "cannot create:");
	r = writelits(f, im, lo, hi, each, ctx) < 0 ? seterr(err, n, "write error:") : 0;
	if (fclose(f) != 0 && r == 0)
		r = seterr(err, n, "write error:");
	return r;
}

int
pngwrite16(const char *path, const struct img *im, double lo, double hi, int compression,
           char *err, size_t n)
{
	return pngwrite16rows(path, im, lo, hi, compression, NULL, NULL, err, n);
}

int
pngwrite16rows(const char *path, const struct img *im, double lo, double hi, int compression,
               pngrowfn *each, void *ctx, char *err, size_t n)
{
	struct pngout *o;
	int y, flat = !(hi > lo), level = compression < 0 ? 0 : compression > 9 ? 9 : compression;
	volatile int r = -1;  /* read after libpng's longjmp */

	if (im->w < 1 || im->h < 1 || !im->px)
		return seterr(err, n, "empty image");
	if (level >= 1 && level <= 3)
		return writeown(path, im, lo, hi, each, ctx, err, n);
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
	/* levels 4-9 (levels 1-3 are writelits'): libpng's adaptive filters and zlib's full search; 0 stored */
	png_set_IHDR(o->png, o->info, im->w, im->h, 16, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(o->png, o->info);
	for (y = 0; y < im->h; y++) {
		coderow(im->px + (size_t)y * im->w, im->w, lo, hi, flat, o->row);
		if (each)
			each(ctx, o->row);
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
