/* tests of process/png.c: every PNG kind decoded exactly, every error message, pngwrite16 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <png.h>

#include "common/util.h"
#include "process/ops/ops.h"
#include "process/png.h"
#include "tests/test.h"
#include "tests/unit/pngbytes.h"

/* the temporary directory of this run, from mkdtemp */
static char tmpdir[] = "/tmp/runja-png-XXXXXX";

/* a PNG to write: size, format and samples (channels per pixel, big values for 16-bit) */
struct pngdesc {
	int w, h;                /* size */
	int depth;               /* bits per sample */
	int type;                /* PNG_COLOR_TYPE_* */
	int interlace;           /* PNG_INTERLACE_NONE or PNG_INTERLACE_ADAM7 */
	int level;               /* zlib level */
	int idatsize;            /* bytes per IDAT chunk (0: libpng's default) */
	const unsigned *s;       /* w * h * channels samples (palette: indices) */
	const png_color *pal;    /* palette, or NULL */
	int npal;                /* palette entries */
	const png_byte *trns;    /* tRNS alpha of the palette entries, or NULL */
	int ntrns;               /* tRNS entries */
};

/* path of name in the temporary directory, into p (room for 256) */
static char *
tpath(char *p, const char *name)
{
	snprintf(p, 256, "%s/%s", tmpdir, name);
	return p;
}

/* samples per pixel of a PNG colour type */
static int
nchannels(int type)
{
	switch (type) {
	case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
	case PNG_COLOR_TYPE_RGB: return 3;
	case PNG_COLOR_TYPE_RGB_ALPHA: return 4;
	default: return 1;
	}
}

/* the rows of d packed as libpng wants them, in one buffer; caller frees */
static unsigned char *
packrows(const struct pngdesc *d, size_t rowbytes)
{
	unsigned char *buf = xcalloc(d->h, rowbytes), *row;
	int c = nchannels(d->type), x, y, k;
	size_t i;

	for (y = 0; y < d->h; y++) {
		row = buf + y * rowbytes;
		for (x = 0; x < d->w * c; x++) {
			i = (size_t)y * d->w * c + x;
			if (d->depth == 16) {
				row[2 * x] = d->s[i] >> 8;
				row[2 * x + 1] = d->s[i] & 0xff;
			} else {
				k = x * d->depth;
				row[k / 8] |= d->s[i] << (8 - d->depth - k % 8);
			}
		}
	}
	return buf;
}

/* write d to path with libpng; 0 or -1 */
static int
writepng(const char *path, const struct pngdesc *d)
{
	size_t rowbytes = ((size_t)d->w * nchannels(d->type) * d->depth + 7) / 8;
	unsigned char *buf = packrows(d, rowbytes);
	png_bytep *rows = xcalloc(d->h, sizeof(*rows));
	png_structp png;
	png_infop info;
	volatile int r = -1;
	FILE *f;
	int y;

	for (y = 0; y < d->h; y++)
		rows[y] = buf + y * rowbytes;
	if (!(f = fopen(path, "wb")))
		goto out;
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png_create_info_struct(png);
	if (setjmp(png_jmpbuf(png)))
		goto done;
	png_init_io(png, f);
	png_set_compression_level(png, d->level);
	if (d->idatsize)
		png_set_compression_buffer_size(png, d->idatsize);
	png_set_IHDR(png, info, d->w, d->h, d->depth, d->type, d->interlace, PNG_COMPRESSION_TYPE_DEFAULT,
	             PNG_FILTER_TYPE_DEFAULT);
	if (d->pal)
		png_set_PLTE(png, info, d->pal, d->npal);
	if (d->trns)
		png_set_tRNS(png, info, d->trns, d->ntrns, NULL);
	png_write_info(png, info);
	png_write_image(png, rows);
	png_write_end(png, NULL);
	r = 0;
done:
	png_destroy_write_struct(&png, &info);
	if (fclose(f) != 0)
		r = -1;
out:
	free(buf);
	free(rows);
	return r;
}

/* next value of a small deterministic generator */
static unsigned
lcg(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

/* n samples in [0, max], starting with 0 and max, then pseudo-random; caller frees */
static unsigned *
samples(size_t n, unsigned max, unsigned seed)
{
	unsigned *s = xreallocarray(NULL, n, sizeof(*s));
	size_t i;

	for (i = 0; i < n; i++)
		s[i] = i == 0 ? 0 : i == 1 ? max : lcg(&seed) % (max + 1);
	return s;
}

/* value of pixel i of d through ch, as SPEC section 4 defines it, in double */
static double
expected(const struct pngdesc *d, size_t i, enum channel ch)
{
	int c = nchannels(d->type);
	double max = (1 << d->depth) - 1, r, g, b;

	if (d->type == PNG_COLOR_TYPE_PALETTE) {
		r = d->pal[d->s[i]].red / 255.0;
		g = d->pal[d->s[i]].green / 255.0;
		b = d->pal[d->s[i]].blue / 255.0;
	} else if (c < 3) {
		return d->s[i * c] / max;
	} else {
		r = d->s[i * c] / max;
		g = d->s[i * c + 1] / max;
		b = d->s[i * c + 2] / max;
	}
	switch (ch) {
	case CHR: return r;
	case CHG: return g;
	case CHB: return b;
	default: return 0.2126 * r + 0.7152 * g + 0.0722 * b;
	}
}

/* pngreadrect of x, y, w, h of path gives exactly those pixels of whole (its pngread) */
static void
checkrect(const char *path, enum channel ch, const struct img *whole, int x, int y, int w, int h)
{
	char err[256] = "";
	struct pngin *p;
	struct img im = {0};
	int iw, ih, i, j, bad = 0;

	p = pngopen(path, 100000000, &iw, &ih, err, sizeof(err));
	EXPECT(p != NULL);
	if (!p)
		return;
	EXPECTINT(pngreadrect(p, &im, ch, x, y, w, h, err, sizeof(err)), 0);
	EXPECTSTR(err, "");
	pngclose(p);
	EXPECTINT(im.w, w);
	EXPECTINT(im.h, h);
	for (j = 0; j < h && im.w == w && im.h == h && !bad; j++) {
		for (i = 0; i < w && !bad; i++) {
			if (im.px[j * w + i] != whole->px[(y + j) * whole->w + x + i]) {
				printf("  %s: rect %d,%d %dx%d: pixel (%d, %d)\n", path, x, y, w, h, i, j);
				testfailed = bad = 1;
			}
		}
	}
	delimg(&im);
}

/* write d, decode it through ch, compare every pixel (gray: the exact float v / max) */
static void
checkdecode(const char *name, const struct pngdesc *d, enum channel ch)
{
	char path[256], err[256] = "";
	struct img im = {0};
	size_t i, npx = (size_t)d->w * d->h;
	int bad = 0;

	EXPECTINT(writepng(tpath(path, name), d), 0);
	EXPECTINT(pngload(path, 100000000, ch, &im, err, sizeof(err)), 0);
	EXPECTSTR(err, "");
	EXPECTINT(im.w, d->w);
	EXPECTINT(im.h, d->h);
	if (im.w != d->w || im.h != d->h)
		return;
	for (i = 0; i < npx && !bad; i++) {
		if (fabs(im.px[i] - expected(d, i, ch)) > 1e-7) {
			printf("  %s: pixel %zu\n", name, i);
			EXPECTNEAR(im.px[i], expected(d, i, ch), 1e-7);
			bad = 1;
		}
		if (nchannels(d->type) < 3 && d->type != PNG_COLOR_TYPE_PALETTE &&
		    im.px[i] != (float)expected(d, i, ch)) {
			printf("  %s: pixel %zu is %.9g, not exactly %.9g\n", name, i, im.px[i],
			       (float)expected(d, i, ch));
			testfailed = bad = 1;
		}
	}
	/* rectangles: all, the inside, the last pixel, the last row, the last column */
	checkrect(path, ch, &im, 0, 0, d->w, d->h);
	if (d->w > 2 && d->h > 2)
		checkrect(path, ch, &im, 1, 1, d->w - 2, d->h - 2);
	checkrect(path, ch, &im, d->w - 1, d->h - 1, 1, 1);
	checkrect(path, ch, &im, 0, d->h - 1, d->w, 1);
	checkrect(path, ch, &im, d->w - 1, 0, 1, d->h);
	delimg(&im);
}

/* decode a w x h image of type at every depth given, non-interlaced and interlaced */
static void
checktype(const char *name, int type, const int *depths, int ndepths, int w, int h, enum channel ch)
{
	char file[64];
	struct pngdesc d = {.w = w, .h = h, .type = type, .level = 6};
	unsigned *s;
	int i;

	for (i = 0; i < ndepths; i++) {
		d.depth = depths[i];
		s = samples((size_t)w * h * nchannels(type), (1u << d.depth) - 1, 7 + i);
		d.s = s;
		d.interlace = PNG_INTERLACE_NONE;
		snprintf(file, sizeof(file), "%s%d.png", name, d.depth);
		checkdecode(file, &d, ch);
		d.interlace = PNG_INTERLACE_ADAM7;
		snprintf(file, sizeof(file), "%s%d-i.png", name, d.depth);
		checkdecode(file, &d, ch);
		free(s);
	}
}

TEST(gray)
{
	static const int depths[] = {1, 2, 4, 8, 16};

	checktype("gray", PNG_COLOR_TYPE_GRAY, depths, 5, 13, 7, CHLUMA);
	checktype("gray1x1-", PNG_COLOR_TYPE_GRAY, depths, 5, 1, 1, CHLUMA);
	/* the channel does not matter for gray */
	checktype("grayb", PNG_COLOR_TYPE_GRAY, depths + 3, 2, 3, 5, CHB);
}

TEST(gray2bitexact)
{
	static const unsigned s[] = {0, 1, 2, 3, 3, 2, 1, 0};
	struct pngdesc d = {.w = 4, .h = 2, .depth = 2, .type = PNG_COLOR_TYPE_GRAY, .level = 6, .s = s};
	char path[256], err[256] = "";
	struct img im = {0};

	EXPECTINT(writepng(tpath(path, "two.png"), &d), 0);
	EXPECTINT(pngload(path, 100, CHLUMA, &im, err, sizeof(err)), 0);
	if (im.px) {
		EXPECT(im.px[0] == 0.0f);
		EXPECT(im.px[1] == 1.0f / 3.0f);
		EXPECT(im.px[2] == 2.0f / 3.0f);
		EXPECT(im.px[3] == 1.0f);
		EXPECT(im.px[6] == 1.0f / 3.0f);
	}
	delimg(&im);
}

TEST(grayalpha)
{
	static const int depths[] = {8, 16};

	checktype("ga", PNG_COLOR_TYPE_GRAY_ALPHA, depths, 2, 5, 3, CHLUMA);
	checktype("ga1x1-", PNG_COLOR_TYPE_GRAY_ALPHA, depths, 2, 1, 1, CHR);
}

TEST(rgb)
{
	static const int depths[] = {8, 16};
	static const enum channel chans[] = {CHLUMA, CHR, CHG, CHB};
	char name[32];
	int i;

	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "rgb-%d-", i);
		checktype(name, PNG_COLOR_TYPE_RGB, depths, 2, 3, 5, chans[i]);
		snprintf(name, sizeof(name), "rgba-%d-", i);
		checktype(name, PNG_COLOR_TYPE_RGB_ALPHA, depths, 2, 7, 4, chans[i]);
	}
	checktype("rgb1x1-", PNG_COLOR_TYPE_RGB, depths, 2, 1, 1, CHLUMA);
	checktype("rgbwide", PNG_COLOR_TYPE_RGB, depths, 2, 67, 2, CHLUMA);
}

TEST(palette)
{
	static const png_color pal[] = {{0, 0, 0}, {255, 255, 255}, {255, 0, 0}, {0, 255, 0},
	                                {0, 0, 255}, {10, 200, 30}, {128, 64, 32}};
	static const png_byte trns[] = {0, 128, 255, 7};
	static const enum channel chans[] = {CHLUMA, CHR, CHG, CHB};
	struct pngdesc d = {.w = 5, .h = 3, .type = PNG_COLOR_TYPE_PALETTE, .level = 6, .pal = pal,
	                    .npal = 7};
	unsigned *s;
	char name[32];
	int i, depth;

	for (depth = 4; depth <= 8; depth += 4) {
		d.depth = depth;
		s = samples(15, 6, 3);
		d.s = s;
		for (i = 0; i < 4; i++) {
			d.trns = NULL;
			d.ntrns = 0;
			d.interlace = PNG_INTERLACE_NONE;
			snprintf(name, sizeof(name), "pal%d-%d.png", depth, i);
			checkdecode(name, &d, chans[i]);
			d.trns = trns;
			d.ntrns = 4;
			snprintf(name, sizeof(name), "paltrns%d-%d.png", depth, i);
			checkdecode(name, &d, chans[i]);
			d.interlace = PNG_INTERLACE_ADAM7;
			snprintf(name, sizeof(name), "paltrns%d-%d-i.png", depth, i);
			checkdecode(name, &d, chans[i]);
		}
		free(s);
	}
}

TEST(luma)
{
	/* one pixel each of pure red, green, blue and white: exactly the weights */
	static const unsigned s[] = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255};
	struct pngdesc d = {.w = 4, .h = 1, .depth = 8, .type = PNG_COLOR_TYPE_RGB, .level = 6, .s = s};
	char path[256], err[256] = "";
	struct img im = {0};

	EXPECTINT(writepng(tpath(path, "luma.png"), &d), 0);
	EXPECTINT(pngload(path, 100, CHLUMA, &im, err, sizeof(err)), 0);
	if (im.px) {
		EXPECTNEAR(im.px[0], 0.2126, 1e-7);
		EXPECTNEAR(im.px[1], 0.7152, 1e-7);
		EXPECTNEAR(im.px[2], 0.0722, 1e-7);
		EXPECTNEAR(im.px[3], 1.0, 1e-7);
	}
	delimg(&im);
}

TEST(twice)
{
	struct pngdesc d = {.w = 31, .h = 17, .depth = 16, .type = PNG_COLOR_TYPE_RGB, .level = 6};
	char path[256], err[256] = "";
	struct img a = {0}, b = {0};
	unsigned *s = samples(31 * 17 * 3, 65535, 11);

	d.s = s;
	EXPECTINT(writepng(tpath(path, "twice.png"), &d), 0);
	EXPECTINT(pngload(path, 1000, CHLUMA, &a, err, sizeof(err)), 0);
	EXPECTINT(pngload(path, 1000, CHLUMA, &b, err, sizeof(err)), 0);
	EXPECT(a.px && b.px && memcmp(a.px, b.px, 31 * 17 * sizeof(float)) == 0);
	/* reading into an image that already holds a bigger one reuses it */
	EXPECTINT(pngload(path, 1000, CHR, &a, err, sizeof(err)), 0);
	EXPECTINT(a.w, 31);
	free(s);
	delimg(&a);
	delimg(&b);
}

/* a PNG of signature, IHDR (w, h, 8-bit gray), one IDAT of data (none if len 0) and IEND; returns its size */
static size_t
mkpng(unsigned char *b, uint32_t w, uint32_t h, const unsigned char *data, size_t len)
{
	unsigned char ihdr[13] = {0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0};
	size_t n = 8;

	memcpy(b, "\x89PNG\r\n\x1a\n", 8);
	put32(ihdr, w);
	put32(ihdr + 4, h);
	n += pngchunk(b + n, "IHDR", ihdr, sizeof(ihdr));
	if (len)
		n += pngchunk(b + n, "IDAT", data, len);
	n += pngchunk(b + n, "IEND", NULL, 0);
	return n;
}

/* write n bytes of b to name in the temporary directory; returns the path in p */
static char *
putfile(char *p, const char *name, const void *b, size_t n)
{
	FILE *f = fopen(tpath(p, name), "wb");

	if (!f || fwrite(b, 1, n, f) != n)
		printf("  cannot write %s\n", p);
	if (f)
		fclose(f);
	return p;
}

/* read up to max bytes of path into b; returns how many */
static size_t
getfile(const char *path, unsigned char *b, size_t max)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return 0;
	n = fread(b, 1, max, f);
	fclose(f);
	return n;
}

/* pngopen of path fails with msg */
static void
checkopenfails(const char *path, long long maxpixels, const char *msg)
{
	char err[256] = "";
	struct img im = {0};
	int w = -1, h = -1;

	EXPECT(pngopen(path, maxpixels, &w, &h, err, sizeof(err)) == NULL);
	EXPECTSTR(err, msg);
	strcpy(err, "");
	EXPECTINT(pngload(path, maxpixels, CHLUMA, &im, err, sizeof(err)), -1);
	EXPECTSTR(err, msg);
	EXPECT(im.px == NULL);
}

/* pngopen of path succeeds, pngread fails with msg, pngclose frees what is left */
static void
checkreadfails(const char *path, const char *msg)
{
	char err[256] = "";
	struct pngin *p;
	struct img im = {0};
	int w = -1, h = -1;

	p = pngopen(path, 100000000, &w, &h, err, sizeof(err));
	EXPECT(p != NULL);
	EXPECTSTR(err, "");
	if (!p)
		return;
	EXPECTINT(pngread(p, &im, CHLUMA, err, sizeof(err)), -1);
	EXPECTSTR(err, msg);
	EXPECTINT(pngread(p, &im, CHLUMA, err, sizeof(err)), -1);
	EXPECTSTR(err, "image already read");
	pngclose(p);
	delimg(&im);
}

/* a 64 x 64 gray image stored (level 0) in IDATs of 1024 bytes, into b; returns its size */
static size_t
storedpng(const char *name, unsigned char *b, size_t max)
{
	struct pngdesc d = {.w = 64, .h = 64, .depth = 8, .type = PNG_COLOR_TYPE_GRAY, .level = 0,
	                    .idatsize = 1024};
	unsigned *s = samples(64 * 64, 255, 5);
	char path[256];

	d.s = s;
	EXPECTINT(writepng(tpath(path, name), &d), 0);
	free(s);
	return getfile(path, b, max);
}

TEST(rect)
{
	/* a rectangle that leaves the frame: imgcrop's message, before decoding */
	static const int r[][4] = {{-1, 0, 2, 2}, {0, -1, 2, 2}, {0, 0, 0, 2}, {0, 0, 2, 0},
	                           {63, 0, 2, 2}, {0, 60, 2, 5}, {0, 0, 65, 64}};
	unsigned char b[8192];
	char path[256], err[256], want[256];
	struct img im = {0}, whole = {0}, out = {0};
	struct pngin *p;
	size_t i, n = storedpng("rect.png", b, sizeof(b)), idat = findchunk(b, n, "IDAT");
	int w, h;

	putfile(path, "rect.png", b, n);
	mkimg(&whole, 64, 64);
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		p = pngopen(path, 100000, &w, &h, err, sizeof(err));
		EXPECT(p != NULL);
		if (!p)
			continue;
		EXPECTINT(pngreadrect(p, &im, CHLUMA, r[i][0], r[i][1], r[i][2], r[i][3], err, sizeof(err)), -1);
		EXPECTINT(imgcrop(&whole, &out, r[i][0], r[i][1], r[i][2], r[i][3], want, sizeof(want)), -1);
		EXPECTSTR(err, want);
		pngclose(p);
	}
	p = pngopen(path, 100000, &w, &h, err, sizeof(err));
	EXPECTINT(pngreadrect(p, &im, CHLUMA, 0, 0, 64, 1, err, sizeof(err)), 0);
	EXPECTINT(pngreadrect(p, &im, CHLUMA, 0, 0, 64, 1, err, sizeof(err)), -1);
	EXPECTSTR(err, "image already read");
	pngclose(p);
	/* the rows after the rectangle are still read: damage there is found */
	EXPECT(idat > 0);
	putfile(path, "rect-cut.png", b, idat + 12 + 1024 + 8 + 500);
	p = pngopen(path, 100000, &w, &h, err, sizeof(err));
	EXPECTINT(pngreadrect(p, &im, CHLUMA, 0, 0, 8, 2, err, sizeof(err)), -1);
	EXPECTSTR(err, "truncated");
	pngclose(p);
	b[n - 1] ^= 0x80;
	putfile(path, "rect-crc.png", b, n);
	p = pngopen(path, 100000, &w, &h, err, sizeof(err));
	EXPECTINT(pngreadrect(p, &im, CHLUMA, 3, 4, 8, 2, err, sizeof(err)), -1);
	EXPECTSTR(err, "IEND: CRC error");
	pngclose(p);
	delimg(&im);
	delimg(&whole);
	delimg(&out);
}

TEST(notpng)
{
	static const char text[] = "width,height\n3,5\n";
	static const unsigned char sig[] = {0x89, 'P', 'N', 'G'};
	char path[256];

	checkopenfails(putfile(path, "empty.png", "", 0), 100, "empty file");
	checkopenfails(putfile(path, "text.png", text, strlen(text)), 100, "not a PNG file");
	checkopenfails(putfile(path, "sig.png", sig, sizeof(sig)), 100, "truncated");
	checkopenfails(tpath(path, "missing.png"), 100, "cannot open: No such file or directory");
	checkopenfails(tmpdir, 100, "read error: Is a directory");
}

TEST(truncated)
{
	unsigned char b[8192];
	char path[256];
	size_t n = storedpng("full.png", b, sizeof(b)), idat = findchunk(b, n, "IDAT");

	EXPECT(idat > 0);
	/* inside IHDR, then inside the second IDAT chunk's data, then just before IEND */
	checkopenfails(putfile(path, "cut-ihdr.png", b, 20), 100, "truncated");
	checkreadfails(putfile(path, "cut-idat.png", b, idat + 12 + 1024 + 8 + 500), "truncated");
	checkreadfails(putfile(path, "cut-iend.png", b, n - 12), "truncated");
}

/* the bytes pngopenbytes handed over: a copy, and how often */
struct handed {
	unsigned char b[8192];
	size_t n;
	int calls;
};

/* keep the bytes b (pngbytesfn) */
static void
hand(void *ctx, const unsigned char *b, size_t n)
{
	struct handed *h = ctx;

	h->calls++;
	h->n = n;
	memcpy(h->b, b, n < sizeof(h->b) ? n : sizeof(h->b));
}

/* pngopenbytes of path: whether it opened; *h what it handed over */
static int
openbytes(const char *path, long long maxpixels, struct handed *h)
{
	struct pngin *p;
	char err[256];
	int w, h_;

	*h = (struct handed){.calls = 0};
	p = pngopenbytes(path, maxpixels, hand, h, &w, &h_, err, sizeof(err));
	pngclose(p);
	return p != NULL;
}

TEST(bytes)
{
	/* the bytes judged, once, as read: the whole file of a PNG (decoded from them, cut or not),
	   the first 33 at most of a file refused by them; nothing for a file not read */
	static const unsigned char sig[] = {0x89, 'P', 'N', 'G'};
	unsigned char b[8192];
	size_t n = storedpng("whole.png", b, sizeof(b));
	struct handed h;
	char path[256];

	EXPECTINT(openbytes(putfile(path, "whole.png", b, n), 100000, &h), 1);
	EXPECTINT(h.calls, 1);
	EXPECT(h.n == n && memcmp(h.b, b, n) == 0);
	EXPECTINT(openbytes(putfile(path, "cut.png", b, n - 100), 100000, &h), 1);
	EXPECT(h.calls == 1 && h.n == n - 100 && memcmp(h.b, b, n - 100) == 0);
	EXPECTINT(openbytes(putfile(path, "short.png", b, 20), 100000, &h), 0);
	EXPECT(h.calls == 1 && h.n == 20 && memcmp(h.b, b, 20) == 0);
	EXPECTINT(openbytes(putfile(path, "sig.png", sig, sizeof(sig)), 100000, &h), 0);
	EXPECT(h.calls == 1 && h.n == sizeof(sig));
	EXPECTINT(openbytes(putfile(path, "empty.png", "", 0), 100000, &h), 0);
	EXPECT(h.calls == 1 && h.n == 0);
	EXPECTINT(openbytes(putfile(path, "large.png", b, n), 100, &h), 0);
	EXPECT(h.calls == 1 && h.n == 33 && memcmp(h.b, b, 33) == 0);
	memset(b, 'x', 100);
	EXPECTINT(openbytes(putfile(path, "text.png", b, 100), 100000, &h), 0);
	EXPECT(h.calls == 1 && h.n == 33 && memcmp(h.b, b, 33) == 0);
	EXPECTINT(openbytes(tpath(path, "missing.png"), 100000, &h), 0);
	EXPECTINT(h.calls, 0);
}

TEST(crc)
{
	unsigned char b[8192];
	char path[256];
	size_t n = storedpng("crc.png", b, sizeof(b)), idat = findchunk(b, n, "IDAT"), ihdr, end;

	/* a pixel byte inside the first stored block: zlib accepts it, the CRC does not */
	b[idat + 8 + 600] ^= 0x10;
	checkreadfails(putfile(path, "crc-idat.png", b, n), "IDAT: CRC error");
	b[idat + 8 + 600] ^= 0x10;
	/* the CRC field of the last IDAT, then of IEND: found only by reading to the end */
	end = findchunkat(b, n, "IDAT", 1);
	EXPECT(end > idat);
	b[n - 1] ^= 0x80;
	checkreadfails(putfile(path, "crc-iend.png", b, n), "IEND: CRC error");
	b[n - 1] ^= 0x80;
	end += 8 + (b[end + 2] << 8 | b[end + 3]);
	b[end] ^= 0x80;
	checkreadfails(putfile(path, "crc-last.png", b, n), "IDAT: CRC error");
	b[end] ^= 0x80;
	ihdr = findchunk(b, n, "IHDR");
	b[ihdr + 8 + 12] ^= 1; /* interlace method 0 -> 1 without fixing the CRC */
	checkopenfails(putfile(path, "crc-ihdr.png", b, n), 10000, "IHDR: CRC error");
}

TEST(zlib)
{
	/*
	 * zlib header 78 01, then a final fixed-Huffman block whose first symbol is a
	 * match (length 3, distance 1) with nothing before it
	 */
	static const unsigned char far[] = {0x78, 0x01, 0x03, 0x02, 0, 0, 0, 0};
	/* zlib header 78 01, then a final block of the reserved type 3 */
	static const unsigned char type3[] = {0x78, 0x01, 0x07, 0, 0, 0, 0, 0};
	/* a bad zlib header check */
	static const unsigned char hdr[] = {0x78, 0x02, 0x03, 0, 0, 0, 0, 0};
	unsigned char b[256];
	char path[256];

	checkreadfails(putfile(path, "far.png", b, mkpng(b, 1, 1, far, sizeof(far))),
	               "IDAT: invalid distance too far back");
	checkreadfails(putfile(path, "type3.png", b, mkpng(b, 1, 1, type3, sizeof(type3))),
	               "IDAT: invalid block type");
	checkreadfails(putfile(path, "zhdr.png", b, mkpng(b, 1, 1, hdr, sizeof(hdr))),
	               "IDAT: incorrect header check");
}

TEST(maxpixels)
{
	unsigned char b[256];
	char path[256];
	struct img im = {0};
	char err[256] = "";
	pid_t pid;
	int status = -1;
	struct rlimit rl = {1ul << 30, 1ul << 30};

	checkopenfails(putfile(path, "huge.png", b, mkpng(b, 100000, 100000, NULL, 0)), 100000000,
	               "100000x100000 pixels is more than max_pixels (100000000)");
	checkopenfails(putfile(path, "huger.png", b, mkpng(b, 1000000, 1000000, NULL, 0)), 100000000,
	               "1000000x1000000 pixels is more than max_pixels (100000000)");
	checkopenfails(putfile(path, "long.png", b, mkpng(b, 200000000, 1, NULL, 0)), 100000000,
	               "200000000x1 pixels is more than max_pixels (100000000)");
	checkopenfails(putfile(path, "wide.png", b, mkpng(b, 3000000000u, 1, NULL, 0)), 100000000,
	               "3000000000x1 pixels is too large");
	/* one pixel over the limit */
	checkopenfails(putfile(path, "over.png", b, mkpng(b, 11, 10, NULL, 0)), 109,
	               "11x10 pixels is more than max_pixels (109)");
	/* refused without allocating: a child limited to 1 GiB of address space gets the message */
	putfile(path, "huge.png", b, mkpng(b, 100000, 100000, NULL, 0));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (setrlimit(RLIMIT_AS, &rl) != 0)
			_exit(2);
		_exit(pngload(path, 100000000, CHLUMA, &im, err, sizeof(err)) == -1 &&
		      strcmp(err, "100000x100000 pixels is more than max_pixels (100000000)") == 0 ? 0 : 1);
	}
	EXPECT(pid > 0);
	if (pid > 0)
		EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(maxpixelsexact)
{
	struct pngdesc d = {.w = 11, .h = 10, .depth = 8, .type = PNG_COLOR_TYPE_GRAY, .level = 6};
	unsigned *s = samples(110, 255, 1);
	char path[256], err[256] = "";
	struct img im = {0};

	d.s = s;
	EXPECTINT(writepng(tpath(path, "exact.png"), &d), 0);
	EXPECTINT(pngload(path, 110, CHLUMA, &im, err, sizeof(err)), 0);
	EXPECTINT(pngload(path, 109, CHLUMA, &im, err, sizeof(err)), -1);
	EXPECTSTR(err, "11x10 pixels is more than max_pixels (109)");
	free(s);
	delimg(&im);
}

/* the Adam7 passes: first column and row, and the steps across and down */
static const int adam7[7][4] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                                {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};

/*
 * A w x h palette PNG of depth bits, npal entries (entry i is R i, G 255 - i, B 7i),
 * pixel (x, y) the index ix[y * w + x] (none checked against npal), Adam7 or not, the
 * bits after a row's last pixel all set; into b (room for 65536); returns its size.
 */
static size_t
palpng(unsigned char *b, int w, int h, int depth, int npal, const unsigned char *ix, int interlace)
{
	unsigned char ihdr[13] = {0, 0, 0, 0, 0, 0, 0, 0, depth, PNG_COLOR_TYPE_PALETTE, 0, 0, interlace};
	unsigned char plte[768], raw[32768], z[32768];
	uLongf nz = sizeof(z);
	size_t n = 8, nraw = 0, rowbytes;
	int pass, npass = interlace ? 7 : 1, x0, y0, dx, dy, x, y, k, i;

	memcpy(b, "\x89PNG\r\n\x1a\n", 8);
	put32(ihdr, (uint32_t)w);
	put32(ihdr + 4, (uint32_t)h);
	n += pngchunk(b + n, "IHDR", ihdr, sizeof(ihdr));
	for (i = 0; i < npal; i++) {
		plte[3 * i] = (unsigned char)i;
		plte[3 * i + 1] = (unsigned char)(255 - i);
		plte[3 * i + 2] = (unsigned char)(7 * i);
	}
	n += pngchunk(b + n, "PLTE", plte, (size_t)npal * 3);
	for (pass = 0; pass < npass; pass++) {
		x0 = interlace ? adam7[pass][0] : 0, y0 = interlace ? adam7[pass][1] : 0;
		dx = interlace ? adam7[pass][2] : 1, dy = interlace ? adam7[pass][3] : 1;
		if (x0 >= w || y0 >= h)
			continue;
		rowbytes = ((size_t)(w - x0 + dx - 1) / dx * depth + 7) / 8;
		for (y = y0; y < h; y += dy) {
			raw[nraw++] = 0;
			memset(raw + nraw, 0xff, rowbytes);
			for (x = x0, k = 0; x < w; x += dx, k += depth) {
				raw[nraw + k / 8] &= ~(((1 << depth) - 1) << (8 - depth - k % 8));
				raw[nraw + k / 8] |= ix[y * w + x] << (8 - depth - k % 8);
			}
			nraw += rowbytes;
		}
	}
	EXPECTINT(compress2(z, &nz, raw, nraw, 6), Z_OK);
	n += pngchunk(b + n, "IDAT", z, nz);
	n += pngchunk(b + n, "IEND", NULL, 0);
	return n;
}

/* palpng of ix decodes through CHR to entry ix[i]'s red / 255 at every pixel, the rectangle 1, 1, 2, 2 too */
static void
checkpalok(const char *name, int w, int h, int depth, int npal, const unsigned char *ix, int interlace)
{
	unsigned char b[65536];
	char path[256], err[256] = "";
	struct img im = {0};
	int i, bad = 0;

	putfile(path, name, b, palpng(b, w, h, depth, npal, ix, interlace));
	EXPECTINT(pngload(path, 100000, CHR, &im, err, sizeof(err)), 0);
	EXPECTSTR(err, "");
	for (i = 0; i < w * h && im.px && !bad; i++) {
		if (im.px[i] != (float)(ix[i] * (1.0 / 255))) {
			printf("  %s: pixel %d is %.9g, not entry %d\n", name, i, im.px[i], ix[i]);
			testfailed = bad = 1;
		}
	}
	if (im.px)
		checkrect(path, CHR, &im, 1, 1, 2, 2);
	delimg(&im);
}

/* palpng of ix fails with msg: pngload, and pngreadrect of the rectangle 0, 0, 2, 2 (left of the bad pixels) */
static void
checkpalbad(const char *name, int w, int h, int depth, int npal, const unsigned char *ix, int interlace,
            const char *msg)
{
	unsigned char b[65536];
	char path[256], err[256] = "";
	struct img im = {0};
	struct pngin *p;
	int iw, ih;

	putfile(path, name, b, palpng(b, w, h, depth, npal, ix, interlace));
	EXPECTINT(pngload(path, 100000, CHLUMA, &im, err, sizeof(err)), -1);
	EXPECTSTR(err, msg);
	strcpy(err, "");
	p = pngopen(path, 100000, &iw, &ih, err, sizeof(err));
	EXPECT(p != NULL);
	if (p) {
		EXPECTINT(pngreadrect(p, &im, CHR, 0, 0, 2, 2, err, sizeof(err)), -1);
		EXPECTSTR(err, msg);
	}
	pngclose(p);
	delimg(&im);
}

TEST(paletteindex)
{
	/* depths, and a palette that leaves indices unused: 1 of 2, 3 of 4, 9 of 16, 16 of 256 */
	static const int depths[] = {1, 2, 4, 8}, npals[] = {1, 3, 9, 16};
	enum { W = 11, H = 5 };
	unsigned char ix[W * H];
	char name[64], msg[256];
	unsigned seed = 9;
	int d, i, il, big;

	for (d = 0; d < 4; d++) {
		for (il = 0; il <= 1; il++) {
			/* every index within the palette, the last entry among them: fine */
			for (i = 0; i < W * H; i++)
				ix[i] = (unsigned char)(i == 0 ? (unsigned)npals[d] - 1 : lcg(&seed) % (unsigned)npals[d]);
			snprintf(name, sizeof(name), "palok%d-%d.png", depths[d], il);
			checkpalok(name, W, H, depths[d], npals[d], ix, il);
			/* just beyond at (7, 3), and further beyond at (9, 4): the first is named */
			big = (1 << depths[d]) - 1;
			ix[3 * W + 7] = (unsigned char)npals[d];
			ix[4 * W + 9] = (unsigned char)big;
			snprintf(name, sizeof(name), "palbad%d-%d.png", depths[d], il);
			snprintf(msg, sizeof(msg), "palette index %d beyond the palette's %d %s (pixel x=7, y=3)",
			         npals[d], npals[d], npals[d] == 1 ? "entry" : "entries");
			checkpalbad(name, W, H, depths[d], npals[d], ix, il, msg);
		}
	}
	/* the words, once in full */
	for (i = 0; i < W * H; i++)
		ix[i] = (unsigned char)(lcg(&seed) % 16);
	ix[1 * W + 3] = 200;
	checkpalbad("pal200.png", W, H, 8, 16, ix, 0, "palette index 200 beyond the palette's 16 entries (pixel x=3, y=1)");
	checkpalbad("pal200-i.png", W, H, 8, 16, ix, 1, "palette index 200 beyond the palette's 16 entries (pixel x=3, y=1)");
	/* a full palette of 256 (or 2^depth) entries: every index is in it */
	for (i = 0; i < W * H; i++)
		ix[i] = (unsigned char)(i == 0 ? 255 : lcg(&seed) % 256);
	checkpalok("pal256.png", W, H, 8, 256, ix, 0);
	for (i = 0; i < W * H; i++)
		ix[i] = (unsigned char)(i % 2);
	checkpalok("pal2of2.png", W, H, 1, 2, ix, 1);
}

/* the rows pngwrite16rows handed over: their codes as floats, as pngload reads them, and how many */
struct rowsgot {
	float *px;
	int w, rows;
};

/* pngrowfn: keep the next row's codes */
static void
keeprow(void *ctx, const unsigned char *row)
{
	struct rowsgot *g = ctx;
	int x;

	for (x = 0; x < g->w; x++)
		g->px[(size_t)g->rows * g->w + x] = (float)((row[2 * x] << 8 | row[2 * x + 1]) / 65535.0);
	g->rows++;
}

/*
 * write im with lo/hi, read it back, and check every 16-bit code against floor(t + 0.5)
 * clamped, and that the rows pngwrite16rows handed over are those of the file
 */
static void
checkwrite(const char *name, const struct img *im, double lo, double hi, int level)
{
	char path[256], err[256] = "";
	struct img back = {0};
	struct rowsgot g = {xreallocarray(NULL, (size_t)im->w * im->h, sizeof(float)), im->w, 0};
	double t;
	long code;
	int i, bad = 0;

	EXPECTINT(pngwrite16rows(tpath(path, name), im, lo, hi, level, keeprow, &g, err, sizeof(err)), 0);
	EXPECTSTR(err, "");
	EXPECTINT(g.rows, im->h);
	EXPECTINT(pngload(path, 1000, CHLUMA, &back, err, sizeof(err)), 0);
	EXPECTINT(back.w, im->w);
	EXPECTINT(back.h, im->h);
	for (i = 0; i < im->w * im->h && back.px && !bad; i++) {
		t = hi > lo ? (im->px[i] - lo) / (hi - lo) * 65535 : 0;
		code = (long)floor(t + 0.5);
		code = code < 0 ? 0 : code > 65535 ? 65535 : code;
		if (back.px[i] != (float)(code / 65535.0)) {
			printf("  %s: pixel %d (%.9g) is %.9g, expected code %ld\n", name, i, im->px[i],
			       back.px[i] * 65535.0, code);
			testfailed = bad = 1;
		}
		if (back.px[i] != g.px[i] && !bad) {
			printf("  %s: pixel %d handed over as %.9g, written as %.9g\n", name, i, g.px[i], back.px[i]);
			testfailed = bad = 1;
		}
	}
	delimg(&back);
	free(g.px);
}

TEST(write16)
{
	float px[] = {0, 1, 0.5f, 0.25f, -0.1f, 1.5f, 0.75f, 2.0f / 65535, 0.4f, 1e-6f, 0.999f, 0.123f};
	struct img im = {4, 3, px};
	struct img back = {0};
	char path[256], err[256] = "";
	unsigned char a[1024], b[1024];
	size_t na, nb;

	checkwrite("w01.png", &im, 0, 1, 6);
	checkwrite("w-neg.png", &im, -0.1, 1.5, 6);
	checkwrite("wflat.png", &im, 0.3, 0.3, 6);
	checkwrite("wrev.png", &im, 1, 0, 6);
	/* codes by hand: 0.5 and 0.25 with hi = 1 are exactly halfway and round up */
	EXPECTINT(pngwrite16(tpath(path, "w.png"), &im, 0, 1, 9, err, sizeof(err)), 0);
	EXPECTINT(pngload(path, 1000, CHLUMA, &back, err, sizeof(err)), 0);
	if (back.px) {
		EXPECT(back.px[0] == 0.0f);
		EXPECT(back.px[1] == 1.0f);
		EXPECT(back.px[2] == (float)(32768 / 65535.0));
		EXPECT(back.px[3] == (float)(16384 / 65535.0));
		EXPECT(back.px[4] == 0.0f);
		EXPECT(back.px[5] == 1.0f);
		EXPECT(back.px[7] == (float)(2 / 65535.0));
	}
	/* hi == lo: all zero */
	EXPECTINT(pngwrite16(path, &im, 0.5, 0.5, 9, err, sizeof(err)), 0);
	EXPECTINT(pngload(path, 1000, CHLUMA, &back, err, sizeof(err)), 0);
	if (back.px)
		EXPECT(back.px[1] == 0.0f && back.px[5] == 0.0f && back.px[11] == 0.0f);
	/* the same image gives the same bytes; 16-bit gray, no tIME */
	EXPECTINT(pngwrite16(tpath(path, "d1.png"), &im, 0, 1, 6, err, sizeof(err)), 0);
	na = getfile(path, a, sizeof(a));
	EXPECTINT(pngwrite16(tpath(path, "d2.png"), &im, 0, 1, 6, err, sizeof(err)), 0);
	nb = getfile(path, b, sizeof(b));
	EXPECT(na > 33 && na == nb && memcmp(a, b, na) == 0);
	EXPECTINT(a[24], 16);
	EXPECTINT(a[25], 0);
	EXPECTINT(a[28], 0);
	EXPECT(findchunk(a, na, "tIME") == 0);
	delimg(&back);
}

TEST(write16levels)
{
	/* every level (1-3 write with other filters and zlib strategy) gives the same pixels */
	struct img im = {0};
	unsigned seed = 3;
	char name[32];
	int i, level;

	mkimg(&im, 41, 23);
	for (i = 0; i < 41 * 23; i++)
		im.px[i] = (float)(i % 41) / 41 + (float)(lcg(&seed) % 1000) / 20000;
	for (level = -1; level <= 10; level++) {
		snprintf(name, sizeof(name), "level%d.png", level);
		checkwrite(name, &im, 0, 1, level);
	}
	delimg(&im);
}

/* read path with libpng itself (its CRC and zlib checks, no fast path): 16-bit gray codes into c; 0 or -1 */
static int
libpngcodes(const char *path, int w, int h, unsigned *c)
{
	FILE *f = fopen(path, "rb");
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	unsigned char *row = xmalloc(2 * (size_t)w);
	volatile int ret = -1;
	int x, y;

	if (f && info && !setjmp(png_jmpbuf(png))) {
		png_init_io(png, f);
		png_read_info(png, info);
		if ((int)png_get_image_width(png, info) == w && (int)png_get_image_height(png, info) == h &&
		    png_get_bit_depth(png, info) == 16 && png_get_color_type(png, info) == PNG_COLOR_TYPE_GRAY) {
			for (y = 0; y < h; y++) {
				png_read_row(png, row, NULL);
				for (x = 0; x < w; x++)
					c[(size_t)y * w + x] = (unsigned)row[2 * x] << 8 | row[2 * x + 1];
			}
			png_read_end(png, NULL);
			ret = 0;
		}
	}
	png_destroy_read_struct(&png, &info, NULL);
	if (f)
		fclose(f);
	free(row);
	return ret;
}

/* levels 1-3 (pngwrite.c's own writer) and 6 (libpng's): libpng reads the same codes back from both */
TEST(write16libpng)
{
	int sizes[][2] = {{1, 1}, {3, 2}, {41, 23}, {300, 250}}, k, level, i, w, h;
	unsigned seed = 11, *a, *b;
	char path[256], err[256] = "";
	struct img im = {0};

	for (k = 0; k < 4; k++) {
		w = sizes[k][0], h = sizes[k][1];
		mkimg(&im, w, h);
		for (i = 0; i < w * h; i++)
			im.px[i] = (float)(i % w) / (float)w + (float)(lcg(&seed) % 1000) / 5000;
		a = xcalloc((size_t)w * h, sizeof(*a));
		b = xcalloc((size_t)w * h, sizeof(*b));
		EXPECTINT(pngwrite16(tpath(path, "l6.png"), &im, 0, 1.2, 6, err, sizeof(err)), 0);
		EXPECTINT(libpngcodes(path, w, h, a), 0);
		for (level = 1; level <= 3; level++) {
			EXPECTINT(pngwrite16(tpath(path, "l1.png"), &im, 0, 1.2, level, err, sizeof(err)), 0);
			EXPECTINT(libpngcodes(path, w, h, b), 0);
			if (memcmp(a, b, (size_t)w * h * sizeof(*a)) != 0) {
				printf("  %dx%d: level %d's codes differ from level 6's\n", w, h, level);
				testfailed = 1;
			}
		}
		free(a), free(b);
		delimg(&im);
	}
}

TEST(write16errors)
{
	float px[] = {0, 1};
	struct img im = {2, 1, px}, empty = {0};
	char path[256], err[256] = "";

	EXPECTINT(pngwrite16(tpath(path, "nodir/x.png"), &im, 0, 1, 6, err, sizeof(err)), -1);
	EXPECTSTR(err, "cannot create: No such file or directory");
	EXPECTINT(pngwrite16("/dev/full", &im, 0, 1, 6, err, sizeof(err)), -1);
	EXPECTSTR(err, "write error: No space left on device");
	EXPECTINT(pngwrite16(path, &empty, 0, 1, 6, err, sizeof(err)), -1);
	EXPECTSTR(err, "empty image");
}

/* remove the temporary directory and everything in it */
static void
rmtmp(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("  cannot remove %s\n", tmpdir);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(gray);
	RUN(gray2bitexact);
	RUN(grayalpha);
	RUN(rgb);
	RUN(palette);
	RUN(paletteindex);
	RUN(luma);
	RUN(twice);
	RUN(rect);
	RUN(notpng);
	RUN(truncated);
	RUN(bytes);
	RUN(crc);
	RUN(zlib);
	RUN(maxpixels);
	RUN(maxpixelsexact);
	RUN(write16);
	RUN(write16levels);
	RUN(write16libpng);
	RUN(write16errors);
	rmtmp();
	return TESTEXIT();
}
