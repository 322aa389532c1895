#include <errno.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/util.h"
#include "process/png.h"
#include "thumb.h"

/* products are never refused for their size here: runja-process wrote them */
#define THUMBMAXPIXELS 1000000000000LL

/* write the nch planes of im to dst as an 8-bit PNG (temporary name, rename); 0 or -1 with err */
static int
thumbwrite(const char *dst, const struct img *im, int nch, char *err, size_t n)
{
	struct buf png;
	char cause[PNGMSGSIZE];
	int ret;

	bufinit(&png);
	if ((ret = thumbencode(im, nch, &png, cause, sizeof(cause))) < 0)
		seterr(err, n, "%s: %s", dst, cause);
	else
		ret = writereplace(dst, png.s, png.len, err, n);
	buffree(&png);
	return ret;
}

/* the size in the header (IHDR) of the PNG at path, read without libpng; -1 when it has none */
static int
ihdrsize(const char *path, int *w, int *h)
{
	static const unsigned char sig[12] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
	unsigned char b[24];
	FILE *f = fopen(path, "rb");
	size_t got = f ? fread(b, 1, sizeof(b), f) : 0;

	if (f)
		fclose(f);
	if (got < sizeof(b) || memcmp(b, sig, sizeof(sig)) != 0 || memcmp(b + 12, "IHDR", 4) != 0)
		return -1;
	*w = (int)((unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19]);
	*h = (int)((unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23]);
	return *w > 0 && *h > 0 ? 0 : -1;
}

/* is dst the thumbnail of src as it is: modified later, of its size (into *tw, *th)? Only headers are read */
static int
uptodate(const char *dst, const char *src, int *tw, int *th)
{
	struct stat d, s;
	int w, h;

	if (stat(dst, &d) < 0 || stat(src, &s) < 0)
		return 0;
	if (d.st_mtim.tv_sec != s.st_mtim.tv_sec ? d.st_mtim.tv_sec < s.st_mtim.tv_sec
	                                         : d.st_mtim.tv_nsec <= s.st_mtim.tv_nsec)
		return 0;
	if (ihdrsize(src, &w, &h) < 0)
		return 0;
	thumbsize(w, h, tw, th);
	return ihdrsize(dst, &w, &h) == 0 && w == *tw && h == *th;
}

int
thumbcompute(const char *src, const char *dst, struct buf *png, int *tw, int *th, char *err, size_t n)
{
	struct img im = {0}, t = {0};
	struct pngin *in;
	char cause[512];
	int w, h, ret;

	if (uptodate(dst, src, tw, th))
		return 1;
	if (!(in = pngopen(src, THUMBMAXPIXELS, &w, &h, cause, sizeof(cause))))
		return seterr(err, n, "%s: %s", src, cause);
	thumbsize(w, h, tw, th);
	ret = pngread(in, &im, CHLUMA, cause, sizeof(cause));
	pngclose(in);
	if (ret < 0) {
		delimg(&im);
		return seterr(err, n, "%s: %s", src, cause);
	}
	thumbresize(&im, &t, *tw, *th);
	delimg(&im);
	if ((ret = thumbencode(&t, 1, png, cause, sizeof(cause))) < 0)
		seterr(err, n, "%s: %s", dst, cause);
	delimg(&t);
	return ret;
}

int
thumbsave(const char *dst, const struct buf *png, char *err, size_t n)
{
	return writereplace(dst, png->s, png->len, err, n);
}

int
thumbmake(const char *src, const char *dst, int *tw, int *th, char *err, size_t n)
{
	struct buf png;
	int ret;

	bufinit(&png);
	ret = thumbcompute(src, dst, &png, tw, th, err, n);
	if (ret == 0)
		ret = thumbsave(dst, &png, err, n);
	buffree(&png);
	return ret < 0 ? -1 : 0;
}

/* any PNG being read for its colour thumbnail: on the heap, so a longjmp from libpng loses nothing */
struct rgbin {
	FILE *f;               /* the file, opened read-only */
	png_structp png;       /* libpng read state */
	png_infop info;        /* header */
	unsigned char *buf;    /* one RGBA row, or the whole image when interlaced */
	unsigned char **rows;  /* row pointers into buf, when interlaced */
	float *planes;         /* one row as R, G, B planes of w pixels each */
	struct thumbacc *acc;  /* the box filter */
	struct img t[3];       /* the thumbnail's R, G, B */
	char msg[PNGMSGSIZE];  /* libpng's error, or the read error (its error pointer) */
};

static void
rgbclose(struct rgbin *p)
{
	int c;

	if (p->png)
		png_destroy_read_struct(&p->png, &p->info, NULL);
	if (p->f)
		fclose(p->f);
	if (p->acc)
		delthumbacc(p->acc);
	for (c = 0; c < 3; c++)
		delimg(&p->t[c]);
	free(p->buf), free(p->rows), free(p->planes);
	free(p);
}

/* libpng read callback: a short read is "truncated" */
static void
rgbreaddata(png_structp png, png_bytep data, size_t len)
{
	struct rgbin *p = png_get_io_ptr(png);

	if (fread(data, 1, len, p->f) == len)
		return;
	if (ferror(p->f))
		snprintf(p->msg, sizeof(p->msg), "read error: %s", strerror(errno));
	else
		snprintf(p->msg, sizeof(p->msg), "truncated");
	png_error(png, p->msg);
}

/* the w RGBA pixels at s as the planes r, g, b in [0,1], composited on white */
static void
rgbaplanes(const unsigned char *restrict s, int w, float *restrict r, float *restrict g, float *restrict b)
{
	int x;

	for (x = 0; x < w; x++) {
		float a = s[4 * x + 3] * (1.0f / 255), k = a * (1.0f / 255);

		r[x] = s[4 * x] * k + (1 - a);
		g[x] = s[4 * x + 1] * k + (1 - a);
		b[x] = s[4 * x + 2] * k + (1 - a);
	}
}

/* add the decoded RGBA row s of p's image to its filter */
static void
rgbaddrow(struct rgbin *p, const unsigned char *s, int w)
{
	const float *planes[3] = {p->planes, p->planes + w, p->planes + 2 * (size_t)w};

	rgbaplanes(s, w, p->planes, p->planes + w, p->planes + 2 * (size_t)w);
	thumbaddrow(p->acc, planes);
}

int
thumbmakergb(const char *src, const char *dst, int *tw, int *th, char *err, size_t n)
{
	struct rgbin *p;
	unsigned char sig[8];
	size_t got, rowbytes;
	int w, h, y, passes, ret;

	if (uptodate(dst, src, tw, th))
		return 0;
	p = xcalloc(1, sizeof(*p));
	if (!(p->f = fopen(src, "rb"))) {
		seterr(err, n, "%s: cannot open:", src);
		rgbclose(p);
		return -1;
	}
	got = fread(sig, 1, sizeof(sig), p->f);
	if (got < sizeof(sig) || png_sig_cmp(sig, 0, sizeof(sig)) != 0) {
		seterr(err, n, "%s: %s", src, ferror(p->f) ? "read error" : got == 0 ? "empty file"
		               : png_sig_cmp(sig, 0, got) != 0 ? "not a PNG file" : "truncated");
		rgbclose(p);
		return -1;
	}
	p->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, p->msg, pngerrorfn, pngwarningfn);
	if (!p->png || !(p->info = png_create_info_struct(p->png))) {
		seterr(err, n, "%s: out of memory for libpng", src);
		rgbclose(p);
		return -1;
	}
	if (setjmp(png_jmpbuf(p->png))) {
		seterr(err, n, "%s: %s", src, p->msg);
		rgbclose(p);
		return -1;
	}
	png_set_read_fn(p->png, p, rgbreaddata);
	png_set_sig_bytes(p->png, sizeof(sig));
	png_read_info(p->png, p->info);
	w = (int)png_get_image_width(p->png, p->info);
	h = (int)png_get_image_height(p->png, p->info);
	thumbsize(w, h, tw, th);
	/* every layout to 8-bit RGBA: palette and low-bit gray expanded, tRNS to alpha, 16 bits scaled */
	png_set_expand(p->png);
	png_set_scale_16(p->png);
	png_set_gray_to_rgb(p->png);
	if (!(png_get_color_type(p->png, p->info) & PNG_COLOR_MASK_ALPHA) &&
	    !png_get_valid(p->png, p->info, PNG_INFO_tRNS))
		png_set_add_alpha(p->png, 0xff, PNG_FILLER_AFTER);
	passes = png_set_interlace_handling(p->png);
	png_read_update_info(p->png, p->info);
	rowbytes = png_get_rowbytes(p->png, p->info);
	if (png_get_channels(p->png, p->info) != 4 || png_get_bit_depth(p->png, p->info) != 8 ||
	    rowbytes != 4 * (size_t)w)
		png_error(p->png, "unsupported PNG layout");
	p->planes = xreallocarray(NULL, (size_t)w, 3 * sizeof(*p->planes));
	p->acc = mkthumbacc(w, h, *tw, *th, 3);
	if (passes > 1) {
		/* Adam7: the rows are complete only after the last pass */
		if ((long long)w * h > THUMBMAXINTERLACED)
			png_error(p->png, "interlaced and too large for a thumbnail");
		p->buf = xreallocarray(NULL, (size_t)h, rowbytes);
		p->rows = xreallocarray(NULL, (size_t)h, sizeof(*p->rows));
		for (y = 0; y < h; y++)
			p->rows[y] = p->buf + (size_t)y * rowbytes;
		png_read_image(p->png, p->rows);
		for (y = 0; y < h; y++)
			rgbaddrow(p, p->rows[y], w);
	} else {
		p->buf = xmalloc(rowbytes);
		for (y = 0; y < h; y++) {
			png_read_row(p->png, p->buf, NULL);
			rgbaddrow(p, p->buf, w);
		}
	}
	thumbfinish(p->acc, p->t);
	ret = thumbwrite(dst, p->t, 3, err, n);
	rgbclose(p);
	return ret;
}
