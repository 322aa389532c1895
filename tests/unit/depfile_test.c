/* tests of common/depfile.c: a run's depfile for ninja and for GNU make, on a temporary folder */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/depfile.h"
#include "common/fs.h"
#include "common/util.h"
#include "tests/test.h"

static char tmpdir[] = "/tmp/runja-depfile-XXXXXX";

#include "tests/unit/tmptree.h"
static char err[1024];

/* depwrite with what it prints on stderr into *msg (caller frees) */
static int
capture(const struct depfile *d, const char *inputs, char **msg)
{
	char *p = tpath("stderr.txt");
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0666), saved = dup(2), r;

	fflush(stderr);
	dup2(fd, 2);
	close(fd);
	r = depwrite(d, inputs, err, sizeof(err));
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	*msg = slurp(p);
	unlink(p);
	free(p);
	return r;
}

/* create the empty file tmpdir/path */
static void
mkfile(const char *path)
{
	char *p = tpath(path);

	if (writefile(p, "", 0, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	free(p);
}

TEST(add)
{
	struct buf in;

	bufinit(&in);
	EXPECTSTR(in.s, "");
	depadd(&in, "data/run_1/img_1.png");
	depadd(&in, "data/run 1/b.png");
	EXPECTSTR(in.s, "data/run_1/img_1.png\ndata/run 1/b.png\n");
	EXPECTINT(in.len, 38);
	buffree(&in);
}

TEST(ninjaform)
{
	char *path = tpath("dep/ninja.d"), *dir = tpath("dep"), *text, *msg;
	struct depfile d = {.path = path, .target = "out/run 1/summary.json", .aliasdir = NULL, .id = "run 1"};
	struct buf in;

	EXPECTINT(mkdirp(dir, err, sizeof(err)), 0);
	bufinit(&in);
	depadd(&in, "data/run 1/img#1.png");
	depadd(&in, "data/$x.png");
	depadd(&in, "data/a:b(c)%=@!~,+{}.png");
	depadd(&in, "data/donn\xc3\xa9" "es.png");
	EXPECTINT(capture(&d, in.s, &msg), 0);
	EXPECTSTR(msg, "");
	text = slurp(path);
	EXPECTSTR(text, "out/run\\ 1/summary.json: \\\n"
	                "  data/run\\ 1/img\\#1.png \\\n"
	                "  data/$$x.png \\\n"
	                "  data/a:b(c)%=@!~,+{}.png \\\n"
	                "  data/donn\xc3\xa9" "es.png\n");
	free(text);

	/* written again with fewer inputs: replaced whole, and no temporary beside it */
	EXPECTINT(depwrite(&d, "a.png\n", err, sizeof(err)), 0);
	text = slurp(path);
	EXPECTSTR(text, "out/run\\ 1/summary.json: \\\n  a.png\n");
	free(text);
	/* a last input without its line break is one all the same */
	EXPECTINT(depwrite(&d, "a.png\nb.png", err, sizeof(err)), 0);
	text = slurp(path);
	EXPECTSTR(text, "out/run\\ 1/summary.json: \\\n  a.png \\\n  b.png\n");
	free(text);
	text = listing(dir);
	EXPECTSTR(text, "ninja.d");
	free(text);

	/* no inputs: the target alone */
	EXPECTINT(depwrite(&d, "", err, sizeof(err)), 0);
	text = slurp(path);
	EXPECTSTR(text, "out/run\\ 1/summary.json:\n");
	free(text);
	free(msg), free(path), free(dir);
	buffree(&in);
}

TEST(makeform)
{
	char *path = tpath("dep/make.d"), *text, *msg;
	struct depfile d = {.path = path, .target = "out/run_1/summary.json", .id = "run_1", .make = true};
	struct buf in;

	bufinit(&in);
	depadd(&in, "data/run 1/img#1.png");
	depadd(&in, "data/$x.png");
	depadd(&in, "data/b@!~,+{}-.png");
	EXPECTINT(capture(&d, in.s, &msg), 0);
	EXPECTSTR(msg, "");
	text = slurp(path);
	/* as gcc -MP: an empty rule per input, so a removed input is no error */
	EXPECTSTR(text, "out/run_1/summary.json: \\\n"
	                "  data/run\\ 1/img\\#1.png \\\n"
	                "  data/$$x.png \\\n"
	                "  data/b@!~,+{}-.png\n"
	                "\ndata/run\\ 1/img\\#1.png:\n"
	                "\ndata/$$x.png:\n"
	                "\ndata/b@!~,+{}-.png:\n");
	free(text);
	EXPECTINT(depwrite(&d, "", err, sizeof(err)), 0);
	text = slurp(path);
	EXPECTSTR(text, "out/run_1/summary.json:\n");
	free(text);
	free(msg), free(path);
	buffree(&in);
}

/* no alias folder: names the parser cannot read are left out, with one warning naming the first */
TEST(leftout)
{
	char *path = tpath("dep/left.d"), *text, *msg, *want;
	struct depfile d = {.path = path, .target = "t", .id = "run_1"};

	EXPECTINT(capture(&d, "a.png\nit's.png\nb&c.png\nz.png\n", &msg), 0);
	EXPECTSTR(msg, "runja: run_1: changes in place to it's.png are not tracked "
	               "(its name has a character ninja's depfiles cannot hold)\n");
	text = slurp(path);
	EXPECTSTR(text, "t: \\\n  a.png \\\n  z.png\n");
	free(text), free(msg);

	/* make refuses more: ':' '%' '(' and the others */
	d.make = true;
	EXPECTINT(capture(&d, "a.png\nx:y.png\n50%.png\nf(1).png\nq?.png\n", &msg), 0);
	EXPECTSTR(msg, "runja: run_1: changes in place to x:y.png are not tracked "
	               "(its name has a character make's depfiles cannot hold)\n");
	text = slurp(path);
	EXPECTSTR(text, "t: \\\n  a.png\n\na.png:\n");
	free(text), free(msg);

	/* with an alias folder, a name that is no file cannot be linked: left out too */
	d.make = false;
	d.aliasdir = want = tpath("alias-none");
	EXPECTINT(capture(&d, "gone;.png\n", &msg), 0);
	EXPECTSTR(msg, "runja: run_1: changes in place to gone;.png are not tracked "
	               "(its name has a character ninja's depfiles cannot hold)\n");
	text = slurp(path);
	EXPECTSTR(text, "t:\n");
	EXPECT(!exists(want));
	free(text), free(msg), free(want), free(path);
}

/* the alias listed on line (of a depfile, "  ALIAS \\" or "  ALIAS"), checked to be aliasdir/16 hex digits; caller frees */
static char *
aliasof(const char *line, const char *aliasdir)
{
	size_t len = strlen(aliasdir), k;
	char *a;

	if (strncmp(line, "  ", 2) != 0 || strncmp(line + 2, aliasdir, len) != 0 || line[2 + len] != '/')
		return NULL;
	a = xasprintf("%.*s", (int)(len + 17), line + 2);
	for (k = len + 1; k < len + 17; k++)
		if (!a[k] || !strchr("0123456789abcdef", a[k])) {
			free(a);
			return NULL;
		}
	return a;
}

/* is alias a symbolic link to the file target resolved? */
static bool
linksto(const char *alias, const char *target)
{
	char buf[PATH_MAX], *real = realpath(target, NULL);
	struct stat st;
	ssize_t r;
	bool ok;

	if (!alias || !real || lstat(alias, &st) < 0 || !S_ISLNK(st.st_mode) ||
	    (r = readlink(alias, buf, sizeof(buf) - 1)) < 0) {
		free(real);
		return false;
	}
	buf[r] = '\0';
	ok = strcmp(buf, real) == 0;
	free(real);
	return ok;
}

/* a name neither parser can read goes through a link in the alias folder, named by a hash of the path */
TEST(alias)
{
	char *path = tpath("dep/alias.d"), *aliasdir = tpath("state/alias"), *quote = tpath("data/it's.png");
	char *amp = tpath("data/b&c.png"), *in = xasprintf("a.png\n%s\n%s\n", quote, amp), *text, *msg, *nl;
	char *a1 = NULL, *a2 = NULL, *again = NULL, *want;
	struct depfile d = {.path = path, .target = "t", .aliasdir = aliasdir, .id = "run_1"};
	char *data = tpath("data");

	EXPECTINT(mkdirp(data, err, sizeof(err)), 0);
	mkfile("data/it's.png"), mkfile("data/b&c.png");
	EXPECTINT(capture(&d, in, &msg), 0);
	EXPECTSTR(msg, "");
	text = slurp(path);
	EXPECT(strncmp(text, "t: \\\n  a.png \\\n", 15) == 0);
	if ((nl = strchr(text, '\n')) && (nl = strchr(nl + 1, '\n'))) {
		a1 = aliasof(nl + 1, aliasdir);
		if ((nl = strchr(nl + 1, '\n')))
			a2 = aliasof(nl + 1, aliasdir);
	}
	EXPECT(a1 && a2 && strcmp(a1, a2) != 0);
	EXPECT(linksto(a1, quote));
	EXPECT(linksto(a2, amp));
	want = xasprintf("t: \\\n  a.png \\\n  %s \\\n  %s\n", a1 ? a1 : "?", a2 ? a2 : "?");
	EXPECTSTR(text, want);
	free(want), free(text), free(msg);

	/* the two links and nothing else: no temporary left in the alias folder */
	text = listing(aliasdir);
	if (a1 && a2) {
		bool order = strcmp(a1, a2) < 0;

		want = xasprintf("%s %s", basepart(order ? a1 : a2), basepart(order ? a2 : a1));
		EXPECTSTR(text, want);
		free(want);
	}
	free(text);

	/* the same path gets the same alias every time, also in the make form (with its empty rule) */
	d.make = true;
	free(in);
	in = xasprintf("%s\n", quote);
	EXPECTINT(depwrite(&d, in, err, sizeof(err)), 0);
	text = slurp(path);
	if ((nl = strchr(text, '\n')))
		again = aliasof(nl + 1, aliasdir);
	EXPECTSTR(again, a1);
	want = xasprintf("t: \\\n  %s\n\n%s:\n", a1 ? a1 : "?", a1 ? a1 : "?");
	EXPECTSTR(text, want);
	EXPECT(linksto(again, quote));
	free(want), free(text);
	text = listing(aliasdir);
	EXPECTINT(strlen(text), 33);
	free(text);
	free(a1), free(a2), free(again), free(in), free(path), free(aliasdir), free(quote), free(amp), free(data);
}

TEST(writeerror)
{
	char *path = tpath("nodir/x.d"), *want = xasprintf("%s: No such file or directory", path);
	struct depfile d = {.path = path, .target = "t", .id = "run_1"};

	EXPECTINT(depwrite(&d, "a.png\n", err, sizeof(err)), -1);
	EXPECTSTR(err, want);
	EXPECT(!exists(path));
	free(path), free(want);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(add);
	RUN(ninjaform);
	RUN(makeform);
	RUN(leftout);
	RUN(alias);
	RUN(writeerror);
	if (rmtree(tmpdir, err, sizeof(err)) < 0)
		printf("FAIL cleanup: %s\n", err);
	return TESTEXIT();
}
