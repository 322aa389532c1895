#include "common/jobslurm.h"
#include "common/state.h"
#include "pool.h"
#include "slurmneed.h"

void
slurmneeds(const struct emit *e, struct jobsslurm *s)
{
	long long limit = e->c->cmd.run && e->c->cmd.timeout ? e->c->cmd.timeout + SLURMNEEDPAD : 0, time;
	double bytes, seconds;
	struct ledger *l;
	size_t i;

	if (s->time && s->memory)
		return;
	l = ledgerload(e->c->outdir);
	for (i = 0; i < e->s->nruns; i++) {
		poolrunneed(e, i, l, &bytes, &seconds);
		time = seconds > 0 ? (long long)(seconds * SLURMNEEDFACTOR) + SLURMNEEDPAD : 0;
		if (limit && (!time || time > limit))
			time = limit;
		if (bytes > 0 && bytes < SLURMNEEDMIN)
			bytes = SLURMNEEDMIN;
		if (time || bytes > 0)
			jobsaddneed(s, e->s->runs[i].id, time, (long long)bytes);
	}
	delledger(l);
}
