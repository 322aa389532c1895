#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/util.h"
#include "ledger.h"

/* append s with tabs and line breaks made spaces, so a field stays one field */
static void
field(struct buf *b, const char *s)
{
	for (; *s; s++)
		bufputc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

int
ledgerappend(const char *ledger, const struct attempt *a, char *err, size_t n)
{
	char host[256] = "-", when[32];
	const char *job = getenv("SLURM_JOB_ID"), *step = getenv("SLURM_STEP_ID");
	time_t t = (time_t)a->start;
	struct tm tm;
	struct buf b;
	ssize_t w;
	int fd;

	gethostname(host, sizeof(host) - 1);
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	bufinit(&b);
	field(&b, a->id);
	bufprintf(&b, "\t%s\t%.3f\t%ld\t", when, a->seconds, a->maxrss);
	field(&b, host);
	if (a->signal && sigabbrev_np(a->signal))
		bufprintf(&b, "\tSIG%s\t%s\t", sigabbrev_np(a->signal), RUNJA_VERSION);
	else if (a->signal)
		bufprintf(&b, "\tSIG%d\t%s\t", a->signal, RUNJA_VERSION);
	else
		bufprintf(&b, "\t%d\t%s\t", a->status, RUNJA_VERSION);
	if (job)
		bufprintf(&b, "%s.%s", job, step ? step : "0");
	else
		bufputc(&b, '-');
	bufputc(&b, '\t');
	field(&b, a->error ? a->error : "");
	bufputc(&b, '\n');
	if ((fd = open(ledger, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666)) < 0) {
		buffree(&b);
		return seterr(err, n, "%s:", ledger);
	}
	w = write(fd, b.s, b.len);
	if (w != (ssize_t)b.len || close(fd) < 0) {
		if (w == (ssize_t)b.len)
			fd = -1;
		seterr(err, n, "%s: write error:", ledger);
		if (fd >= 0)
			close(fd);
		buffree(&b);
		return -1;
	}
	buffree(&b);
	return 0;
}

void
ledgerrecord(const char *state, const struct timespec *t0, struct attempt *a)
{
	char *ledger, err[512];
	struct timespec t1;

	if (!state || !exists(state))
		return;
	clock_gettime(CLOCK_REALTIME, &t1);
	a->start = (double)t0->tv_sec + t0->tv_nsec / 1e9;
	a->seconds = (double)(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
	ledger = xasprintf("%s/ledger.tsv", state);
	if (ledgerappend(ledger, a, err, sizeof(err)) < 0 && a->status == 0 && !a->signal && !a->error)
		warn("%s", err);
	free(ledger);
}
