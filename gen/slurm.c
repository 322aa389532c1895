#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "common/fs.h"
#include "common/state.h"
#include "common/tmpl.h"
#include "common/util.h"
#include "slurm.h"

/* the most tasks a script asks for: beyond this, runs wait in ninja's queue, not SLURM's */
#define SLURMMAXTASKS 256

/* append s in single quotes for sh */
static void
shquote(struct buf *b, const char *s)
{
	bufputc(b, '\'');
	for (; *s; s++)
		*s == '\'' ? bufputs(b, "'\\''") : bufputc(b, *s);
	bufputc(b, '\'');
}

/*
 * append path in double quotes for an #SBATCH line, then tail (NULL: none) inside the
 * quotes; with a tail the value is a file name pattern, where '%' in path is written "%%"
 */
static int
sbquote(struct buf *b, const char *path, const char *tail, char *err, size_t n)
{
	if (strpbrk(path, "\"\n"))
		return seterr(err, n, "%s: a path with '\"' or a line break cannot be written in an #SBATCH line", path);
	bufputc(b, '"');
	for (; *path; path++)
		*path == '%' && tail ? bufputs(b, "%%") : bufputc(b, *path);
	if (tail)
		bufputs(b, tail);
	bufputc(b, '"');
	return 0;
}

int
slurmscript(const struct emit *e, size_t nstale, const char *tmpl, const char *tname, FILE *out,
            char *err, size_t n)
{
	char ntasks[32], nst[32], *cwd, *state = statepath(e->c->outdir, STATEDIR, NULL);
	struct buf dir, sbdir, sblog, text;
	int ret = -1;

	bufinit(&dir), bufinit(&sbdir), bufinit(&sblog), bufinit(&text);
	if (!exists(state) || !exists("build.ninja")) {
		seterr(err, n, "no build.ninja or %s here yet: run runja-gen first (the job's log goes to %s)",
		       state, state);
		goto err0;
	}
	if (!(cwd = getcwd(NULL, 0))) {
		seterr(err, n, "the current folder:");
		goto err0;
	}
	if (!*e->c->launcher)
		warn("%s: jobs.launcher is empty, so every run would run on the job's first node; "
		     "set jobs.launcher = \"srun --quiet -N1 -n1 --exclusive\"", e->cfgname);
	snprintf(ntasks, sizeof(ntasks), "%zu", nstale < 1 ? 1 : nstale > SLURMMAXTASKS ? SLURMMAXTASKS : nstale);
	snprintf(nst, sizeof(nst), "%zu", nstale);
	shquote(&dir, cwd);
	if (sbquote(&sbdir, cwd, NULL, err, n) < 0 || sbquote(&sblog, state, "/slurm-%j.log", err, n) < 0)
		goto err1;
	{
		struct tvar v[] = {
			{"generated", "written by runja-gen --slurm-script from runja.cfg"},
			{"ntasks", ntasks}, {"nstale", nst}, {"dir", dir.s}, {"sbatchdir", sbdir.s}, {"log", sblog.s},
		};

		if (tmplexpand(&text, tmpl, tname, v, sizeof(v) / sizeof(v[0]), err, n) < 0)
			goto err1;
	}
	if (fputs(text.s, out) == EOF || fflush(out) == EOF) {
		seterr(err, n, "write error:");
		goto err1;
	}
	ret = 0;
err1:
	free(cwd);
err0:
	buffree(&dir), buffree(&sbdir), buffree(&sblog), buffree(&text);
	free(state);
	return ret;
}

int
slurmprint(const struct emit *e, const char *tdir, FILE *out, char *err, size_t n)
{
	char *tpath = xasprintf("%s/slurm/batch.sh", tdir), cause[1024];
	size_t nstale = checkruns(e, NULL, NULL);
	struct buf tmpl;
	int ret = -1;

	if (readfile(tpath, &tmpl, cause, sizeof(cause)) < 0)
		seterr(err, n, "%s (templates folder; --templates DIR)", cause);
	else
		ret = slurmscript(e, nstale, tmpl.s, tpath, out, err, n);
	buffree(&tmpl);
	free(tpath);
	return ret;
}
