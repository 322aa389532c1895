#ifndef RUNJA_RUN_H
#define RUNJA_RUN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/spec.h"

/* what one run is processed with: runja-process's command line */
struct runopts {
	const char *id;          /* the run's name in messages and summary.json */
	const char *rundir;      /* RUNDIR: its frames, read-only */
	const char *outdir;      /* OUTDIR: OUT/RUNID, where its products go */
	const char *frames;      /* the frames inside rundir: GLOB or SUB/GLOB */
	const char *depfile;     /* the depfile to write, or NULL */
	const char *failwith;    /* fail with this line without reading a frame (a bad override), or NULL */
	enum channel channel;    /* how RGB frames become one channel */
	long long maxpixels;     /* refuse larger frames */
	bool skipbad;            /* a bad frame is left out (else it fails the run) */
	bool npy;                /* also write .npy beside each image product */
	bool depphony;           /* the depfile is for GNU make: stricter names, an empty rule per input */
	int compression;         /* compression 0-9 of the PNG products (png.h) */
	struct opspec *ops;      /* the ops in order, borrowed */
	size_t nops;
	struct prodspec prods;   /* the products */
	json_t *argv;            /* summary.json's "argv": the command line as given, borrowed */
	int threads;             /* most threads for its frames (jobs.threads), 0: as many as its CPUs and the tokens allow */
	char *tunables;          /* GLIBC_TUNABLES as this process started (what glibc read), or NULL: for RUNJA_DEBUG=heap; owned */
};

/*
 * Would the run write into raw data? -1 with one line in err when its output folder,
 * OUT/.runja (the ledger's folder) or the depfile is the run folder, lies inside it or
 * holds it, '..' and links resolved; else 0. Writes nothing.
 */
int runguard(const struct runopts *o, char *err, size_t n);

/*
 * Process one run: decode its frames in natural order, apply the ops, write the products
 * and summary.json (renamed in only when all succeeded), the depfile, the failure record
 * (OUTDIR/error.txt, removed on success) and a ledger line. 0, or -1 with the one error line
 * ("RUNID/FRAME: cause") in err; the run is then never taken for done (no summary.json).
 * -JOBSTRANSIENT (common/jobs.h) instead when the output file system lacks room for the products
 * (spacecheck): nothing of them is written then, the previous ones stay.
 */
int runone(const struct runopts *o, char *err, size_t n);
/*
 * One attempt at the run, as runone, keeping what its results were made from under key
 * (step.h) and noting a deterministic failure for quarantine (STATE/tried/ID, then
 * STATE/quarantine/ID); its error line printed. 0, JOBSTRANSIENT (the cause may pass:
 * EIO, no space ...) or JOBSFAILED.
 */
int runattempt(const struct runopts *o, const char *key, char *err, size_t n);
/* record an attempt that failed outside the run's own code (line: "killed by SIGKILL from outside"): error.txt, a ledger line */
struct jobsend;
void runfailedoutside(const struct runopts *o, const char *line, const struct jobsend *e);
/* write o's depfile from in (the frames and files of a run found up to date): it may be gone, or of an older runja; 0 or -1 with err */
struct inputs;
int rundeps(const struct runopts *o, const struct inputs *in, char *err, size_t n);
/* OUT of o's output folder OUT/ID, or NULL when it is no such folder; caller frees */
char *runroot(const struct runopts *o);

#endif
