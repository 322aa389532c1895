#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "common/fs.h"
#include "common/jobslurm.h"
#include "common/state.h"
#include "common/tmpl.h"
#include "common/util.h"
#include "slurm.h"
#include "slurmneed.h"
#include "slurmsite.h"

void
slurmshquote(struct buf *b, const char *s)
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

/* the runs not up to date: their outcome stamps (the targets a build of them needs); and the most a run asks for */
static void
stale(const struct emit *e, struct slurmplan *p)
{
	struct jobsslurm s = e->c->slurm.run;
	long long t, m;
	char *why;
	size_t i;

	/* what runja figures per run is asked for by launcher "slurm" only, as its steps do */
	s.needs = NULL, s.nneeds = 0;
	if (strcmp(e->c->launcher, JOBSSLURM) == 0)
		slurmneeds(e, &s);
	bufinit(&p->targets);
	for (i = 0; i < e->s->nruns; i++) {
		/* every run's asks count: the job runs any of them again after a change */
		jobsrunasks(&s, e->s->runs[i].id, &t, &m);
		p->runtime = t > p->runtime ? t : p->runtime;
		p->runmem = m > p->runmem ? m : p->runmem;
		p->untimed += t == 0;
		if (checkrun(e, i, &why) == RUNDONE)
			continue;
		free(why);
		p->nstale++;
		why = statepath(e->c->outdir, e->c->cmd.run ? STATECMDENDED : STATEENDED, e->s->runs[i].id);
		bufprintf(&p->targets, "%s%s", p->targets.len ? "\n" : "", why);
		free(why);
	}
	jobsdelneeds(&s);
}

/* the task count: the runs, capped by max_tasks and what the partition site can give (or MaxArraySize), said */
static void
size(const struct emit *e, const struct slurmsite *site, struct slurmplan *p)
{
	const struct confslurm *c = &e->c->slurm;
	long long cpus = c->run.cpus ? c->run.cpus : 1, most = site->known ? site->cpus / cpus : 0, had;
	const char *by = NULL;

	p->ntasks = p->nstale < 1 ? 1 : p->nstale;
	if (p->array && site->maxarray > 0 && (size_t)site->maxarray < p->ntasks)
		p->ntasks = (size_t)site->maxarray, by = "MaxArraySize";
	if ((size_t)c->maxtasks < p->ntasks)
		p->ntasks = (size_t)c->maxtasks, by = "jobs.slurm.max_tasks";
	had = (long long)p->ntasks;
	if (!p->array && most > 0 && (size_t)most < p->ntasks)
		p->ntasks = (size_t)most, by = "partition";
	if (by && strcmp(by, "partition") == 0)
		warn("--slurm-script: %zu runs to process; asking for %zu tasks, all partition %s can give "
		     "(%lld CPUs, %lld per run): the runs wait their turn in ninja", p->nstale, p->ntasks, site->name,
		     site->cpus, cpus);
	else if (by)
		warn("--slurm-script: %zu runs to process; %s %zu tasks (%s %lld)", p->nstale,
		     p->array ? "an array of" : "asking for", p->ntasks, by, had);
}

/* a warning for each request no node of the partition can ever satisfy */
static void
never(const struct emit *e, const struct slurmsite *site, const struct slurmplan *p)
{
	int cpus = e->c->slurm.run.cpus;

	if (!site->known)
		return;
	if (p->runmem && (p->runmem + 1048575) / 1048576 > site->nodemem)
		warn("warning: a run asks for %lld MiB of memory, more than any node of partition %s has (%lld MiB): "
		     "its job would never start (jobs.slurm.memory, command.memory)", (p->runmem + 1048575) / 1048576,
		     site->name, site->nodemem);
	if (cpus > site->nodecpus)
		warn("warning: a run asks for %d CPUs, more than any node of partition %s has (%lld): its job would "
		     "never start (jobs.slurm.cpus)", cpus, site->name, site->nodecpus);
	if (site->maxtime && p->jobtime / 60 > site->maxtime)
		warn("warning: the job asks for %lld minutes, more than partition %s allows (%lld): it would never "
		     "start (jobs.slurm.job_time, jobs.slurm.time)", p->jobtime / 60, site->name, site->maxtime);
}

/* the job's time: job_time, else the runs' asks shared by the tasks, plus the longest; 0 when a run has none */
static long long
jobtime(const struct emit *e, const struct slurmplan *p)
{
	size_t rounds = p->array ? (p->nstale + p->ntasks - 1) / p->ntasks : 1;

	if (e->c->slurm.jobtime)
		return e->c->slurm.jobtime;
	if (p->untimed || !p->runtime)
		return 0;
	if (p->array)
		return (long long)rounds * p->runtime;
	return (long long)((double)p->runtime * (double)p->nstale / (double)p->ntasks) + p->runtime;
}

/* the #SBATCH lines of the settings, each after a line break */
static void
sbatchlines(const struct emit *e, const struct slurmplan *p, struct buf *b)
{
	const struct confslurm *c = &e->c->slurm;
	int cpus = c->run.cpus ? c->run.cpus : 1;
	size_t i;

	if (*c->run.partition)
		bufprintf(b, "\n#SBATCH --partition=%s", c->run.partition);
	if (*c->run.account)
		bufprintf(b, "\n#SBATCH --account=%s", c->run.account);
	if (p->jobtime)
		bufprintf(b, "\n#SBATCH --time=%lld", (p->jobtime + 59) / 60);
	if (c->run.cpus)
		bufprintf(b, "\n#SBATCH --cpus-per-task=%d", c->run.cpus);
	if (p->runmem)
		bufprintf(b, "\n#SBATCH --mem-per-cpu=%lldM", (p->runmem / cpus + 1048575) / 1048576);
	if (*c->mail)
		bufprintf(b, "\n#SBATCH --mail-type=END,FAIL\n#SBATCH --mail-user=%s", c->mail);
	for (i = 0; i < c->run.nextra; i++)
		bufprintf(b, "\n#SBATCH %s", c->run.extra[i]);
}

int
slurmscript(const struct emit *e, const struct slurmplan *p, const char *tmpl, const char *tname, FILE *out,
            char *err, size_t n)
{
	char ntasks[32], nst[32], last[32], *cwd, *state = statepath(e->c->outdir, STATEDIR, NULL);
	struct buf dir, sbdir, sblog, text, lines;
	int ret = -1;

	bufinit(&dir), bufinit(&sbdir), bufinit(&sblog), bufinit(&text), bufinit(&lines);
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
		     "set jobs.launcher = \"slurm\"", e->cfgname);
	snprintf(ntasks, sizeof(ntasks), "%zu", p->ntasks);
	snprintf(last, sizeof(last), "%zu", p->ntasks - 1);
	snprintf(nst, sizeof(nst), "%zu", p->nstale);
	slurmshquote(&dir, cwd);
	sbatchlines(e, p, &lines);
	if (sbquote(&sbdir, cwd, NULL, err, n) < 0 ||
	    sbquote(&sblog, state, p->array ? "/slurm-%A_%a.log" : "/slurm-%j.log", err, n) < 0)
		goto err1;
	{
		struct tvar v[] = {
			{"generated", "written by runja-gen --slurm-script from runja.cfg"}, {"ntasks", ntasks},
			{"nstale", nst}, {"dir", dir.s}, {"sbatchdir", sbdir.s}, {"log", sblog.s}, {"sbatch", lines.s},
			{"last", last}, {"targets", p->targets.s},
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
	buffree(&dir), buffree(&sbdir), buffree(&sblog), buffree(&text), buffree(&lines);
	free(state);
	return ret;
}

void
slurmplan(const struct emit *e, const struct slurmsite *site, bool array, struct slurmplan *p)
{
	*p = (struct slurmplan){.array = array || e->c->slurm.array};
	stale(e, p);
	size(e, site, p);
	p->jobtime = jobtime(e, p);
	never(e, site, p);
}

void
delslurmplan(struct slurmplan *p)
{
	buffree(&p->targets);
}
