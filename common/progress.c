#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "inputs.h"
#include "natsort.h"
#include "progress.h"
#include "state.h"
#include "util.h"

/* the first line of a record */
#define HEADER "runja-progress 1\n"
/* its last line: "sum " and inputshash of all before it in 16 hex digits */
#define SUM "sum "
enum { SUMLINE = sizeof(SUM) - 1 + 16 + 1 };
/* the reads of a record that is being rewritten (its sum does not match) before it is passed over */
enum { READS = 3 };
/* a record is never longer: a file that is is none */
enum { MAXRECORD = 8192, MAXCOUNT = 4096 };
/* the most seconds between two writes of a record (RUNJA_PROGRESS_EVERY) */
enum { MAXEVERY = 3600 };
/* a time in a record has at most 11 digits (year 5138) and 3 decimals: written back with 3, it reads back the same */
enum { TIMEDIGITS = 11, TIMEDECIMALS = 3 };
/* the suffix of a command's own count beside its record */
#define COUNTSUFFIX ".command"

/* the fields of a record, in the order written */
enum field { FRUN, FWHAT, FHOST, FSTART, FSINCE, FTIME, FEVERY, FDONE, FTOTAL, FKEY, NFIELDS };

static const char *const fieldnames[NFIELDS] = {
	[FRUN] = "run", [FWHAT] = "what", [FHOST] = "host", [FSTART] = "start", [FSINCE] = "since",
	[FTIME] = "time", [FEVERY] = "every", [FDONE] = "done", [FTOTAL] = "total", [FKEY] = "key",
};

/* the names of enum progresswhat */
static const char *const whatnames[] = {[PROGRESSPIPELINE] = "pipeline", [PROGRESSCOMMAND] = "command"};

/* the record being written by an attempt */
struct progressout {
	char *path;            /* STATE/progress/HASH: the run's lock is held, so this is its one writer */
	struct progress p;     /* what it says */
	struct timespec next;  /* CLOCK_MONOTONIC_COARSE: no write before */
};

/* is the len bytes of s a field's text: not empty, no control bytes? */
static bool
textok(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return len > 0;
}

/* is the len bytes of s "-"? */
static bool
dash(const char *s, size_t len)
{
	return len == 1 && *s == '-';
}

/* *v = the count of the len bytes of s: 1 to 18 digits; 0 or -1 */
static int
count(const char *s, size_t len, long long *v)
{
	size_t i;

	if (len == 0 || len > 18)
		return -1;
	for (*v = 0, i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* *v = the time of the len bytes of s: TIMEDIGITS digits at most, perhaps a point and up to TIMEDECIMALS; 0 or -1 */
static int
timeof(const char *s, size_t len, double *v)
{
	size_t d = strspn(s, "0123456789"), f = 0;
	char text[TIMEDIGITS + TIMEDECIMALS + 2];

	if (d < len && s[d] == '.')
		f = 1 + strspn(s + d + 1, "0123456789");
	if (d == 0 || d > TIMEDIGITS || f == 1 || f > TIMEDECIMALS + 1 || d + f != len)
		return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	*v = strtod(text, NULL);
	return 0;
}

/* the values of the fields of the record text (len bytes after the header) into v and vl; 0 or -1 with err */
static int
fields(const char *text, size_t len, const char **v, size_t *vl, char *err, size_t n)
{
	const char *s, *end = text + len, *nl, *sp;
	size_t k;

	for (s = text; s < end; s = nl + 1) {
		if (!(nl = memchr(s, '\n', (size_t)(end - s))))
			return seterr(err, n, "a line cut short");
		if (!(sp = memchr(s, ' ', (size_t)(nl - s))))
			return seterr(err, n, "a line without a value");
		for (k = 0; k < NFIELDS; k++)
			if (strlen(fieldnames[k]) == (size_t)(sp - s) && memcmp(s, fieldnames[k], (size_t)(sp - s)) == 0)
				v[k] = sp + 1, vl[k] = (size_t)(nl - sp - 1);
	}
	for (k = 0; k < NFIELDS; k++)
		if (!v[k])
			return seterr(err, n, "no '%s'", fieldnames[k]);
	return 0;
}

/* the counts and key of p from v and vl; 0 or -1 with err */
static int
counts(struct progress *p, const char **v, const size_t *vl, char *err, size_t n)
{
	bool nodone = dash(v[FDONE], vl[FDONE]), nototal = dash(v[FTOTAL], vl[FTOTAL]);

	if (nodone != nototal)
		return seterr(err, n, "'done' and 'total' are both counts or both '-'");
	if (!nodone && (count(v[FDONE], vl[FDONE], &p->done) < 0 || count(v[FTOTAL], vl[FTOTAL], &p->total) < 0 ||
	                p->done > p->total))
		return seterr(err, n, "'done' and 'total' must be counts, done <= total");
	if (dash(v[FKEY], vl[FKEY]))
		return 0;
	if (vl[FKEY] != PARAMKEYSIZE - 1 || strspn(v[FKEY], "0123456789abcdef") < PARAMKEYSIZE - 1)
		return seterr(err, n, "'key' must be 16 hex digits or '-'");
	memcpy(p->key, v[FKEY], PARAMKEYSIZE - 1);
	p->key[PARAMKEYSIZE - 1] = '\0';
	return 0;
}

/* the length of the record text before its sum line (len bytes, read while it may be rewritten); 0 or -1 with err */
static int
sealed(const char *text, size_t len, size_t *body, char *err, size_t n)
{
	char want[SUMLINE + 1];

	if (len < SUMLINE || text[len - 1] != '\n')
		return seterr(err, n, "no sum line last (a record being written)");
	*body = len - SUMLINE;
	snprintf(want, sizeof(want), SUM "%016llx\n", (unsigned long long)inputshash(text, *body));
	if ((*body && text[*body - 1] != '\n') || memcmp(text + *body, SUM, strlen(SUM)) != 0)
		return seterr(err, n, "no sum line last (a record being written)");
	if (memcmp(text + *body, want, SUMLINE) != 0)
		return seterr(err, n, "its sum does not match (a record being written)");
	return 0;
}

int
progressparse(const char *text, size_t len, struct progress *p, char *err, size_t n)
{
	const char *v[NFIELDS] = {0};
	size_t vl[NFIELDS] = {0}, hl = strlen(HEADER);
	char *id;

	*p = (struct progress){.since = -1, .done = -1, .total = -1};
	if (sealed(text, len, &len, err, n) < 0)
		return -1;
	if (len < hl || memcmp(text, HEADER, hl) != 0)
		return seterr(err, n, "not a progress record");
	if (fields(text + hl, len - hl, v, vl, err, n) < 0)
		return -1;
	if (!textok(v[FRUN], vl[FRUN]) || !textok(v[FHOST], vl[FHOST]))
		return seterr(err, n, "'run' and 'host' must be text on one line");
	if (vl[FWHAT] == 8 && memcmp(v[FWHAT], "pipeline", 8) == 0)
		p->what = PROGRESSPIPELINE;
	else if (vl[FWHAT] == 7 && memcmp(v[FWHAT], "command", 7) == 0)
		p->what = PROGRESSCOMMAND;
	else
		return seterr(err, n, "'what' must be pipeline or command");
	if (timeof(v[FSTART], vl[FSTART], &p->start) < 0 || timeof(v[FTIME], vl[FTIME], &p->time) < 0 ||
	    (!dash(v[FSINCE], vl[FSINCE]) && timeof(v[FSINCE], vl[FSINCE], &p->since) < 0))
		return seterr(err, n, "'start', 'since' and 'time' must be seconds since the epoch");
	if (timeof(v[FEVERY], vl[FEVERY], &p->every) < 0 || p->every > MAXEVERY)
		return seterr(err, n, "'every' must be seconds, at most %d", MAXEVERY);
	if (counts(p, v, vl, err, n) < 0)
		return -1;
	id = xasprintf("%.*s", (int)vl[FRUN], v[FRUN]);
	if (!stateidok(id)) {
		free(id);
		return seterr(err, n, "'run' must be a run id");
	}
	p->id = id;
	p->host = xasprintf("%.*s", (int)vl[FHOST], v[FHOST]);
	return 0;
}

void
progressfmt(struct buf *b, const struct progress *p)
{
	size_t start = b->len;

	bufprintf(b, HEADER "run %s\nwhat %s\nhost %s\nstart %.3f\n", p->id, whatnames[p->what], p->host, p->start);
	if (p->since >= 0)
		bufprintf(b, "since %.3f\n", p->since);
	else
		bufputs(b, "since -\n");
	bufprintf(b, "time %.3f\nevery %.3f\n", p->time, p->every);
	if (p->done >= 0 && p->total >= 0)
		bufprintf(b, "done %lld\ntotal %lld\n", p->done, p->total);
	else
		bufputs(b, "done -\ntotal -\n");
	bufprintf(b, "key %s\n", *p->key ? p->key : "-");
	bufprintf(b, SUM "%016llx\n", (unsigned long long)inputshash(b->s + start, b->len - start));
}

void
progressfree(struct progress *p)
{
	free(p->id), free(p->host);
	p->id = p->host = NULL;
}

/* is the line of len bytes at s "DONE TOTAL" with spaces or tabs around? then *done and *total */
static bool
userline(const char *s, size_t len, long long *done, long long *total)
{
	const char *end = s + len, *d, *t;
	size_t dl, tl;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	d = s, dl = strspn(s, "0123456789");
	s += dl;
	if (dl == 0 || dl > 18 || s == end || (*s != ' ' && *s != '\t'))
		return false;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	t = s, tl = strspn(s, "0123456789");
	for (s += tl; s < end && (*s == ' ' || *s == '\t' || *s == '\r'); s++)
		;
	if (s != end || tl > 18 || count(d, dl, done) < 0 || count(t, tl, total) < 0)
		return false;
	return *total > 0 && *done <= *total;
}

bool
progressuser(const char *text, size_t len, bool partial, long long *done, long long *total)
{
	const char *first = text, *end = text + len, *line;

	/* a first line that begins before the text is cut */
	if (partial && !(first = memchr(text, '\n', len)))
		return false;
	if (partial)
		first++;
	/* whole lines only: what follows the last line break is still being written */
	while (end > first && end[-1] != '\n')
		end--;
	for (; end > first; end = line) {
		for (line = end - 1; line > first && line[-1] != '\n'; line--)
			;
		/* the line is [line, end - 1): its text up to the line break, which contains no NUL */
		if (!memchr(line, '\0', (size_t)(end - 1 - line)) && userline(line, (size_t)(end - 1 - line), done, total))
			return true;
	}
	return false;
}

/* RUNJA_PROGRESS_EVERY: the seconds between two writes of a record, 0 to MAXEVERY, in ms [1] */
static double
every(void)
{
	const char *s = getenv("RUNJA_PROGRESS_EVERY");
	char *end;
	double d;

	if (!s || !*s)
		return 1;
	d = strtod(s, &end);
	return *end || !(d >= 0 && d <= MAXEVERY) ? 1 : round(d * 1000) / 1000;
}

/* write w's record now (time set), the next write not before its every seconds from now */
static void
writeout(struct progressout *w)
{
	struct timespec t;
	struct buf b;
	int fd;

	w->p.time = fsnow() / 1e9;
	bufinit(&b);
	progressfmt(&b, &w->p);
	/*
	 * Rewritten in place, not flushed: a reader that reads it meanwhile finds its sum
	 * wrong and reads again; after a crash no lock is held and it is ignored. Closed each
	 * time, so that other hosts see it (NFS writes back on close).
	 */
	if ((fd = open(w->path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666)) >= 0) {
		if (pwrite(fd, b.s, b.len, 0) == (ssize_t)b.len)
			(void)ftruncate(fd, (off_t)b.len);
		close(fd);
	}
	buffree(&b);
	clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
	t.tv_sec += (time_t)w->p.every;
	t.tv_nsec += (long)((w->p.every - floor(w->p.every)) * 1e9);
	if (t.tv_nsec >= 1000000000L)
		t.tv_sec++, t.tv_nsec -= 1000000000L;
	w->next = t;
}

struct progressout *
mkprogressout(const char *state, const char *id, enum progresswhat what, const char *key, double start)
{
	char host[256] = "", *dir;
	struct progressout *w;

	if (!state || !exists(state) || !textok(id, strlen(id)))
		return NULL;
	w = xcalloc(1, sizeof(*w));
	w->path = statein(state, STATEPROGRESS, id);
	/* STATE is there: one mkdir, not mkdir -p's walk */
	dir = dirpart(w->path);
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		free(dir), free(w->path), free(w);
		return NULL;
	}
	free(dir);
	if (gethostname(host, sizeof(host) - 1) < 0 || !textok(host, strlen(host)))
		strcpy(host, "-");
	w->p = (struct progress){.id = xstrdup(id), .host = xstrdup(host), .what = what, .start = start, .since = start,
	                         .done = -1, .total = -1};
	if (key && strlen(key) == PARAMKEYSIZE - 1)
		memcpy(w->p.key, key, PARAMKEYSIZE);
	w->p.every = every();
	writeout(w);
	return w;
}

void
progresscount(struct progressout *w, long long total)
{
	if (!w)
		return;
	/* written by the tick that is due: one write less for a run shorter than that */
	w->p.since = fsnow() / 1e9;
	w->p.done = 0;
	w->p.total = total;
}

void
progresstick(struct progressout *w, long long done)
{
	struct timespec t;

	if (!w || w->p.total < 0)
		return;
	w->p.done = done < w->p.total ? done : w->p.total;
	/* a coarse clock: a few ns a call, so a frame costs nothing between two writes */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
	if (t.tv_sec < w->next.tv_sec || (t.tv_sec == w->next.tv_sec && t.tv_nsec < w->next.tv_nsec))
		return;
	writeout(w);
}

void
delprogressout(struct progressout *w)
{
	if (!w)
		return;
	unlink(w->path);
	progressfree(&w->p);
	free(w->path);
	free(w);
}

char *
progressfile(const char *state, const char *id)
{
	char *rec = statein(state, STATEPROGRESS, id), *path = xasprintf("%s" COUNTSUFFIX, rec);

	free(rec);
	return path;
}

void
progressgone(const char *state, const char *id)
{
	char *rec = statein(state, STATEPROGRESS, id), *cnt = progressfile(state, id);

	unlink(rec), unlink(cnt);
	free(rec), free(cnt);
}

/* a command's own count into p, from its file (the time of the count: the file's) */
static void
usercount(const char *state, struct progress *p)
{
	char *path = progressfile(state, p->id);
	long long done, total, t;
	struct buf b;
	bool partial;

	if (readtail(path, MAXCOUNT, &b, &partial, NULL, 0) == 0 && progressuser(b.s, b.len, partial, &done, &total) &&
	    (t = fsmtime(path)) > 0) {
		p->done = done, p->total = total;
		/* the time of the count itself: no write pending since */
		p->time = t / 1e9, p->every = 0;
	}
	buffree(&b);
	free(path);
}

/* the record at path into p: 0, or -1 when it is none (read READS times, a millisecond apart: it may be being rewritten) */
static int
readrecord(const char *path, struct progress *p)
{
	struct timespec ms = {0, 1000000};
	struct buf b;
	bool partial;
	int k, r = -1;

	for (k = 0; k < READS && r < 0; k++) {
		if (k)
			nanosleep(&ms, NULL);
		if (readtail(path, MAXRECORD, &b, &partial, NULL, 0) == 0 && !partial)
			r = progressparse(b.s, b.len, p, NULL, 0);
		buffree(&b);
	}
	return r;
}

/* the record NAME in the folder dir of state into p: 0 when it is a run's under way, else -1 */
static int
readone(const char *state, const char *dir, const char *name, struct progress *p)
{
	char *path = xasprintf("%s/%s", dir, name), *own = NULL;
	int r = -1;

	p->id = p->host = NULL;
	if (readrecord(path, p) < 0)
		goto out;
	/* the record of its run: named by its id, and the run's lock held */
	own = statein(state, STATEPROGRESS, p->id);
	if (strcmp(basepart(own), name) != 0 || !statelockheld(state, p->id))
		goto out;
	if (p->what == PROGRESSCOMMAND)
		usercount(state, p);
	r = 0;
out:
	if (r < 0)
		progressfree(p);
	free(path), free(own);
	return r;
}

static int
progresscmp(const void *a, const void *b)
{
	return natcmp(((const struct progress *)a)->id, ((const struct progress *)b)->id);
}

struct progress *
progressload(const char *outdir, size_t *n)
{
	char *state = statepath(outdir, STATEDIR, NULL), *dir = statein(state, STATEPROGRESS, NULL);
	struct progress *v = NULL, p;
	struct dirent *e;
	size_t cap = 0;
	DIR *d;

	*n = 0;
	if ((d = opendir(dir))) {
		while ((e = readdir(d))) {
			if (strlen(e->d_name) != PARAMKEYSIZE - 1 || strspn(e->d_name, "0123456789abcdef") != PARAMKEYSIZE - 1 ||
			    readone(state, dir, e->d_name, &p) < 0)
				continue;
			if (*n == cap) {
				cap = cap ? 2 * cap : 8;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			v[(*n)++] = p;
		}
		closedir(d);
	}
	if (*n > 1)
		qsort(v, *n, sizeof(*v), progresscmp);
	free(state), free(dir);
	return v;
}

const struct progress *
progressfind(const struct progress *v, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			return &v[i];
	return NULL;
}

void
delprogresses(struct progress *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		progressfree(&v[i]);
	free(v);
}
