#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/fs.h"
#include "common/state.h"
#include "common/tmpl.h"
#include "common/util.h"
#include "cells.h"
#include "columns.h"
#include "ctx.h"
#include "escape.h"
#include "fresh.h"
#include "page.h"
#include "rundata.h"
#include "runinfo.h"
#include "runpage.h"
#include "runplot.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* a run's page shows the last LOGLINES lines of its command's log, read from its last LOGBYTES */
enum { LOGLINES = 40, LOGBYTES = 16384 };
/* and its last MAXATTEMPTS attempts */
enum { MAXATTEMPTS = 50 };
/* a summary's value longer than this is cut */
enum { MAXVALUE = 4000 };

/* the page being written */
struct runp {
	const struct report *r;
	const struct runinfo *ri;
	const struct rundata *d;
	size_t index;
	char *up;          /* from the page to OUT: "../../" and one "../" a folder of the id */
	char *id;          /* HTML-escaped */
	struct buf out;    /* the sections */
	char *err;
	size_t n;
};

/* append a row of a table of names and values: k plain text, v HTML (html) or plain text */
static int
kv(struct runp *p, struct buf *rows, const char *k, const char *v, bool html)
{
	struct buf ek, ev;
	int ret;

	bufinit(&ek), bufinit(&ev);
	htmlescape(&ek, k);
	if (!html)
		htmlescape(&ev, v);
	{
		struct tvar tv[] = {{"k", ek.s}, {"v", html ? v : ev.s}};

		ret = tmplsput(&p->r->t, rows, TKV, tv, LEN(tv), p->err, p->n);
	}
	buffree(&ek), buffree(&ev);
	return ret;
}

/* append a section: its anchor, title (plain text) and body (HTML; a table of rows when table) */
static int
section(struct runp *p, const char *anchor, const char *title, const char *body, bool table)
{
	struct buf et, b;
	int ret = 0;

	bufinit(&et), bufinit(&b);
	htmlescape(&et, title);
	if (table) {
		struct tvar v[] = {{"rows", body}};

		ret = tmplsput(&p->r->t, &b, TKVTABLE, v, LEN(v), p->err, p->n);
	} else {
		bufputs(&b, body);
	}
	if (ret == 0) {
		struct tvar v[] = {{"anchor", anchor}, {"title", et.s}, {"body", b.s}};

		ret = tmplsput(&p->r->t, &p->out, TSECTION, v, LEN(v), p->err, p->n);
	}
	buffree(&et), buffree(&b);
	return ret;
}

/* the figures a run's pipeline is: state, frames, size, intensity, front speed, first frame, last attempt */
static int
facts(struct runp *p)
{
	const struct runinfo *ri = p->ri;
	const json_t *sum = ri->kind == COMMAND ? ri->csum : ri->sum;
	const struct ledgerentry *last = ledgerlast(p->r->ledger, ri->id);
	char s[256], dur[64];
	struct buf rows;
	json_t *v;
	int ret = 0;

	bufinit(&rows);
	ret = kv(p, &rows, "State", runinfostate(ri) == RUNNEW ? "not processed yet" : staterunname(runinfostate(ri)),
	         false);
	if (ret == 0 && sum) {
		snprintf(s, sizeof(s), "%lld used of %lld, %zu skipped", runinfoint(sum, "frames"),
		         json_is_integer(json_object_get(sum, "frames_found")) ? runinfoint(sum, "frames_found")
		                                                               : runinfoint(sum, "frames"),
		         json_array_size(json_object_get(sum, "skipped")));
		ret = kv(p, &rows, "Frames", s, false);
	}
	if (ret == 0 && ri->sum && ri->kind != COMMAND) {
		snprintf(s, sizeof(s), "%lld \xc3\x97 %lld px", runinfoint(ri->sum, "width"), runinfoint(ri->sum, "height"));
		ret = kv(p, &rows, "Size", s, false);
		snprintf(s, sizeof(s), "mean %.6g, std %.6g", json_number_value(json_object_get(ri->sum, "mean")),
		         json_number_value(json_object_get(ri->sum, "std")));
		ret = ret < 0 ? -1 : kv(p, &rows, "Intensity", s, false);
		if (ret == 0 && json_is_number(v = json_object_get(ri->sum, "front_speed"))) {
			snprintf(s, sizeof(s), "%.6g px/frame", json_number_value(v));
			ret = kv(p, &rows, "Front speed", s, false);
		}
	}
	if (ret == 0 && isfinite(ri->acq)) {
		time_t t = (time_t)floor(ri->acq);
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S UTC", &tm);
		ret = kv(p, &rows, "First frame written", s, false);
	}
	if (ret == 0 && last) {
		reportduration(dur, sizeof(dur), last->seconds);
		snprintf(s, sizeof(s), "%s, %s, %.1f MiB, on %s, exit %s", last->when, dur, (double)last->maxrss / 1024,
		         last->host, last->status);
		ret = kv(p, &rows, "Last attempt", s, false);
	}
	if (ret == 0)
		ret = section(p, "run", "Run", rows.s, true);
	buffree(&rows);
	return ret;
}

/* the error of a failed or waiting run (the end of its command's log follows: logtail) */
static int
trouble(struct runp *p)
{
	const struct runinfo *ri = p->ri;
	enum runstate st = runinfostate(ri);
	bool cmd = ri->kind == COMMAND || (ri->kind == AFTER && ri->cstate == RUNFAILED);
	const char *e = cmd ? ri->cerror : ri->error;
	struct buf rows;
	int ret;

	if (st != RUNFAILED && st != RUNWAITING)
		return 0;
	bufinit(&rows);
	ret = kv(p, &rows, st == RUNFAILED ? "Error" : "Why", e ? e : "", false);
	if (ret == 0)
		ret = section(p, "error", st == RUNFAILED ? "Failed" : "Waiting", rows.s, true);
	buffree(&rows);
	return ret;
}

/* the values of command.report.values */
static int
values(struct runp *p)
{
	const struct show *s = &p->r->show;
	struct buf rows, h;
	size_t i;
	int ret = 0;

	if (!p->ri->got)
		return 0;
	bufinit(&rows), bufinit(&h);
	for (i = 0; i < s->nvalues && ret == 0; i++) {
		const struct showgot *g = &p->ri->got[i];

		if (!g->bad) {
			ret = kv(p, &rows, s->values[i].name, g->text ? g->text : "", false);
			continue;
		}
		h.len = 0;
		h.s[0] = '\0';
		ret = tmplsputtext(&p->r->t, &h, TBAD, "text", g->text, p->err, p->n) < 0 ? -1
		      : kv(p, &rows, s->values[i].name, h.s, true);
	}
	if (ret == 0)
		ret = section(p, "values", "Values", rows.s, true);
	buffree(&rows), buffree(&h);
	return ret;
}

/* the run's plots, large: per frame, the front, the command's */
static int
plots(struct runp *p)
{
	static const char *const titles[NRUNPLOTS] = {"Per frame: mean, between min and max", "Front position", ""};
	static const char *const anchors[NRUNPLOTS] = {"frames", "front", "plot"};
	const struct runinfo *ri = p->ri;
	struct buf svg, title;
	int k, ret = 0;

	bufinit(&svg), bufinit(&title);
	for (k = 0; k < NRUNPLOTS && ret == 0; k++) {
		bool has = runplothas(p->r, p->d, (enum runplot)k);

		if ((k == PLOTFRAMES && (!ri->sum || ri->kind == COMMAND)) || (k == PLOTFRONT && !p->d->nfront) ||
		    (k == PLOTUSER && !p->r->show.plotfile) || (k == PLOTUSER && !has && !p->d->pwhy))
			continue;
		svg.len = title.len = 0;
		svg.s[0] = title.s[0] = '\0';
		bufputs(&title, titles[k]);
		if (k == PLOTUSER)
			bufprintf(&title, "%s over %s, from %s", p->r->show.ploty, p->r->show.plotx ? p->r->show.plotx : "row",
			          p->r->show.plotfile);
		else if (k == PLOTFRAMES && p->d->fsrc)
			bufprintf(&title, " (from %s)", p->d->fsrc);
		if (has) {
			ret = runplotsvg(p->r, p->d, (enum runplot)k, p->id, k == PLOTFRONT ? (int)(p->index % 10) : 0, false,
			                 false, &svg, p->err, p->n);
		} else {
			ret = tmplsputtext(&p->r->t, &svg, k == PLOTUSER ? TBAD : TNONE, "text",
			                   k == PLOTUSER ? p->d->pwhy : k == PLOTFRONT ? "no front in any frame"
			                   : "none: the run was processed before runja kept a per-frame record, and has no "
			                     "stats.csv; its next processing adds one", p->err, p->n);
		}
		if (ret == 0)
			ret = section(p, anchors[k], title.s, svg.s, false);
	}
	buffree(&svg), buffree(&title);
	return ret;
}

/* append the figure of the file OUT/ID/DIR/NAME (name plain) */
static int
figure(struct runp *p, struct buf *out, const char *dir, const char *name)
{
	struct buf src, ename;
	int ret;

	bufinit(&src), bufinit(&ename);
	bufputs(&src, p->up);
	urlescape(&src, p->ri->id);
	bufputc(&src, '/');
	urlescape(&src, dir);
	urlescape(&src, name);
	htmlescape(&ename, name);
	{
		struct tvar v[] = {{"href", src.s}, {"src", src.s}, {"name", ename.s}, {"id", p->id}};

		ret = tmplsput(&p->r->t, out, TFIGURE, v, LEN(v), p->err, p->n);
	}
	buffree(&src), buffree(&ename);
	return ret;
}

/* every image product, and every image of the command, at full size */
static int
images(struct runp *p)
{
	const struct runinfo *ri = p->ri;
	json_t *prods = json_object_get(ri->sum, "products");
	const char **v, *dir = ri->kind == AFTER ? AFTERDIR "/" : "";
	char *missing = NULL, *png;
	size_t k, nv = 0;
	struct buf figs;
	int ret = 0;

	bufinit(&figs);
	for (k = 0; k < NIMAGEPRODUCTS && ret == 0 && ri->kind != COMMAND; k++) {
		if (!json_object_get(prods, columnimage((int)k)))
			continue;
		png = xasprintf("%s.png", columnimage((int)k));
		ret = figure(p, &figs, "", png);
		free(png);
	}
	if (ri->kind != PIPELINE && ri->cstate == RUNDONE) {
		nv = showimages(&p->r->show, json_object_get(ri->csum, "outputs"), 0, &v, &missing);
		for (k = 0; k < nv && ret == 0; k++)
			ret = figure(p, &figs, dir, v[k]);
		free(v);
	}
	if (ret == 0 && missing)
		ret = tmplsputtext(&p->r->t, &figs, TBAD, "text", missing, p->err, p->n);
	if (ret == 0 && figs.len)
		ret = section(p, "images", "Images", figs.s, false);
	free(missing);
	buffree(&figs);
	return ret;
}

/* the text of a summary's value j (not an object) into b, cut at MAXVALUE bytes: lists of strings joined by spaces, of numbers by commas */
static void
valuetext(struct buf *b, const json_t *j)
{
	bool strs = json_is_array(j), nums = json_is_array(j);
	char num[64], *s;
	json_t *e;
	size_t i;

	json_array_foreach(j, i, e) {
		strs = strs && json_is_string(e);
		nums = nums && json_is_number(e);
	}
	if (json_is_string(j)) {
		bufputs(b, json_string_value(j));
	} else if (json_is_number(j)) {
		reportnumber(num, sizeof(num), json_number_value(j));
		bufputs(b, num);
	} else if (json_array_size(j) && (strs || nums)) {
		json_array_foreach(j, i, e) {
			if (strs) {
				bufprintf(b, "%s%s", i ? " " : "", json_string_value(e));
			} else {
				reportnumber(num, sizeof(num), json_number_value(e));
				bufprintf(b, "%s%s", i ? ", " : "", num);
			}
		}
	} else if ((s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY))) {
		bufputs(b, s);
		free(s);
	}
	if (b->len > MAXVALUE) {
		b->len = MAXVALUE;
		bufputs(b, "\xe2\x80\xa6");
	}
}

/* a row per value of the object j into rows, named by their keys after prefix ("" at the top), objects within it flattened */
static int
flatten(struct runp *p, struct buf *rows, const char *prefix, json_t *j)
{
	const char *key;
	json_t *v;
	struct buf t;
	char *name;
	int ret = 0;

	bufinit(&t);
	json_object_foreach(j, key, v) {
		name = *prefix ? xasprintf("%s.%s", prefix, key) : xstrdup(key);
		if (json_is_object(v) && json_object_size(v)) {
			ret = flatten(p, rows, name, v);
		} else {
			t.len = 0;
			t.s[0] = '\0';
			valuetext(&t, v);
			ret = kv(p, rows, name, t.s, false);
		}
		free(name);
		if (ret < 0)
			break;
	}
	buffree(&t);
	return ret;
}

/* the summaries: the pipeline's, the command's */
static int
summaries(struct runp *p)
{
	const struct runinfo *ri = p->ri;
	json_t *sums[] = {ri->kind == COMMAND ? NULL : ri->sum, ri->csum};
	static const char *const titles[] = {"summary.json", AFTERDIR "/summary.json"};
	struct buf rows;
	size_t k;
	int ret = 0;

	bufinit(&rows);
	for (k = 0; k < LEN(sums) && ret == 0; k++) {
		if (!sums[k])
			continue;
		rows.len = 0;
		rows.s[0] = '\0';
		ret = flatten(p, &rows, "", sums[k]);
		if (ret == 0)
			ret = section(p, ri->kind == AFTER && k ? "command-summary" : "summary", ri->kind == AFTER ? titles[k] : titles[0],
			              rows.s, true);
	}
	buffree(&rows);
	return ret;
}

/* the end of the command's log: of its results when done, of its failure record when failed */
static int
logtail(struct runp *p)
{
	const struct runinfo *ri = p->ri;
	char *dir, *path;
	struct buf text, plain, pre;
	bool partial;
	int ret = 0;

	if (ri->kind == PIPELINE || (ri->cstate != RUNDONE && ri->cstate != RUNFAILED))
		return 0;
	if (ri->cstate == RUNDONE) {
		dir = runinfocmddir(p->r->outdir, ri);
		path = xasprintf("%s/%s", dir, staterecordname(STATELOG));
		free(dir);
	} else {
		path = statepath(p->r->outdir, STATEFAILLOG, ri->id);
	}
	bufinit(&plain), bufinit(&pre);
	if (readtail(path, LOGBYTES, &text, &partial, NULL, 0) == 0)
		reportlogtail(&plain, text.s, text.len, partial, LOGLINES);
	buffree(&text);
	if (plain.len && (ret = tmplsputtext(&p->r->t, &pre, TLOG, "log", plain.s, p->err, p->n)) == 0)
		ret = section(p, "log", "The end of its log", pre.s, false);
	buffree(&plain), buffree(&pre);
	free(path);
	return ret;
}

/* the attempts of the run in the ledger, newest first */
static int
attempts(struct runp *p)
{
	const struct ledgerentry *e = ledgerlast(p->r->ledger, p->ri->id);
	char dur[64], mem[64];
	struct buf rows, table, f[4];
	size_t k, i;
	int ret = 0;

	if (!e)
		return 0;
	bufinit(&rows), bufinit(&table);
	for (k = 0; k < LEN(f); k++)
		bufinit(&f[k]);
	for (i = 0; e && i < MAXATTEMPTS && ret == 0; e = ledgerbefore(p->r->ledger, e), i++) {
		const char *raw[LEN(f)] = {e->when, e->host, e->status, e->error};

		for (k = 0; k < LEN(f); k++) {
			f[k].len = 0;
			f[k].s[0] = '\0';
			htmlescape(&f[k], raw[k]);
		}
		reportduration(dur, sizeof(dur), e->seconds);
		snprintf(mem, sizeof(mem), "%.1f MiB", (double)e->maxrss / 1024);
		{
			struct tvar v[] = {{"cls", strcmp(e->status, "0") == 0 ? "done" : "failed"}, {"when", f[0].s},
			                   {"time", dur}, {"mem", mem}, {"host", f[1].s}, {"status", f[2].s}, {"error", f[3].s}};

			ret = tmplsput(&p->r->t, &rows, TATTEMPT, v, LEN(v), p->err, p->n);
		}
	}
	if (ret == 0) {
		struct tvar v[] = {{"rows", rows.s}};

		ret = tmplsput(&p->r->t, &table, TATTEMPTS, v, LEN(v), p->err, p->n);
	}
	if (ret == 0)
		ret = section(p, "attempts", "Attempts (from the ledger, newest first)", table.s, false);
	for (k = 0; k < LEN(f); k++)
		buffree(&f[k]);
	buffree(&rows), buffree(&table);
	return ret;
}

int
runpagewrite(const struct report *r, const struct runinfo *ri, size_t i, const struct rundata *d, uint64_t sig,
             char *err, size_t n)
{
	struct runp p = {.r = r, .ri = ri, .d = d, .index = i, .err = err, .n = n};
	char index[32], sigline[64], *page = statepath(r->outdir, STATEPAGES, ri->id), *path = xasprintf("%s.html", page), *css;
	struct buf up, folder, html;
	const char *c;
	int ret;

	bufinit(&up), bufinit(&folder), bufinit(&p.out);
	bufputs(&up, "../../");
	for (c = ri->id; *c; c++)
		if (*c == '/')
			bufputs(&up, "../");
	bufprintf(&folder, "%s", up.s);
	urlescape(&folder, ri->id);
	bufputc(&folder, '/');
	p.up = up.s;
	bufinit(&html);
	htmlescape(&html, ri->id);
	p.id = html.s;
	bufinit(&html);
	snprintf(index, sizeof(index), "%zu", i);
	freshline(sigline, sizeof(sigline), sig);
	css = xasprintf("%s" STATENAME "/%s", up.s, RUNPAGECSS);
	ret = trouble(&p) < 0 || facts(&p) < 0 || values(&p) < 0 || plots(&p) < 0 || images(&p) < 0 ||
	      summaries(&p) < 0 || logtail(&p) < 0 || attempts(&p) < 0 ? -1 : 0;
	if (ret == 0) {
		const char *state = runinfostate(ri) == RUNNEW ? "not processed yet" : staterunname(runinfostate(ri));
		struct tvar v[] = {
			{"id", p.id}, {"state", ri->quarantined ? "failed, quarantined" : state}, {"index", index},
			{"up", up.s}, {"folder", folder.s}, {"css", css}, {"sections", p.out.s}, {"sig", sigline},
		};

		ret = tmplsput(&r->t, &html, TRUNPAGE, v, LEN(v), err, n);
	}
	if (ret == 0)
		ret = writechanged(path, html.s, html.len, err, n);
	buffree(&up), buffree(&folder), buffree(&html), buffree(&p.out);
	free(p.id), free(page), free(path), free(css);
	return ret;
}

int
runpagecss(const struct report *r, char *err, size_t n)
{
	char *path = xasprintf("%s/" STATENAME "/%s", r->outdir, RUNPAGECSS);
	struct buf css;
	int ret;

	bufinit(&css);
	bufputs(&css, r->t.t[TSTYLE].s);
	bufputs(&css, r->t.t[TPLOTCSS].s);
	ret = writechanged(path, css.s, css.len, err, n);
	buffree(&css);
	free(path);
	return ret;
}
