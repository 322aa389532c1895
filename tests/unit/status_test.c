/* tests of gen/status.c (runja-gen --status): one line per run, or a JSON array, on a temporary data tree and OUT */
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
#include "gen/conf.h"
#include "gen/emit.h"
#include "gen/status.h"
#include "process/img.h"
#include "process/png.h"
#include "tests/test.h"

enum { MAXRUNS = 4 };

static char tmpdir[] = "/tmp/runja-status-XXXXXX";

#include "tests/unit/tmptree.h"
static char err[1024];

/* a hand-built runja-gen over tmpdir: runs data/ID with two frames each, OUT = tmpdir/out */
struct fixture {
	struct conf c;
	struct run runs[MAXRUNS];
	struct scan s;
	struct runparams params[MAXRUNS];
	struct emit e;
	char *process;  /* a stand-in for runja-process, written long ago */
};

/* write frame DIR/NAME, a 4x3 PNG, modified 1000 s ago, and add it to *sig */
static void
frame(const char *dir, const char *name, uint64_t *sig)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct img im;

	mkimg(&im, 4, 3);
	memset(im.px, 0, 12 * sizeof(*im.px));
	if (pngwrite16(p, &im, 0, 1, 1, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	settime(p, -1000);
	framesigadd(sig, name);
	delimg(&im);
	free(p);
}

/* the runs ids (n of them, in natural order) */
static void
setup(struct fixture *f, const char *const *ids, size_t n)
{
	char *text = xasprintf("version = 1;\n"
	                       "runs = { root = \"data\"; match = \"*\"; };\n"
	                       "output = { dir = \"%s/out\"; npy = false; };\n"
	                       "products = { mean = true; std = false; };\n", tmpdir);
	size_t i;

	if (confparse(&f->c, text, "runja.cfg", false, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	free(text);
	for (i = 0; i < n; i++) {
		char *dir = xasprintf("%s/data/%s", tmpdir, ids[i]);

		if (mkdirp(dir, err, sizeof(err)) < 0)
			fatal(1, "%s", err);
		f->runs[i] = (struct run){.id = xstrdup(ids[i]), .dir = dir, .nframes = 2};
		frame(dir, "img_0.png", &f->runs[i].framesig);
		frame(dir, "img_1.png", &f->runs[i].framesig);
		f->params[i] = (struct runparams){f->c.ops, f->c.nops, &f->c.prods, NULL, NULL};
	}
	f->s = (struct scan){.runs = f->runs, .nruns = n};
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
	char *p = tpath("out");
	size_t i;

	for (i = 0; i < f->s.nruns; i++)
		free(f->runs[i].id), free(f->runs[i].dir);
	free(f->process);
	delconf(&f->c);
	if (rmtree(p, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	free(p);
}

/* make run i done: OUT/RUNID/summary.json with the argv runja-gen gives it now, and mean.png */
static void
done(const struct emit *e, size_t i)
{
	char *dir = xasprintf("%s/%s", e->c->outdir, e->s->runs[i].id), *p, **argv;
	size_t n = emitargv(e, i, &argv), j;
	json_t *a = json_array(), *sum;

	for (j = 0; j < n; j++)
		json_array_append_new(a, json_string(argv[j]));
	delstrv(argv, n);
	sum = json_pack("{s:o}", "argv", a);
	p = xasprintf("%s/mean.png", dir);
	if (mkdirp(dir, err, sizeof(err)) < 0 || writefile(p, "png\n", 4, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	free(p);
	p = xasprintf("%s/summary.json", dir);
	if (json_dump_file(sum, p, 0) < 0)
		fatal(1, "%s: cannot write", p);
	json_decref(sum);
	free(p), free(dir);
}

/* what printstatus prints; caller frees */
static char *
status(const struct emit *e, const struct waiting *w, size_t nw, bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	printstatus(e, w, nw, json, f);
	fclose(f);
	return text;
}

/* OUT holding: run_1 done (two attempts in the ledger), run_2 failed, run_3 new, run_4 stale */
static void
fill(struct fixture *f)
{
	char *state = statepath(f->c.outdir, STATEDIR, NULL), *ledger = statepath(f->c.outdir, STATELEDGER, NULL);
	char *dir = xasprintf("%s/run_2", f->c.outdir);
	struct attempt first = {.id = "run_1", .maxrss = 99999, .status = 3, .error = "first try"};
	struct attempt last = {.id = "run_1", .start = 1700000000, .seconds = 12.5, .maxrss = 3072};
	struct attempt bad = {.id = "run_2", .start = 1700000100, .seconds = 0.25, .maxrss = 2560, .status = 1,
	                      .error = "run_2/img_1.png: not a PNG file"};
	struct timespec t0;

	unsetenv("SLURM_JOB_ID"), unsetenv("SLURM_STEP_ID");
	if (mkdirp(state, err, sizeof(err)) < 0 || mkdirp(dir, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	done(&f->e, 0);
	/* the ledger's last attempt of a run is the one shown */
	clock_gettime(CLOCK_REALTIME, &t0);
	ledgerrecord(state, &t0, &first);
	if (ledgerappend(ledger, &last, err, sizeof(err)) < 0 ||
	    statefailwrite(dir, "run_2/img_1.png: not a PNG file", err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	setenv("SLURM_JOB_ID", "77", 1), setenv("SLURM_STEP_ID", "3", 1);
	if (ledgerappend(ledger, &bad, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	unsetenv("SLURM_JOB_ID"), unsetenv("SLURM_STEP_ID");
	free(dir);
	dir = xasprintf("%s/run_4", f->c.outdir);
	if (mkdirp(dir, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	free(dir), free(state), free(ledger);
}

static const char *const four[] = {"run_1", "run_2", "run_3", "run_4"};
static struct waiting waiting[] = {{.id = "run_10", .why = "no DONE yet"}};

TEST(text)
{
	struct fixture f;
	char *text;

	setup(&f, four, 4);
	fill(&f);
	text = status(&f.e, waiting, 1, false);
	EXPECTSTR(text, "run_1   done     2023-11-14T22:13:20Z     12.50 s      3.0 MiB\n"
	                "run_2   failed   2023-11-14T22:15:00Z      0.25 s      2.5 MiB  run_2/img_1.png: not a PNG file\n"
	                "run_3   new\n"
	                "run_4   stale    (outputs missing)\n"
	                "run_10  waiting  (no DONE yet)\n");
	free(text);
	/* without the waiting run the column is as wide as the longest id, at least 3 */
	text = status(&f.e, NULL, 0, false);
	EXPECT(strncmp(text, "run_1  done     2023", 20) == 0);
	free(text);
	teardown(&f);
}

TEST(narrow)
{
	static const char *const ids[] = {"a"};
	struct fixture f;
	char *text, *dir;

	setup(&f, ids, 1);
	text = status(&f.e, NULL, 0, false);
	EXPECTSTR(text, "a    new\n");
	free(text);
	/* a failure record without a ledger line (the ledger deleted): the record says why */
	dir = xasprintf("%s/a", f.c.outdir);
	if (mkdirp(dir, err, sizeof(err)) < 0 || statefailwrite(dir, "a/img_0.png: truncated", err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	text = status(&f.e, NULL, 0, false);
	EXPECTSTR(text, "a    failed   (failed last time: a/img_0.png: truncated)\n");
	free(text);
	{
		char *rec = xasprintf("%s/error.txt", dir);

		unlink(rec), rmdir(dir);
		free(rec), free(dir);
	}
	text = status(&f.e, NULL, 0, true);
	EXPECTSTR(text, "[\n  {\n    \"run\": \"a\",\n    \"state\": \"new\",\n    \"reason\": \"new\",\n"
	                "    \"quarantined\": false,\n    \"when\": null,\n    \"seconds\": null,\n    \"peak_kib\": null,\n    \"host\": null,\n"
	                "    \"job\": null,\n    \"error\": null\n  }\n]\n");
	free(text);
	f.s.nruns = 0;
	text = status(&f.e, NULL, 0, false);
	EXPECTSTR(text, "");
	free(text);
	text = status(&f.e, NULL, 0, true);
	EXPECTSTR(text, "[]\n");
	free(text);
	f.s.nruns = 1;
	teardown(&f);
}

/* the string member key of o, or NULL when it is none */
static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* are the members key of o JSON null? */
static bool
jnull(const json_t *o, const char *const *keys, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (!json_is_null(json_object_get(o, keys[k])))
			return false;
	return true;
}

TEST(json)
{
	static const char *const attempt[] = {"when", "seconds", "peak_kib", "host", "job", "error"};
	struct fixture f;
	char *text, host[256] = "-";
	json_t *a, *o;

	gethostname(host, sizeof(host) - 1);
	setup(&f, four, 4);
	fill(&f);
	text = status(&f.e, waiting, 1, true);
	a = json_loads(text, 0, NULL);
	EXPECT(json_is_array(a));
	EXPECTINT(json_array_size(a), 5);
	if (json_array_size(a) == 5) {
		o = json_array_get(a, 0);
		EXPECTINT(json_object_size(o), 10);
		EXPECTSTR(jstr(o, "run"), "run_1");
		EXPECTSTR(jstr(o, "state"), "done");
		EXPECT(jnull(o, (const char *const[]){"reason", "job", "error"}, 3));
		EXPECTSTR(jstr(o, "when"), "2023-11-14T22:13:20Z");
		EXPECT(json_is_real(json_object_get(o, "seconds")));
		EXPECTNEAR(json_real_value(json_object_get(o, "seconds")), 12.5, 0);
		EXPECTINT(json_integer_value(json_object_get(o, "peak_kib")), 3072);
		EXPECTSTR(jstr(o, "host"), host);

		o = json_array_get(a, 1);
		EXPECTINT(json_object_size(o), 10);
		EXPECTSTR(jstr(o, "run"), "run_2");
		EXPECTSTR(jstr(o, "state"), "failed");
		EXPECTSTR(jstr(o, "reason"), "failed last time: run_2/img_1.png: not a PNG file");
		EXPECTSTR(jstr(o, "when"), "2023-11-14T22:15:00Z");
		EXPECTNEAR(json_real_value(json_object_get(o, "seconds")), 0.25, 0);
		EXPECTINT(json_integer_value(json_object_get(o, "peak_kib")), 2560);
		EXPECTSTR(jstr(o, "job"), "77.3");
		EXPECTSTR(jstr(o, "error"), "run_2/img_1.png: not a PNG file");

		o = json_array_get(a, 2);
		EXPECTSTR(jstr(o, "run"), "run_3");
		EXPECTSTR(jstr(o, "state"), "new");
		EXPECTSTR(jstr(o, "reason"), "new");
		EXPECT(jnull(o, attempt, 6));

		o = json_array_get(a, 3);
		EXPECTSTR(jstr(o, "run"), "run_4");
		EXPECTSTR(jstr(o, "state"), "stale");
		EXPECTSTR(jstr(o, "reason"), "outputs missing");
		EXPECT(jnull(o, attempt, 6));

		o = json_array_get(a, 4);
		EXPECTINT(json_object_size(o), 10);
		EXPECTSTR(jstr(o, "run"), "run_10");
		EXPECTSTR(jstr(o, "state"), "waiting");
		EXPECTSTR(jstr(o, "reason"), "no DONE yet");
		EXPECT(jnull(o, attempt, 6));
	}
	json_decref(a);
	free(text);
	teardown(&f);
}

/* a quarantined run (OUT/.runja/quarantine/ID there): failed, its error marked so, in both forms */
TEST(quarantined)
{
	struct fixture f;
	char *text, *quar, *qdir;
	json_t *a;

	setup(&f, four, 4);
	fill(&f);
	quar = statepath(f.c.outdir, STATEQUARANTINE, "run_2");
	qdir = statepath(f.c.outdir, STATEQUARANTINE, NULL);
	if (mkdirp(qdir, err, sizeof(err)) < 0 || writefile(quar, "", 0, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	text = status(&f.e, NULL, 0, false);
	EXPECT(strstr(text, "\nrun_2  failed   2023-11-14T22:15:00Z      0.25 s      2.5 MiB  quarantined: "
	                    "run_2/img_1.png: not a PNG file\n") != NULL);
	EXPECT(strstr(text, "run_1  done ") == text);
	free(text);
	text = status(&f.e, NULL, 0, true);
	a = json_loads(text, 0, NULL);
	EXPECTINT(json_array_size(a), 4);
	if (json_array_size(a) == 4) {
		EXPECT(json_is_false(json_object_get(json_array_get(a, 0), "quarantined")));
		EXPECT(json_is_true(json_object_get(json_array_get(a, 1), "quarantined")));
		EXPECTSTR(jstr(json_array_get(a, 1), "state"), "failed");
		EXPECTSTR(jstr(json_array_get(a, 1), "error"), "run_2/img_1.png: not a PNG file");
		EXPECT(json_is_false(json_object_get(json_array_get(a, 2), "quarantined")));
	}
	json_decref(a);
	free(text), free(quar), free(qdir);
	teardown(&f);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(text);
	RUN(narrow);
	RUN(json);
	RUN(quarantined);
	if (rmtree(tmpdir, err, sizeof(err)) < 0)
		printf("FAIL cleanup: %s\n", err);
	return TESTEXIT();
}
