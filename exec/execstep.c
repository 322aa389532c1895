#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/frames.h"
#include "common/fs.h"
#include "common/inputs.h"
#include "common/jobs.h"
#include "common/runstep.h"
#include "common/state.h"
#include "common/util.h"
#include "execrun.h"
#include "execstep.h"
#include "leftover.h"
#include "results.h"
#include "warm.h"

/* what the step functions share */
struct stepctx {
	struct execopts *o;
	const char *runjadir;  /* where warm.py is installed */
	bool warm;             /* run it warm */
	int sig;               /* the signal that interrupted the attempt, to die of */
};

/* the run's depfile written again (ninja removes it from an edge it interrupted), from its frames as they are; 0 or -1 with err */
static int
depsagain(const struct execopts *o, char *err, size_t n)
{
	char **names;
	size_t nnames;
	int r;

	if (listframesquiet(o->rundir, o->frames, o->id, &names, &nnames, err, n) < 0)
		return -1;
	r = resultsdeps(o, names, nnames, o->depfile, NULL, err, n);
	delstrv(names, nnames);
	return r;
}

/*
 * A record of an earlier runja-exec did not list the pipeline's summary.json. When the
 * summary is older than that record's look at the frames, the results were made from
 * it: it joins old where cur has it (true; the record is then written again with it).
 * Otherwise old stays without it, and differs from cur.
 */
static bool
adoptpipeline(const struct execopts *o, struct inputs *old, struct inputs *cur)
{
	char *path = staterecord(o->pipeline, NULL, STATESUMMARY), e[512];
	size_t i = inputsfind(cur, path);
	bool adopted = false;

	if (i < cur->nframes && inputsfind(old, path) == old->nframes && i <= old->nframes &&
	    cur->frames[i].mtime < old->scanned && inputshashone(cur, i, e, sizeof(e)) == 0) {
		old->frames = xreallocarray(old->frames, old->nframes + 1, sizeof(*old->frames));
		memmove(&old->frames[i + 1], &old->frames[i], (old->nframes - i) * sizeof(*old->frames));
		old->frames[i] = cur->frames[i];
		old->frames[i].name = xstrdup(cur->frames[i].name);
		old->nframes++;
		adopted = true;
	}
	free(path);
	return adopted;
}

/* RUNCHECKUPTODATE when CMDOUT's results were made from cur; a touched frame's new time is kept */
static int
checkresults(const struct execopts *o, struct inputs *cur, enum runcheck *c, char *err, size_t n)
{
	char *cmdout = xstrdup(o->cmdout), *path;
	size_t len = strlen(cmdout);
	struct inputs old;
	enum inputsdiff d;
	bool adopted;
	int r;

	while (len > 1 && cmdout[len - 1] == '/')
		cmdout[--len] = '\0';
	path = staterecord(cmdout, NULL, STATEINPUTS);
	free(cmdout);
	if (!o->stamp || inputsread(path, &old, err, n) != 0) {
		free(path);
		return 0;
	}
	adopted = o->pipeline && adoptpipeline(o, &old, cur);
	r = inputscompare(&old, cur, &d, err, n);
	delinputs(&old);
	if (r == 0 && adopted && d == INPUTSSAME)
		d = INPUTSTOUCHED;
	if (r == 0 && d == INPUTSTOUCHED)
		r = inputswrite(path, cur, err, n);
	/* GNU make has no restat: its target must be newer than the frames it saw change (only those) */
	if (r == 0 && d == INPUTSTOUCHED && o->depphony && fsmtime(o->stamp) < inputsnewest(cur))
		r = touch(o->stamp, err, n);
	/* results made from these very inputs (the record is written after them) whose stamp or
	   depfile is gone: ninja removes what an edge it interrupted wrote, a program that
	   finished then too */
	if (r == 0 && d != INPUTSCHANGED && !exists(o->stamp))
		r = resultsstamp(o->stamp, err, n);
	if (r == 0 && d != INPUTSCHANGED && o->depfile && !exists(o->depfile))
		r = depsagain(o, err, n);
	if (r == 0 && d != INPUTSCHANGED)
		*c = RUNCHECKUPTODATE;
	free(path);
	return r;
}

/* in = the run's frames and the program's files as they are now, stat'ed; 0 or -1 with err */
static int
scannow(const struct execopts *o, struct inputs *in, char *err, size_t n)
{
	char **names;
	size_t nnames;
	int r;

	if (listframesquiet(o->rundir, o->frames, o->id, &names, &nnames, err, n) < 0)
		return -1;
	r = execinputs(o, names, nnames, in, err, n);
	delstrv(names, nnames);
	return r;
}

static int
check(void *ctx, enum runcheck *c, char *err, size_t n)
{
	struct stepctx *x = ctx;
	const struct execopts *o = x->o;
	struct inputs cur;
	bool quarantined;
	char *rec, *failed;
	int r;

	*c = RUNCHECKDO;
	/* an attempt of a build killed outright (none runs now): recorded, its folder removed */
	leftovercheck(o);
	if (o->failwith || scannow(o, &cur, err, n) < 0)
		return 0;  /* the attempt says why, as a failure of the run */
	rec = statein(o->state, STATEFAILERROR, o->id);
	r = stepquarantined(o->state, o->id, &cur, rec, &quarantined, err, n);
	if (quarantined)
		*c = RUNCHECKQUARANTINED;
	else if (r == 0)
		r = checkresults(o, &cur, c, err, n);
	/* up to date although the last attempt failed: that attempt saw other inputs (a frame since
	   restored, or the pipeline's results since made again as they were) */
	if (r == 0 && *c == RUNCHECKUPTODATE) {
		failed = statein(o->state, STATEFAILED, o->id);
		r = stepfailurepast(o->state, o->id, &cur, rec, failed, STATECMDENDED, err, n);
		free(failed);
	}
	free(rec);
	/* nothing to do, but the outcome stamp (the edge's first output) is gone: its outcome is news again */
	if (r == 0 && *c != RUNCHECKDO)
		r = stateendedagain(o->state, STATECMDENDED, o->id, 0, err, n);
	delinputs(&cur);
	return r;
}

/* the inputs of the run as they are now, every file hashed, for steptried; 0 or -1 */
static int
inputsnow(const struct execopts *o, struct inputs *in)
{
	char e[512];

	return scannow(o, in, e, sizeof(e)) < 0 || inputshashall(in, e, sizeof(e)) < 0 ? -1 : 0;
}

/* the time the outcome stamp gets: the newest frame's when it is dated ahead of this clock, else 0 (now) */
static long long
newestframe(const struct execopts *o)
{
	struct inputs in = {0};
	char e[512];
	long long m = scannow(o, &in, e, sizeof(e)) == 0 ? inputsnewest(&in) : 0;

	delinputs(&in);
	return m > fsnow() ? m : 0;
}

static int
work(void *ctx)
{
	struct stepctx *x = ctx;
	struct execopts *o = x->o;
	char err[1024], e[512], *server = NULL, *rec = statein(o->state, STATEFAILERROR, o->id), *was = statefailread(rec);
	struct inputs cur;
	bool transient;
	int ret;

	if (x->warm && !(o->warm = server = warmfind(x->runjadir)))
		warn("%s: no warm.py beside runja-exec or in %s; running it cold", o->id, x->runjadir);
	o->warmidle = warmidle(getenv("RUNJA_WARM_IDLE"));
	ret = execrun(o, &x->sig, &transient, err, sizeof(err));
	if (ret != 0)
		warn("%s", err);
	/* the outcome is new: what the report reads (not after a refusal: nothing written then) */
	if (ret != 2 && !x->sig && stateended(o->state, STATECMDENDED, o->id, newestframe(o), e, sizeof(e)) < 0)
		warn("%s", e);
	if (ret == 0)
		stepsucceeded(o->state, o->id);
	else if (ret == 1 && !transient && !x->sig && o->key && !o->failwith && inputsnow(o, &cur) == 0) {
		steptried(o->state, o->id, &cur, was, err, STATECMDENDED, o->depphony);
		delinputs(&cur);
	}
	free(server), free(rec), free(was);
	/* interrupted: die of it once the attempt is cleaned up */
	if (x->sig) {
		sigset_t set;

		signal(x->sig, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, x->sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(x->sig);
	}
	return ret == 0 ? 0 : ret == 2 ? 2 : transient ? JOBSTRANSIENT : JOBSFAILED;
}

/* an attempt failed outside the wrapper's own code (killed, the launcher): its failure record and ledger line */
static void
failed(void *ctx, const char *line, const struct jobsend *e)
{
	struct stepctx *x = ctx;
	const struct execopts *o = x->o;
	char *dir = statein(o->state, STATEFAILED, o->id), *msg = xasprintf("%s: an attempt %s", o->id, line), err[512], *rec;
	struct attempt a = {.id = o->id, .status = e->sig ? -1 : e->status, .signal = e->sig, .error = msg};
	struct timespec t0;

	warn("%s", msg);
	/* the attempt may have died before it took the old results for not done: a failed run never is */
	if (o->stamp)
		unlink(o->stamp);
	rec = staterecord(o->cmdout, NULL, STATEINPUTS);
	unlink(rec);
	free(rec);
	if (mkdirp(dir, err, sizeof(err)) == 0)
		statefailwrite(dir, msg, err, sizeof(err));
	clock_gettime(CLOCK_REALTIME, &t0);
	ledgerrecord(o->state, &t0, &a);
	stateended(o->state, STATECMDENDED, o->id, 0, err, sizeof(err));
	free(dir), free(msg);
}

int
execstep(struct execopts *o, char *const *argv, const struct execflags *f)
{
	struct stepctx x = {.o = o, .runjadir = f->runjadir};
	struct jobs j;
	char err[1024];
	struct runstep s = {
		.state = o->state, .id = o->id, .argv = argv, .keepgoing = f->keepgoing, .attempt = f->attempt, .jobs = &j,
		.ended = STATECMDENDED, .selfinterrupt = true, .forkattempts = true,
		.ctx = &x, .check = check, .work = work, .failed = failed,
	};
	int ret;

	/* nothing is written, not even the run's lock, when it would be into raw data */
	if (execguard(o, err, sizeof(err)) < 0) {
		warn("%s", err);
		return 2;
	}
	if (jobsread(o->state, &j, err, sizeof(err)) < 0) {
		warn("%s; running the run without a launcher or retries", err);
		deljobs(&j);
		jobsinit(&j);
	}
	/* the flags of a command line typed by hand win over the file */
	if (!o->timeout)
		o->timeout = (long)j.timeout;
	x.warm = f->warm || j.warm;
	ret = runstep(&s);
	deljobs(&j);
	return ret;
}
