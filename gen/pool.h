#ifndef RUNJA_POOL_H
#define RUNJA_POOL_H

#include <stddef.h>
#include <stdio.h>

#include "common/pnghead.h"
#include "common/spec.h"
#include "emit.h"

/*
 * The peak memory in bytes runja-process needs for a run of nframes frames of the
 * size and kind in h, through the ops and products given: a model of its buffers
 * (decode, frame, the pipeline's spare and blur buffers, frames held by background,
 * the products' accumulators and time stack) plus the program itself.
 */
double estimaterun(const struct pnghead *h, size_t nframes, const struct opspec *ops, size_t nops,
                   const struct prodspec *p, bool npy);

/*
 * jobs.pool = "auto": estimate every run, and return the pool depth that fits
 * memory bytes (jobs.memory, or 0 for what /proc/meminfo says is available), at
 * least 1. Prints the estimate and the depth to out (unless NULL). Available memory
 * is counted in whole GiB, so the depth does not change with every small fluctuation.
 */
int autopool(const struct emit *e, long long memory, FILE *out);

#endif
