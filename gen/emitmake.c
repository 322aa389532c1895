#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fs.h"
#include "common/tmpl.h"
#include "common/util.h"
#include "emit.h"

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
	return xasprintf(EMITSTATE "/params%s/%s", cmd ? "-command" : "", r->id);
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

/* the targets of run i's rule, summary.json first, and its prerequisites before $(process) */
static int
runpaths(struct buf *outputs, struct buf *inputs, const struct emit *e, size_t i, char *err, size_t n)
{
	const struct run *r = &e->s->runs[i];
	const char *names[16];
	char *what = runwhat(r), *o = xasprintf("%s/%s", e->c->outdir, r->id), *p;
	size_t j, np = specoutputs(e->params[i].prods, e->c->npy, names);
	int ret = framesdirs(e, r, what, err, n);

	for (j = 0; ret == 0 && j < np; j++) {
		p = xasprintf("%s/%s", o, names[j]);
		if (j)
			bufputc(outputs, ' ');
		ret = makepath(outputs, p, what, false, err, n);
		free(p);
	}
	if (ret == 0) {
		p = stamppath(e, r, false);
		ret = makepath(inputs, p, what, false, err, n);
		free(p);
	}
	free(o);
	free(what);
	return ret;
}

static int
emitrun(struct buf *out, const struct emit *e, size_t i, char *err, size_t n)
{
	const struct run *r = &e->s->runs[i];
	struct buf outputs, inputs, message, launcher, args, depfile;
	char tname[512], **argv, *p;
	size_t j, nargs;
	int ret = -1;

	bufinit(&outputs), bufinit(&inputs), bufinit(&message), bufinit(&launcher), bufinit(&args);
	bufinit(&depfile);
	if (runpaths(&outputs, &inputs, e, i, err, n) < 0)
		goto out;
	p = xasprintf("PROCESS %s (%zu frames)", r->id, r->nframes);
	makeshell(&message, p);
	free(p);
	launcherprefix(&launcher, e->c->launcher);
	nargs = emitargv(e, i, &argv);
	for (j = 0; j < nargs; j++) {
		if (j)
			bufputc(&args, ' ');
		makeshell(&args, argv[j]);
	}
	delstrv(argv, nargs);
	p = xasprintf("%s/%s/.runja.d", e->c->outdir, r->id);
	bufputs(&depfile, p);  /* OUT and RUNID passed makepath in runpaths */
	free(p);
	snprintf(tname, sizeof(tname), "%s/run.mk", e->t->dir);
	{
		struct tvar v[] = {
			{"outputs", outputs.s}, {"inputs", inputs.s}, {"message", message.s},
			{"launcher", launcher.s}, {"args", args.s}, {"depfile", depfile.s},
		};

		ret = tmplexpand(out, e->t->run, tname, v, LEN(v), err, n);
	}
out:
	buffree(&outputs), buffree(&inputs), buffree(&message), buffree(&launcher), buffree(&args);
	buffree(&depfile);
	return ret;
}

/* the rule of run i's command: after the pipeline it also depends on the pipeline's summary.json */
static int
emitexec(struct buf *out, const struct emit *e, size_t i, char *err, size_t n)
{
	const struct run *r = &e->s->runs[i];
	struct buf outputs, inputs, cmdinputs, message, launcher, args, depfile;
	char tname[512], **argv, *p, *what = runwhat(r), *o = emitcmdout(e, r);
	size_t j, nargs;
	int ret = -1;

	bufinit(&outputs), bufinit(&inputs), bufinit(&cmdinputs), bufinit(&message), bufinit(&launcher);
	bufinit(&args), bufinit(&depfile);
	p = emitcmdstamp(e, r);
	ret = makepath(&outputs, p, what, false, err, n);
	free(p);
	if (ret == 0)
		ret = framesdirs(e, r, what, err, n);
	if (ret == 0) {
		p = stamppath(e, r, true);
		ret = makepath(&inputs, p, what, false, err, n);
		free(p);
	}
	if (ret == 0 && e->c->cmd.afterpipeline) {
		p = xasprintf("%s/%s/summary.json", e->c->outdir, r->id);
		ret = addword(&inputs, p, what, false, err, n);
		free(p);
	}
	for (j = 0; ret == 0 && j < e->ncmdinputs; j++) {
		free(what);
		what = xasprintf("command.inputs '%s'", e->cmdinputs[j]);
		ret = addword(&cmdinputs, e->cmdinputs[j], what, false, err, n);
	}
	if (ret < 0)
		goto out;
	p = xasprintf("COMMAND %s (%zu frames)", r->id, r->nframes);
	makeshell(&message, p);
	free(p);
	launcherprefix(&launcher, e->c->launcher);
	nargs = emitexecargv(e, i, &argv);
	for (j = 0; j < nargs; j++) {
		if (j)
			bufputc(&args, ' ');
		makeshell(&args, argv[j]);
	}
	delstrv(argv, nargs);
	p = xasprintf("%s/.runja.d", o);
	bufputs(&depfile, p);  /* OUT and RUNID passed makepath above */
	free(p);
	snprintf(tname, sizeof(tname), "%s/exec.mk", e->t->dir);
	{
		struct tvar v[] = {
			{"outputs", outputs.s}, {"inputs", inputs.s}, {"cmdinputs", cmdinputs.s}, {"message", message.s},
			{"launcher", launcher.s}, {"args", args.s}, {"depfile", depfile.s},
		};

		ret = tmplexpand(out, e->t->exec, tname, v, LEN(v), err, n);
	}
out:
	buffree(&outputs), buffree(&inputs), buffree(&cmdinputs), buffree(&message), buffree(&launcher);
	buffree(&args), buffree(&depfile);
	free(what), free(o);
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

static int
emittail(struct buf *out, const struct emit *e, char *err, size_t n)
{
	struct buf summary, index, summaries, products, cfg, cfgcmd, templates, targ, inputs, settling, phonies, runlist, outdir;
	char tname[512], nruns[32], *p, *what = xasprintf("output.dir '%s'", e->c->outdir);
	size_t i;
	int ret = -1;

	bufinit(&summary), bufinit(&summaries), bufinit(&products), bufinit(&cfg), bufinit(&cfgcmd), bufinit(&templates);
	bufinit(&targ), bufinit(&inputs), bufinit(&settling), bufinit(&phonies), bufinit(&runlist);
	bufinit(&outdir);
	p = xasprintf("%s/.runja/runs", e->c->outdir);
	makepath(&runlist, p, what, false, err, n);  /* cannot fail: output.dir passed makeconf */
	free(p);
	p = xasprintf("%s/.runja/waiting", e->c->outdir);
	bufputc(&runlist, ' ');
	makepath(&runlist, p, what, false, err, n);
	free(p);
	p = xasprintf("%s/summary.csv", e->c->outdir);
	makepath(&summary, p, what, false, err, n);
	free(p);
	bufinit(&index);
	p = xasprintf("%s/index.html", e->c->outdir);
	makepath(&index, p, what, false, err, n);
	free(p);
	makeshell(&outdir, e->c->outdir);
	for (i = 0; i < e->s->nruns; i++) {
		if (emithaspipeline(e)) {
			const char *names[16];
			size_t j, np = specoutputs(e->params[i].prods, e->c->npy, names);

			p = xasprintf("%s/%s/summary.json", e->c->outdir, e->s->runs[i].id);
			bufputs(&summaries, " \\\n    ");
			makepath(&summaries, p, what, false, err, n);  /* checked with its run */
			free(p);
			/* make looks at the targets it is asked for only: a product deleted must be one */
			for (j = 1; j < np; j++) {
				p = xasprintf("%s/%s/%s", e->c->outdir, e->s->runs[i].id, names[j]);
				bufputs(&products, " \\\n    ");
				makepath(&products, p, what, false, err, n);
				free(p);
			}
		}
		if (e->c->cmd.run) {
			p = emitcmdstamp(e, &e->s->runs[i]);
			bufputs(&summaries, " \\\n    ");
			makepath(&summaries, p, what, false, err, n);
			free(p);
		}
	}
	free(what);
	what = xasprintf("config file '%s'", e->cfgname);
	if (makepath(&cfg, e->cfgname, what, false, err, n) < 0)
		goto out;
	makeshell(&cfgcmd, e->cfgname);
	if (e->templatesarg) {
		bufputs(&targ, " --templates ");
		makeshell(&targ, e->templatesarg);
	}
	for (i = 0; i < e->ntemplatefiles; i++) {
		free(what);
		what = xasprintf("template '%s'", e->templatefiles[i]);
		bufputs(&templates, " \\\n    ");
		if (makepath(&templates, e->templatefiles[i], what, false, err, n) < 0)
			goto out;
	}
	for (i = 0; i < e->s->ndirs; i++) {
		free(what);
		what = xasprintf("folder '%s'", e->s->dirs[i]);
		if (emitphony(&phonies, &inputs, e, e->s->dirs[i], what, true, err, n) < 0)
			goto out;
	}
	for (i = 0; i < e->ncmdwatch; i++) {
		free(what);
		what = xasprintf("folder '%s'", e->cmdwatch[i]);
		if (emitphony(&phonies, &inputs, e, e->cmdwatch[i], what, true, err, n) < 0)
			goto out;
	}
	for (i = 0; i < e->noverwatch; i++) {
		free(what);
		what = xasprintf("runs.overrides path '%s'", e->overwatch[i]);
		if (emitphony(&phonies, &inputs, e, e->overwatch[i], what, false, err, n) < 0)
			goto out;
	}
	for (i = 0; i < e->s->nruns; i++) {
		if (!e->s->runs[i].override)
			continue;
		free(what);
		what = runwhat(&e->s->runs[i]);
		p = xasprintf("%s/%s", e->s->runs[i].dir, e->c->override);
		ret = emitphony(&phonies, &inputs, e, p, what, false, err, n);
		free(p);
		if (ret < 0)
			goto out;
	}
	if (e->s->recheck) {
		/* a run waits on time or permissions: a path that never exists keeps the regeneration due */
		free(what);
		what = xasprintf("output.dir '%s'", e->c->outdir);
		p = xasprintf("%s/.runja/recheck", e->c->outdir);
		ret = emitphony(&phonies, &settling, e, p, what, false, err, n);
		free(p);
		if (ret < 0)
			goto out;
	}
	snprintf(nruns, sizeof(nruns), "%zu", e->s->nruns);
	snprintf(tname, sizeof(tname), "%s/tail.mk", e->t->dir);
	{
		struct tvar v[] = {
			{"summary", summary.s}, {"index", index.s}, {"summaries", summaries.s}, {"products", products.s},
			{"runlist", runlist.s},
			{"nruns", nruns}, {"outdir", outdir.s}, {"cfg", cfg.s}, {"cfgcmd", cfgcmd.s},
			{"templatesarg", targ.s}, {"templates", templates.s}, {"inputs", inputs.s},
			{"settling", settling.s}, {"phonies", phonies.s},
		};

		ret = tmplexpand(out, e->t->tail, tname, v, LEN(v), err, n);
	}
out:
	free(what);
	buffree(&summary), buffree(&index), buffree(&summaries), buffree(&products), buffree(&cfg), buffree(&cfgcmd), buffree(&templates);
	buffree(&targ), buffree(&inputs), buffree(&settling), buffree(&phonies), buffree(&runlist);
	buffree(&outdir);
	return ret;
}

int
emitmake(struct buf *out, const struct emit *e, char *err, size_t n)
{
	size_t i;

	if (makeconf(e, err, n) < 0 || emithead(out, e, err, n) < 0)
		return -1;
	if (e->c->cmd.run) {
		char tname[512];

		snprintf(tname, sizeof(tname), "%s/execrule.mk", e->t->dir);
		if (tmplexpand(out, e->t->execrule, tname, NULL, 0, err, n) < 0)
			return -1;
	}
	for (i = 0; i < e->s->nruns; i++) {
		if (emithaspipeline(e) && emitrun(out, e, i, err, n) < 0)
			return -1;
		if (e->c->cmd.run && emitexec(out, e, i, err, n) < 0)
			return -1;
	}
	return emittail(out, e, err, n);
}

int
makestamps(const struct emit *e, char *err, size_t n)
{
	struct buf text, old;
	char **argv, *path, *dir;
	size_t i, j, nargs;
	int ret = 0;

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
