#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/jobs.h"
#include "common/state.h"
#include "common/util.h"
#include "execrun.h"
#include "leftover.h"

int
leftoverlock(const char *work, const char *id, char *err, size_t n)
{
	char *path = xasprintf("%s/%s", work, LEFTOVERLOCK);
	bool busy;
	int fd = statelockpath(path, id, &busy, err, n);

	if (fd >= 0 && busy) {
		close(fd);
		fd = seterr(err, n, "%s: held by another attempt", path);
	}
	free(path);
	return fd;
}

/* the ledger line of the attempt that left work (its lock file lock): started and last seen by their times */
static void
record(const struct execopts *o, const char *work, const char *lock)
{
	char *log = staterecord(work, NULL, STATELOG), *ledger = statein(o->state, STATELEDGER, NULL), err[512], *msg;
	struct stat a, b;
	struct attempt l = {.id = o->id, .status = JOBSTRANSIENT, .key = o->paramkey};

	if (stat(lock, &a) < 0 && stat(work, &a) < 0)
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
	char *work = statein(o->state, STATEWORK, o->id), *lock = xasprintf("%s/%s", work, LEFTOVERLOCK), err[512];
	bool busy;
	int fd;

	if (!exists(work))
		goto out;
	if (exists(lock) && (fd = statelockpath(lock, o->id, &busy, err, sizeof(err))) >= 0) {
		if (busy) {
			warn("%s: an attempt of an earlier build still runs (its build was stopped); waiting for it", o->id);
			if (statelockwait(fd, o->id, err, sizeof(err)) < 0)
				warn("%s", err);
		}
		close(fd);
		if (busy) {
			/* it ended as attempts end (recorded, its folder removed): what it made is looked at next */
			rmtree(work, err, sizeof(err));
			goto out;
		}
	}
	record(o, work, lock);
	if (rmtree(work, err, sizeof(err)) < 0)
		warn("%s", err);
out:
	free(work), free(lock);
}
