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
#include "png.h"
#include "thumb.h"

/* products are never refused for their size here: runja-process wrote them */
#define THUMBMAXPIXELS 1000000000000LL

void
thumbsize(int w, int h, int *tw, int *th)
{
	double f = 1;

	if (w > THUMBMAX)
		f = (double)THUMBMAX / w;
	if (h * f > THUMBMAX)
		f = (double)THUMBMAX / h;
	*tw = (int)lround(w * f);
	*th = (int)lround(h * f);
	if (*tw < 1)
		*tw = 1;
	if (*th < THUMBMINH && *th < *tw / 2)
		*th = *tw / 2 < THUMBMINH ? *tw / 2 : THUMBMINH;
	if (*th < 1)
		*th = 1;
}

/* the weight of source pixel i in the output pixel covering [a, b) */
static double
cover(int i, double a, double b)
{
	/* fmin and fmax without their calls (no NaN here): a third of the report's time */
	double hi = b < i + 1.0 ? b : i + 1.0, lo = a > i ? a : i;

	return hi - lo;
}

void
thumbresize(const struct img *src, struct img *dst, int tw, int th)
{
	double sx = (double)src->w / tw, sy = (double)src->h / th;
	double *acc = xreallocarray(NULL, (size_t)tw, sizeof(*acc));
	float *rows = xreallocarray(NULL, (size_t)src->h, (size_t)tw * sizeof(*rows));
	int x, y, i;

	/* across: every source row to tw pixels */
	for (y = 0; y < src->h; y++) {
		const float *in = src->px + (size_t)y * src->w;

		for (x = 0; x < tw; x++) {
			double a = x * sx, b = (x + 1) * sx, s = 0;
			int hi = (int)ceil(b) < src->w ? (int)ceil(b) : src->w;

			for (i = (int)a; i < hi; i++)
				s += cover(i, a, b) * in[i];
			rows[(size_t)y * tw + x] = (float)(s / sx);
		}
	}
	/* down: th rows, each the covered rows weighted */
	imgresize(dst, tw, th);
	for (y = 0; y < th; y++) {
		double a = y * sy, b = (y + 1) * sy;
		int hi = (int)ceil(b) < src->h ? (int)ceil(b) : src->h;

		memset(acc, 0, (size_t)tw * sizeof(*acc));
		for (i = (int)a; i < hi; i++) {
			const float *in = rows + (size_t)i * tw;
			double wt = cover(i, a, b);

			for (x = 0; x < tw; x++)
				acc[x] += wt * in[x];
		}
		for (x = 0; x < tw; x++)
			dst->px[(size_t)y * tw + x] = (float)(acc[x] / sy);
	}
	free(rows);
	free(acc);
}

/* libpng error callback: unwind to the setjmp (the message is libpng's) */
static void
thumberror(png_structp png, png_const_charp msg)
{
	char *err = png_get_error_ptr(png);

	snprintf(err, 128, "%s", msg);
	png_longjmp(png, 1);
}

/* write im ([0,1] each) to path as an 8-bit gray PNG, in place; 0 or -1 with the cause in err */
static int
pngwrite8(const char *path, const struct img *im, char *err, size_t n)
{
	unsigned char *volatile row = xmalloc((size_t)im->w);
	png_structp png = NULL;
	png_infop info = NULL;
	char msg[128] = "";
	FILE *f;
	int x, y;

	if (!(f = fopen(path, "wb"))) {
		free(row);
		return seterr(err, n, "%s:", path);
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, msg, thumberror, NULL);
	if (!png || !(info = png_create_info_struct(png)))
		goto err;
	if (setjmp(png_jmpbuf(png)))
		goto err;
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)im->w, (png_uint_32)im->h, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (y = 0; y < im->h; y++) {
		const float *in = im->px + (size_t)y * im->w;

		for (x = 0; x < im->w; x++)
			row[x] = (unsigned char)(fminf(fmaxf(in[x], 0.0f), 1.0f) * 255.0f + 0.5f);
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	if (fclose(f) != 0)
		return seterr(err, n, "%s:", path);
	return 0;
err:
	png_destroy_write_struct(&png, &info);
	free(row);
	fclose(f);
	return seterr(err, n, "%s: %s", path, *msg ? msg : "cannot write PNG");
}

/* is dst a tw x th PNG modified later than src? */
static int
uptodate(const char *dst, const char *src, int tw, int th)
{
	struct stat d, s;
	struct pngin *in;
	char cause[512];
	int w, h;

	if (stat(dst, &d) < 0 || stat(src, &s) < 0)
		return 0;
	if (d.st_mtim.tv_sec != s.st_mtim.tv_sec ? d.st_mtim.tv_sec < s.st_mtim.tv_sec
	                                         : d.st_mtim.tv_nsec <= s.st_mtim.tv_nsec)
		return 0;
	if (!(in = pngopen(dst, THUMBMAXPIXELS, &w, &h, cause, sizeof(cause))))
		return 0;
	pngclose(in);
	return w == tw && h == th;
}

int
thumbmake(const char *src, const char *dst, int *tw, int *th, char *err, size_t n)
{
	struct img im = {0}, t = {0};
	struct pngin *in;
	char cause[512], *tmp;
	int w, h, ret;

	if (!(in = pngopen(src, THUMBMAXPIXELS, &w, &h, cause, sizeof(cause))))
		return seterr(err, n, "%s: %s", src, cause);
	thumbsize(w, h, tw, th);
	if (uptodate(dst, src, *tw, *th)) {
		pngclose(in);
		return 0;
	}
	ret = pngread(in, &im, CHLUMA, cause, sizeof(cause));
	pngclose(in);
	if (ret < 0) {
		delimg(&im);
		return seterr(err, n, "%s: %s", src, cause);
	}
	thumbresize(&im, &t, *tw, *th);
	tmp = tmpname(dst);
	ret = pngwrite8(tmp, &t, err, n);
	if (ret == 0 && rename(tmp, dst) < 0)
		ret = seterr(err, n, "%s:", dst);
	if (ret < 0)
		unlink(tmp);
	free(tmp);
	delimg(&t);
	delimg(&im);
	return ret;
}
