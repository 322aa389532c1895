#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "common/fs.h"
#include "common/jobs.h"
#include "common/state.h"
#include "common/util.h"
#include "execrun.h"
#include "leftover.h"

/* the ledger line of the attempt that left work: started and last seen by the times of work and its log */
static void
record(const struct execopts *o, const char *work)
{
	char *log = staterecord(work, NULL, STATELOG), *ledger = statein(o->state, STATELEDGER, NULL), err[512], *msg;
	struct stat a, b;
	struct attempt l = {.id = o->id, .status = JOBSTRANSIENT, .key = o->paramkey};

	if (stat(work, &a) < 0)
		a.st_mtim = (struct timespec){time(NULL), 0};
	l.start = (double)a.st_mtim.tv_sec;
	l.seconds = stat(log, &b) == 0 && b.st_mtim.tv_sec > a.st_mtim.tv_sec ? (double)(b.st_mtim.tv_sec - a.st_mtim.tv_sec) : 0;
	msg = xasprintf("%s: an attempt was cut short (its build was killed): its work folder was left, and removed", o->id);
	l.error = msg;
	if (ledgerappend(ledger, &l, err, sizeof(err)) < 0)
		warn("%s", err);
	warn("%s", msg);
	free(msg), free(log), free(ledger);
}

void
leftovercheck(const struct execopts *o)
{
	char *work = statein(o->state, STATEWORK, o->id), err[512];

	if (exists(work)) {
		record(o, work);
		if (rmtree(work, err, sizeof(err)) < 0)
			warn("%s", err);
	}
	free(work);
}
