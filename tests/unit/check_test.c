/* tests of gen/check.c (runja-gen --check): each run's state and why, on a temporary data tree and OUT */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "common/frames.h"
#include "common/fs.h"
#include "common/state.h"
#include "common/util.h"
#include "gen/check.h"
#include "gen/conf.h"
#include "gen/emit.h"
#include "process/img.h"
#include "process/png.h"
#include "tests/test.h"

static char tmpdir[] = "/tmp/runja-check-XXXXXX";

#include "tests/unit/tmptree.h"
static char err[1024];

/* a hand-built runja-gen over tmpdir: data/run_1 and data/run_2 with two frames each, OUT = tmpdir/out */
struct fixture {
	struct conf c;
	struct run runs[2];
	struct scan s;
	struct runparams params[2];
	struct emit e;
	char *process;  /* a stand-in for runja-process, written long ago */
};

/* write frame tmpdir/data/RUN/NAME, a 4x3 PNG, modified 1000 s ago */
static void
frame(const char *run, const char *name)
{
	char *p = xasprintf("%s/data/%s/%s", tmpdir, run, name);
	struct img im;
	int k;

	mkimg(&im, 4, 3);
	for (k = 0; k < 12; k++)
		im.px[k] = (float)k / 12;
	if (pngwrite16(p, &im, 0, 1, 1, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	settime(p, -1000);
	delimg(&im);
	free(p);
}

static void
setup(struct fixture *f)
{
	static const char *const ids[] = {"run_1", "run_2"};
	char *text = xasprintf("version = 1;\n"
	                       "runs = { root = \"data\"; match = \"run_*\"; };\n"
	                       "output = { dir = \"%s/out\"; npy = false; };\n"
	                       "products = { mean = true; std = true; };\n", tmpdir);
	size_t i;

	if (confparse(&f->c, text, "runja.cfg", false, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	free(text);
	for (i = 0; i < 2; i++) {
		char *dir = xasprintf("%s/data/%s", tmpdir, ids[i]);

		if (mkdirp(dir, err, sizeof(err)) < 0)
			fatal(1, "%s", err);
		f->runs[i] = (struct run){.id = xstrdup(ids[i]), .dir = dir, .nframes = 2};
		framesigadd(&f->runs[i].framesig, "img_0.png");
		framesigadd(&f->runs[i].framesig, "img_1.png");
		frame(ids[i], "img_0.png"), frame(ids[i], "img_1.png");
		f->params[i] = (struct runparams){f->c.ops, f->c.nops, &f->c.prods, NULL, NULL};
	}
	f->s = (struct scan){.runs = f->runs, .nruns = 2};
	f->process = tpath("runja-process");
	if (writefile(f->process, "", 0, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	settime(f->process, -1000);
	f->e = (struct emit){
		.c = &f->c, .s = &f->s, .params = f->params, .cfgname = "runja.cfg", .gen = "runja-gen",
		.process = f->process, .exec = "runja-exec", .report = "runja-report",
	};
}

static void
teardown(struct fixture *f)
{
	size_t i;
	char *p = tpath("out");

	for (i = 0; i < 2; i++)
		free(f->runs[i].id), free(f->runs[i].dir);
	free(f->process);
	delconf(&f->c);
	if (rmtree(p, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	free(p);
}

/* the argv runja-gen gives run i's runja-process now, as a JSON array */
static json_t *
nowargv(const struct emit *e, size_t i)
{
	json_t *a = json_array();
	char **argv;
	size_t n = emitargv(e, i, &argv), j;

	for (j = 0; j < n; j++)
		json_array_append_new(a, json_string(argv[j]));
	delstrv(argv, n);
	return a;
}

/* in argv (a JSON array), replace the value after flag by value; NULL: remove flag and its value */
static void
setarg(json_t *argv, const char *flag, const char *value)
{
	size_t j;

	for (j = 0; j + 1 < json_array_size(argv); j++) {
		if (strcmp(json_string_value(json_array_get(argv, j)), flag) != 0)
			continue;
		if (value) {
			json_array_set_new(argv, j + 1, json_string(value));
		} else {
			json_array_remove(argv, j + 1);
			json_array_remove(argv, j);
		}
		return;
	}
	fatal(1, "no %s in the argv", flag);
}

/* write OUT/RUNID/summary.json {"argv": argv} (argv taken; NULL: "argv" is a string) and the products mean.png and std.png */
static void
done(const struct emit *e, size_t i, json_t *argv)
{
	char *dir = xasprintf("%s/%s", e->c->outdir, e->s->runs[i].id), *p;
	json_t *sum = json_pack("{s:o}", "argv", argv ? argv : json_string("--id run_1"));
	const char *names[] = {"mean.png", "std.png"};
	size_t k;

	if (mkdirp(dir, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	for (k = 0; k < 2; k++) {
		p = xasprintf("%s/%s", dir, names[k]);
		if (writefile(p, "png\n", 4, err, sizeof(err)) < 0)
			fatal(1, "%s", err);
		free(p);
	}
	p = xasprintf("%s/summary.json", dir);
	if (json_dump_file(sum, p, 0) < 0)
		fatal(1, "%s: cannot write", p);
	json_decref(sum);
	free(p), free(dir);
}

/* checkrun(e, i) is state with reason why (NULL: none) */
#define EXPECTSTATE(e, i, state, why) do { \
	char *r_; \
	EXPECTINT(checkrun((e), (i), &r_), (state)); \
	if ((why) || r_) \
		EXPECTSTR(r_, (why)); \
	free(r_); \
} while (0)

TEST(new)
{
	struct fixture f;
	char *out;

	setup(&f);
	EXPECTSTATE(&f.e, 0, RUNNEW, "new");
	/* its results folder there, but no summary.json */
	out = xasprintf("%s/run_1", f.c.outdir);
	EXPECTINT(mkdirp(out, err, sizeof(err)), 0);
	EXPECTSTATE(&f.e, 0, RUNSTALE, "outputs missing");
	EXPECTSTATE(&f.e, 1, RUNNEW, "new");
	free(out);
	teardown(&f);
}

TEST(failed)
{
	struct fixture f;
	char *out;

	setup(&f);
	out = xasprintf("%s/run_1", f.c.outdir);
	EXPECTINT(mkdirp(out, err, sizeof(err)), 0);
	EXPECTINT(statefailwrite(out, "run_1/img_1.png: not a PNG file", err, sizeof(err)), 0);
	EXPECTSTATE(&f.e, 0, RUNFAILED, "failed last time: run_1/img_1.png: not a PNG file");
	EXPECTSTATE(&f.e, 1, RUNNEW, "new");
	free(out);
	teardown(&f);
}

TEST(done)
{
	struct fixture f;
	json_t *argv, *sig;

	setup(&f);
	done(&f.e, 0, nowargv(&f.e, 0));
	EXPECTSTATE(&f.e, 0, RUNDONE, NULL);
	EXPECTSTATE(&f.e, 1, RUNNEW, "new");
	/* the make form of the depfile is no parameter */
	argv = nowargv(&f.e, 0);
	json_array_insert_new(argv, 2, json_string("--depfile-phony"));
	done(&f.e, 0, argv);
	EXPECTSTATE(&f.e, 0, RUNDONE, NULL);
	/* nor is where --frame-set stands */
	argv = nowargv(&f.e, 0);
	EXPECTSTR(json_string_value(json_array_get(argv, 4)), "--frame-set");
	sig = json_deep_copy(json_array_get(argv, 5));
	json_array_remove(argv, 5), json_array_remove(argv, 4);
	json_array_insert_new(argv, 0, json_string("--frame-set"));
	json_array_insert_new(argv, 1, sig);
	done(&f.e, 0, argv);
	EXPECTSTATE(&f.e, 0, RUNDONE, NULL);
	teardown(&f);
}

TEST(outputsmissing)
{
	struct fixture f;
	char *p;

	setup(&f);
	done(&f.e, 0, nowargv(&f.e, 0));
	p = xasprintf("%s/run_1/std.png", f.c.outdir);
	EXPECTINT(unlink(p), 0);
	EXPECTSTATE(&f.e, 0, RUNSTALE, "outputs missing");
	free(p);
	teardown(&f);
}

TEST(frameschanged)
{
	struct fixture f;
	struct timespec t[2];
	struct stat st;
	json_t *argv;
	char *p, *sum;

	setup(&f);
	/* a frame added, removed or renamed since: another frame set */
	argv = nowargv(&f.e, 0);
	setarg(argv, "--frame-set", "0123456789abcdef");
	done(&f.e, 0, argv);
	EXPECTSTATE(&f.e, 0, RUNSTALE, "frames changed");
	argv = nowargv(&f.e, 0);
	setarg(argv, "--frame-set", NULL);
	done(&f.e, 0, argv);
	EXPECTSTATE(&f.e, 0, RUNSTALE, "frames changed");
	/* a frame rewritten in place after summary.json */
	done(&f.e, 0, nowargv(&f.e, 0));
	EXPECTSTATE(&f.e, 0, RUNDONE, NULL);
	p = xasprintf("%s/img_1.png", f.runs[0].dir);
	settime(p, 1000);
	EXPECTSTATE(&f.e, 0, RUNSTALE, "frames changed");
	settime(p, -1000);
	EXPECTSTATE(&f.e, 0, RUNDONE, NULL);
	/* as new as summary.json is no change; a nanosecond newer is */
	sum = xasprintf("%s/run_1/summary.json", f.c.outdir);
	EXPECTINT(stat(sum, &st), 0);
	t[0] = t[1] = st.st_mtim;
	EXPECTINT(utimensat(AT_FDCWD, p, t, 0), 0);
	EXPECTSTATE(&f.e, 0, RUNDONE, NULL);
	if (++t[0].tv_nsec == 1000000000)
		t[0].tv_sec++, t[0].tv_nsec = 0;
	t[1] = t[0];
	EXPECTINT(utimensat(AT_FDCWD, p, t, 0), 0);
	EXPECTSTATE(&f.e, 0, RUNSTALE, "frames changed");
	free(p), free(sum);
	teardown(&f);
}

TEST(parameterschanged)
{
	struct fixture f;
	json_t *argv;
	char *p;

	setup(&f);
	argv = nowargv(&f.e, 0);
	setarg(argv, "--png-compression", "9");
	done(&f.e, 0, argv);
	EXPECTSTATE(&f.e, 0, RUNSTALE, "parameters changed");
	/* an argument more, or one less */
	argv = nowargv(&f.e, 0);
	json_array_append_new(argv, json_string("--npy"));
	done(&f.e, 0, argv);
	EXPECTSTATE(&f.e, 0, RUNSTALE, "parameters changed");
	argv = nowargv(&f.e, 0);
	json_array_remove(argv, json_array_size(argv) - 1);
	done(&f.e, 0, argv);
	EXPECTSTATE(&f.e, 0, RUNSTALE, "parameters changed");
	/* parameters before frames: both changed says parameters */
	argv = nowargv(&f.e, 0);
	setarg(argv, "--frame-set", "0123456789abcdef");
	setarg(argv, "--channel", "r");
	done(&f.e, 0, argv);
	EXPECTSTATE(&f.e, 0, RUNSTALE, "parameters changed");
	/* no argv array, or no JSON at all */
	done(&f.e, 0, NULL);
	EXPECTSTATE(&f.e, 0, RUNSTALE, "parameters changed");
	p = xasprintf("%s/run_1/summary.json", f.c.outdir);
	EXPECTINT(writefile(p, "{\"argv\": [", 10, err, sizeof(err)), 0);
	EXPECTSTATE(&f.e, 0, RUNSTALE, "parameters changed");
	free(p);
	teardown(&f);
}

/* a new build of runja-process, or none, is no reason: what a run computes is on its command line (--results) */
TEST(programnoreason)
{
	struct fixture f;

	setup(&f);
	done(&f.e, 0, nowargv(&f.e, 0));
	settime(f.process, 1000);
	EXPECTSTATE(&f.e, 0, RUNDONE, NULL);
	EXPECTINT(unlink(f.process), 0);
	EXPECTSTATE(&f.e, 0, RUNDONE, NULL);
	teardown(&f);
}

/* the text checkruns prints, and how many lines it says */
static char *
runs(const struct emit *e, const char *prev, size_t *nlines)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	*nlines = checkruns(e, prev, f);
	fclose(f);
	return text;
}

TEST(checkruns)
{
	struct fixture f;
	size_t n;
	char *text;

	setup(&f);
	done(&f.e, 0, nowargv(&f.e, 0));
	text = runs(&f.e, NULL, &n);
	EXPECTSTR(text, "run_2: new\n");
	EXPECTINT(n, 1);
	free(text);
	EXPECTINT(checkruns(&f.e, NULL, NULL), 1);
	/* runs of the last generation not found now; blank lines and a last line without its break are fine */
	text = runs(&f.e, "run_0\nrun_1\n\nrun_2\nrun_10", &n);
	EXPECTSTR(text, "run_2: new\nrun_0: removed\nrun_10: removed\n");
	EXPECTINT(n, 3);
	free(text);
	/* counted only (no stream), removed runs too */
	EXPECTINT(checkruns(&f.e, "run_0\nrun_1\n\nrun_2\nrun_10", NULL), 3);
	/* every run done and none gone: nothing */
	done(&f.e, 1, nowargv(&f.e, 1));
	text = runs(&f.e, "run_1\nrun_2\n", &n);
	EXPECTSTR(text, "");
	EXPECTINT(n, 0);
	free(text);
	teardown(&f);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(new);
	RUN(failed);
	RUN(done);
	RUN(outputsmissing);
	RUN(frameschanged);
	RUN(parameterschanged);
	RUN(programnoreason);
	RUN(checkruns);
	if (rmtree(tmpdir, err, sizeof(err)) < 0)
		printf("FAIL cleanup: %s\n", err);
	return TESTEXIT();
}
