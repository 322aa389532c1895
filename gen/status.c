#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/fs.h"
#include "common/state.h"
#include "common/util.h"
#include "status.h"

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

/* print or collect one run's status; e: its last attempt, or NULL; log: a failed command's last log lines (taken), or NULL */
static void
one(json_t *arr, FILE *out, int width, const char *id, enum runstate state, bool quarantined, const char *reason,
    const struct ledgerentry *e, json_t *log)
{
	const char *error = e && *e->error ? e->error : NULL;
	size_t k;

	if (arr) {
		json_t *o = json_pack("{s:s,s:s}", "run", id, "state", staterunname(state));

		json_object_set_new(o, "reason", reason ? json_string(reason) : json_null());
		json_object_set_new(o, "quarantined", json_boolean(quarantined));
		json_object_set_new(o, "when", e ? json_string(e->when) : json_null());
		json_object_set_new(o, "seconds", e ? json_real(e->seconds) : json_null());
		json_object_set_new(o, "peak_kib", e ? json_integer(e->maxrss) : json_null());
		json_object_set_new(o, "host", e ? json_string(e->host) : json_null());
		json_object_set_new(o, "job", e && strcmp(e->job, "-") ? json_string(e->job) : json_null());
		json_object_set_new(o, "error", error ? json_string(error) : json_null());
		if (log)
			json_object_set_new(o, "log", log);
		json_array_append_new(arr, o);
		return;
	}
	{
		struct buf line;

		bufinit(&line);
		bufprintf(&line, "%-*s  %-7s", width, id, staterunname(state));
		if (e)
			bufprintf(&line, "  %s  %8.2f s  %7.1f MiB", e->when, e->seconds, e->maxrss / 1024.0);
		if (state == RUNFAILED && error)
			bufprintf(&line, "  %s%s", quarantined ? "quarantined: " : "", error);
		else if (reason && (state == RUNSTALE || state == RUNWAITING || state == RUNFAILED))
			bufprintf(&line, "  (%s)", reason);  /* a failure without a ledger line: its record */
		/* the columns pad the last word too: no spaces at the end of a line */
		while (line.len && line.s[line.len - 1] == ' ')
			line.s[--line.len] = '\0';
		fprintf(out, "%s\n", line.s);
		buffree(&line);
	}
	for (k = 0; log && k < json_array_size(log); k++)
		fprintf(out, "%*s| %s\n", width + 2, "", json_string_value(json_array_get(log, k)));
	json_decref(log);
}

void
printstatus(const struct emit *e, const struct waiting *waiting, size_t nwaiting, bool json, FILE *out)
{
	struct ledger *ledger = ledgerload(e->c->outdir);
	json_t *arr = json ? json_array() : NULL;
	enum runstate state;
	char *reason;
	size_t i;
	int width = 3;

	for (i = 0; i < e->s->nruns; i++)
		width = (int)strlen(e->s->runs[i].id) > width ? (int)strlen(e->s->runs[i].id) : width;
	for (i = 0; i < nwaiting; i++)
		width = (int)strlen(waiting[i].id) > width ? (int)strlen(waiting[i].id) : width;
	for (i = 0; i < e->s->nruns; i++) {
		const char *id = e->s->runs[i].id;

		char *quar = statepath(e->c->outdir, STATEQUARANTINE, id);

		state = checkrun(e, i, &reason);
		one(arr, out, width, id, state, state == RUNFAILED && exists(quar), reason, ledgerlast(ledger, id),
		    e->c->cmd.run && state == RUNFAILED ? logtail(e, id) : NULL);
		free(reason), free(quar);
	}
	for (i = 0; i < nwaiting; i++)
		one(arr, out, width, waiting[i].id, RUNWAITING, false, waiting[i].why, NULL, NULL);
	if (arr) {
		char *s = json_dumps(arr, JSON_INDENT(2) | JSON_REAL_PRECISION(9));

		fprintf(out, "%s\n", s);
		free(s);
		json_decref(arr);
	}
	delledger(ledger);
}
