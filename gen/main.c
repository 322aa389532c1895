#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/natsort.h"
#include "common/util.h"
#include "conf.h"
#include "emit.h"
#include "scan.h"

#ifndef TEMPLATEDIR
#define TEMPLATEDIR "/usr/local/share/runja/templates"
#endif
#define VERSION "0.1"

static const char usage[] =
	"usage: runja-gen [-c FILE] [--templates DIR]\n"
	"\n"
	"Reads runja.cfg, scans the data tree for runs and writes build.ninja beside\n"
	"runja.cfg: one edge per run, so that `ninja` processes every run in parallel\n"
	"and later only the runs whose frames, parameters or program changed.\n"
	"\n"
	"  -c, --config FILE   the configuration [runja.cfg]; build.ninja, .runja state and\n"
	"                      (by default) the output folder go to FILE's folder\n"
	"      --templates DIR the build-file templates [beside the program, or " TEMPLATEDIR "]\n"
	"  -h, --help          this text\n"
	"      --version       print the version\n"
	"\n"
	"Exit status: 0 done, 1 an error in the data tree or the file system, 2 a\n"
	"configuration error (nothing written).\n";

/* the templates of the ninja backend, in the order emit needs them */
static const char *const tmplfiles[] = {"head.ninja", "pool.ninja", "run.ninja", "phony.ninja", "tail.ninja"};
#define NTMPL (sizeof(tmplfiles) / sizeof(tmplfiles[0]))

/* find the templates folder: --templates, beside the program (a build tree), or installed */
static char *
findtemplates(const char *given, const char *exedir)
{
	char *p;

	if (given)
		return xstrdup(given);
	p = xasprintf("%s/templates", exedir);
	if (exists(p))
		return p;
	free(p);
	return xstrdup(TEMPLATEDIR);
}

/* is a folder with this device and inode a run (the output folder must not lie in one)? */
static const struct run *
inrun(const struct scan *s, const char *path)
{
	char *p = realpath(path, NULL), *slash;
	const struct run *hit = NULL;
	struct stat st;
	size_t i;

	if (!p)
		return NULL;
	for (;;) {
		if (stat(p, &st) == 0)
			for (i = 0; i < s->nruns && !hit; i++)
				if (s->runs[i].dev == st.st_dev && s->runs[i].ino == st.st_ino)
					hit = &s->runs[i];
		if (hit || !(slash = strrchr(p, '/')) || slash == p)
			break;
		*slash = '\0';
	}
	free(p);
	return hit;
}

static bool
samefile(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* the number of ids in cur that are not in prev (both in natural order) */
static size_t
countnew(const struct scan *s, const char *prev)
{
	size_t nnew = 0, i = 0;
	const char *p = prev;

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

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"templates", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{0},
	};
	const char *cfgpath = "runja.cfg", *templatesarg = NULL, *cfgname;
	char err[1024], *self, *exedir, *tdir, *process, *cfgdir, *state, *runsfile;
	char *tfiles[NTMPL], *tdirninja;
	struct buf text, t[NTMPL], out, old, prev;
	struct runparams *params;
	struct conf c, *over;
	struct scan s;
	struct tmpls tm;
	struct emit e;
	size_t i, nnew;
	bool changed;
	int opt;

	argv0 = "runja-gen";
	while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c': cfgpath = optarg; break;
		case 'T': templatesarg = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		case 'V': puts("runja-gen " VERSION); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (!(self = selfpath()))
		fatal(1, "cannot find the path of this program");
	exedir = dirpart(self);
	process = xasprintf("%s/runja-process", exedir);
	tdir = findtemplates(templatesarg, exedir);
	if (templatesarg && templatesarg[0] != '/') {
		char *abs = realpath(templatesarg, NULL);

		if (!abs)
			fatal(2, "%s: templates folder:", templatesarg);
		free(tdir);
		tdir = abs;
		templatesarg = tdir;
	}
	for (i = 0; i < NTMPL; i++) {
		tfiles[i] = xasprintf("%s/ninja/%s", tdir, tmplfiles[i]);
		if (readfile(tfiles[i], &t[i], err, sizeof(err)) < 0)
			fatal(2, "%s (templates folder; --templates DIR)", err);
	}

	if (readfile(cfgpath, &text, err, sizeof(err)) < 0)
		fatal(2, "%s", err);
	cfgdir = dirpart(cfgpath);
	cfgname = strrchr(cfgpath, '/') ? strrchr(cfgpath, '/') + 1 : cfgpath;
	if (chdir(cfgdir) < 0)
		fatal(2, "%s:", cfgdir);
	if (confparse(&c, text.s, cfgname, false, err, sizeof(err)) < 0)
		fatal(2, "%s", err);

	{
		struct scanopts so = {
			.root = c.root, .match = c.match, .nmatch = c.nmatch, .exclude = c.exclude,
			.nexclude = c.nexclude, .frames = c.frames, .override = c.override, .skip = c.outdir,
		};
		if (scanruns(&so, &s, err, sizeof(err)) < 0)
			fatal(1, "%s", err);
	}
	if (exists(c.outdir)) {
		const struct run *r = inrun(&s, c.outdir);

		if (r)
			fatal(2, "%s: output.dir '%s' lies inside the run folder %s; raw data is never written to",
			      cfgname, c.outdir, r->dir);
		if (samefile(c.outdir, c.root))
			fatal(2, "%s: output.dir '%s' is the data tree's root; choose a folder of its own",
			      cfgname, c.outdir);
	}
	for (i = 0; i < s.nempty; i++)
		warn("%s: no frames matching '%s', skipped", s.empty[i], c.frames);

	over = xcalloc(s.nruns, sizeof(*over));
	params = xcalloc(s.nruns, sizeof(*params));
	for (i = 0; i < s.nruns; i++) {
		params[i] = (struct runparams){c.ops, c.nops, &c.prods};
		if (!s.runs[i].override)
			continue;
		{
			char *p = xasprintf("%s/%s", s.runs[i].dir, c.override);
			char *name = xasprintf("%s/%s", s.runs[i].id, c.override);
			struct buf otext;

			if (readfile(p, &otext, err, sizeof(err)) < 0)
				fatal(2, "%s", err);
			if (confparse(&over[i], otext.s, name, true, err, sizeof(err)) < 0)
				fatal(2, "%s", err);
			if (over[i].haspipeline)
				params[i].ops = over[i].ops, params[i].nops = over[i].nops;
			if (over[i].hasproducts)
				params[i].prods = &over[i].prods;
			buffree(&otext);
			free(p);
			free(name);
		}
	}

	tdirninja = xasprintf("%s/ninja", tdir);
	tm = (struct tmpls){t[0].s, t[1].s, t[2].s, t[3].s, t[4].s, tdirninja};
	e = (struct emit){
		.c = &c, .s = &s, .params = params, .cfgname = cfgname, .gen = self, .process = process,
		.templatesarg = templatesarg, .templatefiles = tfiles, .ntemplatefiles = NTMPL, .t = &tm,
	};
	bufinit(&out);
	if (emitninja(&out, &e, err, sizeof(err)) < 0)
		fatal(2, "%s", err);

	/* the state folder first: creating it later would touch a folder ninja watches */
	state = xasprintf("%s/.runja", c.outdir);
	if (mkdirp(state, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	runsfile = xasprintf("%s/runs", state);
	if (readfile(runsfile, &prev, err, sizeof(err)) < 0)
		bufinit(&prev);
	nnew = countnew(&s, exists(runsfile) ? prev.s : NULL);
	{
		struct buf ids;

		bufinit(&ids);
		for (i = 0; i < s.nruns; i++)
			bufprintf(&ids, "%s\n", s.runs[i].id);
		if (strcmp(ids.s, prev.s) != 0 && writeatomic(runsfile, ids.s, ids.len, err, sizeof(err)) < 0)
			fatal(1, "%s", err);
		buffree(&ids);
	}
	changed = readfile("build.ninja", &old, err, sizeof(err)) < 0 || strcmp(old.s, out.s) != 0;
	if (changed && writeatomic("build.ninja", out.s, out.len, err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	/* renaming touched this folder: make build.ninja at least as new, or ninja would regenerate again */
	if (changed && touch("build.ninja", err, sizeof(err)) < 0)
		fatal(1, "%s", err);
	printf("runja-gen: %zu run%s (%zu new), %s build.ninja\n", s.nruns, s.nruns == 1 ? "" : "s", nnew,
	       changed ? "wrote" : "unchanged");

	for (i = 0; i < s.nruns; i++)
		delconf(&over[i]);
	for (i = 0; i < NTMPL; i++) {
		buffree(&t[i]);
		free(tfiles[i]);
	}
	free(over), free(params), free(state), free(runsfile), free(cfgdir);
	buffree(&prev), buffree(&old), buffree(&out), buffree(&text);
	delscan(&s);
	delconf(&c);
	free(self), free(exedir), free(process), free(tdir), free(tdirninja);
	return 0;
}
