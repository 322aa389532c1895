#ifndef RUNJA_CONFSLURM_H
#define RUNJA_CONFSLURM_H

#include <stdbool.h>

#include <libconfig.h>

#include "common/jobs.h"
struct confctx;

/* runja.cfg's jobs.slurm: what every run's srun and the batch script ask SLURM for */
struct confslurm {
	struct jobsslurm run;  /* per run: partition, account, time, memory, cpus, extra (no needs); owned */
	long long jobtime;     /* job_time: the batch script's time limit in seconds, 0 to figure it from the runs' */
	char *mail;            /* mail: where SLURM writes when the batch job ends or fails, "" for nowhere; owned */
	int maxtasks;          /* max_tasks: the most tasks (runs at once) the batch script asks for [256] */
	bool array;            /* array: --slurm-script writes a job array (many short runs) */
	int line;              /* the line of jobs.slurm, 0 when absent */
};

/* s = no settings (jobs.slurm absent) */
void confslurminit(struct confslurm *s);
/* the group jobs.slurm (g, not NULL) into s, every key checked; 0 or -1 with the message in x */
int confslurm(struct confctx *x, const config_setting_t *g, struct confslurm *s);
/* free what s owns */
void delconfslurm(struct confslurm *s);

#endif
