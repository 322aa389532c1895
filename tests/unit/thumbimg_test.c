/* tests of process/thumbimg.c's encoding: thumbencode's PNG decoded by libpng gives each sample clamped and rounded */
#include <math.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "process/img.h"
#include "process/thumbimg.h"
#include "tests/test.h"

/*
 * decode the PNG bytes png as 8-bit samples into px (w * h * nch, room for max); its size
 * into *w, *h and channels into *nch; 0, or -1 when libpng refuses it
 */
static int
decode(const struct buf *png, unsigned char *px, size_t max, int *w, int *h, int *nch)
{
	png_image im;
	int ret;

	memset(&im, 0, sizeof(im));
	im.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&im, png->s, png->len))
		return -1;
	*nch = PNG_IMAGE_SAMPLE_CHANNELS(im.format);
	*w = (int)im.width, *h = (int)im.height;
	if (PNG_IMAGE_SIZE(im) > max) {
		png_image_free(&im);
		return -1;
	}
	ret = png_image_finish_read(&im, NULL, px, 0, NULL) ? 0 : -1;
	png_image_free(&im);
	return ret;
}

/* the 8-bit sample of v as thumbencode defines it: clamped to [0, 1], NaN as 0, then rounded */
static int
expected(float v)
{
	return (int)(fminf(fmaxf(v, 0.0f), 1.0f) * 255.0f + 0.5f);
}

/* one gray row of every kind of value: out of range, NaN, infinities, halves */
TEST(clamped_and_rounded)
{
	const float v[] = {-1.0f, NAN, 0.0f, 0.5f, 1.0f, 2.0f, 0.25f, INFINITY, -INFINITY, -0.0f, 1.0f / 510, 0.999f};
	const int want[] = {0, 0, 0, 128, 255, 255, 64, 255, 0, 0, 1, 255};
	int n = (int)(sizeof(v) / sizeof(v[0])), w, h, nch, x;
	unsigned char px[64];
	struct img im;
	struct buf png;
	char err[256];

	mkimg(&im, n, 1);
	memcpy(im.px, v, sizeof(v));
	bufinit(&png);
	EXPECTINT(thumbencode(&im, 1, &png, err, sizeof(err)), 0);
	EXPECTINT(decode(&png, px, sizeof(px), &w, &h, &nch), 0);
	EXPECTINT(w, n);
	EXPECTINT(h, 1);
	EXPECTINT(nch, 1);
	for (x = 0; x < n; x++) {
		EXPECTINT(px[x], want[x]);
		EXPECTINT(px[x], expected(v[x]));
	}
	buffree(&png);
	delimg(&im);
}

/*
 * a thumbnail's size, gray and RGB (three planes), smooth rows and rows alike and noise:
 * every sample comes back, whatever filter each row got
 */
TEST(every_sample_back)
{
	enum { W = 160, H = 48 };
	static unsigned char px[W * H * 3];
	struct img im[3];
	struct buf png;
	char err[256];
	int c, x, y, w, h, nch, kind, bad;
	unsigned seed = 7;

	for (kind = 1; kind <= 3; kind += 2) {
		for (c = 0; c < kind; c++) {
			mkimg(&im[c], W, H);
			for (y = 0; y < H; y++)
				for (x = 0; x < W; x++) {
					float *p = &im[c].px[y * W + x];

					seed = seed * 1103515245u + 12345u;
					/* a gradient (Sub), rows repeated (Up), then noise, then out of range */
					*p = y < 12 ? (float)x / W + 0.1f * (float)c
					   : y < 24 ? 0.3f + 0.001f * (float)(x % 7)
					   : y < 36 ? (float)((seed >> 8) & 0xffff) / 65535.0f
					   : 1.5f * (float)x / W - 0.25f;
				}
		}
		bufinit(&png);
		EXPECTINT(thumbencode(im, kind, &png, err, sizeof(err)), 0);
		EXPECTINT(decode(&png, px, sizeof(px), &w, &h, &nch), 0);
		EXPECTINT(w, W);
		EXPECTINT(h, H);
		EXPECTINT(nch, kind);
		bad = 0;
		for (y = 0; y < H; y++)
			for (x = 0; x < W; x++)
				for (c = 0; c < kind; c++)
					bad += px[(y * W + x) * kind + c] != expected(im[c].px[y * W + x]);
		EXPECTINT(bad, 0);
		buffree(&png);
		for (c = 0; c < kind; c++)
			delimg(&im[c]);
	}
}

int
main(void)
{
	RUN(clamped_and_rounded);
	RUN(every_sample_back);
	return TESTEXIT();
}
