#ifndef RUNJA_HEAP_H
#define RUNJA_HEAP_H

#include <stdbool.h>

/*
 * Large blocks on huge pages. A run touches tens of MiB of memory it never had (its
 * frames, the products' sums): in 4 KiB pages that is thousands of page faults, a
 * tenth of a short run's time. heaphuge makes glibc's malloc serve blocks of up to
 * HEAPBLOCK from the main heap, one heap for every thread, never shrunk, first grown
 * HEAPPAD at once, and advises the kernel to back that heap with transparent huge
 * pages (2 MiB: one fault instead of 512). Freed blocks are then reused from the heap,
 * not mapped again. Nothing is changed when a limit of the data segment or the address
 * space is set (the pad would count against it) or the kernel has no transparent huge
 * pages. Call it first in main, before any thread starts. True when the heap was so set.
 */
bool heaphuge(void);

#endif
