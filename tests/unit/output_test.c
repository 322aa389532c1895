/* tests of common/output.c: a run's files written under temporary names, renamed all at the end */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/output.h"
#include "common/util.h"
#include "tests/test.h"

static char tmpdir[] = "/tmp/runja-output-XXXXXX";

#include "tests/unit/tmptree.h"
static char err[1024];

/* write the text "NAME\n" to tmp, the temporary of NAME */
static void
put(const char *tmp, const char *name)
{
	char *text = xasprintf("%s\n", name);

	if (writefile(tmp, text, strlen(text), err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	free(text);
}

/* make folder tmpdir/name, fresh; returns its path (caller frees) */
static char *
freshdir(const char *name)
{
	char *p = tpath(name);

	if (rmtree(p, err, sizeof(err)) < 0 || mkdirp(p, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	return p;
}

TEST(init)
{
	struct outset o;

	memset(&o, 0xff, sizeof(o));
	outinit(&o);
	EXPECT(o.final == NULL && o.tmp == NULL);
	EXPECTINT(o.n, 0);
	EXPECTINT(o.cap, 0);
	/* an empty set commits nothing and succeeds */
	EXPECTINT(outcommit(&o, err, sizeof(err)), 0);
	delout(&o);
	EXPECTINT(o.n, 0);
}

/* the three files of a run: temporaries beside their real names, which appear only at commit */
TEST(commit)
{
	static const char *const names[] = {"mean.png", "stats.csv", "summary.json"};
	char *dir = freshdir("commit"), *p, *want, *text;
	struct outset o;
	size_t i;

	outinit(&o);
	for (i = 0; i < 3; i++) {
		const char *tmp = outadd(&o, dir, names[i]);

		want = xasprintf("%s/.%s.tmp", dir, names[i]);
		EXPECTSTR(tmp, want);
		p = xasprintf("%s/%s", dir, names[i]);
		EXPECTSTR(o.final[i], p);
		free(p), free(want);
		put(tmp, names[i]);
	}
	EXPECTINT(o.n, 3);
	text = listing(dir);
	EXPECTSTR(text, ".mean.png.tmp .stats.csv.tmp .summary.json.tmp");
	free(text);

	EXPECTINT(outcommit(&o, err, sizeof(err)), 0);
	text = listing(dir);
	EXPECTSTR(text, "mean.png stats.csv summary.json");
	free(text);
	for (i = 0; i < 3; i++) {
		p = xasprintf("%s/%s", dir, names[i]);
		want = xasprintf("%s\n", names[i]);
		text = slurp(p);
		EXPECTSTR(text, want);
		free(p), free(want), free(text);
	}
	/* the set is freed, the files stay */
	delout(&o);
	EXPECT(o.final == NULL && o.tmp == NULL && o.n == 0);
	text = listing(dir);
	EXPECTSTR(text, "mean.png stats.csv summary.json");
	free(text);
	free(dir);
}

/* a commit replaces the previous files of the same names */
TEST(replace)
{
	char *dir = freshdir("replace"), *p = xasprintf("%s/summary.json", dir), *text;
	struct outset o;

	EXPECTINT(writefile(p, "old, and longer than the new\n", 29, err, sizeof(err)), 0);
	outinit(&o);
	put(outadd(&o, dir, "summary.json"), "new");
	text = slurp(p);
	EXPECTSTR(text, "old, and longer than the new\n");
	free(text);
	EXPECTINT(outcommit(&o, err, sizeof(err)), 0);
	text = slurp(p);
	EXPECTSTR(text, "new\n");
	free(text);
	delout(&o);
	free(p), free(dir);
}

/* more files than the first allocation holds, in two folders */
TEST(many)
{
	char *a = freshdir("many/a"), *b = freshdir("many/b"), *name, *text;
	struct outset o;
	size_t i;

	outinit(&o);
	for (i = 0; i < 40; i++) {
		name = xasprintf("f%02zu", i);
		put(outadd(&o, i % 2 ? b : a, name), name);
		free(name);
	}
	EXPECTINT(o.n, 40);
	EXPECT(o.cap >= 40);
	EXPECTINT(outcommit(&o, err, sizeof(err)), 0);
	for (i = 0; i < 40; i++) {
		char *p = xasprintf("%s/f%02zu", i % 2 ? b : a, i), *want = xasprintf("f%02zu\n", i);

		text = slurp(p);
		EXPECTSTR(text, want);
		free(p), free(want), free(text);
	}
	text = listing(a);
	EXPECTINT(strlen(text), 20 * 4 - 1);
	EXPECT(!strchr(text, '.'));
	free(text);
	delout(&o);
	free(a), free(b);
}

/* outabort removes every temporary, written or not, and no real name appears */
TEST(abort)
{
	char *dir = freshdir("abort"), *text;
	struct outset o;

	outinit(&o);
	put(outadd(&o, dir, "mean.png"), "mean.png");
	outadd(&o, dir, "std.png");  /* never written */
	put(outadd(&o, dir, "summary.json"), "summary.json");
	text = listing(dir);
	EXPECTSTR(text, ".mean.png.tmp .summary.json.tmp");
	free(text);
	outabort(&o);
	text = listing(dir);
	EXPECTSTR(text, "");
	free(text);
	delout(&o);
	free(dir);
}

/*
 * A rename that fails (a folder in the way of the second file): -1 with a message
 * naming that file; the files added before it have their real names, the folder in
 * the way is as it was, and those after it, summary.json the last, do not appear.
 */
TEST(renamefails)
{
	char *dir = freshdir("renamefails"), *block = xasprintf("%s/std.png", dir), *p, *want, *text;
	struct outset o;

	p = xasprintf("%s/keep", block);
	EXPECTINT(mkdirp(block, err, sizeof(err)), 0);
	EXPECTINT(writefile(p, "kept\n", 5, err, sizeof(err)), 0);
	outinit(&o);
	put(outadd(&o, dir, "mean.png"), "mean.png");
	put(outadd(&o, dir, "std.png"), "std.png");
	put(outadd(&o, dir, "summary.json"), "summary.json");
	EXPECTINT(outcommit(&o, err, sizeof(err)), -1);
	want = xasprintf("%s: Is a directory", block);
	EXPECTSTR(err, want);
	free(want);
	text = slurp(p);
	EXPECTSTR(text, "kept\n");
	free(text);
	free(p);
	p = xasprintf("%s/mean.png", dir);
	text = slurp(p);
	EXPECTSTR(text, "mean.png\n");
	free(text), free(p);
	/* the temporaries of what was not renamed are removed */
	text = listing(dir);
	EXPECTSTR(text, "mean.png std.png");
	free(text);
	outabort(&o);
	text = listing(dir);
	EXPECTSTR(text, "mean.png std.png");
	free(text);
	delout(&o);
	free(block), free(dir);
}

/* a temporary removed before commit: -1 naming it, nothing renamed; outabort leaves no temporary */
TEST(tmpgone)
{
	char *dir = freshdir("tmpgone"), *want, *text;
	struct outset o;
	const char *gone;

	outinit(&o);
	put(outadd(&o, dir, "mean.png"), "mean.png");
	gone = outadd(&o, dir, "std.png");
	put(gone, "std.png");
	put(outadd(&o, dir, "summary.json"), "summary.json");
	EXPECTINT(unlink(gone), 0);
	EXPECTINT(outcommit(&o, err, sizeof(err)), -1);
	want = xasprintf("%s/.std.png.tmp: No such file or directory", dir);
	EXPECTSTR(err, want);
	free(want);
	EXPECT(!exists(o.final[0]) && !exists(o.final[1]) && !exists(o.final[2]));
	outabort(&o);
	text = listing(dir);
	EXPECTSTR(text, "");
	free(text);
	delout(&o);
	free(dir);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(init);
	RUN(commit);
	RUN(replace);
	RUN(many);
	RUN(abort);
	RUN(renamefails);
	RUN(tmpgone);
	if (rmtree(tmpdir, err, sizeof(err)) < 0)
		printf("FAIL cleanup: %s\n", err);
	return TESTEXIT();
}
