#ifndef RUNJA_JOBS_H
#define RUNJA_JOBS_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/*
 * How runs are run, not what they compute: the launcher, retries, time limit and warm
 * mode of jobs.* and command.* in runja.cfg. runja-gen writes them to OUT/.runja/jobs;
 * runja-process and runja-exec read that file when a run starts. No build edge has it
 * as an input nor its values on a command line, so changing them reruns nothing.
 *
 * The file is "KEY VALUE" lines after a first line naming it:
 *   # runja jobs 1: how runs are run (written by runja-gen; changing it reruns nothing)
 *   launcher srun --quiet -N1 -n1
 *   retries 2
 *   pause 10
 *   timeout 3600
 *   warm 1
 *   threads 0
 *
 * With launcher "slurm" (JOBSSLURM) the step builds srun's line itself (common/jobslurm.h)
 * from what jobs.slurm says and, per run, from "need" lines runja-gen wrote:
 *   slurm_partition short
 *   slurm_account lab
 *   slurm_time 3600           seconds per run, for every run
 *   slurm_memory 4294967296   bytes per run, for every run
 *   slurm_cpus 2
 *   slurm_extra --qos=low     one word for srun (and #SBATCH) a line
 *   need 120 536870912 run_017   seconds and bytes run_017 needs (0: not known)
 */

/* the launcher that makes every attempt a SLURM job step with its own resources */
#define JOBSSLURM "slurm"

/* what one run needs, as runja-gen figured it (measured, estimated or declared) */
struct jobsneed {
	char *id;           /* the run; owned */
	long long time;     /* seconds, 0 when not known */
	long long memory;   /* bytes, 0 when not known */
};

/* jobs.slurm: what every run's step asks SLURM for */
struct jobsslurm {
	char *partition;    /* "" for the cluster's default; owned */
	char *account;      /* "" for the user's default; owned */
	long long time;     /* seconds per run, 0 for the need's or none */
	long long memory;   /* bytes per run, 0 for the need's or none */
	int cpus;           /* CPUs per run, 0 for one */
	char **extra;       /* more words for srun; owned */
	size_t nextra;
	struct jobsneed *needs;  /* per run; owned */
	size_t nneeds;
};

/* how runs are run */
struct jobs {
	char *launcher;     /* a shell command prefix ("srun --quiet -N1 -n1"), JOBSSLURM, "" for none; owned */
	int retries;        /* attempts after a transient failure, 0..100 */
	double pause;       /* seconds between attempts, 0..86400 */
	long long timeout;  /* a command's time limit in seconds, 0 for none */
	bool warm;          /* a command runs in a warm fork server */
	int threads;        /* most threads a run of the pipeline uses, 0..1024: 0 as many as the cores allow (common/cores.h) */
	struct jobsslurm slurm;  /* with launcher JOBSSLURM */
};

/* exit status of an attempt that failed in a way worth trying again (no space, an I/O error, killed from outside) */
#define JOBSTRANSIENT 75
/* exit status of an attempt that failed in a way trying again cannot change (recorded; not retried) */
#define JOBSFAILED 79

/* is errnum (the cause of a failed attempt) one that may pass: EIO, ENOSPC, EDQUOT, ESTALE, ETIMEDOUT */
bool jobspassing(int errnum);
/* j = what a run gets when nothing says otherwise: no launcher, no retries, no limit */
void jobsinit(struct jobs *j);
/* append the file's text for j to b */
void jobsfmt(struct buf *b, const struct jobs *j);
/* parse the text of the file path into j (jobsinit first); -1 with "path:LINE: ..." in err */
int jobsparse(const char *path, const char *text, struct jobs *j, char *err, size_t n);
/* read STATE/jobs into j; a missing file (or state NULL) gives jobsinit's; -1 with err for one that cannot be read or parsed */
int jobsread(const char *state, struct jobs *j, char *err, size_t n);
/* free what j owns */
void deljobs(struct jobs *j);

/* what became of one attempt, as jobsattempt saw it */
struct jobsend {
	int status;  /* the exit status, or -1 when killed */
	int sig;     /* the signal it died of, or 0 */
};

/*
 * Run this program's attempt at run id as a child: argv (NULL-terminated, argv[0] the
 * program as it was started) with flag inserted after argv[0], under j->launcher
 * through /bin/sh when there is one, or under srun's line for id with JOBSSLURM (in a
 * process group of its own: once stop() returns true (the build was interrupted), srun is
 * sent one SIGINT, which it passes to its step, and SIGTERM (srun kills the step) when the
 * step has not ended 10 s later). With no launcher and here set, the child is a fork
 * of this process that exits with the status here(ctx) returns, and nothing is started.
 * Waits for it; 0 with *e filled, or -1 with err when it cannot be started.
 */
int jobsattempt(const struct jobs *j, const char *id, char *const *argv, const char *flag, bool (*stop)(void),
                int (*here)(void *), void *ctx, struct jobsend *e, char *err, size_t n);
/* is e worth another attempt: JOBSTRANSIENT, a signal, or a status the attempt itself never exits with (a launcher's) */
bool jobsretry(const struct jobsend *e);
/* what became of an attempt, after "attempt 1 of 3 ": "was killed by SIGKILL from outside", "ended: the launcher exited with status 1 before the run started" */
void jobsdescribe(struct buf *b, const struct jobsend *e, bool launcher);

#endif
