/* tests of gen/plan.c: the build graph computed once, and both writers (ninja, make) writing the same one */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fs.h"
#include "common/util.h"
#include "gen/conf.h"
#include "gen/emit.h"
#include "gen/plan.h"
#include "tests/test.h"

static char err[1024];

/* the templates of one backend (templates/NAME/FILE.EXT, read from the top of the tree) */
struct backend {
	struct buf t[7];
	struct tmpls tm;
};

static void
loadbackend(struct backend *b, const char *name, const char *ext)
{
	static const char *const files[] = {"head", "pool", "run", "phony", "tail", "execrule", "exec"};
	size_t i;

	for (i = 0; i < 7; i++) {
		char *p = xasprintf("templates/%s/%s.%s", name, files[i], ext);

		if (readfile(p, &b->t[i], err, sizeof(err)) < 0)
			fatal(1, "%s", err);
		free(p);
	}
	b->tm = (struct tmpls){b->t[0].s, b->t[1].s, b->t[2].s, b->t[3].s, b->t[4].s, b->t[5].s, b->t[6].s, name};
}

static void
delbackend(struct backend *b)
{
	size_t i;

	for (i = 0; i < 7; i++)
		buffree(&b->t[i]);
}

/* does text hold path as a whole word (between spaces, line ends, ':' or '|')? */
static bool
hasword(const char *text, const char *path)
{
	size_t len = strlen(path);
	const char *p;

	for (p = strstr(text, path); p; p = strstr(p + 1, path))
		if ((p == text || strchr(" \n:|", p[-1])) && strchr(" \n:|", p[len] ? p[len] : ' '))
			return true;
	return false;
}

/* how often needle is in text */
static size_t
count(const char *text, const char *needle)
{
	size_t n = 0;
	const char *q;

	for (q = strstr(text, needle); q; q = strstr(q + 1, needle))
		n++;
	return n;
}

TEST(oneplantwowriters)
{
	static const char cfgtext[] =
		"version = 1;\n"
		"runs = { root = \"data\"; match = \"run_*\"; override = \"run.cfg\"; };\n"
		"products = { mean = true; max = true; };\n"
		"command = { run = [\"sh\", \"a.sh\", \"{pipeline}\", \"{out}\"]; after_pipeline = true; };\n";
	static char *dirs[] = {"data", "data/run_1", "data/run_2"};
	struct run runs[] = {
		{.id = "run_1", .dir = "data/run_1", .nframes = 5, .framesig = 1},
		{.id = "run_2", .dir = "data/run_2", .nframes = 4, .framesig = 2, .override = true},
	};
	struct scan s = {.runs = runs, .nruns = 2, .dirs = dirs, .ndirs = 3, .recheck = true};
	struct conf c;
	struct runparams params[2];
	struct backend nb, mb;
	struct plan p;
	struct buf ninja, make;
	const char *watched[] = {"data", "data/run_1", "data/run_2", "data/run_2/run.cfg", "out/.runja/recheck"};
	size_t i, j;

	EXPECTINT(confparse(&c, cfgtext, "runja.cfg", false, err, sizeof(err)), 0);
	for (i = 0; i < 2; i++)
		params[i] = (struct runparams){c.ops, c.nops, &c.prods, "{}", NULL};
	loadbackend(&nb, "ninja", "ninja");
	loadbackend(&mb, "make", "mk");
	struct emit e = {
		.c = &c, .s = &s, .params = params, .cfgname = "runja.cfg", .gen = "/bin/runja-gen",
		.process = "/bin/runja-process", .exec = "/bin/runja-exec", .report = "/bin/runja-report",
		.t = &nb.tm,
	};

	mkplan(&p, &e);
	/* per run (run_1 has more frames: first), its pipeline step, then its command step after it */
	EXPECTINT(p.nsteps, 4);
	if (p.nsteps == 4) {
		EXPECT(!p.steps[0].command && p.steps[1].command && !p.steps[2].command && p.steps[3].command);
		/*
		 * the outcome stamp the report reads and the depfile names first (named by the id's
		 * inputshash: c7d1b591c7960bc2 is run_1's, e59e2e63a5268cd4 run_2's), then summary.json
		 * and 4 products
		 */
		EXPECTINT(p.steps[0].noutputs, 6);
		EXPECTSTR(p.steps[0].outputs[0], "out/.runja/ended/c7d1b591c7960bc2");
		EXPECTSTR(p.steps[0].outputs[1], "out/run_1/summary.json");
		EXPECTSTR(p.steps[0].outputs[5], "out/run_1/max.npy");
		EXPECTSTR(p.steps[0].depfile, "out/run_1/.runja.d");
		EXPECT(p.steps[0].after == NULL);
		/* a command's: its outcome stamp, then its own stamp; after the pipeline's outcome stamp */
		EXPECTINT(p.steps[1].noutputs, 2);
		EXPECTSTR(p.steps[1].outputs[0], "out/.runja/ended-command/c7d1b591c7960bc2");
		EXPECTSTR(p.steps[1].outputs[1], "out/run_1/command/.runja.done");
		EXPECTSTR(p.steps[1].after, "out/.runja/ended/c7d1b591c7960bc2");
		EXPECTSTR(p.steps[1].depfile, "out/run_1/command/.runja.d");
		EXPECTSTR(p.steps[1].argv[0], "--id");
		EXPECTSTR(p.steps[2].outputs[0], "out/.runja/ended/e59e2e63a5268cd4");
		EXPECTSTR(p.steps[3].outputs[0], "out/.runja/ended-command/e59e2e63a5268cd4");
		EXPECTSTR(p.steps[3].outputs[1], "out/run_2/command/.runja.done");
		/* the report's inputs are the outcome stamps */
		for (i = 0; i < 4 && i < p.nsummaries; i++)
			EXPECTSTR(p.summaries[i], p.steps[i].outputs[0]);
	}
	EXPECTINT(p.nsummaries, 4);
	/* per run: summary.json and 4 products of the pipeline, the command's stamp */
	EXPECTINT(p.nproducts, 12);
	EXPECTSTR(p.runlist[0], "out/.runja/runs");
	EXPECTSTR(p.summary, "out/summary.csv");
	EXPECTINT(p.nwatch, 5);
	for (i = 0; i < 5 && i < p.nwatch; i++)
		EXPECTSTR(p.watch[i].path, watched[i]);
	if (p.nwatch == 5)
		EXPECT(p.watch[4].settling && !p.watch[3].settling && p.watch[0].dir && !p.watch[3].dir);

	/* both writers write every step's outputs, the report's inputs and every watched path */
	bufinit(&ninja), bufinit(&make);
	EXPECTINT(emitninja(&ninja, &e, err, sizeof(err)), 0);
	e.t = &mb.tm;
	EXPECTINT(emitmake(&make, &e, err, sizeof(err)), 0);
	for (i = 0; i < p.nsteps; i++) {
		for (j = 0; j < p.steps[i].noutputs; j++) {
			EXPECT(hasword(ninja.s, p.steps[i].outputs[j]));
			EXPECT(hasword(make.s, p.steps[i].outputs[j]));
		}
		if (p.steps[i].after) {
			EXPECT(hasword(ninja.s, p.steps[i].after));
			EXPECT(hasword(make.s, p.steps[i].after));
		}
	}
	for (i = 0; i < p.nwatch; i++) {
		EXPECT(hasword(ninja.s, p.watch[i].path));
		EXPECT(hasword(make.s, p.watch[i].path));
	}
	for (i = 0; i < 2; i++) {
		EXPECT(hasword(ninja.s, p.runlist[i]));
		EXPECT(hasword(make.s, p.runlist[i]));
	}
	/* the same number of steps: ninja's build statements of the two rules, make's recipes' messages */
	EXPECTINT(count(ninja.s, ": process\n") + count(ninja.s, ": exec "), p.nsteps);
	EXPECTINT(count(make.s, "@echo 'PROCESS ") + count(make.s, "@echo 'COMMAND "), p.nsteps);
	buffree(&ninja), buffree(&make);
	delplan(&p);

	/* the run with the most frames first, its pipeline step before its command's; the report's inputs in that order */
	runs[1].nframes = 6;
	mkplan(&p, &e);
	EXPECTINT(p.nsteps, 4);
	if (p.nsteps == 4 && p.nsummaries == 4) {
		EXPECT(!p.steps[0].command && p.steps[1].command && !p.steps[2].command && p.steps[3].command);
		EXPECTSTR(p.steps[0].outputs[0], "out/.runja/ended/e59e2e63a5268cd4");
		EXPECTSTR(p.steps[1].outputs[1], "out/run_2/command/.runja.done");
		EXPECTSTR(p.steps[2].outputs[1], "out/run_1/summary.json");
		EXPECTSTR(p.steps[3].outputs[1], "out/run_1/command/.runja.done");
		for (i = 0; i < 4; i++)
			EXPECTSTR(p.summaries[i], p.steps[i].outputs[0]);
	}
	delplan(&p);
	delbackend(&nb), delbackend(&mb);
	delconf(&c);
}

int
main(void)
{
	RUN(oneplantwowriters);
	return TESTEXIT();
}
