/*
 * tests of the vector kernels (process/simd.h): on the path this CPU takes, and again
 * with RUNJA_SIMD=baseline (the program runs itself), each gives the very bits of a
 * plain scalar loop doing the same arithmetic in the same order: the background median
 * against an insertion sort (ties, -0, NaN, infinities, odd and even counts, blocks and
 * a tail), the blur against its two passes over whole images (every size against the
 * radius, radii unrolled and not), with the ops before it applied to each row as it
 * reads them; the pixelwise ops; the products' sums of several frames at once and of
 * one frame at a time against plain loops; the 16-bit codes of the PNG products against
 * code16, pixel by pixel, as they were always made.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/util.h"
#include "process/ops/ops.h"
#include "process/png.h"
#include "process/prodsum.h"
#include "process/simd.h"
#include "tests/test.h"

/* the median of the n values c (sorted in place) as the scalar code always made it: insertion sort, middle */
static float
refmedian(float *c, size_t n)
{
	size_t i, j;
	float t;

	for (i = 1; i < n; i++) {
		t = c[i];
		for (j = i; j > 0 && c[j - 1] > t; j--)
			c[j] = c[j - 1];
		c[j] = t;
	}
	return n % 2 ? c[n / 2] : (float)(((double)c[n / 2 - 1] + c[n / 2]) / 2);
}

/* the same bits (NaN payloads included) */
static int
samebits(float a, float b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

TEST(median_network)
{
	/* values from a small set, so that columns tie; the odd ones only in some blocks */
	static const float vals[] = {0.25f, 0.5f, 0.5f, 1, 0, -0.75f, 3, 0.25f};
	enum { NPX = 64 * 5 + 13, NMAX = 18 };
	struct img v[NMAX], b = {0};
	float col[NMAX];
	size_t n, i, j;
	int bad = 0;

	for (j = 0; j < NMAX; j++) {
		mkimg(&v[j], NPX, 1);
		for (i = 0; i < NPX; i++)
			v[j].px[i] = vals[(i * 7 + j * 3 + i / 5) % 8];
		/* block 1: a -0; block 2: a NaN; block 3: infinities; the tail: a -0 */
		v[j].px[64 + j % 3] = -0.0f;
		v[j].px[130] = j % 2 ? NAN : 0.5f;
		v[j].px[200 + j % 4] = j % 3 ? INFINITY : -INFINITY;
		v[j].px[NPX - 1] = j % 2 ? -0.0f : 0.0f;
	}
	for (n = 1; n <= NMAX; n++) {
		imgbgmedian(v, n, &b);
		for (i = 0; i < NPX && !bad; i++) {
			for (j = 0; j < n; j++)
				col[j] = v[j].px[i];
			if (!samebits(b.px[i], refmedian(col, n))) {
				printf("  %zu frames, pixel %zu: %a, the insertion sort's %a\n", n, i, b.px[i],
				       refmedian(col, n));
				bad = 1;
			}
		}
	}
	EXPECT(!bad);
	for (j = 0; j < NMAX; j++)
		delimg(&v[j]);
	delimg(&b);
}

/* the weights of imgblur for sigma: r + 1 of them, from the centre out; returns r */
static int
refweights(double sigma, float *wt)
{
	double s = 1;
	int r = floor(3 * sigma + 0.5), i;

	for (i = 1; i <= r; i++)
		s += 2 * exp(-(double)i * i / (2 * sigma * sigma));
	for (i = 0; i <= r; i++)
		wt[i] = exp(-(double)i * i / (2 * sigma * sigma)) / s;
	return r;
}

/* the blur of im in two whole passes, each pixel's taps in the order of imgblur: centre, then k = 1..r */
static void
refblur(struct img *im, double sigma)
{
	float wt[64], s, *t = xreallocarray(NULL, (size_t)im->w * im->h, sizeof(float));
	int r = refweights(sigma, wt), w = im->w, h = im->h, x, y, k, lo, hi;

	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			s = wt[0] * im->px[y * w + x];
			for (k = 1; k <= r; k++) {
				lo = y - k < 0 ? 0 : y - k;
				hi = y + k >= h ? h - 1 : y + k;
				s += wt[k] * (im->px[lo * w + x] + im->px[hi * w + x]);
			}
			t[y * w + x] = s;
		}
	}
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			s = wt[0] * t[y * w + x];
			for (k = 1; k <= r; k++) {
				lo = x - k < 0 ? 0 : x - k;
				hi = x + k >= w ? w - 1 : x + k;
				s += wt[k] * (t[y * w + lo] + t[y * w + hi]);
			}
			im->px[y * w + x] = s;
		}
	}
	free(t);
}

TEST(blur_bits)
{
	/* heights under, at and over the radius and the ring; sigma 2 (r = 6, unrolled), 3.5 (r = 11, tap by tap) */
	static const int sizes[][2] = {{37, 1}, {37, 2}, {5, 6}, {33, 7}, {70, 13}, {1, 40}, {129, 41}, {16, 12}};
	static const double sigmas[] = {0.5, 2, 3.5};
	struct img a, b, tmp = {0};
	size_t s, g;
	int i, bad = 0;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (g = 0; g < sizeof(sigmas) / sizeof(sigmas[0]); g++) {
			mkimg(&a, sizes[s][0], sizes[s][1]);
			for (i = 0; i < a.w * a.h; i++)
				a.px[i] = (float)((i * 7919) % 257) / 256 - 0.25f;
			b = (struct img){0};
			imgcopy(&b, &a);
			imgblur(&a, sigmas[g], &tmp);
			refblur(&b, sigmas[g]);
			for (i = 0; i < a.w * a.h && !bad; i++) {
				if (!samebits(a.px[i], b.px[i])) {
					printf("  %dx%d sigma %g, pixel %d: %a, the two passes' %a\n", a.w, a.h, sigmas[g], i,
					       a.px[i], b.px[i]);
					bad = 1;
				}
			}
			delimg(&a);
			delimg(&b);
		}
	}
	EXPECT(!bad);
	delimg(&tmp);
}

/* a frame's pixelwise ops as a blur's prep: each pixel inverted and less its background, counted */
struct prepctx {
	const float *bg;  /* the background, of the frame's size */
	int *seen;        /* how often each pixel was prepared */
	float *out;       /* the rows handed on once blurred, copied */
	int next;         /* the row expected next */
	int bad;          /* a row came out of order, or with the wrong size */
};

/* copy row y, expected next, of the w x h frame into c->out (blurpostfn) */
static void
postcopy(void *ctx, const float *row, int y, int w, int h)
{
	struct prepctx *c = ctx;

	if (y != c->next++ || c->bad) {
		c->bad = 1;
		return;
	}
	(void)h;
	memcpy(c->out + (size_t)y * w, row, (size_t)w * sizeof(*row));
}

/* p = 1 - p - bg over the n pixels from off (blurprepfn) */
static void
prepinvsub(void *ctx, float *p, size_t off, size_t n)
{
	const struct prepctx *c = ctx;
	size_t i;

	for (i = 0; i < n; i++) {
		p[i] = 1.0f - p[i];
		p[i] -= c->bg[off + i];
		c->seen[off + i]++;
	}
}

TEST(blur_prep)
{
	/* the ops before a blur applied to each row as it reads them, in place: the bits of the ops on the
	 * whole frame then the two passes; heights under, at and over the ring (r + 1 rows), and no blur (r = 0);
	 * each row handed on once blurred, in order, is the final row */
	static const int sizes[][2] = {{37, 1}, {5, 6}, {33, 7}, {70, 13}, {129, 41}, {9, 14}};
	static const double sigmas[] = {0.1, 2, 3.5};
	struct img a, b, bg, tmp = {0};
	struct prepctx c;
	struct blurrows h;
	size_t s, g;
	int i, bad = 0;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (g = 0; g < sizeof(sigmas) / sizeof(sigmas[0]); g++) {
			mkimg(&a, sizes[s][0], sizes[s][1]);
			mkimg(&bg, a.w, a.h);
			for (i = 0; i < a.w * a.h; i++) {
				a.px[i] = (float)((i * 7919) % 257) / 256 - 0.25f;
				bg.px[i] = (float)((i * 31) % 17) / 64;
			}
			b = (struct img){0};
			imgcopy(&b, &a);
			c = (struct prepctx){bg.px, xcalloc((size_t)a.w * a.h, sizeof(int)),
			                     xcalloc((size_t)a.w * a.h, sizeof(float)), 0, 0};
			h = (struct blurrows){prepinvsub, &c, postcopy, &c};
			imgblurprep(&a, sigmas[g], &h, &tmp);
			if (c.bad || c.next != a.h || memcmp(c.out, a.px, (size_t)a.w * a.h * sizeof(float)) != 0) {
				printf("  %dx%d sigma %g: rows handed on %d of %d, in order %s, same as the frame %s\n", a.w,
				       a.h, sigmas[g], c.next, a.h, c.bad ? "no" : "yes",
				       memcmp(c.out, a.px, (size_t)a.w * a.h * sizeof(float)) ? "no" : "yes");
				bad = 1;
			}
			imginvert(&b);
			imgsub(&b, &bg);
			if (sigmas[g] >= 0.5)
				refblur(&b, sigmas[g]);
			for (i = 0; i < a.w * a.h && !bad; i++) {
				if (!samebits(a.px[i], b.px[i]) || c.seen[i] != 1) {
					printf("  %dx%d sigma %g, pixel %d: %a, prepared %d times; the whole ops' %a\n", a.w,
					       a.h, sigmas[g], i, a.px[i], c.seen[i], b.px[i]);
					bad = 1;
				}
			}
			free(c.seen);
			free(c.out);
			delimg(&a);
			delimg(&b);
			delimg(&bg);
		}
	}
	EXPECT(!bad);
	delimg(&tmp);
}

/* the pixelwise ops' kernels (process/ops/invert.c, scale.c, threshold.c) against their plain arithmetic */
TEST(pixelwise_bits)
{
	enum { NPX = 64 * 3 + 7 };
	float p[NPX], q[NPX], l = nextafterf(0.3f, INFINITY);
	struct img im = {NPX, 1, p};
	int i, bad = 0;

	for (i = 0; i < NPX; i++)
		q[i] = (float)((i * 7919) % 257) / 128 - 0.6f;
	memcpy(p, q, sizeof(p));
	imginvert(&im);
	for (i = 0; i < NPX; i++)
		bad |= !samebits(p[i], 1.0f - q[i]);
	memcpy(p, q, sizeof(p));
	imgscale(&im, 1.7, -0.3);
	for (i = 0; i < NPX; i++)
		bad |= !samebits(p[i], (float)(q[i] * 1.7 + -0.3));
	memcpy(p, q, sizeof(p));
	/* 0.3 is not a float: the smallest float above it is the first at or over the level */
	imgthreshold(&im, 0.3);
	for (i = 0; i < NPX; i++)
		bad |= !samebits(p[i], q[i] >= l ? 1.0f : 0.0f);
	EXPECT(!bad);
}

/* pixacc_frames' frames: a block and a tail of pixels each */
enum { ACCNPX = 1024 + 77, ACCNF = 9 };

/* what nx frames x add to each pixel's accumulators (k the shift), pixel by pixel and frame by frame */
static void
refpixacc(const float (*x)[ACCNPX], int nx, const float *k, size_t npx, double *s1, double *s2, float *mn,
          float *mx)
{
	size_t i;
	int j;
	double d;

	for (i = 0; i < npx; i++) {
		for (j = 0; j < nx; j++) {
			d = (double)x[j][i] - k[i];
			s1[i] += d;
			s2[i] += d * d;
			mn[i] = x[j][i] < mn[i] ? x[j][i] : mn[i];
			mx[i] = x[j][i] > mx[i] ? x[j][i] : mx[i];
		}
	}
}

TEST(pixacc_frames)
{
	/* 1 to 9 frames at once (fours, then the rest), one by one, and pixel by pixel in
	   plain loops: the same sums and extremes, to the bit, NaN and signed zeros among the
	   values; every accumulator, or the mean's and the max's alone; a block and a tail */
	static float x[ACCNF][ACCNPX], k[ACCNPX], mn[3][ACCNPX], mx[3][ACCNPX];
	static double s1[3][ACCNPX], s2[3][ACCNPX];
	static const char *const how[] = {"one at a time", "all at once"};
	struct pixacc a[2];
	const float *v[ACCNF];
	int i, j, nx, all, bad = 0;

	for (j = 0; j < ACCNF; j++)
		for (i = 0; i < ACCNPX; i++)
			x[j][i] = (float)((i * 31 + j * 17) % 97) / 7 - 3;
	x[2][5] = NAN, x[5][6] = NAN, x[0][7] = NAN;
	/* the largest so far +0, then -0 (pixel 8); the smallest so far -0, then +0 (pixel 9): kept */
	x[0][8] = -1, x[1][8] = 0.0f, x[2][8] = -2, x[3][8] = -0.0f;
	x[0][9] = 1, x[1][9] = -0.0f, x[2][9] = 2, x[3][9] = 0.0f;
	x[4][9] = 1, x[5][9] = 0.0f, x[6][9] = 3, x[7][9] = -0.0f;
	for (i = 0; i < ACCNPX; i++)
		k[i] = x[0][i];
	for (all = 0; all < 2; all++) {
		for (nx = 1; nx <= ACCNF; nx++) {
			for (j = 0; j < 3; j++) {
				memset(s1[j], 0, sizeof(s1[j]));
				memset(s2[j], 0, sizeof(s2[j]));
				for (i = 0; i < ACCNPX; i++)
					mn[j][i] = mx[j][i] = x[0][i];
			}
			for (j = 0; j < 2; j++)
				a[j] = (struct pixacc){.npx = ACCNPX, .k = k, .s1 = s1[j], .s2 = all ? s2[j] : NULL,
				                       .mn = all ? mn[j] : NULL, .mx = mx[j]};
			for (j = 0; j < nx; j++) {
				v[j] = x[j];
				pixaccadd(&a[0], &v[j], 1);
			}
			pixaccadd(&a[1], v, nx);
			refpixacc(x, nx, k, ACCNPX, s1[2], s2[2], mn[2], mx[2]);
			for (j = 0; j < 2; j++) {
				if (memcmp(s1[j], s1[2], sizeof(s1[j])) != 0 ||
				    (all && memcmp(s2[j], s2[2], sizeof(s2[j])) != 0) ||
				    (all && memcmp(mn[j], mn[2], sizeof(mn[j])) != 0) || memcmp(mx[j], mx[2], sizeof(mx[j])) != 0) {
					printf("  %d frames %s, %s: not the sums and extremes pixel by pixel\n", nx, how[j],
					       all ? "every accumulator" : "mean and max");
					bad = 1;
				}
			}
		}
	}
	EXPECT(!bad);
}

/*
 * The figures of a w x h frame as one scalar pass made them: the sum through LANES lanes
 * (pixel i in lane i mod LANES, the last npx mod LANES in lane 0), the extremes kept per
 * offset i mod BLOCK, column sums from the top, each row's sum through its own lanes.
 */
static void
reffigures(const float *px, int w, int h, double *sum, float *lo, float *hi, double *col, double *row)
{
	static float slo[BLOCK], shi[BLOCK];
	size_t npx = (size_t)w * h, m = npx - npx % LANES, mw = (size_t)w - (size_t)w % LANES, i, used;
	double acc[LANES] = {0}, r[LANES];
	int x, y, j;

	used = npx < BLOCK ? npx : BLOCK;
	for (i = 0; i < BLOCK; i++)
		slo[i] = shi[i] = px[0];
	for (i = 0; i < npx; i++) {
		acc[i < m ? i % LANES : 0] += px[i];
		slo[i % BLOCK] = px[i] < slo[i % BLOCK] ? px[i] : slo[i % BLOCK];
		shi[i % BLOCK] = px[i] > shi[i % BLOCK] ? px[i] : shi[i % BLOCK];
	}
	*sum = 0;
	for (j = 0; j < LANES; j++)
		*sum += acc[j];
	*lo = slo[0];
	*hi = shi[0];
	for (i = 1; i < used; i++) {
		*lo = slo[i] < *lo ? slo[i] : *lo;
		*hi = shi[i] > *hi ? shi[i] : *hi;
	}
	for (x = 0; x < w; x++) {
		col[x] = 0;
		for (y = 0; y < h; y++)
			col[x] += px[(size_t)y * w + x];
	}
	for (y = 0; y < h; y++) {
		memset(r, 0, sizeof(r));
		for (x = 0; x < w; x++)
			r[(size_t)x < mw ? x % LANES : 0] += px[(size_t)y * w + x];
		row[y] = 0;
		for (j = 0; j < LANES; j++)
			row[y] += r[j];
	}
}

TEST(figrows_bits)
{
	/* rows handed in one at a time, in threes and all at once: the reference's very bits, for
	   sizes under a lane, rows not a multiple of it, frames over a block, and a NaN that only the
	   offsets' places decide (the extremes' comparisons pass over it unless it is in offset 0) */
	static const int sizes[][2] = {{1, 1}, {3, 2}, {7, 5}, {9, 1}, {1024, 3}, {2049, 2}, {13, 300}, {100, 41},
	                               {1023, 3}, {5, 7}, {333, 3}};
	static const int steps[] = {1, 3, 0};
	/* magnitudes 2^50 apart: any other order of the additions rounds differently */
	static const float scale[] = {1e-9f, 1, -1e3f, 1e6f, -1e-3f};
	double sum, fsum, col[2049], row[300], fcol[2049], frow[300];
	struct figrows *f = xmalloc(sizeof(*f));
	float lo, hi, flo, fhi, *px;
	size_t s, k, npx, i;
	int y, n, nan, bad = 0;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (nan = 0; nan < 2; nan++) {
			npx = (size_t)sizes[s][0] * sizes[s][1];
			px = xreallocarray(NULL, npx, sizeof(*px));
			for (i = 0; i < npx; i++)
				px[i] = ((float)((i * 7919) % 1009) / 97 - 4.5f) * scale[i * 7 % 5];
			if (nan)
				px[npx / 2] = NAN;
			reffigures(px, sizes[s][0], sizes[s][1], &sum, &lo, &hi, col, row);
			for (k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
				figrowsinit(f, sizes[s][0], sizes[s][1], fcol, frow);
				for (y = 0; y < sizes[s][1]; y += n) {
					n = steps[k] ? steps[k] : sizes[s][1];
					n = n < sizes[s][1] - y ? n : sizes[s][1] - y;
					figrowsadd(f, px + (size_t)y * sizes[s][0], n);
				}
				extfinish(&f->ext, &flo, &fhi);
				fsum = lanetotal(f->sum);
				if (memcmp(&fsum, &sum, sizeof(sum)) != 0 || !samebits(flo, lo) || !samebits(fhi, hi) ||
				    memcmp(fcol, col, (size_t)sizes[s][0] * sizeof(*col)) != 0 ||
				    memcmp(frow, row, (size_t)sizes[s][1] * sizeof(*row)) != 0) {
					printf("  %dx%d, NaN %d, %d rows at a time: sum %a (%a), lo %a (%a), hi %a (%a)\n",
					       sizes[s][0], sizes[s][1], nan, steps[k], fsum, sum, flo, lo, fhi, hi);
					bad = 1;
				}
			}
			free(px);
		}
	}
	EXPECT(!bad);
	free(f);
}

/* a 16-bit PNG product's code of v, one pixel at a time, as pngwrite16 has always made it */
static unsigned
refcode16(float v, double lo, double hi)
{
	double t;

	if (!(hi > lo))
		return 0;
	t = (v - lo) / (hi - lo) * 65535 + 0.5;
	if (!(t >= 1))
		return 0;
	if (t >= 65535)
		return 65535;
	return (unsigned)t;
}

/* the code rows pngwrite16rows handed over */
struct coderows {
	unsigned *codes;
	int w, rows;
};

/* pngrowfn: keep the next row's codes (big-endian pairs) */
static void
keepcodes(void *ctx, const unsigned char *row)
{
	struct coderows *g = ctx;
	int x;

	for (x = 0; x < g->w; x++)
		g->codes[(size_t)g->rows * g->w + x] = (unsigned)(row[2 * x] << 8 | row[2 * x + 1]);
	g->rows++;
}

TEST(code16_bits)
{
	static const int widths[] = {1, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 1000};
	static const double ranges[][2] = {{0, 1}, {-0.1, 1.5}, {0.25, 0.25}, {1, 0}, {-3e-4, 7e-3}};
	static const int levels[] = {3, 6};
	char err[256] = "";
	size_t w, i, r, l, npx;
	double lo, hi;
	int bad = 0;

	for (w = 0; w < sizeof(widths) / sizeof(widths[0]) && !bad; w++) {
		npx = (size_t)widths[w] * 3;
		float *px = xreallocarray(NULL, npx, sizeof(*px));
		struct coderows g = {xreallocarray(NULL, npx, sizeof(unsigned)), widths[w], 0};
		for (r = 0; r < sizeof(ranges) / sizeof(ranges[0]) && !bad; r++) {
			lo = ranges[r][0], hi = ranges[r][1];
			/* a ramp past both ends, codes exactly halfway, and what is not a number */
			for (i = 0; i < npx; i++) {
				px[i] = (float)(lo + (hi - lo) * ((double)((i * 7919) % 1201) / 1000 - 0.1));
				if (i % 5 == 1)
					px[i] = (float)(lo + (hi - lo) * (((double)(i % 977) + 0.5) / 65535));
			}
			px[npx / 2] = NAN;
			px[npx - 1] = INFINITY;
			px[0] = -INFINITY;
			if (npx > 4)
				px[npx / 3] = -0.0f;
			for (l = 0; l < sizeof(levels) / sizeof(levels[0]) && !bad; l++) {
				g.rows = 0;
				EXPECTINT(pngwrite16rows("/dev/null", &(struct img){widths[w], 3, px}, lo, hi, levels[l], keepcodes,
				                         &g, err, sizeof(err)), 0);
				EXPECTINT(g.rows, 3);
				for (i = 0; i < npx && !bad; i++) {
					if (g.codes[i] != refcode16(px[i], lo, hi)) {
						printf("  width %d, lo %g, hi %g, level %d: pixel %zu (%a) code %u, expected %u\n",
						       widths[w], lo, hi, levels[l], i, px[i], g.codes[i], refcode16(px[i], lo, hi));
						bad = 1;
					}
				}
			}
		}
		free(px);
		free(g.codes);
	}
	EXPECT(!bad);
}

int
main(int argc, char **argv)
{
	pid_t pid;
	int status;

	(void)argc;
	printf("# vector path %s\n", simdname(simdpath()));
	RUN(median_network);
	RUN(blur_bits);
	RUN(blur_prep);
	RUN(pixelwise_bits);
	RUN(pixacc_frames);
	RUN(figrows_bits);
	RUN(code16_bits);
	/* the same again on the baseline path, unless that was it */
	if (simdpath() == SIMDBASE || getenv("RUNJA_SIMD"))
		return TESTEXIT();
	fflush(stdout);
	if ((pid = fork()) == 0) {
		setenv("RUNJA_SIMD", "baseline", 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("FAIL baseline (the program again with RUNJA_SIMD=baseline)\n");
		return 1;
	}
	return TESTEXIT();
}
