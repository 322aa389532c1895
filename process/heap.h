#ifndef RUNJA_HEAP_H
#define RUNJA_HEAP_H

#include <stddef.h>

#include "run.h"

/* glibc's heap as runja-process sets it up first thing: frames' buffers reused from it, one heap for every thread */
void heapsetup(void);

/*
 * The heap of the process doing the work of run o (nframes frames, the first at path
 * frame0) in transparent huge pages, asked for here, before the run's buffers are
 * allocated: it grows by what the run needs (estimaterun of frame0's header, a quarter more;
 * 64 MiB at least, 1 GiB at most), that part is advised MADV_HUGEPAGE and given back to
 * the heap unused, where the run's buffers then come from: a page fault per 2 MiB they
 * touch, not per 4 KiB. Left to glibc when GLIBC_TUNABLES named glibc.malloc.hugetlb
 * as this process started (o->tunables): it then does so or not as told. Returns the
 * bytes advised (0: none).
 */
size_t heapadvise(const struct runopts *o, const char *frame0, size_t nframes);

#endif
