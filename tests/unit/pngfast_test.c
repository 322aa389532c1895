/*
 * tests of process/pngfast.c: on every kind of PNG it takes, with every filter, it hands
 * over exactly the stored samples, of the rows asked for only; on every unusual or
 * damaged file it gives up, and pngload (libpng then) has the last word. The PNGs are
 * built here byte by byte: the filters and the chunks are chosen, not left to an encoder.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <png.h>
#include <zlib.h>

#include "common/fs.h"
#include "common/pnghead.h"
#include "common/util.h"
#include "process/png.h"
#include "process/pngfast.h"
#include "tests/test.h"
#include "tests/unit/pngbytes.h"

/* the temporary directory of this run, from mkdtemp */
static char tmpdir[] = "/tmp/runja-pngfast-XXXXXX";

/* an image: size, bit depth, PNG colour type, its samples as stored (h rows of rowbytes) */
struct image {
	int w, h, depth, type;
	size_t rowbytes;
	unsigned char *px;
};

/* a PNG file in memory */
struct file {
	unsigned char *b;
	size_t n;
};

/* how to build a PNG of an image */
struct build {
	int filter;          /* 0-4 for every row, 5 for a random one per row */
	int window;          /* zlib window bits (9-15) */
	size_t idatsize;     /* data bytes per IDAT (0: one IDAT) */
	const char *before;  /* a chunk type put (with 3 data bytes) between IHDR and IDAT, or NULL */
	const char *after;   /* the same between the IDATs and IEND */
	size_t extra;        /* bytes of garbage after the zlib stream, in the last IDAT */
	size_t cut;          /* bytes of the filtered image left out of the stream */
	int emptyidat;       /* an IDAT of no data after the others */
	int badadler;        /* the stream's Adler-32 is wrong */
	int badfilter;       /* the second row's filter byte is 5 */
};

/* bytes per pixel of the image (depth 8 or 16) */
static int
bpp(const struct image *im)
{
	static const int channels[7] = {1, 0, 3, 0, 2, 0, 4};

	return channels[im->type] * im->depth / 8;
}

/* an image of w x h with smooth samples and some noise, so that each filter has work */
static struct image
mkimage(int w, int h, int depth, int type, unsigned seed)
{
	struct image im = {.w = w, .h = h, .depth = depth, .type = type};
	size_t i;
	int x, y;

	im.rowbytes = (size_t)w * bpp(&im);
	im.px = xreallocarray(NULL, h, im.rowbytes);
	srand(seed);
	for (y = 0; y < h; y++) {
		for (i = 0; i < im.rowbytes; i++) {
			x = (int)(i / bpp(&im));
			im.px[y * im.rowbytes + i] = (unsigned char)(x * 3 + y * 5 + (int)(i % 7) * 40 + rand() % 9);
		}
	}
	return im;
}

/* the Paeth predictor */
static int
paethpred(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* the image filtered as b says, each row after its filter byte; *n gets the size */
static unsigned char *
filtered(const struct image *im, const struct build *b, size_t *n)
{
	size_t rb = im->rowbytes, i, k = (size_t)bpp(im);
	unsigned char *out = xreallocarray(NULL, im->h, rb + 1), *o;
	const unsigned char *r, *p;
	int y, f, a, up, c, pred;

	for (y = 0; y < im->h; y++) {
		r = im->px + y * rb;
		p = y > 0 ? r - rb : NULL;
		o = out + y * (rb + 1);
		f = b->filter < 5 ? b->filter : rand() % 5;
		o[0] = (unsigned char)f;
		for (i = 0; i < rb; i++) {
			a = i >= k ? r[i - k] : 0;
			up = p ? p[i] : 0;
			c = p && i >= k ? p[i - k] : 0;
			pred = f == 0 ? 0 : f == 1 ? a : f == 2 ? up : f == 3 ? (a + up) / 2 : paethpred(a, up, c);
			o[1 + i] = (unsigned char)(r[i] - pred);
		}
	}
	if (b->badfilter && im->h > 1)
		out[rb + 1] = 5;
	*n = (size_t)im->h * (rb + 1);
	return out;
}

/* the PNG file of im built as b says */
static struct file
mkfile(const struct image *im, const struct build *b)
{
	static const unsigned char sig[8] = {137, 'P', 'N', 'G', '\r', '\n', 26, '\n'};
	struct file f;
	unsigned char ihdr[13] = {0}, *raw, *z;
	size_t nraw, nz, off, k;
	z_stream s = {0};

	put32(ihdr, im->w);
	put32(ihdr + 4, im->h);
	ihdr[8] = im->depth;
	ihdr[9] = im->type;
	raw = filtered(im, b, &nraw);
	nz = compressBound(nraw) + b->extra;
	z = xmalloc(nz);
	/* room for IDATs of a byte each (13 bytes a data byte) and 130 bytes more: the
	   signature, IHDR, IEND, an empty IDAT and two chunks of 3 bytes take 87 */
	f.b = xreallocarray(NULL, nz + 10, 13);
	memcpy(f.b, sig, 8);
	f.n = 8;
	f.n += pngchunk(f.b + f.n, "IHDR", ihdr, 13);
	if (b->before)
		f.n += pngchunk(f.b + f.n, b->before, "abc", 3);
	deflateInit2(&s, 6, Z_DEFLATED, b->window ? b->window : 15, 8, Z_DEFAULT_STRATEGY);
	s.next_in = raw;
	s.avail_in = nraw - b->cut;
	s.next_out = z;
	s.avail_out = nz;
	deflate(&s, Z_FINISH);
	nz = s.total_out;
	deflateEnd(&s);
	if (b->badadler)
		z[nz - 1] ^= 1;
	memset(z + nz, 0x55, b->extra);
	nz += b->extra;
	for (off = 0; off < nz; off += k) {
		k = b->idatsize && nz - off > b->idatsize ? b->idatsize : nz - off;
		f.n += pngchunk(f.b + f.n, "IDAT", z + off, k);
	}
	if (b->emptyidat)
		f.n += pngchunk(f.b + f.n, "IDAT", NULL, 0);
	if (b->after)
		f.n += pngchunk(f.b + f.n, b->after, "abc", 3);
	f.n += pngchunk(f.b + f.n, "IEND", NULL, 0);
	free(raw);
	free(z);
	return f;
}

/* write f to name in the temporary directory; returns the path (static) and frees f */
static const char *
putfile(struct file *f, const char *name)
{
	static char path[256];
	FILE *o;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	o = fopen(path, "wb");
	EXPECT(o && fwrite(f->b, 1, f->n, o) == f->n && fclose(o) == 0);
	free(f->b);
	*f = (struct file){0};
	return path;
}

/* what fastread handed over: rows y0 to y1 - 1 of w bytes each, and a count of calls */
struct got {
	const struct image *im;
	int y0, y1, calls, wrong;
};

/* fastread's callback: row y must be wanted and equal the image's */
static void
getrow(void *arg, int y, const unsigned char *row)
{
	struct got *g = arg;

	g->calls++;
	if (y < g->y0 || y >= g->y1 || memcmp(row, g->im->px + y * g->im->rowbytes, g->im->rowbytes) != 0)
		g->wrong++;
}

/* fastread of path, rows y0 to y1 - 1: 0 with every such row right, or -1 (it gave up) */
static int
fastfile(const char *path, const struct image *im, int y0, int y1)
{
	const unsigned char *b;
	struct pngfast *q;
	struct got g = {im, y0, y1, 0, 0};
	struct buf f;
	int r = -1;

	/* the whole file in memory, as pngopen reads it */
	EXPECTINT(readfile(path, &f, NULL, 0), 0);
	b = (const unsigned char *)f.s;
	if (f.len >= 33 && (q = fastopen(b + 33, f.len - 33, b))) {
		r = fastread(q, y0, y1, getrow, &g);
		fastclose(q);
	}
	buffree(&f);
	if (r == 0) {
		EXPECTINT(g.calls, y1 - y0);
		EXPECTINT(g.wrong, 0);
	}
	return r;
}

/* pngload of path with channel r must give the image's first samples, scaled */
static void
expectload(const char *path, const struct image *im)
{
	struct img out = {0};
	char err[256] = "";
	int x, y, ok = 1, big = im->depth == 16;
	double v;

	EXPECTINT(pngload(path, 100000000, CHR, &out, err, sizeof(err)), 0);
	EXPECTSTR(err, "");
	if (!out.px)
		return;
	for (y = 0; y < im->h; y++) {
		for (x = 0; x < im->w; x++) {
			const unsigned char *s = im->px + y * im->rowbytes + (size_t)x * bpp(im);
			v = big ? (s[0] << 8 | s[1]) / 65535.0 : s[0] / 255.0;
			ok &= out.px[(size_t)y * im->w + x] == (float)v;
		}
	}
	EXPECT(ok);
	delimg(&out);
}

TEST(everykind)
{
	/* gray, gray + alpha, RGB, RGBA at 8 and 16 bits; filters one by one and mixed */
	static const int types[] = {0, 4, 2, 6};
	static const int sizes[][2] = {{1, 1}, {5, 3}, {67, 41}, {300, 120}};
	struct build b = {0};
	struct image im;
	struct file f;
	const char *path;
	int t, d, s, y0;

	for (t = 0; t < 4; t++) {
		for (d = 8; d <= 16; d += 8) {
			for (s = 0; s < 4; s++) {
				im = mkimage(sizes[s][0], sizes[s][1], d, types[t], t * 100 + d + s);
				for (b.filter = 0; b.filter <= 5; b.filter++) {
					b.idatsize = s == 3 ? 4096 : 0;
					f = mkfile(&im, &b);
					path = putfile(&f, "kind.png");
					EXPECTINT(fastfile(path, &im, 0, im.h), 0);
					/* a band: the rows above it unfiltered only as the rows below need */
					y0 = im.h / 3;
					EXPECTINT(fastfile(path, &im, y0, y0 + (im.h + 2) / 3), 0);
					EXPECTINT(fastfile(path, &im, im.h - 1, im.h), 0);
					expectload(path, &im);
				}
				free(im.px);
			}
		}
	}
}

TEST(batches)
{
	/* rows inflated up to PNGOUTBYTES at a time: 87 rows of RGBA16 1500 wide, in IDATs of 8 KiB; a band from each
	   row near the ends of the first two batches, so that its first row, and the row above it,
	   fall on either side of the end of a batch, under every filter and mixed ones */
	struct image im = mkimage(1500, 200, 16, 6, 11);
	struct build b = {.idatsize = 8192};
	const char *path;
	struct file f;
	int y0;

	EXPECTINT((int)pngoutrows(im.rowbytes + 1, (unsigned long)im.h), 87);
	for (b.filter = 0; b.filter <= 5; b.filter++) {
		f = mkfile(&im, &b);
		path = putfile(&f, "batches.png");
		for (y0 = 84; y0 < 92; y0++) {
			EXPECTINT(fastfile(path, &im, y0, y0 + 3), 0);
			EXPECTINT(fastfile(path, &im, y0 + 87, y0 + 90), 0);
		}
		EXPECTINT(fastfile(path, &im, 0, im.h), 0);
	}
	/* one IDAT of all the data, larger than what the inflater is given at a time (PNGZBYTES) */
	b.idatsize = 0;
	b.filter = 5;
	f = mkfile(&im, &b);
	EXPECT(f.n > 2 * PNGZBYTES);
	EXPECTINT(fastfile(putfile(&f, "oneidat.png"), &im, 0, im.h), 0);
	free(im.px);
}

TEST(chunks)
{
	/* skippable chunks on either side, IDATs of 2 bytes, an empty IDAT at the end: taken */
	struct image im = mkimage(40, 30, 8, 0, 7);
	struct build b = {.filter = 5, .before = "tEXt", .after = "tIME"};
	struct file f;
	const char *path;

	f = mkfile(&im, &b);
	EXPECTINT(fastfile(putfile(&f, "skip.png"), &im, 0, im.h), 0);
	b = (struct build){.filter = 5, .idatsize = 2, .emptyidat = 1};
	f = mkfile(&im, &b);
	path = putfile(&f, "tiny.png");
	EXPECTINT(fastfile(path, &im, 0, im.h), 0);
	expectload(path, &im);
	/* a first IDAT too short for the zlib header: libpng's */
	b.idatsize = 1;
	f = mkfile(&im, &b);
	path = putfile(&f, "tiny1.png");
	EXPECTINT(fastfile(path, &im, 0, im.h), -1);
	expectload(path, &im);
	/* a small window that holds the whole image is taken, one that does not is libpng's */
	b = (struct build){.filter = 5, .window = 11};
	f = mkfile(&im, &b);
	EXPECTINT(fastfile(putfile(&f, "win11.png"), &im, 0, im.h), 0);
	b.window = 10;
	f = mkfile(&im, &b);
	path = putfile(&f, "win10.png");
	EXPECTINT(fastfile(path, &im, 0, im.h), -1);
	expectload(path, &im);
	free(im.px);
}

/* fastfile gives up on path; pngload then says msg ("" when libpng reads it as im) */
static void
givesup(const char *path, const struct image *im, const char *msg)
{
	struct img out = {0};
	char err[256] = "";

	EXPECTINT(fastfile(path, im, 0, im->h), -1);
	if (!*msg) {
		expectload(path, im);
		return;
	}
	EXPECTINT(pngload(path, 100000000, CHLUMA, &out, err, sizeof(err)), -1);
	EXPECTSTR(err, msg);
	delimg(&out);
}

TEST(givesup)
{
	struct image im = mkimage(64, 48, 8, 0, 3);
	struct build b = {.filter = 5, .idatsize = 500};
	const char *path;
	struct file f;
	size_t p;

	/* unusual but sound: libpng reads them */
	b.before = "tRNS";
	f = mkfile(&im, &b);
	givesup(putfile(&f, "trns.png"), &im, "");
	b.before = "prVt";
	f = mkfile(&im, &b);
	givesup(putfile(&f, "private.png"), &im, "");
	b.before = NULL;
	b.after = "zzZz";
	f = mkfile(&im, &b);
	givesup(putfile(&f, "private-after.png"), &im, "");
	b.after = NULL;
	/* a CRC error in a skippable chunk is only a warning to libpng, and ignored here too */
	b.before = "gAMA";
	f = mkfile(&im, &b);
	f.b[findchunk(f.b, f.n, "gAMA") + 9] ^= 1;
	path = putfile(&f, "crc-gama.png");
	EXPECTINT(fastfile(path, &im, 0, im.h), 0);
	expectload(path, &im);
	b.before = NULL;

	/* damaged: libpng's word */
	f = mkfile(&im, &b);
	f.b[findchunk(f.b, f.n, "IDAT") + 8 + 500] ^= 1;
	givesup(putfile(&f, "crc-idat.png"), &im, "IDAT: CRC error");
	f = mkfile(&im, &b);
	f.b[findchunk(f.b, f.n, "IDAT") + 20] ^= 1;
	fixcrc(f.b, findchunk(f.b, f.n, "IDAT"));
	givesup(putfile(&f, "deflate.png"), &im, "IDAT: invalid literal/lengths set");
	f = mkfile(&im, &b);
	p = findchunk(f.b, f.n, "IEND");
	f.b[p + 8] ^= 1;
	givesup(putfile(&f, "crc-iend.png"), &im, "IEND: CRC error");
	f = mkfile(&im, &b);
	f.n -= 12;
	givesup(putfile(&f, "no-iend.png"), &im, "truncated");
	f = mkfile(&im, &b);
	f.n = findchunk(f.b, f.n, "IDAT") + 300;
	givesup(putfile(&f, "cut.png"), &im, "truncated");
	b.cut = 10;
	f = mkfile(&im, &b);
	givesup(putfile(&f, "short.png"), &im, "Not enough image data");
	b.cut = 0;
	/* bytes after the stream (libpng only warns), in one IDAT or spread over tiny ones */
	for (b.extra = 1; b.extra <= 9; b.extra += 4) {
		b.idatsize = 2;
		f = mkfile(&im, &b);
		givesup(putfile(&f, "extra-tiny.png"), &im, "");
		b.idatsize = 0;
		f = mkfile(&im, &b);
		givesup(putfile(&f, "extra.png"), &im, "");
	}
	b.extra = 0;
	b.idatsize = 500;
	b.badadler = 1;
	f = mkfile(&im, &b);
	givesup(putfile(&f, "adler.png"), &im, "IDAT: incorrect data check");
	b.badadler = 0;
	b.badfilter = 1;
	f = mkfile(&im, &b);
	givesup(putfile(&f, "filter5.png"), &im, "bad adaptive filter value");
	b.badfilter = 0;
	/* a window too small for the stream, or a preset dictionary */
	f = mkfile(&im, &b);
	p = findchunk(f.b, f.n, "IDAT") + 8;
	EXPECTINT(f.b[p], 0x78);
	f.b[p] = 0x38;   /* a 2 KiB window for 3 KiB of image: zlib checks the distances, ISA-L not */
	f.b[p + 1] &= 0xe0;
	f.b[p + 1] += 31 - (f.b[p] << 8 | f.b[p + 1]) % 31;
	fixcrc(f.b, p - 8);
	givesup(putfile(&f, "window.png"), &im, "IDAT: invalid distance too far back");
	f = mkfile(&im, &b);
	f.b[p + 1] |= 0x20;   /* a preset dictionary */
	f.b[p + 1] &= 0xe0;
	f.b[p + 1] += 31 - (f.b[p] << 8 | f.b[p + 1]) % 31;
	fixcrc(f.b, p - 8);
	givesup(putfile(&f, "dict.png"), &im, "IDAT: missing LZ dictionary");
	free(im.px);
}

TEST(kinds)
{
	/* IHDRs of kinds libpng alone reads (depth, type, compression, filter, interlace) */
	static const unsigned char ihdr[][5] = {{1, 0, 0, 0, 0}, {2, 0, 0, 0, 0}, {4, 0, 0, 0, 0},
	                                        {8, 3, 0, 0, 0}, {8, 0, 0, 0, 1}, {16, 2, 0, 0, 1},
	                                        {8, 0, 1, 0, 0}, {8, 0, 0, 1, 0}, {8, 1, 0, 0, 0}};
	struct image im = mkimage(16, 4, 8, 0, 1);
	size_t i, n = sizeof(ihdr) / sizeof(ihdr[0]);
	struct build b = {0};
	struct file f;

	/* and a good IHDR whose CRC is wrong, and one after a wrong signature */
	for (i = 0; i < n + 2; i++) {
		f = mkfile(&im, &b);
		if (i < n)
			memcpy(f.b + 24, ihdr[i], 5);
		fixcrc(f.b, 8);
		if (i == n)
			f.b[31] ^= 1;
		if (i == n + 1)
			f.b[5] ^= 1;
		EXPECT(fastopen(f.b + 33, f.n - 33, f.b) == NULL);
		free(f.b);
	}
	free(im.px);
}

/*
 * pngreadrect of rows y0 to y0 + h - 1 of path (gray 8-bit), as runja-process reads a
 * frame that a crop starts with: 0 with those rows' samples, or -1 with libpng's word
 * in err
 */
static int
bandload(const char *path, const struct image *im, int y0, int h, char *err, size_t n)
{
	struct pngin *p;
	struct img out = {0};
	int w, hh, r, x, y, ok = 1;

	*err = '\0';
	if (!(p = pngopen(path, 100000000, &w, &hh, err, n)))
		return -1;
	r = pngreadrect(p, &out, CHR, 0, y0, w, h, err, n);
	pngclose(p);
	for (y = 0; r == 0 && y < h; y++)
		for (x = 0; x < w; x++)
			ok &= out.px[(size_t)y * w + x] == (float)(im->px[(y0 + y) * im->rowbytes + x] / 255.0);
	EXPECT(ok);
	delimg(&out);
	return r;
}

TEST(tail)
{
	/* rows 5 to 9 wanted of 48, in IDATs of 200 bytes: the stream below row 9 is not
	   inflated, so what only inflating it would find is not found; what is damaged on
	   disk (a CRC, a file cut short, IEND) still is, and libpng then has the last word */
	struct image im = mkimage(64, 48, 8, 0, 5);
	struct build b = {.filter = 5, .idatsize = 200};
	const char *path;
	struct file f;
	char err[256];
	size_t p;

	f = mkfile(&im, &b);
	path = putfile(&f, "tail.png");
	EXPECTINT(fastfile(path, &im, 5, 10), 0);
	EXPECTINT(bandload(path, &im, 5, 5, err, sizeof(err)), 0);
	/* not inflated: a wrong Adler-32, a broken last block, data missing or left over */
	b.badadler = 1;
	f = mkfile(&im, &b);
	path = putfile(&f, "tail-adler.png");
	EXPECTINT(fastfile(path, &im, 5, 10), 0);
	EXPECTINT(bandload(path, &im, 5, 5, err, sizeof(err)), 0);
	/* the last row wanted is the last row: the stream is checked to its end */
	EXPECTINT(fastfile(path, &im, 40, 48), -1);
	EXPECTINT(bandload(path, &im, 40, 8, err, sizeof(err)), -1);
	EXPECTSTR(err, "IDAT: incorrect data check");
	b.badadler = 0;
	f = mkfile(&im, &b);
	p = findchunkat(f.b, f.n, "IDAT", 1);
	f.b[p + 9] ^= 0xff;
	fixcrc(f.b, p);
	EXPECTINT(fastfile(putfile(&f, "tail-deflate.png"), &im, 5, 10), 0);
	b.cut = 100;
	f = mkfile(&im, &b);
	EXPECTINT(fastfile(putfile(&f, "tail-short.png"), &im, 5, 10), 0);
	b.cut = 0;
	b.extra = 5;
	f = mkfile(&im, &b);
	EXPECTINT(fastfile(putfile(&f, "tail-extra.png"), &im, 5, 10), 0);
	b.extra = 0;

	/* damaged on disk: the next to last IDAT (a full one: 212 bytes), the one IDAT the
	   band ends in (its last byte: libpng inflates it before it checks its CRC), IEND */
	f = mkfile(&im, &b);
	p = findchunkat(f.b, f.n, "IDAT", 1) - 212;
	EXPECT(memcmp(f.b + p + 4, "IDAT", 4) == 0 && get32(f.b + p) == 200);
	f.b[p + 9] ^= 1;
	path = putfile(&f, "tail-crc.png");
	EXPECTINT(fastfile(path, &im, 5, 10), -1);
	EXPECTINT(bandload(path, &im, 5, 5, err, sizeof(err)), -1);
	EXPECTSTR(err, "IDAT: CRC error");
	b.idatsize = 0;
	f = mkfile(&im, &b);
	p = findchunk(f.b, f.n, "IEND");
	f.b[p - 5] ^= 1;
	path = putfile(&f, "tail-crc1.png");
	EXPECTINT(fastfile(path, &im, 5, 10), -1);
	EXPECTINT(bandload(path, &im, 5, 5, err, sizeof(err)), -1);
	EXPECTSTR(err, "IDAT: incorrect data check");
	b.idatsize = 200;
	f = mkfile(&im, &b);
	f.b[findchunk(f.b, f.n, "IEND") + 8] ^= 1;
	path = putfile(&f, "tail-iend.png");
	EXPECTINT(fastfile(path, &im, 5, 10), -1);
	EXPECTINT(bandload(path, &im, 5, 5, err, sizeof(err)), -1);
	EXPECTSTR(err, "IEND: CRC error");
	/* cut short: in the last IDAT, or IEND missing */
	f = mkfile(&im, &b);
	f.n = findchunkat(f.b, f.n, "IDAT", 1) + 100;
	path = putfile(&f, "tail-cut.png");
	EXPECTINT(fastfile(path, &im, 5, 10), -1);
	EXPECTINT(bandload(path, &im, 5, 5, err, sizeof(err)), -1);
	EXPECTSTR(err, "truncated");
	f = mkfile(&im, &b);
	f.n -= 12;
	path = putfile(&f, "tail-noiend.png");
	EXPECTINT(fastfile(path, &im, 5, 10), -1);
	EXPECTINT(bandload(path, &im, 5, 5, err, sizeof(err)), -1);
	EXPECTSTR(err, "truncated");
	/* skippable chunks after the IDATs are passed over; others are libpng's */
	b.after = "tIME";
	f = mkfile(&im, &b);
	EXPECTINT(fastfile(putfile(&f, "tail-time.png"), &im, 5, 10), 0);
	b.after = "zzZz";
	f = mkfile(&im, &b);
	path = putfile(&f, "tail-private.png");
	EXPECTINT(fastfile(path, &im, 5, 10), -1);
	EXPECTINT(bandload(path, &im, 5, 5, err, sizeof(err)), 0);
	free(im.px);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(everykind);
	RUN(batches);
	RUN(chunks);
	RUN(givesup);
	RUN(kinds);
	RUN(tail);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			printf("  cannot remove %s\n", tmpdir);
	}
	return TESTEXIT();
}
