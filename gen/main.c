#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "common/fs.h"
#include "common/natsort.h"
#include "common/state.h"
#include "common/util.h"
#include "conf.h"
#include "emit.h"
#include "forget.h"
#include "init.h"
#include "outdir.h"
#include "override.h"
#include "plan.h"
#include "pool.h"
#include "scan.h"
#include "slurm.h"
#include "status.h"
#include "watch.h"

#ifndef TEMPLATEDIR
#define TEMPLATEDIR "/usr/local/share/runja/templates"
#endif

static const char usage[] =
	"usage: runja-gen [-c FILE] [--backend ninja|make] [--templates DIR] [--check | --status [--json] | --init [DIR]]\n"
	"                 [--retry RUN|all] [--rerun RUN|all] [--status --watch[=S]]\n"
	"\n"
	"Reads runja.cfg, scans the data tree for runs and writes build.ninja beside\n"
	"runja.cfg: one edge per run, so that `ninja` processes every run in parallel\n"
	"and later only the runs whose frames, parameters or program changed. After\n"
	"the first time, a plain `ninja` reruns runja-gen by itself when needed.\n"
	"\n"
	"  -c, --config FILE   the configuration [runja.cfg]; build.ninja, the output\n"
	"                      folder (output.dir) and the build's own state (" STATEBUILD "/:\n"
	"                      ninja's log, make's parameter stamps) go to FILE's folder\n"
	"      --backend B     ninja (build.ninja) or make (a GNU Makefile named Makefile,\n"
	"                      for `make -jN`; refuses what make cannot express) [ninja]\n"
	"      --check         write nothing; print one line per run that is not up to\n"
	"                      date, with why (new, frames changed, parameters changed,\n"
	"                      program changed, failed last time, outputs missing,\n"
	"                      removed); exit 1 if there is any, or if build.ninja is out\n"
	"                      of date, else 0\n"
	"      --status        write nothing; one line per run: its state (done, failed,\n"
	"                      new, stale, waiting, running), when it last ran, how long,\n"
	"                      peak memory, a failed run's error or a running one's progress\n"
	"      --json          with --status: a JSON array, for scripts\n"
	"      --watch[=S]     show the runs being processed every S s [1] until none is\n"
	"      --slurm-script  print a SLURM batch script (ninja in an allocation for the\n"
	"      --slurm-submit  runs not up to date), or sbatch it and say the job id\n"
	"      --array         with either: a job array of those runs (and the report after)\n"
	"      --init [DIR]    look for folders of PNG frames under DIR [FILE's folder] and\n"
	"                      write a commented FILE that matches them and the dated or\n"
	"                      numbered folders still to come (never overwrites one); a DIR\n"
	"                      elsewhere becomes runs.root, relative to FILE's folder unless\n"
	"                      absolute, and the outputs still go beside FILE\n"
	"      --retry RUN     lift the quarantine of RUN (or of all runs): a run that\n"
	"                      failed twice the same way from the same frames, parameters\n"
	"                      and program is not started again until one of those changes\n"
	"                      or this is said; then regenerate as usual\n"
	"      --rerun RUN     process RUN (or all runs) again at the next build, even when\n"
	"                      its results are up to date; then regenerate as usual\n"
	"      --templates DIR the build-file templates [beside the program, or\n"
	"                      " TEMPLATEDIR "]\n"
	"  -h, --help          this text\n"
	"      --version       print the version\n"
	"\n"
	"Removed runs keep their outputs; `ninja -t cleandead` deletes them.\n"
	"\n"
	"Exit status: 0 done (or, with --check, all up to date), 1 an error in the data\n"
	"tree or the file system (with --check: something is not up to date), 2 a\n"
	"configuration error (nothing written): also runs.match matching no run, and an\n"
	"output folder that is, lies inside or holds the data root or a run folder. A\n"
	"bad override file of one run fails that run alone (a warning here).\n";

/* the templates of a backend, in the order of struct tmpls, each NAME.EXT in templates/BACKEND/ */
static const char *const tmplnames[] = {"head", "pool", "run", "phony", "tail", "execrule", "exec"};
#define NTMPL (sizeof(tmplnames) / sizeof(tmplnames[0]))

/* a kind of build file */
struct backend {
	const char *name;   /* --backend NAME, and the templates' folder */
	const char *ext;    /* extension of its templates */
	const char *file;   /* the build file written */
	const char *tool;   /* what regenerates it */
	/* write the whole build file into out */
	int (*emit)(struct buf *out, const struct emit *e, char *err, size_t n);
	/* write what the build file relies on besides itself (make: parameter stamps; ninja: .runja/args), or NULL;
	   changed: the build file's text changed */
	int (*prepare)(const struct emit *e, bool changed, char *err, size_t n);
	bool touchalways;   /* touch the file even when unchanged (make has no restat) */
};

static const struct backend backends[] = {
	{"ninja", "ninja", "build.ninja", "ninja", emitninja, ninjastamps, false},
	{"make", "mk", "Makefile", "make", emitmake, makestamps, true},
};

/* everything one invocation works with */
struct gen {
	char *self, *process;        /* absolute paths of the programs: runja-gen, runja-process */
	char *exec, *report;         /* runja-exec, runja-report */
	char *tdir;                  /* templates folder */
	const char *templatesarg;    /* --templates as an absolute path, or NULL */
	char *tfiles[NTMPL];         /* template paths */
	struct buf t[NTMPL];         /* template texts */
	char *tdirninja;             /* templates/BACKEND */
	const struct backend *b;     /* the build file's kind */
	struct conf c;               /* runja.cfg */
	struct conf *over;           /* per-run overrides */
	struct runparams *params;    /* per-run effective parameters */
	char **paramtexts;           /* per-run command parameters, canonical JSON (the runs' params point here) */
	char **cmdinputs;            /* the command's own files */
	size_t ncmdinputs;
	char **cmdwatch;             /* folders the command's inputs are found in */
	size_t ncmdwatch;
	char **errors;               /* per run: why it fails unprocessed (a bad override), or NULL (the runs' params point here) */
	char **overwatch;            /* runs.overrides' folders and files, watched */
	size_t noverwatch;
	struct scan s;               /* the runs */
	struct tmpls tm;
	struct emit e;
};

/* find the templates folder: --templates, beside the program (a build tree), or installed */
static void
loadtemplates(struct gen *g, const char *given)
{
	char err[1024], *exedir = dirpart(g->self);
	size_t i;

	if (given) {
		if (!(g->tdir = realpath(given, NULL)))
			fatal(2, "%s: templates folder:", given);
		g->templatesarg = g->tdir;
	} else {
		g->tdir = xasprintf("%s/templates", exedir);
		if (!exists(g->tdir)) {
			free(g->tdir);
			g->tdir = xstrdup(TEMPLATEDIR);
		}
	}
	free(exedir);
	g->tdirninja = xasprintf("%s/%s", g->tdir, g->b->name);
	for (i = 0; i < NTMPL; i++) {
		g->tfiles[i] = xasprintf("%s/%s.%s", g->tdirninja, tmplnames[i], g->b->ext);
		if (readfile(g->tfiles[i], &g->t[i], err, sizeof(err)) < 0)
			fatal(2, "%s (templates folder; --templates DIR)", err);
	}
	g->tm = (struct tmpls){g->t[0].s, g->t[1].s, g->t[2].s, g->t[3].s, g->t[4].s, g->t[5].s, g->t[6].s, g->tdirninja};
}

/* exit when the config text b of file name holds a NUL byte: libconfig would stop reading there */
static void
checktext(const struct buf *b, const char *name)
{
	char err[1024];

	if (conftext(b->s, b->len, name, err, sizeof(err)) < 0)
		fatal(2, "%s", err);
}

/* the canonical JSON text of the parameters base with the keys of over replaced (either may be NULL); caller frees */
static char *
paramtext(json_t *base, json_t *over)
{
	json_t *j = base ? json_deep_copy(base) : json_object();
	char *s;

	if (over)
		json_object_update(j, over);
	/* sorted keys, and 15 digits: 0.1 stays "0.1" on the command line and in the program's JSON */
	if (!(s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15))))
		fatal(1, "cannot format command.params");
	json_decref(j);
	return s;
}

/* is prog found where execvp would look (PATH), or executable when a path? */
static void
checkprogram(const struct gen *g, const char *cfgname)
{
	const struct cmdspec *m = &g->c.cmd;
	const char *prog = m->run[0];

	if (strchr(prog, '/')) {
		if (!exists(prog))
			fatal(2, "%s:%d: command.run: program '%s' not found", cfgname, m->line, prog);
		if (access(prog, X_OK) < 0)
			fatal(2, "%s:%d: command.run: program '%s' is not executable (chmod +x %s)", cfgname, m->line, prog, prog);
	} else {
		const char *path = getenv("PATH");
		char *dirs = xstrdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin"), *d, *save = NULL, *full;
		bool found = false;

		for (d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
			full = xasprintf("%s/%s", *d ? d : ".", prog);
			found = access(full, X_OK) == 0;
			free(full);
		}
		free(dirs);
		if (!found)
			fatal(2, "%s:%d: command.run: program '%s' not found in PATH", cfgname, m->line, prog);
	}
	/* python3 analyse.py: the script is what the user means by the program */
	if (specinterpreter(prog) && m->nrun > 1 && m->run[1][0] != '-' && !strchr(m->run[1], '{') && !exists(m->run[1]))
		fatal(2, "%s:%d: command.run: script '%s' not found", cfgname, m->line, m->run[1]);
}

/* the command's own files: command.inputs expanded (a warning for a pattern matching nothing), the program when a path */
static void
cmdinputs(struct gen *g, const char *cfgname)
{
	const struct cmdspec *m = &g->c.cmd;
	size_t i, j;
	glob_t gl;

	checkprogram(g, cfgname);
	if (strchr(m->run[0], '/')) {
		strvaddonce(&g->cmdinputs, &g->ncmdinputs, xstrdup(m->run[0]));
		strvaddonce(&g->cmdwatch, &g->ncmdwatch, dirpart(m->run[0]));
	}
	for (i = 0; i < m->ninputs; i++) {
		int r = glob(m->inputs[i], GLOB_NOSORT, NULL, &gl);
		size_t nfile = 0;

		/* a file added, removed or renamed there changes what the pattern matches */
		strvaddonce(&g->cmdwatch, &g->ncmdwatch, dirpart(m->inputs[i]));
		if (r == GLOB_NOSPACE || r == GLOB_ABORTED)
			fatal(1, "%s:%d: command.inputs '%s': cannot read its folder", cfgname, m->inputsline, m->inputs[i]);
		for (j = 0; r == 0 && j < gl.gl_pathc; j++) {
			struct stat st;

			if (stat(gl.gl_pathv[j], &st) == 0 && S_ISREG(st.st_mode)) {
				strvaddonce(&g->cmdinputs, &g->ncmdinputs, xstrdup(gl.gl_pathv[j]));
				nfile++;
			}
		}
		if (r == 0)
			globfree(&gl);
		if (!nfile)
			warn("%s:%d: command.inputs '%s' matches no file", cfgname, m->inputsline, m->inputs[i]);
	}
	natsort(g->cmdinputs, g->ncmdinputs);
	strvdrop(g->cmdwatch, &g->ncmdwatch, g->s.dirs, g->s.ndirs);
	natsort(g->cmdwatch, g->ncmdwatch);
	if (m->warmasked && *g->c.launcher)
		warn("%s: command.warm is not used with jobs.launcher (each run is a job of its own)", cfgname);
	if (!m->afterpipeline && g->c.haspipeline)
		warn("%s: pipeline is not used: the command replaces it (command.after_pipeline = true runs both)", cfgname);
}

/* scan the data tree and read the runs' overrides; exits on error */
static void
scantree(struct gen *g, const char *cfgname)
{
	struct scanopts so = {
		.root = g->c.root, .match = g->c.match, .nmatch = g->c.nmatch, .exclude = g->c.exclude,
		.nexclude = g->c.nexclude, .frames = g->c.frames, .override = g->c.override, .skip = g->c.outdir,
		.ready = g->c.ready, .settle = g->c.settle,
	};
	struct timespec now;
	char err[1024], *mark = statepath(g->c.outdir, STATEDIR, NULL);
	size_t i;

	/* the output folder is no data when runja made it (it holds .runja): its OUT/RUNID are not runs */
	if (!exists(mark))
		so.skip = NULL;
	free(mark);
	clock_gettime(CLOCK_REALTIME, &now);
	so.now = (double)now.tv_sec + now.tv_nsec / 1e9;
	if (scanruns(&so, &g->s, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	/* ... or when what it holds that looks like runs is runja's results (OUT/.runja was deleted) */
	if (!so.skip && outdirresults(&g->c, &g->s)) {
		delscan(&g->s);
		so.skip = g->c.outdir;
		if (scanruns(&so, &g->s, err, sizeof(err)) < 0)
			fatal(1, "%s", err);
	}
	/* a typo in a pattern must not look like a tree where nothing is to be done */
	if (g->s.nruns + g->s.nwaiting == 0) {
		scannone(&so, &g->s, err, sizeof(err));
		fatal(2, "%s:%d: %s", cfgname, g->c.matchline, err);
	}
	if (outdircheck(&g->c, &g->s, cfgname, err, sizeof(err)) < 0 || outdirowner(&g->c, cfgname, false, err, sizeof(err)) < 0)
		fatal(2, "%s", err);
	for (i = 0; i < g->s.nempty; i++)
		warn("%s: no frames matching '%s', skipped", g->s.empty[i], g->c.frames);

	g->over = xcalloc(g->s.nruns, sizeof(*g->over));
	g->params = xcalloc(g->s.nruns, sizeof(*g->params));
	g->paramtexts = xcalloc(g->s.nruns, sizeof(*g->paramtexts));
	g->errors = xcalloc(g->s.nruns, sizeof(*g->errors));
	for (i = 0; i < g->s.nruns; i++) {
		struct conf *o = &g->over[i];

		g->params[i] = (struct runparams){g->c.ops, g->c.nops, &g->c.prods, NULL, NULL};
		/* a bad override fails its run alone, with the main file's parameters */
		if (overrideread(&g->c, cfgname, &g->s.runs[i], o, err, sizeof(err)) < 0) {
			delconf(o);
			g->params[i].error = g->errors[i] = xstrdup(err);
			warn("%s", err);
		}
		if (o->haspipeline)
			g->params[i].ops = o->ops, g->params[i].nops = o->nops;
		if (o->hasproducts)
			g->params[i].prods = &o->prods;
		if (g->c.cmd.run)
			g->params[i].params = g->paramtexts[i] = paramtext(g->c.cmd.params, o->cmd.params);
	}
	overridewatch(&g->c, &g->overwatch, &g->noverwatch);
	strvdrop(g->overwatch, &g->noverwatch, g->s.dirs, g->s.ndirs);
}

/* the number of ids in s that are not in prev (one a line, natural order); when prev is NULL, those without OUT/RUNID */
static size_t
countnew(const struct scan *s, const char *prev, const char *outdir)
{
	size_t nnew = 0, i = 0;
	const char *p = prev;

	/* no list (OUT/.runja deleted): a run is new when it has no results folder */
	for (; !prev && i < s->nruns; i++) {
		char *o = xasprintf("%s/%s", outdir, s->runs[i].id);

		nnew += !exists(o);
		free(o);
	}
	while (i < s->nruns) {
		const char *nl = p ? strchr(p, '\n') : NULL;
		char *line = nl ? xasprintf("%.*s", (int)(nl - p), p) : NULL;
		int c = line ? natcmp(line, s->runs[i].id) : 1;

		if (c >= 0) {
			nnew += c > 0;
			i++;
		}
		if (c <= 0)
			p = nl + 1;
		free(line);
	}
	return nnew;
}

/* write the build file, the run list and the runs waiting when they changed; print what was done */
static void
writebuild(struct gen *g, const struct buf *out, const struct buf *prev, bool hadprev)
{
	struct buf old, ids, waiting, jobs, quar, show;
	char err[1024], *state;
	size_t i, nnew = countnew(&g->s, hadprev ? prev->s : NULL, g->c.outdir);
	bool changed, busy;
	int lock;

	/* two builds at once regenerate in turn (the lock lasts until this process ends): the
	   second finds the lists written, and leaves them and their times alone */
	if ((lock = statelockpath(STATEBUILD "/gen.lock", "runja-gen", &busy, err, sizeof(err))) < 0 ||
	    (busy && statelockwait(lock, "runja-gen", err, sizeof(err)) < 0))
		fatal(1, "%s", err);
	bufinit(&ids), bufinit(&waiting), bufinit(&jobs), bufinit(&show);
	for (i = 0; i < g->s.nruns; i++)
		bufprintf(&ids, "%s\n", g->s.runs[i].id);
	/* the runs not ready yet, for the report: "ID<TAB>why" a line */
	for (i = 0; i < g->s.nwaiting; i++)
		bufprintf(&waiting, "%s\t%s\n", g->s.waiting[i].id, g->s.waiting[i].why);
	planjobs(&jobs, &g->e);
	planreport(&show, &g->c);
	state = statepath(g->c.outdir, STATEDIR, NULL);
	statequarantined(state, &quar);
	free(state);
	if (statelist(g->c.outdir, STATERUNS, ids.s, NULL, err, sizeof(err)) < 0 ||
	    statelist(g->c.outdir, STATEWAITING, waiting.s, NULL, err, sizeof(err)) < 0 ||
	    statelist(g->c.outdir, STATEJOBS, jobs.s, NULL, err, sizeof(err)) < 0 ||
	    statelist(g->c.outdir, STATEQLIST, quar.s, NULL, err, sizeof(err)) < 0 ||
	    statelist(g->c.outdir, STATEREPORTCFG, show.s, NULL, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	buffree(&ids), buffree(&waiting), buffree(&jobs), buffree(&quar), buffree(&show);
	changed = readfile(g->b->file, &old, NULL, 0) < 0 || strcmp(old.s, out->s) != 0;
	buffree(&old);
	checkunnamedpipeline(&g->e);
	if (g->b->prepare && g->b->prepare(&g->e, changed, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	if (changed && writeatomic(g->b->file, out->s, out->len, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	/* renaming touched this folder: make the build file at least as new, or it would be remade again */
	if ((changed || g->b->touchalways) && touch(g->b->file, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	if (scandateahead(&g->s, g->b->file, g->c.outdir, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	for (i = 0; i < g->s.nwaiting; i++)
		printf("runja-gen: %s: waiting (%s)\n", g->s.waiting[i].id, g->s.waiting[i].why);
	bufinit(&ids);
	if ((i = planquarantined(&g->e, &ids)))
		printf("runja-gen: %zu run%s quarantined, left alone until %s frames, parameters or program change: %s "
		       "(runja-gen --retry RUN tries one again)\n", i, i == 1 ? "" : "s", i == 1 ? "its" : "their", ids.s);
	buffree(&ids);
	printf("runja-gen: %zu run%s (%zu new", g->s.nruns, g->s.nruns == 1 ? "" : "s", nnew);
	if (g->s.nwaiting)
		printf(", %zu waiting", g->s.nwaiting);
	printf("), %s %s\n", changed ? "wrote" : "unchanged", g->b->file);
}

/* --check: print what is not up to date; returns the exit status */
static int
check(struct gen *g, const struct buf *out, const struct buf *prev, bool hadprev)
{
	struct buf old;
	size_t nstale = checkruns(&g->e, hadprev ? prev->s : NULL, stdout);
	bool stalebuild = readfile(g->b->file, &old, NULL, 0) < 0 || strcmp(old.s, out->s) != 0;

	buffree(&old);
	if (stalebuild) {
		printf("%s: out of date (a plain %s regenerates it)\n", g->b->file, g->b->tool);
		nstale++;
	}
	return nstale ? 1 : 0;
}

static void
delgen(struct gen *g)
{
	size_t i;

	for (i = 0; i < g->s.nruns; i++)
		delconf(&g->over[i]);
	for (i = 0; i < NTMPL; i++) {
		buffree(&g->t[i]);
		free(g->tfiles[i]);
	}
	for (i = 0; g->paramtexts && i < g->s.nruns; i++)
		free(g->paramtexts[i]), free(g->errors[i]);
	free(g->paramtexts), free(g->errors);
	delstrv(g->overwatch, g->noverwatch);
	delstrv(g->cmdinputs, g->ncmdinputs);
	delstrv(g->cmdwatch, g->ncmdwatch);
	free(g->over), free(g->params);
	delscan(&g->s);
	delconf(&g->c);
	free(g->self), free(g->process), free(g->exec), free(g->report), free(g->tdir), free(g->tdirninja);
}

/* what the command line asks for */
struct opts {
	const char *cfgpath;    /* -c FILE */
	const char *templates;  /* --templates DIR, or NULL */
	const char *initdir;    /* --init DIR, or NULL */
	const char *retry;      /* --retry RUN|all, or NULL */
	const char *rerun;      /* --rerun RUN|all, or NULL */
	const char *watch;      /* --watch[=S]: S, "" for the default, or NULL */
	bool check, init, status, json; int slurm;  /* slurm: SLURM* bits (gen/slurm.h) */
};

/* parse the command line into o and g's backend; -1 to go on, else the exit status (after --help, --version, bad usage) */
static int
parseargs(int argc, char **argv, struct opts *o, struct gen *g)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"templates", required_argument, NULL, 'T'},
		{"check", no_argument, NULL, 'C'},
		{"init", no_argument, NULL, 'I'},
		{"status", no_argument, NULL, 'S'},
		{"slurm-script", no_argument, NULL, 'L'}, {"slurm-submit", no_argument, NULL, 'U'}, {"array", no_argument, NULL, 'A'},
		{"json", no_argument, NULL, 'J'},
		{"watch", optional_argument, NULL, 'W'},
		{"backend", required_argument, NULL, 'B'},
		{"retry", required_argument, NULL, 'R'},
		{"rerun", required_argument, NULL, 'E'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{0},
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c': o->cfgpath = optarg; break;
		case 'T': o->templates = optarg; break;
		case 'C': o->check = true; break;
		case 'I': o->init = true; break;
		case 'S': o->status = true; break;
		case 'L': case 'U': case 'A': o->slurm |= opt == 'L' ? SLURMSCRIPT : opt == 'U' ? SLURMSUBMIT : SLURMARRAY; break;
		case 'J': o->json = true; break;
		case 'W': o->status = true, o->watch = optarg ? optarg : ""; break;
		case 'R': o->retry = optarg; break;
		case 'E': o->rerun = optarg; break;
		case 'B':
			for (g->b = backends; g->b < backends + sizeof(backends) / sizeof(backends[0]); g->b++)
				if (strcmp(g->b->name, optarg) == 0)
					break;
			if (g->b == backends + sizeof(backends) / sizeof(backends[0]))
				fatal(2, "--backend must be ninja or make, not '%s'", optarg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		case 'V': puts("runja-gen " RUNJA_VERSION); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (o->watch && (o->json || (*o->watch && watchinterval(o->watch) < 0)))
		fatal(2, "--watch=S: seconds from 0.1 to 3600, and no --json (--status --json prints it once)");
	if (o->init && optind == argc - 1)
		o->initdir = argv[optind++];
	if (optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	return -1;
}

int
main(int argc, char **argv)
{
	struct opts o = {.cfgpath = "runja.cfg"};
	const char *cfgname;
	char err[1024], *cfgdir, *exedir, *state, *runsfile;
	struct gen g = {.b = &backends[0]};
	struct buf text, out, prev;
	bool hadprev;
	int status = 0;

	argv0 = "runja-gen";
	if ((status = parseargs(argc, argv, &o, &g)) >= 0)
		return status;
	status = 0;
	if (!(g.self = selfpath()))
		fatal(1, "cannot find the path of this program");
	exedir = dirpart(g.self);
	g.process = xasprintf("%s/runja-process", exedir);
	g.exec = xasprintf("%s/runja-exec", exedir);
	g.report = xasprintf("%s/runja-report", exedir);
	free(exedir);
	loadtemplates(&g, o.templates);
	if (o.init) {
		if ((status = initrun(g.tdir, o.cfgpath, o.initdir, err, sizeof(err))))
			warn("%s", err);
		delgen(&g);
		return status;
	}
	cfgdir = dirpart(o.cfgpath);
	cfgname = basepart(o.cfgpath);
	if (readfile(o.cfgpath, &text, err, sizeof(err)) < 0)
		fatal(2, "%s", err);
	if (chdir(cfgdir) < 0)
		fatal(2, "%s:", cfgdir);
	checktext(&text, cfgname);
	if (confparse(&g.c, text.s, cfgname, false, err, sizeof(err)) < 0)
		fatal(2, "%s", err);
	scantree(&g, cfgname);
	if (g.c.cmd.run) {
		cmdinputs(&g, cfgname);
		strvdrop(g.overwatch, &g.noverwatch, g.cmdwatch, g.ncmdwatch);
	}

	g.e = (struct emit){
		.c = &g.c, .s = &g.s, .params = g.params, .cfgname = cfgname, .gen = g.self,
		.process = g.process, .exec = g.exec, .report = g.report, .templatesarg = g.templatesarg, .templatefiles = g.tfiles,
		/* the command's templates (last) are inputs of the build file only when it has a command */
		.ntemplatefiles = g.c.cmd.run ? NTMPL : NTMPL - 2, .t = &g.tm, .cmdinputs = g.cmdinputs, .ncmdinputs = g.ncmdinputs,
		.cmdwatch = g.cmdwatch, .ncmdwatch = g.ncmdwatch, .overwatch = g.overwatch, .noverwatch = g.noverwatch,
	};
	if ((o.retry && forgetruns(&g.e, o.retry, false, stdout, err, sizeof(err)) < 0) ||
	    (o.rerun && forgetruns(&g.e, o.rerun, true, stdout, err, sizeof(err)) < 0))
		fatal(2, "%s", err);
	if (g.c.poolauto)
		g.c.pool = autopool(&g.e, g.c.memory, o.check || o.status || o.slurm ? NULL : stdout);
	bufinit(&out);
	if (g.b->emit(&out, &g.e, err, sizeof(err)) < 0)
		fatal(2, "%s", err);

	state = statepath(g.c.outdir, STATEDIR, NULL);
	runsfile = statepath(g.c.outdir, STATERUNS, NULL);
	hadprev = readfile(runsfile, &prev, NULL, 0) == 0;
	if (o.status) {
		status = statusshow(&g.e, g.s.waiting, g.s.nwaiting, o.json, o.watch, stdout);
	} else if (o.slurm) {
		if (slurmprint(&g.e, g.tdir, o.slurm, stdout, err, sizeof(err)) < 0)
			fatal(2, "%s", err);
	} else if (o.check) {
		status = check(&g, &out, &prev, hadprev);
	} else {
		/* the state folders first: creating them later would touch a folder ninja watches */
		if (mkdirp(state, err, sizeof(err)) < 0 || mkdirp(STATEBUILD, err, sizeof(err)) < 0 ||
		    outdirowner(&g.c, cfgname, true, err, sizeof(err)) < 0)
			fatal(1, "%s", err);
		writebuild(&g, &out, &prev, hadprev);
	}

	free(state), free(runsfile), free(cfgdir);
	buffree(&prev), buffree(&out), buffree(&text);
	delgen(&g);
	return status;
}
