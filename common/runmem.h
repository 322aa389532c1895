#ifndef RUNJA_RUNMEM_H
#define RUNJA_RUNMEM_H

#include <stdbool.h>
#include <stddef.h>

#include "pnghead.h"
#include "spec.h"

/*
 * The peak memory in bytes runja-process needs for a run of nframes frames of the
 * size and kind in h, through the ops and products given, on at most threads threads:
 * a model of its buffers (decode, frame, the pipeline's spare and blur buffers, frames
 * held by background, the products' accumulators and time stack, the frames in flight
 * (coreswindow), with threads > 1 each further thread's buffers) plus the program itself.
 */
double estimaterun(const struct pnghead *h, size_t nframes, const struct opspec *ops, size_t nops,
                   const struct prodspec *p, bool npy, int threads);

#endif
