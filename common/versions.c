/*
 * The versions of what computes a run's results, and the token that names those a run
 * uses (specresults). Each op's version is in its declaration (process/ops/NAME.c); the
 * others are here, one line each, with the code they stand for.
 *
 * Bump a version when a change to its code alters a byte that code writes for some
 * input (new arithmetic, a fix, another format), and only then: each run's command line
 * carries the token, so a bump reruns exactly the runs that use what changed, and a new
 * build that bumps nothing reruns nothing. tests/e2e/results-versions.sh fails when an
 * output changes and no version did.
 */
#include <stdbool.h>
#include <string.h>

#include "opdesc.h"
#include "spec.h"
#include "util.h"

/* process/png.c, process/pngfast.c: the [0,1] values a frame of any kind decodes to, through each channel */
#define VDECODE 1
/* process/pngwrite.c: the 16-bit PNG image products, their mapping from [lo, hi] and their bytes */
#define VPNG 1
/* process/npy.c: the float32 .npy image products */
#define VNPY 1
/* process/products.c: each product's values: mean, std, min, max images (and their lo, hi) */
#define VMEAN 1
#define VSTD 1
#define VMIN 1
#define VMAX 1
/* ... stats.csv */
#define VSTATS 1
/* ... the time stack image */
#define VTIMESTACK 1
/* ... front.csv, and front_speed in summary.json */
#define VFRONT 1
/* process/run.c: summary.json: its fields and what only it holds (the frame counts, the global mean and std) */
#define VSUMMARY 1

void
specresults(struct buf *b, const struct opspec *ops, size_t nops, const struct prodspec *p, bool npy)
{
	bool images = p->mean || p->std || p->min || p->max || p->timestack, seen[NOPKINDS];
	const struct {
		bool on;           /* used by this run */
		const char *name;  /* in the token */
		int version;
	} parts[] = {
		{images, "png", VPNG}, {images && npy, "npy", VNPY}, {p->mean, "mean", VMEAN}, {p->std, "std", VSTD},
		{p->min, "min", VMIN}, {p->max, "max", VMAX}, {p->stats, "stats", VSTATS},
		{p->timestack, "timestack", VTIMESTACK}, {p->front, "front", VFRONT}, {true, "sum", VSUMMARY},
	};
	size_t i;

	memset(seen, 0, sizeof(seen));
	bufprintf(b, "d%d", VDECODE);
	for (i = 0; i < nops; i++) {
		if (seen[ops[i].kind])
			continue;
		seen[ops[i].kind] = true;
		bufprintf(b, ".%s%d", opname(ops[i].kind), opdesc(ops[i].kind)->version);
	}
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i].on)
			bufprintf(b, ".%s%d", parts[i].name, parts[i].version);
}

int
specresultscheck(const char *token, const struct opspec *ops, size_t nops, const struct prodspec *p, bool npy,
                 char *err, size_t n)
{
	struct buf b;
	int r = 0;

	bufinit(&b);
	specresults(&b, ops, nops, p, npy);
	if (strcmp(token, b.s) != 0)
		r = seterr(err, n, "--results '%s' is not what this runja-process computes ('%s'); "
		           "regenerate the build file with runja-gen", token, b.s);
	buffree(&b);
	return r;
}
