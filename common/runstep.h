#ifndef RUNJA_RUNSTEP_H
#define RUNJA_RUNSTEP_H

#include <stdbool.h>
#include <stddef.h>

#include "jobs.h"
#include "state.h"

/*
 * What runja-process and runja-exec do around one run's work, the same for both:
 *  1. take the run's lock (STATE/locks/ID), saying so when another build holds it;
 *  2. ask whether the run is up to date (its results made from these very inputs,
 *     perhaps by the build that held the lock) or quarantined: then write nothing;
 *  3. run attempts: in this process when there is no launcher and no retry to make,
 *     else each as a child (this program again, with RUNSTEPFLAG, under the launcher;
 *     with forkattempts and no launcher, a fork of this process doing the same),
 *     trying again after a transient failure (JOBSTRANSIENT, killed from outside, a
 *     launcher's own failure) up to jobs.retries times, jobs.pause seconds apart.
 * An attempt run with RUNSTEPFLAG does the work alone: its parent holds the lock. It
 * holds STATE/locks/HASH.attempt while it runs, so that when its build is killed outright
 * and the attempt lives on (a SLURM job step on a node), the next build waits for it
 * (step 2 comes after) rather than starting another.
 */

/* the flag that makes this program one attempt of a run whose lock its parent holds */
#define RUNSTEPFLAG "--attempt"

/* what a run is when the lock is taken */
enum runcheck {
	RUNCHECKDO,          /* do the work */
	RUNCHECKUPTODATE,    /* its results are up to date: nothing to do */
	RUNCHECKQUARANTINED, /* it failed twice the same way from these inputs: not started */
};

/* one run's step */
struct runstep {
	const char *state;        /* OUT/.runja, or NULL when there is none (a run by hand): no lock */
	const char *id;           /* the run */
	char *const *argv;        /* this program's command line, NULL-terminated, for the attempts */
	bool keepgoing;           /* a failed run exits 0 */
	bool attempt;             /* RUNSTEPFLAG was given: do the work here, nothing else */
	bool selfinterrupt;       /* an attempt records its own interruption (else this step does, through failed) */
	bool forkattempts;        /* with no launcher, an attempt is a fork of this process (jobsattempt's here), not this program started again */
	const struct jobs *jobs;  /* how the run is run */
	enum statefile ended;     /* its outcome stamp: STATEENDED, STATECMDENDED */
	void *ctx;                /* given to the functions below */
	/* where the run stands; -1 with err on an error (then the work is done) */
	int (*check)(void *ctx, enum runcheck *c, char *err, size_t n);
	/* the work, here: 0 done, JOBSTRANSIENT or JOBSFAILED once the failure is recorded, 2 refused (nothing written) */
	int (*work)(void *ctx);
	/* record a failure of an attempt seen from outside it (line says what), as the work records its own */
	void (*failed)(void *ctx, const char *line, const struct jobsend *e);
};

/* run s; returns the exit status: 0 (done, up to date, or failed with keepgoing), 1 failed, 2 an error before any attempt */
int runstep(const struct runstep *s);

struct inputs;

/*
 * Is the run id quarantined for the inputs cur (STATE/quarantine/ID holds inputs that
 * inputscompare finds not changed)? Then *yes, and a line says so with the error in the
 * failure record errpath. A quarantine whose inputs changed is lifted (removed). 0 or -1 with err.
 */
int stepquarantined(const char *state, const char *id, struct inputs *cur, const char *errpath, bool *yes, char *err,
                    size_t n);
/*
 * Run id failed deterministically with error, from the inputs cur (every frame hashed):
 * when its previous failure (was, its error then) came from the same inputs
 * (STATE/tried/ID) with the same error, quarantine it (STATE/quarantine/ID, a line says
 * so, with a depfile whose target is the stamp ended (STATEENDED, STATECMDENDED), GNU
 * make's with make); else remember cur in
 * STATE/tried/ID. Failing to write is not reported: the run
 * is then tried again, which is safe.
 */
void steptried(const char *state, const char *id, struct inputs *cur, const char *was, const char *error,
               enum statefile ended, bool make);
/* lift run id's quarantine: its record and depfile removed, the quarantine folder touched (the regeneration watches it) */
void stepunquarantine(const char *state, const char *id);
/* run id succeeded: forget its failed inputs (STATE/tried/ID) */
void stepsucceeded(const char *state, const char *id);
/*
 * Run id's results are up to date from the inputs cur, yet its failure record rec is
 * there: the attempt that failed saw other inputs (runja-exec: a frame since restored),
 * or the one that made the results was killed before removing the record an earlier one
 * left (runja-process). That failure is past: what holds it (rec itself, or the failed
 * attempt's folder) is removed, as after a success, and the outcome stamp ended is
 * touched, news for the report. Nothing when rec is not there. 0 or -1 with err.
 */
int stepfailurepast(const char *state, const char *id, const struct inputs *cur, const char *rec, const char *holder,
                    enum statefile ended, char *err, size_t n);

#endif
