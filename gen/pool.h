#ifndef RUNJA_POOL_H
#define RUNJA_POOL_H

#include <stddef.h>
#include <stdio.h>

#include "common/pnghead.h"
#include "common/spec.h"
#include "common/state.h"
#include "emit.h"

/*
 * The peak memory in bytes runja-process needs for a run of nframes frames of the
 * size and kind in h, through the ops and products given, on at most threads threads:
 * a model of its buffers (decode, frame, the pipeline's spare and blur buffers, frames
 * held by background, the products' accumulators and time stack, the frames in flight
 * (coreswindow), with threads > 1 each further thread's buffers) plus the program itself.
 */
double estimaterun(const struct pnghead *h, size_t nframes, const struct opspec *ops, size_t nops,
                   const struct prodspec *p, bool npy, int threads);

/*
 * jobs.pool = "auto": a figure for every run, and the pool depth that fits memory bytes
 * (jobs.memory, or 0 for what /proc/meminfo says is available), at least 1. A run's
 * figure is what OUT/.runja/ledger.tsv measured of it (the largest peak RSS of its last
 * few successful attempts with the parameters key it has now, plus a margin), else the
 * estimate (estimaterun; a command's command.memory). Prints the largest figure, the
 * depth and how many runs' figures were measured to out (unless NULL). Available memory
 * is counted in whole GiB, so the depth does not change with every small fluctuation.
 */
int autopool(const struct emit *e, long long memory, FILE *out);
/*
 * Run i's figure as autopool takes it (bytes, 0 when there is none) and the longest of
 * its last few successful attempts with its parameters key in the ledger l (seconds, 0
 * when none was measured)
 */
void poolrunneed(const struct emit *e, size_t i, const struct ledger *l, double *bytes, double *seconds);

#endif
