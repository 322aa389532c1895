#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "common/fs.h"
#include "common/progress.h"
#include "common/state.h"
#include "common/util.h"
#include "eta.h"
#include "status.h"
#include "watch.h"

/* the bytes of the end of a failed command's log that its last lines are taken from */
#define LOGBYTES 65536
/* the lines of a failed command's log shown */
enum { LOGLINES = 5 };

/* the last (up to) LOGLINES lines of a failed command's log OUT/.runja/failed/ID/runja.log, as a JSON array */
static json_t *
logtail(const struct emit *e, const char *id)
{
	char *path = statepath(e->c->outdir, STATEFAILLOG, id);
	struct logline lines[LOGLINES];
	json_t *a = json_array();
	size_t n = 0, k;
	struct buf b;
	bool partial, cut = false;

	if (readtail(path, LOGBYTES, &b, &partial, NULL, 0) == 0)
		n = statetail(b.s, b.len, partial, lines, LOGLINES, &cut);
	/* a line that begins before what was read is left out */
	for (k = cut ? 1 : 0; k < n; k++) {
		char *text = xasprintf("%.*s", (int)lines[k].len, lines[k].s);
		json_t *l = json_string(text);  /* NULL when not UTF-8 */

		json_array_append_new(a, l ? l : json_string("(a line that is not UTF-8)"));
		free(text);
	}
	buffree(&b);
	free(path);
	return a;
}

/* what --status says of one run */
struct row {
	const char *id;                /* the run */
	enum runstate state;           /* as checkrun says, or RUNWAITING */
	bool quarantined;              /* failed and quarantined */
	const char *reason;            /* why it is in that state, or NULL */
	const struct ledgerentry *e;   /* its last attempt, or NULL */
	json_t *log;                   /* a failed command's last log lines (taken), or NULL */
	const struct progress *p;      /* its attempt under way, or NULL */
	struct eta eta;                /* how far p is */
};

/* t (seconds since the epoch) as UTC ISO 8601, as the ledger writes it, into s */
static void
isotime(char *s, size_t n, double t)
{
	time_t sec = (time_t)t;
	struct tm tm;

	gmtime_r(&sec, &tm);
	strftime(s, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* a count or a time of the attempt under way as JSON: null when v < 0 */
static json_t *
jsonornull(double v, bool integer)
{
	return v < 0 ? json_null() : integer ? json_integer((json_int_t)v) : json_real(v);
}

/* the JSON of r->p, an attempt under way */
static json_t *
jsonprogress(const struct row *r)
{
	static const char *const from[] = {[ETANONE] = NULL, [ETAPACE] = "pace", [ETAHISTORY] = "history"};
	char when[32];

	isotime(when, sizeof(when), r->p->start);
	return json_pack("{s:s,s:s,s:s,s:f,s:o,s:o,s:o,s:o,s:o}", "what",
	                 r->p->what == PROGRESSCOMMAND ? "command" : "pipeline", "host", r->p->host, "started", when,
	                 "elapsed", r->eta.elapsed, "done", jsonornull((double)r->p->done, true), "total",
	                 jsonornull((double)r->p->total, true), "left", jsonornull(r->eta.left, false), "estimate",
	                 from[r->eta.from] ? json_string(from[r->eta.from]) : json_null(), "usual",
	                 jsonornull(r->eta.usual, false));
}

/* append r's JSON object to arr */
static void
jsonrow(json_t *arr, const struct row *r)
{
	const struct ledgerentry *e = r->e;
	const char *error = e && *e->error ? e->error : NULL;
	json_t *o = json_pack("{s:s,s:s}", "run", r->id, "state", r->p ? "running" : staterunname(r->state));

	json_object_set_new(o, "reason", r->reason ? json_string(r->reason) : json_null());
	json_object_set_new(o, "quarantined", json_boolean(r->quarantined));
	json_object_set_new(o, "when", e ? json_string(e->when) : json_null());
	json_object_set_new(o, "seconds", e ? json_real(e->seconds) : json_null());
	json_object_set_new(o, "peak_kib", e ? json_integer(e->maxrss) : json_null());
	json_object_set_new(o, "host", e ? json_string(e->host) : json_null());
	json_object_set_new(o, "job", e && strcmp(e->job, "-") ? json_string(e->job) : json_null());
	json_object_set_new(o, "error", error ? json_string(error) : json_null());
	if (r->p)
		json_object_set_new(o, "progress", jsonprogress(r));
	if (r->log)
		json_object_set_new(o, "log", json_incref(r->log));
	json_array_append_new(arr, o);
}

/* append to line what is under way of r->p: when it began, for how long, how far, where */
static void
textprogress(struct buf *line, const struct row *r)
{
	char when[32], host[256] = "";

	isotime(when, sizeof(when), r->p->start);
	bufprintf(line, "  %s  %8.2f s  ", when, r->eta.elapsed);
	etadetail(line, r->p, &r->eta);
	gethostname(host, sizeof(host) - 1);
	if (strcmp(host, r->p->host) != 0)
		bufprintf(line, "%son %s", line->s[line->len - 1] == ' ' ? "" : ", ", r->p->host);
}

/* print r's line, and a failed command's last log lines below it */
static void
textrow(FILE *out, int width, const struct row *r)
{
	const struct ledgerentry *e = r->e;
	const char *error = e && *e->error ? e->error : NULL;
	struct buf line;
	size_t k;

	bufinit(&line);
	bufprintf(&line, "%-*s  %-7s", width, r->id, r->p ? "running" : staterunname(r->state));
	if (r->p)
		textprogress(&line, r);
	else if (e)
		bufprintf(&line, "  %s  %8.2f s  %7.1f MiB", e->when, e->seconds, e->maxrss / 1024.0);
	if (!r->p && r->state == RUNFAILED && error)
		bufprintf(&line, "  %s%s", r->quarantined ? "quarantined: " : "", error);
	else if (!r->p && r->reason && (r->state == RUNSTALE || r->state == RUNWAITING || r->state == RUNFAILED))
		bufprintf(&line, "  (%s)", r->reason);  /* a failure without a ledger line: its record */
	/* the columns pad the last word too: no spaces at the end of a line */
	while (line.len && line.s[line.len - 1] == ' ')
		line.s[--line.len] = '\0';
	fprintf(out, "%s\n", line.s);
	buffree(&line);
	for (k = 0; r->log && k < json_array_size(r->log); k++)
		fprintf(out, "%*s| %s\n", width + 2, "", json_string_value(json_array_get(r->log, k)));
}

void
printstatus(const struct emit *e, const struct waiting *waiting, size_t nwaiting, bool json, FILE *out)
{
	struct ledger *ledger = ledgerload(e->c->outdir);
	json_t *arr = json ? json_array() : NULL;
	size_t i, nrunning;
	struct progress *running = progressload(e->c->outdir, &nrunning);
	double now = fsnow() / 1e9;
	char *reason, *quar;
	int width = 3;

	for (i = 0; i < e->s->nruns; i++)
		width = (int)strlen(e->s->runs[i].id) > width ? (int)strlen(e->s->runs[i].id) : width;
	for (i = 0; i < nwaiting; i++)
		width = (int)strlen(waiting[i].id) > width ? (int)strlen(waiting[i].id) : width;
	for (i = 0; i < e->s->nruns + nwaiting; i++) {
		struct row r = {0};

		if (i < e->s->nruns) {
			r.id = e->s->runs[i].id;
			quar = statepath(e->c->outdir, STATEQUARANTINE, r.id);
			r.state = checkrun(e, i, &reason);
			r.reason = reason;
			r.quarantined = r.state == RUNFAILED && exists(quar);
			r.e = ledgerlast(ledger, r.id);
			r.p = progressfind(running, nrunning, r.id);
			r.log = e->c->cmd.run && r.state == RUNFAILED && !r.p ? logtail(e, r.id) : NULL;
			free(quar);
		} else {
			r = (struct row){.id = waiting[i - e->s->nruns].id, .state = RUNWAITING,
			                 .reason = waiting[i - e->s->nruns].why};
			reason = NULL;
		}
		if (r.p)
			etaof(r.p, ledger, now, &r.eta);
		if (arr)
			jsonrow(arr, &r);
		else
			textrow(out, width, &r);
		json_decref(r.log);
		free(reason);
	}
	if (arr) {
		char *s = json_dumps(arr, JSON_INDENT(2) | JSON_REAL_PRECISION(9));

		fprintf(out, "%s\n", s);
		free(s);
		json_decref(arr);
	}
	delprogresses(running, nrunning);
	delledger(ledger);
}

int
statusshow(const struct emit *e, const struct waiting *waiting, size_t nwaiting, bool json, const char *watch, FILE *out)
{
	if (watch)
		return watchstatus(e, nwaiting, *watch ? watchinterval(watch) : 0, out);
	printstatus(e, waiting, nwaiting, json, out);
	return 0;
}
