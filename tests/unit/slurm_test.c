/* tests of common/jobslurm.c (the jobs file's SLURM lines, srun's line) and gen/slurmsite.c (sinfo, scontrol) */
#include <stdlib.h>
#include <string.h>

#include "common/jobs.h"
#include "common/jobslurm.h"
#include "common/util.h"
#include "gen/slurmsite.h"
#include "tests/test.h"

#define HEADLINE "# runja jobs 1: how runs are run (written by runja-gen; changing it reruns nothing)\n"

/* v joined by spaces, v freed; caller frees */
static char *
joined(char **v)
{
	struct buf b;
	size_t i;

	bufinit(&b);
	for (i = 0; v[i]; i++)
		bufprintf(&b, "%s%s", i ? " " : "", v[i]);
	delstrv(v, i);
	return b.s;
}

TEST(file)
{
	static const char text[] = HEADLINE "launcher slurm\nretries 2\npause 10\ntimeout 0\nwarm 0\nthreads 0\n"
	                           "slurm_partition short\nslurm_account lab7\nslurm_time 3600\nslurm_memory 4294967296\n"
	                           "slurm_cpus 2\nslurm_extra --qos=low\nslurm_extra --comment=x\n"
	                           "need 120 67108864 run_000\nneed 0 536870912 2026/run 7\n";
	struct jobs j;
	struct buf b;
	long long t, m;
	char err[256];

	jobsinit(&j);
	EXPECTINT(jobsparse("jobs", text, &j, err, sizeof(err)), 0);
	EXPECTSTR(j.launcher, JOBSSLURM);
	EXPECTSTR(j.slurm.partition, "short");
	EXPECTINT(j.slurm.nextra, 2);
	EXPECTINT(j.slurm.nneeds, 2);
	EXPECTSTR(j.slurm.needs[1].id, "2026/run 7");
	bufinit(&b);
	jobsfmt(&b, &j);
	EXPECTSTR(b.s, text);
	buffree(&b);
	/* the settings' time and memory before a run's need */
	jobsrunasks(&j.slurm, "run_000", &t, &m);
	EXPECTINT(t, 3600);
	EXPECTINT(m, 4294967296LL);
	j.slurm.time = j.slurm.memory = 0;
	jobsrunasks(&j.slurm, "run_000", &t, &m);
	EXPECTINT(t, 120);
	EXPECTINT(m, 67108864);
	jobsrunasks(&j.slurm, "run_001", &t, &m);
	EXPECTINT(t + m, 0);
	deljobs(&j);
	jobsinit(&j);
	EXPECTINT(jobsparse("jobs", HEADLINE "need 12 run_000\n", &j, err, sizeof(err)), -1);
	EXPECTSTR(err, "jobs:2: 'need 12 run_000' is not SECONDS BYTES RUN");
	deljobs(&j);
	jobsinit(&j);
	EXPECTINT(jobsparse("jobs", HEADLINE "slurm_cpus many\n", &j, err, sizeof(err)), -1);
	EXPECTSTR(err, "jobs:2: 'slurm_cpus many' is not a setting runja knows");
	deljobs(&j);
}

TEST(srun)
{
	char *argv[] = {"runja-exec", "--id", "run_000", NULL}, **v, *s;
	struct jobs j;
	char err[256];

	jobsinit(&j);
	EXPECTINT(jobsparse("jobs", HEADLINE "launcher slurm\nslurm_partition short\nslurm_account lab7\n"
	                    "slurm_cpus 2\nslurm_extra --qos=low\nneed 61 1048577 run_000\n", &j, err, sizeof(err)), 0);
	/* outside an allocation: its own job, in the partition and account; time and memory rounded up */
	v = jobssrun(&j.slurm, "run_000", false, argv, "--attempt");
	s = joined(v);
	EXPECTSTR(s, "srun --quiet --disable-status -N1 -n1 --job-name=runja:run_000 --partition=short "
	             "--account=lab7 --time=2 --mem=2M --cpus-per-task=2 --qos=low runja-exec --attempt --id run_000");
	free(s);
	/* inside one: a step with CPUs of its own, in its job's partition and account */
	v = jobssrun(&j.slurm, "run_000", true, argv, "--attempt");
	s = joined(v);
	EXPECTSTR(s, "srun --quiet --disable-status -N1 -n1 --job-name=runja:run_000 --exclusive "
	             "--time=2 --mem=2M --cpus-per-task=2 --qos=low runja-exec --attempt --id run_000");
	free(s);
	deljobs(&j);
}

TEST(site)
{
	static const char sinfo[] = "test* 1/3/0/4 4 24105 infinite\nsmall 0/4/0/4 4 24105 1:00:00\n"
	                            "big 0/64/0/64 32 512000 2-00:00:00\nbig 0/16/0/16 16 128000 2-00:00:00\n";
	struct slurmsite s;

	slurmsiteparse(sinfo, NULL, &s);
	EXPECT(s.known);
	EXPECTSTR(s.name, "test");
	EXPECTINT(s.cpus, 4);
	EXPECTINT(s.maxtime, 0);
	slurmsiteparse(sinfo, "big,small", &s);
	EXPECTSTR(s.name, "big");
	EXPECTINT(s.cpus, 80);
	EXPECTINT(s.nodecpus, 32);
	EXPECTINT(s.nodemem, 512000);
	EXPECTINT(s.maxtime, 2880);
	slurmsiteparse(sinfo, "small", &s);
	EXPECTINT(s.maxtime, 60);
	slurmsiteparse(sinfo, "gpu", &s);
	EXPECT(!s.known);
	EXPECTINT(slurmsitemaxarray("MaxArraySize            = 8\nMaxJobCount = 10000\n"), 8);
	EXPECTINT(slurmsitemaxarray("no such line\n"), 0);
}

int
main(void)
{
	RUN(file);
	RUN(srun);
	RUN(site);
	return TESTEXIT();
}
