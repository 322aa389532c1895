/* tests of process/npy.c: the exact bytes of an NPY 1.0 file and write errors */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "process/npy.h"
#include "tests/test.h"

/* the temporary directory of this run, from mkdtemp */
static char tmpdir[] = "/tmp/runja-npy-XXXXXX";

/* read up to max bytes of path into b; returns how many */
static size_t
getfile(const char *path, unsigned char *b, size_t max)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return 0;
	n = fread(b, 1, max, f);
	fclose(f);
	return n;
}

/* the float stored little-endian at b */
static float
getf32le(const unsigned char *b)
{
	uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	float f;

	memcpy(&f, &u, 4);
	return f;
}

TEST(bytes)
{
	static const float px[] = {0, 1, -2.5f, 3.25f, 1e-3f, 65504};
	static const char dict[] = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
	unsigned char b[512];
	char path[256], err[256] = "";
	size_t n, hlen, i;

	snprintf(path, sizeof(path), "%s/a.npy", tmpdir);
	EXPECTINT(npywrite(path, px, 2, 3, err, sizeof(err)), 0);
	EXPECTSTR(err, "");
	n = getfile(path, b, sizeof(b));
	EXPECT(memcmp(b, "\x93NUMPY\x01\x00", 8) == 0);
	hlen = b[8] | b[9] << 8;
	EXPECTINT(hlen, 118);
	EXPECTINT((10 + hlen) % 64, 0);
	EXPECTINT(n, 10 + hlen + 6 * 4);
	EXPECT(memcmp(b + 10, dict, strlen(dict)) == 0);
	for (i = 10 + strlen(dict); i < 10 + hlen - 1; i++)
		EXPECTINT(b[i], ' ');
	EXPECTINT(b[10 + hlen - 1], '\n');
	for (i = 0; i < 6 && n == 10 + hlen + 24; i++)
		EXPECT(getf32le(b + 10 + hlen + 4 * i) == px[i]);
}

TEST(bigshape)
{
	static const float px[] = {0.5f};
	static const char dict[] = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }";
	unsigned char b[512];
	char path[256], err[256] = "";
	size_t n;

	snprintf(path, sizeof(path), "%s/b.npy", tmpdir);
	EXPECTINT(npywrite(path, px, 1, 1, err, sizeof(err)), 0);
	n = getfile(path, b, sizeof(b));
	EXPECTINT(n, 128 + 4);
	EXPECT(memcmp(b + 10, dict, strlen(dict)) == 0);
	EXPECT(getf32le(b + 128) == 0.5f);
}

TEST(errors)
{
	static const float px[] = {1, 2};
	char path[256], err[256] = "";

	snprintf(path, sizeof(path), "%s/nodir/a.npy", tmpdir);
	EXPECTINT(npywrite(path, px, 1, 2, err, sizeof(err)), -1);
	EXPECTSTR(err, "cannot create: No such file or directory");
	EXPECTINT(npywrite("/dev/full", px, 1, 2, err, sizeof(err)), -1);
	EXPECTSTR(err, "write error: No space left on device");
}

int
main(void)
{
	char path[256];

	TESTTMPDIR(tmpdir);
	RUN(bytes);
	RUN(bigshape);
	RUN(errors);
	snprintf(path, sizeof(path), "%s/a.npy", tmpdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/b.npy", tmpdir);
	unlink(path);
	if (rmdir(tmpdir) != 0)
		perror(tmpdir);
	return TESTEXIT();
}
