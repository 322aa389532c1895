/* tests of the report's parts: escaping (process/report.c), thumbnails (thumb.c), plots (plot.c) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "process/plot.h"
#include "process/png.h"
#include "process/report.h"
#include "process/thumb.h"
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
	float px[] = {0, 1, 2, 3, 4, 5, 6, 7}, row[] = {0, 1, 2};
	struct img src = {4, 2, px}, one = {3, 1, row}, dst = {0};

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

/* templates that show only what is tested */
static const struct plottmpl bare = {
	"{{series}}", "plot.svg", "[{{color}}:{{d}}]", "series.svg", "", "tick.svg",
};
static const struct plottmpl labels = {
	"{{ticks}}", "plot.svg", "", "series.svg", "{{cls}}={{label}} ", "tick.svg",
};

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
	struct plotbox box = {44 + 10 + 100, 8 + 30 + 100, "run", 0, 4, 2};
	char err[256] = "";
	struct buf b;

	bufinit(&b);
	EXPECTINT(plotsvg(&b, &bare, &box, &s, 1, err, sizeof(err)), 0);
	/* a gap after frame 1; frame 3 alone is a dot */
	EXPECTSTR(b.s, "[3:M44.0 108.0L69.0 58.0M119.0 8.0h0]");
	buffree(&b);
	bufinit(&b);
	EXPECTINT(plotsvg(&b, &labels, &box, &s, 1, err, sizeof(err)), 0);
	EXPECTSTR(b.s, "tx=0 tx=2 tx=4 ty=0 ty=1 ty=2 ");
	buffree(&b);
	EXPECT(plothasdata(&s, 1));
	s.n = 0;
	EXPECT(!plothasdata(&s, 1));
}

TEST(plotdecimate)
{
	/* 10000 frames on 100 px: at most 4 points a px column, spikes kept */
	enum { N = 10000 };
	double *x = xreallocarray(NULL, N, sizeof(*x)), *y = xreallocarray(NULL, N, sizeof(*y));
	struct plotbox box = {44 + 10 + 100, 8 + 30 + 100, "run", 0, N - 1, 2};
	struct series s = {"run", x, y, N, 0};
	char err[256] = "";
	struct buf b;
	size_t i, npts = 0;

	for (i = 0; i < N; i++) {
		x[i] = (double)i;
		y[i] = i == 5000 ? 100 : (double)(i % 7);
	}
	bufinit(&b);
	EXPECTINT(plotsvg(&b, &bare, &box, &s, 1, err, sizeof(err)), 0);
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
		"{{nope}}", "templates/report/plot.svg", "", "series.svg", "", "tick.svg",
	};
	double x[] = {0}, y[] = {1};
	struct series s = {"run", x, y, 1, 0};
	struct plotbox box = {200, 100, "run", 0, 1, 2};
	char err[256] = "";
	struct buf b;

	bufinit(&b);
	EXPECTINT(plotsvg(&b, &bad, &box, &s, 1, err, sizeof(err)), -1);
	EXPECTSTR(err, "templates/report/plot.svg:1: unknown variable 'nope'");
	buffree(&b);
}

int
main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(htmlescape);
	RUN(urlescape);
	RUN(thumbsize);
	RUN(thumbresize);
	RUN(thumbmake);
	RUN(plotticks);
	RUN(plotpath);
	RUN(plotdecimate);
	RUN(ploterror);
	EXPECTINT(rmdir(tmpdir), 0);
	return TESTEXIT();
}
