/* tests of the report's parts: escaping (escape.c), durations (page.c), logs (runinfo.c), thumbnails (thumb.c), plots (plot.c) */
#include <fcntl.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/util.h"
#include "report/plot.h"
#include "process/png.h"
#include "report/escape.h"
#include "report/page.h"
#include "report/runinfo.h"
#include "report/thumb.h"
#include "tests/test.h"

/* the temporary directory of this run, from mkdtemp */
static char tmpdir[] = "/tmp/runja-report-XXXXXX";

TEST(htmlescape)
{
	struct buf b;

	bufinit(&b);
	htmlescape(&b, "it's <b>&\"x\" #1? caf\xc3\xa9");
	EXPECTSTR(b.s, "it&#39;s &lt;b&gt;&amp;&quot;x&quot; #1? caf\xc3\xa9");
	buffree(&b);
}

TEST(urlescape)
{
	struct buf b;

	bufinit(&b);
	urlescape(&b, "2026-03/run 1#a?b%c\"d'e&f:g<h>~_.caf\xc3\xa9");
	EXPECTSTR(b.s, "2026-03/run%201%23a%3Fb%25c%22d%27e%26f%3Ag%3Ch%3E~_.caf%C3%A9");
	buffree(&b);
}

/* thumbsize(w, h) must be tw x th */
#define SIZE(w, h, tw, th) do { int tw_, th_; thumbsize(w, h, &tw_, &th_); \
	EXPECTINT(tw_, tw); EXPECTINT(th_, th); } while (0)

TEST(thumbsize)
{
	SIZE(320, 200, 160, 100);
	SIZE(48, 32, 48, 32);         /* small: as it is */
	SIZE(100, 1000, 16, 160);     /* tall: 160 high */
	SIZE(320, 40, 160, 48);       /* a short timestack: stretched to 48 */
	SIZE(96, 12, 96, 48);
	SIZE(40, 4, 40, 20);          /* narrow and flat: half as high as wide */
	SIZE(1, 1, 1, 1);
	SIZE(5000, 1, 160, 48);
}

TEST(thumbresize)
{
	float px[] = {0, 1, 2, 3, 4, 5, 6, 7}, row[] = {0, 1, 2}, seven[] = {1, 2, 3, 4, 5, 6, 7};
	struct img src = {4, 2, px}, one = {3, 1, row}, wide = {7, 1, seven}, dst = {0};

	thumbresize(&src, &dst, 2, 1);
	EXPECTINT(dst.w, 2);
	EXPECTINT(dst.h, 1);
	EXPECTNEAR(dst.px[0], (0 + 1 + 4 + 5) / 4.0, 1e-6);
	EXPECTNEAR(dst.px[1], (2 + 3 + 6 + 7) / 4.0, 1e-6);
	/* 3 -> 2 across: each output pixel covers 1.5 source pixels */
	thumbresize(&one, &dst, 2, 3);
	EXPECTNEAR(dst.px[0], (0 + 0.5 * 1) / 1.5, 1e-6);
	EXPECTNEAR(dst.px[1], (0.5 * 1 + 2) / 1.5, 1e-6);
	/* 1 -> 3 down: every row the same */
	EXPECTNEAR(dst.px[4], dst.px[0], 1e-6);
	EXPECTNEAR(dst.px[5], dst.px[1], 1e-6);
	/* 7 -> 3 across: 7/3 source pixels each, the middle column partly covering pixels 2 and 4 */
	thumbresize(&wide, &dst, 3, 1);
	EXPECTNEAR(dst.px[0], (1 + 2 + 3 / 3.0) * 3 / 7, 1e-6);
	EXPECTNEAR(dst.px[1], (3 * 2 / 3.0 + 4 + 5 * 2 / 3.0) * 3 / 7, 1e-6);
	EXPECTNEAR(dst.px[2], (5 / 3.0 + 6 + 7) * 3 / 7, 1e-6);
	delimg(&dst);
}

TEST(thumbmake)
{
	struct img im = {0}, th = {0};
	char *src = xasprintf("%s/mean.png", tmpdir), *dst = xasprintf("%s/thumb_mean.png", tmpdir), err[512] = "";
	int x, y, tw = 0, thh = 0;

	/* 320 x 100: a ramp across, so each thumbnail pixel is the mean of a 2 x 2 block */
	mkimg(&im, 320, 100);
	for (y = 0; y < im.h; y++)
		for (x = 0; x < im.w; x++)
			im.px[y * im.w + x] = (float)x / (im.w - 1);
	EXPECTINT(pngwrite16(src, &im, 0, 1, 1, err, sizeof(err)), 0);
	EXPECTINT(thumbmake(src, dst, &tw, &thh, err, sizeof(err)), 0);
	EXPECTSTR(err, "");
	EXPECTINT(tw, 160);
	EXPECTINT(thh, 50);
	EXPECTINT(pngload(dst, 1000000, CHLUMA, &th, err, sizeof(err)), 0);
	EXPECTINT(th.w, 160);
	EXPECTINT(th.h, 50);
	for (x = 0; x < 160; x += 53)
		EXPECTNEAR(th.px[10 * 160 + x], (2 * x + 0.5) / 319, 0.5 / 255 + 1e-4);
	unlink(src);
	EXPECTINT(thumbmake(src, dst, &tw, &thh, err, sizeof(err)), -1);
	EXPECT(strncmp(err, src, strlen(src)) == 0);
	unlink(dst);
	delimg(&im), delimg(&th);
	free(src), free(dst);
}

/* a PNG to write: w x h of colour type ct and depth, rows of packed samples (16 bits big-endian) */
struct testpng {
	int w, h, ct, depth, interlace;
	const unsigned char *px;      /* h rows of (w * channels * depth + 7) / 8 bytes */
	const png_color *pal;         /* palette of npal entries, or NULL */
	int npal;
	const unsigned char *trns;    /* tRNS alpha of each palette entry (ntrns), or NULL */
	int ntrns;
};

/* write p to path with libpng; 0 or -1 */
static int
writetestpng(const char *path, const struct testpng *p)
{
	int ch = p->ct == PNG_COLOR_TYPE_RGB_ALPHA ? 4 : p->ct == PNG_COLOR_TYPE_RGB ? 3 : p->ct == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : 1;
	size_t rowbytes = ((size_t)p->w * ch * p->depth + 7) / 8;
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	png_bytep *rows = xreallocarray(NULL, (size_t)p->h, sizeof(*rows));
	FILE *f = fopen(path, "wb");
	int y;

	if (!f || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(rows);
		if (f)
			fclose(f);
		return -1;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)p->w, (png_uint_32)p->h, p->depth, p->ct,
	             p->interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
	             PNG_FILTER_TYPE_DEFAULT);
	if (p->pal)
		png_set_PLTE(png, info, p->pal, p->npal);
	if (p->trns)
		png_set_tRNS(png, info, p->trns, p->ntrns, NULL);
	for (y = 0; y < p->h; y++)
		rows[y] = (png_bytep)p->px + (size_t)y * rowbytes;
	png_write_info(png, info);
	png_write_image(png, rows);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(rows);
	return fclose(f) == 0 ? 0 : -1;
}

/* the bit depth and colour type in the IHDR of the PNG at path, as depth * 10 + type, or -1 */
static int
pngkind(const char *path)
{
	unsigned char b[26];
	FILE *f = fopen(path, "rb");
	size_t got = f ? fread(b, 1, sizeof(b), f) : 0;

	if (f)
		fclose(f);
	return got == sizeof(b) ? b[24] * 10 + b[25] : -1;
}

/* the colour thumbnail of p (written to src) is a tw x th 8-bit RGB PNG; its R, G, B planes into t */
static int
thumbrgb(const struct testpng *p, const char *src, const char *dst, int tw, int th, struct img t[3])
{
	static const enum channel chans[3] = {CHR, CHG, CHB};
	char err[512] = "";
	int w = 0, h = 0, c, ok = 1;

	unlink(dst);
	EXPECTINT(writetestpng(src, p), 0);
	EXPECTINT(thumbmakergb(src, dst, &w, &h, err, sizeof(err)), 0);
	EXPECTSTR(err, "");
	EXPECTINT(w, tw);
	EXPECTINT(h, th);
	EXPECTINT(pngkind(dst), 82);
	for (c = 0; c < 3; c++) {
		t[c] = (struct img){0};
		if (pngload(dst, 1000000, chans[c], &t[c], err, sizeof(err)) < 0 || t[c].w != tw || t[c].h != th)
			ok = 0;
	}
	EXPECT(ok);
	return ok;
}

/* pixel x, y of the thumbnail t as 8-bit R, G, B must be r, g, b */
#define RGBAT(t, x, y, r, g, b) do { size_t i_ = (size_t)(y) * (t)[0].w + (x); \
	EXPECTINT(lroundf((t)[0].px[i_] * 255), r); EXPECTINT(lroundf((t)[1].px[i_] * 255), g); \
	EXPECTINT(lroundf((t)[2].px[i_] * 255), b); } while (0)

TEST(thumbmakergb)
{
	enum { W = 320, H = 200 };
	unsigned char *px = xcalloc((size_t)W * H, 8);
	char *src = xasprintf("%s/plot.png", tmpdir), *dst = xasprintf("%s/thumb_plot.png", tmpdir);
	static const png_color pal[2] = {{0, 0, 255}, {0, 255, 0}};
	static const unsigned char trns[2] = {255, 0};
	struct img t[3];
	int x, y, c;

	/* RGBA 8-bit: left half red at alpha 128 (on white: 255, 127, 127), right half a ramp of green, opaque */
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			unsigned char *q = px + ((size_t)y * W + x) * 4;

			q[0] = x < W / 2 ? 255 : 0;
			q[1] = x < W / 2 ? 0 : (unsigned char)(2 * (x - W / 2));
			q[2] = 0;
			q[3] = x < W / 2 ? 128 : 255;
		}
	if (thumbrgb(&(struct testpng){.w = W, .h = H, .ct = PNG_COLOR_TYPE_RGB_ALPHA, .depth = 8, .px = px}, src, dst, 160, 100, t)) {
		RGBAT(t, 0, 0, 255, 127, 127);
		RGBAT(t, 79, 99, 255, 127, 127);
		/* each thumbnail pixel the mean of a 2 x 2 block: green 2 * (2 x' - 160) + 1 */
		RGBAT(t, 80, 50, 0, 1, 0);
		RGBAT(t, 130, 3, 0, 201, 0);
	}
	for (c = 0; c < 3; c++)
		delimg(&t[c]);
	/* the same, interlaced: the same thumbnail */
	if (thumbrgb(&(struct testpng){.w = W, .h = H, .ct = PNG_COLOR_TYPE_RGB_ALPHA, .depth = 8, .interlace = 1, .px = px}, src, dst, 160, 100, t)) {
		RGBAT(t, 10, 10, 255, 127, 127);
		RGBAT(t, 130, 3, 0, 201, 0);
	}
	for (c = 0; c < 3; c++)
		delimg(&t[c]);
	/* gray 16-bit, 100 x 1000 (a tall profile): 0x8000 is 128 in 8 bits, a gray thumbnail in RGB */
	for (x = 0; x < 100 * 1000; x++)
		px[2 * x] = 0x80, px[2 * x + 1] = 0;
	if (thumbrgb(&(struct testpng){.w = 100, .h = 1000, .ct = PNG_COLOR_TYPE_GRAY, .depth = 16, .px = px}, src, dst, 16, 160, t))
		RGBAT(t, 7, 80, 128, 128, 128);
	for (c = 0; c < 3; c++)
		delimg(&t[c]);
	/* a 1-bit palette with tRNS: entry 0 blue, entry 1 transparent (white), alternate columns: light blue */
	memset(px, 0x55, 8);
	if (thumbrgb(&(struct testpng){.w = 64, .h = 1, .ct = PNG_COLOR_TYPE_PALETTE, .depth = 1, .px = px, .pal = pal, .npal = 2, .trns = trns, .ntrns = 2}, src, dst, 64, 32, t)) {
		RGBAT(t, 0, 0, 0, 0, 255);
		RGBAT(t, 1, 31, 255, 255, 255);
	}
	for (c = 0; c < 3; c++)
		delimg(&t[c]);
	unlink(src), unlink(dst);
	free(px);
	free(src), free(dst);
}

TEST(thumbmakergb_uptodate)
{
	unsigned char px[4 * 3] = {255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9};
	char *src = xasprintf("%s/img.png", tmpdir), *dst = xasprintf("%s/thumb_img.png", tmpdir), err[512] = "";
	struct timespec old[2] = {{1000000000, 0}, {1000000000, 0}};
	struct stat a, b;
	int w, h;

	EXPECTINT(writetestpng(src, &(struct testpng){.w = 2, .h = 2, .ct = PNG_COLOR_TYPE_RGB, .depth = 8, .px = px}), 0);
	EXPECTINT(utimensat(AT_FDCWD, src, old, 0), 0);
	unlink(dst);
	EXPECTINT(thumbmakergb(src, dst, &w, &h, err, sizeof(err)), 0);
	EXPECTINT(w * 100 + h, 202);
	EXPECTINT(stat(dst, &a), 0);
	/* nothing newer: dst is left as it is */
	EXPECTINT(thumbmakergb(src, dst, &w, &h, err, sizeof(err)), 0);
	EXPECTINT(stat(dst, &b), 0);
	EXPECT(a.st_ino == b.st_ino && a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec);
	/* a newer source: remade (renamed in) */
	EXPECTINT(utimensat(AT_FDCWD, src, NULL, 0), 0);
	EXPECTINT(thumbmakergb(src, dst, &w, &h, err, sizeof(err)), 0);
	EXPECTINT(stat(dst, &b), 0);
	EXPECT(a.st_ino != b.st_ino);
	EXPECTSTR(err, "");
	unlink(src), unlink(dst);
	free(src), free(dst);
}

/* thumbmakergb of a file holding the len bytes of data must fail with "SRC: why", and write nothing */
static void
expectbad(const char *data, size_t len, const char *why)
{
	char *src = xasprintf("%s/bad.png", tmpdir), *dst = xasprintf("%s/thumb_bad.png", tmpdir);
	char *want = xasprintf("%s: %s", src, why), err[512] = "";
	FILE *f = fopen(src, "wb");
	int w, h;

	EXPECT(f && fwrite(data, 1, len, f) == len && fclose(f) == 0);
	EXPECTINT(thumbmakergb(src, dst, &w, &h, err, sizeof(err)), -1);
	EXPECTSTR(err, want);
	EXPECT(access(dst, F_OK) < 0);
	unlink(src);
	free(src), free(dst), free(want);
}

TEST(thumbmakergb_errors)
{
	unsigned char px[64 * 64] = {0};
	char *src = xasprintf("%s/cut.png", tmpdir), *dst = xasprintf("%s/thumb_cut.png", tmpdir), err[512], *want;
	struct buf b;
	int w, h;

	expectbad("", 0, "empty file");
	expectbad("GIF89a\n", 7, "not a PNG file");
	expectbad("\x89PNG", 4, "truncated");
	/* a real PNG cut inside its image data */
	EXPECTINT(writetestpng(src, &(struct testpng){.w = 64, .h = 64, .ct = PNG_COLOR_TYPE_GRAY, .depth = 8, .px = px}), 0);
	EXPECTINT(readfile(src, &b, err, sizeof(err)), 0);
	expectbad(b.s, b.len - 20, "truncated");
	buffree(&b);
	unlink(src);
	want = xasprintf("%s: cannot open: No such file or directory", src);
	EXPECTINT(thumbmakergb(src, dst, &w, &h, err, sizeof(err)), -1);
	EXPECTSTR(err, want);
	free(src), free(dst), free(want);
}

TEST(duration)
{
	static const struct { double s; const char *text; } cases[] = {
		{0, "0.0 s"}, {0.04, "0.0 s"}, {12.345, "12.3 s"}, {59.94, "59.9 s"}, {59.96, "1 min 00 s"},
		{250.2, "4 min 10 s"}, {3599.4, "59 min 59 s"}, {3599.6, "1 h 00 min"}, {7380, "2 h 03 min"},
	};
	char s[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reportduration(s, sizeof(s), cases[i].s);
		EXPECTSTR(s, cases[i].text);
	}
}

/* reportlogtail of the string text must be want */
static void
expecttail(const char *text, int partial, int nlines, const char *want)
{
	struct buf b;

	bufinit(&b);
	reportlogtail(&b, text, strlen(text), partial, nlines);
	EXPECTSTR(b.s, want);
	buffree(&b);
}

TEST(logtail)
{
	/* which lines: statetail (tests/unit/state_test.c); here how the page shows them */
	expecttail("", 0, 5, "");
	expecttail("a\nb\nc\nd\ne\nf\ng\n\n", 0, 5, "c\nd\ne\nf\ng");
	/* read from inside the log: a cut first line is marked */
	expecttail("tail of a line\nb", 1, 5, "\xe2\x80\xa6tail of a line\nb");
	expecttail("x\na\nb", 1, 2, "a\nb");
	/* a progress bar: what its last carriage return leaves; CRLF line ends */
	expecttail("10%\r50%\r100%\r\ndone\r\n", 0, 5, "100%\ndone");
	/* terminal colours dropped, other control bytes U+FFFD, tabs kept */
	expecttail("\x1b[1;31merror\x1b[0m:\tbad\x07 \x1b[", 0, 5, "error:\tbad\xef\xbf\xbd ");
}

/* templates that show only what is tested */
static const struct plottmpl bare = {
	"{{bands}}{{series}}{{points}}", "plot.svg", "[{{color}}:{{d}}]", "series.svg", "", "tick.svg",
	"<{{color}}:{{d}}>", "band.svg", "({{cls}} {{x}} {{y}} {{href}})", "point.svg", "|{{cls}}:{{d}}|", "dots.svg",
};
static const struct plottmpl labels = {
	"{{ticks}}", "plot.svg", "", "series.svg", "{{cls}}={{label}} ", "tick.svg", "", "band.svg", "", "point.svg",
	"", "dots.svg",
};

/* a plot box of an area 100 x 100 px at (44, 8) with axis labels, x from x0 to x1 */
static struct plotbox
box100(double x0, double x1)
{
	return (struct plotbox){44 + 10 + 100, 8 + 30 + 100, "run", x0, x1, 2, "x", "y", false, "", ""};
}

TEST(plotticks)
{
	double t0, t1, step;

	plotticks(0, 39, 3, 1, &t0, &t1, &step);
	EXPECTNEAR(step, 10, 0);
	EXPECTNEAR(t0, 0, 0);
	EXPECTNEAR(t1, 40, 0);
	plotticks(12.8, 27.4, 3, 0, &t0, &t1, &step);
	EXPECTNEAR(step, 5, 0);
	EXPECTNEAR(t0, 10, 0);
	EXPECTNEAR(t1, 30, 0);
	plotticks(0.013, 0.0172, 4, 0, &t0, &t1, &step);
	EXPECTNEAR(step, 0.001, 1e-15);
	EXPECTNEAR(t0, 0.013, 1e-12);
	EXPECTNEAR(t1, 0.018, 1e-12);
	plotticks(0, 2, 8, 1, &t0, &t1, &step);  /* frames: never less than 1 */
	EXPECTNEAR(step, 1, 0);
	plotticks(5, 5, 4, 0, &t0, &t1, &step);  /* one value: widened */
	EXPECT(t0 < 5 && t1 > 5);
}

TEST(plotpath)
{
	/* area 100 x 100 px at (44, 8): x 0..4 is 25 px a frame, y 0..2 is 50 px a unit */
	double x[] = {0, 1, 2, 3, 4}, y[] = {0, 1, NAN, 2, NAN};
	struct series s = {"run", x, y, 5, 3};
	struct plotdata d = {&s, 1, NULL, 0, NULL};
	struct plotbox box = box100(0, 4);
	char err[256] = "";
	struct buf b;

	bufinit(&b);
	EXPECTINT(plotsvg(&b, &bare, &box, &d, err, sizeof(err)), 0);
	/* a gap after frame 1; frame 3 alone is a dot */
	EXPECTSTR(b.s, "[3:M44.0 108.0L69.0 58.0M119.0 8.0h0]");
	buffree(&b);
	bufinit(&b);
	EXPECTINT(plotsvg(&b, &labels, &box, &d, err, sizeof(err)), 0);
	EXPECTSTR(b.s, "tx=0 tx=2 tx=4 ty=0 ty=1 ty=2 ");
	buffree(&b);
	EXPECT(plothasdata(&d));
	s.n = 0;
	EXPECT(!plothasdata(&d));
}

TEST(plotband)
{
	/* the band between lo and hi: one outline per part, broken where a bound is missing */
	double x[] = {0, 1, 2, 3, 4}, lo[] = {0, 0, 0, NAN, 1}, hi[] = {1, 2, 1, 1, 2};
	struct band bd = {x, lo, hi, 5, 1};
	struct plotdata d = {NULL, 0, &bd, 1, NULL};
	struct plotbox box = box100(0, 4);
	char err[256] = "";
	struct buf b;

	bufinit(&b);
	EXPECTINT(plotsvg(&b, &bare, &box, &d, err, sizeof(err)), 0);
	EXPECTSTR(b.s, "<1:M44.0 58.0L69.0 8.0L94.0 58.0L94.0 108.0L69.0 108.0L44.0 108.0ZM144.0 8.0L144.0 58.0Z>");
	buffree(&b);
}

TEST(plotpoints)
{
	/* a scatter: a point without a value lies on the x axis */
	double x[] = {0, 1, 2}, y[] = {0, 2, NAN};
	const char *cls[] = {"done", "done", "failed"}, *title[] = {"a", "b", "c"}, *href[] = {"#r0", "#r1", "#r2"};
	struct points p = {x, y, cls, title, href, 3};
	struct plotdata d = {NULL, 0, NULL, 0, &p};
	struct plotbox box = box100(0, 2);
	char err[256] = "";
	struct buf b;

	bufinit(&b);
	EXPECTINT(plotsvg(&b, &bare, &box, &d, err, sizeof(err)), 0);
	EXPECTSTR(b.s, "(done 44.0 108.0 #r0)(done 94.0 8.0 #r1)(failed 144.0 108.0 #r2)");
	buffree(&b);
}

TEST(plotmanypoints)
{
	/* more points than can each be a link: one path a class */
	enum { N = 3000 };
	double *x = xreallocarray(NULL, N, sizeof(*x)), *y = xreallocarray(NULL, N, sizeof(*y));
	const char **cls = xreallocarray(NULL, N, sizeof(*cls)), **none = xcalloc(N, sizeof(*none));
	struct points p = {x, y, cls, none, none, N};
	struct plotdata d = {NULL, 0, NULL, 0, &p};
	struct plotbox box = box100(0, N - 1);
	char err[256] = "";
	struct buf b;
	size_t i;

	for (i = 0; i < N; i++)
		x[i] = (double)i, y[i] = i % 3 ? 1 : NAN, cls[i] = i % 3 ? "done" : "failed";
	bufinit(&b);
	EXPECTINT(plotsvg(&b, &bare, &box, &d, err, sizeof(err)), 0);
	EXPECT(strncmp(b.s, "|failed:M44.0 108.0h0M", 22) == 0);
	EXPECT(strstr(b.s, "||done:M") != NULL);
	EXPECTINT(b.s[b.len - 1], '|');
	buffree(&b);
	free(x), free(y), free(cls), free(none);
}

TEST(plottime)
{
	char s[64];

	EXPECTNEAR(plottimestep(0, 3600, 6), 600, 0);
	EXPECTNEAR(plottimestep(0, 86400 * 30, 6), 7 * 86400, 0);
	EXPECTNEAR(plottimestep(0, 10, 6), 2, 0);
	plottimelabel(s, sizeof(s), 1772445600, 600);  /* 2026-03-02 10:00 UTC */
	EXPECTSTR(s, "03-02 10:00");
	plottimelabel(s, sizeof(s), 1772445600, 86400);
	EXPECTSTR(s, "03-02");
	plottimelabel(s, sizeof(s), 1772445615, 5);
	EXPECTSTR(s, "10:00:15");
}

TEST(plotdecimate)
{
	/* 10000 frames on 100 px: at most 4 points a px column, spikes kept */
	enum { N = 10000 };
	double *x = xreallocarray(NULL, N, sizeof(*x)), *y = xreallocarray(NULL, N, sizeof(*y));
	struct plotbox box = box100(0, N - 1);
	struct series s = {"run", x, y, N, 0};
	struct plotdata d = {&s, 1, NULL, 0, NULL};
	char err[256] = "";
	struct buf b;
	size_t i, npts = 0;

	for (i = 0; i < N; i++) {
		x[i] = (double)i;
		y[i] = i == 5000 ? 100 : (double)(i % 7);
	}
	bufinit(&b);
	EXPECTINT(plotsvg(&b, &bare, &box, &d, err, sizeof(err)), 0);
	for (i = 0; b.s[i]; i++)
		npts += b.s[i] == 'L' || b.s[i] == 'M';
	EXPECT(npts <= 4 * 101);
	EXPECT(npts >= 100);
	EXPECT(strstr(b.s, " 8.0") != NULL);  /* the spike reaches the top */
	buffree(&b);
	free(x), free(y);
}

TEST(ploterror)
{
	static const struct plottmpl bad = {
		"{{nope}}", "templates/report/plot.svg", "", "series.svg", "", "tick.svg", "", "band.svg", "", "point.svg",
		"", "dots.svg",
	};
	double x[] = {0}, y[] = {1};
	struct series s = {"run", x, y, 1, 0};
	struct plotdata d = {&s, 1, NULL, 0, NULL};
	struct plotbox box = {200, 100, "run", 0, 1, 2, NULL, NULL, false, "", ""};
	char err[256] = "";
	struct buf b;

	bufinit(&b);
	EXPECTINT(plotsvg(&b, &bad, &box, &d, err, sizeof(err)), -1);
	EXPECTSTR(err, "templates/report/plot.svg:1: unknown variable 'nope'");
	buffree(&b);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(htmlescape);
	RUN(urlescape);
	RUN(thumbsize);
	RUN(thumbresize);
	RUN(thumbmake);
	RUN(thumbmakergb);
	RUN(thumbmakergb_uptodate);
	RUN(thumbmakergb_errors);
	RUN(duration);
	RUN(logtail);
	RUN(plotticks);
	RUN(plotpath);
	RUN(plotband);
	RUN(plotpoints);
	RUN(plotmanypoints);
	RUN(plottime);
	RUN(plotdecimate);
	RUN(ploterror);
	EXPECTINT(rmdir(tmpdir), 0);
	return TESTEXIT();
}
