#ifndef RUNJA_SLURM_H
#define RUNJA_SLURM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common/util.h"
#include "emit.h"

struct slurmsite;

/* what --slurm-script does: bits */
enum {
	SLURMSCRIPT = 1,  /* print the script */
	SLURMSUBMIT = 2,  /* --slurm-submit: sbatch it, print the job id */
	SLURMARRAY = 4,   /* --array: a job array (also jobs.slurm.array) */
};

/* the batch job for the runs not up to date */
struct slurmplan {
	bool array;          /* a job array, a slice of the runs per task */
	size_t nstale;       /* the runs not up to date */
	struct buf targets;  /* their outcome stamps, one a line, in run order */
	size_t ntasks;       /* tasks (runs at once), or array tasks */
	long long runtime;   /* the longest time a run asks for, seconds (0: none) */
	long long runmem;    /* the most memory a run asks for, bytes (0: none) */
	size_t untimed;      /* how many runs ask for no time */
	long long jobtime;   /* the job's (or each array task's) time limit, seconds, 0 for none */
};

/*
 * p for e's runs not up to date on the partition site: the task count capped by
 * jobs.slurm.max_tasks and what the partition can give (an array: by MaxArraySize),
 * said on stderr when capped; a warning for what no node can ever give. Free with delslurmplan.
 */
void slurmplan(const struct emit *e, const struct slurmsite *site, bool array, struct slurmplan *p);
/* free what p owns */
void delslurmplan(struct slurmplan *p);
/*
 * Write to out the batch script of p from the template text tmpl (named tname in
 * messages): ninja in one allocation, or a job array. Returns 0 or -1 with err.
 */
int slurmscript(const struct emit *e, const struct slurmplan *p, const char *tmpl, const char *tname, FILE *out,
                char *err, size_t n);
/* append s to b in single quotes, for sh */
void slurmshquote(struct buf *b, const char *s);
/*
 * runja-gen --slurm-script / --slurm-submit (mode: SLURM* bits): the script of
 * TDIR/slurm/batch.sh or array.sh for the runs --check finds not up to date, printed
 * to out, or written to OUT/.runja/slurm-batch.sh and submitted with sbatch (an array
 * followed by a job that builds the rest: the report), the job ids said on out. 0 or -1 with err.
 */
int slurmprint(const struct emit *e, const char *tdir, int mode, FILE *out, char *err, size_t n);

#endif
