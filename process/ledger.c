#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
