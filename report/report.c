#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/fs.h"
#include "common/state.h"
#include "common/util.h"
#include "ctx.h"
#include "escape.h"
#include "page.h"
#include "report.h"
#include "runinfo.h"

/* append the summary.csv row of ri: only its id when it is not done; a command's run has no pipeline figures; then the values of show */
static void
csvrow(struct buf *b, const struct runinfo *ri, const struct show *show)
{
	json_t *v;
	size_t i;

	csvescape(b, ri->id);
	if (ri->state != RUNDONE) {
		bufputs(b, ",,,,,,,");
	} else if (ri->kind == COMMAND) {
		bufprintf(b, ",%lld,%zu,,,,,", runinfoint(ri->csum, "frames"),
		          json_array_size(json_object_get(ri->csum, "skipped")));
	} else {
		bufprintf(b, ",%lld,%zu,%lld,%lld,%.9g,%.9g,", runinfoint(ri->sum, "frames"),
		          json_array_size(json_object_get(ri->sum, "skipped")), runinfoint(ri->sum, "width"),
		          runinfoint(ri->sum, "height"), json_number_value(json_object_get(ri->sum, "mean")),
		          json_number_value(json_object_get(ri->sum, "std")));
		if (json_is_number(v = json_object_get(ri->sum, "front_speed")))
			bufprintf(b, "%.9g", json_number_value(v));
	}
	/* a value that is not there is empty, as is one that is no number or text */
	for (i = 0; i < show->nvalues; i++) {
		bufputc(b, ',');
		if (ri->got && !ri->got[i].bad && ri->got[i].text)
			csvescape(b, ri->got[i].text);
	}
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
		runinforead(r->outdir, line, &r->show, addrun(r));
		r->nruns++;
	}
}

/* the time and peak memory of each run's last attempt, from the ledger, when there is one */
static void
readtimes(struct report *r)
{
	const struct ledgerentry *last;
	size_t i;

	for (i = 0; i < r->nruns; i++)
		if ((last = ledgerlast(r->ledger, r->runs[i].id))) {
			r->runs[i].seconds = last->seconds;
			r->runs[i].maxrss = last->maxrss;
		}
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
		*addrun(r) = (struct runinfo){.id = line, .state = RUNWAITING, .error = xstrdup(tab + 1), .seconds = -1,
		                              .maxrss = -1, .acq = NAN};
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
	bufputs(&csv, "run,frames,skipped,width,height,mean,std,front_speed");
	for (i = 0; i < r->show.nvalues; i++)
		bufprintf(&csv, ",%s", r->show.values[i].name);
	bufputc(&csv, '\n');
	for (i = 0; i < r->nruns; i++) {
		csvrow(&csv, &r->runs[i], &r->show);
		if (failed && runinfostate(&r->runs[i]) == RUNFAILED)
			bufprintf(failed, "%s%s\n", r->runs[i].quarantined ? "\t" : "", r->runs[i].id);
	}
	ret = writereplace(path, csv.s, csv.len, err, n);
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
	struct buf list, waiting;
	char *path = statepath(outdir, STATERUNS, NULL);
	size_t i;
	int ret = -1;

	bufinit(&list), bufinit(&waiting);
	if (tmplsload(&r.t, tdir, err, n) < 0 || showload(outdir, &r.show, err, n) < 0)
		goto out;
	buffree(&list);
	if (readfile(path, &list, err, n) < 0)
		goto out;
	r.ledger = ledgerload(outdir);
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
		ret = pagewrite(&r, err, n);
	if (ret == 0)
		ret = dateafter(&r, err, n);
out:
	for (i = 0; i < r.nruns; i++)
		runinfofree(&r.runs[i], r.show.nvalues);
	free(r.runs), free(r.cols), free(r.thumbs);
	delledger(r.ledger);
	deltmpls(&r.t);
	delshow(&r.show);
	free(path);
	buffree(&list);
	buffree(&waiting);
	return ret;
}
