#ifndef RUNJA_EXECRUN_H
#define RUNJA_EXECRUN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct inputs;

/* one attempt of runja-exec: a user's program run on one run */
struct execopts {
	const char *id;        /* run id (may be nested: "2026-03/run_017") */
	const char *frames;    /* the frames inside rundir: GLOB or SUB/GLOB */
	const char *state;     /* STATE, OUT/.runja: work/, failed/, alias/, ledger.tsv */
	const char *rundir;    /* RUNDIR, as seen from the cwd (which the program keeps) */
	const char *cmdout;    /* CMDOUT: the folder the results replace as a whole */
	const char *pipeline;  /* {pipeline}, the built-in products' folder OUT/ID, or NULL */
	const char *depfile;   /* the depfile to write (a path inside cmdout), or NULL */
	const char *warm;      /* the fork server's script (warm.py) when PROGRAM is PYTHON SCRIPT run warm, or NULL */
	double warmidle;       /* seconds a warm server stays up without work */
	const char *stamp;     /* a file written after a success: the build edge's output and the depfile's target, or NULL */
	bool depphony;         /* the depfile is for GNU make */
	long timeout;          /* seconds, 0 for no limit */
	const json_t *params;  /* the parameters, an object (borrowed) */
	char *const *prog;     /* PROGRAM ARG..., placeholders not expanded, NULL-terminated (borrowed) */
	const json_t *argv;    /* the wrapper's arguments, summary.json's "argv" (borrowed) */
	const char *failwith;  /* fail the attempt with this line without running the program (a bad override), or NULL */
	const char *key;       /* what computes the results (summary.json's argv, compact): keep CMDOUT/.runja.inputs, or NULL */
	char *const *inputs;   /* the program's own files (--input), whose bytes are part of what computes the results */
	size_t ninputs;
	const char *paramkey;  /* the parameters key of prog and params (common/paramkey.h), for the ledger, or NULL */
};

/*
 * Run o's program on its run (README: "Your own program per run"): list the frames, run it in a
 * fresh STATE/work/ID/out, and on success swap that folder, with summary.json, runja.log
 * and the depfile added, with o->cmdout; on failure leave cmdout as it was and write
 * STATE/failed/ID/error.txt and runja.log, and print the log's last 10 lines to stderr.
 * A ledger line either way. Before the program starts, CMDOUT's file system must have room
 * for results the size of the previous ones (spacecommand) plus a margin: else the attempt
 * fails as above, without running it, and returns JOBSTRANSIENT (common/jobs.h).
 * Returns the exit status: 0, 1 (failed), JOBSTRANSIENT or 2 (bad usage: a
 * placeholder, or CMDOUT, STATE or another path written to that is, lies inside or holds
 * RUNDIR; nothing written then, no ledger line), with the one error line in err; *sig is
 * the signal that interrupted the wrapper (the caller dies of it), or 0.
 */
int execrun(const struct execopts *o, int *sig, bool *transient, char *err, size_t n);
/* execrun's refusal, before anything is written (the run's lock too): -1 with err for an id that is no run id or a folder in raw data */
int execguard(const struct execopts *o, char *err, size_t n);
/*
 * What the results of o are made from, as they are now: the frames names[0..nnames)
 * (RUNDIR/NAME), the pipeline's summary.json (PIPELINE/summary.json, with --pipeline:
 * its bytes change exactly when the pipeline's results or their parameters do) and the
 * program's files, stat'ed, under o->key; 0 or -1 with err.
 */
int execinputs(const struct execopts *o, char *const *names, size_t nnames, struct inputs *in, char *err, size_t n);

#endif
