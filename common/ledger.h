#ifndef RUNJA_LEDGER_H
#define RUNJA_LEDGER_H

#include <stddef.h>
#include <time.h>

/* one attempt at processing a run, as a line of OUT/.runja/ledger.tsv */
struct attempt {
	const char *id;       /* run id */
	double start;         /* start, seconds since the epoch */
	double seconds;       /* wall time */
	long maxrss;          /* peak resident set size, KiB */
	int status;           /* exit status */
	int signal;           /* the signal it died of (the status column says SIG<NAME>), or 0 */
	const char *error;    /* first error line, or NULL */
};

/*
 * Append one tab-separated line for a to ledger (created when missing): run, start
 * (UTC, ISO 8601), seconds, peak RSS in KiB, host, exit status (or SIGKILL ...), runja version,
 * SLURM job.step (or "-"), error. One write(2) on an O_APPEND descriptor, so lines
 * of runs finishing at once never mix. Returns 0 or -1 with err.
 */
int ledgerappend(const char *ledger, const struct attempt *a, char *err, size_t n);

/*
 * Append attempt a, begun at t0 (CLOCK_REALTIME; a->start and a->seconds are set from
 * it and now), to STATE/ledger.tsv when the folder state exists (NULL: nowhere). Failing
 * to write is warned about only for an attempt that succeeded: a failed one has said its line.
 */
void ledgerrecord(const char *state, const struct timespec *t0, struct attempt *a);

#endif
