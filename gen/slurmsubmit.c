#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/state.h"
#include "common/util.h"
#include "slurm.h"
#include "slurmsite.h"

/* the job id sbatch --parsable printed for the command cmd into id; 0 or -1 with err */
static int
sbatch(const char *cmd, char *id, size_t len, char *err, size_t n)
{
	FILE *f = popen(cmd, "r");
	char line[64] = "";
	int st;

	if (!f)
		return seterr(err, n, "cannot run sbatch:");
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	st = pclose(f);
	line[strcspn(line, ";\n")] = '\0';
	if (st != 0 || !*line || strspn(line, "0123456789") != strlen(line))
		return seterr(err, n, "sbatch did not submit the job (%s)", *line ? line : "it said why above");
	snprintf(id, len, "%s", line);
	return 0;
}

/* after the array job array: a job that runs ninja once it ended, for what the slices leave (the report) */
static int
after(const struct emit *e, const char *array, char *id, size_t len, char *err, size_t n)
{
	char *state = statepath(e->c->outdir, STATEDIR, NULL), *cwd = getcwd(NULL, 0);
	struct buf cmd;
	int r;

	bufinit(&cmd);
	bufprintf(&cmd, "sbatch --parsable --job-name=runja-report --dependency=afterany:%s --chdir=", array);
	slurmshquote(&cmd, cwd ? cwd : ".");
	bufputs(&cmd, " --output=");
	slurmshquote(&cmd, state);
	bufputs(&cmd, "/slurm-%j.log");
	if (*e->c->slurm.run.partition)
		bufprintf(&cmd, " --partition=%s", e->c->slurm.run.partition);
	if (*e->c->slurm.run.account)
		bufprintf(&cmd, " --account=%s", e->c->slurm.run.account);
	bufputs(&cmd, " --wrap='exec ninja -j 1'");
	r = sbatch(cmd.s, id, len, err, n);
	buffree(&cmd);
	free(state), free(cwd);
	return r;
}

/* write the script of p (template tmpl, named tname) to OUT/.runja/slurm-batch.sh and sbatch it; the ids on out */
static int
submit(const struct emit *e, const struct slurmplan *p, const char *tmpl, const char *tname, FILE *out, char *err,
       size_t n)
{
	char *path = statepath(e->c->outdir, STATEDIR, NULL), *script = xasprintf("%s/slurm-batch.sh", path), id[64], rep[64];
	struct buf cmd;
	FILE *f;
	int r = -1;

	bufinit(&cmd);
	if (!(f = fopen(script, "w"))) {
		seterr(err, n, "%s:", script);
		goto out;
	}
	r = slurmscript(e, p, tmpl, tname, f, err, n);
	if (fclose(f) != 0 && r == 0)
		r = seterr(err, n, "%s:", script);
	if (r < 0)
		goto out;
	bufputs(&cmd, "sbatch --parsable ");
	slurmshquote(&cmd, script);
	if ((r = sbatch(cmd.s, id, sizeof(id), err, n)) < 0)
		goto out;
	if (!p->array) {
		fprintf(out, "runja-gen: submitted batch job %s: %zu runs, %zu tasks (log %s/slurm-%s.log)\n", id, p->nstale,
		        p->ntasks, path, id);
	} else if ((r = after(e, id, rep, sizeof(rep), err, n)) == 0) {
		fprintf(out, "runja-gen: submitted job array %s: %zu runs in %zu tasks (logs %s/slurm-%s_K.log); "
		        "job %s builds the report after it\n", id, p->nstale, p->ntasks, path, id, rep);
	}
out:
	buffree(&cmd);
	free(path), free(script);
	return r;
}

int
slurmprint(const struct emit *e, const char *tdir, int mode, FILE *out, char *err, size_t n)
{
	bool array = (mode & SLURMARRAY) || e->c->slurm.array;
	char *tpath = xasprintf("%s/slurm/%s", tdir, array ? "array.sh" : "batch.sh"), cause[1024];
	struct slurmsite site;
	struct slurmplan p;
	struct buf tmpl;
	int ret = -1;

	if (readfile(tpath, &tmpl, cause, sizeof(cause)) < 0) {
		seterr(err, n, "%s (templates folder; --templates DIR)", cause);
		goto out;
	}
	slurmsiteask(e->c->slurm.run.partition, &site);
	slurmplan(e, &site, array, &p);
	if (p.nstale == 0 && (mode & SLURMSUBMIT))
		fprintf(out, "runja-gen: every run is up to date: nothing submitted\n"), ret = 0;
	else if (mode & SLURMSUBMIT)
		ret = submit(e, &p, tmpl.s, tpath, out, err, n);
	else
		ret = slurmscript(e, &p, tmpl.s, tpath, out, err, n);
	delslurmplan(&p);
out:
	buffree(&tmpl);
	free(tpath);
	return ret;
}
