#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fs.h"
#include "common/state.h"
#include "common/tmpl.h"
#include "common/util.h"
#include "emit.h"
#include "plan.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* words make reads as keywords at the start of a line or a prerequisite list */
static const char *const makekeywords[] = {
	"define", "endef", "undefine", "ifdef", "ifndef", "ifeq", "ifneq", "else", "endif", "include",
	"-include", "sinclude", "override", "export", "unexport", "private", "vpath", "load", "-load",
};
/* the Makefile's own targets (make reads "./X" as X) */
static const char *const maketargets[] = {"all", "runs", "report", "Makefile"};

/* is s one of the nwords words? */
static bool
oneof(const char *s, const char *const *words, size_t nwords)
{
	size_t i;

	for (i = 0; i < nwords; i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	return false;
}

/* why make cannot hold a path with c in it, or NULL when it can */
static const char *
makebad(const char *path, const char *c)
{
	if (*c == ' ')
		return "a space";
	if (*c == '\t')
		return "a tab";
	if ((unsigned char)*c < 0x20 || *c == 0x7f)
		return "a control character";
	if (*c == '\'' || *c == '"' || *c == '`')
		return "a quote";
	if (*c == '~' && c == path)
		return "'~' at the start";
	return strchr("#%:$\\?*[]=;|()", *c) ? "" : NULL;
}

/*
 * Append path as a word of a make rule (no character needs escaping once these are
 * refused); what names it in the message ("run 'x'"). A one-word path that make would
 * read as a keyword or one of the Makefile's targets is spelt "X/." (a folder) or
 * "./X". -1 with a message in err when make cannot hold the path.
 */
static int
makepath(struct buf *b, const char *path, const char *what, bool dir, char *err, size_t n)
{
	bool keyword = oneof(path, makekeywords, LEN(makekeywords)), target = oneof(path, maketargets, LEN(maketargets));
	const char *c, *why;

	for (c = path; *c; c++)
		if ((why = makebad(path, c)))
			return *why ? seterr(err, n, "%s: %s cannot be used in a path with --backend make (use the ninja backend)", what, why)
			            : seterr(err, n, "%s: '%c' cannot be used in a path with --backend make (use the ninja backend)", what, *c);
	if (target && !dir)
		return seterr(err, n, "%s: '%s' is a target of the Makefile, not a file's name, with --backend make (use the ninja backend)",
		              what, path);
	if ((keyword || target) && dir)
		bufprintf(b, "%s/.", path);
	else if (keyword)
		bufprintf(b, "./%s", path);
	else
		bufputs(b, path);
	return 0;
}

/* append s as one word of a recipe: quoted for sh when it needs it, '$' doubled (as for ninja) */
static void
makeshell(struct buf *b, const char *s)
{
	ninjashell(b, s);
}

/* "run 'ID'", for messages; caller frees */
static char *
runwhat(const struct run *r)
{
	return xasprintf("run '%s'", r->id);
}

/* the parameter stamp of run r: .runja/params/RUNID, or for its command .runja/params-command/RUNID, beside the Makefile; caller frees */
static char *
stamppath(const struct emit *e, const struct run *r, bool cmd)
{
	(void)e;
	return xasprintf(STATEBUILD "/params%s/%s", cmd ? "-command" : "", r->id);
}

/* what make cannot express in the configuration itself; -1 with err */
static int
makeconf(const struct emit *e, char *err, size_t n)
{
	const struct conf *c = e->c;
	const char *slash = strchr(c->frames, '/');
	char *what, *sub;
	struct buf b;
	int ret;

	if (c->pool > 0 || c->poolauto)
		return seterr(err, n, "jobs.pool is not supported with --backend make; use make -jN");
	bufinit(&b);
	what = xasprintf("output.dir '%s'", c->outdir);
	ret = makepath(&b, c->outdir, what, true, err, n);
	free(what);
	if (ret == 0) {
		what = xasprintf("runs.root '%s'", c->root);
		ret = makepath(&b, c->root, what, true, err, n);
		free(what);
	}
	if (ret == 0 && slash) {
		what = xasprintf("runs.frames '%s'", c->frames);
		sub = xasprintf("%.*s", (int)(slash - c->frames), c->frames);
		ret = makepath(&b, sub, what, true, err, n);
		free(sub), free(what);
	}
	if (ret == 0 && c->override) {
		what = xasprintf("runs.override '%s'", c->override);
		ret = makepath(&b, c->override, what, false, err, n);
		free(what);
	}
	buffree(&b);
	return ret;
}

static int
emithead(struct buf *out, const struct emit *e, char *err, size_t n)
{
	/* the four programs: each a prerequisite (makepath) and a command (makeshell) */
	const char *progs[] = {e->gen, e->process, e->exec, e->report};
	struct buf word[4], cmd[4];
	char tname[512], *what;
	size_t i;
	int ret = 0;

	for (i = 0; i < 4; i++) {
		bufinit(&word[i]), bufinit(&cmd[i]);
		what = xasprintf("program '%s'", progs[i]);
		if (ret == 0)
			ret = makepath(&word[i], progs[i], what, false, err, n);
		makeshell(&cmd[i], progs[i]);
		free(what);
	}
	snprintf(tname, sizeof(tname), "%s/head.mk", e->t->dir);
	if (ret == 0) {
		struct tvar v[] = {
			{"generated", "written by runja-gen from runja.cfg: edit runja.cfg instead, this file is remade"},
			{"gen", word[0].s}, {"process", word[1].s}, {"exec", word[2].s}, {"report", word[3].s},
			{"gencmd", cmd[0].s}, {"processcmd", cmd[1].s}, {"execcmd", cmd[2].s}, {"reportcmd", cmd[3].s},
		};

		ret = tmplexpand(out, e->t->head, tname, v, LEN(v), err, n);
	}
	for (i = 0; i < 4; i++)
		buffree(&word[i]), buffree(&cmd[i]);
	return ret;
}

/* append " PATH", path a word of a make rule as makepath spells it; -1 with err */
static int
addword(struct buf *b, const char *path, const char *what, bool dir, char *err, size_t n)
{
	bufputc(b, ' ');
	return makepath(b, path, what, dir, err, n);
}

/*
 * Can make name the folders run r's frames are listed in (the run folder, and runs.frames'
 * subfolder)? They are no prerequisites (another file there reruns nothing: the frames'
 * names are in the parameter stamp), but the depfile names them; 0 or -1 with err.
 */
static int
framesdirs(const struct emit *e, const struct run *r, const char *what, char *err, size_t n)
{
	char *fdir = emitframesdir(e, r);
	struct buf b;
	int ret;

	bufinit(&b);
	ret = makepath(&b, r->dir, what, true, err, n);
	if (ret == 0 && strcmp(fdir, r->dir) != 0)
		ret = addword(&b, fdir, what, true, err, n);
	buffree(&b);
	free(fdir);
	return ret;
}

/* append the step's outputs as make words (targets), one space between; what names the run; -1 with err */
static int
targets(struct buf *b, const struct step *st, const char *what, char *err, size_t n)
{
	size_t j;
	int ret = 0;

	for (j = 0; j < st->noutputs && ret == 0; j++) {
		if (j)
			bufputc(b, ' ');
		ret = makepath(b, st->outputs[j], what, false, err, n);
	}
	return ret;
}

/*
 * The rule of a step: its targets, its parameter stamp (and the pipeline's summary.json
 * for a command after it) and the command's own files as prerequisites, its message, its
 * recipe's arguments and depfile, through template run.mk or exec.mk.
 */
static int
emitstep(struct buf *out, const struct emit *e, const struct step *st, char *err, size_t n)
{
	struct buf outputs, inputs, cmdinputs, message, args;
	char tname[512], *p, *what = runwhat(st->r);
	size_t j;
	int ret;

	bufinit(&outputs), bufinit(&inputs), bufinit(&cmdinputs), bufinit(&message), bufinit(&args);
	ret = targets(&outputs, st, what, err, n);
	if (ret == 0)
		ret = framesdirs(e, st->r, what, err, n);
	if (ret == 0) {
		p = stamppath(e, st->r, st->command);
		ret = makepath(&inputs, p, what, false, err, n);
		free(p);
	}
	if (ret == 0 && st->after)
		ret = addword(&inputs, st->after, what, false, err, n);
	for (j = 0; ret == 0 && st->command && j < e->ncmdinputs; j++) {
		free(what);
		what = xasprintf("command.inputs '%s'", e->cmdinputs[j]);
		ret = addword(&cmdinputs, e->cmdinputs[j], what, false, err, n);
	}
	if (ret == 0) {
		p = xasprintf("%s %s (%zu frames)", st->command ? "COMMAND" : "PROCESS", st->r->id, st->r->nframes);
		makeshell(&message, p);
		free(p);
		emitwords(&args, st->argv, st->nargv, makeshell);
		snprintf(tname, sizeof(tname), "%s/%s.mk", e->t->dir, st->command ? "exec" : "run");
		/* the depfile lies in OUT/RUNID, whose words passed makepath with the targets */
		struct tvar v[] = {
			{"outputs", outputs.s}, {"inputs", inputs.s}, {"cmdinputs", cmdinputs.s}, {"message", message.s},
			{"args", args.s}, {"depfile", st->depfile},
		};

		ret = tmplexpand(out, st->command ? e->t->exec : e->t->run, tname, v, LEN(v), err, n);
	}
	buffree(&outputs), buffree(&inputs), buffree(&cmdinputs), buffree(&message), buffree(&args);
	free(what);
	return ret;
}

/* one empty rule: path may vanish without stopping make; adds " \\\n    PATH" to inputs */
static int
emitphony(struct buf *out, struct buf *inputs, const struct emit *e, const char *path, const char *what,
          bool dir, char *err, size_t n)
{
	struct buf p;
	char tname[512];
	int ret = -1;

	bufinit(&p);
	if (makepath(&p, path, what, dir, err, n) == 0) {
		struct tvar v[] = {{"path", p.s}};

		bufprintf(inputs, " \\\n    %s", p.s);
		snprintf(tname, sizeof(tname), "%s/phony.mk", e->t->dir);
		ret = tmplexpand(out, e->t->phony, tname, v, LEN(v), err, n);
	}
	buffree(&p);
	return ret;
}

/* append " \\\n    WORD" for each of the n paths to b (they passed makepath with their steps) */
static void
pathlines(struct buf *b, char *const *paths, size_t n, const char *what, char *err, size_t en)
{
	size_t i;

	for (i = 0; i < n; i++) {
		bufputs(b, " \\\n    ");
		makepath(b, paths[i], what, false, err, en);
	}
}

/* the goals runs and report, the report's rule, the Makefile's own rule, an empty rule per watched path */
static int
emittail(struct buf *out, const struct emit *e, const struct plan *p, char *err, size_t n)
{
	struct buf summary, index, summaries, products, cfg, cfgcmd, templates, targ, inputs, settling, phonies, runlist, outdir, jobs;
	char tname[512], nruns[32], *what = xasprintf("output.dir '%s'", e->c->outdir);
	size_t i;
	int ret;

	bufinit(&summary), bufinit(&index), bufinit(&summaries), bufinit(&products), bufinit(&cfg), bufinit(&cfgcmd);
	bufinit(&templates), bufinit(&targ), bufinit(&inputs), bufinit(&settling), bufinit(&phonies), bufinit(&runlist);
	bufinit(&outdir), bufinit(&jobs);
	/* cannot fail: output.dir passed makeconf, the runs' paths their steps */
	makepath(&jobs, p->jobs, what, false, err, n);
	makepath(&runlist, p->runlist[0], what, false, err, n);
	addword(&runlist, p->runlist[1], what, false, err, n);
	addword(&runlist, p->runlist[2], what, false, err, n);
	makepath(&summary, p->summary, what, false, err, n);
	makepath(&index, p->index, what, false, err, n);
	makeshell(&outdir, e->c->outdir);
	pathlines(&summaries, p->summaries, p->nsummaries, what, err, n);
	pathlines(&products, p->products, p->nproducts, what, err, n);
	free(what);
	what = xasprintf("config file '%s'", e->cfgname);
	ret = makepath(&cfg, e->cfgname, what, false, err, n);
	makeshell(&cfgcmd, e->cfgname);
	if (e->templatesarg) {
		bufputs(&targ, " --templates ");
		makeshell(&targ, e->templatesarg);
	}
	for (i = 0; i < e->ntemplatefiles && ret == 0; i++) {
		free(what);
		what = xasprintf("template '%s'", e->templatefiles[i]);
		bufputs(&templates, " \\\n    ");
		ret = makepath(&templates, e->templatefiles[i], what, false, err, n);
	}
	for (i = 0; i < p->nwatch && ret == 0; i++) {
		const struct watch *w = &p->watch[i];

		ret = emitphony(&phonies, w->settling ? &settling : &inputs, e, w->path, w->what, w->dir, err, n);
	}
	snprintf(nruns, sizeof(nruns), "%zu", e->s->nruns);
	snprintf(tname, sizeof(tname), "%s/tail.mk", e->t->dir);
	if (ret == 0) {
		struct tvar v[] = {
			{"summary", summary.s}, {"index", index.s}, {"summaries", summaries.s}, {"products", products.s},
			{"runlist", runlist.s}, {"jobs", jobs.s},
			{"nruns", nruns}, {"outdir", outdir.s}, {"cfg", cfg.s}, {"cfgcmd", cfgcmd.s},
			{"templatesarg", targ.s}, {"templates", templates.s}, {"inputs", inputs.s},
			{"settling", settling.s}, {"phonies", phonies.s},
		};

		ret = tmplexpand(out, e->t->tail, tname, v, LEN(v), err, n);
	}
	free(what);
	buffree(&summary), buffree(&index), buffree(&summaries), buffree(&products), buffree(&cfg), buffree(&cfgcmd);
	buffree(&templates), buffree(&targ), buffree(&inputs), buffree(&settling), buffree(&phonies), buffree(&runlist);
	buffree(&outdir), buffree(&jobs);
	return ret;
}

int
emitmake(struct buf *out, const struct emit *e, char *err, size_t n)
{
	struct plan p;
	size_t i;
	int ret;

	if (makeconf(e, err, n) < 0 || emithead(out, e, err, n) < 0)
		return -1;
	if (e->c->cmd.run) {
		char tname[512];

		snprintf(tname, sizeof(tname), "%s/execrule.mk", e->t->dir);
		if (tmplexpand(out, e->t->execrule, tname, NULL, 0, err, n) < 0)
			return -1;
	}
	mkplan(&p, e);
	for (i = 0, ret = 0; i < p.nsteps && ret == 0; i++)
		ret = emitstep(out, e, &p.steps[i], err, n);
	if (ret == 0)
		ret = emittail(out, e, &p, err, n);
	delplan(&p);
	return ret;
}

int
makestamps(const struct emit *e, bool changed, char *err, size_t n)
{
	struct buf text, old;
	char **argv, *path, *dir;
	size_t i, j, nargs;
	int ret = 0;

	/* (always: a stamp deleted is written again, the Makefile unchanged) */
	(void)changed;
	for (i = 0; i < 2 * e->s->nruns && ret == 0; i++) {
		bool cmd = i % 2;

		if (cmd ? !e->c->cmd.run : !emithaspipeline(e))
			continue;
		bufinit(&text);
		nargs = cmd ? emitexecargv(e, i / 2, &argv) : emitargv(e, i / 2, &argv);
		for (j = 0; j < nargs; j++)
			bufprintf(&text, "%s\n", argv[j]);
		delstrv(argv, nargs);
		path = stamppath(e, &e->s->runs[i / 2], cmd);
		/* rewritten only when different: its mtime says when the parameters last changed */
		if (readfile(path, &old, NULL, 0) < 0 || strcmp(old.s, text.s) != 0) {
			dir = dirpart(path);
			ret = mkdirp(dir, err, n) < 0 || writeatomic(path, text.s, text.len, err, n) < 0 ? -1 : 0;
			free(dir);
		}
		buffree(&old);
		buffree(&text);
		free(path);
	}
	return ret;
}
