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
/*
 * With command.after_pipeline: a command's record written by an earlier runja-exec did
 * not name the pipeline's summary.json, and a changed pipeline could leave its results
 * made from the old products. Where the pipeline's summary is newer than such a record's
 * scan, remove the command's stamp, so that the build starts its step, which runs the
 * program again. Returns how many; done by the regeneration, which a new runja-gen runs.
 */
size_t checkunnamedpipeline(const struct emit *e);
/* the state of run i (done, new, failed or stale), and why it is not done ("new", "frames changed", ...) into *reason (caller frees; NULL when done) */
enum runstate checkrun(const struct emit *e, size_t i, char **reason);

#endif
