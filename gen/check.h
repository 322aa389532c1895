#ifndef RUNJA_CHECK_H
#define RUNJA_CHECK_H

#include <stddef.h>
#include <stdio.h>

#include "common/state.h"
#include "emit.h"

/*
 * runja-gen --check: compare every run with what was last built and print one line
 * "RUNID: why" for each that is not up to date (new, frames changed, parameters
 * changed, program changed, failed last time: ..., outputs missing, removed).
 * prevruns is the run list of the last generation (one id a line) or NULL.
 * Returns the number of lines printed (or that would be, when out is NULL).
 */
size_t checkruns(const struct emit *e, const char *prevruns, FILE *out);
/* the state of run i (done, new, failed or stale), and why it is not done ("new", "frames changed", ...) into *reason (caller frees; NULL when done) */
enum runstate checkrun(const struct emit *e, size_t i, char **reason);

#endif
