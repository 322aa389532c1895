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
 */

/* how runs are run */
struct jobs {
	char *launcher;     /* a shell command prefix ("srun --quiet -N1 -n1"), "" for none; owned */
	int retries;        /* attempts after a transient failure, 0..100 */
	double pause;       /* seconds between attempts, 0..86400 */
	long long timeout;  /* a command's time limit in seconds, 0 for none */
	bool warm;          /* a command runs in a warm fork server */
	int threads;        /* most threads a run of the pipeline uses, 0..1024: 0 as many as the cores allow (common/cores.h) */
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
 * Run this program's attempt at a run as a child: argv (NULL-terminated, argv[0] the
 * program as it was started) with flag inserted after argv[0], under j->launcher
 * through /bin/sh when there is one. Waits for it; 0 with *e filled, or -1 with err
 * when it cannot be started.
 */
int jobsattempt(const struct jobs *j, char *const *argv, const char *flag, struct jobsend *e, char *err, size_t n);
/* is e worth another attempt: JOBSTRANSIENT, a signal, or a status the attempt itself never exits with (a launcher's) */
bool jobsretry(const struct jobsend *e);
/* what became of an attempt, after "attempt 1 of 3 ": "was killed by SIGKILL from outside", "ended: the launcher exited with status 1 before the run started" */
void jobsdescribe(struct buf *b, const struct jobsend *e, bool launcher);

#endif
