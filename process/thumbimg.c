#include <math.h>
#include <png.h>
#include <stdlib.h>
#include <zlib.h>

#include "common/util.h"
#include "png.h"
#include "thumbimg.h"

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
	float *in;       /* one source row of plane 0, for thumbadd16 */
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

struct thumbacc *
mkthumbacc(int w, int h, int tw, int th, int nch)
{
	struct thumbacc *a = xmalloc(sizeof(*a));
	size_t k;
	int x, i;

	*a = (struct thumbacc){.w = w, .h = h, .tw = tw, .th = th, .nch = nch, .sx = (double)w / tw, .sy = (double)h / th};
	a->across = xreallocarray(NULL, (size_t)tw, sizeof(*a->across));
	a->in = xreallocarray(NULL, (size_t)w, sizeof(*a->in));
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

void
delthumbacc(struct thumbacc *a)
{
	free(a->across), free(a->in);
	free(a->first), free(a->at), free(a->wt);
	free(a->acc);
	free(a);
}

void
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

void
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

int
thumbencode(const struct img *im, int nch, struct buf *out, char *err, size_t n)
{
	unsigned char *volatile row = xreallocarray(NULL, (size_t)im->w, (size_t)nch);
	png_structp png = NULL;
	png_infop info = NULL;
	char msg[PNGMSGSIZE] = "";
	int x, y, c;
	float v;

	out->len = 0;
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, msg, pngerrorfn, NULL);
	if (!png || !(info = png_create_info_struct(png)))
		goto err;
	if (setjmp(png_jmpbuf(png)))
		goto err;
	png_set_write_fn(png, out, bufwritefn, bufflushfn);
	/*
	 * Small smooth pictures: each row as its difference from the left or from the row
	 * above (Sub or Up, libpng choosing), deflated as runs (zlib's Z_RLE): about as small
	 * as with libpng's five filters and zlib's default search, in a quarter of the time.
	 */
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB | PNG_FILTER_UP);
	png_set_compression_strategy(png, Z_RLE);
	png_set_IHDR(png, info, (png_uint_32)im->w, (png_uint_32)im->h, 8,
	             nch == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (y = 0; y < im->h; y++) {
		for (c = 0; c < nch; c++) {
			const float *in = im[c].px + (size_t)y * im->w;

			/* clamped to [0, 1] as fminf(fmaxf(v, 0), 1) would, NaN to 0, without two calls a sample */
			for (x = 0; x < im->w; x++) {
				v = in[x] > 0.0f ? in[x] : 0.0f;
				v = v < 1.0f ? v : 1.0f;
				row[x * nch + c] = (unsigned char)(v * 255.0f + 0.5f);
			}
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

void
thumbadd16(void *ctx, const unsigned char *row)
{
	/* as png.c decodes a 16-bit sample: its code times 1 / 65535 */
	const double k = 1.0 / 65535;
	struct thumbacc *a = ctx;
	const float *in = a->in;
	int x;

	for (x = 0; x < a->w; x++)
		a->in[x] = (float)((row[2 * x] << 8 | row[2 * x + 1]) * k);
	thumbaddrow(a, &in);
}

int
thumbdone(const struct thumbacc *a, struct buf *png, char *err, size_t n)
{
	struct img t = {0};
	int ret;

	thumbfinish(a, &t);
	ret = thumbencode(&t, 1, png, err, n);
	delimg(&t);
	return ret;
}
