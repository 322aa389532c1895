/* tests of process/workers.c (frames on several threads, taken in order) and of a run's products at any thread count */
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/cores.h"
#include "common/fs.h"
#include "common/spec.h"
#include "common/util.h"
#include "process/img.h"
#include "process/png.h"
#include "process/products.h"
#include "process/run.h"
#include "process/workers.h"
#include "tests/test.h"

static char tmpdir[] = "/tmp/runja-workers-XXXXXX";

#include "tests/unit/tmptree.h"
static char err[1024];

/* what the fake work and take of one workrun share */
struct fake {
	int threads;          /* threads expected */
	atomic_int inside;    /* threads inside the work of the first frames */
	atomic_int together;  /* they were all inside at once */
	atomic_size_t taken;  /* frames taken */
	atomic_int beyond;    /* frames worked on beyond the window */
	size_t win;           /* the window */
	size_t failat;        /* take fails at this frame (or never: n) */
	int bad;              /* takes out of order, or of a slot not worked on */
};

/* the work: frame i's value into its slot; the first frames wait until every thread is at work on one */
static void
fakework(void *ctx, size_t i, size_t stop, struct slot *s, struct opscratch *scratch)
{
	struct fake *f = ctx;
	struct timespec t = {0, 1000000};
	int k;

	(void)stop, (void)scratch;
	if (i >= atomic_load(&f->taken) + f->win)
		atomic_fetch_add(&f->beyond, 1);
	if (i < (size_t)f->threads) {
		atomic_fetch_add(&f->inside, 1);
		for (k = 0; k < 5000 && atomic_load(&f->inside) < f->threads; k++)
			nanosleep(&t, NULL);
		if (atomic_load(&f->inside) == f->threads)
			atomic_store(&f->together, 1);
	}
	imgresize(&s->f.img, 3, 2);
	s->f.img.px[0] = (float)i;
	s->f.index = (int)i;
}

static int
faketake(void *ctx, size_t i, struct slot *s, size_t *stop)
{
	struct fake *f = ctx;

	(void)stop;
	if (i != atomic_load(&f->taken) || s->f.index != (int)i || s->f.img.px[0] != (float)i)
		f->bad++;
	atomic_fetch_add(&f->taken, 1);
	return i == f->failat ? -1 : 0;
}

TEST(order)
{
	static const int counts[] = {1, 2, 4, 7};
	size_t k;
	int most;

	for (k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
		struct fake f = {.threads = counts[k], .failat = 300};
		struct cores *c = mkcores(NULL, counts[k]);

		/* the window: twice the threads, and one (one thread with no add: the frame itself) */
		f.win = counts[k] > 1 ? 2 * (size_t)counts[k] + 1 : 1;
		EXPECTINT(workrun(300, 0, fakework, faketake, NULL, &f, c, &most), 0);
		EXPECTINT(f.bad, 0);
		EXPECTINT(atomic_load(&f.taken), 300);
		EXPECTINT(atomic_load(&f.beyond), 0);
		/* all the threads were at work at once */
		EXPECTINT(most, counts[k]);
		EXPECTINT(atomic_load(&f.together), 1);
		delcores(c);
	}
}

TEST(stop)
{
	struct fake f = {.threads = 4, .failat = 10, .win = 9};
	struct cores *c = mkcores(NULL, 4);
	int most;

	/* a take that fails ends the run there: no frame after it is taken */
	EXPECTINT(workrun(100, 0, fakework, faketake, NULL, &f, c, &most), -1);
	EXPECTINT(atomic_load(&f.taken), 11);
	EXPECTINT(f.bad, 0);
	delcores(c);
}

/* what the fake work, take and add of a workrun with bands share */
struct banded {
	int threads;
	size_t n;
	int log[16][64];       /* per band, the frames it added, in order */
	atomic_int nlog[16];   /* per band, how many */
	int left[64];          /* the frames the takes left to the bands, in order */
	int nleft;
	atomic_int bad;        /* a band that saw a slot of another frame, or a frame worked on again wrongly */
	atomic_int again;      /* frames worked on again */
	atomic_int maxbatch;   /* the most slots one add was given */
	size_t nbands;
};

/* frame i into its slot, up to the stop (again: only from where it was, the frame still there) */
static void
bandwork(void *ctx, size_t i, size_t stop, struct slot *s, struct opscratch *scratch)
{
	struct banded *b = ctx;

	(void)scratch;
	if (s->again) {
		if (s->f.index != (int)i || s->f.img.px[0] != (float)i || s->done >= stop)
			atomic_fetch_add(&b->bad, 1);
		atomic_fetch_add(&b->again, 1);
		s->done = stop;
		return;
	}
	imgresize(&s->f.img, 3, 2);
	s->f.img.px[0] = (float)i;
	s->f.index = (int)i;
	s->done = stop;
}

/*
 * every third frame is taken whole, the others are left to the bands; frame 3 raises the
 * stop (a background made), and the takes after it are slow: the frames done meanwhile
 * are there to be worked on again by the other threads
 */
static int
bandtake(void *ctx, size_t i, struct slot *s, size_t *stop)
{
	struct banded *b = ctx;
	struct timespec t = {0, i == 3 ? 20000000 : 10000000};

	if (s->f.index != (int)i || s->done > *stop)
		atomic_fetch_add(&b->bad, 1);
	if (i == 3)
		*stop = 1;
	if (i >= 3 && i < 10)
		nanosleep(&t, NULL);
	if (i % 3 == 0)
		return 0;
	b->left[b->nleft++] = (int)i;
	return WORKADD;
}

static void
bandadd(void *ctx, struct slot *const *s, int ns, size_t band, size_t nbands)
{
	struct banded *b = ctx;
	int k;

	/* (one thread at a time adds a band) */
	if (band == 0)
		b->nbands = nbands;
	if (ns > atomic_load(&b->maxbatch))
		atomic_store(&b->maxbatch, ns);
	for (k = 0; k < ns; k++) {
		if (s[k]->f.img.px[0] != (float)s[k]->f.index || band >= 16)
			atomic_fetch_add(&b->bad, 1);
		else if (atomic_load(&b->nlog[band]) < 64)
			b->log[band][atomic_fetch_add(&b->nlog[band], 1)] = s[k]->f.index;
	}
}

TEST(bands)
{
	static const int counts[] = {1, 2, 4, 7};
	size_t k, band;
	int most, j, again = 0;

	for (k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
		struct banded *b = xcalloc(1, sizeof(*b));
		struct cores *c = mkcores(NULL, counts[k]);
		bool inorder = true;

		b->threads = counts[k];
		EXPECTINT(workrun(60, 0, bandwork, bandtake, bandadd, b, c, &most), 0);
		EXPECTINT(atomic_load(&b->bad), 0);
		EXPECTINT(b->nleft, 40);
		/* two bands a thread; every band added every left frame once, in the order taken */
		EXPECTINT(b->nbands, counts[k] > 1 ? 2 * counts[k] : 1);
		for (band = 0; band < b->nbands; band++) {
			EXPECTINT(atomic_load(&b->nlog[band]), 40);
			for (j = 0; j < 40; j++)
				inorder = inorder && b->log[band][j] == b->left[j];
		}
		EXPECT(inorder);
		/* one thread works on a frame only when it is the next to take: never again; it adds
		 * several at once (a window of 4), never more than its window */
		if (counts[k] == 1) {
			EXPECTINT(atomic_load(&b->again), 0);
			EXPECT(atomic_load(&b->maxbatch) > 1 && atomic_load(&b->maxbatch) <= 4);
		} else
			again += atomic_load(&b->again);
		delcores(c);
		free(b);
	}
	/* on several threads, frames done before the stop rose were brought on by others while the caller took */
	EXPECT(again > 0);
}

/* the mean, std, min and max images of the nf frames f, pixel by pixel (sums of x - frame 0 in double), into out */
static void
plainimages(const struct frame *f, int nf, struct buf *out)
{
	size_t npx = (size_t)f[0].img.w * f[0].img.h, x;
	float *v = xcalloc(4 * npx, sizeof(float));
	double s1, s2, d, a, var;
	int i, k;

	for (x = 0; x < npx; x++) {
		s1 = s2 = 0;
		v[2 * npx + x] = v[3 * npx + x] = f[0].img.px[x];
		for (i = 0; i < nf; i++) {
			d = (double)f[i].img.px[x] - f[0].img.px[x];
			s1 += d;
			s2 += d * d;
			v[2 * npx + x] = f[i].img.px[x] < v[2 * npx + x] ? f[i].img.px[x] : v[2 * npx + x];
			v[3 * npx + x] = f[i].img.px[x] > v[3 * npx + x] ? f[i].img.px[x] : v[3 * npx + x];
		}
		a = s1 / nf;
		var = s2 / nf - a * a;
		v[x] = (float)(f[0].img.px[x] + s1 / nf);
		v[npx + x] = (float)sqrt(var > 0 ? var : 0);
	}
	for (k = 0; k < 4; k++)
		bufadd(out, (const char *)(v + k * npx), npx * sizeof(float));
	free(v);
}

/* the products of frames 0..nf-1 of w x h, added whole (prodadd) or by nbands bands, batch frames at a time; their bytes into out */
static void
banded(int w, int h, int nf, size_t nbands, int batch, struct buf *out)
{
	struct prodspec s = {.mean = true, .std = true, .min = true, .max = true, .stats = true, .timestack = true,
	                     .tsrow = 1, .tscol = -1, .front = true, .frontlevel = 0.5, .frontfrom = FROMLEFT};
	struct products *p = mkproducts(&s);
	struct frame *f = xcalloc(nf, sizeof(*f));
	const struct frame *fp[8];
	const struct prodimg *im;
	struct prodfig fig;
	char err[256];
	size_t b, k, nim;
	int i, j, x;

	for (i = 0; i < nf; i++) {
		mkimg(&f[i].img, w, h);
		f[i].index = i;
		f[i].name = "f.png";
		for (x = 0; x < w * h; x++)
			f[i].img.px[x] = (float)((x * 37 + i * 101) % 97) / 96.0f + (x % w < i ? 0.5f : 0);
	}
	for (i = 0; i < nf; i += batch) {
		for (j = i; j < nf && j < i + batch; j++) {
			if (nbands == 0) {
				prodadd(p, &f[j], err, sizeof(err));
				continue;
			}
			prodfigure(p, &f[j], &fig);
			prodtake(p, &f[j], &fig, err, sizeof(err));
			fp[j - i] = &f[j];
		}
		/* the bands in reverse: each is on its own */
		for (b = nbands; b-- > 0;)
			prodaddband(p, fp, j - i, b, nbands);
	}
	prodfinish(p, err, sizeof(err));
	bufinit(out);
	nim = prodimages(p, &im);
	/* whole: the pixelwise images as SPEC defines them, one pixel at a time, rather than as the products make them */
	if (nbands == 0)
		plainimages(f, nf, out);
	for (k = nbands == 0 ? 4 : 0; k < nim; k++)
		bufadd(out, (const char *)im[k].img.px, (size_t)im[k].img.w * im[k].img.h * sizeof(float));
	bufputs(out, prodstatscsv(p));
	bufputs(out, prodfrontcsv(p));
	for (i = 0; i < nf; i++)
		delimg(&f[i].img);
	free(f);
	delproducts(p);
}

TEST(bandsum)
{
	/* sizes: fewer pixels than a band's rounding (16), a tail that is no multiple of 16, more than a block */
	static const int sizes[][2] = {{5, 3}, {61, 7}, {83, 45}};
	static const size_t nbands[] = {1, 2, 3, 8, 64};
	static const int batches[] = {1, 3, 8};
	struct buf one, other;
	size_t k, b, t;

	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		banded(sizes[k][0], sizes[k][1], 11, 0, 1, &one);
		EXPECT(one.len > 0);
		for (b = 0; b < sizeof(nbands) / sizeof(nbands[0]); b++)
			for (t = 0; t < sizeof(batches) / sizeof(batches[0]); t++) {
				banded(sizes[k][0], sizes[k][1], 11, nbands[b], batches[t], &other);
				if (one.len != other.len || memcmp(one.s, other.s, one.len) != 0)
					printf("FAIL bandsum: %dx%d, %zu bands, %d a batch\n", sizes[k][0], sizes[k][1], nbands[b],
					       batches[t]);
				EXPECT(one.len == other.len && memcmp(one.s, other.s, one.len) == 0);
				buffree(&other);
			}
		buffree(&one);
	}
}

/* write frame i of a 40x30 run: a front moving right, noise by i; frame 7 is no PNG */
static void
frame(int i)
{
	struct img im;
	char *p = xasprintf("%s/data/run_0/img_%d.png", tmpdir, i);
	int x, y;

	if (i == 7) {
		writefile(p, "not a png\n", 10, err, sizeof(err));
		free(p);
		return;
	}
	mkimg(&im, 40, 30);
	for (y = 0; y < 30; y++)
		for (x = 0; x < 40; x++)
			im.px[y * 40 + x] = (x < i + 3 ? 0.8f : 0.1f) + (float)((x * 7 + y * 13 + i * 5) % 11) / 100;
	if (pngwrite16(p, &im, 0, 1, 1, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	delimg(&im);
	free(p);
}

/* the products of run_0 processed with threads threads into tmpdir/tN/run_0 (no OUT: no tokens, exactly that many) */
static void
process(int threads, struct opspec *ops, size_t nops, struct prodspec *prods, bool skip)
{
	char *rundir = tpath("data/run_0"), *outdir = xasprintf("%s/t%d/run_0", tmpdir, threads);
	json_t *argv = json_array();
	struct runopts o = {
		.id = "run_0", .rundir = rundir, .outdir = outdir, .frames = "*.png", .channel = CHLUMA,
		.maxpixels = 100000, .npy = true, .compression = 1, .argv = argv, .ops = ops, .nops = nops,
		.prods = *prods, .skipbad = skip, .threads = threads,
	};

	if (runone(&o, err, sizeof(err)) < 0 && skip)
		printf("  run with %d threads: %s\n", threads, err);
	json_decref(argv);
	free(rundir), free(outdir);
}

/* the files of tmpdir/tN/run_0, each with its bytes, into b; how many are missing */
static int
results(int threads, struct buf *b)
{
	static const char *const names[] = {"mean.png", "mean.npy", "std.npy", "min.npy", "max.png", "timestack.npy",
	                                    "stats.csv", "front.csv", "summary.json"};
	size_t k;
	int missing = 0;

	bufinit(b);
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		char *p = xasprintf("%s/t%d/run_0/%s", tmpdir, threads, names[k]);
		struct buf f;

		if (readfile(p, &f, NULL, 0) < 0)
			bufprintf(b, "%s missing\n", names[k]), missing++;
		else
			bufprintf(b, "%s %zu bytes\n", names[k], f.len), bufadd(b, f.s, f.len);
		buffree(&f);
		free(p);
	}
	return missing;
}

TEST(identical)
{
	static const char *const opv[] = {"crop:x=1,y=2,width=36,height=26", "background:frames=5,method=median",
	                                  "blur:sigma=1", "background:frames=3,method=mean"};
	static const char *const prodv[] = {"mean", "std", "min", "max", "stats", "timestack:row=5",
	                                    "front:level=0.3,from=left"};
	static const int counts[] = {2, 4, 7};
	struct opspec ops[4];
	struct prodspec prods = {.tsrow = -1, .tscol = -1};
	char *p = tpath("data/run_0"), *sum;
	struct buf one, other;
	size_t k;
	int i;

	mkdirp(p, err, sizeof(err));
	free(p);
	for (i = 0; i < 40; i++)
		frame(i);
	for (k = 0; k < 4; k++)
		if (specparseop(opv[k], &ops[k], err, sizeof(err)) < 0)
			fatal(1, "%s", err);
	for (k = 0; k < sizeof(prodv) / sizeof(prodv[0]); k++)
		if (specparseprod(prodv[k], &prods, err, sizeof(err)) < 0)
			fatal(1, "%s", err);
	/* two backgrounds in a row, a skipped frame among those they are made of: the same bytes on any number of threads */
	process(1, ops, 4, &prods, true);
	EXPECTINT(results(1, &one), 0);
	p = tpath("t1/run_0/summary.json");
	sum = slurp(p);
	EXPECT(strstr(sum, "\"frames\": 39,") != NULL);
	free(sum), free(p);
	for (k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
		process(counts[k], ops, 4, &prods, true);
		results(counts[k], &other);
		EXPECT(one.len == other.len && memcmp(one.s, other.s, one.len) == 0);
		buffree(&other);
	}
	buffree(&one);
	/* the bad frame fails the run the same way on any number of threads */
	process(4, ops, 4, &prods, false);
	EXPECTSTR(err, "run_0/img_7.png: not a PNG file");
	for (k = 0; k < 4; k++)
		specfreeop(&ops[k]);
}

/* per thread of a workeach: SIGINT blocked there (1) or not (0) */
static atomic_int blocked[8];

static void
maskof(void *ctx, size_t i, int thread)
{
	sigset_t cur;
	struct timespec t = {0, 2000000};

	(void)ctx, (void)i;
	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	if (thread < 8)
		atomic_store(&blocked[thread], sigismember(&cur, SIGINT) && sigismember(&cur, SIGTERM) &&
		                                   sigismember(&cur, SIGHUP) ? 1 : 0);
	/* long enough that every thread takes a task */
	nanosleep(&t, NULL);
}

/* the threads a workeach starts block the signals that end a program; the caller's thread does not */
TEST(signals)
{
	struct cores *c = mkcores(NULL, 4);
	int k;

	for (k = 0; k < 8; k++)
		atomic_store(&blocked[k], -1);
	workeach(40, maskof, NULL, c);
	EXPECTINT(atomic_load(&blocked[0]), 0);
	for (k = 1; k < 4; k++)
		EXPECTINT(atomic_load(&blocked[k]), 1);
	delcores(c);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(order);
	RUN(stop);
	RUN(bands);
	RUN(signals);
	RUN(bandsum);
	RUN(identical);
	if (rmtree(tmpdir, err, sizeof(err)) < 0)
		printf("FAIL cleanup: %s\n", err);
	return TESTEXIT();
}
