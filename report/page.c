#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fs.h"
#include "common/tmpl.h"
#include "common/util.h"
#include "cells.h"
#include "columns.h"
#include "ctx.h"
#include "escape.h"
#include "fresh.h"
#include "overview.h"
#include "page.h"
#include "plot.h"
#include "rundata.h"
#include "runinfo.h"
#include "runpage.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* rows per table: a table the browser has not scrolled to is not laid out */
enum { CHUNKROWS = 100 };
/* the height in px a table of the runs is estimated at per row, and one of the failed and waiting runs */
enum { ROWPX = 85, MSGPX = 34 };
/*
 * the images of the first EAGERROWS rows of the runs' tables have their addresses in
 * their style; the others' are set by the page's script when their table comes near
 * the screen: a browser resolves every address in a style as it reads the page, which
 * at 10,000 runs is a third of the time it takes to show it
 */
enum { EAGERROWS = 2 * CHUNKROWS };
/* the fronts of every run are drawn together for at most MAXFRONTS runs */
enum { MAXFRONTS = 100, NCOLORS = 10 };

/* the runs of one folder, or those that need attention: their rows, in tables of CHUNKROWS */
struct group {
	char *name;            /* the folder, HTML-escaped; owned */
	struct buf chunks;     /* the tables written so far */
	struct buf rows;       /* the rows of the table being filled */
	size_t nrows;          /* in rows */
	int count[NRUNSTATES]; /* its runs by state */
	int nquarantined;
};

/* the page being written */
struct pagew {
	struct report *r;
	struct group attention;
	struct group *groups;   /* by folder, in the order first seen; ngroups, owned */
	size_t ngroups;
	struct buf cols;        /* the <col>s of every table */
	struct buf ths;         /* the header cells of the table */
	struct buf css;         /* the CSS of the columns' widths */
	struct overview ov;
	uint64_t base;          /* the signature every run's outputs share (fresh.h) */
	struct series *fronts;  /* every run's front, while there are at most MAXFRONTS; owned with their data */
	char **frontids;        /* their ids, HTML-escaped; owned */
	size_t *frontidx;       /* their indexes in the page */
	size_t nfronts;
	bool toomanyfronts;
	size_t nrows;           /* rows of the runs' tables so far */
};

void
reportnumber(char *s, size_t n, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(s, n, "%.0f", v);
	else
		snprintf(s, n, "%.9g", v);
}

void
reportduration(char *s, size_t n, double sec)
{
	long t;

	if (sec < 59.95) {
		snprintf(s, n, "%.1f s", sec);
		return;
	}
	t = lround(sec);
	if (t < 3600)
		snprintf(s, n, "%ld min %02ld s", t / 60, t % 60);
	else
		snprintf(s, n, "%ld h %02ld min", t / 3600, t % 3600 / 60);
}

/*
 * "N runs: D done, F failed (Q quarantined), W waiting, K not processed yet" into b;
 * the counts that are 0 left out, but for done, failed and waiting when all
 */
static void
counts(struct buf *b, const int *count, int nquar, bool all)
{
	static const struct {
		enum runstate st;
		const char *what;
		bool always;
	} parts[] = {{RUNDONE, "done", true}, {RUNFAILED, "failed", true}, {RUNWAITING, "waiting", true},
	             {RUNNEW, "not processed yet", false}};
	const char *sep = ": ";
	int total = 0, i;

	for (i = 0; i < NRUNSTATES; i++)
		total += count[i];
	bufprintf(b, "%d run%s", total, total == 1 ? "" : "s");
	for (i = 0; i < (int)LEN(parts); i++) {
		if (!count[parts[i].st] && !(all && parts[i].always))
			continue;
		bufprintf(b, "%s%d %s", sep, count[parts[i].st], parts[i].what);
		if (parts[i].st == RUNFAILED && nquar)
			bufprintf(b, " (%d quarantined)", nquar);
		sep = ", ";
	}
}

/* close the table being filled in g (the attention table when msg) */
static int
flush(struct pagew *w, struct group *g, bool msg, char *err, size_t n)
{
	char h[32];
	struct tvar v[] = {{"h", h}, {"cols", w->cols.s}, {"rows", g->rows.s}};
	int ret;

	if (!g->nrows)
		return 0;
	snprintf(h, sizeof(h), "%zu", g->nrows * (msg ? MSGPX : ROWPX));
	ret = tmplsput(&w->r->t, &g->chunks, msg ? TCHUNKMSG : TCHUNK, v, LEN(v), err, n);
	g->rows.len = 0;
	g->rows.s[0] = '\0';
	g->nrows = 0;
	return ret;
}

static void
groupinit(struct group *g, const char *name)
{
	struct buf b;

	bufinit(&b);
	htmlescape(&b, name);
	*g = (struct group){.name = b.s};
	bufinit(&g->chunks), bufinit(&g->rows);
}

static void
groupfree(struct group *g)
{
	free(g->name);
	buffree(&g->chunks), buffree(&g->rows);
}

/* the group of the folder of run id, made when new */
static struct group *
groupof(struct pagew *w, const char *id)
{
	const char *slash = strrchr(id, '/');
	char *name = slash ? xasprintf("%.*s", (int)(slash - id), id) : xstrdup("");
	struct buf esc;
	size_t i;

	bufinit(&esc);
	htmlescape(&esc, name);
	for (i = 0; i < w->ngroups && strcmp(w->groups[i].name, esc.s) != 0; i++)
		;
	if (i == w->ngroups) {
		w->groups = xreallocarray(w->groups, w->ngroups + 1, sizeof(*w->groups));
		groupinit(&w->groups[w->ngroups++], name);
	}
	buffree(&esc);
	free(name);
	return &w->groups[i];
}

/* keep the front of run i (its data taken from d) for the plot of every run's front */
static void
keepfront(struct pagew *w, const struct runinfo *ri, size_t i, struct rundata *d)
{
	struct buf id;

	if (!d->nfront || w->toomanyfronts)
		return;
	if (w->nfronts == MAXFRONTS) {
		w->toomanyfronts = true;
		return;
	}
	bufinit(&id);
	htmlescape(&id, ri->id);
	w->fronts = xreallocarray(w->fronts, w->nfronts + 1, sizeof(*w->fronts));
	w->frontids = xreallocarray(w->frontids, w->nfronts + 1, sizeof(*w->frontids));
	w->frontidx = xreallocarray(w->frontidx, w->nfronts + 1, sizeof(*w->frontidx));
	w->fronts[w->nfronts] = (struct series){id.s, d->xi, d->front, d->nfront, (int)(i % NCOLORS)};
	w->frontids[w->nfronts] = id.s;
	w->frontidx[w->nfronts++] = i;
	d->xi = d->front = NULL;
	d->nfront = 0;
}

/* add run i: its row (in the attention table, or its folder's), its page, its point of the overview */
static int
addrun(struct pagew *w, size_t i, char *err, size_t n)
{
	const struct runinfo *ri = &w->r->runs[i];
	enum runstate st = runinfostate(ri);
	bool msg = st == RUNFAILED || st == RUNWAITING;
	struct group *g = msg ? &w->attention : groupof(w, ri->id), *folder = msg ? groupof(w, ri->id) : g;
	uint64_t sig = freshsig(w->r, ri, i, w->base);
	bool fresh = freshis(w->r, ri->id, sig);
	struct rundata d;
	int ret;

	folder->count[st]++;
	folder->nquarantined += ri->quarantined;
	if (msg)
		w->attention.count[st]++, w->attention.nquarantined += ri->quarantined;
	rundataload(w->r, ri, &d);
	ret = msg ? cellsmsgrow(w->r, ri, i, &g->rows, err, n)
	          : cellsrow(w->r, ri, i, &d, fresh, w->nrows++ < EAGERROWS, &g->rows, err, n);
	if (ret == 0 && !fresh)
		ret = runpagewrite(w->r, ri, i, &d, sig, err, n);
	overviewadd(&w->ov, w->r, ri, i);
	keepfront(w, ri, i, &d);
	rundatafree(&d);
	if (ret == 0 && ++g->nrows == CHUNKROWS)
		ret = flush(w, g, msg, err, n);
	return ret;
}

/* append the plot of every run's front and its legend, when there are a few */
static int
frontsplot(struct pagew *w, struct buf *out, char *err, size_t n)
{
	struct plotbox box = {1000, 320, "all", 0, 0, 8, "frame", "front (px)", false, "", ""};
	struct plotdata d = {w->fronts, w->nfronts, NULL, 0, NULL};
	struct buf plot, legend;
	char index[32], color[16];
	size_t i;
	int ret = 0;

	if (!w->nfronts || w->toomanyfronts || !plothasdata(&d))
		return 0;
	bufinit(&plot), bufinit(&legend);
	for (i = 0; i < w->nfronts && ret == 0; i++) {
		struct tvar v[] = {{"index", index}, {"color", color}, {"id", w->frontids[i]}};

		snprintf(index, sizeof(index), "%zu", w->frontidx[i]);
		snprintf(color, sizeof(color), "%d", w->fronts[i].color);
		ret = tmplsput(&w->r->t, &legend, TLEGEND, v, LEN(v), err, n);
	}
	if (ret == 0)
		ret = plotsvg(&plot, &w->r->t.plot, &box, &d, err, n);
	if (ret == 0) {
		struct tvar v[] = {{"plot", plot.s}, {"legend", legend.s}};

		ret = tmplsput(&w->r->t, out, TFRONTS, v, LEN(v), err, n);
	}
	buffree(&plot), buffree(&legend);
	return ret;
}

/* append the section of the failed and waiting runs, when there are any */
static int
attention(struct pagew *w, struct buf *out, char *err, size_t n)
{
	struct group *g = &w->attention;
	struct buf c;
	int ret;

	if (!g->count[RUNFAILED] && !g->count[RUNWAITING])
		return 0;
	bufinit(&c);
	counts(&c, g->count, g->nquarantined, false);
	{
		struct tvar v[] = {{"counts", c.s}, {"chunks", g->chunks.s}};

		ret = tmplsput(&w->r->t, out, TATTENTION, v, LEN(v), err, n);
	}
	buffree(&c);
	return ret;
}

/* append the table: its head, then each folder's runs under a heading (none for a single folder), and the index of the folders */
static int
table(struct pagew *w, struct buf *index, struct buf *out, char *err, size_t n)
{
	struct buf heading, c, items;
	char num[32];
	size_t i;
	int ret;

	bufinit(&heading), bufinit(&c), bufinit(&items);
	{
		struct tvar v[] = {{"cols", w->cols.s}, {"ths", w->ths.s}};

		ret = tmplsput(&w->r->t, out, THEAD, v, LEN(v), err, n);
	}
	for (i = 0; i < w->ngroups && ret == 0; i++) {
		struct group *g = &w->groups[i];
		struct tvar v[] = {{"index", num}, {"name", *g->name ? g->name : "(no folder)"}, {"counts", ""},
		                   {"count", ""}, {"heading", ""}, {"chunks", g->chunks.s}};

		snprintf(num, sizeof(num), "%zu", i);
		c.len = heading.len = 0;
		c.s[0] = heading.s[0] = '\0';
		counts(&c, g->count, g->nquarantined, false);
		v[2].value = v[3].value = c.s;
		if (w->ngroups > 1 && (tmplsput(&w->r->t, &heading, TGROUPHEADING, v, LEN(v), err, n) < 0 ||
		                       tmplsput(&w->r->t, &items, TGROUPITEM, v, LEN(v), err, n) < 0)) {
			ret = -1;
			break;
		}
		v[4].value = heading.s;
		ret = tmplsput(&w->r->t, out, TGROUP, v, LEN(v), err, n);
	}
	snprintf(num, sizeof(num), "%zu", w->ngroups);
	if (ret == 0 && w->ngroups > 1) {
		struct tvar v[] = {{"n", num}, {"items", items.s}};

		ret = tmplsput(&w->r->t, index, TGROUPINDEX, v, LEN(v), err, n);
	}
	buffree(&heading), buffree(&c), buffree(&items);
	return ret;
}

/* write index.html from what w gathered */
static int
writepage(struct pagew *w, char *err, size_t n)
{
	struct buf page, ov, fronts, att, index, tab, cnt;
	char total[32], *path;
	int count[NRUNSTATES] = {0}, nquar = 0, ret;
	size_t i;

	bufinit(&page), bufinit(&ov), bufinit(&fronts), bufinit(&att), bufinit(&index), bufinit(&tab), bufinit(&cnt);
	for (i = 0; i < w->r->nruns; i++) {
		count[runinfostate(&w->r->runs[i])]++;
		nquar += w->r->runs[i].quarantined;
	}
	counts(&cnt, count, nquar, true);
	snprintf(total, sizeof(total), "%zu", w->r->nruns);
	ret = overviewhtml(&w->ov, w->r, &ov, err, n) < 0 || frontsplot(w, &fronts, err, n) < 0 ||
	      flush(w, &w->attention, true, err, n) < 0 || attention(w, &att, err, n) < 0 ||
	      table(w, &index, &tab, err, n) < 0 ? -1 : 0;
	if (ret == 0) {
		struct tvar v[] = {
			{"nruns", total}, {"counts", cnt.s}, {"style", w->r->t.t[TSTYLE].s}, {"plotstyle", w->r->t.t[TPLOTCSS].s},
			{"widths", w->css.s}, {"overview", ov.s}, {"fronts", fronts.s}, {"attention", att.s},
			{"groupindex", index.s}, {"table", tab.s}, {"script", w->r->t.t[TSCRIPT].s},
		};

		ret = tmplsput(&w->r->t, &page, TPAGE, v, LEN(v), err, n);
	}
	if (ret == 0) {
		path = xasprintf("%s/index.html", w->r->outdir);
		ret = writereplace(path, page.s, page.len, err, n);
		free(path);
	}
	buffree(&page), buffree(&ov), buffree(&fronts), buffree(&att), buffree(&index), buffree(&tab), buffree(&cnt);
	return ret;
}

int
pagewrite(struct report *r, char *err, size_t n)
{
	struct pagew w = {.r = r};
	size_t i;
	int ret = 0;

	columnsfor(r);
	groupinit(&w.attention, "");
	bufinit(&w.cols), bufinit(&w.ths), bufinit(&w.css);
	overviewinit(&w.ov, r);
	w.base = freshbase(r);
	ret = columnshead(r, &w.cols, &w.ths, &w.css, err, n) < 0 ? -1 : runpagecss(r, err, n);
	if (ret == 0)
		cellsthumbs(r);
	for (i = 0; i < r->nruns && ret == 0; i++)
		ret = addrun(&w, i, err, n);
	for (i = 0; i < w.ngroups && ret == 0; i++)
		ret = flush(&w, &w.groups[i], false, err, n);
	if (ret == 0)
		ret = writepage(&w, err, n);
	groupfree(&w.attention);
	for (i = 0; i < w.ngroups; i++)
		groupfree(&w.groups[i]);
	for (i = 0; i < w.nfronts; i++)
		free((double *)w.fronts[i].x), free((double *)w.fronts[i].y), free(w.frontids[i]);
	free(w.groups), free(w.fronts), free(w.frontids), free(w.frontidx);
	buffree(&w.cols), buffree(&w.ths), buffree(&w.css);
	deloverview(&w.ov);
	return ret;
}
