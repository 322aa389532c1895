#ifndef RUNJA_RUNINFO_H
#define RUNJA_RUNINFO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/state.h"

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
	double *fx, *fy;      /* front.csv: frame index and position (NAN: no front), owned */
	size_t nfront;        /* points in fx and fy */
	enum runstate cstate; /* COMMAND, AFTER: the command's, RUNDONE or RUNFAILED */
	json_t *csum;         /* cstate RUNDONE: the command's summary.json, owned */
	char *cerror;         /* cstate RUNFAILED: the first line of its error.txt, owned */
	char *clog;           /* cstate RUNFAILED: the last lines of its runja.log, plain text, owned; NULL: none */
	double seconds;       /* COMMAND, AFTER: the last attempt's, from the ledger; -1: unknown */
	bool quarantined;     /* failed, and quarantined (OUT/.runja/quarantine/ID): its errors say so */
};

/*
 * What OUT/ID holds into *ri (id borrowed): error.txt, summary.json, front.csv of the
 * pipeline, or the command's summary.json (in OUT/ID, or OUT/ID/command after the
 * pipeline), and the command's failure record STATE/failed/ID. A summary that cannot
 * be read or is not runja's is warned about and makes its run or command failed. A
 * failed run with a quarantine record is quarantined, and its error says so.
 */
void runinforead(const char *outdir, const char *id, struct runinfo *ri);
/* free what ri owns */
void runinfofree(struct runinfo *ri);
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
