#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "inputs.h"
#include "natsort.h"
#include "paramkey.h"
#include "state.h"
#include "util.h"

/* the fields of a ledger line, and of one written before the parameters key was */
enum { LEDGERFIELDS = 10, LEDGERNOKEY = 9 };

/* a place in STATE: FOLDER[/ID][/RECORD] */
struct place {
	const char *dir;  /* folder under STATE, or NULL for STATE itself */
	bool perrun;      /* a folder per run: the run id follows */
	int record;       /* the record in it (enum staterecord), or -1 */
	bool hashed;      /* the run's file is named by a hash of its id: one flat folder, a name any parser reads */
};

/* where each place of enum statefile is */
static const struct place places[] = {
	[STATEDIR] = {NULL, false, -1},
	[STATERUNS] = {"runs", false, -1},
	[STATEWAITING] = {"waiting", false, -1},
	[STATERECHECK] = {"recheck", false, -1},
	[STATELEDGER] = {"ledger.tsv", false, -1},
	[STATEFAILED] = {"failed", true, -1},
	[STATEFAILERROR] = {"failed", true, STATEERROR},
	[STATEFAILLOG] = {"failed", true, STATELOG},
	[STATEWORK] = {"work", true, -1},
	[STATEALIAS] = {"alias", false, -1},
	[STATETHUMBS] = {"thumbs", true, -1},
	[STATEWARM] = {"warm", false, -1},
	[STATEJOBS] = {"jobs", false, -1},
	[STATELOCK] = {"locks", true, -1, true},
	[STATEQUARANTINE] = {"quarantine", true, -1},
	[STATETRIED] = {"tried", true, -1},
	[STATEENDED] = {"ended", true, -1, true},
	[STATECMDENDED] = {"ended-command", true, -1, true},
	[STATEREPORTLOCK] = {"report.lock", false, -1},
	[STATEQLIST] = {"quarantined", false, -1},
	[STATEPAGES] = {"pages", true, -1},
	[STATEREPORTCFG] = {"report.json", false, -1},
	[STATEPROGRESS] = {"progress", true, -1, true},
	[STATECORES] = {"cores", false, -1},
	[STATEPROGRAMS] = {"programs", false, -1},
	[STATEOWNER] = {"owner", false, -1},
};

/* the file names of enum staterecord */
static const char *const recordnames[] = {
	[STATEERROR] = "error.txt",
	[STATELOG] = "runja.log",
	[STATEDEP] = STATENAME ".d",
	[STATESTAMP] = STATENAME ".done",
	[STATEINPUTS] = STATENAME ".inputs",
	[STATEFRAMES] = STATENAME ".frames",
	[STATESUMMARY] = "summary.json",
};

/* the names of enum runstate */
static const char *const runnames[NRUNSTATES] = {
	[RUNNEW] = "new",
	[RUNWAITING] = "waiting",
	[RUNDONE] = "done",
	[RUNFAILED] = "failed",
	[RUNSTALE] = "stale",
};

/* an attempt read back and the number of its line, so that a run's last line wins */
struct numbered {
	struct ledgerentry e;  /* the attempt */
	size_t line;           /* its line number, from 1 */
};

/* a ledger read back; v is sorted by run id in natural order, then by line */
struct ledger {
	char *text;          /* the ledger's text, cut into fields; owned */
	struct numbered *v;  /* every attempt, nv of them; owned */
	size_t nv;
	size_t *last;        /* the index in v of each run's last attempt, nlast of them (one per run); owned */
	size_t nlast;
};

char *
statein(const char *state, enum statefile f, const char *id)
{
	const struct place *p = &places[f];
	struct buf b;

	bufinit(&b);
	bufputs(&b, state);
	if (p->dir)
		bufprintf(&b, "/%s", p->dir);
	if (p->perrun && id && p->hashed)
		bufprintf(&b, "/%016llx", (unsigned long long)inputshash(id, strlen(id)));
	else if (p->perrun && id)
		bufprintf(&b, "/%s", id);
	if (p->record >= 0)
		bufprintf(&b, "/%s", recordnames[p->record]);
	return b.s;
}

char *
statepath(const char *outdir, enum statefile f, const char *id)
{
	char *state = outdir ? xasprintf("%s/" STATENAME, outdir) : xstrdup(STATENAME);
	char *path = statein(state, f, id);

	free(state);
	return path;
}

const char *
staterecordname(enum staterecord r)
{
	return recordnames[r];
}

char *
staterecord(const char *dir, const char *id, enum staterecord r)
{
	return id ? xasprintf("%s/%s/%s", dir, id, recordnames[r]) : xasprintf("%s/%s", dir, recordnames[r]);
}

int
stateended(const char *state, enum statefile f, const char *id, long long notbefore, char *err, size_t n)
{
	char *path = statein(state, f, id), *dir = dirpart(path);
	int fd, r = -1;

	if (mkdirp(dir, err, n) < 0)
		goto out;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666)) < 0) {
		seterr(err, n, "%s:", path);
		goto out;
	}
	close(fd);
	r = touch(path, err, n);
	if (r == 0 && notbefore > 0)
		r = fsdateafter(path, notbefore, err, n);
out:
	free(path), free(dir);
	return r;
}

bool
stateidok(const char *id)
{
	const char *p = id, *slash;
	size_t len;

	if (!*id || *id == '/')
		return false;
	for (;; p = slash + 1) {
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!slash)
			return true;
	}
}

int
stateendedagain(const char *state, enum statefile f, const char *id, long long newest, char *err, size_t n)
{
	char *path = statein(state, f, id);
	int r = exists(path) ? 0 : stateended(state, f, id, newest > fsnow() ? newest : 0, err, n);

	free(path);
	return r;
}

void
statequarantined(const char *state, struct buf *b)
{
	char *dir = statein(state, STATEQUARANTINE, NULL), **v;
	size_t nv, i, len;

	bufinit(b);
	if (listtree(dir, &v, &nv, NULL, 0) == 0) {
		for (i = 0; i < nv; i++) {
			len = strlen(v[i]);
			if (len < 2 || strcmp(v[i] + len - 2, ".d") != 0)
				bufprintf(b, "%s\n", v[i]);
		}
		delstrv(v, nv);
	}
	free(dir);
}

const char *
staterunname(enum runstate s)
{
	return runnames[s];
}

int
statelist(const char *outdir, enum statefile f, const char *text, const char *old, char *err, size_t n)
{
	char *path = statepath(outdir, f, NULL);
	struct buf b = {0};
	int r = 0;

	if (!old && readfile(path, &b, NULL, 0) == 0)
		old = b.s;
	if (!old || strcmp(old, text) != 0)
		r = writeatomic(path, text, strlen(text), err, n);
	buffree(&b);
	free(path);
	return r;
}

char *
statefailure(const char *outdir, const char *id, bool command)
{
	return command ? statepath(outdir, STATEFAILERROR, id) : staterecord(outdir, id, STATEERROR);
}

int
statefailwrite(const char *dir, const char *line, char *err, size_t n)
{
	char *path = staterecord(dir, NULL, STATEERROR), *text = xasprintf("%s\n", line);
	int r = writeatomic(path, text, strlen(text), err, n);

	free(path), free(text);
	return r;
}

char *
statefailread(const char *path)
{
	char err[512];
	struct buf b;

	if (!exists(path))
		return NULL;
	if (readfile(path, &b, err, sizeof(err)) < 0) {
		buffree(&b);
		return xstrdup(err);
	}
	b.s[strcspn(b.s, "\n")] = '\0';
	return b.s;
}

/* append s with tabs and line breaks made spaces, so a field stays one field */
static void
field(struct buf *b, const char *s)
{
	for (; *s; s++)
		bufputc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* the ledger line of a into b (initialised here) */
static void
formatline(struct buf *b, const struct attempt *a)
{
	char host[256] = "-", when[32];
	const char *job = getenv("SLURM_JOB_ID"), *step = getenv("SLURM_STEP_ID");
	time_t t = (time_t)a->start;
	struct tm tm;

	gethostname(host, sizeof(host) - 1);
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	bufinit(b);
	field(b, a->id);
	bufprintf(b, "\t%s\t%.3f\t%ld\t", when, a->seconds, a->maxrss);
	field(b, host);
	if (a->signal && sigabbrev_np(a->signal))
		bufprintf(b, "\tSIG%s\t%s\t", sigabbrev_np(a->signal), RUNJA_VERSION);
	else if (a->signal)
		bufprintf(b, "\tSIG%d\t%s\t", a->signal, RUNJA_VERSION);
	else
		bufprintf(b, "\t%d\t%s\t", a->status, RUNJA_VERSION);
	if (job)
		bufprintf(b, "%s.%s", job, step ? step : "0");
	else
		bufputc(b, '-');
	bufputc(b, '\t');
	field(b, a->error ? a->error : "");
	bufputc(b, '\t');
	field(b, a->key ? a->key : "-");
	bufputc(b, '\n');
}

int
ledgerappend(const char *ledger, const struct attempt *a, char *err, size_t n)
{
	struct buf b;
	ssize_t w;
	int fd;

	formatline(&b, a);
	if ((fd = open(ledger, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666)) < 0) {
		seterr(err, n, "%s:", ledger);
		goto err0;
	}
	w = write(fd, b.s, b.len);
	if (w != (ssize_t)b.len) {
		seterr(err, n, "%s: write error:", ledger);
		goto err1;
	}
	if (close(fd) < 0) {
		seterr(err, n, "%s: write error:", ledger);
		goto err0;
	}
	buffree(&b);
	return 0;
err1:
	close(fd);
err0:
	buffree(&b);
	return -1;
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
	ledger = statein(state, STATELEDGER, NULL);
	if (ledgerappend(ledger, a, err, sizeof(err)) < 0 && a->status == 0 && !a->signal && !a->error)
		warn("%s", err);
	free(ledger);
}

/* is s a parameters key: 16 lowercase hex digits? */
static bool
iskey(const char *s)
{
	return strlen(s) == PARAMKEYSIZE - 1 && strspn(s, "0123456789abcdef") == PARAMKEYSIZE - 1;
}

/* cut line (its line break left out) into the fields of e: 0, or -1 when it is no attempt */
static int
parseline(char *line, struct ledgerentry *e)
{
	char *f[LEDGERFIELDS], *tab, *end;
	size_t k;

	for (k = 0;; k++) {
		f[k] = line;
		if (!(tab = strchr(line, '\t')))
			break;
		if (k + 1 == LEDGERFIELDS)
			return -1;  /* more fields than written: ran into the next line */
		*tab = '\0';
		line = tab + 1;
	}
	if ((k + 1 != LEDGERFIELDS && k + 1 != LEDGERNOKEY) || !*f[0])
		return -1;
	*e = (struct ledgerentry){f[0], f[1], 0, 0, f[4], f[5], f[6], f[7], f[8], NULL};
	if (k + 1 == LEDGERFIELDS && strcmp(f[9], "-") != 0) {
		if (!iskey(f[9]))
			return -1;
		e->key = f[9];
	}
	e->seconds = strtod(f[2], &end);
	if (end == f[2] || *end || !isfinite(e->seconds) || e->seconds < 0)
		return -1;
	errno = 0;
	e->maxrss = strtoll(f[3], &end, 10);
	if (end == f[3] || *end || errno || e->maxrss < 0)
		return -1;
	return 0;
}

/* the order of attempts: by run, then by line */
static int
numberedcmp(const void *a, const void *b)
{
	const struct numbered *x = a, *y = b;
	int c = natcmp(x->e.id, y->e.id);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* the ledger of text (len bytes, NUL after them; taken) */
static struct ledger *
parseledger(char *text, size_t len)
{
	struct ledger *l = xcalloc(1, sizeof(*l));
	char *line = text, *end = text + len, *nl;
	size_t cap = 0, nline = 0, i, j;
	struct ledgerentry e;

	l->text = text;
	/* what follows the last line break is a line cut short: never an attempt */
	for (; (nl = memchr(line, '\n', (size_t)(end - line))); line = nl + 1) {
		*nl = '\0';
		nline++;
		/* a NUL byte inside the line is garbage too */
		if (strlen(line) != (size_t)(nl - line) || parseline(line, &e) < 0)
			continue;
		if (l->nv == cap) {
			cap = cap ? 2 * cap : 64;
			l->v = xreallocarray(l->v, cap, sizeof(*l->v));
		}
		l->v[l->nv++] = (struct numbered){e, nline};
	}
	if (l->nv > 1)
		qsort(l->v, l->nv, sizeof(*l->v), numberedcmp);
	l->last = xreallocarray(NULL, l->nv + 1, sizeof(*l->last));
	for (i = j = 0; i < l->nv; i++)
		if (i + 1 == l->nv || strcmp(l->v[i].e.id, l->v[i + 1].e.id) != 0)
			l->last[j++] = i;
	l->nlast = j;
	return l;
}

struct ledger *
mkledger(const char *text, size_t len)
{
	char *copy = xmalloc(len + 1);

	memcpy(copy, text, len);
	copy[len] = '\0';
	return parseledger(copy, len);
}

struct ledger *
ledgerload(const char *outdir)
{
	char *path = statepath(outdir, STATELEDGER, NULL);
	struct buf b;

	if (readfile(path, &b, NULL, 0) < 0)
		b.len = 0;
	free(path);
	return parseledger(b.s, b.len);
}

/* the index in l->v of run id's last attempt, or -1 */
static long
lastof(const struct ledger *l, const char *id)
{
	size_t lo = 0, hi = l->nlast, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = natcmp(id, l->v[l->last[mid]].e.id)) == 0)
			return (long)l->last[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

const struct ledgerentry *
ledgerlast(const struct ledger *l, const char *id)
{
	long i = lastof(l, id);

	return i < 0 ? NULL : &l->v[i].e;
}

const struct ledgerentry *
ledgerbefore(const struct ledger *l, const struct ledgerentry *e)
{
	const struct numbered *x = (const struct numbered *)e;

	return x > l->v && strcmp(x[-1].e.id, e->id) == 0 ? &x[-1].e : NULL;
}

long long
ledgerpeak(const struct ledger *l, const char *id, const char *key, size_t recent)
{
	long long peak = -1;
	long i = lastof(l, id);

	/* a run's attempts are together in v, its last one last: walk back from it */
	for (; i >= 0 && recent > 0 && strcmp(l->v[i].e.id, id) == 0; i--) {
		const struct ledgerentry *e = &l->v[i].e;

		if (!e->key || strcmp(e->key, key) != 0 || strcmp(e->status, "0") != 0)
			continue;
		recent--;
		if (e->maxrss > peak)
			peak = e->maxrss;
	}
	return peak;
}

const struct ledgerentry *
ledgerattempt(const struct ledger *l, size_t i)
{
	return i < l->nv ? &l->v[i].e : NULL;
}

size_t
ledgernruns(const struct ledger *l)
{
	return l->nlast;
}

void
delledger(struct ledger *l)
{
	if (!l)
		return;
	free(l->text);
	free(l->v);
	free(l->last);
	free(l);
}

size_t
statetail(const char *text, size_t len, bool partial, struct logline *lines, size_t max, bool *cut)
{
	const char *end = text + len, *start, *nl, *e;
	size_t k = 0, n = 0;

	*cut = false;
	while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	if (end == text || max == 0)
		return 0;
	for (start = end; start > text; start--)
		if (start[-1] == '\n' && ++k == max)
			break;
	*cut = partial && start == text;
	for (;; start = nl + 1) {
		if (!(nl = memchr(start, '\n', (size_t)(end - start))))
			nl = end;
		for (e = nl; e > start && e[-1] == '\r'; e--)
			;
		lines[n++] = (struct logline){start, (size_t)(e - start)};
		if (nl == end)
			return n;
	}
}

struct logline *
statetailalloc(const char *text, size_t len, bool partial, size_t max, size_t *n, bool *cut)
{
	struct logline *lines = xreallocarray(NULL, max + 1, sizeof(*lines));

	*n = statetail(text, len, partial, lines, max, cut);
	return lines;
}

void
stateplain(struct buf *out, const struct logline *l)
{
	const char *s = l->s, *end = l->s + l->len, *cr;

	for (cr = end; cr > s; cr--)
		if (cr[-1] == '\r') {
			s = cr;
			break;
		}
	for (; s < end; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == 0x1b && s + 1 < end && s[1] == '[') {
			/* ESC [ parameters final byte (a terminal's colours) */
			for (s += 2; s < end && !((unsigned char)*s >= 0x40 && (unsigned char)*s <= 0x7e); s++)
				;
			if (s == end)
				break;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			bufputs(out, "\xef\xbf\xbd");
		} else {
			bufputc(out, c);
		}
	}
}
