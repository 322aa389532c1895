/* tests of common/progress.c: a run's progress record, its writer and reader, a command's count */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "common/fs.h"
#include "common/inputs.h"
#include "common/progress.h"
#include "common/state.h"
#include "common/util.h"
#include "exec/exec.h"
#include "tests/test.h"

static char tmpdir[] = "/tmp/runja-progress-XXXXXX";

#include "tests/unit/tmptree.h"

/* a record as runja-process writes it, halfway (without its sum line: seal) */
#define HALF "runja-progress 1\nrun 2026-03/run_017\nwhat pipeline\nhost node12\nstart 1700000000.000\n" \
	"since 1700000002.000\ntime 1700000012.000\nevery 1.000\ndone 500\ntotal 1000\nkey 0123456789abcdef\n"
/* a record as runja-exec writes it: not counted by runja (without its sum line) */
#define CMD "runja-progress 1\nrun run_1\nwhat command\nhost h\nstart 1700000000.500\nsince 1700000000.500\n" \
	"time 1700000000.500\nevery 0.000\ndone -\ntotal -\nkey -\n"

/* body with its sum line, as a record ends; caller frees */
static char *
seal(const char *body)
{
	return xasprintf("%ssum %016llx\n", body, (unsigned long long)inputshash(body, strlen(body)));
}

/* body sealed must parse, and print back as want sealed */
static void
roundtrip(const char *body, const char *want)
{
	char err[256] = "", *text = seal(body), *sealed = seal(want);
	struct progress p;
	struct buf b;

	EXPECTINT(progressparse(text, strlen(text), &p, err, sizeof(err)), 0);
	EXPECTSTR(err, "");
	bufinit(&b);
	if (p.id)
		progressfmt(&b, &p);
	EXPECTSTR(b.s, sealed);
	buffree(&b);
	progressfree(&p);
	free(text), free(sealed);
}

/* text must be no record, with the error msg */
static void
refused(const char *text, const char *msg)
{
	struct progress p;
	char err[256] = "";

	EXPECTINT(progressparse(text, strlen(text), &p, err, sizeof(err)), -1);
	EXPECTSTR(err, msg);
	EXPECT(p.id == NULL && p.host == NULL);
}

/* body sealed must be no record, with the error msg */
static void
bad(const char *body, const char *msg)
{
	char *text = seal(body);

	refused(text, msg);
	free(text);
}

TEST(record)
{
	struct progress p;
	char *text;

	roundtrip(HALF, HALF);
	roundtrip(CMD, CMD);
	/* unknown fields are skipped (a later runja's), times get 3 decimals, a run id may hold spaces */
	roundtrip("runja-progress 1\nrun run 1\nwhat command\nhost a b\nstart 12\nsince -\ntime 13.25\n"
	          "later 1\nevery 0.5\ndone 0\ntotal 0\nkey -\n",
	          "runja-progress 1\nrun run 1\nwhat command\nhost a b\nstart 12.000\nsince -\ntime 13.250\n"
	          "every 0.500\ndone 0\ntotal 0\nkey -\n");
	text = seal(HALF);
	EXPECTINT(progressparse(text, strlen(text), &p, NULL, 0), 0);
	free(text);
	EXPECTSTR(p.id, "2026-03/run_017");
	EXPECTSTR(p.host, "node12");
	EXPECT(p.what == PROGRESSPIPELINE);
	EXPECTNEAR(p.start, 1700000000, 1e-6);
	EXPECTNEAR(p.since, 1700000002, 1e-6);
	EXPECTNEAR(p.time, 1700000012, 1e-6);
	EXPECTNEAR(p.every, 1, 0);
	EXPECTINT(p.done, 500);
	EXPECTINT(p.total, 1000);
	EXPECTSTR(p.key, "0123456789abcdef");
	progressfree(&p);
}

TEST(badrecord)
{
	bad("", "not a progress record");
	bad("runja-progress 2\n", "not a progress record");
	bad(HALF "run", "no sum line last (a record being written)");
	bad("runja-progress 1\nrun\n", "a line without a value");
	bad("runja-progress 1\nrun a\n", "no 'what'");
	bad("runja-progress 1\nrun a\nwhat pipeline\nhost h\nstart 1\nsince -\ntime 1\ndone -\ntotal -\nkey -\n",
	    "no 'every'");
	bad("runja-progress 1\nrun /etc\nwhat pipeline\nhost h\nstart 1\nsince -\ntime 1\nevery 0\ndone -\ntotal -\nkey -\n",
	    "'run' must be a run id");
	bad("runja-progress 1\nrun a\x01\nwhat pipeline\nhost h\nstart 1\nsince -\ntime 1\nevery 0\ndone -\ntotal -\nkey -\n",
	    "'run' and 'host' must be text on one line");
	bad("runja-progress 1\nrun a\nwhat make\nhost h\nstart 1\nsince -\ntime 1\nevery 0\ndone -\ntotal -\nkey -\n",
	    "'what' must be pipeline or command");
	bad("runja-progress 1\nrun a\nwhat command\nhost h\nstart 1.\nsince -\ntime 1\nevery 0\ndone -\ntotal -\nkey -\n",
	    "'start', 'since' and 'time' must be seconds since the epoch");
	bad("runja-progress 1\nrun a\nwhat command\nhost h\nstart 1\nsince -\ntime 1e5\nevery 0\ndone -\ntotal -\nkey -\n",
	    "'start', 'since' and 'time' must be seconds since the epoch");
	bad("runja-progress 1\nrun a\nwhat command\nhost h\nstart 100000000000\nsince -\ntime 1\nevery 0\n"
	    "done -\ntotal -\nkey -\n",
	    "'start', 'since' and 'time' must be seconds since the epoch");
	/* 4 decimals could round up to 12 digits when written back (found by fuzz_progress) */
	bad("runja-progress 1\nrun a\nwhat command\nhost h\nstart 1\nsince -\ntime 99999999999.9999\nevery 0\n"
	    "done -\ntotal -\nkey -\n",
	    "'start', 'since' and 'time' must be seconds since the epoch");
	roundtrip("runja-progress 1\nrun a\nwhat command\nhost h\nstart 99999999999.999\nsince 0.5\ntime 0\nevery 3600\n"
	          "done -\ntotal -\nkey -\n",
	          "runja-progress 1\nrun a\nwhat command\nhost h\nstart 99999999999.999\nsince 0.500\ntime 0.000\n"
	          "every 3600.000\ndone -\ntotal -\nkey -\n");
	bad("runja-progress 1\nrun a\nwhat command\nhost h\nstart 1\nsince -\ntime 1\nevery 3601\ndone -\ntotal -\nkey -\n",
	    "'every' must be seconds, at most 3600");
	bad("runja-progress 1\nrun a\nwhat command\nhost h\nstart 1\nsince -\ntime 1\nevery 0\ndone 3\ntotal -\nkey -\n",
	    "'done' and 'total' are both counts or both '-'");
	bad("runja-progress 1\nrun a\nwhat command\nhost h\nstart 1\nsince -\ntime 1\nevery 0\ndone 4\ntotal 3\nkey -\n",
	    "'done' and 'total' must be counts, done <= total");
	bad("runja-progress 1\nrun a\nwhat command\nhost h\nstart 1\nsince -\ntime 1\nevery 0\ndone -1\ntotal 3\nkey -\n",
	    "'done' and 'total' must be counts, done <= total");
	bad("runja-progress 1\nrun a\nwhat command\nhost h\nstart 1\nsince -\ntime 1\nevery 0\ndone -\ntotal -\n"
	    "key ABCDEF0123456789\n",
	    "'key' must be 16 hex digits or '-'");
}

/* a record read while it is rewritten in place: its sum line is not last, or does not match */
TEST(sum)
{
	char *half = seal(HALF), *cmd = seal(CMD), *text;
	size_t lh = strlen(half), lc = strlen(cmd);

	refused("", "no sum line last (a record being written)");
	refused(HALF, "no sum line last (a record being written)");
	/* cut short, or the new text over the longer old one, not truncated yet */
	text = xasprintf("%.*s", (int)(lh - 1), half);
	refused(text, "no sum line last (a record being written)");
	free(text);
	EXPECT(lh > lc);
	text = xasprintf("%s%s", cmd, half + lc);
	refused(text, "its sum does not match (a record being written)");
	free(text);
	/* half of the new text over the old */
	text = xstrdup(half);
	memcpy(text, cmd, 60);
	refused(text, "its sum does not match (a record being written)");
	free(text);
	refused("sum 0000000000000000\n", "its sum does not match (a record being written)");
	text = seal("");
	refused(text, "not a progress record");
	free(text);
	free(half), free(cmd);
}

/* the count progressuser finds in text ("none" when it finds none), as "DONE TOTAL" */
static char *
user(const char *text, bool partial)
{
	long long done, total;

	if (!progressuser(text, strlen(text), partial, &done, &total))
		return xstrdup("none");
	return xasprintf("%lld %lld", done, total);
}

/* user(text, partial) must be want */
#define USER(text, partial, want) do { char *u_ = user(text, partial); EXPECTSTR(u_, want); free(u_); } while (0)

TEST(usercount)
{
	USER("", false, "none");
	USER("3 10\n", false, "3 10");
	USER("1 10\n2 10\n3 10\n", false, "3 10");
	/* a last line not ended yet is being written */
	USER("1 10\n2 10\n3 1", false, "2 10");
	/* lines that are no count are passed over; spaces, tabs and a CR are fine */
	USER("1 10\n  2\t10 \r\nhello\n11 10\n5 0\n-1 4\n3\n\n", false, "2 10");
	USER("0 1\n", false, "0 1");
	USER("1 1\n", false, "1 1");
	USER("1000000000000000000 1000000000000000000\n", false, "none");
	USER("999999999999999999 999999999999999999\n", false, "999999999999999999 999999999999999999");
	/* the end of a longer file: its first line is cut, whatever it looks like */
	USER("5 10\n", true, "none");
	USER("5 10\n6 10\n", true, "6 10");
	USER("0 10\n7 10", true, "none");
	{
		/* a line with a NUL byte is no count */
		static const char nul[] = "4 10\n5 10\0\n";
		long long done = 0, total = 0;

		EXPECT(progressuser(nul, sizeof(nul) - 1, false, &done, &total));
		EXPECTINT(done, 4);
		EXPECTINT(total, 10);
	}
}

/* the record of run id under state, or "(unreadable)"; caller frees */
static char *
recordof(const char *state, const char *id)
{
	char *path = statein(state, STATEPROGRESS, id), *text = slurp(path);

	free(path);
	return text;
}

TEST(writer)
{
	char *state = tpath("w/.runja"), *text, *path = statein(state, STATEPROGRESS, "run_1");
	struct progressout *w;
	struct progress p;

	/* no state folder: nothing */
	EXPECT(mkprogressout(NULL, "run_1", PROGRESSPIPELINE, NULL, 0) == NULL);
	EXPECT(mkprogressout(state, "run_1", PROGRESSPIPELINE, NULL, 0) == NULL);
	progresstick(NULL, 1), progresscount(NULL, 1), delprogressout(NULL);
	EXPECTINT(mkdirp(state, NULL, 0), 0);
	EXPECT(mkprogressout(state, "run\n1", PROGRESSPIPELINE, NULL, 0) == NULL);
	setenv("RUNJA_PROGRESS_EVERY", "0", 1);
	w = mkprogressout(state, "run_1", PROGRESSPIPELINE, "0123456789abcdef", 1700000000);
	EXPECT(w != NULL);
	/* named as the run's lock is: a flat folder */
	text = statein(state, STATELOCK, "run_1");
	EXPECTSTR(basepart(path), basepart(text));
	free(text);
	text = recordof(state, "run_1");
	EXPECTINT(progressparse(text, strlen(text), &p, NULL, 0), 0);
	EXPECTINT(p.done, -1);
	EXPECTNEAR(p.since, 1700000000, 1e-6);
	progressfree(&p), free(text);
	/* counting is written by the next tick */
	progresscount(w, 40);
	progresstick(w, 17);
	text = recordof(state, "run_1");
	EXPECTINT(progressparse(text, strlen(text), &p, NULL, 0), 0);
	EXPECTINT(p.done, 17);
	EXPECTINT(p.total, 40);
	EXPECTSTR(p.key, "0123456789abcdef");
	EXPECT(p.since > 1700000000 && p.time >= p.since);
	progressfree(&p), free(text);
	/* no more than the total; and with a second between writes the next tick writes nothing */
	progresstick(w, 41);
	unsetenv("RUNJA_PROGRESS_EVERY");
	delprogressout(w);
	EXPECT(!exists(path));
	w = mkprogressout(state, "run_1", PROGRESSPIPELINE, NULL, 1700000000);
	progresscount(w, 40);
	progresstick(w, 3);
	text = recordof(state, "run_1");
	EXPECT(strstr(text, "\ndone -\ntotal -\n") != NULL);
	free(text);
	delprogressout(w);
	/* a command's count beside its record, and both gone */
	text = progressfile(state, "run_1");
	EXPECT(strncmp(text, path, strlen(path)) == 0);
	EXPECTSTR(text + strlen(path), ".command");
	EXPECTINT(writefile(text, "1 2\n", 4, NULL, 0), 0);
	EXPECTINT(writefile(path, "x", 1, NULL, 0), 0);
	progressgone(state, "run_1");
	EXPECT(!exists(text) && !exists(path));
	free(text), free(state), free(path);
}

/* write the record body sealed for run id under outdir's state */
static void
putrecord(const char *outdir, const char *id, const char *body)
{
	char *path = statepath(outdir, STATEPROGRESS, id), *dir = dirpart(path), *text = seal(body);

	EXPECTINT(mkdirp(dir, NULL, 0), 0);
	EXPECTINT(writefile(path, text, strlen(text), NULL, 0), 0);
	free(path), free(dir), free(text);
}

TEST(load)
{
	char *out = tpath("l"), *state = statepath(out, STATEDIR, NULL), *cnt, *other, *dst, *dir, *text;
	struct progress *v;
	bool busy;
	size_t n;
	int fd1, fd2, fd3;

	/* no folder: none */
	v = progressload(out, &n);
	EXPECTINT(n, 0);
	delprogresses(v, n);
	putrecord(out, "2026-03/run_017", HALF);
	putrecord(out, "run_1", CMD);
	/* no lock held: records a killed attempt left, no run under way */
	v = progressload(out, &n);
	EXPECTINT(n, 0);
	delprogresses(v, n);
	EXPECT(!statelockheld(state, "run_1"));
	fd1 = statelock(state, "run_1", &busy, NULL, 0);
	fd2 = statelock(state, "2026-03/run_017", &busy, NULL, 0);
	EXPECT(fd1 >= 0 && fd2 >= 0 && !busy);
	EXPECT(statelockheld(state, "run_1"));
	/* the command's own count, its time the file's */
	cnt = progressfile(state, "run_1");
	EXPECTINT(writefile(cnt, "2 8\n3 8\n", 8, NULL, 0), 0);
	/* run_017's record under run_9's name, a hidden file, a record being written (run_2, locked too) are passed over */
	other = statepath(out, STATEPROGRESS, "2026-03/run_017");
	text = seal(HALF);
	dst = statepath(out, STATEPROGRESS, "run_9");
	EXPECTINT(writefile(dst, text, strlen(text), NULL, 0), 0);
	free(dst);
	dir = dirpart(other);
	dst = xasprintf("%s/.%s.tmp", dir, basepart(other));
	EXPECTINT(writefile(dst, text, strlen(text), NULL, 0), 0);
	free(dst), free(dir);
	dst = statepath(out, STATEPROGRESS, "run_2");
	EXPECTINT(writefile(dst, HALF, strlen(HALF), NULL, 0), 0);
	fd3 = statelock(state, "run_2", &busy, NULL, 0);
	v = progressload(out, &n);
	EXPECTINT(n, 2);
	if (n == 2) {
		EXPECTSTR(v[0].id, "2026-03/run_017");
		EXPECTINT(v[0].done, 500);
		EXPECTSTR(v[1].id, "run_1");
		EXPECTINT(v[1].done, 3);
		EXPECTINT(v[1].total, 8);
		EXPECTNEAR(v[1].time * 1e9, (double)fsmtime(cnt), 1e3);
		EXPECT(progressfind(v, n, "run_1") == &v[1]);
		EXPECT(progressfind(v, n, "run_2") == NULL);
	}
	delprogresses(v, n);
	close(fd2);
	v = progressload(out, &n);
	EXPECTINT(n, 1);
	delprogresses(v, n);
	close(fd1), close(fd3);
	free(out), free(state), free(cnt), free(other), free(dst), free(text);
}

/* text (len bytes) refused, or written back in a form that reads back the same */
static void
contract(const char *text, size_t len)
{
	struct progress p, q;
	struct buf out, again;

	bufinit(&out), bufinit(&again);
	if (progressparse(text, len, &p, NULL, 0) == 0) {
		progressfmt(&out, &p);
		EXPECTINT(progressparse(out.s, out.len, &q, NULL, 0), 0);
		if (q.id)
			progressfmt(&again, &q);
		EXPECTSTR(again.s, out.s);
		progressfree(&p), progressfree(&q);
	}
	buffree(&out), buffree(&again);
}

/* the fuzzer's findings in tests/regress/progress/, as they are and sealed: the contract holds */
TEST(regress)
{
	const char *dir = "tests/regress/progress";
	char **names, *path;
	struct buf b;
	size_t n, i;

	if (listtree(dir, &names, &n, NULL, 0) < 0 || n == 0) {
		printf("  %s: nothing found (run from the top of the tree)\n", dir);
		testfailed = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		path = xasprintf("%s/%s", dir, names[i]);
		EXPECTINT(readfile(path, &b, NULL, 0), 0);
		contract(b.s, b.len);
		bufprintf(&b, "sum %016llx\n", (unsigned long long)inputshash(b.s, b.len));
		contract(b.s, b.len);
		buffree(&b);
		free(path);
	}
	delstrv(names, n);
}

TEST(env)
{
	struct placeholders p = {.run = "r", .out = "o", .id = "i", .frames = "f", .params = "p",
	                         .progress = "out/.runja/progress/0123456789abcdef.command"};
	char *in[] = {"RUNJA_PROGRESS=inherited", "HOME=/h", NULL};
	json_t *params = json_object();
	size_t nenv, i, found = 0;
	char **v = execenv(in, &p, 3, params, &nenv);

	for (i = 0; i < nenv; i++)
		if (strncmp(v[i], "RUNJA_PROGRESS=", 15) == 0) {
			EXPECTSTR(v[i], "RUNJA_PROGRESS=out/.runja/progress/0123456789abcdef.command");
			found++;
		}
	EXPECTINT(found, 1);
	delstrv(v, nenv);
	/* none given: none, not even an inherited one */
	p.progress = NULL;
	v = execenv(in, &p, 3, params, &nenv);
	for (i = found = 0; i < nenv; i++)
		found += strncmp(v[i], "RUNJA_PROGRESS", 14) == 0;
	EXPECTINT(found, 0);
	delstrv(v, nenv);
	json_decref(params);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(record);
	RUN(badrecord);
	RUN(sum);
	RUN(usercount);
	RUN(writer);
	RUN(load);
	RUN(env);
	RUN(regress);
	EXPECTINT(rmtree(tmpdir, NULL, 0), 0);
	EXPECT(!exists(tmpdir));
	return TESTEXIT();
}
