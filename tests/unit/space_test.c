/* tests of common/space.c: a run's results estimated, the room on the file system checked, and the message */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "common/space.h"
#include "tests/test.h"

static char tmpdir[] = "/tmp/runja-space-XXXXXX";

#include "tests/unit/tmptree.h"
static char err[1024];

#define MiB (1024.0 * 1024)
#define TiB (1024.0 * 1024 * 1024 * 1024)

TEST(products)
{
	static const struct prodspec mean = {.mean = true, .tsrow = -1, .tscol = -1};
	static const struct prodspec all = {.mean = true, .std = true, .min = true, .max = true, .stats = true,
	                                    .timestack = true, .tsrow = 3, .tscol = -1, .front = true};
	static const struct prodspec column = {.timestack = true, .tsrow = -1, .tscol = 2};
	static const struct prodspec row = {.timestack = true, .tsrow = 0, .tscol = -1};

	/* mean.png of 100x10 (10 rows of 201 bytes, zlib's and the chunks' overhead, 1 KiB of
	   headers: one block), summary.json (8 KiB) and the depfile (one block) */
	EXPECTNEAR(spaceproducts(&mean, false, 100, 10, 5, 0), 4096 + 8192 + 4096, 0);
	/* and mean.npy: 128 + 4000 bytes, two blocks */
	EXPECTNEAR(spaceproducts(&mean, true, 100, 10, 5, 0), 4096 + 8192 + 8192 + 4096, 0);
	/*
	 * 1000x500, 100 frames whose paths take 2000 bytes: four images of 245 + 489 blocks
	 * (PNG, npy); the time stack 1000x100, 50 + 98 blocks; stats.csv 64 + 100 * 96 + 2000
	 * bytes, 3 blocks; front.csv 64 + 100 * 32 + 2000, 2 blocks; summary.json 3 blocks;
	 * the depfile 1 block
	 */
	EXPECTNEAR(spaceproducts(&all, true, 1000, 500, 100, 2000), 4096.0 * (4 * (245 + 489) + 50 + 98 + 3 + 2 + 3 + 1), 0);
	/* a column's time stack is frames x height, a row's frames x width */
	EXPECTNEAR(spaceproducts(&column, true, 7, 1000, 100, 0), spaceproducts(&row, true, 1000, 7, 100, 0), 0);
	EXPECT(spaceproducts(&column, true, 1000, 7, 100, 0) < spaceproducts(&row, true, 1000, 7, 100, 0));
	/* bigger frames, more frames, longer names: more */
	EXPECT(spaceproducts(&all, true, 2000, 500, 100, 2000) > spaceproducts(&all, true, 1000, 500, 100, 2000));
	EXPECT(spaceproducts(&all, true, 1000, 500, 1000, 2000) > spaceproducts(&all, true, 1000, 500, 100, 2000));
	EXPECT(spaceproducts(&all, true, 1000, 500, 100, 200000) > spaceproducts(&all, true, 1000, 500, 100, 2000));
}

/* spacefmt of b must be want */
static void
expectfmt(double b, const char *want)
{
	char s[32];

	spacefmt(s, sizeof(s), b);
	EXPECTSTR(s, want);
}

TEST(fmt)
{
	expectfmt(0, "0.0 KiB");
	expectfmt(1536, "1.5 KiB");
	expectfmt(640 * 1024, "640 KiB");
	expectfmt(MiB - 1, "1.0 MiB");
	expectfmt(1.25 * MiB, "1.2 MiB");
	expectfmt(12 * MiB, "12 MiB");
	expectfmt(120 * MiB, "120 MiB");
	expectfmt(2048 * MiB, "2.0 GiB");
	expectfmt(5000 * TiB, "5000 TiB");
}

/* the free bytes of path's file system as spacefmt writes them into s */
static void
freetext(const char *path, char *s, size_t n)
{
	struct statvfs fs;

	if (statvfs(path, &fs) < 0)
		fatal(1, "%s:", path);
	spacefmt(s, n, (double)fs.f_bavail * (double)fs.f_frsize);
}

/* spacecheck of dir for need must fail with the message of dir as named; freeat: the folder that is there */
static void
expectfull(const char *dir, double need, const char *named, const char *sizes, const char *freeat)
{
	char before[32], after[32], *want0, *want1;

	freetext(freeat, before, sizeof(before));
	EXPECTINT(spacecheck(dir, need, "run_003", err, sizeof(err)), -1);
	freetext(freeat, after, sizeof(after));
	want0 = xasprintf("run_003: not enough space in %s: needs %s, %s free", named, sizes, before);
	want1 = xasprintf("run_003: not enough space in %s: needs %s, %s free", named, sizes, after);
	/* the free space may change while it is looked at */
	if (strcmp(err, want1) != 0)
		EXPECTSTR(err, want0);
	free(want0), free(want1);
}

TEST(check)
{
	char *sub = tpath("no/such/folder"), *slash = xasprintf("%s/", tmpdir), *named = xasprintf("%s/", tmpdir);
	char *subnamed = xasprintf("%s/", sub);

	/* room enough: nothing said */
	err[0] = '\0';
	EXPECTINT(spacecheck(tmpdir, 1, "run_003", err, sizeof(err)), 0);
	EXPECTSTR(err, "");
	EXPECTINT(spacecheck(sub, 1, "run_003", err, sizeof(err)), 0);
	/* no file system has 120 TiB free: the message, the folder named with one slash after it */
	expectfull(tmpdir, 100 * TiB, named, "120 TiB (products 100 TiB + 20 % margin)", tmpdir);
	expectfull(slash, 100 * TiB, named, "120 TiB (products 100 TiB + 20 % margin)", tmpdir);
	/* a folder not made yet: its nearest parent's file system, the folder named as given */
	expectfull(sub, 10 * TiB, subnamed, "12 TiB (products 10 TiB + 20 % margin)", tmpdir);
	expectfull("no-such-folder-of-runja", 10 * TiB, "no-such-folder-of-runja/", "12 TiB (products 10 TiB + 20 % margin)", ".");
	free(sub), free(slash), free(named), free(subnamed);
}

TEST(command)
{
	char *dir = tpath("cmdout"), *sub = tpath("cmdout/a"), *file = tpath("cmdout/a/b.npy"), *none = tpath("none");
	char big[10000];
	struct stat st;

	unsetenv("RUNJA_COMMAND_SPACE");
	/* no previous results: the default, or RUNJA_COMMAND_SPACE */
	EXPECTNEAR(spacecommand(none), SPACECOMMAND, 0);
	EXPECTINT(mkdirp(dir, err, sizeof(err)), 0);
	EXPECTNEAR(spacecommand(dir), SPACECOMMAND, 0);
	setenv("RUNJA_COMMAND_SPACE", "5M", 1);
	EXPECTNEAR(spacecommand(dir), 5 * MiB, 0);
	setenv("RUNJA_COMMAND_SPACE", "2k", 1);
	EXPECTNEAR(spacecommand(dir), 2048, 0);
	setenv("RUNJA_COMMAND_SPACE", "1.5G", 1);
	EXPECTNEAR(spacecommand(dir), 1.5 * 1024 * MiB, 0);
	setenv("RUNJA_COMMAND_SPACE", "3000", 1);
	EXPECTNEAR(spacecommand(dir), 3000, 0);
	setenv("RUNJA_COMMAND_SPACE", "lots", 1);
	EXPECTNEAR(spacecommand(dir), SPACECOMMAND, 0);
	setenv("RUNJA_COMMAND_SPACE", "0", 1);
	EXPECTNEAR(spacecommand(dir), SPACECOMMAND, 0);
	/* previous results: the blocks their files take, nested ones too */
	memset(big, 'x', sizeof(big));
	EXPECTINT(mkdirp(sub, err, sizeof(err)), 0);
	EXPECTINT(writefile(file, big, sizeof(big), err, sizeof(err)), 0);
	EXPECTINT(stat(file, &st), 0);
	EXPECT(st.st_blocks * 512 >= (long long)sizeof(big));
	EXPECTNEAR(spacecommand(dir), (double)st.st_blocks * 512, 0);
	unsetenv("RUNJA_COMMAND_SPACE");
	free(dir), free(sub), free(file), free(none);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(products);
	RUN(fmt);
	RUN(check);
	RUN(command);
	rmtree(tmpdir, err, sizeof(err));
	return TESTEXIT();
}
