#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "common/cores.h"
#include "common/depfile.h"
#include "common/frames.h"
#include "common/fs.h"
#include "common/inputs.h"
#include "common/jobs.h"
#include "common/runstep.h"
#include "common/output.h"
#include "common/paramkey.h"
#include "common/progress.h"
#include "common/space.h"
#include "common/spec.h"
#include "common/state.h"
#include "common/util.h"
#include "heap.h"
#include "npy.h"
#include "products.h"
#include "run.h"
#include "runfiles.h"
#include "runframes.h"
#include "simd.h"
#include "step.h"

/* OUT, the output folder of all runs: outdir without its trailing "/RUNID"; NULL when it is not so */
static char *
outroot(const struct run *r)
{
	size_t lo = strlen(r->outdir), li = strlen(r->id);

	if (lo <= li + 1 || strcmp(r->outdir + lo - li, r->id) != 0 || r->outdir[lo - li - 1] != '/')
		return NULL;
	return xasprintf("%.*s", (int)(lo - li - 1), r->outdir);
}

char *
runroot(const struct runopts *o)
{
	struct run r = {.id = o->id, .outdir = o->outdir};

	return outroot(&r);
}

int
runguard(const struct runopts *o, char *err, size_t n)
{
	struct run r = {.id = o->id, .outdir = o->outdir};
	char *root = outroot(&r), *state = root ? statepath(root, STATEDIR, NULL) : NULL;
	int ret;

	/* OUT/.runja's paths for the run (its lock, its records) are made of its id */
	if (root && !stateidok(o->id))
		ret = seterr(err, n, "--id '%s' is no run id: a path below the output folder, without '.', '..' or empty parts",
		             o->id);
	else
		ret = outguard(o->id, "output folder", o->outdir, o->rundir, err, n) < 0 ||
		      (state && outguard(o->id, "state folder", state, o->rundir, err, n) < 0) ||
		      (o->depfile && outguard(o->id, "depfile", o->depfile, o->rundir, err, n) < 0) ? -1 : 0;

	free(state), free(root);
	return ret;
}

/* write the depfile: the run's outcome stamp (its edge's first output; else summary.json) depends on every input recorded by depadd */
static int
writedepfile(const struct run *r, char *err, size_t n)
{
	char *root = outroot(r);
	char *target = root ? statepath(root, STATEENDED, r->id) : xasprintf("%s/summary.json", r->outdir);
	char *alias = root ? statepath(root, STATEALIAS, NULL) : NULL;
	struct depfile d = {.path = r->depfile, .target = target, .aliasdir = alias, .id = r->id, .make = r->depphony};
	int ret = depwrite(&d, r->deps.s, err, n);

	free(root), free(target), free(alias);
	return ret;
}

int
rundeps(const struct runopts *o, const struct inputs *in, char *err, size_t n)
{
	struct run r = {.id = o->id, .outdir = o->outdir, .depfile = o->depfile, .depphony = o->depphony};
	size_t i;
	char *p;
	int ret;

	if (!o->depfile)
		return 0;
	bufinit(&r.deps);
	for (i = 0; i < in->nframes; i++) {
		p = xasprintf("%s/%s", o->rundir, in->frames[i].name);
		depadd(&r.deps, p);
		free(p);
	}
	ret = writedepfile(&r, err, n);
	buffree(&r.deps);
	return ret;
}

/* write the run's products and summary.json under temporary names into o */
static int
writeproducts(struct run *r, struct outset *o, int nframes, char *err, size_t n)
{
	json_t *sum = json_object(), *prods = json_object();
	const char *text, *tmp;
	double speed, gmean, gstd;
	int w, h, used;
	char *s;

	prodsize(r->acc, &used, &w, &h);
	prodglobal(r->acc, &gmean, &gstd);
	if (prodfiles(r->acc, r->outdir, r->npy, r->compression, r->cores, o, prods, r->thumbs, err, n) < 0)
		goto err;
	if ((text = prodstatscsv(r->acc)) &&
	    writefile(outadd(o, r->outdir, "stats.csv"), text, strlen(text), err, n) < 0)
		goto err;
	if ((text = prodfrontcsv(r->acc)) &&
	    writefile(outadd(o, r->outdir, "front.csv"), text, strlen(text), err, n) < 0)
		goto err;
	/* the report's per-frame plot, for every run: a record beside the products, none of them */
	text = prodframescsv(r->acc);
	if (writefile(outadd(o, r->outdir, staterecordname(STATEFRAMES)), text, strlen(text), err, n) < 0)
		goto err;

	json_object_set_new(sum, "run", json_string(r->id));
	json_object_set_new(sum, "frames", json_integer(used));
	json_object_set_new(sum, "frames_found", json_integer(nframes));
	json_object_set_new(sum, "skipped", json_incref(r->skipped));
	json_object_set_new(sum, "width", json_integer(w));
	json_object_set_new(sum, "height", json_integer(h));
	json_object_set_new(sum, "mean", json_real(gmean));
	json_object_set_new(sum, "std", json_real(gstd));
	json_object_set_new(sum, "products", prods);
	prods = NULL;
	json_object_set_new(sum, "front_speed", prodfrontspeed(r->acc, &speed) ? json_real(speed) : json_null());
	/* what runja-gen --check compares with the parameters it would give now */
	json_object_set_new(sum, "argv", json_incref(r->argv));
	s = json_dumps(sum, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	if (!s) {
		seterr(err, n, "cannot format summary.json");
		goto err;
	}
	/* added last, so renamed last: a run with summary.json is a finished run */
	tmp = outadd(o, r->outdir, "summary.json");
	{
		size_t len = strlen(s);

		s = xreallocarray(s, len + 2, 1);
		s[len] = '\n';
		s[len + 1] = '\0';
		if (writefile(tmp, s, len + 1, err, n) < 0) {
			free(s);
			goto err;
		}
	}
	free(s);
	json_decref(sum);
	return 0;
err:
	json_decref(prods);
	json_decref(sum);
	return -1;
}

/* what the results are made from (OUTDIR/.runja.inputs) into o, renamed in with them (r->key set); 0 or -1 with err */
static int
writeinputs(const struct run *r, struct outset *o, char *err, size_t n)
{
	struct buf text;
	int ret;

	bufinit(&text);
	inputstext(&r->in, &text);
	ret = writefile(outadd(o, r->outdir, staterecordname(STATEINPUTS)), text.s, text.len, err, n);
	buffree(&text);
	return ret;
}

static int
processrun(struct run *r, char *err, size_t n)
{
	char **names, *summary = xasprintf("%s/summary.json", r->outdir);
	char *inputs = staterecord(r->outdir, NULL, STATEINPUTS), *root = NULL, *frame0;
	size_t nnames;
	struct outset o;
	int ret = -1;

	outinit(&o);
	if (mkdirp(r->outdir, err, n) < 0) {
		free(summary), free(inputs);
		return -1;
	}
	/* a run that fails is never done: its old summary.json (and what it was made from) goes first */
	unlink(summary);
	unlink(inputs);
	/* then the run is being processed, for runja-gen --status */
	r->progress = mkprogressout(r->state, r->id, PROGRESSPIPELINE, r->pkey, r->start);
	if (r->failwith) {
		free(summary), free(inputs);
		return seterr(err, n, "%s", r->failwith);
	}
	if (listframes(r->rundir, r->frames, r->id, &names, &nnames, err, n) < 0) {
		free(summary), free(inputs);
		return -1;
	}
	if (nnames == 0) {
		seterr(err, n, "%s: no frames matching '%s'", r->id, r->frames);
		goto out;
	}
	/* before the run's buffers: the heap they come from in huge pages */
	frame0 = xasprintf("%s/%s", r->rundir, names[0]);
	r->advised = heapadvise(r->o, frame0, nnames);
	free(frame0);
	/*
	 * The frames looked at before they are read, and each hashed from the bytes decoded
	 * (runframes): a frame changed meanwhile has another time or size next time, and its
	 * bytes are compared with those the results are made of. Any frame not decoded (one
	 * skipped as unreadable) is hashed after.
	 */
	if (r->key && stepinputs(r->o, r->key, names, nnames, &r->in, err, n) < 0)
		goto out;
	r->acc = mkproducts(&r->prods);
	if (runframes(r, names, nnames, err, n) < 0 || (r->key && runhash(&r->in, r->cores, err, n) < 0))
		goto out;
	/* with OUT known, the report's thumbnails of the image products are made as they are written */
	if (r->state)
		r->thumbs = mkthumbs(r->acc);
	/* room for the depfile and products before writing any, else a transient failure, the old ones kept */
	if (spacecheck(r->outdir, prodspace(r->acc, r->npy, r->deps.len), r->id, err, n) < 0) {
		ret = -JOBSTRANSIENT;
		goto out;
	}
	/* the depfile before the products: once summary.json is renamed in, nothing may fail */
	if (r->depfile && writedepfile(r, err, n) < 0)
		goto out;
	if ((r->key && writeinputs(r, &o, err, n) < 0) || writeproducts(r, &o, (int)nnames, err, n) < 0 ||
	    outcommit(&o, err, n) < 0) {
		outabort(&o);
		goto out;
	}
	ret = 0;
	if (r->thumbs && (root = outroot(r)) != NULL)
		prodthumbs(r->acc, r->thumbs, root, r->id);
	/* frames dated ahead of this clock: the results get their time, or the next build would redo them */
	if (r->key && stepdate(r->o, &r->in, false, err, n) < 0)
		warn("%s", err);
out:
	delout(&o);
	delstrv(names, nnames);
	free(summary), free(inputs), free(root);
	return ret;
}

/* append this attempt (its parameters key) to STATE/ledger.tsv (state: OUT/.runja, or NULL when OUT is not known) */
static void
record(const struct run *r, const char *state, const char *key, const struct timespec *t0, int status,
       const char *error)
{
	struct rusage ru;
	struct attempt a;

	getrusage(RUSAGE_SELF, &ru);
	a = (struct attempt){.id = r->id, .maxrss = ru.ru_maxrss, .status = status, .error = error, .key = key};
	ledgerrecord(state, t0, &a);
}

/* OUTDIR/error.txt, the failure record, holds the error of a failed run (for --check and the report); gone on success */
static void
noteerror(const struct run *r, const char *msg)
{
	char *path, err[512];

	if (msg) {
		/* if even this cannot be written (a full disk), the run's one error line says why */
		if (exists(r->outdir))
			statefailwrite(r->outdir, msg, err, sizeof(err));
		return;
	}
	path = staterecord(r->outdir, NULL, STATEERROR);
	unlink(path);
	free(path);
}

/*
 * The cores of run r: the tokens of OUT/.runja/cores cap it at the CPUs of its set (without
 * OUT, it is alone); taken as it starts, so that runs already under way see it at once
 */
static struct cores *
runcores(const struct run *r)
{
	int cap = r->threads > 0 ? r->threads : corescpus();
	char *dir = r->state && cap > 1 ? statein(r->state, STATECORES, NULL) : NULL;
	struct cores *c = mkcores(dir, cap);

	coresadjust(c, cap);
	free(dir);
	return c;
}

/* is what (threads, heap) in RUNJA_DEBUG, for tests and the curious */
static bool
debugging(const char *what)
{
	const char *d = getenv("RUNJA_DEBUG");

	return d && strstr(d, what);
}

/* the KiB of this process's memory in transparent huge pages (AnonHugePages of /proc/self/smaps_rollup), or -1 */
static long
hugekib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/smaps_rollup", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* process the run o with the inputs record's key (NULL: none); 0, or -1 with err and *transient set when the cause may pass */
static int
runwith(const struct runopts *o, const char *key, bool *transient, long long *newest, char *err, size_t n)
{
	struct run r = {
		.id = o->id, .rundir = o->rundir, .outdir = o->outdir, .frames = o->frames, .depfile = o->depfile,
		.failwith = o->failwith, .channel = o->channel, .maxpixels = o->maxpixels, .skipbad = o->skipbad,
		.npy = o->npy, .depphony = o->depphony, .compression = o->compression, .ops = o->ops, .nops = o->nops,
		.prods = o->prods, .argv = o->argv, .key = key, .o = o, .threads = o->threads,
	};
	char *root = outroot(&r), *state = root ? statepath(root, STATEDIR, NULL) : NULL, pkey[PARAMKEYSIZE];
	struct timespec t0;
	int ret;

	r.skipped = json_array();
	bufinit(&r.deps);
	clock_gettime(CLOCK_REALTIME, &t0);
	paramkeypipeline(pkey, r.ops, r.nops, &r.prods, r.channel, r.maxpixels, r.npy);
	r.state = state, r.pkey = pkey, r.start = (double)t0.tv_sec + t0.tv_nsec / 1e9;
	r.cores = runcores(&r);
	seterrclear();
	simdsay();
	ret = processrun(&r, err, n);
	/* for tests and the curious: how many threads its frames had, how much of its memory was in huge pages */
	if (r.nthreads && debugging("threads"))
		warn("%s: frames on up to %d threads", r.id, r.nthreads);
	if (debugging("heap"))
		warn("%s: started with GLIBC_TUNABLES=%s, %zu MiB of heap advised, %ld KiB in huge pages", r.id,
		     o->tunables ? o->tunables : "", r.advised >> 20, hugekib());
	*transient = ret == -JOBSTRANSIENT || (ret < 0 && jobspassing(seterrno()));
	*newest = inputsnewest(&r.in);
	noteerror(&r, ret < 0 ? err : NULL);
	record(&r, state, pkey, &t0, ret < 0 ? (*transient ? JOBSTRANSIENT : 1) : 0, ret < 0 ? err : NULL);
	delprogressout(r.progress);
	delcores(r.cores);
	free(root), free(state);
	json_decref(r.skipped);
	buffree(&r.deps);
	delinputs(&r.in);
	if (r.acc)
		delproducts(r.acc);
	delthumbs(r.thumbs);
	return ret;
}

int
runone(const struct runopts *o, char *err, size_t n)
{
	bool transient;
	long long newest;

	return runwith(o, NULL, &transient, &newest, err, n);
}

/* the run failed deterministically with err (was: its error before): steptried with the frames as they are now */
static void
notetried(const struct runopts *o, const char *key, const char *was, const char *err)
{
	char *root = runroot(o), *state, e[1024], **names;
	struct inputs cur;
	size_t nnames;

	if (!root || o->failwith)
		return free(root);
	state = statepath(root, STATEDIR, NULL);
	if (listframesquiet(o->rundir, o->frames, o->id, &names, &nnames, e, sizeof(e)) == 0) {
		if (stepinputs(o, key, names, nnames, &cur, e, sizeof(e)) == 0 &&
		    inputshashall(&cur, e, sizeof(e)) == 0)
			steptried(state, o->id, &cur, was, err, STATEENDED, o->depphony);
		delinputs(&cur);
		delstrv(names, nnames);
	}
	free(root), free(state);
}

int
runattempt(const struct runopts *o, const char *key, char *err, size_t n)
{
	char *root = runroot(o), *rec = staterecord(o->outdir, NULL, STATEERROR), *was = statefailread(rec);
	char *state = root ? statepath(root, STATEDIR, NULL) : NULL;
	bool transient;
	long long newest;
	int ret = runwith(o, key, &transient, &newest, err, n);
	char e[512];

	if (ret < 0)
		warn("%s", err);
	/* the outcome is new: what the report reads */
	if (root && stateended(state, STATEENDED, o->id, newest > fsnow() ? newest : 0, e, sizeof(e)) < 0)
		warn("%s", e);
	if (ret < 0 && !transient)
		notetried(o, key, was, err);
	if (ret == 0 && root)
		stepsucceeded(state, o->id);
	free(root), free(rec), free(was), free(state);
	return ret == 0 ? 0 : transient ? JOBSTRANSIENT : JOBSFAILED;
}

/* remove DIR/NAME, when it is there */
static void
unlinkin(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);

	unlink(p);
	free(p);
}

void
runfailedoutside(const struct runopts *o, const char *line, const struct jobsend *e)
{
	struct run r = {.id = o->id, .outdir = o->outdir};
	char *msg = xasprintf("%s: an attempt %s", o->id, line), e2[512];
	struct timespec t0;
	struct attempt a;
	char *root = outroot(&r), *state = root ? statepath(root, STATEDIR, NULL) : NULL;

	warn("%s", msg);
	/* the attempt may have died before it took the old results for not done: a failed run never is */
	unlinkin(o->outdir, "summary.json");
	unlinkin(o->outdir, staterecordname(STATEINPUTS));
	noteerror(&r, msg);
	clock_gettime(CLOCK_REALTIME, &t0);
	a = (struct attempt){.id = o->id, .status = e->sig ? -1 : e->status, .signal = e->sig, .error = msg};
	ledgerrecord(state, &t0, &a);
	if (state)
		stateended(state, STATEENDED, o->id, 0, e2, sizeof(e2));
	free(msg), free(root), free(state);
}
