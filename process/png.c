#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <png.h>

#include "common/util.h"
#include "png.h"
#include "pngfast.h"
#include "simd.h"

/* how decoded rows become floats, chosen once per image */
enum cvtkind {
	CVT8,      /* one 8-bit sample per pixel */
	CVT16,     /* one 16-bit big-endian sample per pixel */
	CVTLUMA8,  /* luma of 8-bit R, G, B */
	CVTLUMA16, /* luma of 16-bit R, G, B */
	CVTPAL     /* one palette index per pixel (one a byte), through the palette's values */
};

struct pngin {
	unsigned char *file;   /* the whole file as read, nfile bytes: both readers decode these bytes */
	size_t nfile;
	size_t rpos;           /* libpng: the next byte of file it reads */
	struct pngfast *fast;  /* the fast reader, while it may read the file; else libpng reads it */
	png_structp png;       /* libpng read state */
	png_infop info;        /* header */
	int w, h;              /* size from the header */
	int read;              /* pngread was called */
	unsigned char *buf;    /* one decoded row, or the whole image when interlaced */
	unsigned char **rows;  /* row pointers into buf when interlaced */
	enum cvtkind cvt;      /* conversion of a decoded row */
	int stride;            /* samples per pixel in a decoded row (1 to 4) */
	int off;               /* sample used by CVT8/CVT16 (the channel) */
	double k;              /* 1 / (largest sample value) */
	int npal;              /* CVTPAL: the palette's entries */
	int palcheck;          /* CVTPAL: an index may lie beyond the palette (2^depth > npal) */
	float pal[256];        /* CVTPAL: each palette entry's value through the channel */
	long long maxpixels;   /* the limit pngopen was given */
	unsigned char pre[33]; /* the first bytes of the file: signature and IHDR */
	size_t npre;           /* how many of them there are */
	char msg[PNGMSGSIZE];  /* libpng's last error (its error pointer) */
	char iomsg[128];       /* our own read error, passed to png_error */
};

/* weights of channel = "luma" */
static const double lumar = 0.2126, lumag = 0.7152, lumab = 0.0722;

void
pngerrorfn(png_structp png, png_const_charp msg)
{
	char *buf = png_get_error_ptr(png), *s;

	if (msg != buf)  /* a read error is handed over in the buffer itself */
		snprintf(buf, PNGMSGSIZE, "%s", msg);
	for (s = buf; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
	png_longjmp(png, 1);
}

void
pngwarningfn(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* libpng read callback over the file's bytes: past their end is "truncated" */
static void
pngreaddata(png_structp png, png_bytep data, size_t len)
{
	struct pngin *p = png_get_io_ptr(png);

	if (len <= p->nfile - p->rpos) {
		memcpy(data, p->file + p->rpos, len);
		p->rpos += len;
		return;
	}
	snprintf(p->iomsg, sizeof(p->iomsg), "truncated");
	png_error(png, p->iomsg);
}

void
pngclose(struct pngin *p)
{
	if (!p)
		return;
	fastclose(p->fast);
	if (p->png)
		png_destroy_read_struct(&p->png, &p->info, NULL);
	free(p->file);
	free(p->buf);
	free(p->rows);
	free(p);
}

/* refuse a w x h image over maxpixels or INT_MAX; 0 or -1 with err */
static int
checksize(unsigned long w, unsigned long h, long long maxpixels, char *err, size_t n)
{
	if (w > INT_MAX || h > INT_MAX)
		return seterr(err, n, "%lux%lu pixels is too large", w, h);
	if ((long long)w * (long long)h > maxpixels)
		return seterr(err, n, "%lux%lu pixels is more than max_pixels (%lld)", w, h, maxpixels);
	return 0;
}

/* big-endian 32-bit value at b */
static unsigned long
get32(const unsigned char *b)
{
	return (unsigned long)b[0] << 24 | (unsigned long)b[1] << 16 | (unsigned long)b[2] << 8 | b[3];
}

/*
 * Hand the file to libpng: from the byte after the signature, through the chunks before
 * the image data. Returns 0, or -1 with libpng's message in err.
 */
static int
libpngopen(struct pngin *p, char *err, size_t n)
{
	png_uint_32 limit;

	p->rpos = 8;
	p->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, p->msg, pngerrorfn, pngwarningfn);
	if (!p->png || !(p->info = png_create_info_struct(p->png)))
		return seterr(err, n, "out of memory for libpng");
	if (setjmp(png_jmpbuf(p->png)))
		return seterr(err, n, "%s", p->msg);
	png_set_read_fn(p->png, p, pngreaddata);
	png_set_sig_bytes(p->png, 8);
	/* no side may exceed maxpixels, so libpng never sizes a row from a wild header */
	limit = p->maxpixels < 1 ? 1 : p->maxpixels > INT_MAX ? INT_MAX : (png_uint_32)p->maxpixels;
	png_set_user_limits(p->png, limit, limit);
	png_set_keep_unknown_chunks(p->png, PNG_HANDLE_CHUNK_NEVER, pngskipchunks,
	                            NSKIPCHUNKS);
	png_read_info(p->png, p->info);
	if (checksize(png_get_image_width(p->png, p->info), png_get_image_height(p->png, p->info),
	              p->maxpixels, err, n) < 0)
		return -1;
	p->w = (int)png_get_image_width(p->png, p->info);
	p->h = (int)png_get_image_height(p->png, p->info);
	return 0;
}

/*
 * The rest of the file fd into p->file, after the npre bytes of p->pre: 0, or -1 with
 * err. Its size as fstat gives it is only a first guess (a file may grow meanwhile).
 */
static int
readrest(struct pngin *p, int fd, char *err, size_t n)
{
	struct stat st;
	size_t cap = 1 << 16;
	unsigned char *b;
	ssize_t got;

	if (fstat(fd, &st) == 0 && st.st_size > 0 && (unsigned long long)st.st_size < SIZE_MAX / 2)
		cap = (size_t)st.st_size + 1;
	if (cap < p->npre + 1)
		cap = p->npre + 1;
	if (!(p->file = malloc(cap)))
		return seterr(err, n, "not enough memory to read the file (%zu bytes)", cap);
	memcpy(p->file, p->pre, p->npre);
	p->nfile = p->npre;
	for (;;) {
		if (p->nfile == cap) {
			if (cap > SIZE_MAX / 2 || !(b = realloc(p->file, cap * 2)))
				return seterr(err, n, "not enough memory to read the file (%zu bytes)", cap * 2);
			p->file = b;
			cap *= 2;
		}
		got = read(fd, p->file + p->nfile, cap - p->nfile);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return seterr(err, n, "read error:");
		if (got == 0)
			return 0;
		p->nfile += (size_t)got;
	}
}

struct pngin *
pngopenbytes(const char *path, long long maxpixels, pngbytesfn *fn, void *ctx, int *w, int *h, char *err,
             size_t n)
{
	struct pngin *p;
	ssize_t got = 0;
	int fd;

	p = xcalloc(1, sizeof(*p));
	p->maxpixels = maxpixels;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		seterr(err, n, "cannot open:");
		goto err;
	}
	/* the signature and IHDR first: the size is checked before the rest is read */
	for (p->npre = 0; p->npre < sizeof(p->pre); p->npre += got) {
		got = read(fd, p->pre + p->npre, sizeof(p->pre) - p->npre);
		if (got < 0 && errno == EINTR)
			got = 0;
		else if (got <= 0)
			break;
	}
	if (got < 0) {
		seterr(err, n, "read error:");
		goto err1;
	}
	if (p->npre == 0) {
		seterr(err, n, "empty file");
		goto refused;
	}
	if (png_sig_cmp(p->pre, 0, p->npre < 8 ? p->npre : 8) != 0) {
		seterr(err, n, "not a PNG file");
		goto refused;
	}
	if (p->npre < 8) {
		seterr(err, n, "truncated");
		goto refused;
	}
	if (p->npre >= 24 && memcmp(p->pre + 12, "IHDR", 4) == 0 &&
	    checksize(get32(p->pre + 16), get32(p->pre + 20), maxpixels, err, n) < 0)
		goto refused;
	/* the whole file, read once: both readers decode these bytes (a file that changes
	   meanwhile is decoded as it was read) */
	if (readrest(p, fd, err, n) < 0)
		goto err1;
	close(fd);
	if (fn)
		fn(ctx, p->file, p->nfile);
	if (p->npre == sizeof(p->pre) && (p->fast = fastopen(p->file + p->npre, p->nfile - p->npre, p->pre))) {
		p->w = (int)get32(p->pre + 16);
		p->h = (int)get32(p->pre + 20);
	} else if (libpngopen(p, err, n) < 0) {
		goto err;
	}
	*w = p->w;
	*h = p->h;
	return p;
refused:
	/* refused for its first bytes: they are the bytes judged (all of a file that ended in them) */
	if (fn)
		fn(ctx, p->pre, p->npre);
err1:
	close(fd);
err:
	pngclose(p);
	return NULL;
}

struct pngin *
pngopen(const char *path, long long maxpixels, int *w, int *h, char *err, size_t n)
{
	return pngopenbytes(path, maxpixels, NULL, NULL, w, h, err, n);
}

/* d[x] = s[x * st] * k; st is a constant where this is inlined */
SIMDINLINE void
cvt8(float *restrict d, const unsigned char *restrict s, int w, int st, double k)
{
	int x;

	for (x = 0; x < w; x++)
		d[x] = (float)(s[x * st] * k);
}

/* d[x] = (16-bit big-endian sample at s + 2 * x * st) * k */
SIMDINLINE void
cvt16(float *restrict d, const unsigned char *restrict s, int w, int st, double k)
{
	int x;

	for (x = 0; x < w; x++)
		d[x] = (float)((s[2 * x * st] << 8 | s[2 * x * st + 1]) * k);
}

/* d[x] = luma of the 8-bit R, G, B at s + x * st */
SIMDINLINE void
luma8(float *restrict d, const unsigned char *restrict s, int w, int st, double k)
{
	double kr = lumar * k, kg = lumag * k, kb = lumab * k;
	int x;

	for (x = 0; x < w; x++)
		d[x] = (float)(kr * s[x * st] + kg * s[x * st + 1] + kb * s[x * st + 2]);
}

/* d[x] = luma of the 16-bit big-endian R, G, B at s + 2 * x * st */
SIMDINLINE void
luma16(float *restrict d, const unsigned char *restrict s, int w, int st, double k)
{
	double kr = lumar * k, kg = lumag * k, kb = lumab * k;
	const unsigned char *q;
	int x;

	for (x = 0; x < w; x++) {
		q = s + 2 * x * st;
		d[x] = (float)(kr * (q[0] << 8 | q[1]) + kg * (q[2] << 8 | q[3]) + kb * (q[4] << 8 | q[5]));
	}
}

/* d[x] = pal[s[x]]: one index per byte, each within the palette (checked by badindex) */
SIMDINLINE void
cvtpal(float *restrict d, const unsigned char *restrict s, int w, const float *restrict pal)
{
	int x;

	for (x = 0; x < w; x++)
		d[x] = pal[s[x]];
}

/* convert w pixels of a decoded row, from the one at s, into d; the switches pick a loop specialised for the stride */
SIMDINLINE void
cvtrowbody(const struct pngin *p, float *d, const unsigned char *s, int w)
{
	switch (p->cvt) {
	case CVT8:
		s += p->off;
		switch (p->stride) {
		case 1: cvt8(d, s, w, 1, p->k); break;
		case 2: cvt8(d, s, w, 2, p->k); break;
		case 3: cvt8(d, s, w, 3, p->k); break;
		default: cvt8(d, s, w, 4, p->k); break;
		}
		break;
	case CVT16:
		s += 2 * p->off;
		switch (p->stride) {
		case 1: cvt16(d, s, w, 1, p->k); break;
		case 2: cvt16(d, s, w, 2, p->k); break;
		case 3: cvt16(d, s, w, 3, p->k); break;
		default: cvt16(d, s, w, 4, p->k); break;
		}
		break;
	case CVTPAL:
		cvtpal(d, s, w, p->pal);
		break;
	case CVTLUMA8:
		if (p->stride == 3)
			luma8(d, s, w, 3, p->k);
		else
			luma8(d, s, w, 4, p->k);
		break;
	case CVTLUMA16:
		if (p->stride == 3)
			luma16(d, s, w, 3, p->k);
		else
			luma16(d, s, w, 4, p->k);
		break;
	}
}

SIMDCLONES(cvtrow, (const struct pngin *p, float *d, const unsigned char *s, int w), (p, d, s, w))

/* choose the row conversion of a type/depth image (as libpng hands it over) read through ch */
static void
setcvt(struct pngin *p, int type, int depth, enum channel ch)
{
	p->k = 1.0 / ((1 << depth) - 1);
	if (type & PNG_COLOR_MASK_COLOR) {
		if (ch == CHLUMA) {
			p->cvt = depth == 16 ? CVTLUMA16 : CVTLUMA8;
			p->off = 0;
		} else {
			p->cvt = depth == 16 ? CVT16 : CVT8;
			p->off = ch == CHR ? 0 : ch == CHG ? 1 : 2;
		}
	} else {
		p->cvt = depth == 16 ? CVT16 : CVT8;
		p->off = 0;
	}
}

/*
 * Palette images are read as indices, one a byte: p->pal gets each entry's value through
 * ch, as setcvt's conversions give it for the entry's 8-bit R, G, B (tRNS ignored).
 */
static void
setpalette(struct pngin *p, enum channel ch)
{
	double k = 1.0 / 255, kr = lumar * k, kg = lumag * k, kb = lumab * k;
	png_colorp pal = NULL;
	int i, depth = png_get_bit_depth(p->png, p->info);

	p->npal = 0;
	png_get_PLTE(p->png, p->info, &pal, &p->npal);
	if (p->npal > 256)
		p->npal = 256;
	memset(p->pal, 0, sizeof(p->pal));
	for (i = 0; i < p->npal; i++) {
		switch (ch) {
		case CHR: p->pal[i] = (float)(pal[i].red * k); break;
		case CHG: p->pal[i] = (float)(pal[i].green * k); break;
		case CHB: p->pal[i] = (float)(pal[i].blue * k); break;
		default: p->pal[i] = (float)(kr * pal[i].red + kg * pal[i].green + kb * pal[i].blue); break;
		}
	}
	p->palcheck = (1 << depth) > p->npal;
	p->cvt = CVTPAL;
	p->off = 0;
}

/* set libpng's transforms and choose the row conversion; called before png_read_update_info */
static void
settransforms(struct pngin *p, enum channel ch)
{
	int type = png_get_color_type(p->png, p->info);
	int depth = png_get_bit_depth(p->png, p->info);

	/* samples are used as stored: no gamma, no alpha expansion or compositing */
	if (depth < 8)
		png_set_packing(p->png);
	if (type == PNG_COLOR_TYPE_PALETTE)
		setpalette(p, ch);
	else
		setcvt(p, type, depth, ch);
}

/*
 * A palette index of the decoded row s (p->w indices, row y) beyond the palette: -1 with
 * the first one named in err (libpng reads such indices without a word); else 0.
 */
static int
badindex(const struct pngin *p, const unsigned char *s, int y, char *err, size_t n)
{
	unsigned char m = 0;
	int x;

	for (x = 0; x < p->w; x++)
		m = s[x] > m ? s[x] : m;
	if (m < p->npal)
		return 0;
	for (x = 0; s[x] < p->npal; x++)
		;
	return seterr(err, n, "palette index %d beyond the palette's %d entr%s (pixel x=%d, y=%d)", s[x],
	              p->npal, p->npal == 1 ? "y" : "ies", x, y);
}

/* where fastread's rows go: the rectangle of im from row y, column skip bytes in */
struct rectout {
	const struct pngin *p; /* the conversion */
	float *px;             /* the rectangle's first pixel */
	int y, w;              /* its first row and its width */
	size_t skip;           /* bytes of a row before its first column */
};

/* fastread's callback: convert row y into the rectangle */
static void
putrow(void *arg, int y, const unsigned char *row)
{
	const struct rectout *o = arg;

	cvtrow(o->p, o->px + (size_t)(y - o->y) * o->w, row + o->skip, o->w);
}

/*
 * pngreadrect through the fast reader: 0, or 1 when libpng is to read the file
 * instead (its own state then set up, or -1 with err if that fails).
 */
static int
fastrect(struct pngin *p, struct img *im, enum channel ch, int x, int y, int w, int h, char *err,
         size_t n)
{
	int depth = p->pre[24], type = p->pre[25], r;
	struct rectout o;

	setcvt(p, type, depth, ch);
	p->stride = fastchannels(type);
	if (imgtryresize(im, w, h) < 0)
		return seterr(err, n, "not enough memory for a %dx%d frame", w, h);
	o.p = p;
	o.px = im->px;
	o.y = y;
	o.w = w;
	o.skip = (size_t)x * p->stride * (depth / 8);
	r = fastread(p->fast, y, y + h, putrow, &o);
	fastclose(p->fast);
	p->fast = NULL;
	if (r == 0)
		return 0;
	/* something is unusual or wrong: libpng reads the file again, and says what */
	return libpngopen(p, err, n) < 0 ? -1 : 1;
}

int
pngread(struct pngin *p, struct img *im, enum channel ch, char *err, size_t n)
{
	return pngreadrect(p, im, ch, 0, 0, p->w, p->h, err, n);
}

int
pngreadrect(struct pngin *p, struct img *im, enum channel ch, int x, int y, int w, int h,
            char *err, size_t n)
{
	size_t rowbytes, skip;
	int i, passes, r;

	if (p->read)
		return seterr(err, n, "image already read");
	/* imgcrop's message, so that cropping while decoding reads like the op */
	if (x < 0 || y < 0 || w < 1 || h < 1 || w > p->w - x || h > p->h - y)
		return seterr(err, n, "crop x=%d y=%d width=%d height=%d does not fit the %dx%d frame",
		              x, y, w, h, p->w, p->h);
	p->read = 1;
	if (p->fast && (r = fastrect(p, im, ch, x, y, w, h, err, n)) <= 0)
		return r;
	if (setjmp(png_jmpbuf(p->png)))
		return seterr(err, n, "%s", p->msg);
	settransforms(p, ch);
	passes = png_set_interlace_handling(p->png);
	png_read_update_info(p->png, p->info);
	p->stride = png_get_channels(p->png, p->info);
	if (p->stride < 1 || p->stride > 4 || ((p->cvt == CVTLUMA8 || p->cvt == CVTLUMA16) && p->stride < 3) ||
	    (p->cvt == CVTPAL && p->stride != 1))
		return seterr(err, n, "unexpected PNG layout (%d channels)", p->stride);
	rowbytes = png_get_rowbytes(p->png, p->info);
	/* bytes of a decoded row before the rectangle's first pixel */
	skip = (size_t)x * p->stride * (p->cvt == CVT16 || p->cvt == CVTLUMA16 ? 2 : 1);
	if (imgtryresize(im, w, h) < 0)
		return seterr(err, n, "not enough memory for a %dx%d frame", w, h);
	if (passes == 1) {
		/* every row is decoded (so its data is checked); only the rectangle's are converted */
		p->buf = xmalloc(rowbytes);
		for (i = 0; i < p->h; i++) {
			png_read_row(p->png, p->buf, NULL);
			if (p->palcheck && badindex(p, p->buf, i, err, n) < 0)
				return -1;
			if (i >= y && i - y < h)
				cvtrow(p, im->px + (size_t)(i - y) * w, p->buf + skip, w);
		}
	} else {
		p->buf = reallocarray(NULL, p->h, rowbytes);
		p->rows = reallocarray(NULL, p->h, sizeof(*p->rows));
		if (!p->buf || !p->rows)
			return seterr(err, n, "not enough memory for a %dx%d interlaced frame", p->w, p->h);
		for (i = 0; i < p->h; i++)
			p->rows[i] = p->buf + (size_t)i * rowbytes;
		png_read_image(p->png, p->rows);
		for (i = 0; i < p->h; i++)
			if (p->palcheck && badindex(p, p->rows[i], i, err, n) < 0)
				return -1;
		for (i = 0; i < h; i++)
			cvtrow(p, im->px + (size_t)i * w, p->rows[y + i] + skip, w);
	}
	png_read_end(p->png, NULL);
	return 0;
}

int
pngload(const char *path, long long maxpixels, enum channel ch, struct img *im, char *err, size_t n)
{
	struct pngin *p;
	int w, h, r;

	p = pngopen(path, maxpixels, &w, &h, err, n);
	if (!p)
		return -1;
	r = pngread(p, im, ch, err, n);
	pngclose(p);
	return r;
}
