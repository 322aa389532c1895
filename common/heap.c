#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "heap.h"

/* blocks up to this many bytes come from the heap (glibc's largest mmap threshold) */
enum { HEAPBLOCK = 32 << 20 };
/* the heap's first growth (address space only: a page is backed when first touched) */
enum { HEAPPAD = 256 << 20 };
/* the size of a transparent huge page on x86-64 */
enum { HUGEPAGE = 2 << 20 };

/* is resource r unlimited? */
static bool
unlimited(int r)
{
	struct rlimit l;

	return getrlimit(r, &l) == 0 && l.rlim_cur == RLIM_INFINITY;
}

/* may the kernel back a region advised MADV_HUGEPAGE with huge pages ("always" or "madvise")? */
static bool
thpmadvise(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	char line[128];
	bool ok = false;

	if (!f)
		return false;
	if (fgets(line, sizeof(line), f))
		ok = strstr(line, "[always]") || strstr(line, "[madvise]");
	fclose(f);
	return ok;
}

bool
heaphuge(void)
{
	void *volatile p;  /* volatile: a malloc and free of nothing the compiler may drop */
	uintptr_t lo, hi;

	if (!unlimited(RLIMIT_DATA) || !unlimited(RLIMIT_AS) || !thpmadvise())
		return false;
	if (mallopt(M_ARENA_MAX, 1) != 1 || mallopt(M_MMAP_THRESHOLD, HEAPBLOCK) != 1 ||
	    mallopt(M_TRIM_THRESHOLD, 2 * HEAPPAD) != 1 || mallopt(M_TOP_PAD, HEAPPAD) != 1)
		return false;
	/* grow the heap once, by the pad, and advise all of it */
	lo = (uintptr_t)sbrk(0);
	p = malloc(HUGEPAGE);
	free(p);
	hi = (uintptr_t)sbrk(0);
	lo = (lo + HUGEPAGE - 1) & ~(uintptr_t)(HUGEPAGE - 1);
	return hi > lo + HUGEPAGE && madvise((void *)lo, hi - lo, MADV_HUGEPAGE) == 0;
}
