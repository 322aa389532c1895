#ifndef RUNJA_POOL_H
#define RUNJA_POOL_H

#include <stddef.h>
#include <stdio.h>

#include "common/pnghead.h"
#include "common/runmem.h"
#include "common/spec.h"
#include "common/state.h"
#include "emit.h"

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
