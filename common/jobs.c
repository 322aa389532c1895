#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs.h"
#include "jobs.h"
#include "state.h"
#include "util.h"

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
}

void
jobsfmt(struct buf *b, const struct jobs *j)
{
	bufprintf(b, "%s\nlauncher %s\nretries %d\npause %g\ntimeout %lld\nwarm %d\nthreads %d\n", JOBSHEAD, j->launcher,
	          j->retries, j->pause, j->timeout, j->warm ? 1 : 0, j->threads);
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
}

/* the child: exec argv with flag after argv[0], under the launcher through sh; never returns */
static void
childexec(const struct jobs *j, char *const *argv, const char *flag)
{
	size_t n = 0, i, k = 0;
	char **v, *script;

	while (argv[n])
		n++;
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
jobsattempt(const struct jobs *j, char *const *argv, const char *flag, struct jobsend *e, char *err, size_t n)
{
	pid_t pid, w, parent = getpid();
	int st;

	fflush(NULL);
	if ((pid = fork()) < 0)
		return seterr(err, n, "cannot start an attempt: fork: %s", strerror(errno));
	if (pid == 0) {
		/* the attempt dies with this process: it holds the run's lock for it */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(127);
		childexec(j, argv, flag);
	}
	while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
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
