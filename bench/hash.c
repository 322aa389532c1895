/*
 * bench/hash: the speed of the inputs record's hash (common/inputs.c).
 *   hash mem MIB        hash MIB MiB in memory 5 times: "GB/s" of the median
 *   hash run DIR KEY    scan and hash the frames (*.png) of run folder DIR 5 times, after
 *                       one pass that brings them into the page cache: "SECONDS FRAMES BYTES"
 *                       of the median
 * Built by bench/hash.sh against libcommon.a.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/frames.h"
#include "common/inputs.h"
#include "common/util.h"

enum { ROUNDS = 5 };

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int
cmpdouble(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* the median of v[0..ROUNDS) (sorted here) */
static double
median(double *v)
{
	qsort(v, ROUNDS, sizeof(*v), cmpdouble);
	return v[ROUNDS / 2];
}

static void
mem(size_t mib)
{
	size_t n = mib << 20, i;
	unsigned char *b = xmalloc(n);
	double t[ROUNDS], t0;
	uint64_t h = 0;
	int r;

	/* every page written first, so no round pays for faulting them in */
	for (i = 0; i < n; i++)
		b[i] = (unsigned char)(i * 7 + 3);
	for (r = 0; r < ROUNDS; r++) {
		t0 = now();
		h ^= inputshash(b, n);
		t[r] = now() - t0;
	}
	printf("%.2f GB/s (%zu MiB, hash %016llx)\n", (double)n / median(t) / 1e9, mib, (unsigned long long)h);
	free(b);
}

static void
run(const char *dir, const char *key)
{
	char err[1024], **names;
	double t[ROUNDS], t0;
	long long bytes = 0;
	struct inputs in;
	size_t n, i;
	int r;

	if (listframes(dir, "*.png", dir, &names, &n, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	for (r = -1; r < ROUNDS; r++) {
		t0 = now();
		if (inputsscan(&in, key, dir, dir, names, n, err, sizeof(err)) < 0 || inputshashall(&in, err, sizeof(err)) < 0)
			fatal(1, "%s", err);
		if (r >= 0)
			t[r] = now() - t0;
		for (bytes = 0, i = 0; i < in.nframes; i++)
			bytes += in.frames[i].size;
		delinputs(&in);
	}
	printf("%.4f %zu %lld\n", median(t), n, bytes);
	delstrv(names, n);
}

int
main(int argc, char **argv)
{
	argv0 = "hash";
	if (argc == 3 && strcmp(argv[1], "mem") == 0)
		mem((size_t)strtoul(argv[2], NULL, 10));
	else if (argc == 4 && strcmp(argv[1], "run") == 0)
		run(argv[2], argv[3]);
	else
		fatal(2, "usage: hash mem MIB | hash run DIR KEY");
	return 0;
}
