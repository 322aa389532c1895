#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common/fs.h"
#include "common/inputs.h"
#include "common/jobs.h"
#include "common/jobslurm.h"
#include "common/state.h"
#include "common/util.h"
#include "plan.h"
#include "slurmneed.h"

/* "OUT/RUNID", build-relative */
static char *
runout(const struct emit *e, const struct run *r)
{
	return xasprintf("%s/%s", e->c->outdir, r->id);
}

char *
emitframesdir(const struct emit *e, const struct run *r)
{
	const char *slash = strchr(e->c->frames, '/');

	if (!slash)
		return xstrdup(r->dir);
	return xasprintf("%s/%.*s", r->dir, (int)(slash - e->c->frames), e->c->frames);
}

char *
emitframeset(const struct run *r)
{
	return xasprintf("%016llx", (unsigned long long)r->framesig);
}

/* append flag (copied) and value (taken), each when not NULL, to the vector v (n used, cap allocated) */
static void
pushargs(char ***v, size_t *n, size_t *cap, const char *flag, char *value)
{
	if (*n + 2 > *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	if (flag)
		(*v)[(*n)++] = xstrdup(flag);
	if (value)
		(*v)[(*n)++] = value;
}

size_t
emitargv(const struct emit *e, size_t i, char ***argv)
{
	const struct conf *c = e->c;
	const struct run *r = &e->s->runs[i];
	const struct runparams *p = &e->params[i];
	char *prod[8], *out = runout(e, r);
	size_t n = 0, cap = 0, j, np;
	struct buf op;

	*argv = NULL;
	pushargs(argv, &n, &cap, "--id", xstrdup(r->id));
	pushargs(argv, &n, &cap, "--frames", xstrdup(c->frames));
	pushargs(argv, &n, &cap, "--frame-set", emitframeset(r));
	if (p->error)
		pushargs(argv, &n, &cap, "--fail-with", xstrdup(p->error));
	pushargs(argv, &n, &cap, "--channel", xstrdup(channame(c->channel)));
	pushargs(argv, &n, &cap, "--max-pixels", xasprintf("%lld", c->maxpixels));
	pushargs(argv, &n, &cap, "--on-bad-frame", xstrdup(c->skipbad ? "skip" : "fail"));
	pushargs(argv, &n, &cap, "--png-compression", xasprintf("%d", c->pngcompression));
	pushargs(argv, &n, &cap, c->npy ? "--npy" : "--no-npy", NULL);
	for (j = 0; j < p->nops; j++) {
		bufinit(&op);
		specfmtop(&op, &p->ops[j]);
		pushargs(argv, &n, &cap, "--op", op.s);
	}
	np = specprodtexts(p->prods, prod);
	for (j = 0; j < np; j++)
		pushargs(argv, &n, &cap, "--product", prod[j]);
	/* what computes the results, by version: a new runja that computes the same reruns nothing */
	bufinit(&op);
	specresults(&op, p->ops, p->nops, p->prods, c->npy);
	pushargs(argv, &n, &cap, "--results", op.s);
	pushargs(argv, &n, &cap, "--depfile", staterecord(out, NULL, STATEDEP));
	pushargs(argv, &n, &cap, NULL, xstrdup(r->dir));
	pushargs(argv, &n, &cap, NULL, out);
	return n;
}

bool
emithaspipeline(const struct emit *e)
{
	return !e->c->cmd.run || e->c->cmd.afterpipeline;
}

char *
emitcmdout(const struct emit *e, const struct run *r)
{
	return xasprintf(e->c->cmd.afterpipeline ? "%s/%s/command" : "%s/%s", e->c->outdir, r->id);
}

char *
emitcmdstamp(const struct emit *e, const struct run *r)
{
	char *out = emitcmdout(e, r), *stamp = staterecord(out, NULL, STATESTAMP);

	free(out);
	return stamp;
}

size_t
emitexecargv(const struct emit *e, size_t i, char ***argv)
{
	const struct cmdspec *m = &e->c->cmd;
	const struct run *r = &e->s->runs[i];
	const char *params = e->params[i].params;
	char *out = emitcmdout(e, r);
	size_t n = 0, cap = 0, j;

	*argv = NULL;
	pushargs(argv, &n, &cap, "--id", xstrdup(r->id));
	pushargs(argv, &n, &cap, "--frames", xstrdup(e->c->frames));
	pushargs(argv, &n, &cap, "--frame-set", emitframeset(r));
	if (e->params[i].error)
		pushargs(argv, &n, &cap, "--fail-with", xstrdup(e->params[i].error));
	pushargs(argv, &n, &cap, "--state", statepath(e->c->outdir, STATEDIR, NULL));
	if (params && strcmp(params, "{}") != 0)
		pushargs(argv, &n, &cap, "--params", xstrdup(params));
	if (m->afterpipeline)
		pushargs(argv, &n, &cap, "--pipeline", runout(e, r));
	/* the program's files: their bytes are part of what the results are made from */
	for (j = 0; j < e->ncmdinputs; j++)
		pushargs(argv, &n, &cap, "--input", xstrdup(e->cmdinputs[j]));
	pushargs(argv, &n, &cap, "--stamp", emitcmdstamp(e, r));
	pushargs(argv, &n, &cap, "--depfile", staterecord(out, NULL, STATEDEP));
	pushargs(argv, &n, &cap, NULL, xstrdup(r->dir));
	pushargs(argv, &n, &cap, NULL, out);
	pushargs(argv, &n, &cap, "--", NULL);
	for (j = 0; j < m->nrun; j++)
		pushargs(argv, &n, &cap, NULL, xstrdup(m->run[j]));
	return n;
}

/*
 * A step whose run is quarantined for its very arguments (OUT/.runja/quarantine/ID
 * made under them: the same key) has that record as its only output: it exists and
 * is newer than the frames, so the build leaves the run alone until a frame, the
 * program's files or (through the arguments) the parameters change, or --retry.
 */
static void
quarantine(struct step *st, const struct emit *e)
{
	char *path = statepath(e->c->outdir, STATEQUARANTINE, st->r->id), *key, err[512];
	json_t *a = json_array();
	struct inputs q;
	size_t i;

	for (i = 0; i < st->nargv; i++)
		json_array_append_new(a, json_string(st->argv[i]));
	key = json_dumps(a, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(a);
	if (key && inputsread(path, &q, err, sizeof(err)) == 0) {
		if (strcmp(q.key, key) == 0) {
			/* the outcome stamp stays first; the array keeps its room */
			for (i = 1; i < st->noutputs; i++)
				free(st->outputs[i]);
			st->outputs[1] = path, path = NULL;
			st->noutputs = 2;
			st->quarantined = true;
			free(st->depfile);
			st->depfile = xasprintf("%s.d", st->outputs[1]);
		}
		delinputs(&q);
	}
	free(key), free(path);
}

size_t
planquarantined(const struct emit *e, struct buf *ids)
{
	struct step st;
	size_t i, n = 0;
	char *path;

	for (i = 0; i < e->s->nruns; i++) {
		path = statepath(e->c->outdir, STATEQUARANTINE, e->s->runs[i].id);
		if (exists(path)) {
			st = (struct step){.r = &e->s->runs[i], .run = i, .command = !emithaspipeline(e)};
			st.nargv = st.command ? emitexecargv(e, i, &st.argv) : emitargv(e, i, &st.argv);
			st.outputs = xcalloc(2, sizeof(*st.outputs));
			quarantine(&st, e);
			if (st.quarantined)
				bufprintf(ids, "%s%s", n++ ? ", " : "", st.r->id);
			delstrv(st.argv, st.nargv);
			delstrv(st.outputs, st.noutputs);
			free(st.depfile);
		}
		free(path);
	}
	return n;
}

/* the pipeline step of run i: its outcome stamp, summary.json, the products of its effective parameters */
static void
pipestep(struct step *st, const struct emit *e, size_t i)
{
	const struct run *r = &e->s->runs[i];
	const char *names[16];
	size_t j, np = specoutputs(e->params[i].prods, e->c->npy, names), cap = 0;

	*st = (struct step){.command = false, .r = r, .run = i};
	pushargs(&st->outputs, &st->noutputs, &cap, NULL, statepath(e->c->outdir, STATEENDED, r->id));
	for (j = 0; j < np; j++)
		pushargs(&st->outputs, &st->noutputs, &cap, NULL, xasprintf("%s/%s/%s", e->c->outdir, r->id, names[j]));
	st->nargv = emitargv(e, i, &st->argv);
	st->depfile = staterecord(e->c->outdir, r->id, STATEDEP);
	quarantine(st, e);
}

/* the command step of run i: its stamp; after the pipeline it depends on the pipeline's summary.json */
static void
cmdstep(struct step *st, const struct emit *e, size_t i)
{
	const struct run *r = &e->s->runs[i];
	char *out = emitcmdout(e, r);

	*st = (struct step){.command = true, .r = r, .run = i};
	st->outputs = xcalloc(2, sizeof(*st->outputs));
	st->outputs[st->noutputs++] = statepath(e->c->outdir, STATECMDENDED, r->id);
	st->outputs[st->noutputs++] = emitcmdstamp(e, r);
	/* after the pipeline: after each new outcome of it */
	if (e->c->cmd.afterpipeline)
		st->after = statepath(e->c->outdir, STATEENDED, r->id);
	st->nargv = emitexecargv(e, i, &st->argv);
	st->depfile = staterecord(out, NULL, STATEDEP);
	free(out);
	quarantine(st, e);
}

/* add a watched path to p (cap allocated); takes path and what */
static void
addwatch(struct plan *p, size_t *cap, char *path, char *what, bool dir, bool settling)
{
	if (p->nwatch == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		p->watch = xreallocarray(p->watch, *cap, sizeof(*p->watch));
	}
	p->watch[p->nwatch++] = (struct watch){path, what, dir, settling};
}

/* what the regeneration watches: the scan's folders, the command's, the overrides, a run that waits on time */
static void
watches(struct plan *p, const struct emit *e)
{
	size_t i, cap = 0;

	for (i = 0; i < e->s->ndirs; i++)
		addwatch(p, &cap, xstrdup(e->s->dirs[i]), xasprintf("folder '%s'", e->s->dirs[i]), true, false);
	for (i = 0; i < e->ncmdwatch; i++)
		addwatch(p, &cap, xstrdup(e->cmdwatch[i]), xasprintf("folder '%s'", e->cmdwatch[i]), true, false);
	for (i = 0; i < e->noverwatch; i++)
		addwatch(p, &cap, xstrdup(e->overwatch[i]), xasprintf("runs.overrides path '%s'", e->overwatch[i]),
		         false, false);
	for (i = 0; i < e->s->nruns; i++)
		if (e->s->runs[i].override)
			addwatch(p, &cap, xasprintf("%s/%s", e->s->runs[i].dir, e->c->override),
			         xasprintf("run '%s'", e->s->runs[i].id), false, false);
	/* a run waits on time or permissions: a path that never exists keeps the regeneration due */
	if (e->s->recheck)
		addwatch(p, &cap, statepath(e->c->outdir, STATERECHECK, NULL), xasprintf("output.dir '%s'", e->c->outdir),
		         false, true);
}

/* steps with more frames first; then in the scan's order, a run's pipeline before its command */
static int
longestfirst(const void *a, const void *b)
{
	const struct step *x = a, *y = b;

	if (x->r->nframes != y->r->nframes)
		return x->r->nframes > y->r->nframes ? -1 : 1;
	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	return (int)x->command - (int)y->command;
}

void
mkplan(struct plan *p, const struct emit *e)
{
	size_t i, j, nstep = (emithaspipeline(e) ? 1 : 0) + (e->c->cmd.run ? 1 : 0), capsum = 0, capprod = 0;

	memset(p, 0, sizeof(*p));
	p->steps = xcalloc(e->s->nruns * nstep + 1, sizeof(*p->steps));
	for (i = 0; i < e->s->nruns; i++) {
		if (emithaspipeline(e))
			pipestep(&p->steps[p->nsteps++], e, i);
		if (e->c->cmd.run)
			cmdstep(&p->steps[p->nsteps++], e, i);
	}
	/*
	 * The runs with the most frames first: ninja starts the edges it may run in the
	 * order of the build file, make the targets of `runs` in their order, so a long run
	 * starts at once beside the short ones and takes the cores they free, instead of
	 * starting last and running alone.
	 */
	qsort(p->steps, p->nsteps, sizeof(*p->steps), longestfirst);
	for (i = 0; i < p->nsteps; i++) {
		/* the report reads each step's outcome stamp, touched when an attempt ends in a new outcome */
		pushargs(&p->summaries, &p->nsummaries, &capsum, NULL, xstrdup(p->steps[i].outputs[0]));
		/* make looks at the targets it is asked for only: a product deleted must be one */
		for (j = 1; j < p->steps[i].noutputs; j++)
			pushargs(&p->products, &p->nproducts, &capprod, NULL, xstrdup(p->steps[i].outputs[j]));
	}
	p->summary = xasprintf("%s/summary.csv", e->c->outdir);
	p->index = xasprintf("%s/index.html", e->c->outdir);
	p->runlist[0] = statepath(e->c->outdir, STATERUNS, NULL);
	p->runlist[1] = statepath(e->c->outdir, STATEWAITING, NULL);
	p->runlist[2] = statepath(e->c->outdir, STATEREPORTCFG, NULL);
	p->jobs = statepath(e->c->outdir, STATEJOBS, NULL);
	watches(p, e);
}

void
delplan(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++) {
		delstrv(p->steps[i].outputs, p->steps[i].noutputs);
		delstrv(p->steps[i].argv, p->steps[i].nargv);
		free(p->steps[i].after), free(p->steps[i].depfile);
	}
	for (i = 0; i < p->nwatch; i++)
		free(p->watch[i].path), free(p->watch[i].what);
	free(p->steps), free(p->watch);
	delstrv(p->summaries, p->nsummaries);
	delstrv(p->products, p->nproducts);
	free(p->summary), free(p->index), free(p->runlist[0]), free(p->runlist[1]), free(p->runlist[2]);
	free(p->jobs);
	memset(p, 0, sizeof(*p));
}

void
planjobs(struct buf *b, const struct emit *e)
{
	const struct conf *c = e->c;
	struct jobs j = {
		.launcher = c->launcher, .retries = c->retries, .pause = (double)c->retrypause, .timeout = c->cmd.timeout,
		/* a launcher makes each run a job of its own: nothing there for a server to serve */
		.warm = c->cmd.warm && !*c->launcher, .threads = c->threads, .slurm = c->slurm.run,
	};

	/* the config's settings, borrowed, and the needs, made here */
	j.slurm.needs = NULL, j.slurm.nneeds = 0;
	if (strcmp(c->launcher, JOBSSLURM) == 0)
		slurmneeds(e, &j.slurm);
	jobsfmt(b, &j);
	jobsdelneeds(&j.slurm);
}

void
planreport(struct buf *b, const struct conf *c)
{
	json_t *none = json_object();
	char *s = json_dumps(c->cmd.run && c->cmd.report ? c->cmd.report : none, JSON_INDENT(2));

	bufprintf(b, "%s\n", s);
	free(s);
	json_decref(none);
}
