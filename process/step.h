#ifndef RUNJA_STEP_H
#define RUNJA_STEP_H

#include <stdbool.h>

#include "common/inputs.h"
#include "run.h"

/*
 * runja-process's step (common/runstep.h): the run's lock, the look at whether its
 * results are up to date (OUTDIR/.runja.inputs: the same parameters, the same frame
 * bytes) or it is quarantined, then the attempts.
 */

/* what computes the run's results: summary.json's argv as compact JSON; caller frees */
char *stepkey(const struct runopts *o);
/* in = what run o's results are made from, as it is now: frames[0..nframes) and the files its ops read (background's), stat'ed, under key; 0 or -1 with err */
int stepinputs(const struct runopts *o, const char *key, char *const *frames, size_t nframes, struct inputs *in, char *err,
               size_t n);
/*
 * Date the run's outputs no earlier than its newest frame (frames dated ahead of this
 * machine's clock: a warning once) or, with tonow, than now; 0 or -1 with err.
 */
int stepdate(const struct runopts *o, const struct inputs *in, bool tonow, char *err, size_t n);
/* run the step of o; argv is the program's command line (for attempts as children); returns the exit status */
int stepmain(const struct runopts *o, char *const *argv, bool keepgoing, bool attempt);

#endif
