#ifndef RUNJA_EXECSTEP_H
#define RUNJA_EXECSTEP_H

#include <stdbool.h>

#include "execrun.h"

/*
 * runja-exec's step (common/runstep.h): the run's lock, the look at whether its
 * results are up to date (CMDOUT/.runja.inputs: the same arguments, the same bytes of
 * frames and of the program's files) or it is quarantined, then the attempts.
 */

/* the wrapper's own flags, beside what an attempt does */
struct execflags {
	bool keepgoing;        /* a failed run exits 0 */
	bool attempt;          /* --attempt: one attempt whose parent holds the lock */
	bool warm;             /* --warm given */
	const char *runjadir;  /* where warm.py is installed */
};

/* run the step of o (its timeout and warm mode from OUT/.runja/jobs unless given); argv is the wrapper's command line; the exit status, or death by the signal that interrupted it */
int execstep(struct execopts *o, char *const *argv, const struct execflags *f);

#endif
