#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "depfile.h"
#include "fs.h"
#include "inputs.h"
#include "progress.h"
#include "runstep.h"
#include "state.h"
#include "util.h"

/* the signal that interrupted the build (ninja signals a command's whole process group), or 0 */
static volatile sig_atomic_t interrupted;

static void
oninterrupt(int sig)
{
	interrupted = sig;
}

/* has the build been interrupted */
static bool
wasinterrupted(void)
{
	return interrupted != 0;
}

/* catch (on) or restore (off) the signals that interrupt a build, so an attempt's end is seen first */
static void
catchinterrupts(bool on)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa = {0};
	size_t i;

	sa.sa_handler = on ? oninterrupt : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* sleep s seconds unless interrupted */
static void
snooze(double s)
{
	struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};

	while (!interrupted && nanosleep(&t, &t) < 0)
		;
}

/*
 * An attempt forked with no launcher (forkattempts): the work a new process of this
 * program would do with RUNSTEPFLAG, without starting and setting it up again. It shares
 * the run's lock, which the kernel drops once both have ended, so it needs no lock of its
 * own: it dies with this process. The signals as a new process has them: an interrupt
 * kills it, or it records it.
 */
static int
forkedwork(void *ctx)
{
	const struct runstep *s = ctx;

	catchinterrupts(false);
	interrupted = 0;
	return s->work(s->ctx);
}

/* the attempts as children, retried after transient failures; the exit status */
static int
attempts(const struct runstep *s)
{
	const struct jobs *j = s->jobs;
	struct jobsend e = {-1, 0};
	struct buf line;
	char err[512];
	bool ran;
	int k;

	catchinterrupts(true);
	for (k = 0; k <= j->retries; k++) {
		if ((ran = !interrupted) && jobsattempt(j, s->id, s->argv, RUNSTEPFLAG, wasinterrupted,
		                                        s->forkattempts ? forkedwork : NULL, (void *)s, &e, err, sizeof(err)) < 0) {
			warn("%s: %s", s->id, err);
			return 1;
		}
		/* what a killed attempt said of its progress is no longer so */
		if (s->state)
			progressgone(s->state, s->id);
		/* the build was interrupted (during an attempt, or the pause before one): no more attempts;
		   but an attempt that succeeded meanwhile is kept, as done */
		if (interrupted && !(e.status == 0 && !e.sig)) {
			/* the build may be gone, and the pipe of this step's output with it: what is said must not kill it */
			signal(SIGPIPE, SIG_IGN);
			if (ran && !s->selfinterrupt)
				s->failed(s->ctx, "was interrupted (the build was stopped)", &e);
			catchinterrupts(false);
			raise(interrupted);
			return 1;
		}
		if (e.status == 0 && !e.sig)
			return 0;
		if (e.status == JOBSFAILED && !e.sig)
			return s->keepgoing ? 0 : 1;
		/* bad usage, or a folder it must not write to: trying again changes nothing */
		if (e.status == 2 && !e.sig)
			return 2;
		bufinit(&line);
		jobsdescribe(&line, &e, *j->launcher != '\0');
		/* the attempt recorded a transient failure itself; a death or a launcher's failure is recorded here */
		if (e.sig || e.status != JOBSTRANSIENT)
			s->failed(s->ctx, line.s, &e);
		if (k < j->retries)
			warn("%s: attempt %d of %d %s; trying again in %g s", s->id, k + 1, j->retries + 1, line.s, j->pause);
		buffree(&line);
		if (k < j->retries)
			snooze(j->pause);
	}
	return s->keepgoing ? 0 : JOBSTRANSIENT;
}

/*
 * The run was found up to date. When another build made it just now (this one waited
 * for its lock), touch the stamp: this
 * step's outputs then changed, so ninja records their time. Left as they were, ninja
 * would record the time it took at the step's start from its lock file .ninja_lock,
 * which two ninjas in one build folder can delete under each other (a time of 0: the
 * step redone by the next build).
 */
static void
samebuild(const struct runstep *s)
{
	char *stamp = statein(s->state, s->ended, s->id), err[512];

	/* never back: a stamp dated after frames from a clock ahead keeps its time */
	fsdateafter(stamp, fsnow(), err, sizeof(err));
	free(stamp);
}

/* the lock an attempt run as a child holds while it runs (STATE/locks/HASH.attempt); caller frees */
static char *
attemptlock(const struct runstep *s)
{
	char *lock = statein(s->state, STATELOCK, s->id), *path = xasprintf("%s.attempt", lock);

	free(lock);
	return path;
}

/*
 * Before the run is looked at, its lock held: an attempt that still runs although its
 * build is gone (killed outright while the attempt's job step lives on, on a node) is
 * waited for; it records itself when it ends.
 */
static void
waitattempt(const struct runstep *s)
{
	char *path = attemptlock(s), err[512];
	bool busy;
	int fd;

	if (exists(path) && (fd = statelockpath(path, s->id, &busy, err, sizeof(err))) >= 0) {
		if (busy)
			warn("%s: an attempt of an earlier build still runs (its build was stopped); waiting for it", s->id);
		if (busy && statelockwait(fd, s->id, err, sizeof(err)) < 0)
			warn("%s: %s", s->id, err);
		close(fd);
	}
	free(path);
}

/* an attempt run as a child: the work, its lock held meanwhile (the kernel drops it when this process ends) */
static int
attemptwork(const struct runstep *s)
{
	char *path = attemptlock(s), *what = xasprintf("%s (an attempt)", s->id), err[512];
	bool busy;
	int r;

	if (statelockpath(path, what, &busy, err, sizeof(err)) < 0)
		warn("%s: %s", s->id, err);
	r = s->work(s->ctx);
	/* ended as attempts end: nothing to wait for */
	unlink(path);
	free(path), free(what);
	return r;
}

int
runstep(const struct runstep *s)
{
	enum runcheck c = RUNCHECKDO;
	char err[1024];
	bool busy = false;
	int r, fd;

	if (s->attempt)
		return s->state ? attemptwork(s) : s->work(s->ctx);
	if (s->state) {
		/* the lock is held until this process ends (fd is never closed): the kernel drops it then */
		if ((fd = statelock(s->state, s->id, &busy, err, sizeof(err))) < 0) {
			warn("%s: %s", s->id, err);
			return 2;
		}
		if (busy)
			warn("%s: another build is processing it; waiting for it", s->id);
		if (busy && statelockwait(fd, s->id, err, sizeof(err)) < 0) {
			warn("%s: %s", s->id, err);
			return 2;
		}
		waitattempt(s);
		if (s->check(s->ctx, &c, err, sizeof(err)) < 0)
			warn("%s: %s; processing it again", s->id, err);
		if (c == RUNCHECKUPTODATE && busy)
			samebuild(s);
	}
	if (c != RUNCHECKDO)
		return 0;
	if (!*s->jobs->launcher && s->jobs->retries == 0) {
		r = s->work(s->ctx);
		return r == 0 ? 0 : r == 2 ? 2 : s->keepgoing ? 0 : r == JOBSTRANSIENT ? JOBSTRANSIENT : 1;
	}
	return attempts(s);
}

int
stepquarantined(const char *state, const char *id, struct inputs *cur, const char *errpath, bool *yes, char *err,
                size_t n)
{
	char *path = statein(state, STATEQUARANTINE, id), *why;
	struct inputs q;
	enum inputsdiff d;
	int r;

	*yes = false;
	if ((r = inputsread(path, &q, err, n)) != 0) {
		free(path);
		return r < 0 ? -1 : 0;
	}
	r = inputscompare(&q, cur, &d, err, n);
	delinputs(&q);
	if (r == 0 && d != INPUTSCHANGED) {
		why = statefailread(errpath);
		warn("%s: quarantined: it failed twice the same way from these frames and parameters (%s); "
		     "runja-gen --retry %s tries it again", id, why ? why : "no error recorded", id);
		free(why);
		*yes = true;
	} else if (r == 0) {
		stepunquarantine(state, id);
	}
	free(path);
	return r;
}

/* write in as the record path, its folder made first; 0 or -1 */
static int
writerecord(const char *path, const struct inputs *in)
{
	char *dir = dirpart(path), e[512];
	int r = mkdirp(dir, e, sizeof(e)) < 0 ? -1 : inputswrite(path, in, e, sizeof(e));

	free(dir);
	return r;
}

/*
 * Beside the quarantine record quar: its depfile (quar.d, the record depending on every
 * file of cur), so that the build reruns the run when one of them changes; and the
 * folder touched, so that a nested id (a record in a folder of its own) still tells the
 * regeneration, which watches the quarantine folder, that the run's edge changes.
 */
static void
quarantinedeps(const char *state, const char *quar, const struct inputs *cur, enum statefile ended, bool make)
{
	char *path = xasprintf("%s.d", quar), *alias = statein(state, STATEALIAS, NULL), e[512];
	char *dir = statein(state, STATEQUARANTINE, NULL), *f, *target = statein(state, ended, cur->id);
	struct depfile d = {.path = path, .target = target, .aliasdir = alias, .id = cur->id, .make = make};
	struct buf deps;
	size_t i;

	bufinit(&deps);
	for (i = 0; i < cur->nframes; i++) {
		f = strcmp(cur->dir, ".") == 0 ? xstrdup(cur->frames[i].name)
		                                : xasprintf("%s/%s", cur->dir, cur->frames[i].name);
		depadd(&deps, f);
		free(f);
	}
	depwrite(&d, deps.s, e, sizeof(e));
	touch(dir, e, sizeof(e));
	buffree(&deps);
	free(path), free(alias), free(dir), free(target);
}

void
stepunquarantine(const char *state, const char *id)
{
	char *quar = statein(state, STATEQUARANTINE, id), *dep = xasprintf("%s.d", quar);
	char *dir = statein(state, STATEQUARANTINE, NULL), e[512];

	if (unlink(quar) == 0)
		touch(dir, e, sizeof(e));
	unlink(dep);
	free(quar), free(dep), free(dir);
}

void
steptried(const char *state, const char *id, struct inputs *cur, const char *was, const char *error,
          enum statefile ended, bool make)
{
	char *tried = statein(state, STATETRIED, id), *quar = statein(state, STATEQUARANTINE, id), e[512];
	struct inputs old;
	enum inputsdiff d;
	bool same = false;

	if (was && strcmp(was, error) == 0 && inputsread(tried, &old, e, sizeof(e)) == 0) {
		same = inputscompare(&old, cur, &d, e, sizeof(e)) == 0 && d != INPUTSCHANGED;
		delinputs(&old);
	}
	if (same && writerecord(quar, cur) == 0) {
		quarantinedeps(state, quar, cur, ended, make);
		warn("%s: quarantined: it failed twice the same way from the same frames and parameters; later builds "
		     "leave it alone until they change (runja-gen --retry %s tries it again)", id, id);
	} else {
		writerecord(tried, cur);
	}
	free(tried), free(quar);
}

void
stepsucceeded(const char *state, const char *id)
{
	char *tried = statein(state, STATETRIED, id);

	unlink(tried);
	free(tried);
}

int
stepfailurepast(const char *state, const char *id, const struct inputs *cur, const char *rec, const char *holder,
                enum statefile ended, char *err, size_t n)
{
	long long newest = inputsnewest(cur);
	int r;

	if (!exists(rec))
		return 0;
	r = rmtree(holder, err, n);
	stepsucceeded(state, id);
	return r < 0 ? r : stateended(state, ended, id, newest > fsnow() ? newest : 0, err, n);
}
