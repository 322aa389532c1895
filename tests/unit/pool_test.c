/*
 * tests of gen/pool.c: the peak memory estimate of jobs.pool = "auto", op by op from the ops'
 * declarations; and the pool sized from the peak RSS the ledger measured where it has one
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/paramkey.h"
#include "common/state.h"
#include "gen/conf.h"
#include "gen/pool.h"
#include "process/img.h"
#include "process/png.h"
#include "tests/test.h"
#include "tests/unit/mkop.h"

static char tmpdir[] = "/tmp/runja-pool-XXXXXX";

#include "tests/unit/tmptree.h"
static char err[1024];

static const struct pnghead gray8 = {1024, 768, 8, 1, 0, false};
static const struct pnghead rgb16 = {640, 480, 16, 3, 2, true};
/* a gray8 frame being decoded: the file (counted as its 768 filtered rows), its 768 rows at once (under
   PNGOUTBYTES) and the row above, each with its filter byte, and the IDAT data gathered */
#define DECODE8 (768 * 1025.0 + (768 + 1) * 1025.0 + PNGZBYTES)
static const struct prodspec meanstd = {.mean = true, .std = true, .tsrow = -1, .tscol = -1};
static const struct prodspec all = {.mean = true, .std = true, .min = true, .max = true, .stats = true,
                                    .timestack = true, .tsrow = 100, .tscol = -1, .front = true, .frontlevel = 0.1};
static const struct prodspec column = {.std = true, .min = true, .timestack = true, .tsrow = -1, .tscol = 5};

TEST(nops)
{
	/* decoding, the frame as floats, the sums of mean and std and their images;
	 * on one thread 3 frames more in flight (coreswindow: 4) */
	EXPECTNEAR(estimaterun(&gray8, 12, NULL, 0, &meanstd, true, 1), 28311552 + DECODE8 + 3.0 * 1024 * 768 * 4, 0);
}

TEST(decodemem)
{
	/* rows inflated at a time: the image when it fits PNGOUTBYTES, else as many rows as do, one at least */
	static const struct pnghead tall = {1024, 5000, 8, 1, 0, false}, wide = {300000, 3, 16, 4, 6, false};

	EXPECTINT((int)pngoutrows(1025, 768), 768);
	EXPECTINT((int)pngoutrows(1025, 5000), 1023);
	EXPECTINT((int)pngoutrows(2400001, 3), 1);
	EXPECTNEAR(pngdecodemem(&gray8), DECODE8, 0);
	EXPECTNEAR(pngdecodemem(&tall), 5000 * 1025.0 + 1024 * 1025.0 + PNGZBYTES, 0);
	EXPECTNEAR(pngdecodemem(&wide), 3 * 2400001.0 + 2 * 2400001.0 + PNGZBYTES, 0);
	/* an interlaced frame is decoded whole */
	EXPECTNEAR(pngdecodemem(&rgb16), 480 * 3841.0 + 640 * 480 * 3 * 2.0, 0);
}

TEST(eachop)
{
	struct opspec crop[] = {mkop("crop:x=0,y=200,width=1024,height=300"), mkop("blur:sigma=2")};
	struct opspec bgblur[] = {mkop("background:frames=5,method=median"), mkop("blur:sigma=2")};
	struct opspec dsbg[] = {mkop("downsample:factor=2"), mkop("background:frames=10,method=mean")};
	struct opspec median[] = {mkop("median:radius=1")};

	/* the figures of the model before the ops declared their own buffers (one frame in flight),
	 * the decoder's, and the 3 frames more one thread has in flight, each the first op's frame */
	EXPECTNEAR(estimaterun(&gray8, 12, crop, 2, &all, true, 1), 15540224 + DECODE8 + 3.0 * 1024 * 300 * 4, 0);
	EXPECTNEAR(estimaterun(&gray8, 12, bgblur, 2, &all, false, 1), 50438144 + DECODE8 + 3.0 * 1024 * 768 * 4, 0);
	EXPECTNEAR(estimaterun(&gray8, 12, dsbg, 2, &column, true, 1), 22843392 + DECODE8 + 3.0 * 1024 * 768 * 4, 0);
	EXPECTNEAR(estimaterun(&gray8, 12, median, 1, &meanstd, true, 1), 28311552 + DECODE8 + 3.0 * 1024 * 768 * 4, 0);
	/* on 2 threads: 5 frames in flight (2 x 2 + 1) against 4, each decoded whole, and the second thread's blur scratch and decoder */
	EXPECTNEAR(estimaterun(&gray8, 12, bgblur, 2, &all, false, 2) - estimaterun(&gray8, 12, bgblur, 2, &all, false, 1),
	           1.0 * 1024 * 768 * 4 + 1024 * 768 * 4 + DECODE8, 0);
}

TEST(everyop)
{
	/* every kind, a crop that is not first, a background file, a background of more frames than the run has */
	struct opspec ops[] = {
		mkop("background:file=bg.png"), mkop("crop:x=3,y=5,width=500,height=301"), mkop("downsample:factor=3"),
		mkop("invert"), mkop("scale:gain=2"), mkop("median:radius=2"), mkop("blur:sigma=1"),
		mkop("background:frames=50,method=mean"), mkop("threshold:level=0.5"),
	};

	/* (and the 3 frames more one thread has in flight: 640x480, then 500x301 cropped; and the file
	   held while decoding, counted as its 480 filtered rows of 3841 bytes) */
	EXPECTNEAR(estimaterun(&rgb16, 12, ops, 9, &all, true, 1), 11315792 + 480 * 3841.0 + 3.0 * 640 * 480 * 4, 0);
	EXPECTNEAR(estimaterun(&rgb16, 120, ops, 9, &column, true, 1), 13851328 + 480 * 3841.0 + 3.0 * 640 * 480 * 4, 0);
	EXPECTNEAR(estimaterun(&rgb16, 7, ops + 1, 8, &meanstd, true, 1), 7122528 + 480 * 3841.0 + 3.0 * 500 * 301 * 4,
	           0);
	delops(ops, 9);
}

/* two runs over tmpdir (data/run_1, data/run_2: one 64x48 frame each), OUT = tmpdir/out, and what autopool says of them */
struct fixture {
	struct conf c;
	struct run runs[2];
	struct scan s;
	struct runparams params[2];
	struct emit e;
	char *ledger;  /* OUT/.runja/ledger.tsv */
};

/* the fixture of config text cfg (OUT appended), each run's command parameters params */
static void
setup(struct fixture *f, const char *cfg, const char *params)
{
	static const char *const ids[] = {"run_1", "run_2"};
	char *text = xasprintf("%soutput = { dir = \"%s/out\"; };\n", cfg, tmpdir), *state;
	struct img im;
	size_t i;

	if (confparse(&f->c, text, "runja.cfg", false, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	free(text);
	mkimg(&im, 64, 48);
	for (i = 0; i < 2; i++) {
		char *dir = xasprintf("%s/data/%s", tmpdir, ids[i]);

		if (mkdirp(dir, err, sizeof(err)) < 0)
			fatal(1, "%s", err);
		f->runs[i] = (struct run){.id = xstrdup(ids[i]), .dir = dir, .nframes = 1,
		                          .oneframe = xasprintf("%s/img_0.png", dir)};
		if (pngwrite16(f->runs[i].oneframe, &im, 0, 1, 1, err, sizeof(err)) < 0)
			fatal(1, "%s", err);
		f->params[i] = (struct runparams){f->c.ops, f->c.nops, &f->c.prods, params, NULL};
	}
	delimg(&im);
	f->s = (struct scan){.runs = f->runs, .nruns = 2};
	f->e = (struct emit){.c = &f->c, .s = &f->s, .params = f->params, .cfgname = "runja.cfg"};
	state = statepath(f->c.outdir, STATEDIR, NULL);
	if (rmtree(state, err, sizeof(err)) < 0 || mkdirp(state, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	f->ledger = statein(state, STATELEDGER, NULL);
	free(state);
}

static void
teardown(struct fixture *f)
{
	size_t i;

	for (i = 0; i < 2; i++)
		free(f->runs[i].id), free(f->runs[i].dir), free(f->runs[i].oneframe);
	free(f->ledger);
	delconf(&f->c);
}

/* append an attempt of run id that peaked at kib KiB with exit status status and parameters key key */
static void
attempt(struct fixture *f, const char *id, long kib, int status, const char *key)
{
	struct attempt a = {.id = id, .start = 1772359200, .seconds = 1, .maxrss = kib, .status = status, .key = key};

	if (ledgerappend(f->ledger, &a, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
}

/* autopool of f with jobs.memory memory: its line (caller frees) and the depth in *depth */
static char *
pool(struct fixture *f, long long memory, int *depth)
{
	char *line = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&line, &len);

	*depth = autopool(&f->e, memory, out);
	fclose(out);
	return line;
}

/* autopool of f with jobs.memory memory must print want and give depth */
static void
expectpool(struct fixture *f, long long memory, const char *want, int depth)
{
	int got;
	char *line = pool(f, memory, &got);

	EXPECTSTR(line, want);
	EXPECTINT(got, depth);
	free(line);
}

/* the line autopool is expected to print */
#define POOLLINE(worst, id, desc, gib, depth, from) \
	"runja-gen: jobs.pool auto: up to " worst " MiB per run (" id ", " desc "), " gib " GiB by jobs.memory: " depth \
	" at once; " from "\n"

TEST(measured)
{
	struct fixture f;
	char key[PARAMKEYSIZE], other[PARAMKEYSIZE], *line;
	int depth;

	setup(&f, "version = 1;\nruns = { root = \"data\"; match = \"run_*\"; };\n"
	          "pipeline = ({ op = \"blur\"; sigma = 2.0; });\n", NULL);
	paramkeypipeline(key, f.c.ops, f.c.nops, &f.c.prods, f.c.channel, f.c.maxpixels, f.c.npy);
	paramkeypipeline(other, f.c.ops, f.c.nops, &f.c.prods, f.c.channel, f.c.maxpixels, !f.c.npy);
	/* an empty ledger: both estimated */
	line = pool(&f, 1073741824, &depth);
	EXPECT(strstr(line, "(run_1, 64x48 16-bit gray)") && strstr(line, "; 0 runs from measured peak RSS, 2 estimated\n"));
	free(line);
	/* run_2 measured at 100 MiB: the largest figure, + 10 %; 1024 / 110 = 9 at once */
	attempt(&f, "run_2", 102400, 0, key);
	expectpool(&f, 1073741824, POOLLINE("110.0", "run_2", "measured peak RSS 100.0 MiB + 10 %", "1.0", "9",
	                                    "1 run from measured peak RSS, 1 estimated"), 9);
	/* other parameters, a failure: no figure of run_1's; run_2's largest is now 300 MiB */
	attempt(&f, "run_1", 512000, 0, other);
	attempt(&f, "run_1", 512000, 1, key);
	attempt(&f, "run_2", 307200, 0, key);
	expectpool(&f, 1073741824, POOLLINE("330.0", "run_2", "measured peak RSS 300.0 MiB + 10 %", "1.0", "3",
	                                    "1 run from measured peak RSS, 1 estimated"), 3);
	/* both measured; a small figure of run_1 wins over its estimate, whatever that is */
	attempt(&f, "run_1", 1024, 0, key);
	line = pool(&f, 1073741824, &depth);
	EXPECT(strstr(line, "; 2 runs from measured peak RSS, 0 estimated\n") != NULL);
	EXPECTINT(depth, 3);
	free(line);
	/* with no output at all, the same depth */
	EXPECTINT(autopool(&f.e, 1073741824, NULL), 3);
	teardown(&f);
}

TEST(command)
{
	struct fixture f;
	char key[PARAMKEYSIZE];

	setup(&f, "version = 1;\nruns = { root = \"data\"; match = \"run_*\"; };\n"
	          "command = { run = [\"./a.sh\", \"{run}\", \"{out}\"]; params = { x = 1; }; memory = \"1G\"; };\n",
	      "{\"x\":1}");
	paramkeycommand(key, f.c.cmd.run, f.c.cmd.nrun, "{\"x\":1}");
	/* declared (command.memory) where not measured; the measured 2 GiB + 10 % wins: 8 / 2.2 = 3 at once */
	attempt(&f, "run_2", 2097152, 0, key);
	expectpool(&f, 8LL << 30, POOLLINE("2252.8", "run_2", "measured peak RSS 2048.0 MiB + 10 %", "8.0", "3",
	                                   "1 run from measured peak RSS, 0 estimated, 1 by command.memory"), 3);
	teardown(&f);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(nops);
	RUN(decodemem);
	RUN(eachop);
	RUN(everyop);
	RUN(measured);
	RUN(command);
	rmtree(tmpdir, err, sizeof(err));
	return TESTEXIT();
}
