/* tests of process/run.c, runja-process's run driver, on a small run in a temporary folder */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/util.h"
#include "process/img.h"
#include "process/png.h"
#include "process/run.h"
#include "tests/test.h"

static char tmpdir[] = "/tmp/runja-run-XXXXXX";

#include "tests/unit/tmptree.h"
static char err[1024];

/* write frame i of a 6x4 run into tmpdir/data/run_0/img_I.png: value (x + i) / 10 */
static void
frame(int i)
{
	struct img im;
	char *p = xasprintf("%s/data/run_0/img_%d.png", tmpdir, i);
	int x, y;

	mkimg(&im, 6, 4);
	for (y = 0; y < 4; y++)
		for (x = 0; x < 6; x++)
			im.px[y * 6 + x] = (float)(x + i) / 10;
	if (pngwrite16(p, &im, 0, 1, 1, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	delimg(&im);
	free(p);
}

/* the options of run_0 into OUT = tmpdir/out */
static struct runopts
opts(char *rundir, char *outdir, json_t *argv)
{
	struct runopts o = {
		.id = "run_0", .rundir = rundir, .outdir = outdir, .frames = "*.png", .channel = CHLUMA,
		.maxpixels = 1000, .npy = true, .compression = 1, .argv = argv,
		.prods = {.mean = true, .stats = true, .tsrow = -1, .tscol = -1},
	};

	return o;
}

/* the first line of file tmpdir/path, or "" */
static char *
firstline(const char *path)
{
	char *p = tpath(path), *nl;
	struct buf b;

	if (readfile(p, &b, NULL, 0) < 0)
		b.s[0] = '\0';
	if ((nl = strchr(b.s, '\n')))
		*nl = '\0';
	free(p);
	return b.s;
}

TEST(driver)
{
	char *rundir = tpath("data/run_0"), *outdir = tpath("out/run_0"), *p, *line;
	json_t *argv = json_pack("[s]", "--product");
	struct runopts o = opts(rundir, outdir, argv);

	EXPECTINT(mkdirp(rundir, err, sizeof(err)), 0);
	p = tpath("out/.runja");
	EXPECTINT(mkdirp(p, err, sizeof(err)), 0);
	free(p);
	frame(0), frame(1), frame(2);

	/* a good run: its products and summary.json, no failure record, one ledger line */
	EXPECTINT(runguard(&o, err, sizeof(err)), 0);
	EXPECTINT(runone(&o, err, sizeof(err)), 0);
	p = tpath("out/run_0/mean.npy");
	EXPECT(exists(p));
	free(p);
	line = firstline("out/run_0/stats.csv");
	EXPECTSTR(line, "index,file,mean,std,min,max");
	free(line);
	p = tpath("out/run_0/error.txt");
	EXPECT(!exists(p));
	free(p);
	line = firstline("out/.runja/ledger.tsv");
	EXPECT(strncmp(line, "run_0\t", 6) == 0);
	free(line);

	/* a bad frame: -1 with the one line, summary.json gone, the line in error.txt */
	p = tpath("data/run_0/img_1.png");
	EXPECTINT(writefile(p, "not a png\n", 10, err, sizeof(err)), 0);
	free(p);
	EXPECTINT(runone(&o, err, sizeof(err)), -1);
	EXPECTSTR(err, "run_0/img_1.png: not a PNG file");
	p = tpath("out/run_0/summary.json");
	EXPECT(!exists(p));
	free(p);
	line = firstline("out/run_0/error.txt");
	EXPECTSTR(line, "run_0/img_1.png: not a PNG file");
	free(line);

	/* skipped, the run succeeds without it and the failure record goes */
	o.skipbad = true;
	EXPECTINT(runone(&o, err, sizeof(err)), 0);
	p = tpath("out/run_0/error.txt");
	EXPECT(!exists(p));
	free(p);
	o.skipbad = false;

	/* --fail-with: no frame read, that line */
	o.failwith = "run_0/run.cfg:2: unknown key 'x' in 'products'";
	EXPECTINT(runone(&o, err, sizeof(err)), -1);
	EXPECTSTR(err, o.failwith);
	line = firstline("out/run_0/error.txt");
	EXPECTSTR(line, o.failwith);
	free(line);
	o.failwith = NULL;

	/* an output folder inside the run folder: refused before anything is written */
	o.outdir = p = tpath("data/run_0/analysis");
	EXPECTINT(runguard(&o, err, sizeof(err)), -1);
	free(p);
	p = xasprintf("run_0: output folder '%s/data/run_0/analysis' lies inside the run folder '%s'; raw data is never written to",
	              tmpdir, rundir);
	EXPECTSTR(err, p);
	free(p);
	json_decref(argv);
	free(rundir), free(outdir);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(driver);
	if (rmtree(tmpdir, err, sizeof(err)) < 0)
		printf("FAIL cleanup: %s\n", err);
	return TESTEXIT();
}
