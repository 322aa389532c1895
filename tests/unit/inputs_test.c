/* tests of common/inputs.c: the hash, the record of what a run's results were made from, the comparison */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/inputs.h"
#include "common/util.h"
#include "tests/test.h"

static char tmpdir[] = "/tmp/runja-inputs-XXXXXX";

#include "tests/unit/tmptree.h"
static char err[1024];

/* the n test bytes b[i] = 7i + 3 (mod 256) into b */
static void
pattern(unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (unsigned char)(i * 7 + 3);
}

/* write the len bytes of data as tmpdir/run/name, modified offset seconds from now */
static void
mkframe(const char *name, const void *data, size_t len, int offset)
{
	char *p = xasprintf("%s/run/%s", tmpdir, name), *dir = dirpart(p);

	if (mkdirp(dir, err, sizeof(err)) < 0 || writefile(p, data, len, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	settime(p, offset);
	free(p), free(dir);
}

/* set the modification time of tmpdir/run/name to sec.nsec since the epoch, as touch -d does */
static void
touchd(const char *name, time_t sec, long nsec)
{
	struct timespec t[2] = {{sec, nsec}, {sec, nsec}};
	char *p = xasprintf("%s/run/%s", tmpdir, name);

	if (utimensat(AT_FDCWD, p, t, 0) < 0)
		fatal(1, "%s:", p);
	free(p);
}

/* remove tmpdir/run */
static void
clearrun(void)
{
	char *p = tpath("run");

	if (rmtree(p, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	free(p);
}

/* scan (and hash, when hash) frames names[0..n) of tmpdir/run with key; exits on failure */
static void
scan(struct inputs *in, const char *key, char *const *names, size_t n, bool hash)
{
	char *dir = tpath("run");

	if (inputsscan(in, key, dir, "run_003", names, n, err, sizeof(err)) < 0 ||
	    (hash && inputshashall(in, err, sizeof(err)) < 0))
		fatal(1, "%s", err);
	free(dir);
}

TEST(hashknown)
{
	const char *s = "Nobody inspects the spammish repetition";
	unsigned char b[1000];

	pattern(b, sizeof(b));
	/* the values of the xxHash library's XXH64 with seed 0 */
	EXPECT(inputshash("", 0) == 0xef46db3751d8e999u);
	EXPECT(inputshash(NULL, 0) == 0xef46db3751d8e999u);
	EXPECT(inputshash("a", 1) == 0xd24ec4f1a98c6e5bu);
	EXPECT(inputshash("abc", 3) == 0x44bc2cf5ad770999u);
	EXPECT(inputshash("xxhash", 6) == 0x32dd38952c4bc720u);
	EXPECT(inputshash(s, strlen(s)) == 0xfbcea83c8a378bf1u);
	EXPECT(inputshash(b, 32) == 0x23c3c17ef790fd97u);
	EXPECT(inputshash(b, 64) == 0x0eb64b3ef6eeb01fu);
	EXPECT(inputshash(b, 1000) == 0x5f235fa033f1a3fbu);
}

/* every length 0..64, from every start 0..7: the library's values (folded into one), whatever the alignment */
TEST(hashlengths)
{
	unsigned char b[64], *m = xmalloc(64 + 8);
	uint64_t fold = 0, h;
	size_t len, off;

	pattern(b, sizeof(b));
	for (len = 0; len <= 64; len++) {
		h = inputshash(b, len);
		fold = (fold << 1 | fold >> 63) ^ h;
		for (off = 0; off < 8; off++) {
			memcpy(m + off, b, len);
			if (inputshash(m + off, len) != h) {
				printf("  length %zu at offset %zu differs\n", len, off);
				testfailed = 1;
			}
		}
	}
	EXPECT(fold == 0x61e6266ba1dd1651u);
	free(m);
}

/* a change of one bit anywhere changes the hash; so does a length one longer of zeros */
TEST(hashbits)
{
	unsigned char b[65] = {0};
	size_t len, bit, same = 0;
	uint64_t h;

	pattern(b, 64);
	for (len = 1; len <= 64; len++) {
		h = inputshash(b, len);
		for (bit = 0; bit < len * 8; bit++) {
			b[bit / 8] ^= (unsigned char)(1u << bit % 8);
			same += inputshash(b, len) == h;
			b[bit / 8] ^= (unsigned char)(1u << bit % 8);
		}
	}
	EXPECTINT(same, 0);
	memset(b, 0, sizeof(b));
	for (len = 0; len < 64; len++)
		EXPECT(inputshash(b, len) != inputshash(b, len + 1));
}

/* a frame read from its file (in READSIZE pieces) hashes as its bytes in memory, around every piece boundary */
TEST(hashfile)
{
	static const size_t sizes[] = {0, 1, 31, 32, 33, 262143, 262144, 262145, 3 * 262144 + 17};
	size_t max = 3 * 262144 + 17, i;
	unsigned char *b = xmalloc(max);
	char *names[1] = {"f.bin"};
	struct inputs in;

	pattern(b, max);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		mkframe("f.bin", b, sizes[i], -100);
		scan(&in, "k", names, 1, true);
		EXPECT(in.frames[0].hashed);
		EXPECTINT(in.frames[0].size, (long long)sizes[i]);
		if (in.frames[0].hash != inputshash(b, sizes[i])) {
			printf("  a file of %zu bytes hashes otherwise than its bytes\n", sizes[i]);
			testfailed = 1;
		}
		delinputs(&in);
	}
	free(b);
}

/* the text of a record made by hand, every escape, and what parsing it gives back */
TEST(text)
{
	struct inputframe f[2] = {
		{"a b$#:\xc3\xa9.png", 12, 1700000000123456789LL, 0x0123456789abcdefu, true},
		{"t\tn\nb\\.png", 0, -5, 0xffffffffffffffffu, true},
	};
	struct inputs in = {"--op blur:sigma=2\t\\x", 1700000001000000000LL, NULL, NULL, f, 2}, back;
	const char *want = "runja-inputs 1\n"
	                   "key\t--op blur:sigma=2\\t\\\\x\n"
	                   "scanned\t1700000001000000000\n"
	                   "a b$#:\xc3\xa9.png\t12\t1700000000123456789\t0123456789abcdef\n"
	                   "t\\tn\\nb\\\\.png\t0\t-5\tffffffffffffffff\n";
	struct buf b, again;

	bufinit(&b);
	inputstext(&in, &b);
	EXPECTSTR(b.s, want);
	EXPECTINT(inputsparse("r", b.s, b.len, &back, err, sizeof(err)), 0);
	EXPECTSTR(back.key, in.key);
	EXPECTINT(back.scanned, in.scanned);
	EXPECT(!back.dir && !back.id);
	EXPECTINT(back.nframes, 2);
	if (back.nframes == 2) {
		EXPECTSTR(back.frames[0].name, f[0].name);
		EXPECTSTR(back.frames[1].name, f[1].name);
		EXPECTINT(back.frames[0].size, 12);
		EXPECTINT(back.frames[1].mtime, -5);
		EXPECT(back.frames[0].hash == f[0].hash && back.frames[1].hash == f[1].hash);
		EXPECT(back.frames[0].hashed && back.frames[1].hashed);
	}
	bufinit(&again);
	inputstext(&back, &again);
	EXPECTSTR(again.s, want);
	buffree(&b), buffree(&again);
	delinputs(&back);
}

/* one malformed record and its message */
struct bad {
	const char *text;
	const char *msg;
};

/* a record's first three lines, and a frame's line */
#define H "runja-inputs 1\nkey\tk\nscanned\t100\n"
#define F "a.png\t1\t2\t0123456789abcdef\n"
/* every way a record can be malformed, word for word */
static const struct bad bad[] = {
	{"", "r:1: empty (not a runja inputs record)"},
	{"runja-inputs 1", "r:1: cut short (the last line has no line break)"},
	{H "a.png\t1\t2\t0123456789abc", "r:4: cut short (the last line has no line break)"},
	{H F "b.png\t1\t2", "r:5: cut short (the last line has no line break)"},
	{"runja-inputs 2\n", "r:1: a record of another version (this runja reads version 1)"},
	{"runja-inputs 1 \n", "r:1: a record of another version (this runja reads version 1)"},
	{"runja inputs 1\n", "r:1: not a runja inputs record (its first line is not 'runja-inputs 1')"},
	{"\xef\xbb\xbfrunja-inputs 1\n", "r:1: not a runja inputs record (its first line is not 'runja-inputs 1')"},
	{"runja-inputs 1\n", "r:2: cut short (no key line)"},
	{"runja-inputs 1\nkey k\n", "r:2: expected the key line ('key', a tab, the key)"},
	{"runja-inputs 1\nkey\n", "r:2: expected the key line ('key', a tab, the key)"},
	{"runja-inputs 1\nkey\tk\\\n", "r:2: bad escape in the key ('\\' before another byte than '\\', 't', 'n')"},
	{"runja-inputs 1\nkey\tk\\r\n", "r:2: bad escape in the key ('\\' before another byte than '\\', 't', 'n')"},
	{"runja-inputs 1\nkey\tk\tx\n", "r:2: a second tab in the key line (a tab in the key is written '\\t')"},
	{"runja-inputs 1\nkey\tk\n", "r:3: cut short (no scanned line)"},
	{"runja-inputs 1\nkey\tk\nscanned 1\n", "r:3: expected the scanned line ('scanned', a tab, ns since the epoch)"},
	{"runja-inputs 1\nkey\tk\nscanned\t1\t\n",
	 "r:3: a second tab in the scanned line"},
	{"runja-inputs 1\nkey\tk\nscanned\t\n",
	 "r:3: scanned is not a decimal number (digits after an optional '-', no '+', no leading zero)"},
	{"runja-inputs 1\nkey\tk\nscanned\t9223372036854775808\n", "r:3: scanned out of range"},
	{H "\n", "r:4: expected 4 tab-separated fields (name, size, mtime, hash), found 1"},
	{H "a.png\t1\t2\n", "r:4: expected 4 tab-separated fields (name, size, mtime, hash), found 3"},
	{H "a.png\t1\t2\t0123456789abcdef\tx\n",
	 "r:4: expected 4 tab-separated fields (name, size, mtime, hash), found 5"},
	{H "a.png\t1\t2\t0123456789abcdef\t\n",
	 "r:4: expected 4 tab-separated fields (name, size, mtime, hash), found 5"},
	{H "\t1\t2\t0123456789abcdef\n", "r:4: empty frame name"},
	{H "a\\x.png\t1\t2\t0123456789abcdef\n",
	 "r:4: bad escape in the frame name ('\\' before another byte than '\\', 't', 'n')"},
	{H "a.png\t-1\t2\t0123456789abcdef\n", "r:4: negative size"},
	{H "a.png\t+1\t2\t0123456789abcdef\n",
	 "r:4: size is not a decimal number (digits, no '+', no leading zero)"},
	{H "a.png\t01\t2\t0123456789abcdef\n",
	 "r:4: size is not a decimal number (digits, no '+', no leading zero)"},
	{H "a.png\t1 \t2\t0123456789abcdef\n",
	 "r:4: size is not a decimal number (digits, no '+', no leading zero)"},
	{H "a.png\t\t2\t0123456789abcdef\n", "r:4: size is not a decimal number (digits, no '+', no leading zero)"},
	{H "a.png\t9223372036854775808\t2\t0123456789abcdef\n", "r:4: size out of range"},
	{H "a.png\t99999999999999999999999\t2\t0123456789abcdef\n", "r:4: size out of range"},
	{H "a.png\t1\t-0\t0123456789abcdef\n",
	 "r:4: mtime is not a decimal number (digits after an optional '-', no '+', no leading zero)"},
	{H "a.png\t1\t1e9\t0123456789abcdef\n",
	 "r:4: mtime is not a decimal number (digits after an optional '-', no '+', no leading zero)"},
	{H "a.png\t1\t-9223372036854775809\t0123456789abcdef\n", "r:4: mtime out of range"},
	{H "a.png\t1\t2\t0123456789ABCDEF\n", "r:4: hash is not 16 lowercase hex digits"},
	{H "a.png\t1\t2\t0123456789abcde\n", "r:4: hash is not 16 lowercase hex digits"},
	{H "a.png\t1\t2\t0123456789abcdef0\n", "r:4: hash is not 16 lowercase hex digits"},
	{H "a.png\t1\t2\t0123456789abcdeg\n", "r:4: hash is not 16 lowercase hex digits"},
	{H "a.png\t1\t2\t 123456789abcdef\n", "r:4: hash is not 16 lowercase hex digits"},
	{H F "b.png\t1\t2\t0123456789abcdef\n" F, "r:6: frame listed twice (first on line 4)"},
	{H "a\\tb\t1\t2\t0123456789abcdef\nb\t1\t2\t0123456789abcdef\na\\tb\t1\t2\t0123456789abcdef\n",
	 "r:6: frame listed twice (first on line 4)"},
};

/* each malformed record gives its message, and nothing */
TEST(malformed)
{
	struct inputs in;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(err, "(none)");
		if (inputsparse("r", bad[i].text, strlen(bad[i].text), &in, err, sizeof(err)) != -1 || strcmp(err, bad[i].msg)) {
			printf("  record %zu: \"%s\"\n    expected \"%s\"\n", i, err, bad[i].msg);
			testfailed = 1;
		}
		EXPECT(!in.key && !in.frames && in.nframes == 0);
	}
	EXPECTINT(inputsparse("r", NULL, 0, &in, err, sizeof(err)), -1);
	EXPECTSTR(err, "r:1: empty (not a runja inputs record)");
	/* a NUL byte, which no C string literal above can hold in the middle */
	EXPECTINT(inputsparse("r", H "a\0b\t1\t2\t0123456789abcdef\n", sizeof(H) + 24, &in, err, sizeof(err)), -1);
	EXPECTSTR(err, "r:4: holds a NUL byte");
	/* the extremes that are in range, and a record of no frame */
	EXPECTINT(inputsparse("r", H "a\t9223372036854775807\t-9223372036854775808\tffffffffffffffff\n",
	                      strlen(H) + 60, &in, err, sizeof(err)), 0);
	EXPECTINT(in.frames[0].size, 9223372036854775807LL);
	EXPECTINT(in.frames[0].mtime, -9223372036854775807LL - 1);
	delinputs(&in);
	EXPECTINT(inputsparse("r", H, strlen(H), &in, err, sizeof(err)), 0);
	EXPECTINT(in.nframes, 0);
	delinputs(&in);
}

/* frames scanned, hashed, written, read back: the same; names with spaces, '$', ':', '#', UTF-8, a tab, a line break */
TEST(roundtrip)
{
	static char *names[] = {"a b.png", "$x:#1.png", "donn\xc3\xa9" "es.png", "t\tab.png", "line\nbreak.png",
	                        "back\\slash.png", "cam1/f 2.png"};
	size_t n = sizeof(names) / sizeof(names[0]), i;
	char *rec = tpath("out/" INPUTSNAME), *outdir = tpath("out"), *text, *ls;
	struct inputs in, back;

	for (i = 0; i < n; i++)
		mkframe(names[i], names[i], strlen(names[i]), -100);
	scan(&in, "--op blur:sigma=2", names, n, true);
	EXPECTINT(mkdirp(outdir, err, sizeof(err)), 0);
	EXPECTINT(inputswrite(rec, &in, err, sizeof(err)), 0);
	ls = listing(outdir);
	EXPECTSTR(ls, INPUTSNAME);
	EXPECTINT(inputsread(rec, &back, err, sizeof(err)), 0);
	EXPECTSTR(back.key, "--op blur:sigma=2");
	EXPECTINT(back.scanned, in.scanned);
	EXPECTINT(back.nframes, n);
	for (i = 0; i < n && i < back.nframes; i++) {
		EXPECTSTR(back.frames[i].name, names[i]);
		EXPECTINT(back.frames[i].size, (long long)strlen(names[i]));
		EXPECTINT(back.frames[i].mtime, in.frames[i].mtime);
		EXPECT(back.frames[i].hash == inputshash(names[i], strlen(names[i])));
	}
	text = slurp(rec);
	EXPECT(strstr(text, "\nt\\tab.png\t8\t") && strstr(text, "\nline\\nbreak.png\t14\t"));
	EXPECT(strstr(text, "\nback\\\\slash.png\t") && strstr(text, "\ncam1/f 2.png\t12\t"));
	delinputs(&in), delinputs(&back);
	free(rec), free(outdir), free(text), free(ls);
	clearrun();
}

/* what reading and writing a record say when they cannot */
TEST(readwrite)
{
	char *rec = tpath("none/" INPUTSNAME), *want = xasprintf("%s: No such file or directory", rec), *bad = tpath("bad");
	struct inputframe f = {"a.png", 1, 2, 3, false};
	struct inputs in = {"k", 0, NULL, NULL, &f, 1};

	EXPECTINT(inputsread(rec, &in, err, sizeof(err)), 1);
	EXPECTSTR(err, want);
	EXPECT(!in.key && in.nframes == 0);
	in = (struct inputs){"k", 0, NULL, NULL, &f, 1};
	EXPECTINT(inputswrite(bad, &in, err, sizeof(err)), -1);
	free(want);
	want = xasprintf("%s: frame 'a.png' is not hashed", bad);
	EXPECTSTR(err, want);
	f.hashed = true;
	EXPECTINT(inputswrite(rec, &in, err, sizeof(err)), -1);
	EXPECT(strstr(err, "/none/..runja.inputs.") && strstr(err, ".tmp: No such file or directory"));
	EXPECT(!exists(bad));
	EXPECTINT(writefile(bad, "runja-inputs 1\nkey\tk\n", 21, err, sizeof(err)), 0);
	free(want);
	want = xasprintf("%s:3: cut short (no scanned line)", bad);
	EXPECTINT(inputsread(bad, &in, err, sizeof(err)), -1);
	EXPECTSTR(err, want);
	EXPECT(!in.key);
	unlink(bad);
	free(rec), free(want), free(bad);
}

/* what scanning and hashing say about a frame that is not there or not a file */
TEST(scanerrors)
{
	char *names[] = {"a.png", "b.png", "a.png"}, *nothere[] = {"gone.png"}, *empty[] = {""}, *d = tpath("run/d.png");
	char *dir = tpath("run"), *gone = tpath("run/b.png");
	struct inputs in;

	mkframe("a.png", "x", 1, -100);
	mkframe("b.png", "y", 1, -100);
	EXPECTINT(inputsscan(&in, "k", dir, "run_003", nothere, 1, err, sizeof(err)), -1);
	EXPECTSTR(err, "run_003/gone.png: No such file or directory");
	EXPECT(!in.key && !in.frames);
	EXPECTINT(inputsscan(&in, "k", dir, "run_003", names, 3, err, sizeof(err)), -1);
	EXPECTSTR(err, "run_003/a.png: listed twice");
	EXPECTINT(inputsscan(&in, "k", dir, "run_003", empty, 1, err, sizeof(err)), -1);
	EXPECTSTR(err, "run_003: a frame with an empty name");
	EXPECTINT(mkdirp(d, err, sizeof(err)), 0);
	names[0] = "d.png";
	EXPECTINT(inputsscan(&in, "k", dir, "run_003", names, 1, err, sizeof(err)), -1);
	EXPECTSTR(err, "run_003/d.png: not a regular file");
	/* a frame gone, or become a folder, between its scan and its hashing */
	names[0] = "a.png";
	EXPECTINT(inputsscan(&in, "k", dir, "run_003", names, 2, err, sizeof(err)), 0);
	unlink(gone);
	EXPECTINT(inputshashall(&in, err, sizeof(err)), -1);
	EXPECTSTR(err, "run_003/b.png: cannot open: No such file or directory");
	EXPECT(in.frames[0].hashed && !in.frames[1].hashed);
	EXPECTINT(mkdirp(gone, err, sizeof(err)), 0);
	EXPECTINT(inputshashall(&in, err, sizeof(err)), -1);
	EXPECTSTR(err, "run_003/b.png: read error: Is a directory");
	delinputs(&in);
	clearrun();
	free(d), free(dir), free(gone);
}

/* scan the frames of tmpdir/run as they are now with key, and compare them with old into *d; exits on a read error */
static enum inputsdiff
againwith(const struct inputs *old, const char *key, char *const *names, size_t n)
{
	enum inputsdiff d;
	struct inputs cur;

	scan(&cur, key, names, n, false);
	if (inputscompare(old, &cur, &d, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	delinputs(&cur);
	return d;
}

/* againwith, but the frames made unreadable for the comparison (their folder elsewhere): -1 when it tried to read one */
static int
unread(const struct inputs *old, const char *key, char *const *names, size_t n)
{
	enum inputsdiff d;
	struct inputs cur;
	int r;

	scan(&cur, key, names, n, false);
	free(cur.dir);
	cur.dir = tpath("elsewhere");
	r = inputscompare(old, &cur, &d, err, sizeof(err));
	delinputs(&cur);
	return r < 0 ? -1 : (int)d;
}

/* the record of three frames modified 100 s ago, as written and read back */
static void
recorded(struct inputs *old, char *const *names)
{
	struct inputs in;
	struct buf b;

	mkframe(names[0], "frame one", 9, -100);
	mkframe(names[1], "frame two", 9, -100);
	mkframe(names[2], "frame three", 11, -100);
	scan(&in, "key 1", names, 3, true);
	bufinit(&b);
	inputstext(&in, &b);
	if (inputsparse("r", b.s, b.len, old, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	buffree(&b);
	delinputs(&in);
}

/* the same frames: SAME, with old's hashes taken over, nothing read */
TEST(comparesame)
{
	char *names[] = {"f 1.png", "f 2.png", "f\xc3\xa9.png"};
	struct inputs old, cur;
	enum inputsdiff d;
	size_t i;

	recorded(&old, names);
	scan(&cur, "key 1", names, 3, false);
	/* the frames' folder is elsewhere: a comparison that read them would fail */
	free(cur.dir), cur.dir = tpath("elsewhere");
	EXPECTINT(inputscompare(&old, &cur, &d, err, sizeof(err)), 0);
	EXPECTINT(d, INPUTSSAME);
	for (i = 0; i < 3; i++)
		EXPECT(cur.frames[i].hashed && cur.frames[i].hash == old.frames[i].hash);
	delinputs(&cur);
	delinputs(&old);
	clearrun();
}

/* touched (touch -d) or copied again with the same bytes: TOUCHED; the record of then compares SAME */
TEST(comparetouched)
{
	char *names[] = {"f 1.png", "f 2.png", "f\xc3\xa9.png"}, *f3 = tpath("run/f\xc3\xa9.png");
	struct inputs old, cur, back;
	enum inputsdiff d;
	struct buf b;

	recorded(&old, names);
	touchd(names[1], 1577836800, 0);
	EXPECTINT(againwith(&old, "key 1", names, 3), INPUTSTOUCHED);
	mkframe(names[2], "frame three", 11, 0);
	EXPECTINT(againwith(&old, "key 1", names, 3), INPUTSTOUCHED);
	/* a nanosecond is enough to be looked at */
	touchd(names[1], 1577836800, 1);
	settime(f3, -100);
	scan(&cur, "key 1", names, 3, false);
	EXPECTINT(inputscompare(&old, &cur, &d, err, sizeof(err)), 0);
	EXPECTINT(d, INPUTSTOUCHED);
	bufinit(&b);
	inputstext(&cur, &b);
	EXPECTINT(inputsparse("r", b.s, b.len, &back, err, sizeof(err)), 0);
	EXPECTINT(againwith(&back, "key 1", names, 3), INPUTSSAME);
	buffree(&b);
	delinputs(&cur), delinputs(&old), delinputs(&back);
	free(f3);
	clearrun();
}

/* a byte, a size, a frame added, removed or renamed, another key: CHANGED */
TEST(comparechanged)
{
	char *names[] = {"f 1.png", "f 2.png", "f\xc3\xa9.png"}, *more[] = {"f 1.png", "f 2.png", "f\xc3\xa9.png", "g.png"};
	char *renamed[] = {"f 1.png", "f 2b.png", "f\xc3\xa9.png"}, *f2 = tpath("run/f 2.png"), *f2b = tpath("run/f 2b.png");
	struct inputs old;

	recorded(&old, names);
	/* another key, a frame fewer or more, renamed, a size: told without reading */
	EXPECTINT(unread(&old, "key 2", names, 3), INPUTSCHANGED);
	EXPECTINT(unread(&old, "key 1", names, 2), INPUTSCHANGED);
	mkframe("g.png", "g", 1, -100);
	EXPECTINT(unread(&old, "key 1", more, 4), INPUTSCHANGED);
	EXPECTINT(rename(f2, f2b), 0);
	EXPECTINT(unread(&old, "key 1", renamed, 3), INPUTSCHANGED);
	EXPECTINT(rename(f2b, f2), 0);
	EXPECTINT(againwith(&old, "key 1", names, 3), INPUTSSAME);
	mkframe("f 2.png", "frame two!", 10, -100);
	EXPECTINT(unread(&old, "key 1", names, 3), INPUTSCHANGED);
	/* one byte, the size the same: read */
	mkframe("f 2.png", "frame twO", 9, -50);
	EXPECTINT(unread(&old, "key 1", names, 3), -1);
	EXPECTINT(againwith(&old, "key 1", names, 3), INPUTSCHANGED);
	delinputs(&old);
	free(f2), free(f2b);
	clearrun();
}

/* a frame modified just before its scan is compared by its bytes: a change within the clock's resolution shows */
TEST(compareracy)
{
	char *names[] = {"a.png", "b.png", "c.png"};
	struct inputs in;
	struct stat st;
	char *b = tpath("run/b.png");

	mkframe("a.png", "aaaa", 4, -100);
	mkframe("b.png", "bbbb", 4, 0);
	mkframe("c.png", "cccc", 4, -100);
	scan(&in, "k", names, 3, true);
	EXPECTINT(stat(b, &st), 0);
	/* b.png rewritten within the same tick of the clock: the same size and time, other bytes */
	mkframe("b.png", "BBBB", 4, 0);
	touchd("b.png", st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	EXPECTINT(againwith(&in, "k", names, 3), INPUTSCHANGED);
	/* the same bytes again: looked at, the same, the record to be written again */
	mkframe("b.png", "bbbb", 4, 0);
	touchd("b.png", st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	EXPECTINT(againwith(&in, "k", names, 3), INPUTSTOUCHED);
	/* as it would be, scanned long after */
	in.scanned += INPUTSRACYNS;
	mkframe("b.png", "BBBB", 4, 0);
	touchd("b.png", st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	EXPECTINT(againwith(&in, "k", names, 3), INPUTSSAME);
	delinputs(&in);
	free(b);
	clearrun();
}

/* inputssethash: the bytes a caller read count as the frame's, and a comparison reads nothing more */
TEST(sethash)
{
	char *names[] = {"a.png"};
	struct inputs in, cur;
	enum inputsdiff d;

	mkframe("a.png", "abc", 3, -100);
	scan(&in, "k", names, 1, false);
	inputssethash(&in, 0, "abc", 3);
	EXPECT(in.frames[0].hashed && in.frames[0].hash == 0x44bc2cf5ad770999u);
	scan(&cur, "k", names, 1, false);
	free(cur.dir), cur.dir = tpath("elsewhere");
	/* a time of its own: the hashes are compared, and found the same */
	cur.frames[0].mtime = 1;
	inputssethash(&cur, 0, "abc", 3);
	EXPECTINT(inputscompare(&in, &cur, &d, err, sizeof(err)), 0);
	EXPECTINT(d, INPUTSTOUCHED);
	inputssethash(&cur, 0, "abd", 3);
	EXPECTINT(inputscompare(&in, &cur, &d, err, sizeof(err)), 0);
	EXPECTINT(d, INPUTSCHANGED);
	delinputs(&in), delinputs(&cur);
	clearrun();
}

/* the fuzzer's findings in tests/regress/inputs/: each refused with one line naming it, or read back as it is */
TEST(regress)
{
	const char *dir = "tests/regress/inputs";
	struct inputs in;
	struct dirent *e;
	struct buf b, text;
	size_t seen = 0, n;
	char *path;
	bool ok;
	DIR *d;

	if (!(d = opendir(dir))) {
		printf("  %s: cannot list (run from the top of the tree)\n", dir);
		testfailed = 1;
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (readfile(path, &b, err, sizeof(err)) < 0)
			fatal(1, "%s", err);
		bufinit(&text);
		if (inputsparse(e->d_name, b.s, b.len, &in, err, sizeof(err)) == 0) {
			inputstext(&in, &text);
			ok = text.len == b.len && memcmp(text.s, b.s, b.len) == 0;
			snprintf(err, sizeof(err), "read, but written back otherwise");
		} else {
			n = strlen(e->d_name);
			ok = strncmp(err, e->d_name, n) == 0 && err[n] == ':' && !strchr(err, '\n');
		}
		if (!ok) {
			printf("  %s: %s\n", path, err);
			testfailed = 1;
		}
		seen++;
		delinputs(&in);
		buffree(&b), buffree(&text);
		free(path);
	}
	closedir(d);
	EXPECT(seen > 0);
}

/* inputsfind: the index of a name in a record, nframes when it is not there (not a prefix, not a suffix) */
TEST(find)
{
	const char *text = "runja-inputs 1\nkey\tk\nscanned\t1\na.png\t1\t2\t0000000000000001\nout/run_0/summary.json\t3\t4\t0000000000000002\n";
	struct inputs in;
	char err[256];

	EXPECTINT(inputsparse("r", text, strlen(text), &in, err, sizeof(err)), 0);
	EXPECTINT((int)inputsfind(&in, "a.png"), 0);
	EXPECTINT((int)inputsfind(&in, "out/run_0/summary.json"), 1);
	EXPECTINT((int)inputsfind(&in, "out/run_0/summary"), 2);
	EXPECTINT((int)inputsfind(&in, "a.pn"), 2);
	delinputs(&in);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(hashknown);
	RUN(hashlengths);
	RUN(hashbits);
	RUN(hashfile);
	RUN(text);
	RUN(malformed);
	RUN(roundtrip);
	RUN(readwrite);
	RUN(scanerrors);
	RUN(comparesame);
	RUN(comparetouched);
	RUN(comparechanged);
	RUN(compareracy);
	RUN(sethash);
	RUN(regress);
	RUN(find);
	if (rmtree(tmpdir, err, sizeof(err)) < 0)
		printf("FAIL cleanup: %s\n", err);
	return TESTEXIT();
}
