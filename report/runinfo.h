#ifndef RUNJA_RUNINFO_H
#define RUNJA_RUNINFO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/state.h"
#include "show.h"

struct buf;

/* the folder of the command's results in OUT/RUNID with after_pipeline */
#define AFTERDIR "command"

/* what processed a run: the built-in pipeline, or a user's own command (runja.cfg command) */
enum runkind {
	PIPELINE,  /* the built-in pipeline alone (or nothing yet) */
	COMMAND,   /* the command alone: its results are OUT/ID */
	AFTER,     /* the pipeline, then the command (after_pipeline): its results are OUT/ID/command */
};

/* what the report shows of one run */
struct runinfo {
	const char *id;       /* borrowed from the run list */
	enum runkind kind;    /* what processed it */
	enum runstate state;  /* the pipeline's (RUNNEW: not processed yet), COMMAND: the command's; RUNWAITING: in the waiting list */
	json_t *sum;          /* RUNDONE, not COMMAND: the pipeline's summary.json, owned */
	char *error;          /* RUNFAILED: the first line of error.txt; RUNWAITING: why; owned */
	enum runstate cstate; /* COMMAND, AFTER: the command's, RUNDONE or RUNFAILED */
	json_t *csum;         /* cstate RUNDONE: the command's summary.json, owned */
	char *cerror;         /* cstate RUNFAILED: the first line of its error.txt, owned */
	char *clog;           /* cstate RUNFAILED: the last lines of its runja.log, plain text, owned; NULL: none */
	double seconds;       /* the last attempt's wall time, from the ledger; -1: unknown */
	long long maxrss;     /* the last attempt's peak memory in KiB, from the ledger; -1: unknown */
	double acq;           /* when its first frame was written (its acquisition), s since the epoch; NAN: unknown */
	bool hasframes;       /* RUNDONE, not COMMAND: per-frame statistics are there (.runja.frames or stats.csv) */
	bool hasfront;        /* RUNDONE, not COMMAND: front.csv is there */
	struct showgot *got;  /* cstate RUNDONE: the values of command.report (report/show.h), one each; owned */
	bool quarantined;     /* failed, and quarantined (OUT/.runja/quarantine/ID): its errors say so */
};

/*
 * What OUT/ID holds into *ri (id borrowed): error.txt, summary.json of the pipeline,
 * or the command's summary.json (in OUT/ID, or OUT/ID/command after the pipeline),
 * the command's failure record STATE/failed/ID, when the first frame was written
 * (.runja.inputs), and the values show names (NULL: none) of a command that is done.
 * A summary that cannot be read or is not runja's is warned about and makes its run or
 * command failed. A failed run with a quarantine record is quarantined, and its error
 * says so. The ledger's figures are not read here (seconds and maxrss are -1).
 */
void runinforead(const char *outdir, const char *id, const struct show *show, struct runinfo *ri);
/* the folder of ri's command results: OUT/ID, or OUT/ID/command after the pipeline; caller frees */
char *runinfocmddir(const char *outdir, const struct runinfo *ri);
/* free what ri owns (nvalues: the values of command.report it may hold) */
void runinfofree(struct runinfo *ri, size_t nvalues);
/* what the header counts ri as: a run whose command failed is failed */
enum runstate runinfostate(const struct runinfo *ri);
/* natural order of run ids, for qsort */
int runinfocmp(const void *a, const void *b);
/* the integer field key of a summary */
long long runinfoint(const json_t *sum, const char *key);
/*
 * Append the last nlines lines of a log (text, len bytes; statetail's lines) to out as
 * plain text (stateplain), one "\n" between lines; "…" first when partial (text starts
 * inside the log) and the first line is cut.
 */
void reportlogtail(struct buf *out, const char *text, size_t len, int partial, int nlines);

#endif
