#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/cores.h"
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

size_t
heapadvise(const struct runopts *o, const char *frame0, size_t nframes)
{
	size_t want, advised = 0;
	struct pnghead h;
	uintptr_t lo, hi;
	char *p = NULL;
	double need = 0;

	if (hugeheapnamed(o->tunables))
		return 0;
	/* what the run needs (common/runmem.h), from its first frame's header (none readable: the least) */
	if (pnghead(frame0, &h) == 0)
		need = estimaterun(&h, nframes, o->ops, o->nops, &o->prods, o->npy, o->threads > 0 ? o->threads : corescpus());
	need *= 1.25;
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
