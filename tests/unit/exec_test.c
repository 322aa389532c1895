/* tests of exec/exec.c's pure parts: placeholders, PROGNAME, the error lines, the log's tail, params, environment, summary.json's argv */
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "common/util.h"
#include "exec/exec.h"
#include "tests/test.h"

static const struct placeholders ph = {
	.run = "data/run_1", .out = "out/.runja/work/run_1/out", .id = "run_1",
	.frames = "out/.runja/work/run_1/frames.txt", .params = "out/.runja/work/run_1/params.json",
	.pipeline = "out/run_1",
};
static char err[512];

/* arg must expand to want */
#define GOOD(p, arg, want) do { char *o_ = NULL; strcpy(err, ""); \
	EXPECTINT(execexpand(arg, p, &o_, err, sizeof(err)), 0); EXPECTSTR(o_, want); EXPECTSTR(err, ""); free(o_); } while (0)
/* arg must fail with msg */
#define BAD(p, arg, msg) do { char *o_ = (char *)1; \
	EXPECTINT(execexpand(arg, p, &o_, err, sizeof(err)), -1); EXPECTSTR(err, msg); EXPECT(o_ == NULL); } while (0)

TEST(placeholders)
{
	GOOD(&ph, "{run}", "data/run_1");
	GOOD(&ph, "{out}", "out/.runja/work/run_1/out");
	GOOD(&ph, "{id}", "run_1");
	GOOD(&ph, "{frames}", "out/.runja/work/run_1/frames.txt");
	GOOD(&ph, "{params}", "out/.runja/work/run_1/params.json");
	GOOD(&ph, "{pipeline}", "out/run_1");
	GOOD(&ph, "", "");
	GOOD(&ph, "analyse.py", "analyse.py");
	/* inside an argument, several in one */
	GOOD(&ph, "--out={out}", "--out=out/.runja/work/run_1/out");
	GOOD(&ph, "{run}/{id}.csv", "data/run_1/run_1.csv");
	GOOD(&ph, "{id}{id}", "run_1run_1");
}

TEST(braces)
{
	GOOD(&ph, "{{", "{");
	GOOD(&ph, "}}", "}");
	GOOD(&ph, "{{run}}", "{run}");
	GOOD(&ph, "{{{run}}}", "{data/run_1}");
	GOOD(&ph, "{{\"a\": 1}}", "{\"a\": 1}");
	GOOD(&ph, "x{{}}y", "x{}y");
	/* a value is not expanded again */
	{
		struct placeholders p = ph;

		p.id = "{run}}";
		GOOD(&p, "{id}", "{run}}");
	}
}

TEST(badplaceholders)
{
	struct placeholders nopipe = ph;

	BAD(&ph, "{runs}", "'{runs}': unknown placeholder {runs} (known: {run} {out} {id} {frames} {params} {pipeline})");
	BAD(&ph, "--x={RUN}.txt", "'--x={RUN}.txt': unknown placeholder {RUN} (known: {run} {out} {id} {frames} {params} {pipeline})");
	BAD(&ph, "{}", "'{}': unknown placeholder {} (known: {run} {out} {id} {frames} {params} {pipeline})");
	BAD(&ph, "{run", "'{run': a '{' without its '}' (a literal '{' is written {{)");
	BAD(&ph, "a}b", "'a}b': a '}' without its '{' (a literal '}' is written }})");
	BAD(&ph, "{run}}", "'{run}}': a '}' without its '{' (a literal '}' is written }})");
	nopipe.pipeline = NULL;
	BAD(&nopipe, "{pipeline}/mean.png", "'{pipeline}/mean.png': {pipeline} needs --pipeline (command.after_pipeline)");
	GOOD(&nopipe, "{{pipeline}}", "{pipeline}");
}

TEST(expandv)
{
	char *words[] = {"python3", "analyse.py", "{run}", "--out={out}", NULL}, *bad[] = {"python3", "{run}", "{runs}", NULL};
	char *none[] = {NULL};
	char **v = NULL;
	size_t nv = 9;

	EXPECTINT(execexpandv(words, &ph, &v, &nv, err, sizeof(err)), 0);
	EXPECTINT(nv, 4);
	if (v && nv == 4) {
		EXPECTSTR(v[0], "python3");
		EXPECTSTR(v[2], "data/run_1");
		EXPECTSTR(v[3], "--out=out/.runja/work/run_1/out");
		EXPECT(v[4] == NULL);
	}
	delstrv(v, nv);
	/* a bad word: nothing is left, whatever came before it */
	EXPECTINT(execexpandv(bad, &ph, &v, &nv, err, sizeof(err)), -1);
	EXPECTSTR(err, "'{runs}': unknown placeholder {runs} (known: {run} {out} {id} {frames} {params} {pipeline})");
	EXPECT(v == NULL);
	EXPECTINT(nv, 0);
	EXPECTINT(execexpandv(none, &ph, &v, &nv, err, sizeof(err)), 0);
	EXPECT(v == NULL);
	EXPECTINT(nv, 0);
}

TEST(args)
{
	char *argv[] = {"runja-exec", "--id", "run_1", "--keep-going", "--depfile", "d", "--depfile-phony", "x", "--", "sh"};
	json_t *v = execargs(10, argv);
	char *s = execjson(v, JSON_COMPACT);

	/* how a run is run (--keep-going, --depfile-phony) is left out, and argv[0] */
	EXPECTSTR(s, "[\"--id\",\"run_1\",\"--depfile\",\"d\",\"x\",\"--\",\"sh\"]");
	free(s);
	json_decref(v);
	v = execargs(1, argv);
	EXPECTINT(json_array_size(v), 0);
	json_decref(v);
}

TEST(progname)
{
	char *py[] = {"python3", "analyse.py", "{run}", NULL};
	char *pyabs[] = {"/usr/bin/python3", "scripts/lib/analyse.py", NULL};
	char *shc[] = {"sh", "-c", "exit 3", NULL};
	char *tool[] = {"./bin/tool", "x", NULL};
	char *alone[] = {"bash", NULL};
	char *r[] = {"Rscript", "fit.R", NULL};
	char *other[] = {"python3.11", "analyse.py", NULL};

	EXPECTSTR(execprogname(py, true), "analyse.py");
	EXPECTSTR(execprogname(pyabs, true), "analyse.py");
	/* ARG1 names no file (python3 -m x, sh -c ...): the interpreter */
	EXPECTSTR(execprogname(py, false), "python3");
	EXPECTSTR(execprogname(shc, false), "sh");
	EXPECTSTR(execprogname(tool, true), "tool");
	EXPECTSTR(execprogname(alone, true), "bash");
	EXPECTSTR(execprogname(r, true), "fit.R");
	EXPECTSTR(execprogname(other, true), "python3.11");
}

TEST(timeout)
{
	char s[32];

#define T(sec, want) do { exectimeout(s, sizeof(s), sec); EXPECTSTR(s, want); } while (0)
	T(1, "1s");
	T(59, "59s");
	T(60, "1m");
	T(90, "90s");
	T(900, "15m");
	T(3599, "3599s");
	T(3600, "1h");
	T(5400, "90m");
	T(7200, "2h");
	T(86400, "24h");
#undef T
}

TEST(verdict)
{
	struct spawnend e;

#define V(want) do { strcpy(err, ""); \
	EXPECTINT(execverdict(&e, "2026-03/run_017", "analyse.py", 900, err, sizeof(err)), -1); EXPECTSTR(err, want); } while (0)
	e = (struct spawnend){.status = 0};
	EXPECTINT(execverdict(&e, "run_1", "analyse.py", 0, err, sizeof(err)), 0);
	e = (struct spawnend){.status = 3 << 8};
	V("2026-03/run_017: analyse.py exited with status 3");
	e = (struct spawnend){.status = 255 << 8};
	V("2026-03/run_017: analyse.py exited with status 255");
	e = (struct spawnend){.status = SIGKILL};
	V("2026-03/run_017: analyse.py was killed by signal 9 (Killed)");
	e = (struct spawnend){.status = SIGSEGV | 0x80};  /* with a core dump */
	V("2026-03/run_017: analyse.py was killed by signal 11 (Segmentation fault)");
	e = (struct spawnend){.execerr = ENOENT};
	V("2026-03/run_017: cannot run analyse.py: No such file or directory");
	e = (struct spawnend){.execerr = EACCES};
	V("2026-03/run_017: cannot run analyse.py: Permission denied");
	/* the program died of the SIGKILL at the time limit: the limit is the news */
	e = (struct spawnend){.status = SIGKILL, .timedout = true};
	V("2026-03/run_017: timed out after 15m");
	/* interrupted: the program died of it, failed, or was killed 2 s later */
	e = (struct spawnend){.status = SIGINT, .signal = SIGINT};
	V("2026-03/run_017: interrupted");
	e = (struct spawnend){.status = 1 << 8, .signal = SIGINT};
	V("2026-03/run_017: interrupted");
	e = (struct spawnend){.status = SIGKILL, .signal = SIGTERM};
	V("2026-03/run_017: interrupted");
	/* ... or, told of it, it ended by itself with status 0: it finished */
	e = (struct spawnend){.status = 0, .signal = SIGINT};
	EXPECTINT(execverdict(&e, "run_1", "analyse.py", 0, err, sizeof(err)), 0);
#undef V
}

/* the tail of text, maxlines lines */
static char *
tail(const char *text, int maxlines)
{
	struct buf b;

	bufinit(&b);
	exectail(&b, text, strlen(text), false, maxlines);
	return b.s;
}

TEST(tail)
{
	char *s;

#define TAIL(text, n, want) do { s = tail(text, n); EXPECTSTR(s, want); free(s); } while (0)
	TAIL("", 10, "");
	TAIL("\n", 10, "");
	TAIL("one\n", 10, "  | one\n");
	TAIL("no newline", 10, "  | no newline\n");
	TAIL("a\n\nb\n", 10, "  | a\n  | \n  | b\n");
	TAIL("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", 10,
	     "  | 3\n  | 4\n  | 5\n  | 6\n  | 7\n  | 8\n  | 9\n  | 10\n  | 11\n  | 12\n");
	TAIL("1\n2\n3", 2, "  | 2\n  | 3\n");
	TAIL("1\n2\n3\n", 3, "  | 1\n  | 2\n  | 3\n");
#undef TAIL
}

TEST(params)
{
	json_t *p = (json_t *)1;
	char *s;

	EXPECTINT(execparams("{\"threshold\": 0.1, \"smooth\": 3, \"g\": {\"a-b\": [1, \"x\"]}, \"_2\": true}", &p, err, sizeof(err)), 0);
	s = p ? execjson(p, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	EXPECTSTR(s, "{\"_2\":true,\"g\":{\"a-b\":[1,\"x\"]},\"smooth\":3,\"threshold\":0.1}");
	free(s);
	json_decref(p);
	EXPECTINT(execparams("{}", &p, err, sizeof(err)), 0);
	EXPECTINT(json_object_size(p), 0);
	json_decref(p);
	EXPECTINT(execparams("[1]", &p, err, sizeof(err)), -1);
	EXPECTSTR(err, "a JSON object of parameters is needed, not '[1]'");
	EXPECT(p == NULL);
	EXPECTINT(execparams("3", &p, err, sizeof(err)), -1);
	EXPECTSTR(err, "a JSON object of parameters is needed, not '3'");
	EXPECTINT(execparams("{\"a\": 1", &p, err, sizeof(err)), -1);
	EXPECTSTR(err, "not JSON: '}' expected near end of file");
	EXPECTINT(execparams("{\"a\": 1, \"a\": 2}", &p, err, sizeof(err)), -1);
	EXPECTSTR(err, "not JSON: duplicate object key near '\"a\"'");
	EXPECTINT(execparams("{\"a-b\": 1}", &p, err, sizeof(err)), -1);
	EXPECTSTR(err, "'a-b' cannot be a parameter name (letters, digits and _ only)");
	EXPECTINT(execparams("{\"\": 1}", &p, err, sizeof(err)), -1);
	EXPECTSTR(err, "'' cannot be a parameter name (letters, digits and _ only)");
}

TEST(json)
{
	json_t *v = json_pack("{s:f,s:f,s:[f,i],s:f}", "t", 0.1, "one", 1.0, "arr", 2.5, 7, "third", 0.1 + 0.2);
	json_t *sorted;
	char *s;

	/* with the digits the most demanding real needs: 0.1 + 0.2 needs 17, then 0.1 shows noise */
	s = execjson(v, JSON_COMPACT);
	EXPECTSTR(s, "{\"t\":0.10000000000000001,\"one\":1.0,\"arr\":[2.5,7],\"third\":0.30000000000000004}");
	free(s);
	json_object_set_new(v, "third", json_real(1.0 / 3));
	s = execjson(v, JSON_COMPACT);
	EXPECTSTR(s, "{\"t\":0.1,\"one\":1.0,\"arr\":[2.5,7],\"third\":0.3333333333333333}");
	free(s);
	json_object_del(v, "third");
	s = execjson(v, JSON_COMPACT);
	EXPECTSTR(s, "{\"t\":0.1,\"one\":1.0,\"arr\":[2.5,7]}");
	free(s);
	/* keys sorted at every level, the text otherwise the same */
	json_object_set_new(v, "g", json_pack("{s:i,s:[{s:i,s:i}]}", "z", 1, "a", "y", 1, "b", 2));
	sorted = execsorted(v);
	s = execjson(sorted, JSON_COMPACT);
	EXPECTSTR(s, "{\"arr\":[2.5,7],\"g\":{\"a\":[{\"b\":2,\"y\":1}],\"z\":1},\"one\":1.0,\"t\":0.1}");
	free(s);
	json_decref(sorted);
	json_decref(v);
	v = json_string("a \"quoted\" name");
	s = execjson(v, 0);
	EXPECTSTR(s, "\"a \\\"quoted\\\" name\"");
	free(s);
	json_decref(v);
}

TEST(env)
{
	char *in[] = {"PATH=/bin", "RUNJA_ID=old", "RUNJA_PARAM_gone=1", "RUNJA_PIPELINE=old", "RUNJA_OTHER=kept", "HOME=/h", NULL};
	json_t *params = json_pack("{s:s,s:i,s:f,s:b,s:[i,i],s:{s:s}}", "label", "a b", "smooth", 3, "threshold", 0.1,
	                           "flag", 1, "list", 1, 2, "group", "k", "v");
	struct placeholders nopipe = ph;
	struct buf b;
	size_t nenv, i;
	char **v;

	v = execenv(in, &ph, 40, params, &nenv);
	bufinit(&b);
	for (i = 0; i < nenv; i++)
		bufprintf(&b, "%s\n", v[i]);
	EXPECT(v[nenv] == NULL);
	EXPECTSTR(b.s,
	          "PATH=/bin\nRUNJA_OTHER=kept\nHOME=/h\n"
	          "RUNJA_RUN=data/run_1\nRUNJA_OUT=out/.runja/work/run_1/out\nRUNJA_ID=run_1\n"
	          "RUNJA_FRAMES=out/.runja/work/run_1/frames.txt\nRUNJA_PARAMS=out/.runja/work/run_1/params.json\n"
	          "RUNJA_PIPELINE=out/run_1\nRUNJA_NFRAMES=40\n"
	          "RUNJA_PARAM_label=a b\nRUNJA_PARAM_smooth=3\nRUNJA_PARAM_threshold=0.1\nRUNJA_PARAM_flag=true\n"
	          "RUNJA_PARAM_list=[1,2]\nRUNJA_PARAM_group={\"k\":\"v\"}\n");
	buffree(&b);
	delstrv(v, nenv);
	/* no --pipeline: no RUNJA_PIPELINE, not even an inherited one; no parameters, no environment */
	nopipe.pipeline = NULL;
	json_decref(params);
	params = json_object();
	v = execenv(NULL, &nopipe, 0, params, &nenv);
	bufinit(&b);
	for (i = 0; i < nenv; i++)
		bufprintf(&b, "%s\n", v[i]);
	EXPECTSTR(b.s,
	          "RUNJA_RUN=data/run_1\nRUNJA_OUT=out/.runja/work/run_1/out\nRUNJA_ID=run_1\n"
	          "RUNJA_FRAMES=out/.runja/work/run_1/frames.txt\nRUNJA_PARAMS=out/.runja/work/run_1/params.json\n"
	          "RUNJA_NFRAMES=0\n");
	buffree(&b);
	delstrv(v, nenv);
	json_decref(params);
}

int
main(void)
{
	RUN(placeholders);
	RUN(braces);
	RUN(badplaceholders);
	RUN(expandv);
	RUN(args);
	RUN(progname);
	RUN(timeout);
	RUN(verdict);
	RUN(tail);
	RUN(params);
	RUN(json);
	RUN(env);
	return TESTEXIT();
}
