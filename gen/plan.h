#ifndef RUNJA_PLAN_H
#define RUNJA_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "emit.h"

/* one step of the build: a run's built-in pipeline (runja-process) or its command (runja-exec) */
struct step {
	bool command;            /* runja-exec's step, else runja-process's */
	const struct run *r;     /* the run, borrowed */
	size_t run;              /* its index in the scan (and in the emit's params) */
	char **outputs;          /* the outcome stamp (OUT/.runja/ended/HASH: what the report and a command after the pipeline depend on, the depfile's target), then summary.json and the products, a command's stamp, or a quarantine record */
	size_t noutputs;
	char *after;             /* an input made by another step (the pipeline's summary.json for its command), or NULL */
	char **argv;             /* the program's arguments, unquoted */
	size_t nargv;
	char *depfile;           /* the depfile the step writes */
	bool quarantined;        /* its run is quarantined: its outputs are the outcome stamp and OUT/.runja/quarantine/ID */
};

/* a path the regeneration watches: an input of the build file that may vanish */
struct watch {
	char *path;              /* build-relative */
	char *what;              /* what it is, for a writer's messages: "folder 'data'", "run 'run_1'" */
	bool dir;                /* a folder */
	bool settling;           /* it never exists (a run waits on time or permissions): regenerate every build */
};

/* the build graph, computed once from what runja-gen found; written by emitninja and emitmake */
struct plan {
	struct step *steps;      /* per run: its pipeline step, then its command step, in the runs' order */
	size_t nsteps;
	char **summaries;        /* the report's inputs: each step's outcome stamp (its first output), in order */
	size_t nsummaries;
	char **products;         /* every other output of the steps (summary.json, products, a command's stamp): make's goal and report wait for them */
	size_t nproducts;
	char *summary, *index;   /* the report's outputs: OUT/summary.csv, OUT/index.html */
	char *runlist[3];        /* what runja-gen writes for the report: OUT/.runja/runs, waiting, report.json */
	char *jobs;              /* how runs are run, OUT/.runja/jobs: also written by runja-gen, read by no edge */
	struct watch *watch;     /* what the regeneration watches besides runja.cfg, the programs, the templates */
	size_t nwatch;
};

/* compute the plan of e into p (free with delplan) */
void mkplan(struct plan *p, const struct emit *e);
/* free what p owns */
void delplan(struct plan *p);
/* the runs whose step is quarantined, ", " between their ids, appended to ids; returns how many */
size_t planquarantined(const struct emit *e, struct buf *ids);
/*
 * append the text of OUT/.runja/jobs for e's config (common/jobs.h): how runs are run,
 * read by the programs, an input of no edge; with launcher "slurm", what each run needs
 * where jobs.slurm does not say (gen/slurmneed.h)
 */
void planjobs(struct buf *b, const struct emit *e);
/* append the text of OUT/.runja/report.json for c: command.report as JSON ({} when none), an input of the report */
void planreport(struct buf *b, const struct conf *c);

#endif
