#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tmpl.h"
#include "common/util.h"
#include "emit.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

void
ninjapath(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '$' || *s == ' ' || *s == ':')
			bufputc(b, '$');
		bufputc(b, *s);
	}
}

void
ninjavar(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '$')
			bufputc(b, '$');
		bufputc(b, *s);
	}
}

static bool
shsafe(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%", *s))
			return false;
	return true;
}

void
ninjashell(struct buf *b, const char *s)
{
	bool safe = shsafe(s);

	if (!safe)
		bufputc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			bufputs(b, "'\\''");
		else if (*s == '$')
			bufputs(b, "$$");
		else
			bufputc(b, *s);
	}
	if (!safe)
		bufputc(b, '\'');
}

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

/* append one argument to the vector v (n used, cap allocated) */
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
	pushargs(argv, &n, &cap, "--depfile", xasprintf("%s/.runja.d", out));
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
	char *out = emitcmdout(e, r), *stamp = xasprintf("%s/.runja.done", out);

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
	pushargs(argv, &n, &cap, "--state", xasprintf("%s/.runja", e->c->outdir));
	if (params && strcmp(params, "{}") != 0)
		pushargs(argv, &n, &cap, "--params", xstrdup(params));
	if (m->timeout)
		pushargs(argv, &n, &cap, "--timeout", xasprintf("%lld", m->timeout));
	if (m->afterpipeline)
		pushargs(argv, &n, &cap, "--pipeline", runout(e, r));
	/* a launcher makes each run a job of its own: nothing there for a server to serve */
	if (m->warm && !*e->c->launcher)
		pushargs(argv, &n, &cap, "--warm", NULL);
	pushargs(argv, &n, &cap, "--stamp", emitcmdstamp(e, r));
	pushargs(argv, &n, &cap, "--depfile", xasprintf("%s/.runja.d", out));
	pushargs(argv, &n, &cap, NULL, xstrdup(r->dir));
	pushargs(argv, &n, &cap, NULL, out);
	pushargs(argv, &n, &cap, "--", NULL);
	for (j = 0; j < m->nrun; j++)
		pushargs(argv, &n, &cap, NULL, xstrdup(m->run[j]));
	return n;
}

/* append the arguments argv (n of them), each quoted for sh and escaped for ninja */
static void
shellwords(struct buf *b, char **argv, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++) {
		if (j)
			bufputc(b, ' ');
		ninjashell(b, argv[j]);
	}
	delstrv(argv, n);
}

/* the command-line arguments of runja-process for run i, each quoted for sh and ninja */
static void
runargs(struct buf *b, const struct emit *e, size_t i)
{
	char **argv;
	size_t n = emitargv(e, i, &argv);

	shellwords(b, argv, n);
}

/* the outputs of one run's edge, escaped, summary.json first */
static void
runoutputs(struct buf *b, const struct emit *e, const struct run *r, const struct runparams *p)
{
	const char *names[16];
	char *out = runout(e, r);
	size_t i, n = specoutputs(p->prods, e->c->npy, names);

	for (i = 0; i < n; i++) {
		if (i)
			bufputc(b, ' ');
		ninjapath(b, out);
		bufputc(b, '/');
		ninjapath(b, names[i]);
	}
	free(out);
}

static int
emitpool(struct buf *out, const struct emit *e, const char *name, int depth, char *err, size_t n)
{
	char d[32];
	struct tvar v[] = {{"name", name}, {"depth", d}};
	char tname[512];

	snprintf(d, sizeof(d), "%d", depth);
	snprintf(tname, sizeof(tname), "%s/pool.ninja", e->t->dir);
	return tmplexpand(out, e->t->pool, tname, v, LEN(v), err, n);
}

static int
emitrun(struct buf *out, const struct emit *e, size_t i, char *err, size_t n)
{
	const struct run *r = &e->s->runs[i];
	struct buf outputs, id, args, dep;
	char nframes[32], tname[512], *o = runout(e, r), *depfile;
	int ret;

	bufinit(&outputs), bufinit(&id), bufinit(&args), bufinit(&dep);
	runoutputs(&outputs, e, r, &e->params[i]);
	ninjavar(&id, r->id);
	depfile = xasprintf("%s/.runja.d", o);
	runargs(&args, e, i);
	ninjavar(&dep, depfile);
	snprintf(nframes, sizeof(nframes), "%zu", r->nframes);
	snprintf(tname, sizeof(tname), "%s/run.ninja", e->t->dir);
	{
		struct tvar v[] = {
			{"outputs", outputs.s}, {"id", id.s}, {"nframes", nframes},
			{"depfile", dep.s}, {"args", args.s}, {"pool", e->c->pool > 0 ? "runs" : ""},
		};

		ret = tmplexpand(out, e->t->run, tname, v, LEN(v), err, n);
	}
	buffree(&outputs), buffree(&id), buffree(&args), buffree(&dep);
	free(depfile);
	free(o);
	return ret;
}

void
launcherprefix(struct buf *b, const char *launcher)
{
	if (!*launcher)
		return;
	for (; *launcher; launcher++)
		*launcher == '$' ? bufputs(b, "$$") : bufputc(b, *launcher);
	bufputc(b, ' ');
}

/* append " $\n    PATH", path escaped for a ninja build line: one item of a long list */
static void
listpath(struct buf *b, const char *path)
{
	bufputs(b, " $\n    ");
	ninjapath(b, path);
}

/* listpath each of the n paths */
static void
pathlist(struct buf *b, char *const *paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		listpath(b, paths[i]);
}

/* the edge of run i's command; after the pipeline it also depends on the pipeline's summary.json */
static int
emitexec(struct buf *out, const struct emit *e, size_t i, char *err, size_t n)
{
	const struct run *r = &e->s->runs[i];
	struct buf outputs, after, inputs, id, args, dep;
	char nframes[32], tname[512], *o = emitcmdout(e, r), *p, **argv;
	size_t na;
	int ret;

	bufinit(&outputs), bufinit(&after), bufinit(&inputs), bufinit(&id), bufinit(&args);
	bufinit(&dep);
	p = emitcmdstamp(e, r);
	ninjapath(&outputs, p);
	free(p);
	if (e->c->cmd.afterpipeline) {
		p = xasprintf("%s/%s/summary.json", e->c->outdir, r->id);
		bufputc(&after, ' ');
		ninjapath(&after, p);
		free(p);
	}
	pathlist(&inputs, e->cmdinputs, e->ncmdinputs);
	ninjavar(&id, r->id);
	p = xasprintf("%s/.runja.d", o);
	ninjavar(&dep, p);
	free(p);
	na = emitexecargv(e, i, &argv);
	shellwords(&args, argv, na);
	snprintf(nframes, sizeof(nframes), "%zu", r->nframes);
	snprintf(tname, sizeof(tname), "%s/exec.ninja", e->t->dir);
	{
		struct tvar v[] = {
			{"outputs", outputs.s}, {"after", after.s}, {"inputs", inputs.s}, {"id", id.s},
			{"nframes", nframes}, {"depfile", dep.s}, {"args", args.s}, {"pool", e->c->pool > 0 ? "runs" : ""},
		};

		ret = tmplexpand(out, e->t->exec, tname, v, LEN(v), err, n);
	}
	buffree(&outputs), buffree(&after), buffree(&inputs), buffree(&id), buffree(&args);
	buffree(&dep);
	free(o);
	return ret;
}

/* the command's rule, once, with the launcher as for the pipeline's */
static int
emitexecrule(struct buf *out, const struct emit *e, char *err, size_t n)
{
	struct buf launcher;
	char tname[512];
	int ret;

	bufinit(&launcher);
	launcherprefix(&launcher, e->c->launcher);
	snprintf(tname, sizeof(tname), "%s/execrule.ninja", e->t->dir);
	{
		struct tvar v[] = {{"launcher", launcher.s}};

		ret = tmplexpand(out, e->t->execrule, tname, v, LEN(v), err, n);
	}
	buffree(&launcher);
	return ret;
}

static int
emithead(struct buf *out, const struct emit *e, char *err, size_t n)
{
	struct buf gen, process, exec, report, state, launcher, cfg, targ, outdir;
	char tname[512], nruns[32], *st = xstrdup(EMITSTATE);
	int ret;

	bufinit(&gen), bufinit(&process), bufinit(&exec), bufinit(&report), bufinit(&state), bufinit(&launcher);
	bufinit(&cfg), bufinit(&targ), bufinit(&outdir);
	ninjashell(&gen, e->gen);
	ninjashell(&process, e->process);
	ninjashell(&exec, e->exec);
	ninjashell(&report, e->report);
	ninjapath(&state, st);
	launcherprefix(&launcher, e->c->launcher);
	ninjashell(&cfg, e->cfgname);
	if (e->templatesarg) {
		bufputs(&targ, " --templates ");
		ninjashell(&targ, e->templatesarg);
	}
	ninjashell(&outdir, e->c->outdir);
	snprintf(nruns, sizeof(nruns), "%zu", e->s->nruns);
	snprintf(tname, sizeof(tname), "%s/head.ninja", e->t->dir);
	{
		struct tvar v[] = {
			{"generated", "written by runja-gen from runja.cfg: edit runja.cfg instead, this file is remade"},
			{"state", state.s}, {"gen", gen.s}, {"process", process.s}, {"exec", exec.s}, {"report", report.s},
			{"launcher", launcher.s},
			{"cfg", cfg.s}, {"templatesarg", targ.s}, {"outdir", outdir.s}, {"nruns", nruns},
		};

		ret = tmplexpand(out, e->t->head, tname, v, LEN(v), err, n);
	}
	buffree(&gen), buffree(&process), buffree(&exec), buffree(&report), buffree(&state), buffree(&launcher);
	buffree(&cfg), buffree(&targ), buffree(&outdir);
	free(st);
	return ret;
}

/*
 * A path the regeneration watches: appended to inputs, and one phony statement in
 * out, so that the path may vanish (a run removed) without stopping ninja.
 */
static int
emitphony(struct buf *out, struct buf *inputs, const struct emit *e, const char *path, char *err, size_t n)
{
	struct buf p;
	char tname[512];
	int ret;

	bufinit(&p);
	ninjapath(&p, path);
	listpath(inputs, path);
	snprintf(tname, sizeof(tname), "%s/phony.ninja", e->t->dir);
	{
		struct tvar v[] = {{"path", p.s}};

		ret = tmplexpand(out, e->t->phony, tname, v, LEN(v), err, n);
	}
	buffree(&p);
	return ret;
}

static int
emittail(struct buf *out, const struct emit *e, char *err, size_t n)
{
	struct buf summary, index, summaries, cfg, templates, inputs, phonies, runlist;
	char tname[512], *p;
	size_t i;
	int ret = -1;

	bufinit(&summary), bufinit(&summaries), bufinit(&cfg), bufinit(&templates), bufinit(&inputs);
	bufinit(&phonies), bufinit(&runlist);
	/* the report lists the runs, and the runs still waiting, that runja-gen wrote down */
	p = xasprintf("%s/.runja/runs", e->c->outdir);
	ninjapath(&runlist, p);
	free(p);
	p = xasprintf("%s/.runja/waiting", e->c->outdir);
	bufputc(&runlist, ' ');
	ninjapath(&runlist, p);
	free(p);
	p = xasprintf("%s/summary.csv", e->c->outdir);
	ninjapath(&summary, p);
	free(p);
	bufinit(&index);
	p = xasprintf("%s/index.html", e->c->outdir);
	ninjapath(&index, p);
	free(p);
	for (i = 0; i < e->s->nruns; i++) {
		if (emithaspipeline(e)) {
			p = xasprintf("%s/%s/summary.json", e->c->outdir, e->s->runs[i].id);
			listpath(&summaries, p);
			free(p);
		}
		if (e->c->cmd.run) {
			p = emitcmdstamp(e, &e->s->runs[i]);
			listpath(&summaries, p);
			free(p);
		}
	}
	ninjapath(&cfg, e->cfgname);
	pathlist(&templates, e->templatefiles, e->ntemplatefiles);
	for (i = 0; i < e->s->ndirs; i++)
		if (emitphony(&phonies, &inputs, e, e->s->dirs[i], err, n) < 0)
			goto out;
	for (i = 0; i < e->ncmdwatch; i++)
		if (emitphony(&phonies, &inputs, e, e->cmdwatch[i], err, n) < 0)
			goto out;
	for (i = 0; i < e->noverwatch; i++)
		if (emitphony(&phonies, &inputs, e, e->overwatch[i], err, n) < 0)
			goto out;
	for (i = 0; i < e->s->nruns; i++) {
		if (!e->s->runs[i].override)
			continue;
		p = xasprintf("%s/%s", e->s->runs[i].dir, e->c->override);
		ret = emitphony(&phonies, &inputs, e, p, err, n);
		free(p);
		if (ret < 0)
			goto out;
	}
	if (e->s->recheck) {
		/* a run waits on time or permissions: a path that never exists keeps the regeneration due */
		p = xasprintf("%s/.runja/recheck", e->c->outdir);
		ret = emitphony(&phonies, &inputs, e, p, err, n);
		free(p);
		if (ret < 0)
			goto out;
	}
	snprintf(tname, sizeof(tname), "%s/tail.ninja", e->t->dir);
	{
		struct tvar v[] = {
			{"summary", summary.s}, {"index", index.s}, {"summaries", summaries.s}, {"cfg", cfg.s},
			{"templates", templates.s}, {"inputs", inputs.s}, {"phonies", phonies.s},
			{"runlist", runlist.s},
		};

		ret = tmplexpand(out, e->t->tail, tname, v, LEN(v), err, n);
	}
out:
	buffree(&summary), buffree(&index), buffree(&summaries), buffree(&cfg), buffree(&templates), buffree(&inputs);
	buffree(&phonies), buffree(&runlist);
	return ret;
}

int
emitninja(struct buf *out, const struct emit *e, char *err, size_t n)
{
	size_t i;

	if (emithead(out, e, err, n) < 0)
		return -1;
	if (e->c->cmd.run && emitexecrule(out, e, err, n) < 0)
		return -1;
	if (e->c->pool > 0 && emitpool(out, e, "runs", e->c->pool, err, n) < 0)
		return -1;
	for (i = 0; i < e->s->nruns; i++) {
		if (emithaspipeline(e) && emitrun(out, e, i, err, n) < 0)
			return -1;
		if (e->c->cmd.run && emitexec(out, e, i, err, n) < 0)
			return -1;
	}
	return emittail(out, e, err, n);
}
