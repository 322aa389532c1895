#include <stdio.h>
#include <string.h>

#include "common/cores.h"
#include "common/paramkey.h"
#include "common/pnghead.h"
#include "common/state.h"
#include "common/util.h"
#include "pool.h"

/*
 * A run measured before (the ledger's peak RSS of its successful attempts with the same
 * parameters key) needs the largest of its last MEASUREDRECENT such figures plus
 * MEASUREDMARGIN percent: the largest, because a pool too deep swaps or is killed while
 * one too shallow only waits; the last few, so that an old figure ages out (a new runja,
 * frames added); the margin for what the figure cannot show (another host's libraries,
 * a frame more).
 */
#define MEASUREDRECENT 5
#define MEASUREDMARGIN 10

/* MemAvailable of /proc/meminfo in bytes, or 0 */
static double
available(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	double kib = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %lf kB", &kib) == 1)
			break;
	fclose(f);
	return kib * 1024;
}

/* what a run's memory figure was taken from */
enum needfrom { NEEDNONE, NEEDMEASURED, NEEDESTIMATED, NEEDDECLARED };

/* one run's memory figure */
struct need {
	double bytes;        /* its peak memory, with the margin of a measured one */
	double seconds;      /* the longest of its recent successful attempts, 0 when none was measured */
	enum needfrom from;  /* where it came from */
	char desc[128];      /* for the message: the frame kind, the measured peak, command.memory */
};

/* take bytes from from, described by desc, as nd's figure when it is the larger */
static void
needmax(struct need *nd, double bytes, enum needfrom from, const char *desc)
{
	if (bytes <= nd->bytes)
		return;
	nd->bytes = bytes;
	nd->from = from;
	snprintf(nd->desc, sizeof(nd->desc), "%s", desc);
}

/* run id's measured figure for parameters key as nd's (when the larger): 1 when the ledger has one, else 0 */
static int
measured(struct need *nd, const struct ledger *l, const char *id, const char *key)
{
	long long kib = ledgerpeak(l, id, key, MEASUREDRECENT);
	char desc[128];

	if (kib <= 0)
		return 0;
	snprintf(desc, sizeof(desc), "measured peak RSS %.1f MiB + %d %%", kib / 1024.0, MEASUREDMARGIN);
	needmax(nd, kib * 1024.0 * (1 + MEASUREDMARGIN / 100.0), NEEDMEASURED, desc);
	return 1;
}

/* the longest of run id's last MEASUREDRECENT successful attempts with parameters key as nd's, when longer */
static void
longest(struct need *nd, const struct ledger *l, const char *id, const char *key)
{
	const struct ledgerentry *a;
	size_t n = MEASUREDRECENT;

	for (a = ledgerlast(l, id); a && n > 0; a = ledgerbefore(l, a)) {
		if (!a->key || strcmp(a->key, key) != 0 || strcmp(a->status, "0") != 0)
			continue;
		n--;
		if (a->seconds > nd->seconds)
			nd->seconds = a->seconds;
	}
}

/* the most threads a run of c may use here: jobs.threads, at most the CPUs of this process's set (common/cores.h) */
static int
poolthreads(const struct conf *c)
{
	int cpus = corescpus();

	return c->threads > 0 && c->threads < cpus ? c->threads : cpus;
}

/* the figure of run i: its pipeline's and its command's, each measured when the ledger l has it */
static void
runneed(const struct emit *e, size_t i, const struct ledger *l, struct need *nd)
{
	const struct run *r = &e->s->runs[i];
	const struct runparams *p = &e->params[i];
	const struct cmdspec *m = &e->c->cmd;
	char key[PARAMKEYSIZE], desc[128];
	struct pnghead h;

	*nd = (struct need){0, 0, NEEDNONE, ""};
	if (emithaspipeline(e)) {
		paramkeypipeline(key, p->ops, p->nops, p->prods, e->c->channel, e->c->maxpixels, e->c->npy);
		longest(nd, l, r->id, key);
		if (!measured(nd, l, r->id, key) && r->oneframe && pnghead(r->oneframe, &h) == 0) {
			pngheaddesc(&h, desc, sizeof(desc));
			needmax(nd, estimaterun(&h, r->nframes, p->ops, p->nops, p->prods, e->c->npy, poolthreads(e->c)),
			        NEEDESTIMATED, desc);
		}
	}
	/* a command's own need is measured or declared (command.memory), never estimated */
	if (m->run) {
		paramkeycommand(key, m->run, m->nrun, p->params);
		longest(nd, l, r->id, key);
		if (!measured(nd, l, r->id, key))
			needmax(nd, (double)m->memory, NEEDDECLARED, "command.memory");
	}
}

/* the line that says where the runs' figures came from (n: runs by enum needfrom) into b */
static void
sources(char *b, size_t len, const size_t *n)
{
	int k = snprintf(b, len, "%zu run%s from measured peak RSS, %zu estimated", n[NEEDMEASURED],
	                 n[NEEDMEASURED] == 1 ? "" : "s", n[NEEDESTIMATED]);

	if (n[NEEDDECLARED] && k >= 0 && (size_t)k < len)
		snprintf(b + k, len - (size_t)k, ", %zu by command.memory", n[NEEDDECLARED]);
}

void
poolrunneed(const struct emit *e, size_t i, const struct ledger *l, double *bytes, double *seconds)
{
	struct need nd;

	runneed(e, i, l, &nd);
	*bytes = nd.bytes;
	*seconds = nd.seconds;
}

int
autopool(const struct emit *e, long long memory, FILE *out)
{
	double avail = memory > 0 ? (double)memory : available(), d;
	struct ledger *l = ledgerload(e->c->outdir);
	struct need worst = {0, 0, NEEDNONE, ""}, nd;
	size_t i, at = 0, n[NEEDDECLARED + 1] = {0};
	char from[160];
	int depth;

	for (i = 0; i < e->s->nruns; i++) {
		runneed(e, i, l, &nd);
		n[nd.from]++;
		if (nd.bytes > worst.bytes) {
			worst = nd;
			at = i;
		}
	}
	delledger(l);
	if (worst.bytes <= 0) {
		if (out)
			fprintf(out, e->c->cmd.run && !emithaspipeline(e)
			                 ? "runja-gen: jobs.pool auto: the command declares no memory (command.memory = \"2G\"); no pool\n"
			                 : "runja-gen: jobs.pool auto: no frame to estimate from; no pool\n");
		return 0;
	}
	if (memory <= 0 && avail >= 1073741824.0)
		avail = 1073741824.0 * (double)(long long)(avail / 1073741824.0);
	d = avail / worst.bytes;
	depth = d < 1 ? 1 : d > 1e6 ? 1000000 : (int)d;
	sources(from, sizeof(from), n);
	if (out)
		fprintf(out, "runja-gen: jobs.pool auto: up to %.1f MiB per run (%s, %s), %.1f GiB %s: %d at once; %s\n",
		        worst.bytes / 1048576, e->s->runs[at].id, worst.desc, avail / 1073741824,
		        memory > 0 ? "by jobs.memory" : "available", depth, from);
	return depth;
}
