#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/frames.h"
#include "common/fs.h"
#include "common/inputs.h"
#include "common/jobs.h"
#include "common/output.h"
#include "common/progress.h"
#include "common/space.h"
#include "common/state.h"
#include "common/util.h"
#include "exec.h"
#include "execrun.h"
#include "job.h"
#include "proghash.h"
#include "results.h"
#include "spawn.h"
#include "warm.h"

/* the bytes of the log's end that the tail on stderr is taken from */
#define TAILBYTES 65536

/* print the last 10 lines of the log at path to stderr (from its last TAILBYTES bytes) */
static void
showtail(const char *path)
{
	struct buf text, b;
	bool partial;

	bufinit(&b);
	if (readtail(path, TAILBYTES, &text, &partial, NULL, 0) == 0)
		exectail(&b, text.s, text.len, partial, 10);
	fputs(b.s, stderr);
	buffree(&b);
	buffree(&text);
}

/* expand the placeholders of o->prog into a->argv; PROGNAME; -1 with err on a bad one */
static int
expandall(struct job *a, char *err, size_t n)
{
	const struct execopts *o = a->o;
	struct placeholders p = {o->rundir, a->out, o->id, a->frames, a->paramfile, o->pipeline, NULL};
	struct stat st;

	if (execexpandv(o->prog, &p, &a->argv, &a->nargv, err, n) < 0)
		return -1;
	a->prog = execprogname(a->argv, a->argv[1] && stat(a->argv[1], &st) == 0 && S_ISREG(st.st_mode));
	return 0;
}

/* W afresh (a wrapper killed outright may have left one): W/out, W/frames.txt, W/params.json */
static int
prepare(struct job *a, char *err, size_t n)
{
	struct buf b;
	char *text;
	size_t i;
	int r;

	if (rmtree(a->work, err, n) < 0 || mkdirp(a->out, err, n) < 0)
		return -1;
	bufinit(&b);
	for (i = 0; i < a->nnames; i++)
		bufprintf(&b, "%s/%s\n", a->o->rundir, a->names[i]);
	r = writefile(a->frames, b.s, b.len, err, n);
	buffree(&b);
	if (r < 0)
		return -1;
	text = execjson(a->params, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	bufinit(&b);
	bufprintf(&b, "%s\n", text);
	free(text);
	r = writefile(a->paramfile, b.s, b.len, err, n);
	buffree(&b);
	return r;
}

/* run the program, its output to W/runja.log; 0 when it exited 0, else -1 with the error line */
static int
launch(struct job *a, const sigset_t *old, char *err, size_t n)
{
	extern char **environ;
	const struct execopts *o = a->o;
	struct placeholders p = {o->rundir, a->out, o->id, a->frames, a->paramfile, o->pipeline, a->progress};
	char **env, cause[512];
	size_t nenv;
	int fd, r;

	a->log = staterecord(a->work, NULL, STATELOG);
	if ((fd = open(a->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666)) < 0)
		return seterr(err, n, "%s:", a->log);
	env = execenv(environ, &p, a->nnames, a->params, &nenv);
	/* the program starts with no count of a killed attempt's in its file */
	unlink(a->progress);
	r = 1;
	if (o->warm) {
		struct warmopts w = {o->state, o->warm, o->warmidle};

		r = warmrun(&w, a->argv, env, fd, o->timeout, &a->end, cause, sizeof(cause));
		if (r == 1)
			warn("%s: %s; running it cold", o->id, cause);
	}
	if (r == 1)
		r = spawnrun(a->argv, env, fd, o->timeout, old, &a->end, cause, sizeof(cause));
	close(fd);
	delstrv(env, nenv);
	if (r < 0)
		return seterr(err, n, "%s: cannot run %s: %s", o->id, a->prog, cause);
	a->ran = true;
	return execverdict(&a->end, o->id, a->prog, o->timeout, err, n);
}

/* STATE/failed/ID/error.txt holds line, runja.log the program's log of this attempt (if it ran) */
static void
notefailure(struct job *a, const char *line)
{
	char *dir = statein(a->o->state, STATEFAILED, a->o->id), *path, err[512];

	/* if even this cannot be written (a full disk), the run's one error line says why */
	if (mkdirp(dir, err, sizeof(err)) == 0) {
		statefailwrite(dir, line, err, sizeof(err));
		path = staterecord(dir, NULL, STATELOG);
		if (a->log && rename(a->log, path) == 0) {
			free(a->log);
			a->log = path;
		} else {
			unlink(path);
			free(path);
		}
	}
	free(dir);
}

/*
 * Refuse (-1 with err) an attempt that would write into the run folder or over it,
 * whatever the build file says: CMDOUT, STATE, W, STATE/failed/ID, the depfile and the
 * stamp must each be outside it and not hold it.
 */
static int
guard(const struct job *a, char *err, size_t n)
{
	const struct execopts *o = a->o;
	char *failed = statein(o->state, STATEFAILED, o->id);
	int r = outguard(o->id, "output folder", o->cmdout, o->rundir, err, n) < 0 ||
	        outguard(o->id, "state folder", o->state, o->rundir, err, n) < 0 ||
	        outguard(o->id, "work folder", a->work, o->rundir, err, n) < 0 ||
	        outguard(o->id, "failure folder", failed, o->rundir, err, n) < 0 ||
	        (o->depfile && outguard(o->id, "depfile", o->depfile, o->rundir, err, n) < 0) ||
	        (o->stamp && outguard(o->id, "stamp", o->stamp, o->rundir, err, n) < 0) ? -1 : 0;

	free(failed);
	return r;
}

/* the ledger's status column for the attempt: 0, the program's exit status, or the signal it died of */
static void
ledgerstatus(const struct job *a, int ret, struct attempt *l)
{
	const struct spawnend *e = &a->end;

	l->status = ret;  /* 0, 1 or JOBSTRANSIENT */
	if (ret == 0 || !a->ran)
		return;
	if (e->signal)
		l->signal = e->signal;
	else if (e->execerr)
		l->status = 127;
	else if (WIFSIGNALED(e->status))
		l->signal = WTERMSIG(e->status);
	else if (WIFEXITED(e->status) && WEXITSTATUS(e->status) != 0)
		l->status = WEXITSTATUS(e->status);
}

int
execguard(const struct execopts *o, char *err, size_t n)
{
	struct job a;
	int r;

	if (!stateidok(o->id))
		return seterr(err, n, "--id '%s' is no run id: a path below the output folder, without '.', '..' or empty parts",
		              o->id);
	mkjob(&a, o);
	r = guard(&a, err, n);
	deljob(&a);
	return r;
}

/* with --pipeline: whether the pipeline's results are missing (its summary.json), with err saying so */
static bool
pipelinemissing(const struct execopts *o, char *err, size_t n)
{
	char *path = staterecord(o->pipeline, NULL, STATESUMMARY);
	bool missing = !exists(path);

	if (missing)
		seterr(err, n, "%s: no pipeline results to run on (%s is missing: the pipeline failed or did not run)", o->id,
		       path);
	free(path);
	return missing;
}

int
execinputs(const struct execopts *o, char *const *names, size_t nnames, struct inputs *in, char *err, size_t n)
{
	size_t i, k = 0;
	char **v = xcalloc(nnames + 1 + o->ninputs + 1, sizeof(*v));
	int r;

	for (i = 0; i < nnames; i++)
		v[k++] = xasprintf("%s/%s", o->rundir, names[i]);
	if (o->pipeline)
		v[k++] = staterecord(o->pipeline, NULL, STATESUMMARY);
	for (i = 0; i < o->ninputs; i++)
		v[k++] = xstrdup(o->inputs[i]);
	r = inputsscan(in, o->key, ".", o->id, v, k, err, n);
	delstrv(v, k);
	return r;
}

/* a signal that comes from outside a program (the OOM killer, a preemption, kill), not one it raises itself (abort, a fault) */
static bool
fromoutside(int sig)
{
	return sig == SIGKILL || sig == SIGTERM || sig == SIGHUP || sig == SIGINT;
}

/* after a success: CMDOUT/.runja.inputs, then the stamp, both dated no earlier than the frames; -1 with err */
static int
finish(struct job *a, char *err, size_t n)
{
	const struct execopts *o = a->o;
	char *path = staterecord(a->cmdout, NULL, STATEINPUTS);
	long long newest = inputsnewest(&a->in);
	int r = 0;

	if (o->key && resultsrecord(path, &a->in, err, n) < 0)
		warn("%s: %s (the next build runs it again)", o->id, err);
	free(path);
	if (o->stamp && resultsstamp(o->stamp, err, n) < 0)
		return -1;
	if (o->stamp && newest > fsnow())
		r = fsdateafter(o->stamp, newest, err, n);
	return r;
}

int
execrun(const struct execopts *o, int *sig, bool *transient, char *err, size_t n)
{
	struct job a;
	struct attempt l = {.id = o->id, .key = o->paramkey};
	struct timespec t0;
	char cause[512], *failed;
	sigset_t old;
	int ret = 1;

	*sig = 0;
	*transient = false;
	seterrclear();
	clock_gettime(CLOCK_REALTIME, &t0);
	/* from here a signal waits: the attempt always ends with W removed */
	spawnblock(&old);
	mkjob(&a, o);
	if (guard(&a, err, n) < 0 || expandall(&a, err, n) < 0) {
		ret = 2;
		goto out;
	}
	/* an attempt that fails is never done: the stamp of the last success goes first */
	if (o->stamp && unlink(o->stamp) < 0 && errno != ENOENT)
		warn("%s:", o->stamp);
	/* then the run is being processed, for runja-gen --status */
	a.tracker = mkprogressout(o->state, o->id, PROGRESSCOMMAND, o->paramkey, (double)t0.tv_sec + t0.tv_nsec / 1e9);
	if (o->failwith) {
		seterr(err, n, "%s", o->failwith);
		goto fail;
	}
	if (listframes(o->rundir, o->frames, o->id, &a.names, &a.nnames, err, n) < 0)
		goto fail;
	if (a.nnames == 0) {
		seterr(err, n, "%s: no frames matching '%s'", o->id, o->frames);
		goto fail;
	}
	if (o->pipeline && pipelinemissing(o, err, n))
		goto fail;
	if (spacecheck(o->cmdout, spacecommand(o->cmdout), o->id, err, n) < 0) {
		ret = JOBSTRANSIENT;
		goto fail;
	}
	/* the frames looked at and hashed before the program reads them: one changed meanwhile differs next time */
	if (o->key && execinputs(o, a.names, a.nnames, &a.in, err, n) < 0)
		goto fail;
	if (o->key)
		proghash(o->state, &a.in, a.nnames + (o->pipeline != NULL));
	if (o->key && inputshashall(&a.in, err, n) < 0)
		goto fail;
	if (prepare(&a, err, n) < 0 || launch(&a, &old, err, n) < 0 || resultscollect(&a, err, n) < 0 ||
	    resultscommit(&a, err, n) < 0 || finish(&a, err, n) < 0)
		goto fail;
	ret = 0;
	failed = statein(o->state, STATEFAILED, o->id);
	if (rmtree(failed, cause, sizeof(cause)) < 0)
		warn("%s", cause);
	free(failed);
	goto done;
fail:
	*transient = ret == JOBSTRANSIENT || jobspassing(seterrno()) || (a.ran && !a.end.signal && !a.end.timedout && !a.end.execerr &&
	                                         WIFSIGNALED(a.end.status) && fromoutside(WTERMSIG(a.end.status)));
	notefailure(&a, err);
done:
	if (rmtree(a.work, cause, sizeof(cause)) < 0)
		warn("%s", cause);
	ledgerstatus(&a, ret, &l);
	if (ret && *transient && !l.signal)
		l.status = JOBSTRANSIENT;
	l.maxrss = a.end.maxrss;
	l.error = ret ? err : NULL;
	ledgerrecord(o->state, &t0, &l);
	delprogressout(a.tracker);
	unlink(a.progress);
	/* printed last: an interrupted ninja has closed the pipe, and what is on disk comes first */
	if (ret && a.log)
		showtail(a.log);
	*sig = a.end.signal;
out:
	sigprocmask(SIG_SETMASK, &old, NULL);
	deljob(&a);
	return ret;
}
