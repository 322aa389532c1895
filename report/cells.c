#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/cores.h"
#include "common/fs.h"
#include "common/state.h"
#include "common/tmpl.h"
#include "common/util.h"
#include "process/workers.h"
#include "cells.h"
#include "columns.h"
#include "ctx.h"
#include "escape.h"
#include "page.h"
#include "rundata.h"
#include "runinfo.h"
#include "runplot.h"
#include "thumb.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* a row shows the first ROWIMAGES images of a command */
enum { ROWIMAGES = 3 };

/* the row being written */
struct row {
	const struct report *r;
	const struct runinfo *ri;
	size_t i;                   /* its index on the page */
	const struct rundata *d;
	bool fresh;                 /* its plots are as they were made last (fresh.h): written only when missing */
	bool eager;                 /* its images' addresses are in their style, not left for the page's script to set */
};

/* s escaped for HTML; caller frees */
static char *
esc(const char *s)
{
	struct buf b;

	bufinit(&b);
	htmlescape(&b, s);
	return b.s;
}

/* the URL of the file NAME (URL-safe already) in the folder of state place f of run id, relative to OUT */
static char *
stateurl(enum statefile f, const char *id, const char *name)
{
	char *dir = statepath(NULL, f, NULL);
	struct buf b;

	bufinit(&b);
	bufprintf(&b, "%s/", dir);
	urlescape(&b, id);
	bufputs(&b, name);
	free(dir);
	return b.s;
}

char *
cellspage(const char *id)
{
	return stateurl(STATEPAGES, id, ".html");
}

/* append a cell: <td ATTRS>HTML</td> */
static int
cell(const struct report *r, struct buf *out, const char *attrs, const char *html, char *err, size_t n)
{
	struct tvar v[] = {{"attrs", attrs}, {"html", html}};

	return tmplsput(&r->t, out, TCELL, v, LEN(v), err, n);
}

/* the attribute that gives an element of w the background image src: its style, or data-i for the page's script */
static char *
background(const struct row *w, const char *src)
{
	struct tvar v[] = {{"src", src}};
	struct buf b;
	char err[256];

	bufinit(&b);
	if (tmplsput(&w->r->t, &b, w->eager ? TBG : TBGLAZY, v, LEN(v), err, sizeof(err)) < 0)
		warn("%s", err);
	return b.s;
}

/* append a cell of template i with one variable "text" (HTML-escaped here) */
static int
textcell(const struct report *r, struct buf *out, const char *attrs, enum tmplid i, const char *text, char *err,
         size_t n)
{
	struct buf html;
	int ret;

	bufinit(&html);
	ret = tmplsputtext(&r->t, &html, i, "text", text, err, n) < 0 ? -1 : cell(r, out, attrs, html.s, err, n);
	buffree(&html);
	return ret;
}

/* append a number cell: text shown, v its value for sorting (NAN: the text's), title its tooltip (HTML-escaped; NULL: none) */
static int
numcell(const struct report *r, struct buf *out, const char *text, double v, const char *title, char *err, size_t n)
{
	struct buf attrs;
	char *e = esc(text);
	int ret;

	bufinit(&attrs);
	bufputs(&attrs, " class=\"n\"");
	if (isfinite(v))
		bufprintf(&attrs, " data-v=\"%.9g\"", v);
	if (title)
		bufprintf(&attrs, " title=\"%s\"", title);
	ret = cell(r, out, attrs.s, e, err, n);
	buffree(&attrs);
	free(e);
	return ret;
}

/* the image product name of ri: its file (*src), its thumbnail's folder and file (*dir, *dst); caller frees */
static void
productpaths(const struct report *r, const struct runinfo *ri, const char *name, char **src, char **dir, char **dst)
{
	*src = xasprintf("%s/%s/%s.png", r->outdir, ri->id, name);
	*dir = statepath(r->outdir, STATETHUMBS, ri->id);
	*dst = xasprintf("%s/%s.png", *dir, name);
}

/* append the thumbnail of ri's image product name, column k (made now when stale, unless cellsthumbs did), or none */
static int
productcell(const struct row *w, struct buf *out, const char *name, size_t k, char *err, size_t n)
{
	const struct report *r = w->r;
	const struct runinfo *ri = w->ri;
	char *png = xasprintf("%s.png", name), *src, *dir, *dst;
	char *thumb = xasprintf("/%s", png), *href = stateurl(STATETHUMBS, ri->id, thumb), *id = esc(ri->id), cause[1024];
	/* made or found fresh by cellsthumbs (so its product is there) */
	bool made = r->thumbs && r->thumbs[w->i * r->ncols + k];
	struct buf full, html;
	int tw, th, ret;

	productpaths(r, ri, name, &src, &dir, &dst);
	bufinit(&full), bufinit(&html);
	urlescape(&full, ri->id);
	bufprintf(&full, "/%s", png);
	if (!made && !exists(src)) {
		free(thumb);
		thumb = xasprintf("no %s", name);
		ret = textcell(r, out, "", TNONE, thumb, err, n);
	} else if (!made &&
	           (mkdirp(dir, cause, sizeof(cause)) < 0 || thumbmake(src, dst, &tw, &th, cause, sizeof(cause)) < 0)) {
		warn("%s", cause);
		ret = textcell(r, out, "", TBAD, cause + strlen(r->outdir) + 1, err, n);
	} else {
		char *bg = background(w, href);
		struct tvar v[] = {{"bg", bg}, {"full", full.s}, {"name", name}, {"id", id}};

		ret = tmplsput(&r->t, &html, TTHUMB, v, LEN(v), err, n) < 0 ? -1 : cell(r, out, "", html.s, err, n);
		free(bg);
	}
	buffree(&full), buffree(&html);
	free(png), free(src), free(dir), free(dst), free(thumb), free(href), free(id);
	return ret;
}

/* is name an image a browser shows as it is, without a thumbnail? */
static bool
shownasis(const char *name)
{
	static const char *const exts[] = {".svg", ".jpg", ".jpeg", ".gif", ".webp"};
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; dot && i < LEN(exts); i++)
		if (strcasecmp(dot, exts[i]) == 0)
			return true;
	return false;
}

/*
 * append the thumbnail of the image OUT/ID/DIR/NAME the command of w wrote (dir: "" or
 * "command/"), made now when stale as OUT/.runja/thumbs/ID/DIR/NAME, or why there is
 * none; an image the browser shows as it is (SVG, JPEG, GIF, WebP) is shown itself
 */
static int
image(const struct row *w, const char *dir, const char *name, struct buf *out, char *err, size_t n)
{
	const struct report *r = w->r;
	const struct runinfo *ri = w->ri;
	char *src = xasprintf("%s/%s/%s%s", r->outdir, ri->id, dir, name), *why, cause[1024];
	char *thumbs = statepath(r->outdir, STATETHUMBS, ri->id), *dst = xasprintf("%s/%s%s", thumbs, dir, name);
	char *tdir = dirpart(dst), *id = esc(ri->id), *ename = esc(name), *href;
	size_t len = strlen(src);
	struct buf full, rel;
	int tw, th, ret;

	bufinit(&full), bufinit(&rel);
	urlescape(&full, ri->id);
	bufputc(&full, '/');
	urlescape(&full, dir);
	urlescape(&full, name);
	bufputc(&rel, '/');
	urlescape(&rel, dir);
	urlescape(&rel, name);
	href = shownasis(name) ? xstrdup(full.s) : stateurl(STATETHUMBS, ri->id, rel.s);
	if (!shownasis(name) &&
	    (mkdirp(tdir, cause, sizeof(cause)) < 0 || thumbmakergb(src, dst, &tw, &th, cause, sizeof(cause)) < 0)) {
		/* the cause alone in the page, which names the file */
		warn("%s", cause);
		why = strncmp(cause, src, len) == 0 && cause[len] == ':' && cause[len + 1] == ' ' ? cause + len + 2 : cause;
		why = esc(why);
		{
			struct tvar v[] = {{"name", ename}, {"why", why}, {"id", id}};

			ret = tmplsput(&r->t, out, TTHUMBERR, v, LEN(v), err, n);
		}
		free(why);
	} else {
		char *bg = background(w, href);
		struct tvar v[] = {{"bg", bg}, {"full", full.s}, {"name", ename}, {"id", id}};

		ret = tmplsput(&r->t, out, TTHUMB, v, LEN(v), err, n);
		free(bg);
	}
	buffree(&full), buffree(&rel);
	free(src), free(thumbs), free(dst), free(tdir), free(id), free(ename), free(href);
	return ret;
}

/* append the cell of the command's images: the first ROWIMAGES that command.report.images names, and the globs that match none */
static int
imagescell(const struct row *w, struct buf *out, char *err, size_t n)
{
	const struct report *r = w->r;
	const struct runinfo *ri = w->ri;
	const char **v, *dir = ri->kind == AFTER ? AFTERDIR "/" : "";
	char *missing;
	size_t i, nv = showimages(&r->show, json_object_get(ri->csum, "outputs"), ROWIMAGES, &v, &missing);
	struct buf html;
	int ret = 0;

	bufinit(&html);
	for (i = 0; i < nv && ret == 0; i++)
		ret = image(w, dir, v[i], &html, err, n);
	if (ret == 0 && (missing || nv == 0))
		ret = tmplsputtext(&r->t, &html, missing ? TBAD : TNONE, "text", missing ? missing : "no images", err, n);
	if (ret == 0)
		ret = cell(r, out, " class=\"imgs\"", html.s, err, n);
	buffree(&html);
	free(v), free(missing);
	return ret;
}

/* append the cell of plot k of ri: the plot written to OUT/.runja/thumbs/ID/NAME.svg (when it changed, or is not there) */
static int
plotcell(const struct row *w, struct buf *out, enum runplot k, char *err, size_t nerr)
{
	const struct report *r = w->r;
	const struct runinfo *ri = w->ri;
	const struct rundata *d = w->d;
	char *id, *dir, *path, *name, *src, *bg;
	struct buf svg;
	int ret;

	if (!runplothas(r, d, k))
		return k == PLOTUSER && d->pwhy ? textcell(r, out, "", TBAD, d->pwhy, err, nerr)
		       : textcell(r, out, "", TNONE, k == PLOTFRONT ? "no front" : k == PLOTUSER ? "no points"
		                  : "no per-frame record yet: processed before runja kept one", err, nerr);
	id = esc(ri->id);
	dir = statepath(r->outdir, STATETHUMBS, ri->id);
	path = xasprintf("%s/%s", dir, runplotname(k));
	name = xasprintf("/%s", runplotname(k));
	src = stateurl(STATETHUMBS, ri->id, name);
	bufinit(&svg);
	ret = w->fresh && exists(path) ? 0
	      : runplotsvg(r, d, k, id, k == PLOTFRONT ? (int)(w->i % 10) : 0, true, true, &svg, err, nerr);
	if (ret == 0 && svg.len)
		ret = writechanged(path, svg.s, svg.len, err, nerr);
	bg = background(w, src);
	if (ret == 0) {
		struct tvar v[] = {{"bg", bg}};

		ret = tmplsput(&r->t, out, TSPARK, v, LEN(v), err, nerr);
	}
	buffree(&svg);
	free(id), free(dir), free(path), free(name), free(src), free(bg);
	return ret;
}

/* append the cell of the frames of ri: those used, and those skipped (listed in its tooltip) */
static int
framescell(const struct report *r, struct buf *out, const struct runinfo *ri, char *err, size_t n)
{
	const json_t *sum = ri->kind == COMMAND ? ri->csum : ri->sum;
	json_t *sk = json_object_get(sum, "skipped"), *e;
	long long used = runinfoint(sum, "frames");
	char text[64];
	struct buf title;
	size_t i;
	int ret;

	bufinit(&title);
	json_array_foreach(sk, i, e) {
		const char *f = json_string_value(json_object_get(e, "file")), *why = json_string_value(json_object_get(e, "error"));

		bufputs(&title, i ? "; " : "skipped: ");
		htmlescape(&title, f ? f : "?");
		bufputs(&title, ": ");
		htmlescape(&title, why ? why : "?");
	}
	if (json_array_size(sk))
		snprintf(text, sizeof(text), "%lld (%zu skipped)", used, json_array_size(sk));
	else
		snprintf(text, sizeof(text), "%lld", used);
	ret = numcell(r, out, text, NAN, title.len ? title.s : NULL, err, n);
	buffree(&title);
	return ret;
}

/* append the cell of value k of the command of ri */
static int
valuecell(const struct report *r, struct buf *out, const struct runinfo *ri, int k, char *err, size_t n)
{
	const struct showgot *g = &ri->got[k];

	if (g->bad)
		return textcell(r, out, "", TBAD, g->text, err, n);
	if (!g->text)
		return cell(r, out, "", "", err, n);
	return isfinite(g->v) ? numcell(r, out, g->text, g->v, NULL, err, n) : textcell(r, out, "", TNONE, g->text, err, n);
}

/* append the cell of column c of run ri (done or new; a kind of column that is not its kind is an empty cell) */
static int
column(const struct row *w, struct buf *out, const struct column *c, char *err, size_t n)
{
	const struct report *r = w->r;
	const struct runinfo *ri = w->ri;
	bool pipe = ri->state == RUNDONE && ri->kind != COMMAND, cmd = ri->kind != PIPELINE && ri->cstate == RUNDONE;
	char text[64];
	json_t *v;
	int ret;

	switch (c->kind) {
	case COLID: {
		char *id = esc(ri->id), *page = cellspage(ri->id);
		struct tvar tv[] = {{"href", page}, {"id", id}};
		struct buf html;

		bufinit(&html);
		ret = tmplsput(&r->t, &html, TIDLINK, tv, LEN(tv), err, n) < 0 ? -1 : cell(r, out, " class=\"id\"", html.s, err, n);
		buffree(&html);
		free(id), free(page);
		return ret;
	}
	case COLSTATE:
		return cell(r, out, " class=\"st\"", runinfostate(ri) == RUNDONE ? "done" : "not processed yet", err, n);
	case COLFRAMES:
		return pipe || cmd ? framescell(r, out, ri, err, n) : cell(r, out, "", "", err, n);
	case COLSIZE:
		if (!pipe)
			break;
		snprintf(text, sizeof(text), "%lld\xc3\x97%lld", runinfoint(ri->sum, "width"), runinfoint(ri->sum, "height"));
		return numcell(r, out, text, (double)(runinfoint(ri->sum, "width") * runinfoint(ri->sum, "height")), NULL, err, n);
	case COLMEAN: {
		double m = json_number_value(json_object_get(ri->sum, "mean"));
		char title[64];

		if (!pipe)
			break;
		snprintf(text, sizeof(text), "%.4g", m);
		snprintf(title, sizeof(title), "std %.4g", json_number_value(json_object_get(ri->sum, "std")));
		return numcell(r, out, text, NAN, title, err, n);
	}
	case COLSPEED:
		if (!pipe || !json_is_number(v = json_object_get(ri->sum, "front_speed")))
			break;
		snprintf(text, sizeof(text), "%.3g", json_number_value(v));
		return numcell(r, out, text, NAN, NULL, err, n);
	case COLVALUE:
		return cmd && ri->got ? valuecell(r, out, ri, c->arg, err, n) : cell(r, out, "", "", err, n);
	case COLTIME:
		if (ri->kind == PIPELINE || ri->seconds < 0 || runinfostate(ri) == RUNNEW)
			break;
		reportduration(text, sizeof(text), ri->seconds);
		return numcell(r, out, text, ri->seconds, NULL, err, n);
	case COLMEM:
		if (ri->kind == PIPELINE || ri->maxrss < 0 || runinfostate(ri) == RUNNEW)
			break;
		snprintf(text, sizeof(text), "%.1f MiB", (double)ri->maxrss / 1024);
		return numcell(r, out, text, NAN, NULL, err, n);
	case COLFRAMEPLOT:
	case COLFRONTPLOT:
		if (!pipe)
			break;
		return plotcell(w, out, c->kind == COLFRAMEPLOT ? PLOTFRAMES : PLOTFRONT, err, n);
	case COLUSERPLOT:
		return cmd ? plotcell(w, out, PLOTUSER, err, n) : cell(r, out, "", "", err, n);
	case COLIMAGE:
		if (!pipe)
			break;
		return productcell(w, out, columnimage(c->arg), (size_t)(c - r->cols), err, n);
	case COLIMAGES:
		return cmd ? imagescell(w, out, err, n) : cell(r, out, "", "", err, n);
	}
	return cell(r, out, "", "", err, n);
}

int
cellsrow(const struct report *r, const struct runinfo *ri, size_t i, const struct rundata *d, bool fresh,
         bool eager, struct buf *out, char *err, size_t n)
{
	struct row w = {r, ri, i, d, fresh, eager};
	char index[32];
	struct buf cells;
	size_t k;
	int ret = 0;

	bufinit(&cells);
	for (k = 0; k < r->ncols && ret == 0; k++)
		ret = column(&w, &cells, &r->cols[k], err, n);
	snprintf(index, sizeof(index), "%zu", i);
	if (ret == 0) {
		struct tvar v[] = {{"index", index}, {"cls", runinfostate(ri) == RUNDONE ? "done" : "new"}, {"cells", cells.s}};

		ret = tmplsput(&r->t, out, TROW, v, LEN(v), err, n);
	}
	buffree(&cells);
	return ret;
}

int
cellsmsgrow(const struct report *r, const struct runinfo *ri, size_t i, struct buf *out, char *err, size_t n)
{
	bool cmd = ri->kind == COMMAND || (ri->kind == AFTER && ri->cstate == RUNFAILED);
	const char *error = cmd ? ri->cerror : ri->error;
	char index[32], dur[64], *id = esc(ri->id), *page = cellspage(ri->id), *e = esc(error ? error : ""), *log = NULL;
	struct buf more;
	int ret = 0;

	bufinit(&more);
	snprintf(index, sizeof(index), "%zu", i);
	if (cmd && ri->seconds >= 0) {
		struct tvar v[] = {{"time", dur}};

		reportduration(dur, sizeof(dur), ri->seconds);
		ret = tmplsput(&r->t, &more, TTIME, v, LEN(v), err, n);
	}
	if (cmd && ri->clog && ret == 0) {
		struct tvar v[] = {{"log", log = esc(ri->clog)}};

		ret = tmplsput(&r->t, &more, TLOG, v, LEN(v), err, n);
	}
	if (ret == 0) {
		bool failed = runinfostate(ri) == RUNFAILED;
		struct tvar v[] = {
			{"index", index}, {"cls", failed ? (ri->quarantined ? "failed quarantined" : "failed") : "waiting"},
			{"href", page}, {"id", id}, {"state", failed ? "failed" : "waiting"}, {"error", e}, {"more", more.s},
		};

		ret = tmplsput(&r->t, out, TROWMSG, v, LEN(v), err, n);
	}
	buffree(&more);
	free(id), free(page), free(e), free(log);
	return ret;
}

/* the thumbnails cellsthumbs computes at once before it saves them: their memory */
enum { THUMBBATCH = 64 };

/* one product thumbnail cellsthumbs makes */
struct thumbjob {
	char *src, *dir, *dst;
	size_t at;     /* its place in r->thumbs */
	int got;       /* thumbcompute's: 1 fresh, 0 computed into png, -1 failed */
	struct buf png;
};

/* compute thumbnail k of the jobs ctx (eachfn: on any thread; it only reads) */
static void
thumbjob(void *ctx, size_t k, int thread)
{
	struct thumbjob *j = (struct thumbjob *)ctx + k;
	char cause[1024];
	int tw, th;

	(void)thread;
	j->got = thumbcompute(j->src, j->dst, &j->png, &tw, &th, cause, sizeof(cause));
}

/*
 * compute the jobs j[0..nj) on the cores of c, then save them on this thread, the only
 * one that writes files (so that a signal's handler finds every temporary file: fs.h);
 * note those done in r->thumbs
 */
static void
thumbbatch(struct report *r, struct thumbjob *j, size_t nj, struct cores *c)
{
	char cause[1024];
	size_t k;

	workeach(nj, thumbjob, j, c);
	for (k = 0; k < nj; k++) {
		if (j[k].got == 0 && (mkdirp(j[k].dir, cause, sizeof(cause)) < 0 ||
		                      thumbsave(j[k].dst, &j[k].png, cause, sizeof(cause)) < 0))
			j[k].got = -1;
		r->thumbs[j[k].at] = j[k].got >= 0;
		buffree(&j[k].png);
		free(j[k].src), free(j[k].dir), free(j[k].dst);
	}
}

void
cellsthumbs(struct report *r)
{
	struct thumbjob j[THUMBBATCH];
	char *cores = statepath(r->outdir, STATECORES, NULL);
	struct cores *c = mkcores(cores, corescpus());
	size_t i, k, nj = 0;

	r->thumbs = xcalloc(r->nruns * r->ncols + 1, 1);
	for (i = 0; i < r->nruns; i++) {
		const struct runinfo *ri = &r->runs[i];
		enum runstate st = runinfostate(ri);

		/* the rows whose product cells show a thumbnail (column's) */
		if (st == RUNFAILED || st == RUNWAITING || ri->state != RUNDONE || ri->kind == COMMAND)
			continue;
		for (k = 0; k < r->ncols; k++) {
			if (r->cols[k].kind != COLIMAGE)
				continue;
			j[nj] = (struct thumbjob){.at = i * r->ncols + k};
			productpaths(r, ri, columnimage(r->cols[k].arg), &j[nj].src, &j[nj].dir, &j[nj].dst);
			if (!exists(j[nj].src)) {
				free(j[nj].src), free(j[nj].dir), free(j[nj].dst);
				continue;
			}
			bufinit(&j[nj].png);
			if (++nj == THUMBBATCH) {
				thumbbatch(r, j, nj, c);
				nj = 0;
			}
		}
	}
	thumbbatch(r, j, nj, c);
	delcores(c);
	free(cores);
}
