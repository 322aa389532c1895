/* tests of common/state.c: the layout of OUT/.runja, run states, failure records, the ledger, the end of a log */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/state.h"
#include "common/util.h"
#include "tests/test.h"

/* the temporary folder of this run, from mkdtemp */
static char tmpdir[] = "/tmp/runja-state-XXXXXX";

/* a complete ledger line of run id, seconds sec and error text (no line break), as written before the parameters key */
#define LINE(id, sec, error) id "\t2026-03-01T10:00:00Z\t" sec "\t2048\thost-1\t0\t0.1\t-\t" error
/* ... and with the parameters key key */
#define KEYED(id, sec, error, key) LINE(id, sec, error) "\t" key
/* a line of run id, peak RSS rss KiB, status st and parameters key key */
#define PEAK(id, rss, st, key) id "\t2026-03-01T10:00:00Z\t1.000\t" rss "\thost-1\t" st "\t0.1\t-\t\t" key "\n"

/* path must be want; frees path */
static void
expectpath(char *path, const char *want)
{
	EXPECTSTR(path, want);
	free(path);
}

TEST(paths)
{
	expectpath(statepath("out", STATEDIR, NULL), "out/.runja");
	expectpath(statepath("out", STATERUNS, NULL), "out/.runja/runs");
	expectpath(statepath("out", STATEWAITING, NULL), "out/.runja/waiting");
	expectpath(statepath("out", STATERECHECK, NULL), "out/.runja/recheck");
	expectpath(statepath("out", STATELEDGER, NULL), "out/.runja/ledger.tsv");
	expectpath(statepath("out", STATEFAILED, "2026-03/run_017"), "out/.runja/failed/2026-03/run_017");
	expectpath(statepath("out", STATEFAILERROR, "run_1"), "out/.runja/failed/run_1/error.txt");
	expectpath(statepath("out", STATEFAILLOG, "run_1"), "out/.runja/failed/run_1/runja.log");
	expectpath(statepath("/data/out", STATEWORK, "run_1"), "/data/out/.runja/work/run_1");
	expectpath(statepath("out", STATEALIAS, NULL), "out/.runja/alias");
	expectpath(statepath("out", STATETHUMBS, "run_1"), "out/.runja/thumbs/run_1");
	expectpath(statepath("out", STATETHUMBS, NULL), "out/.runja/thumbs");
	expectpath(statepath("out", STATEWARM, NULL), "out/.runja/warm");
	/* relative to OUT: the report's links */
	expectpath(statepath(NULL, STATETHUMBS, NULL), ".runja/thumbs");
	expectpath(statepath(NULL, STATEDIR, NULL), ".runja");
	/* under STATE itself, as runja-exec gets it */
	expectpath(statein("o/.runja", STATEDIR, NULL), "o/.runja");
	expectpath(statein("o/.runja", STATEWORK, "a b"), "o/.runja/work/a b");
	expectpath(statein("o/.runja", STATELEDGER, NULL), "o/.runja/ledger.tsv");
	/* beside a run's results */
	EXPECTSTR(staterecordname(STATEERROR), "error.txt");
	EXPECTSTR(staterecordname(STATELOG), "runja.log");
	EXPECTSTR(staterecordname(STATEDEP), ".runja.d");
	EXPECTSTR(staterecordname(STATESTAMP), ".runja.done");
	expectpath(staterecord("out/run_1", NULL, STATEDEP), "out/run_1/.runja.d");
	expectpath(staterecord("out", "2026-03/run_017", STATEDEP), "out/2026-03/run_017/.runja.d");
	expectpath(staterecord("out/run_1/command", NULL, STATESTAMP), "out/run_1/command/.runja.done");
	/* the failure records: the pipeline's in the results, a command's in the state folder */
	expectpath(statefailure("out", "run_1", false), "out/run_1/error.txt");
	expectpath(statefailure("out", "run_1", true), "out/.runja/failed/run_1/error.txt");
	EXPECTSTR(STATEBUILD, ".runja");
}

TEST(runnames)
{
	static const char *const want[NRUNSTATES] = {"new", "waiting", "done", "failed", "stale"};
	int s;

	EXPECTSTR(staterunname(RUNNEW), "new");
	EXPECTSTR(staterunname(RUNWAITING), "waiting");
	EXPECTSTR(staterunname(RUNDONE), "done");
	EXPECTSTR(staterunname(RUNFAILED), "failed");
	EXPECTSTR(staterunname(RUNSTALE), "stale");
	/* every state has a name that fits --status's column */
	for (s = 0; s < NRUNSTATES; s++) {
		EXPECTSTR(staterunname((enum runstate)s), want[s]);
		EXPECT(strlen(staterunname((enum runstate)s)) <= 7);
	}
}

/* the failure record at path must read as want (NULL: there is none) */
static void
expectrecord(const char *path, const char *want)
{
	char *line = statefailread(path);

	if (want)
		EXPECTSTR(line, want);
	else
		EXPECT(line == NULL);
	free(line);
}

TEST(failure)
{
	char *dir = xasprintf("%s/out/run_1", tmpdir), *path = staterecord(dir, NULL, STATEERROR), *want;
	char err[512] = "";

	EXPECTINT(mkdirp(dir, err, sizeof(err)), 0);
	expectrecord(path, NULL);
	EXPECTINT(statefailwrite(dir, "run_1/img_2.png: truncated", err, sizeof(err)), 0);
	expectrecord(path, "run_1/img_2.png: truncated");
	/* the first line only; an empty record is an empty line */
	EXPECTINT(writefile(path, "first\nsecond\n", 13, err, sizeof(err)), 0);
	expectrecord(path, "first");
	EXPECTINT(writefile(path, "", 0, err, sizeof(err)), 0);
	expectrecord(path, "");
	/* one that cannot be read says why */
	unlink(path);
	EXPECTINT(mkdirp(path, err, sizeof(err)), 0);
	want = xasprintf("%s: Is a directory", path);
	expectrecord(path, want);
	free(want);
	rmdir(path);
	/* no folder to write into */
	EXPECTINT(statefailwrite(path, "x", err, sizeof(err)), -1);
	free(dir), free(path);
}

/* the ledger of the string text */
static struct ledger *
ledgerof(const char *text)
{
	return mkledger(text, strlen(text));
}

TEST(ledgerline)
{
	struct ledger *l = ledgerof(LINE("run_000", "12.345", "run_000: a.py exited with status 3") "\n"
	                            LINE("2026-03/run_001", "0.040", "") "\n"
	                            KEYED("run_002", "1.500", "", "0123456789abcdef") "\n"
	                            KEYED("run_003", "2.500", "run_003: failed", "-") "\n");
	const struct ledgerentry *e = ledgerlast(l, "run_000");

	EXPECTINT(ledgernruns(l), 4);
	EXPECT(e != NULL);
	if (e) {
		EXPECTSTR(e->id, "run_000");
		EXPECTSTR(e->when, "2026-03-01T10:00:00Z");
		EXPECTNEAR(e->seconds, 12.345, 0);
		EXPECTINT(e->maxrss, 2048);
		EXPECTSTR(e->host, "host-1");
		EXPECTSTR(e->status, "0");
		EXPECTSTR(e->version, "0.1");
		EXPECTSTR(e->job, "-");
		EXPECTSTR(e->error, "run_000: a.py exited with status 3");
		/* a line written before keys has none */
		EXPECT(e->key == NULL);
	}
	/* the tenth field, the parameters key; "-" for none */
	e = ledgerlast(l, "run_002");
	EXPECT(e && e->seconds == 1.5 && strcmp(e->error, "") == 0 && e->key && strcmp(e->key, "0123456789abcdef") == 0);
	e = ledgerlast(l, "run_003");
	EXPECT(e && e->seconds == 2.5 && strcmp(e->error, "run_003: failed") == 0 && e->key == NULL);
	/* an empty error is a complete line */
	e = ledgerlast(l, "2026-03/run_001");
	EXPECT(e != NULL);
	if (e)
		EXPECTSTR(e->error, "");
	EXPECT(ledgerlast(l, "run_00") == NULL);
	EXPECT(ledgerlast(l, "run_0000") == NULL);
	delledger(l);
	l = ledgerof("");
	EXPECTINT(ledgernruns(l), 0);
	EXPECT(ledgerlast(l, "run_000") == NULL);
	delledger(l);
	delledger(NULL);
}

/* cut line full (a line of nine fields, or ten with a key) after before at every place, with and without a line break */
static void
cutevery(const char *before, const char *full, bool keyed)
{
	const char *lastab = strrchr(full, '\t');
	/* where the error begins, and where the key's tab is (a nine-field line ends after its error) */
	size_t errstart, keytab = keyed ? (size_t)(lastab - full) : strlen(full) - 1, cut;
	char *text;

	if (keyed) {
		const char *p = lastab - 1;

		while (*p != '\t')
			p--;
		errstart = (size_t)(p + 1 - full);
	} else {
		errstart = (size_t)(lastab + 1 - full);
	}
	for (cut = 0; cut < strlen(full) - 1; cut++) {
		int nl;

		for (nl = 0; nl < 2; nl++) {
			struct ledger *l;
			const struct ledgerentry *e;

			text = xasprintf("%s%.*s%s", before, (int)cut, full, nl ? "\n" : "");
			l = ledgerof(text);
			e = ledgerlast(l, "run_001");
			/* cut inside the error or just before the key, a line break after it: a complete line of nine fields */
			if (nl && cut >= errstart && cut <= keytab) {
				EXPECT(e && e->seconds == 9 && e->key == NULL);
			} else if (!e || e->seconds != 1.25) {
				printf("  %s line cut at %zu%s\n", keyed ? "keyed" : "old", cut, nl ? " and a line break" : "");
				EXPECT(e && e->seconds == 1.25);
			}
			delledger(l);
			free(text);
		}
	}
}

TEST(ledgercut)
{
	/* a line cut anywhere (a full disk), with or without a line break after it: the one before wins */
	cutevery(LINE("run_001", "1.250", "") "\n", LINE("run_001", "9.000", "run_001: killed") "\n", false);
	cutevery(KEYED("run_001", "1.250", "", "00000000000000aa") "\n",
	         KEYED("run_001", "9.000", "run_001: killed", "0123456789abcdef") "\n", true);
}

TEST(ledgergarbage)
{
	static const char *const bad[] = {
		"garbage\n",
		"\n",
		"\t\t\t\t\t\t\t\t\n",                                            /* nine empty fields */
		LINE("", "1.000", "") "\n",                                         /* no run */
		LINE("run_000", "long", "") "\n",                                   /* seconds no number */
		LINE("run_000", "", "") "\n",
		LINE("run_000", "-1", "") "\n",
		LINE("run_000", "inf", "") "\n",
		LINE("run_000", "nan", "") "\n",
		LINE("run_000", "1.5s", "") "\n",
		"run_000\tx\t1.000\t-5\thost\t0\t0.1\t-\t\n",                         /* negative peak */
		"run_000\tx\t1.000\t12k\thost\t0\t0.1\t-\t\n",
		"run_000\tx\t1.000\t99999999999999999999999\thost\t0\t0.1\t-\t\n",
		LINE("run_000", "1.000", "an error\twith a tab") "\n",              /* ten fields, the last no key */
		KEYED("run_000", "1.000", "", "0123456789abcde") "\n",             /* keys of 15 and 17 digits */
		KEYED("run_000", "1.000", "", "0123456789abcdef0") "\n",
		KEYED("run_000", "1.000", "", "0123456789ABCDEF") "\n",            /* not as written */
		KEYED("run_000", "1.000", "", "0123456789abcdeg") "\n",
		KEYED("run_000", "1.000", "", "") "\n",
		KEYED("run_000", "1.000", "", "0123456789abcdef\t") "\n",          /* eleven fields */
		KEYED("run_000", "1.000", "", "0123456789abcdef\t-") "\n",
		/* a line cut short that ran into the next attempt's */
		"run_000\t2026-03-01T10:00:00Z\t1.0" LINE("run_000", "2.000", "") "\n",
		"run_000\t2026-03-01T10:00:00Z\t1.0" KEYED("run_000", "2.000", "", "0123456789abcdef") "\n",
		"run_000\t2026-03-01T10:00:00Z\t" KEYED("run_000", "2.000", "", "0123456789abcdef") "\n",
		"run_000\t2026-03-01T10:00:00" LINE("run_000", "2.000", "") "\n",  /* ten fields, seconds no number */
		"run_000\t2026-03-01T10:00:00" KEYED("run_000", "2.000", "", "0123456789abcdef") "\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ledger *l = ledgerof(bad[i]);

		if (ledgernruns(l) != 0) {
			printf("  bad line %zu taken\n", i);
			EXPECTINT(ledgernruns(l), 0);
		}
		delledger(l);
	}
	/* a NUL byte inside a line */
	{
		static const char text[] = "run_000\t2026\t1.000\t10\th\0st\t0\t0.1\t-\t\n";
		struct ledger *l = mkledger(text, sizeof(text) - 1);

		EXPECTINT(ledgernruns(l), 0);
		delledger(l);
	}
	/* garbage between attempts does not hide them */
	{
		struct ledger *l = ledgerof(LINE("run_000", "3.000", "x") "\n" "garbage\n" "cut short"
		                            "\n" LINE("run_001", "4.000", "") "\n" "\x01\x02\n");

		EXPECTINT(ledgernruns(l), 2);
		EXPECT(ledgerlast(l, "run_000") && ledgerlast(l, "run_000")->seconds == 3);
		EXPECT(ledgerlast(l, "run_001") && ledgerlast(l, "run_001")->seconds == 4);
		delledger(l);
	}
}

TEST(ledgerlast)
{
	const char *text = LINE("run_000", "3.000", "run_000: a.py exited with status 3") "\n"
	                   LINE("run_001", "1.250", "") "\n"
	                   LINE("run_000", "12.345", "") "\n"
	                   LINE("run_10", "5.000", "") "\n"
	                   LINE("run_9", "6.000", "") "\n"
	                   LINE("run_000", "0.500", "later") "\n";
	struct ledger *l = ledgerof(text);
	const struct ledgerentry *e;

	/* the last line of a run wins, whatever the order of the ids */
	EXPECTINT(ledgernruns(l), 4);
	e = ledgerlast(l, "run_000");
	EXPECT(e && e->seconds == 0.5 && strcmp(e->error, "later") == 0);
	EXPECT((e = ledgerlast(l, "run_001")) && e->seconds == 1.25);
	EXPECT((e = ledgerlast(l, "run_10")) && e->seconds == 5);
	EXPECT((e = ledgerlast(l, "run_9")) && e->seconds == 6);
	delledger(l);
}

TEST(ledgerpeak)
{
	const char *a = "00000000000000aa", *b = "00000000000000bb";
	const char *text = PEAK("run_000", "100", "0", "00000000000000aa")
	                   PEAK("run_000", "900", "0", "00000000000000bb")
	                   PEAK("run_001", "700", "0", "00000000000000aa")
	                   PEAK("run_000", "300", "0", "00000000000000aa")
	                   PEAK("run_000", "5000", "1", "00000000000000aa")
	                   PEAK("run_000", "6000", "SIGKILL", "00000000000000aa")
	                   PEAK("run_000", "7000", "0", "-")
	                   LINE("run_000", "1.000", "") "\n"
	                   PEAK("run_000", "200", "0", "00000000000000aa")
	                   PEAK("run_9", "50", "0", "00000000000000aa")
	                   PEAK("run_10", "60", "0", "00000000000000aa");
	struct ledger *l = ledgerof(text);

	/* the largest of the run's successes with the key: not another key's, another run's, a failure's, a keyless line's */
	EXPECTINT(ledgerpeak(l, "run_000", a, 5), 300);
	EXPECTINT(ledgerpeak(l, "run_000", b, 5), 900);
	EXPECTINT(ledgerpeak(l, "run_001", a, 5), 700);
	/* only the last recent of them */
	EXPECTINT(ledgerpeak(l, "run_000", a, 1), 200);
	EXPECTINT(ledgerpeak(l, "run_000", a, 2), 300);
	EXPECTINT(ledgerpeak(l, "run_000", a, 0), -1);
	/* none: no such run, no such key, an empty ledger; natural order of the runs */
	EXPECTINT(ledgerpeak(l, "run_002", a, 5), -1);
	EXPECTINT(ledgerpeak(l, "run_001", b, 5), -1);
	EXPECTINT(ledgerpeak(l, "run_9", a, 5), 50);
	EXPECTINT(ledgerpeak(l, "run_10", a, 5), 60);
	/* the last attempt is still the last line, keys or not */
	EXPECT(ledgerlast(l, "run_000") && ledgerlast(l, "run_000")->maxrss == 200);
	EXPECTINT(ledgernruns(l), 4);
	delledger(l);
	l = ledgerof("");
	EXPECTINT(ledgerpeak(l, "run_000", a, 5), -1);
	delledger(l);
}

TEST(ledgerlong)
{
	size_t n = 200000;
	char *error = xmalloc(n + 1), *text;
	struct ledger *l;
	const struct ledgerentry *e;

	memset(error, 'e', n);
	error[n] = '\0';
	text = xasprintf(LINE("run_000", "1.000", "%s") "\n", error);
	l = ledgerof(text);
	e = ledgerlast(l, "run_000");
	EXPECT(e && strlen(e->error) == n);
	delledger(l);
	free(text), free(error);
}

TEST(ledgerwrite)
{
	char *out = xasprintf("%s/out", tmpdir), *state = statepath(out, STATEDIR, NULL);
	char *path = statein(state, STATELEDGER, NULL), *none = xasprintf("%s/none", tmpdir), err[512];
	struct attempt a = {.id = "run\t1", .start = 1772359200, .seconds = 1.5, .maxrss = 4096, .status = 3,
	                    .error = "line one\nline\ttwo\r", .key = "00000000deadbeef"};
	struct attempt k = {.id = "run_2", .start = 1772359260, .seconds = 0.25, .maxrss = 10, .signal = 9};
	struct timespec t0;
	struct ledger *l;
	const struct ledgerentry *e;
	struct buf b;

	unsetenv("SLURM_JOB_ID");
	EXPECTINT(mkdirp(state, err, sizeof(err)), 0);
	unlink(path);
	EXPECTINT(ledgerappend(path, &a, err, sizeof(err)), 0);
	EXPECTINT(ledgerappend(path, &k, err, sizeof(err)), 0);
	EXPECTINT(readfile(path, &b, err, sizeof(err)), 0);
	EXPECT(b.len > 0 && b.s[b.len - 1] == '\n');
	buffree(&b);
	/* what is written reads back, a field's tabs and line breaks made spaces */
	l = ledgerload(out);
	EXPECTINT(ledgernruns(l), 2);
	e = ledgerlast(l, "run 1");
	EXPECT(e != NULL);
	if (e) {
		EXPECTSTR(e->when, "2026-03-01T10:00:00Z");
		EXPECTNEAR(e->seconds, 1.5, 0);
		EXPECTINT(e->maxrss, 4096);
		EXPECTSTR(e->status, "3");
		EXPECTSTR(e->version, RUNJA_VERSION);
		EXPECTSTR(e->job, "-");
		EXPECTSTR(e->error, "line one line two ");
		EXPECTSTR(e->key, "00000000deadbeef");
	}
	/* no key: "-", read back as none */
	e = ledgerlast(l, "run_2");
	EXPECT(e && strcmp(e->status, "SIGKILL") == 0 && strcmp(e->error, "") == 0 && e->key == NULL);
	delledger(l);
	/* recorded only where the state folder is */
	clock_gettime(CLOCK_REALTIME, &t0);
	a.id = "run_3";
	ledgerrecord(state, &t0, &a);
	EXPECT(a.seconds >= 0 && a.seconds < 60);
	a.id = "run_4";
	ledgerrecord(NULL, &t0, &a);
	free(state);
	state = statepath(none, STATEDIR, NULL);
	ledgerrecord(state, &t0, &a);
	EXPECT(!exists(state));
	l = ledgerload(out);
	EXPECTINT(ledgernruns(l), 3);
	EXPECT(ledgerlast(l, "run_3") != NULL);
	delledger(l);
	/* a ledger that is not there is empty */
	l = ledgerload(none);
	EXPECTINT(ledgernruns(l), 0);
	delledger(l);
	/* no folder to write into */
	free(path);
	path = statein(state, STATELEDGER, NULL);
	EXPECTINT(ledgerappend(path, &a, err, sizeof(err)), -1);
	EXPECT(strncmp(err, path, strlen(path)) == 0);
	free(out), free(state), free(path), free(none);
}

/* the lines statetail finds in text (max of them; through statetailalloc), "|" between them, "~" first when the first is cut */
static char *
tail(const char *text, int partial, size_t max)
{
	struct logline *lines;
	struct buf b;
	size_t n, i;
	bool cut;

	lines = statetailalloc(text, strlen(text), partial, max, &n, &cut);
	bufinit(&b);
	if (cut)
		bufputc(&b, '~');
	for (i = 0; i < n; i++) {
		if (i)
			bufputc(&b, '|');
		bufadd(&b, lines[i].s, lines[i].len);
	}
	free(lines);
	return b.s;
}

TEST(logtail)
{
	static const struct { const char *text; int partial; size_t max; const char *want; } cases[] = {
		{"", 0, 5, ""},
		{"\n", 0, 5, ""},
		{"\n\n\r\n", 0, 5, ""},
		/* without a line break at the end */
		{"one", 0, 5, "one"},
		{"one\n", 0, 5, "one"},
		{"a\nb\n", 0, 5, "a|b"},
		/* more lines than asked: the last ones */
		{"a\nb\nc\nd\ne\nf\ng\n", 0, 5, "c|d|e|f|g"},
		{"1\n2\n3", 0, 2, "2|3"},
		{"1\n2\n3\n", 0, 3, "1|2|3"},
		{"1\n2\n3\n", 0, 0, ""},
		/* blank lines inside count, blank lines at the end do not */
		{"a\n\nb\n\n\n", 0, 5, "a||b"},
		{"a\n\nb\n", 0, 2, "|b"},
		/* CRLF line ends; a progress bar's carriage returns stay in its line */
		{"x\r\ny\r\n", 0, 5, "x|y"},
		{"10%\r50%\r100%\r\ndone\r\n", 0, 5, "10%\r50%\r100%|done"},
		/* read from inside the log: the first line found may begin before the text */
		{"tail of a line\nb", 1, 5, "~tail of a line|b"},
		{"x\na\nb", 1, 2, "a|b"},
		{"x\na\nb", 0, 5, "x|a|b"},
		{"cut\n", 1, 5, "~cut"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = tail(cases[i].text, cases[i].partial, cases[i].max);

		if (strcmp(s, cases[i].want) != 0)
			printf("  case %zu:\n", i);
		EXPECTSTR(s, cases[i].want);
		free(s);
	}
}

/* stateplain of the string line must be want */
static void
expectplain(const char *line, const char *want)
{
	struct logline l = {line, strlen(line)};
	struct buf b;

	bufinit(&b);
	stateplain(&b, &l);
	EXPECTSTR(b.s, want);
	buffree(&b);
}

TEST(logplain)
{
	expectplain("", "");
	expectplain("plain text", "plain text");
	/* a progress bar: what its last carriage return leaves */
	expectplain("10%\r50%\r100%", "100%");
	expectplain("10%\r", "");
	/* terminal colours dropped, other control bytes U+FFFD, tabs kept */
	expectplain("\x1b[1;31merror\x1b[0m:\tbad\x07 \x1b[", "error:\tbad\xef\xbf\xbd ");
	expectplain("a\x1b" "b\x7f", "a\xef\xbf\xbd" "b\xef\xbf\xbd");
	expectplain("caf\xc3\xa9", "caf\xc3\xa9");
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(paths);
	RUN(runnames);
	RUN(failure);
	RUN(ledgerline);
	RUN(ledgercut);
	RUN(ledgergarbage);
	RUN(ledgerlast);
	RUN(ledgerpeak);
	RUN(ledgerlong);
	RUN(ledgerwrite);
	RUN(logtail);
	RUN(logplain);
	EXPECTINT(rmtree(tmpdir, NULL, 0), 0);
	EXPECT(!exists(tmpdir));
	return TESTEXIT();
}
