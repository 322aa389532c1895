#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/frames.h"
#include "common/fs.h"
#include "common/inputs.h"
#include "common/jobs.h"
#include "common/opdesc.h"
#include "common/runstep.h"
#include "common/spec.h"
#include "common/state.h"
#include "common/util.h"
#include "run.h"
#include "runfiles.h"
#include "step.h"

/* what the step functions share */
struct stepctx {
	const struct runopts *o;
	char *root;      /* OUT, or NULL when the output folder is no OUT/ID */
	char *state;     /* OUT/.runja, or NULL */
	char *key;       /* what computes the results: summary.json's argv, compact */
	int status;      /* the work's exit status, for the caller */
};

char *
stepkey(const struct runopts *o)
{
	return json_dumps(o->argv, JSON_COMPACT | JSON_ENSURE_ASCII);
}

int
stepinputs(const struct runopts *o, const char *key, char *const *frames, size_t nframes, struct inputs *in, char *err,
           size_t n)
{
	char **v = xcalloc(nframes + o->nops * OPMAXKEYS + 1, sizeof(*v));
	size_t i, j, k, nv = 0;
	int r;

	for (i = 0; i < nframes; i++)
		v[nv++] = frames[i];
	/* an op's file in the run folder (background's) is read as the frames are */
	for (i = 0; i < o->nops; i++) {
		const struct opdesc *d = opdesc(o->ops[i].kind);

		for (j = 0; j < d->nkeys; j++) {
			const char *f = d->keys[j].type == OPKFILE ? o->ops[i].v[j].file : NULL;

			for (k = 0; f && k < nv && strcmp(v[k], f) != 0; k++)
				;
			if (f && k == nv)
				v[nv++] = (char *)f;
		}
	}
	r = inputsscan(in, key, o->rundir, o->id, v, nv, err, n);
	free(v);
	return r;
}

/* *cur = the run's frames (and op files) as they are now, stat'ed; 0 or -1 with err */
static int
scannow(const struct stepctx *x, struct inputs *cur, char *err, size_t n)
{
	char **names;
	size_t nnames;
	int r;

	if (listframesquiet(x->o->rundir, x->o->frames, x->o->id, &names, &nnames, err, n) < 0)
		return -1;
	r = stepinputs(x->o, x->key, names, nnames, cur, err, n);
	delstrv(names, nnames);
	return r;
}

/* do all the files of the run's results exist? */
static bool
resultsthere(const struct runopts *o)
{
	const char *names[16];
	size_t i, nn = specoutputs(&o->prods, o->npy, names);
	bool there = true;

	for (i = 0; i < nn && there; i++) {
		char *p = xasprintf("%s/%s", o->outdir, names[i]);

		there = exists(p);
		free(p);
	}
	return there;
}

/* the time of the run's summary.json, ns (0 when there is none) */
static long long
resultstime(const struct runopts *o)
{
	char *p = xasprintf("%s/summary.json", o->outdir);
	long long t = fsmtime(p);

	free(p);
	return t > 0 ? t : 0;
}

/* give every output of the run a time no earlier than ns (frames dated ahead, or make's sake); 0 or -1 with err */
static int
dateoutputs(const struct runopts *o, long long ns, char *err, size_t n)
{
	const char *names[16];
	size_t i, nn = specoutputs(&o->prods, o->npy, names);
	char *root;
	int r = 0;

	for (i = 0; i < nn && r == 0; i++) {
		char *p = xasprintf("%s/%s", o->outdir, names[i]);

		r = fsdateafter(p, ns, err, n);
		free(p);
	}
	/* and the outcome stamp, the first output of the run's edge */
	if (r == 0 && (root = runroot(o))) {
		char *p = statepath(root, STATEENDED, o->id);

		if (exists(p))
			r = fsdateafter(p, ns, err, n);
		free(p), free(root);
	}
	return r;
}

int
stepdate(const struct runopts *o, const struct inputs *in, bool tonow, char *err, size_t n)
{
	long long newest = inputsnewest(in), now = fsnow();
	struct buf b;

	if (newest > now + 1000000000LL) {
		bufinit(&b);
		fsahead(&b, newest - now);
		warn("%s: frames are dated up to %s ahead of this machine's clock (the clock of the machine that "
		     "wrote them runs ahead?); its results are dated to match, so the next build does not redo it",
		     o->id, b.s);
		buffree(&b);
	}
	if (tonow)
		return dateoutputs(o, newest > now ? newest : now, err, n);
	return newest > now ? dateoutputs(o, newest, err, n) : 0;
}

/* RUNCHECKUPTODATE when the results there were made from cur's frames, as far as their bytes go */
static int
checkresults(struct stepctx *x, struct inputs *cur, enum runcheck *c, char *err, size_t n)
{
	char *path = staterecord(x->o->outdir, NULL, STATEINPUTS);
	struct inputs old;
	enum inputsdiff d;
	int r;

	if (!resultsthere(x->o) || inputsread(path, &old, err, n) != 0) {
		free(path);
		return 0;
	}
	r = inputscompare(&old, cur, &d, err, n);
	/* the same bytes under new times: keep the new times, so the next look reads nothing */
	if (r == 0 && d == INPUTSTOUCHED)
		r = inputswrite(path, cur, err, n);
	/* nothing changed, yet the build tool found the results older than the frames */
	if (r == 0 && d == INPUTSSAME && resultstime(x->o) < inputsnewest(cur)) {
		warn("%s: its results are dated before its frames (the output folder's clock behind, or a copy?); "
		     "they were made from these very frames, so it is not processed again, and get their time", x->o->id);
		r = dateoutputs(x->o, inputsnewest(cur), err, n);
	}
	if (r == 0 && d != INPUTSCHANGED) {
		/* GNU make has no restat: its targets must be newer than the frames it saw change (only
		   those: a frame merely too recent to trust by its time changes nothing for make) */
		r = stepdate(x->o, cur, x->o->depphony && d == INPUTSTOUCHED && resultstime(x->o) < inputsnewest(cur), err, n);
		/* the build tool ran the step: its depfile may be gone, or name another target */
		if (r == 0)
			r = rundeps(x->o, cur, err, n);
		*c = RUNCHECKUPTODATE;
	}
	delinputs(&old);
	free(path);
	return r;
}

static int
check(void *ctx, enum runcheck *c, char *err, size_t n)
{
	struct stepctx *x = ctx;
	struct inputs cur;
	bool quarantined;
	char *rec;
	int r;

	*c = RUNCHECKDO;
	if (x->o->failwith || !x->root)
		return 0;
	if (scannow(x, &cur, err, n) < 0)
		return 0;  /* the work says why, as a failure of the run */
	rec = staterecord(x->o->outdir, NULL, STATEERROR);
	r = stepquarantined(x->state, x->o->id, &cur, rec, &quarantined, err, n);
	if (quarantined)
		*c = RUNCHECKQUARANTINED;
	if (r == 0 && !quarantined)
		r = checkresults(x, &cur, c, err, n);
	/* up to date beside a failure record: the attempt that made them was killed before removing it */
	if (r == 0 && *c == RUNCHECKUPTODATE)
		r = stepfailurepast(x->state, x->o->id, &cur, rec, rec, STATEENDED, err, n);
	free(rec);
	/* nothing to do, but the outcome stamp (the edge's first output) is gone: its outcome is news again */
	if (r == 0 && *c != RUNCHECKDO)
		r = stateendedagain(x->state, STATEENDED, x->o->id, inputsnewest(&cur), err, n);
	/* an attempt killed as it wrote the thumbnails, after the results were in place */
	if (*c != RUNCHECKDO)
		thumbsleftover(x->root, x->o->id);
	delinputs(&cur);
	return r;
}

static int
work(void *ctx)
{
	struct stepctx *x = ctx;
	char err[1024];

	return runattempt(x->o, x->key, err, sizeof(err));
}

static void
failed(void *ctx, const char *line, const struct jobsend *e)
{
	struct stepctx *x = ctx;

	runfailedoutside(x->o, line, e);
}

/*
 * The work's heap in transparent huge pages: a run touches tens of MiB of buffers once
 * each (its frames in flight, a background's frames, the products' sums); in pages of
 * 2 MiB that is a page fault per 2 MiB instead of one per 4 KiB, what decides a short
 * run's time on a virtual machine. The process doing the work asks for them itself
 * (heapadvise: this one, or an attempt forked from it); an attempt a launcher starts
 * gets GLIBC_TUNABLES=glibc.malloc.hugetlb=1 from here, glibc then doing it as it
 * starts. Left alone when the variable names glibc.malloc.hugetlb.
 */
static void
hugeheap(const struct stepctx *x, const struct jobs *j, bool attempt)
{
	if (!attempt && x->state && *j->launcher)
		hugeheapenv();
}

int
stepmain(const struct runopts *given, char *const *argv, bool keepgoing, bool attempt)
{
	struct runopts ro = *given, *o = &ro;
	struct stepctx x = {.o = o};
	struct jobs j;
	char err[1024];
	struct runstep s = {
		.id = o->id, .argv = argv, .keepgoing = keepgoing, .attempt = attempt, .jobs = &j, .ended = STATEENDED, .ctx = &x,
		.check = check, .work = work, .failed = failed, .forkattempts = true,
	};
	bool badjobs;
	int ret;

	x.root = runroot(o);
	x.state = x.root ? statepath(x.root, STATEDIR, NULL) : NULL;
	x.key = stepkey(o);
	s.state = x.state;
	if ((badjobs = jobsread(x.state, &j, err, sizeof(err)) < 0)) {
		deljobs(&j);
		jobsinit(&j);
	}
	ro.threads = j.threads;
	hugeheap(&x, &j, attempt);
	if (badjobs)
		warn("%s; running the run without a launcher or retries", err);
	ret = runstep(&s);
	deljobs(&j);
	free(x.root), free(x.state), free(x.key);
	return ret;
}
