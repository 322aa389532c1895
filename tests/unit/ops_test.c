/* the image ops of process/ops against numpy/scipy references (tests/unit/mkfixtures.py) */
#include <stdlib.h>
#include <string.h>

#include "process/ops/ops.h"
#include "tests/test.h"
#include "tests/unit/fixtures/ops_fixtures.h"

/* check that im is w x h and equals want (row-major) to 1e-6; reports the first differing pixel */
#define EXPECTIMG(im, want, ww, hh) do { \
	int i_; \
	EXPECTINT((im)->w, (ww)); \
	EXPECTINT((im)->h, (hh)); \
	if ((im)->w != (ww) || (im)->h != (hh)) \
		break; \
	for (i_ = 0; i_ < (ww) * (hh); i_++) { \
		EXPECTNEAR((im)->px[i_], (want)[i_], 1e-6); \
		if (testfailed) { \
			printf("  at pixel x=%d y=%d\n", i_ % (ww), i_ / (ww)); \
			break; \
		} \
	} \
} while (0)

/* a w x h image holding a copy of px */
static struct img
fromarr(const float *px, int w, int h)
{
	struct img im;

	mkimg(&im, w, h);
	memcpy(im.px, px, (size_t)w * h * sizeof(float));
	return im;
}

TEST(crop_pixel)
{
	struct img src = fromarr(fx_img_7x5, 7, 5), dst = {0};
	char err[256];

	EXPECTINT(imgcrop(&src, &dst, 6, 4, 1, 1, err, sizeof(err)), 0);
	EXPECTIMG(&dst, &fx_img_7x5[4 * 7 + 6], 1, 1);
	EXPECTINT(imgcrop(&src, &dst, 0, 0, 1, 1, err, sizeof(err)), 0);
	EXPECTIMG(&dst, &fx_img_7x5[0], 1, 1);
	delimg(&src);
	delimg(&dst);
}

TEST(crop_rect)
{
	struct img src = fromarr(fx_img_7x5, 7, 5), dst = {0};
	float want[6];
	char err[256];
	int x, y;

	/* f[1:3, 2:5] */
	for (y = 0; y < 2; y++)
		for (x = 0; x < 3; x++)
			want[y * 3 + x] = fx_img_7x5[(1 + y) * 7 + 2 + x];
	EXPECTINT(imgcrop(&src, &dst, 2, 1, 3, 2, err, sizeof(err)), 0);
	EXPECTIMG(&dst, want, 3, 2);
	delimg(&src);
	delimg(&dst);
}

TEST(crop_whole)
{
	struct img src = fromarr(fx_img_7x5, 7, 5), dst = {0};
	char err[256];

	EXPECTINT(imgcrop(&src, &dst, 0, 0, 7, 5, err, sizeof(err)), 0);
	EXPECTIMG(&dst, fx_img_7x5, 7, 5);
	delimg(&src);
	delimg(&dst);
}

TEST(crop_outside)
{
	struct img src = {0}, dst = {0};
	char err[256];

	mkimg(&src, 640, 480);
	memset(src.px, 0, 640 * 480 * sizeof(float));
	EXPECTINT(imgcrop(&src, &dst, 0, 200, 1024, 300, err, sizeof(err)), -1);
	EXPECTSTR(err, "crop x=0 y=200 width=1024 height=300 does not fit the 640x480 frame");
	EXPECTINT(imgcrop(&src, &dst, 600, 0, 41, 10, err, sizeof(err)), -1);
	EXPECTSTR(err, "crop x=600 y=0 width=41 height=10 does not fit the 640x480 frame");
	EXPECTINT(imgcrop(&src, &dst, -1, 0, 10, 10, err, sizeof(err)), -1);
	EXPECTSTR(err, "crop x=-1 y=0 width=10 height=10 does not fit the 640x480 frame");
	EXPECTINT(imgcrop(&src, &dst, 0, 0, 0, 10, err, sizeof(err)), -1);
	EXPECTINT(imgcrop(&src, &dst, 2147483647, 0, 10, 10, err, sizeof(err)), -1);
	EXPECTINT(imgcrop(&src, &dst, 600, 470, 40, 10, err, sizeof(err)), 0);
	EXPECT(dst.w == 40 && dst.h == 10);
	delimg(&src);
	delimg(&dst);
}

TEST(downsample)
{
	struct img src = fromarr(fx_img_7x5, 7, 5), src2 = fromarr(fx_img_2x9, 2, 9), dst = {0};
	char err[256];

	EXPECTINT(imgdownsample(&src, &dst, 1, err, sizeof(err)), 0);
	EXPECTIMG(&dst, fx_down_7x5_k1, 7, 5);
	EXPECTINT(imgdownsample(&src, &dst, 2, err, sizeof(err)), 0);
	EXPECTIMG(&dst, fx_down_7x5_k2, 3, 2);
	EXPECTINT(imgdownsample(&src, &dst, 3, err, sizeof(err)), 0);
	EXPECTIMG(&dst, fx_down_7x5_k3, 2, 1);
	EXPECTINT(imgdownsample(&src, &dst, 5, err, sizeof(err)), 0);
	EXPECTIMG(&dst, fx_down_7x5_k5, 1, 1);
	EXPECTINT(imgdownsample(&src2, &dst, 2, err, sizeof(err)), 0);
	EXPECTIMG(&dst, fx_down_2x9_k2, 1, 4);
	delimg(&src);
	delimg(&src2);
	delimg(&dst);
}

TEST(downsample_toolarge)
{
	struct img src = {0}, dst = {0};
	char err[256];

	mkimg(&src, 8, 4);
	memset(src.px, 0, 8 * 4 * sizeof(float));
	EXPECTINT(imgdownsample(&src, &dst, 9, err, sizeof(err)), -1);
	EXPECTSTR(err, "downsample factor 9 is larger than the 8x4 frame");
	EXPECTINT(imgdownsample(&src, &dst, 5, err, sizeof(err)), -1);
	EXPECTSTR(err, "downsample factor 5 is larger than the 8x4 frame");
	EXPECTINT(imgdownsample(&src, &dst, 4, err, sizeof(err)), 0);
	EXPECT(dst.w == 2 && dst.h == 1);
	delimg(&src);
	delimg(&dst);
}

TEST(invert_scale)
{
	struct img im = fromarr(fx_img_7x5, 7, 5);
	float want[35];
	int i;

	imginvert(&im);
	for (i = 0; i < 35; i++)
		want[i] = 1 - fx_img_7x5[i];
	EXPECTIMG(&im, want, 7, 5);
	imgscale(&im, 2.5, -0.25);
	for (i = 0; i < 35; i++)
		want[i] = (1 - fx_img_7x5[i]) * 2.5 - 0.25;
	EXPECTIMG(&im, want, 7, 5);
	imgscale(&im, 1, 0);
	EXPECTIMG(&im, want, 7, 5);
	delimg(&im);
}

TEST(threshold)
{
	static const float px[6] = {0.25f, 0.5f, 0.75f, 0.4999999f, 0.5000001f, 1};
	static const float want[6] = {0, 1, 1, 0, 1, 1};
	static const float want01[6] = {1, 1, 1, 1, 1, 1};
	struct img im = fromarr(px, 6, 1);

	/* equality counts as above */
	imgthreshold(&im, 0.5);
	EXPECTIMG(&im, want, 6, 1);
	delimg(&im);
	/* a level just above 0.5f rounds to 0.5f as a float, but 0.5f is below it */
	im = fromarr(px, 6, 1);
	imgthreshold(&im, 0.50000001);
	EXPECTNEAR(im.px[1], 0, 0);
	EXPECTNEAR(im.px[3], 0, 0);
	EXPECTNEAR(im.px[4], 1, 0);
	delimg(&im);
	im = fromarr(px, 6, 1);
	imgthreshold(&im, -1);
	EXPECTIMG(&im, want01, 6, 1);
	delimg(&im);
}

TEST(background)
{
	struct img v[4], b = {0}, im;
	int i;

	for (i = 0; i < 4; i++)
		v[i] = fromarr(fx_stack_7x5x4 + i * 35, 7, 5);
	imgbgmean(v, 3, &b);
	EXPECTIMG(&b, fx_bgmean_3, 7, 5);
	imgbgmean(v, 4, &b);
	EXPECTIMG(&b, fx_bgmean_4, 7, 5);
	imgbgmedian(v, 3, &b);
	EXPECTIMG(&b, fx_bgmedian_3, 7, 5);
	imgbgmedian(v, 4, &b);
	EXPECTIMG(&b, fx_bgmedian_4, 7, 5);
	imgbgmedian(v, 1, &b);
	EXPECTIMG(&b, fx_stack_7x5x4, 7, 5);
	/* the inputs are left alone */
	for (i = 0; i < 4; i++)
		EXPECTIMG(&v[i], fx_stack_7x5x4 + i * 35, 7, 5);

	im = fromarr(fx_stack_7x5x4 + 35, 7, 5);
	imgsub(&im, &v[1]);
	for (i = 0; i < 35; i++)
		EXPECTNEAR(im.px[i], 0, 0);
	delimg(&im);
	for (i = 0; i < 4; i++)
		delimg(&v[i]);
	delimg(&b);
}

TEST(background_long)
{
	/* enough frames for the sorted path: median of 0..n-1 shuffled */
	enum { N = 101 };
	struct img v[N], b = {0};
	int i;

	for (i = 0; i < N; i++) {
		mkimg(&v[i], 2, 1);
		v[i].px[0] = (i * 37) % N;
		v[i].px[1] = -(float)((i * 37) % N);
	}
	imgbgmedian(v, N, &b);
	EXPECTNEAR(b.px[0], 50, 0);
	EXPECTNEAR(b.px[1], -50, 0);
	/* the first N - 1 hold 0..100 but 64: the middle two are 49 and 50 */
	imgbgmedian(v, N - 1, &b);
	EXPECTNEAR(b.px[0], 49.5, 0);
	imgbgmean(v, N, &b);
	EXPECTNEAR(b.px[0], 50, 1e-6);
	for (i = 0; i < N; i++)
		delimg(&v[i]);
	delimg(&b);
}

/* blur a copy of px (w x h) with sigma and compare with want */
#define CHECKBLUR(px, w, h, sigma, want) do { \
	struct img im_ = fromarr((px), (w), (h)); \
	imgblur(&im_, (sigma), &tmp); \
	EXPECTIMG(&im_, (want), (w), (h)); \
	delimg(&im_); \
} while (0)

TEST(blur)
{
	struct img tmp = {0};

	CHECKBLUR(fx_img_7x5, 7, 5, 0.5, fx_blur_7x5_s05);
	CHECKBLUR(fx_img_7x5, 7, 5, 1, fx_blur_7x5_s1);
	CHECKBLUR(fx_img_7x5, 7, 5, 2, fx_blur_7x5_s2);
	CHECKBLUR(fx_img_7x5, 7, 5, 3, fx_blur_7x5_s3);
	delimg(&tmp);
}

TEST(blur_small)
{
	/* images narrower or shorter than the kernel; tmp reused across sizes */
	struct img tmp = {0};

	CHECKBLUR(fx_img_2x9, 2, 9, 0.5, fx_blur_2x9_s05);
	CHECKBLUR(fx_img_2x9, 2, 9, 1, fx_blur_2x9_s1);
	CHECKBLUR(fx_img_2x9, 2, 9, 2, fx_blur_2x9_s2);
	CHECKBLUR(fx_img_2x9, 2, 9, 3, fx_blur_2x9_s3);
	CHECKBLUR(fx_img_1x1, 1, 1, 0.5, fx_blur_1x1_s05);
	CHECKBLUR(fx_img_1x1, 1, 1, 3, fx_blur_1x1_s3);
	CHECKBLUR(fx_img_3x2, 3, 2, 0.5, fx_blur_3x2_s05);
	CHECKBLUR(fx_img_3x2, 3, 2, 1, fx_blur_3x2_s1);
	CHECKBLUR(fx_img_3x2, 3, 2, 2, fx_blur_3x2_s2);
	CHECKBLUR(fx_img_3x2, 3, 2, 3, fx_blur_3x2_s3);
	CHECKBLUR(fx_img_1x6, 1, 6, 0.5, fx_blur_1x6_s05);
	CHECKBLUR(fx_img_1x6, 1, 6, 1, fx_blur_1x6_s1);
	CHECKBLUR(fx_img_1x6, 1, 6, 2, fx_blur_1x6_s2);
	CHECKBLUR(fx_img_1x6, 1, 6, 3, fx_blur_1x6_s3);
	delimg(&tmp);
}

TEST(blur_constant)
{
	/* a constant image stays constant to float rounding; a sigma under 1/6 is no blur */
	struct img im = {0}, tmp = {0};
	int i;

	mkimg(&im, 40, 30);
	for (i = 0; i < 40 * 30; i++)
		im.px[i] = 0.75f;
	imgblur(&im, 2, &tmp);
	for (i = 0; i < 40 * 30; i++)
		EXPECTNEAR(im.px[i], 0.75, 1e-6);
	im.px[5] = 0.25f;
	imgblur(&im, 0.1, &tmp);
	EXPECTNEAR(im.px[5], 0.25, 0);
	delimg(&im);
	delimg(&tmp);
}

/* median filter of px (w x h) with radius r compared with want */
#define CHECKMEDIAN(px, w, h, r, want) do { \
	struct img src_ = fromarr((px), (w), (h)); \
	imgmedian(&src_, &dst, (r)); \
	EXPECTIMG(&dst, (want), (w), (h)); \
	delimg(&src_); \
} while (0)

TEST(median)
{
	struct img dst = {0};

	CHECKMEDIAN(fx_img_7x5, 7, 5, 1, fx_median_7x5_r1);
	CHECKMEDIAN(fx_img_7x5, 7, 5, 2, fx_median_7x5_r2);
	CHECKMEDIAN(fx_img_2x9, 2, 9, 1, fx_median_2x9_r1);
	CHECKMEDIAN(fx_img_2x9, 2, 9, 2, fx_median_2x9_r2);
	CHECKMEDIAN(fx_img_1x1, 1, 1, 1, fx_median_1x1_r1);
	CHECKMEDIAN(fx_img_1x1, 1, 1, 2, fx_median_1x1_r2);
	CHECKMEDIAN(fx_img_3x2, 3, 2, 1, fx_median_3x2_r1);
	CHECKMEDIAN(fx_img_3x2, 3, 2, 2, fx_median_3x2_r2);
	delimg(&dst);
}

TEST(median_ties)
{
	/* an impulse is removed; repeated values select correctly */
	static const float px[9] = {0, 0, 0, 0, 1, 0, 0, 0, 0};
	static const float ties[9] = {1, 1, 1, 1, 1, 2, 2, 2, 2};
	struct img src = fromarr(px, 3, 3), dst = {0};
	int i;

	imgmedian(&src, &dst, 1);
	for (i = 0; i < 9; i++)
		EXPECTNEAR(dst.px[i], 0, 0);
	delimg(&src);
	src = fromarr(ties, 9, 1);
	imgmedian(&src, &dst, 1);
	/* window of x=4 after clamping: rows are all the same, values 1 1 2 three times */
	EXPECTNEAR(dst.px[4], 1, 0);
	EXPECTNEAR(dst.px[5], 2, 0);
	delimg(&src);
	delimg(&dst);
}

int
main(void)
{
	RUN(crop_pixel);
	RUN(crop_rect);
	RUN(crop_whole);
	RUN(crop_outside);
	RUN(downsample);
	RUN(downsample_toolarge);
	RUN(invert_scale);
	RUN(threshold);
	RUN(background);
	RUN(background_long);
	RUN(blur);
	RUN(blur_small);
	RUN(blur_constant);
	RUN(median);
	RUN(median_ties);
	return TESTEXIT();
}
