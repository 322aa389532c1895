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

/* the box filter of a w x h image of nch planes to tw x th, fed one source row at a time */
struct thumbacc {
	int w, h, tw, th, nch;
	double sx, sy;   /* source pixels per output pixel, across and down */
	float *across;   /* the current row resampled across: tw */
	int *first;      /* per output column x: the first source pixel it covers */
	size_t *at;      /* per output column, and one past the last: where its weights start in wt */
	double *wt;      /* the weights cover() gives each source pixel of each output column, in turn */
	double *acc;     /* nch planes of th x tw sums of rows weighted by their coverage */
	int y;           /* the next source row */
	int oy;          /* the first output row not complete yet */
};

/* the first source row output row j covers */
static int
rowlo(const struct thumbacc *a, int j)
{
	return (int)(j * a->sy);
}

/* one past the last source row output row j covers */
static int
rowhi(const struct thumbacc *a, int j)
{
	int hi = (int)ceil((j + 1) * a->sy);

	return hi < a->h ? hi : a->h;
}

/* start the filter of a w x h image of nch planes to tw x th; caller frees with delthumbacc */
static struct thumbacc *
mkthumbacc(int w, int h, int tw, int th, int nch)
{
	struct thumbacc *a = xmalloc(sizeof(*a));
	size_t k;
	int x, i;

	*a = (struct thumbacc){.w = w, .h = h, .tw = tw, .th = th, .nch = nch, .sx = (double)w / tw, .sy = (double)h / th};
	a->across = xreallocarray(NULL, (size_t)tw, sizeof(*a->across));
	a->acc = xcalloc((size_t)nch * th, (size_t)tw * sizeof(*a->acc));
	/* the weights across, the same for every row: each source pixel in at most two columns */
	a->first = xreallocarray(NULL, (size_t)tw, sizeof(*a->first));
	a->at = xreallocarray(NULL, (size_t)tw + 1, sizeof(*a->at));
	a->wt = xreallocarray(NULL, (size_t)w + 2 * (size_t)tw, sizeof(*a->wt));
	k = 0;
	for (x = 0; x < tw; x++) {
		double lo = x * a->sx, hi = (x + 1) * a->sx;
		int end = (int)ceil(hi) < w ? (int)ceil(hi) : w;

		a->first[x] = (int)lo;
		a->at[x] = k;
		for (i = (int)lo; i < end; i++)
			a->wt[k++] = cover(i, lo, hi);
	}
	a->at[tw] = k;
	return a;
}

static void
delthumbacc(struct thumbacc *a)
{
	free(a->across);
	free(a->first), free(a->at), free(a->wt);
	free(a->acc);
	free(a);
}

/* add the next source row: planes[c] holds its w pixels of plane c */
static void
thumbaddrow(struct thumbacc *a, const float *const *planes)
{
	int c, j, x, y = a->y++;

	for (c = 0; c < a->nch; c++) {
		/* across: the row to tw pixels */
		for (x = 0; x < a->tw; x++) {
			const float *in = planes[c] + a->first[x];
			const double *wt = a->wt + a->at[x];
			size_t nk = a->at[x + 1] - a->at[x], k;
			double s = 0;

			for (k = 0; k < nk; k++)
				s += wt[k] * in[k];
			a->across[x] = (float)(s / a->sx);
		}
		/* down: into every output row that covers source row y */
		for (j = a->oy; j < a->th && rowlo(a, j) <= y; j++) {
			double *acc = a->acc + ((size_t)c * a->th + j) * a->tw, wt;

			if (y >= rowhi(a, j))
				continue;
			wt = cover(y, j * a->sy, (j + 1) * a->sy);
			for (x = 0; x < a->tw; x++)
				acc[x] += wt * a->across[x];
		}
	}
	while (a->oy < a->th && rowhi(a, a->oy) <= y + 1)
		a->oy++;
}

/* the filtered image, plane c into dst[c] (resized to tw x th), once every row was added */
static void
thumbfinish(const struct thumbacc *a, struct img *dst)
{
	size_t i, npx = (size_t)a->tw * a->th;
	int c;

	for (c = 0; c < a->nch; c++) {
		const double *acc = a->acc + c * npx;

		imgresize(&dst[c], a->tw, a->th);
		for (i = 0; i < npx; i++)
			dst[c].px[i] = (float)(acc[i] / a->sy);
	}
}

void
thumbresize(const struct img *src, struct img *dst, int tw, int th)
{
	struct thumbacc *a = mkthumbacc(src->w, src->h, tw, th, 1);
	int y;

	for (y = 0; y < src->h; y++) {
		const float *row = src->px + (size_t)y * src->w;

		thumbaddrow(a, &row);
	}
	thumbfinish(a, dst);
	delthumbacc(a);
}

/* libpng's write callback: append to the buffer behind its io pointer */
static void
bufwritefn(png_structp png, png_bytep data, size_t len)
{
	bufadd(png_get_io_ptr(png), (const char *)data, len);
}

static void
bufflushfn(png_structp png)
{
	(void)png;
}

/*
 * the nch planes of im (1: gray, 3: R, G, B; [0,1] each) as an 8-bit PNG into out
 * (emptied first): 0 or -1 with libpng's word in err; any thread
 */
static int
pngencode8(const struct img *im, int nch, struct buf *out, char *err, size_t n)
{
	unsigned char *volatile row = xreallocarray(NULL, (size_t)im->w, (size_t)nch);
	png_structp png = NULL;
	png_infop info = NULL;
	char msg[PNGMSGSIZE] = "";
	int x, y, c;

	out->len = 0;
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, msg, pngerrorfn, NULL);
	if (!png || !(info = png_create_info_struct(png)))
		goto err;
	if (setjmp(png_jmpbuf(png)))
		goto err;
	png_set_write_fn(png, out, bufwritefn, bufflushfn);
	png_set_IHDR(png, info, (png_uint_32)im->w, (png_uint_32)im->h, 8,
	             nch == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (y = 0; y < im->h; y++) {
		for (c = 0; c < nch; c++) {
			const float *in = im[c].px + (size_t)y * im->w;

			for (x = 0; x < im->w; x++)
				row[x * nch + c] = (unsigned char)(fminf(fmaxf(in[x], 0.0f), 1.0f) * 255.0f + 0.5f);
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	return 0;
err:
	png_destroy_write_struct(&png, &info);
	free(row);
	return seterr(err, n, "%s", *msg ? msg : "cannot write PNG");
}

/* write the nch planes of im to dst as an 8-bit PNG (temporary name, rename); 0 or -1 with err */
static int
thumbwrite(const char *dst, const struct img *im, int nch, char *err, size_t n)
{
	struct buf png;
	char cause[PNGMSGSIZE];
	int ret;

	bufinit(&png);
	if ((ret = pngencode8(im, nch, &png, cause, sizeof(cause))) < 0)
		seterr(err, n, "%s: %s", dst, cause);
	else
		ret = writeatomic(dst, png.s, png.len, err, n);
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
	if ((ret = pngencode8(&t, 1, png, cause, sizeof(cause))) < 0)
		seterr(err, n, "%s: %s", dst, cause);
	delimg(&t);
	return ret;
}

int
thumbsave(const char *dst, const struct buf *png, char *err, size_t n)
{
	return writeatomic(dst, png->s, png->len, err, n);
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
