/*
 * synth: write a synthetic data tree of experiment runs for tests and benchmarks.
 * Every run is a lit tank with a dark current advancing from the left, one PNG
 * per frame. The output depends only on the options (own PRNG, no clock).
 */
#include <errno.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <zlib.h>

#include "common/util.h"

static const char usage[] =
	"usage: synth [options] DIR\n"
	"Write a synthetic data tree of runs of PNG frames into DIR (created as needed).\n"
	"  --runs N            number of runs (default 4)\n"
	"  --frames N          frames per run (default 10)\n"
	"  --size WxH          frame size (default 160x120)\n"
	"  --kind KIND         gray8 (default), gray1, gray2, gray4, gray16, graya8, graya16,\n"
	"                      rgb8, rgb16, rgba8, rgba16, palette, or mixed (run number\n"
	"                      i uses kind i mod 12 of that list; i mod 3 = 2 is interlaced)\n"
	"  --interlace         write Adam7-interlaced frames\n"
	"  --nested            put runs under DIR/2026-03 (even run numbers) and\n"
	"                      DIR/2026-04 (odd), else directly under DIR\n"
	"  --first N           number the runs from N (default 0)\n"
	"  --prefix NAME       run folder prefix (default run_); runs are NAME%03d\n"
	"  --frame-name FMT    frame file name, printf format with one %d taking the\n"
	"                      frame index from 0 (default img_%d.png); may hold a '/'\n"
	"  --seed S            PRNG seed (default 1)\n"
	"  --noise A           uniform noise amplitude (default 0.02)\n"
	"  --compression L     zlib level 0-9 (default 1); 1 is run-length only (Z_RLE)\n"
	"  --bad KIND:RUN:FRAME  then damage frame FRAME of run number RUN (repeatable):\n"
	"                      truncate (half the file), crc (frame rewritten uncompressed,\n"
	"                      a pixel byte of the first IDAT flipped, CRC left stale),\n"
	"                      zlib (invalid first deflate block, CRC fixed),\n"
	"                      notpng (a line of text), empty (0 bytes),\n"
	"                      size (the frame rewritten at (W+8)xH)\n"
	"  -v, --verbose       print each run's kind and front speed, and each damage\n"
	"  -h, --help          print this help\n"
	"Errors print one line and exit with status 2.\n";

/* one PNG layout a frame can be written in */
struct kind {
	const char *name; /* as given to --kind */
	int colortype;    /* PNG_COLOR_TYPE_* */
	int depth;        /* bits per sample */
};

/* in the order --kind mixed cycles through */
static const struct kind kinds[] = {
	{"gray8", PNG_COLOR_TYPE_GRAY, 8},
	{"gray1", PNG_COLOR_TYPE_GRAY, 1},
	{"gray2", PNG_COLOR_TYPE_GRAY, 2},
	{"gray4", PNG_COLOR_TYPE_GRAY, 4},
	{"gray16", PNG_COLOR_TYPE_GRAY, 16},
	{"graya8", PNG_COLOR_TYPE_GRAY_ALPHA, 8},
	{"graya16", PNG_COLOR_TYPE_GRAY_ALPHA, 16},
	{"rgb8", PNG_COLOR_TYPE_RGB, 8},
	{"rgb16", PNG_COLOR_TYPE_RGB, 16},
	{"rgba8", PNG_COLOR_TYPE_RGB_ALPHA, 8},
	{"rgba16", PNG_COLOR_TYPE_RGB_ALPHA, 16},
	{"palette", PNG_COLOR_TYPE_PALETTE, 8},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* the ways --bad damages a frame */
enum damage {
	DTRUNCATE,
	DCRC,
	DZLIB,
	DNOTPNG,
	DEMPTY,
	DSIZE,
};

/* indexed by enum damage */
static const char *const damagenames[] = {"truncate", "crc", "zlib", "notpng", "empty", "size"};
#define NDAMAGES (sizeof(damagenames) / sizeof(damagenames[0]))

/* one --bad request */
struct bad {
	enum damage kind; /* what to do */
	long run;         /* run number, as in its name */
	long frame;       /* frame index, as in its name */
};

/* the command line */
struct opts {
	long runs, frames, first; /* how many runs, frames per run, first run number */
	long width, height;       /* frame size */
	int kind;                 /* index in kinds, -1 for mixed */
	int interlace;            /* Adam7 for every run */
	int nested;               /* runs under date folders */
	const char *prefix;       /* run folder prefix */
	const char *framefmt;     /* frame name format, checked by checkframefmt */
	uint64_t seed;            /* PRNG seed */
	double noise;             /* noise amplitude */
	int compression;          /* zlib level */
	int verbose;              /* -v */
	struct bad *bads;         /* --bad requests, owned */
	size_t nbads;             /* entries in bads */
	const char *dir;          /* output root */
};

/* the fixed parameters of one run at one frame size */
struct run {
	long num;                     /* run number */
	const struct kind *kind;      /* PNG layout of its frames */
	int interlace;                /* Adam7 */
	long width, height;           /* frame size */
	float *bg;                    /* lit tank, width*height values in [0,1], owned */
	double x0, speed;             /* front column at frame t: x0 + speed*t */
	double edge;                  /* width of the tanh edge in pixels */
	double depth;                 /* fraction of light the current absorbs */
	double wamp, wk, wphase, wdrift; /* front wave: amplitude px, periods over the height, phase, phase per frame */
};

/* next value of a splitmix64 stream */
static uint64_t
splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* start of the stream for (seed, run number, frame index or UINT64_MAX for the run's parameters) */
static uint64_t
rngstart(uint64_t seed, uint64_t run, uint64_t frame)
{
	uint64_t s = seed;

	s = splitmix(&s) ^ run;
	s = splitmix(&s) ^ frame;
	return splitmix(&s);
}

/* uniform in [lo, hi) */
static double
uniform(uint64_t *s, double lo, double hi)
{
	return lo + (hi - lo) * (double)(splitmix(s) >> 11) * 0x1p-53;
}

/* the parameters and background of run number num at size w x h; free with delrun */
static void
mkrun(struct run *r, const struct opts *o, long num, long w, long h)
{
	uint64_t s = rngstart(o->seed, (uint64_t)num, UINT64_MAX);
	double grad, ia, kx, ky, p1, p2, lim;
	long x, y;

	r->num = num;
	r->kind = &kinds[o->kind >= 0 ? o->kind : num % (long)NKINDS];
	r->interlace = o->interlace || (o->kind < 0 && num % 3 == 2);
	r->width = w;
	r->height = h;
	r->x0 = w * uniform(&s, 0.05, 0.15);
	r->speed = uniform(&s, 2, 4) * w / 320;
	lim = 0.9 * w;
	if (o->frames > 1 && r->x0 + r->speed * (o->frames - 1) > lim)
		r->speed = (lim - r->x0) / (o->frames - 1);
	r->edge = uniform(&s, 2.5, 3.5);
	r->depth = uniform(&s, 0.75, 0.85);
	r->wamp = uniform(&s, 0.01, 0.02) * w;
	r->wk = 1 + (double)(splitmix(&s) % 3);
	r->wphase = uniform(&s, 0, 2 * M_PI);
	r->wdrift = uniform(&s, 0.1, 0.3);

	grad = uniform(&s, -0.08, 0.08);
	ia = uniform(&s, 0.02, 0.05);
	kx = 1 + (double)(splitmix(&s) % 2);
	ky = 1 + (double)(splitmix(&s) % 2);
	p1 = uniform(&s, 0, 2 * M_PI);
	p2 = uniform(&s, 0, 2 * M_PI);
	r->bg = xreallocarray(NULL, (size_t)w * (size_t)h, sizeof(float));
	for (y = 0; y < h; y++) {
		double gy = 0.8 + grad * (h > 1 ? (double)y / (h - 1) - 0.5 : 0);
		double cy = ia * cos(2 * M_PI * ky * y / h + p2);

		for (x = 0; x < w; x++)
			r->bg[y * w + x] = (float)(gy + cy * cos(2 * M_PI * kx * x / w + p1));
	}
}

/* free what mkrun allocated */
static void
delrun(struct run *r)
{
	free(r->bg);
	r->bg = NULL;
}

/* frame t of run r into v (width*height values, not clamped) */
static void
genframe(const struct run *r, const struct opts *o, long t, float *v)
{
	uint64_t s = rngstart(o->seed, (uint64_t)r->num, (uint64_t)t), n;
	long w = r->width, x, y, lo, hi;
	float *m = xreallocarray(NULL, (size_t)w, sizeof(float));
	float *nz = xreallocarray(NULL, (size_t)w, sizeof(float));
	float a = (float)o->noise * 0x1p-31f;
	double e, step = exp(2 / r->edge);

	for (y = 0; y < r->height; y++) {
		const float *bg = r->bg + y * w;
		float *row = v + y * w;
		double xf = r->x0 + r->speed * t +
		    r->wamp * sin(2 * M_PI * r->wk * y / r->height + r->wphase + r->wdrift * t);

		/* m: light let through, 1 - depth * d with the dark fraction
		 * d = (1 - tanh(u)) / 2 = 1 / (1 + exp(2u)), u = (x - xf) / edge,
		 * exp(2u) stepped geometrically; d is below 1e-5 beyond 6 edge widths */
		lo = (long)fmax(0, floor(xf - 6 * r->edge));
		hi = (long)fmin(w, ceil(xf + 6 * r->edge));
		e = exp(2 * (lo - xf) / r->edge);
		for (x = 0; x < lo; x++)
			m[x] = (float)(1 - r->depth);
		for (; x < hi; x++, e *= step)
			m[x] = (float)(1 - r->depth / (1 + e));
		for (; x < w; x++)
			m[x] = 1;
		/* nz: uniform in [-2^31, 2^31), two values per draw */
		for (x = 0; x + 1 < w; x += 2) {
			n = splitmix(&s);
			nz[x] = (float)(int32_t)(uint32_t)(n >> 32);
			nz[x + 1] = (float)(int32_t)(uint32_t)n;
		}
		if (x < w)
			nz[x] = (float)(int32_t)(uint32_t)(splitmix(&s) >> 32);
		for (x = 0; x < w; x++)
			row[x] = bg[x] * m[x] + a * nz[x];
	}
	free(nz);
	free(m);
}

/* samples per pixel of kind k */
static int
nsamples(const struct kind *k)
{
	switch (k->colortype) {
	case PNG_COLOR_TYPE_GRAY_ALPHA:
		return 2;
	case PNG_COLOR_TYPE_RGB:
		return 3;
	case PNG_COLOR_TYPE_RGB_ALPHA:
		return 4;
	default:
		return 1;
	}
}

/* store the w samples q as sample c of each pixel of ns samples of depth bits in out (zeroed) */
static void
putsamples(int depth, const uint16_t *q, long w, unsigned char *out, int c, int ns)
{
	long x;

	switch (depth) {
	case 16:
		for (x = 0; x < w; x++) {
			out[2 * (x * ns + c)] = q[x] >> 8;
			out[2 * (x * ns + c) + 1] = q[x] & 0xff;
		}
		break;
	case 8:
		for (x = 0; x < w; x++)
			out[x * ns + c] = (unsigned char)q[x];
		break;
	default:
		/* 1, 2, 4 bits: gray only, packed from the high bit */
		for (x = 0; x < w; x++)
			out[x * depth / 8] |= q[x] << (8 - depth - x * depth % 8);
	}
}

/* one row of w values as PNG samples of kind k into out (zeroed); q is scratch for w samples.
 * Values are clamped to [0,1] and rounded (gray1: 1 from 0.5); colour is
 * (v, 0.9 v + 0.05, 0.8 v + 0.1) and alpha a constant a reader must ignore */
static void
packrow(const struct kind *k, const float *v, long w, unsigned char *out, uint16_t *q)
{
	static const float gain[3] = {1, 0.9f, 0.8f}, offset[3] = {0, 0.05f, 0.1f};
	int ns = nsamples(k), c;
	int32_t maxv = (1 << k->depth) - 1, i;
	long x;

	for (c = 0; c < (ns >= 3 ? 3 : 1); c++) {
		for (x = 0; x < w; x++) {
			/* v is within a few units of [0,1], so the conversion cannot overflow */
			i = (int32_t)((gain[c] * v[x] + offset[c]) * (float)maxv + 0.5f);
			i = i < 0 ? 0 : i;
			q[x] = (uint16_t)(i > maxv ? maxv : i);
		}
		putsamples(k->depth, q, w, out, c, ns);
	}
	if (ns == 2 || ns == 4) {
		for (x = 0; x < w; x++)
			q[x] = k->depth == 16 ? 51200 : 200;
		putsamples(k->depth, q, w, out, ns - 1, ns);
	}
}

/* where libpng's errors go */
struct pngerr {
	jmp_buf jb;       /* back to writepng */
	const char *path; /* file being written */
};

static void
pngerror(png_structp png, png_const_charp msg)
{
	struct pngerr *e = png_get_error_ptr(png);

	warn("%s: %s", e->path, msg);
	longjmp(e->jb, 1);
}

static void
pngwarning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* write the packed rows of a w x h frame of kind k to path, at zlib level, in
 * IDAT chunks of idatsize bytes (0: libpng's default); -1 after a warning */
static int
writepng(const char *path, const struct kind *k, int interlace, long w, long h,
         unsigned char **rows, int level, size_t idatsize)
{
	struct pngerr e = {.path = path};
	png_color pal[256];
	png_structp png;
	png_infop info;
	FILE *f;
	int i;

	f = fopen(path, "wb");
	if (!f) {
		warn("%s:", path);
		return -1;
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &e, pngerror, pngwarning);
	info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		warn("%s: cannot start libpng", path);
		png_destroy_write_struct(&png, NULL);
		fclose(f);
		return -1;
	}
	if (setjmp(e.jb)) {
		png_destroy_write_struct(&png, &info);
		fclose(f);
		return -1;
	}
	png_init_io(png, f);
	/* one filter, so libpng does not try all five on every row; at level 1
	 * run-length matches only, twice as fast as deflate on noisy frames */
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
	png_set_compression_level(png, level);
	if (level == 1)
		png_set_compression_strategy(png, Z_RLE);
	if (idatsize > 0)
		png_set_compression_buffer_size(png, idatsize);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, k->depth, k->colortype,
	             interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (k->colortype == PNG_COLOR_TYPE_PALETTE) {
		/* gray-ish: index i is gray i with a slight blue tint */
		for (i = 0; i < 256; i++) {
			pal[i].red = pal[i].green = i;
			pal[i].blue = (png_byte)(25.5 + 0.9 * i + 0.5);
		}
		png_set_PLTE(png, info, pal, 256);
	}
	png_write_info(png, info);
	png_write_image(png, rows);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	if (fclose(f) == EOF) {
		warn("%s:", path);
		return -1;
	}
	return 0;
}

/* create path and its parents; -1 after a warning */
static int
mkdirp(const char *path)
{
	char *p = xstrdup(path), *s;
	struct stat st;
	int ret = 0;
	char c;

	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		c = *s;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && (errno != EEXIST || stat(p, &st) < 0 || !S_ISDIR(st.st_mode))) {
			if (errno == EEXIST)
				errno = ENOTDIR;
			warn("mkdir %s:", p);
			ret = -1;
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return ret;
}

/* path of run number num; caller owns it */
static char *
runpath(const struct opts *o, long num)
{
	if (o->nested)
		return xasprintf("%s/2026-%02ld/%s%03ld", o->dir, 3 + num % 2, o->prefix, num);
	return xasprintf("%s/%s%03ld", o->dir, o->prefix, num);
}

/* path of frame t of the run at rundir; caller owns it */
static char *
framepath(const struct opts *o, const char *rundir, long t)
{
	char *name = xasprintf(o->framefmt, (int)t), *p;

	p = xasprintf("%s/%s", rundir, name);
	free(name);
	return p;
}

/* write frame t of run r to path at zlib level, with oneidat in a single IDAT chunk; -1 after a warning */
static int
writeframe(const struct run *r, const struct opts *o, long t, const char *path, int level, int oneidat)
{
	size_t w = (size_t)r->width, h = (size_t)r->height, y;
	size_t rowbytes = (w * (size_t)(nsamples(r->kind) * r->kind->depth) + 7) / 8;
	float *v = xreallocarray(NULL, w * h, sizeof(float));
	unsigned char *pix = xcalloc(h, rowbytes);
	unsigned char **rows = xreallocarray(NULL, h, sizeof(*rows));
	uint16_t *q = xreallocarray(NULL, w, sizeof(*q));
	const char *slash;
	int ret = 0;

	genframe(r, o, t, v);
	for (y = 0; y < h; y++) {
		rows[y] = pix + y * rowbytes;
		packrow(r->kind, v + y * w, r->width, rows[y], q);
	}
	slash = strrchr(path, '/');
	if (strchr(o->framefmt, '/') && slash) {
		char *dir = xasprintf("%.*s", (int)(slash - path), path);
		ret = mkdirp(dir);
		free(dir);
	}
	if (ret == 0)
		/* filtered data: at most rowbytes + 2 per row of each of <= 2h + 7 pass rows; deflate adds < 1% */
		ret = writepng(path, r->kind, r->interlace, r->width, r->height, rows, level,
		               oneidat ? (rowbytes + 2) * (2 * h + 7) * 101 / 100 + 1024 : 0);
	free(q);
	free(rows);
	free(pix);
	free(v);
	return ret;
}

/* write every frame of run number num; -1 after a warning */
static int
writerun(const struct opts *o, long num)
{
	char *dir = runpath(o, num), *path;
	struct run r;
	long t;
	int ret;

	ret = mkdirp(dir);
	if (ret < 0)
		goto err0;
	mkrun(&r, o, num, o->width, o->height);
	if (o->verbose)
		printf("%s: %s%s %ldx%ld, %ld frames, front at %.4f + %.4f*t px\n", dir,
		       r.kind->name, r.interlace ? " interlaced" : "", r.width, r.height,
		       o->frames, r.x0, r.speed);
	for (t = 0; t < o->frames && ret == 0; t++) {
		path = framepath(o, dir, t);
		ret = writeframe(&r, o, t, path, o->compression, 0);
		free(path);
	}
	delrun(&r);
err0:
	free(dir);
	return ret;
}

/* the whole of path into *data (caller owns it) and *n; -1 after a warning */
static int
readfile(const char *path, unsigned char **data, size_t *n)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, len = 0, r;
	unsigned char *p;

	if (!f) {
		warn("%s:", path);
		return -1;
	}
	p = xmalloc(cap);
	while ((r = fread(p + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap)
			p = xreallocarray(p, cap *= 2, 1);
	}
	if (ferror(f)) {
		warn("%s: read error", path);
		fclose(f);
		free(p);
		return -1;
	}
	fclose(f);
	*data = p;
	*n = len;
	return 0;
}

/* replace path by n bytes of data; -1 after a warning */
static int
writefile(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f) {
		warn("%s:", path);
		return -1;
	}
	if (fwrite(data, 1, n, f) != n || fclose(f) == EOF) {
		warn("%s:", path);
		return -1;
	}
	return 0;
}

/* big-endian 32-bit value at p */
static uint32_t
getbe32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* CRC-32 of PNG (ISO 3309) over n bytes of p */
static uint32_t
crc32png(const unsigned char *p, size_t n)
{
	uint32_t table[256], c;
	size_t i;
	int k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
	c = 0xffffffffu;
	for (i = 0; i < n; i++)
		c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* offset of the first IDAT chunk (its length field) in a PNG of n bytes, or -1 */
static long
findidat(const unsigned char *p, size_t n)
{
	size_t off = 8;
	uint32_t len;

	while (off + 12 <= n) {
		len = getbe32(p + off);
		if (len > n - off - 12)
			break;
		if (memcmp(p + off + 4, "IDAT", 4) == 0)
			return (long)off;
		off += 12 + (size_t)len;
	}
	return -1;
}

/* Adler-32 of the payloads of the stored deflate blocks of the zlib stream z
 * (n bytes, trailer included), or -1 unless it is exactly such a stream */
static int64_t
adlerstored(const unsigned char *z, size_t n)
{
	uint32_t a = 1, b = 0;
	size_t pos = 2, len, i;
	int last;

	do {
		if (pos + 5 > n || (z[pos] & 0x06) != 0)
			return -1;
		last = z[pos] & 1;
		len = z[pos + 1] | (size_t)z[pos + 2] << 8;
		pos += 5;
		if (len > n - pos)
			return -1;
		for (i = 0; i < len; i++) {
			a = (a + z[pos + i]) % 65521;
			b = (b + a) % 65521;
		}
		pos += len;
	} while (!last);
	return pos + 4 == n ? (int64_t)(b << 16 | a) : -1;
}

/* store v big-endian at p */
static void
putbe32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16 & 0xff;
	p[2] = v >> 8 & 0xff;
	p[3] = v & 0xff;
}

/* damage the data of the first IDAT chunk of the PNG at path. With fixcrc,
 * make the first deflate block's type invalid and fix the CRC. Else the PNG
 * must hold its whole zlib stream in stored blocks in that one chunk: flip the
 * first pixel byte (data[8], after the zlib header, the stored-block header
 * and a filter byte) and fix the Adler-32, so the stream inflates and only
 * the stale CRC tells. -1 after a warning */
static int
damageidat(const char *path, int fixcrc)
{
	unsigned char *p, *d;
	size_t n;
	long off;
	uint32_t len;
	int64_t adler;
	int ret = -1;

	if (readfile(path, &p, &n) < 0)
		return -1;
	off = findidat(p, n);
	len = off < 0 ? 0 : getbe32(p + off);
	if (len < (fixcrc ? 3 : 13)) {
		warn("%s: no IDAT chunk to damage", path);
		goto err;
	}
	d = p + off + 8;
	if (fixcrc) {
		/* d[0..1] is the zlib header; BTYPE (bits 1-2 of d[2]) = 3 is reserved */
		d[2] |= 0x06;
		putbe32(d + len, crc32png(p + off + 4, 4 + (size_t)len));
	} else {
		d[8] ^= 0xff;
		adler = adlerstored(d, len);
		if (adler < 0) {
			warn("%s: first IDAT is not one whole stored zlib stream", path);
			goto err;
		}
		putbe32(d + len - 4, (uint32_t)adler);
	}
	ret = writefile(path, p, n);
err:
	free(p);
	return ret;
}

/* apply one --bad request; -1 after a warning */
static int
damage(const struct opts *o, const struct bad *b)
{
	static const char notpng[] = "this is not a png\n";
	char *dir = runpath(o, b->run), *path = framepath(o, dir, b->frame);
	struct stat st;
	struct run r;
	int ret = -1;

	switch (b->kind) {
	case DTRUNCATE:
		if (stat(path, &st) < 0 || truncate(path, st.st_size / 2) < 0)
			warn("%s:", path);
		else
			ret = 0;
		break;
	case DCRC:
		mkrun(&r, o, b->run, o->width, o->height);
		ret = writeframe(&r, o, b->frame, path, 0, 1);
		delrun(&r);
		if (ret == 0)
			ret = damageidat(path, 0);
		break;
	case DZLIB:
		ret = damageidat(path, 1);
		break;
	case DNOTPNG:
		ret = writefile(path, notpng, sizeof(notpng) - 1);
		break;
	case DEMPTY:
		ret = writefile(path, "", 0);
		break;
	case DSIZE:
		mkrun(&r, o, b->run, o->width + 8, o->height);
		ret = writeframe(&r, o, b->frame, path, o->compression, 0);
		delrun(&r);
		break;
	}
	if (ret == 0 && o->verbose)
		printf("%s: damaged (%s)\n", path, damagenames[b->kind]);
	free(path);
	free(dir);
	return ret;
}

/* integer value of option opt, in [min, max], or exit */
static long
parselong(const char *opt, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno || v < min || v > max)
		fatal(2, "%s: invalid value '%s' (want an integer from %ld to %ld)", opt, s, min, max);
	return v;
}

/* 0 when fmt holds exactly one %d (flags, width and precision allowed, %% aside) and names a path inside the run */
static int
checkframefmt(const char *fmt)
{
	const char *p;
	int n = 0;
	size_t k;

	if (fmt[0] == '/' || strcmp(fmt, "..") == 0 || strncmp(fmt, "../", 3) == 0 ||
	    strstr(fmt, "/../") || (strlen(fmt) >= 3 && strcmp(fmt + strlen(fmt) - 3, "/..") == 0))
		return -1;
	for (p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		if (*++p == '%')
			continue;
		p += strspn(p, "-+ 0");
		k = strspn(p, "0123456789");
		if (k > 2)
			return -1;
		p += k;
		if (*p == '.') {
			k = strspn(++p, "0123456789");
			if (k > 2)
				return -1;
			p += k;
		}
		if (*p != 'd')
			return -1;
		n++;
	}
	return n == 1 ? 0 : -1;
}

/* the --bad value s, or exit */
static struct bad
parsebad(const char *s)
{
	struct bad b;
	const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	char *num;
	size_t i;

	if (!c2)
		fatal(2, "--bad: invalid value '%s' (want KIND:RUN:FRAME)", s);
	for (i = 0; i < NDAMAGES; i++) {
		if (strlen(damagenames[i]) == (size_t)(c1 - s) && strncmp(s, damagenames[i], c1 - s) == 0)
			break;
	}
	if (i == NDAMAGES)
		fatal(2, "--bad: unknown damage '%.*s' (truncate, crc, zlib, notpng, empty, size)", (int)(c1 - s), s);
	b.kind = (enum damage)i;
	num = xasprintf("%.*s", (int)(c2 - c1 - 1), c1 + 1);
	b.run = parselong("--bad RUN", num, 0, 99999999);
	free(num);
	b.frame = parselong("--bad FRAME", c2 + 1, 0, 99999999);
	return b;
}

/* option ids */
enum {
	ORUNS, OFRAMES, OSIZE, OKIND, OINTERLACE, ONESTED, OFIRST, OPREFIX,
	OFRAMENAME, OSEED, ONOISE, OCOMPRESSION, OBAD, OVERBOSE, OHELP,
};

/* the long options: name, id, whether it takes a value */
static const struct {
	const char *name;
	int id;
	int hasval;
} longopts[] = {
	{"runs", ORUNS, 1}, {"frames", OFRAMES, 1}, {"size", OSIZE, 1}, {"kind", OKIND, 1},
	{"interlace", OINTERLACE, 0}, {"nested", ONESTED, 0}, {"first", OFIRST, 1},
	{"prefix", OPREFIX, 1}, {"frame-name", OFRAMENAME, 1}, {"seed", OSEED, 1},
	{"noise", ONOISE, 1}, {"compression", OCOMPRESSION, 1}, {"bad", OBAD, 1},
	{"verbose", OVERBOSE, 0}, {"help", OHELP, 0},
};

/* apply option id, named opt ("--runs"), with value val (NULL for flags) to o */
static void
setopt(struct opts *o, int id, const char *opt, const char *val)
{
	const char *hs;
	char *end;
	size_t i;

	switch (id) {
	case ORUNS:
		o->runs = parselong(opt, val, 0, 1000000);
		break;
	case OFRAMES:
		o->frames = parselong(opt, val, 0, 10000000);
		break;
	case OFIRST:
		o->first = parselong(opt, val, 0, 99999999);
		break;
	case OSIZE:
		errno = 0;
		o->width = strtol(val, &end, 10);
		if (end == val || *end != 'x' || errno)
			fatal(2, "%s: invalid value '%s' (want WxH)", opt, val);
		hs = end + 1;
		o->height = strtol(hs, &end, 10);
		if (end == hs || *end != '\0' || errno || o->width < 1 || o->height < 1 ||
		    o->width > 100000 || o->height > 100000 || o->width * o->height > 100000000)
			fatal(2, "%s: invalid value '%s' (want WxH, 1 to 100000 each, at most 1e8 pixels)", opt, val);
		break;
	case OKIND:
		o->kind = -1;
		for (i = 0; i < NKINDS; i++) {
			if (strcmp(val, kinds[i].name) == 0)
				o->kind = (int)i;
		}
		if (o->kind < 0 && strcmp(val, "mixed") != 0)
			fatal(2, "%s: unknown kind '%s'", opt, val);
		break;
	case OINTERLACE:
		o->interlace = 1;
		break;
	case ONESTED:
		o->nested = 1;
		break;
	case OPREFIX:
		if (strchr(val, '/'))
			fatal(2, "%s: '%s' must not contain '/'", opt, val);
		o->prefix = val;
		break;
	case OFRAMENAME:
		if (checkframefmt(val) < 0)
			fatal(2, "%s: '%s' must hold exactly one %%d and stay inside the run", opt, val);
		o->framefmt = val;
		break;
	case OSEED:
		errno = 0;
		o->seed = strtoull(val, &end, 10);
		if (*val == '\0' || *val == '-' || *end != '\0' || errno)
			fatal(2, "%s: invalid value '%s' (want an unsigned integer)", opt, val);
		break;
	case ONOISE:
		errno = 0;
		o->noise = strtod(val, &end);
		if (*val == '\0' || *end != '\0' || errno || !(o->noise >= 0 && o->noise <= 1))
			fatal(2, "%s: invalid value '%s' (want a number from 0 to 1)", opt, val);
		break;
	case OCOMPRESSION:
		o->compression = (int)parselong(opt, val, 0, 9);
		break;
	case OBAD:
		o->bads = xreallocarray(o->bads, o->nbads + 1, sizeof(*o->bads));
		o->bads[o->nbads++] = parsebad(val);
		break;
	case OVERBOSE:
		o->verbose = 1;
		break;
	case OHELP:
		fputs(usage, stdout);
		exit(0);
	}
}

/* fill o from the command line, or exit */
static void
parseargs(struct opts *o, int argc, char **argv)
{
	const char *arg, *eq, *val;
	char name[32];
	size_t i, namelen;
	int k, opts = 1;

	for (k = 1; k < argc; k++) {
		arg = argv[k];
		if (!opts || arg[0] != '-' || arg[1] == '\0') {
			if (o->dir)
				fatal(2, "unexpected argument '%s' (one DIR only)", arg);
			o->dir = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			opts = 0;
			continue;
		}
		if (strcmp(arg, "-v") == 0) {
			setopt(o, OVERBOSE, arg, NULL);
			continue;
		}
		if (strcmp(arg, "-h") == 0) {
			setopt(o, OHELP, arg, NULL);
			continue;
		}
		if (arg[1] != '-')
			fatal(2, "unknown option '%s' (see --help)", arg);
		eq = strchr(arg, '=');
		namelen = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		for (i = 0; i < sizeof(longopts) / sizeof(longopts[0]); i++) {
			if (strlen(longopts[i].name) == namelen && strncmp(arg + 2, longopts[i].name, namelen) == 0)
				break;
		}
		if (i == sizeof(longopts) / sizeof(longopts[0]))
			fatal(2, "unknown option '%.*s' (see --help)", (int)(namelen + 2), arg);
		val = NULL;
		if (longopts[i].hasval) {
			if (eq)
				val = eq + 1;
			else if (k + 1 < argc)
				val = argv[++k];
			else
				fatal(2, "option '%s' needs a value", arg);
		} else if (eq) {
			fatal(2, "option '--%s' takes no value", longopts[i].name);
		}
		snprintf(name, sizeof(name), "--%s", longopts[i].name);
		setopt(o, longopts[i].id, name, val);
	}
	if (!o->dir || !o->dir[0])
		fatal(2, "missing DIR (see --help)");
	for (i = 0; i < o->nbads; i++) {
		const struct bad *b = &o->bads[i];

		if (b->run < o->first || b->run >= o->first + o->runs)
			fatal(2, "--bad %s:%ld:%ld: no run %ld (runs are %ld to %ld)", damagenames[b->kind],
			      b->run, b->frame, b->run, o->first, o->first + o->runs - 1);
		if (b->frame >= o->frames)
			fatal(2, "--bad %s:%ld:%ld: no frame %ld (frames are 0 to %ld)", damagenames[b->kind],
			      b->run, b->frame, b->frame, o->frames - 1);
	}
}

int
main(int argc, char **argv)
{
	struct opts o = {
		.runs = 4, .frames = 10, .first = 0, .width = 160, .height = 120, .kind = 0,
		.prefix = "run_", .framefmt = "img_%d.png", .seed = 1, .noise = 0.02,
		.compression = 1,
	};
	char *dir;
	size_t i, n;
	long num;

	argv0 = "synth";
	parseargs(&o, argc, argv);
	/* DIR without trailing slashes, so paths read DIR/run_000 */
	dir = xstrdup(o.dir);
	for (n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
		dir[n - 1] = '\0';
	o.dir = dir;
	if (mkdirp(o.dir) < 0)
		exit(2);
	for (num = o.first; num < o.first + o.runs; num++) {
		if (writerun(&o, num) < 0)
			exit(2);
	}
	for (i = 0; i < o.nbads; i++) {
		if (damage(&o, &o.bads[i]) < 0)
			exit(2);
	}
	free(o.bads);
	free(dir);
	return 0;
}
