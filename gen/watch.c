#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "common/fs.h"
#include "common/state.h"
#include "common/util.h"
#include "watch.h"

/* the cells of a run's bar on a terminal */
enum { BARWIDTH = 20 };
/* the seconds after which a plain line says an unchanged run again */
#define REPEAT 60.0
/* the seconds between two looks while waiting out WATCHGRACE */
#define GRACESTEP 0.25

/* what a plain line last said of a run */
struct said {
	char *id;        /* the run; owned */
	long long done;  /* its count then */
	double at;       /* when */
};

/* what the watch knows between two looks */
struct watch {
	const struct emit *e;
	size_t nwaiting;          /* runs not ready yet */
	enum runstate *states;    /* each run's state (e->s->runs), checked again when its attempt ends */
	struct ledger *ledger;    /* the ledger, read again when an attempt ends */
	struct progress *cur;     /* the attempts under way at the last look, ncur of them */
	size_t ncur;
	struct said *said;        /* plain lines: what each run's last said, nsaid of them */
	size_t nsaid;
	int drawn;                /* on a terminal: the lines drawn last time */
	bool tty;                 /* redraw in place */
	FILE *out;
};

void
watchplain(struct buf *b, const struct progress *p, const struct eta *e)
{
	size_t len;

	if (p->done >= 0 && p->total > 0) {
		etadetail(b, p, e);
		return;
	}
	bufputs(b, "running for ");
	etaduration(b, e->elapsed);
	bufputs(b, ", ");
	len = b->len;
	etadetail(b, p, e);
	/* nothing more known: no comma */
	if (b->len == len)
		b->s[b->len -= 2] = '\0';
}

void
watchbar(struct buf *b, const struct progress *p, const struct eta *e, int width)
{
	int k, full;

	if (p->done >= 0 && p->total > 0) {
		full = (int)floor((double)width * (double)p->done / (double)p->total);
		bufputc(b, '[');
		for (k = 0; k < width; k++)
			bufputc(b, k < full ? '#' : '.');
		bufputs(b, "]  ");
	}
	watchplain(b, p, e);
}

double
watchinterval(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	return *s && !*end && v >= 0.1 && v <= 3600 ? v : -1;
}

/* the index of run id among e's runs, or -1 */
static long
runindex(const struct emit *e, const char *id)
{
	size_t i;

	for (i = 0; i < e->s->nruns; i++)
		if (strcmp(e->s->runs[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* append "N running, N done, N failed, ..." (the states with runs, a run under way counted as running) */
static void
counts(struct buf *b, const struct watch *w)
{
	static const enum runstate order[] = {RUNDONE, RUNFAILED, RUNSTALE, RUNNEW, RUNWAITING};
	size_t n[NRUNSTATES] = {0}, i;
	const char *sep = w->ncur ? ", " : ": ";

	for (i = 0; i < w->e->s->nruns; i++)
		if (!progressfind(w->cur, w->ncur, w->e->s->runs[i].id))
			n[w->states[i]]++;
	n[RUNWAITING] += w->nwaiting;
	if (w->ncur)
		bufprintf(b, "%zu running", w->ncur);
	else
		bufputs(b, "nothing is running");
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (n[order[i]]) {
			bufprintf(b, "%s%zu %s", sep, n[order[i]], staterunname(order[i]));
			sep = ", ";
		}
}

/* the time of day now, "10:00:21", into s */
static void
clock_(char *s, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(s, n, "%H:%M:%S", &tm);
}

/* the plain line of run p when it is new, moved or said long ago (now: seconds since the epoch) */
static void
plainline(struct watch *w, const struct progress *p, double now)
{
	struct said *s = NULL;
	struct eta e;
	struct buf b;
	char t[16];
	size_t i;

	for (i = 0; i < w->nsaid && !s; i++)
		if (strcmp(w->said[i].id, p->id) == 0)
			s = &w->said[i];
	if (s && s->done == p->done && now - s->at < REPEAT)
		return;
	if (!s) {
		w->said = xreallocarray(w->said, w->nsaid + 1, sizeof(*w->said));
		s = &w->said[w->nsaid++];
		s->id = xstrdup(p->id);
	}
	s->done = p->done, s->at = now;
	etaof(p, w->ledger, now, &e);
	bufinit(&b);
	watchplain(&b, p, &e);
	clock_(t, sizeof(t));
	fprintf(w->out, "%s  %s  %s\n", t, p->id, b.s);
	buffree(&b);
}

/* run id's attempt ended (the ledger read since): its state checked again, and a plain line says it */
static void
ended(struct watch *w, const char *id)
{
	long i = runindex(w->e, id);
	const struct ledgerentry *l;
	char *reason = NULL, t[16];

	if (i >= 0)
		w->states[i] = checkrun(w->e, (size_t)i, &reason);
	free(reason);
	if (w->tty)
		return;
	clock_(t, sizeof(t));
	l = ledgerlast(w->ledger, id);
	fprintf(w->out, "%s  %s  ended: %s", t, id, i >= 0 ? staterunname(w->states[i]) : "removed");
	if (l && *l->error && i >= 0 && w->states[i] == RUNFAILED)
		fprintf(w->out, ": %s", l->error);
	fputc('\n', w->out);
}

/* the rows and columns of the terminal out */
static void
termsize(FILE *out, int *rows, int *cols)
{
	struct winsize ws;

	*rows = 24, *cols = 80;
	if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 2 && ws.ws_col > 20)
		*rows = ws.ws_row, *cols = ws.ws_col;
}

/* on the terminal line: erase it and write b (cut to cols - 1 bytes, at a character's start) */
static void
termline(FILE *out, const struct buf *b, int cols)
{
	size_t len = b->len < (size_t)cols - 1 ? b->len : (size_t)cols - 1;

	while (len < b->len && len > 0 && ((unsigned char)b->s[len] & 0xc0) == 0x80)
		len--;
	fprintf(out, "\r%.*s\033[K\n", (int)len, b->s);
}

/* redraw the terminal's lines: a bar per run under way (as many as fit), then the counts */
static void
draw(struct watch *w, double now)
{
	int rows, cols, width = 3, nlines = 0;
	struct buf b;
	struct eta e;
	size_t i, fit;

	termsize(w->out, &rows, &cols);
	fit = w->ncur < (size_t)rows - 2 ? w->ncur : (size_t)rows - 3;
	for (i = 0; i < w->ncur; i++)
		width = (int)strlen(w->cur[i].id) > width ? (int)strlen(w->cur[i].id) : width;
	if (w->drawn)
		fprintf(w->out, "\033[%dA", w->drawn);
	bufinit(&b);
	for (i = 0; i < fit; i++, nlines++) {
		b.len = 0;
		bufprintf(&b, "%-*s  ", width, w->cur[i].id);
		etaof(&w->cur[i], w->ledger, now, &e);
		watchbar(&b, &w->cur[i], &e, BARWIDTH);
		termline(w->out, &b, cols);
	}
	b.len = 0;
	if (fit < w->ncur) {
		bufprintf(&b, "... and %zu more", w->ncur - fit);
		termline(w->out, &b, cols);
		nlines++;
		b.len = 0;
	}
	counts(&b, w);
	if (w->ncur)
		bufputs(&b, "  (Ctrl-C stops watching)");
	termline(w->out, &b, cols);
	fputs("\033[J", w->out);
	w->drawn = nlines + 1;
	buffree(&b);
}

/* look again: what ended since the last look, and the lines; returns the number of runs under way */
static size_t
look(struct watch *w)
{
	struct progress *prev = w->cur;
	size_t nprev = w->ncur, i;
	double now = fsnow() / 1e9;

	w->cur = progressload(w->e->c->outdir, &w->ncur);
	for (i = 0; i < nprev; i++)
		if (!progressfind(w->cur, w->ncur, prev[i].id))
			break;
	/* attempts ended: their ledger lines are new */
	if (i < nprev) {
		delledger(w->ledger);
		w->ledger = ledgerload(w->e->c->outdir);
	}
	for (; i < nprev; i++)
		if (!progressfind(w->cur, w->ncur, prev[i].id))
			ended(w, prev[i].id);
	delprogresses(prev, nprev);
	if (w->tty)
		draw(w, now);
	for (i = 0; !w->tty && i < w->ncur; i++)
		plainline(w, &w->cur[i], now);
	fflush(w->out);
	return w->ncur;
}

/* sleep s seconds */
static void
doze(double s)
{
	struct timespec t = {(time_t)s, (long)((s - floor(s)) * 1e9)};

	while (nanosleep(&t, &t) < 0)
		;
}

int
watchstatus(const struct emit *e, size_t nwaiting, double interval, FILE *out)
{
	bool tty = isatty(fileno(out));
	struct watch w = {.e = e, .nwaiting = nwaiting, .tty = tty, .out = out};
	double idle = -1, step;  /* seconds with nothing under way since something was; -1 before anything was */
	struct buf b;
	char *reason, t[16];
	size_t i;

	w.states = xreallocarray(NULL, e->s->nruns + 1, sizeof(*w.states));
	for (i = 0; i < e->s->nruns; i++) {
		w.states[i] = checkrun(e, i, &reason);
		free(reason);
	}
	w.ledger = ledgerload(e->c->outdir);
	interval = interval > 0 ? interval : tty ? 1 : 10;
	/* until nothing has run for WATCHGRACE seconds: the next run of a build may be about to start */
	for (;;) {
		if (look(&w) > 0)
			idle = 0;
		else if (idle < 0 || idle >= WATCHGRACE)
			break;
		step = w.ncur ? interval : fmin(interval, GRACESTEP);
		doze(step);
		if (!w.ncur)
			idle += step;
	}
	if (!tty) {
		bufinit(&b);
		counts(&b, &w);
		clock_(t, sizeof(t));
		fprintf(out, "%s  %s\n", t, b.s);
		buffree(&b);
	}
	for (i = 0; i < w.nsaid; i++)
		free(w.said[i].id);
	free(w.said), free(w.states);
	delprogresses(w.cur, w.ncur);
	delledger(w.ledger);
	return 0;
}
