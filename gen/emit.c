#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/state.h"
#include "common/tmpl.h"
#include "common/util.h"
#include "emit.h"
#include "plan.h"

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

void
emitwords(struct buf *b, char *const *v, size_t n, void (*escape)(struct buf *, const char *))
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			bufputc(b, ' ');
		escape(b, v[i]);
	}
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

/* the edge of a pipeline step */
static int
emitrun(struct buf *out, const struct emit *e, const struct step *st, char *err, size_t n)
{
	struct buf outputs, id, args, dep;
	char nframes[32], tname[512];
	int ret;

	bufinit(&outputs), bufinit(&id), bufinit(&args), bufinit(&dep);
	emitwords(&outputs, st->outputs, st->noutputs, ninjapath);
	ninjavar(&id, st->r->id);
	emitwords(&args, st->argv, st->nargv, ninjashell);
	ninjavar(&dep, st->depfile);
	snprintf(nframes, sizeof(nframes), "%zu", st->r->nframes);
	snprintf(tname, sizeof(tname), "%s/run.ninja", e->t->dir);
	{
		struct tvar v[] = {
			{"outputs", outputs.s}, {"id", id.s}, {"nframes", nframes},
			{"depfile", dep.s}, {"args", args.s}, {"pool", e->c->pool > 0 ? "runs" : ""},
		};

		ret = tmplexpand(out, e->t->run, tname, v, LEN(v), err, n);
	}
	buffree(&outputs), buffree(&id), buffree(&args), buffree(&dep);
	return ret;
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

/* the edge of a command step; after the pipeline it also depends on the pipeline's summary.json */
static int
emitexec(struct buf *out, const struct emit *e, const struct step *st, char *err, size_t n)
{
	struct buf outputs, after, inputs, id, args, dep;
	char nframes[32], tname[512];
	int ret;

	bufinit(&outputs), bufinit(&after), bufinit(&inputs), bufinit(&id), bufinit(&args), bufinit(&dep);
	emitwords(&outputs, st->outputs, st->noutputs, ninjapath);
	if (st->after) {
		bufputc(&after, ' ');
		ninjapath(&after, st->after);
	}
	pathlist(&inputs, e->cmdinputs, e->ncmdinputs);
	ninjavar(&id, st->r->id);
	ninjavar(&dep, st->depfile);
	emitwords(&args, st->argv, st->nargv, ninjashell);
	snprintf(nframes, sizeof(nframes), "%zu", st->r->nframes);
	snprintf(tname, sizeof(tname), "%s/exec.ninja", e->t->dir);
	{
		struct tvar v[] = {
			{"outputs", outputs.s}, {"after", after.s}, {"inputs", inputs.s}, {"id", id.s},
			{"nframes", nframes}, {"depfile", dep.s}, {"args", args.s}, {"pool", e->c->pool > 0 ? "runs" : ""},
		};

		ret = tmplexpand(out, e->t->exec, tname, v, LEN(v), err, n);
	}
	buffree(&outputs), buffree(&after), buffree(&inputs), buffree(&id), buffree(&args), buffree(&dep);
	return ret;
}

/* the command's rule, once */
static int
emitexecrule(struct buf *out, const struct emit *e, char *err, size_t n)
{
	char tname[512];

	snprintf(tname, sizeof(tname), "%s/execrule.ninja", e->t->dir);
	return tmplexpand(out, e->t->execrule, tname, NULL, 0, err, n);
}

static int
emithead(struct buf *out, const struct emit *e, char *err, size_t n)
{
	struct buf gen, process, exec, report, state, cfg, targ, outdir;
	char tname[512], nruns[32], *st = xstrdup(STATEBUILD);
	int ret;

	bufinit(&gen), bufinit(&process), bufinit(&exec), bufinit(&report), bufinit(&state);
	bufinit(&cfg), bufinit(&targ), bufinit(&outdir);
	ninjashell(&gen, e->gen);
	ninjashell(&process, e->process);
	ninjashell(&exec, e->exec);
	ninjashell(&report, e->report);
	ninjapath(&state, st);
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
			{"cfg", cfg.s}, {"templatesarg", targ.s}, {"outdir", outdir.s}, {"nruns", nruns},
		};

		ret = tmplexpand(out, e->t->head, tname, v, LEN(v), err, n);
	}
	buffree(&gen), buffree(&process), buffree(&exec), buffree(&report), buffree(&state);
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

/* the report's edge and the regeneration's, with a phony statement per watched path */
static int
emittail(struct buf *out, const struct emit *e, const struct plan *p, char *err, size_t n)
{
	struct buf summary, index, summaries, cfg, templates, inputs, phonies, runlist, jobs;
	char tname[512];
	size_t i;
	int ret = 0;

	bufinit(&summary), bufinit(&index), bufinit(&summaries), bufinit(&cfg), bufinit(&templates);
	bufinit(&inputs), bufinit(&phonies), bufinit(&runlist), bufinit(&jobs);
	ninjapath(&jobs, p->jobs);
	/* the report lists the runs, and the runs still waiting, that runja-gen wrote down */
	emitwords(&runlist, p->runlist, LEN(p->runlist), ninjapath);
	ninjapath(&summary, p->summary);
	ninjapath(&index, p->index);
	pathlist(&summaries, p->summaries, p->nsummaries);
	ninjapath(&cfg, e->cfgname);
	pathlist(&templates, e->templatefiles, e->ntemplatefiles);
	for (i = 0; i < p->nwatch && ret == 0; i++)
		ret = emitphony(&phonies, &inputs, e, p->watch[i].path, err, n);
	snprintf(tname, sizeof(tname), "%s/tail.ninja", e->t->dir);
	if (ret == 0) {
		struct tvar v[] = {
			{"summary", summary.s}, {"index", index.s}, {"summaries", summaries.s}, {"cfg", cfg.s},
			{"templates", templates.s}, {"inputs", inputs.s}, {"phonies", phonies.s},
			{"runlist", runlist.s}, {"jobs", jobs.s},
		};

		ret = tmplexpand(out, e->t->tail, tname, v, LEN(v), err, n);
	}
	buffree(&summary), buffree(&index), buffree(&summaries), buffree(&cfg), buffree(&templates), buffree(&inputs);
	buffree(&phonies), buffree(&runlist), buffree(&jobs);
	return ret;
}

int
emitninja(struct buf *out, const struct emit *e, char *err, size_t n)
{
	struct plan p;
	size_t i;
	int ret = 0;

	mkplan(&p, e);
	if (emithead(out, e, err, n) < 0 || (e->c->cmd.run && emitexecrule(out, e, err, n) < 0) ||
	    (e->c->pool > 0 && emitpool(out, e, "runs", e->c->pool, err, n) < 0))
		ret = -1;
	for (i = 0; i < p.nsteps && ret == 0; i++)
		ret = p.steps[i].command ? emitexec(out, e, &p.steps[i], err, n) : emitrun(out, e, &p.steps[i], err, n);
	if (ret == 0)
		ret = emittail(out, e, &p, err, n);
	delplan(&p);
	return ret;
}
