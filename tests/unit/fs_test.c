/* tests of common/fs.c on a real temporary folder */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/util.h"
#include "tests/test.h"

/* the temporary folder of this run, from mkdtemp */
static char tmpdir[] = "/tmp/runja-fs-XXXXXX";
static char err[512];

/* tmpdir/name; caller frees */
static char *
tpath(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static int
rmone(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(path);
}

/* is path a folder? */
static int
isdir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* the names in folder path, sorted and joined by spaces */
static char *
listing(const char *path)
{
	struct dirent **v;
	struct buf b;
	int i, n = scandir(path, &v, NULL, alphasort);

	bufinit(&b);
	for (i = 0; i < n; i++) {
		if (strcmp(v[i]->d_name, ".") && strcmp(v[i]->d_name, "..")) {
			if (b.len)
				bufputc(&b, ' ');
			bufputs(&b, v[i]->d_name);
		}
		free(v[i]);
	}
	if (n >= 0)
		free(v);
	return b.s;
}

/* the contents of path as a string; caller frees */
static char *
slurp(const char *path)
{
	struct buf b;

	if (readfile(path, &b, err, sizeof(err)) < 0)
		bufputs(&b, "(unreadable)");
	return b.s;
}

TEST(mkdirp)
{
	char *p = tpath("a/b/c"), *q = tpath("a/b"), *f = tpath("file"), *g = tpath("file/x/y"), *want;

	EXPECTINT(mkdirp(p, err, sizeof(err)), 0);
	EXPECT(isdir(p));
	/* again: it exists, fine */
	EXPECTINT(mkdirp(p, err, sizeof(err)), 0);
	EXPECTINT(mkdirp(q, err, sizeof(err)), 0);
	EXPECTINT(mkdirp(tmpdir, err, sizeof(err)), 0);
	EXPECTINT(mkdirp("/", err, sizeof(err)), 0);
	free(p);
	/* a trailing or doubled slash */
	p = tpath("d//e/");
	EXPECTINT(mkdirp(p, err, sizeof(err)), 0);
	free(p);
	p = tpath("d/e");
	EXPECT(isdir(p));
	free(p);
	/* through a file */
	EXPECTINT(writefile(f, "x", 1, err, sizeof(err)), 0);
	EXPECTINT(mkdirp(g, err, sizeof(err)), -1);
	want = xasprintf("%s: cannot create the folder: Not a directory", f);
	EXPECTSTR(err, want);
	free(want);
	EXPECTINT(mkdirp(f, err, sizeof(err)), -1);
	want = xasprintf("%s: cannot create the folder: Not a directory", f);
	EXPECTSTR(err, want);
	free(want);
	free(f), free(g), free(q);
}

TEST(mkdirpempty)
{
	/* an empty path is an error, not a read (and write) past the end of the copy */
	EXPECTINT(mkdirp("", err, sizeof(err)), -1);
	EXPECTSTR(err, ": cannot create the folder: No such file or directory");
}

TEST(relative)
{
	char *cwd = getcwd(NULL, 0);

	EXPECT(cwd != NULL);
	EXPECTINT(chdir(tmpdir), 0);
	EXPECTINT(mkdirp("rel/x", err, sizeof(err)), 0);
	EXPECT(isdir("rel/x"));
	EXPECTINT(writeatomic("rel/x/f.txt", "abc", 3, err, sizeof(err)), 0);
	EXPECTINT(writeatomic("top.txt", "t", 1, err, sizeof(err)), 0);
	{
		char *l = listing("rel/x");

		EXPECTSTR(l, "f.txt");
		free(l);
	}
	EXPECT(exists("top.txt"));
	EXPECT(!exists(".top.txt.tmp"));
	EXPECTINT(chdir(cwd), 0);
	free(cwd);
}

TEST(writeatomic)
{
	char *d = tpath("w"), *p = tpath("w/build.ninja"), *s, *l, *want;

	EXPECTINT(mkdirp(d, err, sizeof(err)), 0);
	EXPECTINT(writeatomic(p, "first\n", 6, err, sizeof(err)), 0);
	s = slurp(p);
	EXPECTSTR(s, "first\n");
	free(s);
	/* replaced, shorter: nothing of the old content is left */
	EXPECTINT(writeatomic(p, "2nd", 3, err, sizeof(err)), 0);
	s = slurp(p);
	EXPECTSTR(s, "2nd");
	free(s);
	l = listing(d);
	EXPECTSTR(l, "build.ninja");
	free(l);
	/* empty data gives an empty file */
	EXPECTINT(writeatomic(p, "", 0, err, sizeof(err)), 0);
	s = slurp(p);
	EXPECTSTR(s, "");
	free(s);
	free(p);

	/* a folder in the way: an error, the folder stays, no temporary file is left */
	p = tpath("w/sub");
	EXPECTINT(mkdirp(p, err, sizeof(err)), 0);
	EXPECTINT(writeatomic(p, "x", 1, err, sizeof(err)), -1);
	want = xasprintf("%s: Is a directory", p);
	EXPECTSTR(err, want);
	free(want);
	EXPECT(isdir(p));
	l = listing(d);
	EXPECTSTR(l, "build.ninja sub");
	free(l);
	free(p);

	/* a missing folder */
	p = tpath("nowhere/f");
	EXPECTINT(writeatomic(p, "x", 1, err, sizeof(err)), -1);
	/* the temporary name is this process's own: .f.PID.N.tmp */
	want = xasprintf("%s/nowhere/.f.%ld.", tmpdir, (long)getpid());
	EXPECT(strncmp(err, want, strlen(want)) == 0);
	EXPECT(strstr(err, ".tmp: No such file or directory") != NULL);
	free(want);
	free(p);
	free(d);
}

TEST(writereplace)
{
	char *d = tpath("r"), *p = tpath("r/index.html"), *tmp = tpath("r/.index.html.tmp"), *s, *l, *want;

	EXPECTINT(mkdirp(d, err, sizeof(err)), 0);
	EXPECTINT(writereplace(p, "first\n", 6, err, sizeof(err)), 0);
	s = slurp(p);
	EXPECTSTR(s, "first\n");
	free(s);
	/* a writer killed as it wrote left its temporary file: the next write of the same
	   file goes through that name, so nothing is left */
	EXPECTINT(writefile(tmp, "half", 4, err, sizeof(err)), 0);
	EXPECTINT(writereplace(p, "2nd", 3, err, sizeof(err)), 0);
	s = slurp(p);
	EXPECTSTR(s, "2nd");
	free(s);
	l = listing(d);
	EXPECTSTR(l, "index.html");
	free(l);
	/* a folder in the way: an error naming it, no temporary file left */
	free(p);
	p = tpath("r/sub");
	EXPECTINT(mkdirp(p, err, sizeof(err)), 0);
	EXPECTINT(writereplace(p, "x", 1, err, sizeof(err)), -1);
	want = xasprintf("%s: Is a directory", p);
	EXPECTSTR(err, want);
	free(want);
	l = listing(d);
	EXPECTSTR(l, "index.html sub");
	free(l);
	free(p), free(tmp), free(d);
}

TEST(writefile)
{
	char *p = tpath("plain.txt"), *s;

	EXPECTINT(writefile(p, "long content", 12, err, sizeof(err)), 0);
	EXPECTINT(writefile(p, "short", 5, err, sizeof(err)), 0);
	s = slurp(p);
	EXPECTSTR(s, "short");
	free(s);
	free(p);
}

TEST(readfile)
{
	char *p = tpath("bin"), *want;
	struct buf b;
	static char big[200000];
	size_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	EXPECTINT(writefile(p, big, sizeof(big), err, sizeof(err)), 0);
	EXPECTINT(readfile(p, &b, err, sizeof(err)), 0);
	EXPECTINT(b.len, sizeof(big));
	EXPECT(b.len == sizeof(big) && memcmp(b.s, big, sizeof(big)) == 0);
	EXPECTINT(b.s[b.len], 0);
	buffree(&b);
	free(p);

	p = tpath("missing");
	EXPECTINT(readfile(p, &b, err, sizeof(err)), -1);
	want = xasprintf("%s: No such file or directory", p);
	EXPECTSTR(err, want);
	free(want);
	buffree(&b);
	free(p);

	EXPECTINT(readfile(tmpdir, &b, err, sizeof(err)), -1);
	want = xasprintf("%s: Is a directory", tmpdir);
	EXPECTSTR(err, want);
	free(want);
	buffree(&b);
}

TEST(readtail)
{
	char *p = tpath("log"), *want;
	struct buf b;
	bool partial = true;

	EXPECTINT(writefile(p, "0123456789", 10, err, sizeof(err)), 0);
	EXPECTINT(readtail(p, 4, &b, &partial, err, sizeof(err)), 0);
	EXPECTSTR(b.s, "6789");
	EXPECT(partial);
	buffree(&b);
	EXPECTINT(readtail(p, 10, &b, &partial, err, sizeof(err)), 0);
	EXPECTSTR(b.s, "0123456789");
	EXPECT(!partial);
	buffree(&b);
	EXPECTINT(readtail(p, 4096, &b, &partial, err, sizeof(err)), 0);
	EXPECTINT(b.len, 10);
	EXPECT(!partial);
	buffree(&b);
	EXPECTINT(writefile(p, "", 0, err, sizeof(err)), 0);
	EXPECTINT(readtail(p, 4, &b, &partial, err, sizeof(err)), 0);
	EXPECTINT(b.len, 0);
	EXPECT(!partial);
	buffree(&b);
	unlink(p);
	EXPECTINT(readtail(p, 4, &b, &partial, err, sizeof(err)), -1);
	want = xasprintf("%s: No such file or directory", p);
	EXPECTSTR(err, want);
	free(want);
	buffree(&b);
	free(p);
}

TEST(touch)
{
	char *p = tpath("t"), *want;
	struct timespec old[2] = {{1000000000, 0}, {1000000000, 0}};
	struct stat st;

	EXPECTINT(writefile(p, "", 0, err, sizeof(err)), 0);
	EXPECTINT(utimensat(AT_FDCWD, p, old, 0), 0);
	EXPECTINT(touch(p, err, sizeof(err)), 0);
	EXPECTINT(stat(p, &st), 0);
	EXPECT(st.st_mtime > 1000000000);
	free(p);
	p = tpath("nothere");
	EXPECTINT(touch(p, err, sizeof(err)), -1);
	want = xasprintf("%s: No such file or directory", p);
	EXPECTSTR(err, want);
	free(want);
	EXPECT(!exists(p));
	free(p);
}

TEST(names)
{
	char *s;

#define NAME(f, in, want) do { s = f(in); EXPECTSTR(s, want); free(s); } while (0)
	NAME(tmpname, "a/b.txt", "a/.b.txt.tmp");
	NAME(tmpname, "b.txt", ".b.txt.tmp");
	NAME(tmpname, "/x", "/.x.tmp");
	NAME(tmpname, "out/2026-03/run_1/mean.png", "out/2026-03/run_1/.mean.png.tmp");
	NAME(dirpart, "a/b.txt", "a");
	NAME(dirpart, "b.txt", ".");
	NAME(dirpart, "", ".");
	NAME(dirpart, "/x", "/");
	NAME(dirpart, "/", "/");
	NAME(dirpart, "a/b/c", "a/b");
	NAME(dirpart, "/data/tank/runja.cfg", "/data/tank");
#undef NAME
}

/* the strings of v joined by spaces; frees v */
static char *
joined(char **v, size_t nv)
{
	struct buf b;
	size_t i;

	bufinit(&b);
	for (i = 0; i < nv; i++) {
		if (i)
			bufputc(&b, ' ');
		bufputs(&b, v[i]);
	}
	delstrv(v, nv);
	return b.s;
}

TEST(rmtree)
{
	char *top = tpath("rm"), *p, *want;

	p = tpath("rm/a/b/c");
	EXPECTINT(mkdirp(p, err, sizeof(err)), 0);
	free(p);
	p = tpath("rm/a/b/c/f");
	EXPECTINT(writefile(p, "x", 1, err, sizeof(err)), 0);
	free(p);
	p = tpath("rm/top.txt");
	EXPECTINT(writefile(p, "x", 1, err, sizeof(err)), 0);
	free(p);
	/* a link is removed, never followed: what it points at stays */
	p = tpath("rm/a/link");
	EXPECTINT(symlink(tmpdir, p), 0);
	free(p);
	/* a read-only folder (as a program may leave) is emptied all the same */
	p = tpath("rm/a/b");
	EXPECTINT(chmod(p, 0500), 0);
	free(p);
	EXPECTINT(rmtree(top, err, sizeof(err)), 0);
	EXPECT(!exists(top));
	EXPECT(exists(tmpdir));
	/* gone already: fine */
	EXPECTINT(rmtree(top, err, sizeof(err)), 0);
	/* a plain file */
	EXPECTINT(writefile(top, "x", 1, err, sizeof(err)), 0);
	EXPECTINT(rmtree(top, err, sizeof(err)), 0);
	EXPECT(!exists(top));
	/* a path through a file cannot be looked at */
	EXPECTINT(writefile(top, "x", 1, err, sizeof(err)), 0);
	p = xasprintf("%s/x", top);
	EXPECTINT(rmtree(p, err, sizeof(err)), -1);
	want = xasprintf("%s: cannot remove: Not a directory", p);
	EXPECTSTR(err, want);
	free(want), free(p);
	unlink(top);
	free(top);
}

TEST(listtree)
{
	char *top = tpath("ls"), *p, *s, *want, **v;
	size_t nv;

	p = tpath("ls/sub/deeper");
	EXPECTINT(mkdirp(p, err, sizeof(err)), 0);
	free(p);
	p = tpath("ls/empty");
	EXPECTINT(mkdirp(p, err, sizeof(err)), 0);
	free(p);
	EXPECTINT(listtree(top, &v, &nv, err, sizeof(err)), 0);
	EXPECTINT(nv, 0);
	delstrv(v, nv);
#define PUT(name) do { p = tpath(name); EXPECTINT(writefile(p, "", 0, err, sizeof(err)), 0); free(p); } while (0)
	PUT("ls/img_10.csv");
	PUT("ls/img_2.csv");
	PUT("ls/.hidden");
	PUT("ls/sub/deeper/x");
	PUT("ls/sub/a b");
#undef PUT
	p = tpath("ls/link");
	EXPECTINT(symlink("img_2.csv", p), 0);
	free(p);
	EXPECTINT(listtree(top, &v, &nv, err, sizeof(err)), 0);
	s = joined(v, nv);
	EXPECTSTR(s, ".hidden img_2.csv img_10.csv sub/a b sub/deeper/x");
	free(s);
	p = tpath("ls/nothere");
	EXPECTINT(listtree(p, &v, &nv, err, sizeof(err)), -1);
	EXPECT(v == NULL && nv == 0);
	want = xasprintf("%s: cannot list the folder: No such file or directory", p);
	EXPECTSTR(err, want);
	free(want), free(p);
	EXPECTINT(rmtree(top, err, sizeof(err)), 0);
	free(top);
}

TEST(syncpath)
{
	char *p = tpath("sync"), *want;

	EXPECTINT(writefile(p, "x", 1, err, sizeof(err)), 0);
	EXPECTINT(syncpath(p, err, sizeof(err)), 0);
	EXPECTINT(syncpath(tmpdir, err, sizeof(err)), 0);
	unlink(p);
	EXPECTINT(syncpath(p, err, sizeof(err)), -1);
	want = xasprintf("%s: No such file or directory", p);
	EXPECTSTR(err, want);
	free(want), free(p);
}

TEST(selfpath)
{
	char *p = selfpath();
	size_t n = p ? strlen(p) : 0;

	EXPECT(p != NULL);
	EXPECT(p && p[0] == '/');
	EXPECT(n >= 8 && strcmp(p + n - 8, "/fs_test") == 0);
	free(p);
	EXPECT(exists("/"));
	EXPECT(!exists("/nonexistent-runja-path"));
}

/* fsresolve of path (printf-style, %s the real tmpdir) gives want (likewise) */
static void
checkresolve(int line, const char *path, const char *want)
{
	char *real = realpath(tmpdir, NULL), *p = xasprintf(path, real), *w = xasprintf(want, real), *got;

	got = fsresolve(p, err, sizeof(err));
	if (!got || strcmp(got, w) != 0) {
		printf("  line %d: fsresolve(\"%s\") is \"%s\", expected \"%s\"\n", line, p, got ? got : err, w);
		testfailed = 1;
	}
	free(got), free(w), free(p), free(real);
}
#define RESOLVES(path, want) checkresolve(__LINE__, path, want)

TEST(fsresolve)
{
	char *cwd = getcwd(NULL, 0), *p, *want;

	EXPECT(cwd != NULL);
	p = tpath("res/real/sub");
	EXPECTINT(mkdirp(p, err, sizeof(err)), 0);
	free(p);
	EXPECTINT(chdir(tmpdir), 0);
	EXPECTINT(symlink("real/sub", "res/lnk"), 0);
	EXPECTINT(symlink("../res/real", "res/up"), 0);
	EXPECTINT(symlink("lnk/..", "res/chain"), 0);
	EXPECTINT(symlink("real/missing/deeper", "res/dangling"), 0);
	EXPECTINT(symlink("loop", "res/loop"), 0);
	EXPECTINT(writefile("res/file", "x", 1, err, sizeof(err)), 0);
	p = realpath("res/real", NULL);
	EXPECT(p != NULL);
	EXPECTINT(symlink(p, "res/abs"), 0);
	free(p);
	/* existing paths, as realpath gives them */
	RESOLVES("%s", "%s");
	RESOLVES("%s/res/real", "%s/res/real");
	RESOLVES("%s/res/lnk", "%s/res/real/sub");
	RESOLVES("%s/res/abs/sub", "%s/res/real/sub");
	/* trailing and doubled slashes, "." */
	RESOLVES("%s//res/./real/", "%s/res/real");
	RESOLVES("%s/res/real///", "%s/res/real");
	/* a tail that does not exist yet, taken as written */
	RESOLVES("%s/res/new", "%s/res/new");
	RESOLVES("%s/res/new/a/b/", "%s/res/new/a/b");
	RESOLVES("%s/res/lnk/new/x", "%s/res/real/sub/new/x");
	/* ".." through a link is the folder above the link's target, as the kernel has it */
	RESOLVES("%s/res/lnk/..", "%s/res/real");
	RESOLVES("%s/res/lnk/../..", "%s/res");
	RESOLVES("%s/res/chain", "%s/res/real");
	RESOLVES("%s/res/up/sub", "%s/res/real/sub");
	/* ".." in the tail that does not exist: taken off as mkdir -p would, links after it followed */
	RESOLVES("%s/res/new/../real", "%s/res/real");
	RESOLVES("%s/res/new/../lnk/../x", "%s/res/real/x");
	RESOLVES("%s/res/lnk/new/../../y", "%s/res/real/y");
	/* a dangling link: its target, which does not exist yet */
	RESOLVES("%s/res/dangling/x", "%s/res/real/missing/deeper/x");
	/* through a file: taken as written (creating it fails later) */
	RESOLVES("%s/res/file/x", "%s/res/file/x");
	/* the root */
	RESOLVES("/", "/");
	RESOLVES("//", "/");
	RESOLVES("/..", "/");
	RESOLVES("/../tmp/..", "/");
	/* relative to the current folder */
	RESOLVES("res/lnk/../new", "%s/res/real/new");
	RESOLVES(".", "%s");
	/* a loop of links, the empty path: errors that name the path */
	EXPECT(fsresolve("res/loop/x", err, sizeof(err)) == NULL);
	EXPECTSTR(err, "res/loop/x: cannot resolve: Too many levels of symbolic links");
	EXPECT(fsresolve("", err, sizeof(err)) == NULL);
	EXPECTSTR(err, ": cannot resolve: No such file or directory");
	/* above the current folder: its real parent */
	p = realpath(".", NULL);
	want = p ? dirpart(p) : NULL;
	free(p);
	p = fsresolve("res/../..", err, sizeof(err));
	EXPECTSTR(p, want);
	free(p), free(want);
	EXPECTINT(chdir(cwd), 0);
	free(cwd);
}

TEST(fsinside)
{
	char *run, *out, *p;

	EXPECT(fsinside("/a/b", "/a/b"));
	EXPECT(fsinside("/a/b/c", "/a/b"));
	EXPECT(fsinside("/a/b/c/d", "/a/b"));
	EXPECT(fsinside("/a/b/c", "/a/b/"));
	EXPECT(fsinside("/a/b/", "/a/b"));
	EXPECT(!fsinside("/a/bc", "/a/b"));
	EXPECT(!fsinside("/a/b.d", "/a/b"));
	EXPECT(!fsinside("/a", "/a/b"));
	EXPECT(!fsinside("/a/c", "/a/b"));
	EXPECT(!fsinside("/ab", "/a"));
	EXPECT(fsinside("/x", "/"));
	EXPECT(fsinside("/", "/"));
	/* on resolved paths: a run folder and folders in, beside and above it */
	p = tpath("ins/data/run_000");
	EXPECTINT(mkdirp(p, err, sizeof(err)), 0);
	free(p);
	p = tpath("ins/data/run_000/../run_000");
	run = fsresolve(p, err, sizeof(err));
	free(p);
	p = tpath("ins/data/./run_000//analysis/");
	out = fsresolve(p, err, sizeof(err));
	free(p);
	EXPECT(run && out && fsinside(out, run) && !fsinside(run, out));
	free(out);
	p = tpath("ins/data/run_0001");
	out = fsresolve(p, err, sizeof(err));
	free(p);
	EXPECT(run && out && !fsinside(out, run) && !fsinside(run, out));
	free(out);
	p = tpath("ins/data/run_000/x/../..");
	out = fsresolve(p, err, sizeof(err));
	free(p);
	EXPECT(run && out && !fsinside(out, run) && fsinside(run, out));
	free(out);
	free(run);
}

/* fsrelpattern(what, v, maxparts) must give msg ("" for none) */
#define PATTERN(v, maxparts, msg) do { char e_[256] = ""; \
	EXPECTINT(fsrelpattern("runs.frames", v, maxparts, e_, sizeof(e_)), *(msg) ? -1 : 0); EXPECTSTR(e_, msg); } while (0)

TEST(fsrelpattern)
{
	PATTERN("*.png", 1, "");
	PATTERN("cam1/*.png", 2, "");
	PATTERN("", 2, "'runs.frames' must be a relative path pattern, not ''");
	PATTERN("/tmp/*.png", 2, "'runs.frames' must be a relative path pattern, not '/tmp/*.png'");
	PATTERN("a/../*.png", 2, "'runs.frames' has an empty, '.' or '..' component in 'a/../*.png'");
	PATTERN("./*.png", 2, "'runs.frames' has an empty, '.' or '..' component in './*.png'");
	PATTERN("a//*.png", 2, "'runs.frames' has an empty, '.' or '..' component in 'a//*.png'");
	PATTERN("a/b/*.png", 2, "'runs.frames' may name at most one subfolder, not 'a/b/*.png'");
	PATTERN("a/*.png", 1, "'runs.frames' must be a file name in the run folder, not 'a/*.png'");
}

/* fsrelto(from, to) must be want */
#define RELTO(from, to, want) do { char *r_ = fsrelto(from, to); EXPECTSTR(r_, want); free(r_); } while (0)

TEST(fsrelto)
{
	RELTO("/a/b", "/a/b", ".");
	RELTO("/a/b/out", "/a/b", "..");
	RELTO("/a/b", "/a/c/d", "../c/d");
	RELTO("/a/bc", "/a/b", "../b");
	RELTO("/a/b", "/a/bc", "../bc");
	RELTO("/", "/x/y", "x/y");
	RELTO("/x/y", "/", "../..");
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(mkdirp);
	RUN(mkdirpempty);
	RUN(relative);
	RUN(writeatomic);
	RUN(writereplace);
	RUN(writefile);
	RUN(readfile);
	RUN(readtail);
	RUN(touch);
	RUN(names);
	RUN(rmtree);
	RUN(listtree);
	RUN(syncpath);
	RUN(selfpath);
	RUN(fsresolve);
	RUN(fsinside);
	RUN(fsrelpattern);
	RUN(fsrelto);
	nftw(tmpdir, rmone, 16, FTW_DEPTH | FTW_PHYS);
	EXPECT(!exists(tmpdir));
	return TESTEXIT();
}
