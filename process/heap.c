#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/cores.h"
#include "common/frames.h"
#include "common/pnghead.h"
#include "common/runmem.h"
#include "common/util.h"
#include "heap.h"

/* a transparent huge page of x86-64, and the least and most of the heap advised */
#define HUGEPAGE ((size_t)2 << 20)
#define HEAPLEAST ((size_t)64 << 20)
#define HEAPMOST ((size_t)1 << 30)
/* glibc's thresholds as heapsetup sets them: blocks mapped apart from the heap, the heap's free top given back */
#define HEAPMMAP (64 << 20)
#define HEAPTRIM (256 << 20)

void
heapsetup(void)
{
	/*
	 * A frame's buffers (its file, the rows being inflated, its pixels) are freed and
	 * allocated again for the next frame: from the heap, and kept there, so that the next
	 * frame reuses their pages instead of faulting in zeroed ones (glibc maps blocks of
	 * over 128 KiB afresh, and returns the heap's free top, until it adapts).
	 */
	mallopt(M_MMAP_THRESHOLD, HEAPMMAP);
	mallopt(M_TRIM_THRESHOLD, HEAPTRIM);
	/*
	 * One heap for every thread: a frame's worker allocates its buffers a few times a
	 * frame, where a heap of its own (glibc's arena per thread) would be pages touched
	 * for the first time by every thread of every run, beside those the heap already has.
	 */
	mallopt(M_ARENA_MAX, 1);
}

/* the bytes run o is estimated to need (common/runmem.h), from its first frame's header; 0 when it has none readable */
static double
heapneed(const struct runopts *o)
{
	char **names, *path, err[512];
	struct pnghead h;
	size_t nnames;
	double need = 0;

	if (listframesquiet(o->rundir, o->frames, o->id, &names, &nnames, err, sizeof(err)) < 0)
		return 0;
	if (nnames > 0) {
		path = xasprintf("%s/%s", o->rundir, names[0]);
		if (pnghead(path, &h) == 0)
			need = estimaterun(&h, nnames, o->ops, o->nops, &o->prods, o->npy,
			                   o->threads > 0 ? o->threads : corescpus());
		free(path);
	}
	delstrv(names, nnames);
	return need;
}

size_t
heapadvise(const struct runopts *o)
{
	size_t want, advised = 0;
	uintptr_t lo, hi;
	char *p = NULL;
	double need;

	if (o->tunables && strstr(o->tunables, "glibc.malloc.hugetlb="))
		return 0;
	need = heapneed(o) * 1.25;
	want = need > (double)HEAPMOST ? HEAPMOST : need < (double)HEAPLEAST ? HEAPLEAST : (size_t)need;
	want = (want + HUGEPAGE - 1) & ~(HUGEPAGE - 1);
	/* from the heap's top, not mapped apart: the threshold above it for this block */
	mallopt(M_MMAP_THRESHOLD, (int)(want + HUGEPAGE));
	for (; want >= HEAPLEAST && !(p = malloc(want)); want /= 2)
		;
	mallopt(M_MMAP_THRESHOLD, HEAPMMAP);
	if (!p)
		return 0;
	/* the whole huge pages inside the block, none of which malloc touched; given back, not trimmed */
	lo = ((uintptr_t)p + HUGEPAGE - 1) & ~(uintptr_t)(HUGEPAGE - 1);
	hi = ((uintptr_t)p + want) & ~(uintptr_t)(HUGEPAGE - 1);
	if (want + HUGEPAGE > (size_t)HEAPTRIM)
		mallopt(M_TRIM_THRESHOLD, (int)(want + 2 * HUGEPAGE));
	if ((uintptr_t)p + want <= (uintptr_t)sbrk(0) && hi > lo && madvise((void *)lo, hi - lo, MADV_HUGEPAGE) == 0)
		advised = hi - lo;
	free(p);
	return advised;
}
