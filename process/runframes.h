#ifndef RUNJA_RUNFRAMES_H
#define RUNJA_RUNFRAMES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/inputs.h"
#include "common/spec.h"
#include "common/util.h"

struct cores;
struct products;
struct progressout;
struct runopts;
struct thumbs;

/* the run being processed: its options (copied from struct runopts) and what the processing holds */
struct run {
	const char *id, *rundir, *outdir, *frames, *depfile;
	const char *failwith;  /* fail with this line without reading a frame (a bad override), or NULL */
	enum channel channel;
	long long maxpixels;
	bool skipbad, npy;
	bool depphony;      /* the depfile is for GNU make: stricter names, an empty rule per input */
	int compression;
	struct opspec *ops;
	size_t nops;
	struct prodspec prods;
	struct products *acc;
	struct thumbs *thumbs;  /* the thumbnails of its image products (OUT known), or NULL */
	struct buf deps;    /* depfile text */
	json_t *skipped;    /* [{file, error}] */
	json_t *argv;       /* the command line after the program name, as given */
	const char *key;    /* what computes the results (step.h), or NULL: no inputs record */
	const struct runopts *o; /* the options the run was made from */
	struct inputs in;   /* the frames as they were looked at before processing (with key) */
	const char *state;  /* OUT/.runja, or NULL when OUT is not known */
	const char *pkey;   /* the parameters key, for the ledger and the progress record */
	double start;       /* when the attempt began, seconds since the epoch */
	struct progressout *progress;  /* how far it is, for runja-gen --status, or NULL */
	struct cores *cores;  /* the cores its frames and products may use (made with the frames' pipeline) */
	int threads;        /* most threads for its frames, 0: as many as it has CPUs */
	int nthreads;       /* the most it ran at once */
	size_t advised;     /* bytes of heap advised for huge pages (heapadvise) */
	char *err;          /* where a frame's error line goes, and its size */
	size_t nerr;
};

/*
 * Decode the run's frames names[0..nnames) (in natural order), run the pipeline and add
 * them to r->acc, finished, on as many threads as r->cores allows (process/workers.h).
 * 0, or -1 with "RUNID/FRAME: cause" or "RUNID: cause" in err.
 */
int runframes(struct run *r, char **names, size_t nnames, char *err, size_t n);

#endif
