#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common/fs.h"
#include "common/state.h"
#include "common/util.h"
#include "escape.h"
#include "page.h"
#include "report.h"
#include "runinfo.h"

/* the runs of the report being written */
struct report {
	const char *outdir;
	struct runinfo *runs;    /* nruns, owned */
	size_t nruns;
	size_t cap;              /* runs allocated */
	int ncommand;            /* runs COMMAND or AFTER */
};

/* append the summary.csv row of ri: only its id when it is not done; a command's run has no pipeline figures */
static void
csvrow(struct buf *b, const struct runinfo *ri)
{
	json_t *v;

	csvescape(b, ri->id);
	if (ri->state != RUNDONE) {
		bufputs(b, ",,,,,,,\n");
		return;
	}
	if (ri->kind == COMMAND) {
		bufprintf(b, ",%lld,%zu,,,,,\n", runinfoint(ri->csum, "frames"),
		          json_array_size(json_object_get(ri->csum, "skipped")));
		return;
	}
	bufprintf(b, ",%lld,%zu,%lld,%lld,%.9g,%.9g,", runinfoint(ri->sum, "frames"),
	          json_array_size(json_object_get(ri->sum, "skipped")), runinfoint(ri->sum, "width"),
	          runinfoint(ri->sum, "height"), json_number_value(json_object_get(ri->sum, "mean")),
	          json_number_value(json_object_get(ri->sum, "std")));
	if (json_is_number(v = json_object_get(ri->sum, "front_speed")))
		bufprintf(b, "%.9g", json_number_value(v));
	bufputc(b, '\n');
}

/* a new entry at the end of r->runs, not counted yet */
static struct runinfo *
addrun(struct report *r)
{
	if (r->nruns == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->runs = xreallocarray(r->runs, r->cap, sizeof(*r->runs));
	}
	return &r->runs[r->nruns];
}

/* read the runs of list, OUT/.runja/runs (one id a line; cut in place, the ids borrowed from it) */
static void
readlist(struct report *r, char *list)
{
	char *line, *next;

	for (line = list; *line; line = next) {
		next = strchr(line, '\n');
		next = next ? (*next = '\0', next + 1) : line + strlen(line);
		if (!*line)
			continue;
		runinforead(r->outdir, line, addrun(r));
		r->ncommand += r->runs[r->nruns].kind != PIPELINE;
		r->nruns++;
	}
}

/* the time of each command's last attempt, from the ledger, when there is one */
static void
readtimes(struct report *r)
{
	const struct ledgerentry *last;
	struct ledger *l;
	size_t i;

	if (!r->ncommand)
		return;
	l = ledgerload(r->outdir);
	for (i = 0; i < r->nruns; i++)
		if (r->runs[i].kind != PIPELINE && (last = ledgerlast(l, r->runs[i].id)))
			r->runs[i].seconds = last->seconds;
	delledger(l);
}

/* add the runs not ready yet (runs.ready, runs.settle) of text, OUT/.runja/waiting ("ID<TAB>why" lines; cut in place) */
static void
readwaiting(struct report *r, char *text)
{
	char *line, *next, *tab;

	for (line = text; *line; line = next) {
		next = strchr(line, '\n');
		next = next ? (*next = '\0', next + 1) : line + strlen(line);
		if (!(tab = strchr(line, '\t')))
			continue;
		*tab = '\0';
		*addrun(r) = (struct runinfo){.id = line, .state = RUNWAITING, .error = xstrdup(tab + 1), .seconds = -1};
		r->nruns++;
	}
}

/* write OUT/summary.csv; append the failed runs' ids to failed (NULL: not) */
static int
writecsv(struct report *r, struct buf *failed, char *err, size_t n)
{
	struct buf csv;
	char *path = xasprintf("%s/summary.csv", r->outdir);
	size_t i;
	int ret;

	bufinit(&csv);
	bufputs(&csv, "run,frames,skipped,width,height,mean,std,front_speed\n");
	for (i = 0; i < r->nruns; i++) {
		csvrow(&csv, &r->runs[i]);
		if (failed && runinfostate(&r->runs[i]) == RUNFAILED)
			bufprintf(failed, "%s%s\n", r->runs[i].quarantined ? "\t" : "", r->runs[i].id);
	}
	ret = writeatomic(path, csv.s, csv.len, err, n);
	buffree(&csv);
	free(path);
	return ret;
}

/* the newest time, ns, of what the report is made from: the run lists and each run's summary.json or stamps */
static long long
newestinput(const struct report *r)
{
	static const char *const names[] = {"summary.json", STATENAME ".done", "command/" STATENAME ".done"};
	long long m = 0, t;
	size_t i, j;
	char *p;

	for (i = 0; i < r->nruns; i++)
		for (j = 0; j < sizeof(names) / sizeof(names[0]); j++) {
			p = xasprintf("%s/%s/%s", r->outdir, r->runs[i].id, names[j]);
			if ((t = fsmtime(p)) > m)
				m = t;
			free(p);
		}
	for (j = STATERUNS; j <= STATEWAITING; j++) {
		p = statepath(r->outdir, (enum statefile)j, NULL);
		if ((t = fsmtime(p)) > m)
			m = t;
		free(p);
	}
	return m;
}

/* date summary.csv and index.html no earlier than what they were made from (dated ahead of this clock), or ninja would redo them every time */
static int
dateafter(const struct report *r, char *err, size_t n)
{
	long long newest = newestinput(r);
	char *csv = xasprintf("%s/summary.csv", r->outdir), *html = xasprintf("%s/index.html", r->outdir);
	int ret = 0;

	if (newest > fsnow())
		ret = fsdateafter(csv, newest, err, n) < 0 || fsdateafter(html, newest, err, n) < 0 ? -1 : 0;
	free(csv), free(html);
	return ret;
}

int
writereport(const char *outdir, const char *tdir, struct buf *failed, char *err, size_t n)
{
	struct report r = {.outdir = outdir};
	struct page *page = NULL;
	struct buf list, waiting;
	char *path = statepath(outdir, STATERUNS, NULL);
	size_t i;
	int ret = -1;

	bufinit(&waiting);
	if (readfile(path, &list, err, n) < 0 || !(page = mkpage(outdir, tdir, err, n)))
		goto out;
	readlist(&r, list.s);
	readtimes(&r);
	free(path);
	path = statepath(outdir, STATEWAITING, NULL);
	buffree(&waiting);
	if (readfile(path, &waiting, NULL, 0) < 0)
		waiting.s[0] = '\0';
	readwaiting(&r, waiting.s);
	if (r.nruns > 1)
		qsort(r.runs, r.nruns, sizeof(*r.runs), runinfocmp);
	if ((ret = writecsv(&r, failed, err, n)) == 0)
		ret = pagewrite(page, r.runs, r.nruns, err, n);
	if (ret == 0)
		ret = dateafter(&r, err, n);
out:
	for (i = 0; i < r.nruns; i++)
		runinfofree(&r.runs[i]);
	free(r.runs);
	delpage(page);
	free(path);
	buffree(&list);
	buffree(&waiting);
	return ret;
}
