#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/fs.h"
#include "common/natsort.h"
#include "common/util.h"
#include "status.h"

/* the fields of one ledger line (pointers into the ledger text) */
struct entry {
	const char *f[9];  /* run, start, seconds, maxrss, host, status, version, job, error */
	size_t order;      /* line number, so the last attempt of a run wins */
};

static int
entrycmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = natcmp(x->f[0], y->f[0]);

	return c ? c : (x->order < y->order ? -1 : x->order > y->order);
}

/* split the ledger text (modified in place) into entries sorted by run, then time */
static struct entry *
parseledger(char *text, size_t *n)
{
	struct entry *v = NULL;
	size_t cap = 0;
	char *line = text, *next;

	*n = 0;
	for (; *line; line = next) {
		struct entry e = {.order = *n};
		int k;

		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		else
			next = line + strlen(line);
		for (k = 0; k < 9; k++) {
			char *tab = strchr(line, '\t');

			e.f[k] = line;
			if (!tab)
				break;
			*tab = '\0';
			line = tab + 1;
		}
		if (k < 8)
			continue;  /* a line cut short (a disk that was full): ignored */
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[(*n)++] = e;
	}
	if (*n > 1)
		qsort(v, *n, sizeof(*v), entrycmp);
	return v;
}

/* the last attempt of run id, or NULL */
static const struct entry *
lastof(const struct entry *v, size_t n, const char *id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (natcmp(v[mid].f[0], id) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && strcmp(v[lo - 1].f[0], id) == 0 ? &v[lo - 1] : NULL;
}

/* the last (up to) five lines of a failed command's log OUT/.runja/failed/ID/runja.log, as a JSON array */
static json_t *
logtail(const struct emit *e, const char *id)
{
	char *path = xasprintf("%s/.runja/failed/%s/runja.log", e->c->outdir, id), *line, *next, *last[5];
	json_t *a = json_array();
	size_t n = 0, k;
	struct buf b;

	if (readfile(path, &b, NULL, 0) == 0) {
		for (line = b.s; *line; line = next) {
			if ((next = strchr(line, '\n')))
				*next++ = '\0';
			else
				next = line + strlen(line);
			if (*line)
				last[n++ % 5] = line;
		}
		for (k = n > 5 ? n - 5 : 0; k < n; k++) {
			json_t *l = json_string(last[k % 5]);  /* NULL when not UTF-8 */

			json_array_append_new(a, l ? l : json_string("(a line that is not UTF-8)"));
		}
	}
	buffree(&b);
	free(path);
	return a;
}

/* print or collect one run's status; log: a failed command's last log lines (taken), or NULL */
static void
one(json_t *arr, FILE *out, int width, const char *id, const char *state, const char *reason,
    const struct entry *e, json_t *log)
{
	const char *error = e && *e->f[8] ? e->f[8] : NULL;
	size_t k;

	if (arr) {
		json_t *o = json_pack("{s:s,s:s}", "run", id, "state", state);

		json_object_set_new(o, "reason", reason ? json_string(reason) : json_null());
		json_object_set_new(o, "when", e ? json_string(e->f[1]) : json_null());
		json_object_set_new(o, "seconds", e ? json_real(strtod(e->f[2], NULL)) : json_null());
		json_object_set_new(o, "peak_kib", e ? json_integer(strtoll(e->f[3], NULL, 10)) : json_null());
		json_object_set_new(o, "host", e ? json_string(e->f[4]) : json_null());
		json_object_set_new(o, "job", e && strcmp(e->f[7], "-") ? json_string(e->f[7]) : json_null());
		json_object_set_new(o, "error", error ? json_string(error) : json_null());
		if (log)
			json_object_set_new(o, "log", log);
		json_array_append_new(arr, o);
		return;
	}
	fprintf(out, "%-*s  %-7s", width, id, state);
	if (e)
		fprintf(out, "  %s  %8.2f s  %7.1f MiB", e->f[1], strtod(e->f[2], NULL), strtoll(e->f[3], NULL, 10) / 1024.0);
	if (strcmp(state, "failed") == 0 && error)
		fprintf(out, "  %s", error);
	else if (reason && (strcmp(state, "stale") == 0 || strcmp(state, "waiting") == 0))
		fprintf(out, "  (%s)", reason);
	fputc('\n', out);
	for (k = 0; log && k < json_array_size(log); k++)
		fprintf(out, "%*s| %s\n", width + 2, "", json_string_value(json_array_get(log, k)));
	json_decref(log);
}

void
printstatus(const struct emit *e, const struct waiting *waiting, size_t nwaiting, bool json, FILE *out)
{
	char *path = xasprintf("%s/.runja/ledger.tsv", e->c->outdir), *reason;
	json_t *arr = json ? json_array() : NULL;
	struct entry *v;
	struct buf ledger;
	size_t nv, i;
	int width = 3;

	if (readfile(path, &ledger, NULL, 0) < 0)
		ledger.s[0] = '\0';
	v = parseledger(ledger.s, &nv);
	for (i = 0; i < e->s->nruns; i++)
		width = (int)strlen(e->s->runs[i].id) > width ? (int)strlen(e->s->runs[i].id) : width;
	for (i = 0; i < nwaiting; i++)
		width = (int)strlen(waiting[i].id) > width ? (int)strlen(waiting[i].id) : width;
	for (i = 0; i < e->s->nruns; i++) {
		const char *id = e->s->runs[i].id, *state = "done";

		reason = checkrun(e, i);
		if (reason && strncmp(reason, "failed", 6) == 0)
			state = "failed";
		else if (reason && strcmp(reason, "new") == 0)
			state = "new";
		else if (reason)
			state = "stale";
		one(arr, out, width, id, state, reason, lastof(v, nv, id),
		    e->c->cmd.run && strcmp(state, "failed") == 0 ? logtail(e, id) : NULL);
		free(reason);
	}
	for (i = 0; i < nwaiting; i++)
		one(arr, out, width, waiting[i].id, "waiting", waiting[i].why, NULL, NULL);
	if (arr) {
		char *s = json_dumps(arr, JSON_INDENT(2) | JSON_REAL_PRECISION(9));

		fprintf(out, "%s\n", s);
		free(s);
		json_decref(arr);
	}
	free(v);
	buffree(&ledger);
	free(path);
}
