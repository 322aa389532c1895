#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "jobs.h"
#include "jobslurm.h"
#include "state.h"
#include "util.h"

/* seconds an interrupted srun step has to end before srun is told to kill it */
#define JOBSSTOPWAIT 10

/* the first line of the file: what it is, and its format's number */
#define JOBSHEAD "# runja jobs 1: how runs are run (written by runja-gen; changing it reruns nothing)"

bool
jobspassing(int errnum)
{
	return errnum == EIO || errnum == ENOSPC || errnum == EDQUOT || errnum == ESTALE || errnum == ETIMEDOUT;
}

void
jobsinit(struct jobs *j)
{
	*j = (struct jobs){.launcher = xstrdup(""), .retries = 0, .pause = 0, .timeout = 0, .warm = false, .threads = 0};
	j->slurm.partition = xstrdup("");
	j->slurm.account = xstrdup("");
}

void
jobsfmt(struct buf *b, const struct jobs *j)
{
	bufprintf(b, "%s\nlauncher %s\nretries %d\npause %g\ntimeout %lld\nwarm %d\nthreads %d\n", JOBSHEAD, j->launcher,
	          j->retries, j->pause, j->timeout, j->warm ? 1 : 0, j->threads);
	jobsfmtslurm(b, &j->slurm);
}

/* *v = the number s, within [min, max]; -1 when it is not one */
static int
number(const char *s, double min, double max, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return *s && !*end && !errno && *v >= min && *v <= max ? 0 : -1;
}

/* set the key of one line (its text from key on, value after the first space) */
static int
jobsline(struct jobs *j, char *key, char *err, size_t n)
{
	char *value = strchr(key, ' ');
	double v;

	if (!value)
		return seterr(err, n, "'%s' has no value", key);
	*value++ = '\0';
	if (strcmp(key, "launcher") == 0) {
		free(j->launcher);
		j->launcher = xstrdup(value);
		return 0;
	}
	if (strncmp(key, "slurm_", 6) == 0 || strcmp(key, "need") == 0)
		return jobsslurmline(&j->slurm, key, value, err, n);
	if (strcmp(key, "retries") == 0 && number(value, 0, 100, &v) == 0 && v == (int)v)
		j->retries = (int)v;
	else if (strcmp(key, "pause") == 0 && number(value, 0, 86400, &v) == 0)
		j->pause = v;
	else if (strcmp(key, "timeout") == 0 && number(value, 0, 1e12, &v) == 0 && v == (long long)v)
		j->timeout = (long long)v;
	else if (strcmp(key, "threads") == 0 && number(value, 0, 1024, &v) == 0 && v == (int)v)
		j->threads = (int)v;
	else if (strcmp(key, "warm") == 0 && (strcmp(value, "0") == 0 || strcmp(value, "1") == 0))
		j->warm = *value == '1';
	else
		return seterr(err, n, "'%s %s' is not a setting runja knows", key, value);
	return 0;
}

int
jobsparse(const char *path, const char *text, struct jobs *j, char *err, size_t n)
{
	char *copy = xstrdup(text), *line = copy, *next, e[256];
	size_t lineno = 1;
	int ret = 0;

	if (strncmp(text, JOBSHEAD "\n", strlen(JOBSHEAD) + 1) != 0) {
		free(copy);
		return seterr(err, n, "%s:1: not a jobs file of this runja (runja-gen writes it)", path);
	}
	line = strchr(copy, '\n') + 1;
	for (; *line && ret == 0; line = next) {
		lineno++;
		if (!(next = strchr(line, '\n'))) {
			ret = seterr(err, n, "%s:%zu: cut short (no line break)", path, lineno);
			break;
		}
		*next++ = '\0';
		if (jobsline(j, line, e, sizeof(e)) < 0)
			ret = seterr(err, n, "%s:%zu: %s", path, lineno, e);
	}
	free(copy);
	return ret;
}

int
jobsread(const char *state, struct jobs *j, char *err, size_t n)
{
	char *path = state ? statein(state, STATEJOBS, NULL) : NULL;
	struct buf b = {0};
	int ret = 0;

	jobsinit(j);
	if (!state) {
		free(path);
		return 0;
	}
	if (readfile(path, &b, err, n) < 0)
		ret = errno == ENOENT ? 0 : -1;
	else
		ret = jobsparse(path, b.s, j, err, n);
	buffree(&b);
	free(path);
	return ret;
}

void
deljobs(struct jobs *j)
{
	free(j->launcher);
	j->launcher = NULL;
	free(j->slurm.partition), free(j->slurm.account);
	delstrv(j->slurm.extra, j->slurm.nextra);
	jobsdelneeds(&j->slurm);
	j->slurm = (struct jobsslurm){0};
}

/* the child: exec argv with flag after argv[0], under the launcher through sh (srun for run id); never returns */
static void
childexec(const struct jobs *j, const char *id, char *const *argv, const char *flag)
{
	size_t n = 0, i, k = 0;
	char **v, *script;

	while (argv[n])
		n++;
	if (strcmp(j->launcher, JOBSSLURM) == 0) {
		v = jobssrun(&j->slurm, id, getenv("SLURM_JOB_ID") != NULL, argv, flag);
		execvp(v[0], v);
		warn("cannot start %s:", v[0]);
		_exit(127);
	}
	v = xcalloc(n + 6, sizeof(*v));
	if (*j->launcher) {
		script = xasprintf("exec %s \"$@\"", j->launcher);
		v[k++] = "sh", v[k++] = "-c", v[k++] = script, v[k++] = "sh";
	}
	v[k++] = argv[0];
	v[k++] = (char *)flag;
	for (i = 1; i < n; i++)
		v[k++] = argv[i];
	v[k] = NULL;
	if (*j->launcher)
		execv("/bin/sh", v);
	else
		execvp(argv[0], v);
	warn("cannot start %s:", *j->launcher ? "/bin/sh" : argv[0]);
	_exit(127);
}

int
jobsattempt(const struct jobs *j, const char *id, char *const *argv, const char *flag, bool (*stop)(void),
            int (*here)(void *), void *ctx, struct jobsend *e, char *err, size_t n)
{
	bool slurm = strcmp(j->launcher, JOBSSLURM) == 0;
	int told = 0, polls = 0;
	pid_t pid, w, parent = getpid();
	int st;

	fflush(NULL);
	if ((pid = fork()) < 0)
		return seterr(err, n, "cannot start an attempt: fork: %s", strerror(errno));
	if (pid == 0) {
		/* the attempt dies with this process: it holds the run's lock for it */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(127);
		/* srun in a group of its own: the build's signals reach this process, which tells srun once */
		if (slurm)
			setpgid(0, 0);
		if (here && !*j->launcher) {
			st = here(ctx);
			fflush(NULL);
			_exit(st);
		}
		childexec(j, id, argv, flag);
	}
	if (slurm)
		setpgid(pid, pid);
	/* srun is looked at every 50 ms: once the build is interrupted it gets one SIGINT, which with
	   --disable-status it passes to the step, then waits for it (the attempt records itself); should
	   the step not end within JOBSSTOPWAIT seconds, SIGTERM makes srun kill it */
	while ((w = waitpid(pid, &st, slurm ? WNOHANG : 0)) == 0 || (w < 0 && errno == EINTR)) {
		if (slurm && stop() && told < 2 && (told == 0 || polls++ >= JOBSSTOPWAIT * 20)) {
			kill(pid, told == 0 ? SIGINT : SIGTERM);
			told++;
		}
		if (w == 0)
			nanosleep(&(struct timespec){0, 50000000}, NULL);
	}
	if (w < 0)
		return seterr(err, n, "waiting for an attempt: %s", strerror(errno));
	*e = WIFSIGNALED(st) ? (struct jobsend){-1, WTERMSIG(st)} : (struct jobsend){WEXITSTATUS(st), 0};
	return 0;
}

bool
jobsretry(const struct jobsend *e)
{
	return e->sig != 0 || (e->status != 0 && e->status != JOBSFAILED);
}

void
jobsdescribe(struct buf *b, const struct jobsend *e, bool launcher)
{
	if (e->sig)
		bufprintf(b, "was killed by SIG%s from outside", sigabbrev_np(e->sig) ? sigabbrev_np(e->sig) : "?");
	else if (e->status == JOBSTRANSIENT)
		bufputs(b, "failed for a passing cause (see its error)");
	else if (launcher)
		bufprintf(b, "ended: the launcher exited with status %d before the run started", e->status);
	else
		bufprintf(b, "ended with status %d before it recorded anything", e->status);
}
