/* tests of gen/scan.c on a real data tree in a temporary folder */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/frames.h"
#include "common/util.h"
#include "gen/scan.h"
#include "tests/test.h"

/* the temporary folder of this run, from mkdtemp */
static char tmpdir[] = "/tmp/runja-scan-XXXXXX";
static char err[512];

/* make the folder tmpdir/path (its parents must exist) */
static void
mkd(const char *path)
{
	char *p = xasprintf("%s/%s", tmpdir, path);

	if (mkdir(p, 0777) < 0)
		fatal(1, "mkdir %s:", p);
	free(p);
}

/* make an empty file tmpdir/path */
static void
mkf(const char *path)
{
	char *p = xasprintf("%s/%s", tmpdir, path);
	FILE *f = fopen(p, "w");

	if (!f)
		fatal(1, "%s:", p);
	fclose(f);
	free(p);
}

/* tmpdir/path; caller frees */
static char *
tpath(const char *path)
{
	return *path ? xasprintf("%s/%s", tmpdir, path) : xstrdup(tmpdir);
}

static int
rmone(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(path);
}

/* s->dirs must be tmpdir joined with each of want (n of them), in that order */
static void
checkdirs(const struct scan *s, const char *const *want, size_t n)
{
	size_t i;

	EXPECTINT(s->ndirs, n);
	for (i = 0; i < n && i < s->ndirs; i++) {
		char *p = tpath(want[i]);

		EXPECTSTR(s->dirs[i], p);
		free(p);
	}
}

TEST(tree)
{
	static char *const match[] = {"run_*", "*/run_*", "*/broken_*"};
	static char *const exclude[] = {"*/broken_*"};
	static const char *const ids[] = {"2026-03/run_5", "run_1", "run_2", "run_10", "run_20"};
	static const size_t nframes[] = {1, 2, 1, 3, 1};
	static const bool override[] = {true, false, false, false, false};
	char *root = tpath(""), *skip = tpath("run_out"), *p;
	struct scanopts o = {
		.root = root, .match = match, .nmatch = 3, .exclude = exclude, .nexclude = 1,
		.frames = "*.png", .override = "run.cfg", .skip = skip,
	};
	struct scan s;
	struct stat st;
	size_t i;

	mkd("run_1"), mkf("run_1/img_1.png"), mkf("run_1/img_2.png"), mkf("run_1/notes.txt");
	mkd("run_1/run.cfg");  /* a folder, not an override file */
	mkd("run_2"), mkf("run_2/a.png");
	mkd("run_10"), mkf("run_10/a.png"), mkf("run_10/b.png"), mkf("run_10/c.png");
	mkf("run_10/.hidden.png"), mkf("run_10/a.PNG"), mkd("run_10/d.png"), mkd("run_10/run_11");
	mkd("run_3"), mkf("run_3/readme.txt");
	mkd("2026-03"), mkd("2026-03/run_5"), mkf("2026-03/run_5/a.png"), mkf("2026-03/run_5/run.cfg");
	mkd("2026-03/broken_x"), mkf("2026-03/broken_x/a.png");
	mkd("2026-03/other"), mkd("2026-03/other/run_6"), mkf("2026-03/other/run_6/a.png");
	mkd(".run_9"), mkf(".run_9/a.png");
	mkf("run_file");
	mkd("run_out"), mkf("run_out/a.png");
	mkd("run_data"), mkd("run_data/run_7"), mkf("run_data/run_7/a.png");
	p = tpath("run_20");
	EXPECTINT(symlink("run_2", p), 0);
	free(p);

	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), 0);
	EXPECTSTR(err, "");
	/* run_data matches run_*: a run without frames (empty), never entered for its run_7 */
	EXPECTINT(s.nruns, 5);
	for (i = 0; i < 5 && i < s.nruns; i++) {
		EXPECTSTR(s.runs[i].id, ids[i]);
		p = tpath(ids[i]);
		EXPECTSTR(s.runs[i].dir, p);
		free(p);
		EXPECTINT(s.runs[i].nframes, nframes[i]);
		EXPECTINT(s.runs[i].override, override[i]);
	}
	/* run_20 is a link to run_2: the same folder */
	if (s.nruns >= 5) {
		EXPECT(s.runs[2].dev == s.runs[4].dev && s.runs[2].ino == s.runs[4].ino);
		p = tpath("run_1");
		EXPECTINT(stat(p, &st), 0);
		EXPECT(s.runs[1].dev == st.st_dev && s.runs[1].ino == st.st_ino);
		free(p);
	}
	EXPECTINT(s.nempty, 2);
	if (s.nempty == 2) {
		EXPECTSTR(s.empty[0], "run_3");
		EXPECTSTR(s.empty[1], "run_data");
	}
	{
		const char *want[] = {
			"", "2026-03", "2026-03/run_5", "run_1", "run_2", "run_3", "run_10", "run_20", "run_data",
		};

		checkdirs(&s, want, sizeof(want) / sizeof(want[0]));
	}
	delscan(&s);
	EXPECTINT(s.nruns, 0);

	/* without skip the output folder is a run like any other */
	o.skip = NULL;
	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), 0);
	EXPECTINT(s.nruns, 6);
	if (s.nruns == 6)
		EXPECTSTR(s.runs[5].id, "run_out");
	delscan(&s);
	/* a skip folder that does not exist yet changes nothing */
	p = tpath("no_such_out");
	o.skip = p;
	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), 0);
	EXPECTINT(s.nruns, 6);
	delscan(&s);
	free(p);
	o.skip = NULL;

	/* a pattern that names hidden folders finds them */
	{
		static char *const hidden[] = {".run_*"};

		o.match = hidden, o.nmatch = 1, o.nexclude = 0;
		EXPECTINT(scanruns(&o, &s, err, sizeof(err)), 0);
		EXPECTINT(s.nruns, 1);
		if (s.nruns == 1) {
			EXPECTSTR(s.runs[0].id, ".run_9");
			EXPECTINT(s.runs[0].nframes, 1);
		}
		delscan(&s);
	}
	/* the nested level only, and deeper patterns */
	{
		static char *const nested[] = {"*/*/run_*"};

		o.match = nested, o.nmatch = 1;
		EXPECTINT(scanruns(&o, &s, err, sizeof(err)), 0);
		EXPECTINT(s.nruns, 1);
		if (s.nruns == 1)
			EXPECTSTR(s.runs[0].id, "2026-03/other/run_6");
		delscan(&s);
	}
	free(root);
	free(skip);
}

TEST(relative)
{
	static char *const match[] = {"r*"};
	struct scanopts o = {.root = ".", .match = match, .nmatch = 1, .frames = "*.png"};
	char *cwd = getcwd(NULL, 0);
	struct scan s;

	mkd("rel"), mkd("rel/r2"), mkf("rel/r2/a.png"), mkd("rel/r10"), mkf("rel/r10/a.png");
	{
		char *p = tpath("rel");

		EXPECTINT(chdir(p), 0);
		free(p);
	}
	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), 0);
	EXPECTINT(s.nruns, 2);
	if (s.nruns == 2) {
		EXPECTSTR(s.runs[0].id, "r2");
		EXPECTSTR(s.runs[0].dir, "r2");
		EXPECTSTR(s.runs[1].id, "r10");
		EXPECTSTR(s.runs[1].dir, "r10");
	}
	EXPECTINT(s.ndirs, 3);
	if (s.ndirs == 3) {
		EXPECTSTR(s.dirs[0], ".");
		EXPECTSTR(s.dirs[1], "r2");
		EXPECTSTR(s.dirs[2], "r10");
	}
	delscan(&s);
	/* a root given with a trailing slash */
	EXPECTINT(chdir(".."), 0);
	o.root = "rel/";
	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), 0);
	EXPECTINT(s.nruns, 2);
	if (s.nruns == 2) {
		EXPECTSTR(s.runs[0].id, "r2");
		EXPECTSTR(s.runs[0].dir, "rel/r2");
	}
	delscan(&s);
	EXPECTINT(chdir(cwd), 0);
	free(cwd);
}

TEST(subfolder)
{
	static char *const match[] = {"s*"};
	char *root = tpath("sub");
	struct scanopts o = {
		.root = root, .match = match, .nmatch = 1, .frames = "cam1/*.png", .override = "run.cfg",
	};
	struct scan s;

	mkd("sub");
	mkd("sub/s1"), mkd("sub/s1/cam1"), mkf("sub/s1/cam1/a.png"), mkf("sub/s1/cam1/b.png");
	mkf("sub/s1/run.cfg"), mkf("sub/s1/cam1/run.cfg");
	mkd("sub/s2");
	mkd("sub/s3"), mkd("sub/s3/cam1");
	mkd("sub/s4"), mkd("sub/s4/cam1"), mkf("sub/s4/cam1/x.png"), mkf("sub/s4/a.png"), mkf("sub/s4/cam1/run.cfg");
	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), 0);
	EXPECTINT(s.nruns, 2);
	if (s.nruns == 2) {
		EXPECTSTR(s.runs[0].id, "s1");
		EXPECTINT(s.runs[0].nframes, 2);
		EXPECT(s.runs[0].override);
		EXPECTSTR(s.runs[1].id, "s4");
		EXPECTINT(s.runs[1].nframes, 1);
		EXPECT(!s.runs[1].override);
	}
	EXPECTINT(s.nempty, 2);
	if (s.nempty == 2) {
		EXPECTSTR(s.empty[0], "s2");
		EXPECTSTR(s.empty[1], "s3");
	}
	delscan(&s);
	free(root);
}

TEST(subfolderdirs)
{
	/*
	 * With frames in a subfolder the run folder's own listing still decides things: a cam1
	 * folder appearing in s2, or a run.cfg appearing in s4, must make build.ninja stale, so
	 * every run folder is listed, and each existing frames folder
	 */
	static char *const match[] = {"s*"};
	static const char *const want[] = {
		"sub", "sub/s1", "sub/s1/cam1", "sub/s2", "sub/s3", "sub/s3/cam1", "sub/s4", "sub/s4/cam1",
	};
	char *root = tpath("sub");
	struct scanopts o = {
		.root = root, .match = match, .nmatch = 1, .frames = "cam1/*.png", .override = "run.cfg",
	};
	struct scan s;

	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), 0);
	checkdirs(&s, want, sizeof(want) / sizeof(want[0]));
	delscan(&s);
	free(root);
}

TEST(errors)
{
	static char *const match[] = {"run_*"};
	static char *const deep[] = {"a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q"};
	char *root = tpath("nl"), *want;
	struct scanopts o = {.root = root, .match = match, .nmatch = 1, .frames = "*.png"};
	struct scan s;

	mkd("nl"), mkd("nl/run_1"), mkf("nl/run_1/a.png");
	mkd("nl/run_\nx"), mkf("nl/run_\nx/a.png");
	mkd("nl/other\nname");  /* not a run: never looked at */
	/* left out (a warning says so), the others found */
	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), 0);
	EXPECTINT((int)s.nruns, 1);
	EXPECTSTR(s.runs[0].id, "run_1");
	delscan(&s);
	free(root);

	root = tpath("missing");
	o.root = root;
	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), -1);
	want = xasprintf("%s: cannot list the data tree root: No such file or directory", root);
	EXPECTSTR(err, want);
	free(want);
	delscan(&s);
	free(root);

	o.root = tmpdir;
	o.match = deep;
	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), -1);
	EXPECTSTR(err, "match pattern 'a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q' is deeper than 16 folders");
	delscan(&s);
	o.nmatch = 65;
	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), -1);
	EXPECTSTR(err, "more than 64 match patterns");
	delscan(&s);
}

/* the frames' signature: the set of frame names, in any order; other files do not count */
TEST(framesig)
{
	static char *const match[] = {"sig_*"};
	char *root = tpath("");
	struct scanopts o = {.root = root, .match = match, .nmatch = 1, .frames = "*.png"};
	struct scan s;
	uint64_t a = 0, b = 0;

	framesigadd(&a, "img_1.png"), framesigadd(&a, "img_2.png");
	framesigadd(&b, "img_2.png"), framesigadd(&b, "img_1.png");
	EXPECT(a == b);
	b = 0;
	framesigadd(&b, "img_1.png"), framesigadd(&b, "img_3.png");
	EXPECT(a != b);
	b = 0;
	framesigadd(&b, "img_1.png");
	EXPECT(a != b && b != 0);

	mkd("sig_a"), mkf("sig_a/img_1.png"), mkf("sig_a/img_2.png");
	mkd("sig_b"), mkf("sig_b/img_2.png"), mkf("sig_b/img_1.png"), mkf("sig_b/notes.txt");
	mkd("sig_c"), mkf("sig_c/img_1.png"), mkf("sig_c/img_3.png");
	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), 0);
	EXPECTINT(s.nruns, 3);
	if (s.nruns == 3) {
		EXPECT(s.runs[0].framesig == a);
		EXPECT(s.runs[1].framesig == a);
		EXPECT(s.runs[2].framesig != a);
	}
	delscan(&s);
	free(root);
}

/* plain names in a pattern are looked up: their folder is watched only while one is missing */
TEST(plainnames)
{
	static char *const match[] = {"lit/*/run_*", "gone/run_*", "also/run_*"};
	char *root = tpath("");
	struct scanopts o = {.root = root, .match = match, .nmatch = 1, .frames = "*.png"};
	struct scan s;

	mkd("lit"), mkd("lit/2026-01"), mkd("lit/2026-01/run_0"), mkf("lit/2026-01/run_0/a.png");
	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), 0);
	EXPECTINT(s.nruns, 1);
	{
		const char *want[] = {"lit", "lit/2026-01", "lit/2026-01/run_0"};

		checkdirs(&s, want, 3);
	}
	delscan(&s);
	/* two names missing: the root watched once, so that either may appear */
	o.nmatch = 3;
	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), 0);
	{
		const char *want[] = {"", "lit", "lit/2026-01", "lit/2026-01/run_0"};

		checkdirs(&s, want, 4);
	}
	delscan(&s);
	free(root);
}

/* why nothing was found, word for word */
TEST(none)
{
	static char *const match[] = {"rn_*", "*/rn_*"};
	static char *const match1[] = {"run_1*"};
	char *root = tpath("none"), *p;
	struct scanopts o = {.root = root, .match = match, .nmatch = 1, .frames = "*.png"};
	struct scan s;

	mkd("none"), mkd("none/run_1"), mkd("none/run_10"), mkd("none/run_2"), mkf("none/notes.txt");
	mkf("none/.hidden");
	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), 0);
	EXPECTINT(s.nruns + s.nwaiting + s.nempty, 0);
	EXPECTINT(scannone(&o, &s, err, sizeof(err)), -1);
	p = xasprintf("runs.match 'rn_*' matches no run folder under '%s', which holds notes.txt, run_1/, run_2/, run_10/", root);
	EXPECTSTR(err, p);
	free(p);
	o.nmatch = 2;
	EXPECTINT(scannone(&o, &s, err, sizeof(err)), -1);
	p = xasprintf("runs.match 'rn_*' and '*/rn_*' match no run folder under '%s', which holds notes.txt, run_1/, run_2/, run_10/", root);
	EXPECTSTR(err, p);
	free(p);
	delscan(&s);
	o.match = match1, o.nmatch = 1;
	EXPECTINT(scanruns(&o, &s, err, sizeof(err)), 0);
	EXPECTINT(scannone(&o, &s, err, sizeof(err)), -1);
	EXPECTSTR(err, "runs.frames '*.png' matches no file in the 2 folders runs.match found (run_1, run_10)");
	delscan(&s);
	free(root);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(tree);
	RUN(relative);
	RUN(subfolder);
	RUN(subfolderdirs);
	RUN(errors);
	RUN(framesig);
	RUN(plainnames);
	RUN(none);
	nftw(tmpdir, rmone, 16, FTW_DEPTH | FTW_PHYS);
	EXPECT(access(tmpdir, F_OK) != 0);
	return TESTEXIT();
}
