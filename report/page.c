#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/fs.h"
#include "common/state.h"
#include "common/tmpl.h"
#include "common/util.h"
#include "escape.h"
#include "page.h"
#include "plot.h"
#include "runinfo.h"
#include "thumb.h"

#ifndef TEMPLATEDIR
#define TEMPLATEDIR "/usr/local/share/runja/templates"
#endif

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* the report's templates, each a file in TEMPLATES/report/ */
enum {
	TPAGE, TROW, TFAILED, TWAITING, TTHUMB, TNOTHUMB, TNOPLOT, TLEGEND, TPLOT, TSERIES, TTICK,
	TROWCMD, TROWAFTER, TCMDDONE, TCMDFAILED, TTIME, TLOG, TTHUMBERR, TNOIMAGES, TCSS, NTMPL
};
static const char *const tmplnames[NTMPL] = {
	"page.html", "row.html", "row-failed.html", "row-waiting.html", "thumb.html", "nothumb.html",
	"noplot.html", "legend.html", "plot.svg", "series.svg", "tick.svg",
	"row-command.html", "row-command-after.html", "command-done.html", "command-failed.html",
	"time.html", "log.html", "thumb-error.html", "noimages.html", "command.css",
};

/* a command run shows its first CMDIMAGES PNG outputs */
enum { CMDIMAGES = 4 };

/* the image products shown as thumbnails, in their columns' order */
static const char *const thumbnames[] = {"mean", "timestack"};

/* colours of the lines: CSS classes c0 ... */
enum { NCOLORS = 10 };

/* the plots' sizes in px */
static const struct plotbox runbox = {260, 110, "run", 0, 0, 3};
static const struct plotbox allbox = {1000, 320, "all", 0, 0, 8};

/* the report page of an output folder */
struct page {
	const char *outdir;      /* borrowed */
	char *tpath[NTMPL];      /* template paths, owned */
	struct buf t[NTMPL];     /* template texts (s NULL: not read) */
	struct plottmpl pt;      /* the plot's templates, borrowed from t */
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

/* the relative URL of id's file name (name: URL-safe, may be ""); caller frees */
static char *
url(const char *id, const char *name)
{
	struct buf b;

	bufinit(&b);
	urlescape(&b, id);
	bufputc(&b, '/');
	bufputs(&b, name);
	return b.s;
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

struct page *
mkpage(const char *outdir, const char *tdir, char *err, size_t n)
{
	struct page *p = xcalloc(1, sizeof(*p));
	char *dir, *self = selfpath(), *exedir = self ? dirpart(self) : NULL;
	size_t i;

	p->outdir = outdir;
	if (tdir) {
		dir = xasprintf("%s/report", tdir);
	} else {
		dir = exedir ? xasprintf("%s/templates/report", exedir) : NULL;
		if (!dir || !exists(dir)) {
			free(dir);
			dir = xstrdup(TEMPLATEDIR "/report");
		}
	}
	free(self), free(exedir);
	for (i = 0; i < NTMPL; i++) {
		p->tpath[i] = xasprintf("%s/%s", dir, tmplnames[i]);
		if (readfile(p->tpath[i], &p->t[i], err, n) < 0) {
			free(dir);
			delpage(p);
			return NULL;
		}
	}
	free(dir);
	p->pt = (struct plottmpl){p->t[TPLOT].s, p->tpath[TPLOT], p->t[TSERIES].s, p->tpath[TSERIES],
	                          p->t[TTICK].s, p->tpath[TTICK]};
	return p;
}

void
delpage(struct page *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < NTMPL; i++) {
		free(p->tpath[i]);
		if (p->t[i].s)
			buffree(&p->t[i]);
	}
	free(p);
}

/* expand template i with vars into out */
static int
expand(struct page *p, struct buf *out, int i, const struct tvar *v, size_t nv, char *err, size_t n)
{
	return tmplexpand(out, p->t[i].s, p->tpath[i], v, nv, err, n);
}

/* append the thumbnail of ri's product name (made now if stale), or that there is none */
static int
thumbcell(struct page *p, struct buf *out, const struct runinfo *ri, const char *name, char *err, size_t n)
{
	char *pngname = xasprintf("%s.png", name), *src = xasprintf("%s/%s/%s", p->outdir, ri->id, pngname);
	char *dir = statepath(p->outdir, STATETHUMBS, ri->id), *dst = xasprintf("%s/%s", dir, pngname);
	char *thumbs = statepath(NULL, STATETHUMBS, NULL), *full = url(ri->id, pngname);
	char *href = xasprintf("%s/%s", thumbs, full);
	char *id = esc(ri->id), ws[16] = "", hs[16] = "", cause[1024];
	struct tvar v[] = {{"src", href}, {"full", full}, {"w", ws}, {"h", hs}, {"name", name}, {"id", id}};
	int w, h, ret;

	if (!exists(src)) {
		ret = expand(p, out, TNOTHUMB, v, LEN(v), err, n);
	} else if (mkdirp(dir, cause, sizeof(cause)) < 0 || thumbmake(src, dst, &w, &h, cause, sizeof(cause)) < 0) {
		warn("%s", cause);
		ret = expand(p, out, TNOTHUMB, v, LEN(v), err, n);
	} else {
		snprintf(ws, sizeof(ws), "%d", w);
		snprintf(hs, sizeof(hs), "%d", h);
		ret = expand(p, out, TTHUMB, v, LEN(v), err, n);
	}
	free(pngname), free(src), free(dir), free(dst), free(thumbs), free(full), free(href), free(id);
	return ret;
}

/* the skipped frames of a summary as one line "file: error; ..." (HTML-escaped); caller frees */
static char *
skippedlist(const struct runinfo *ri)
{
	json_t *sk = json_object_get(ri->sum, "skipped"), *e;
	struct buf b;
	size_t i;

	bufinit(&b);
	json_array_foreach(sk, i, e) {
		const char *f = json_string_value(json_object_get(e, "file"));
		const char *why = json_string_value(json_object_get(e, "error"));

		if (i > 0)
			bufputs(&b, "; ");
		htmlescape(&b, f ? f : "?");
		bufputs(&b, ": ");
		htmlescape(&b, why ? why : "?");
	}
	return b.s;
}

/* the row of run i, ri, that is done */
static int
donerow(struct page *p, struct buf *out, const struct runinfo *ri, size_t i, const char *index, const char *color,
        char *err, size_t n)
{
	struct buf cells[LEN(thumbnames)], front;
	char frames[32], w[32], h[32], skipped[32], speed[32] = "", *id = esc(ri->id), *href = url(ri->id, "");
	char *sklist = skippedlist(ri);
	json_t *v = json_object_get(ri->sum, "front_speed");
	struct series s = {id, ri->fx, ri->fy, ri->nfront, (int)(i % NCOLORS)};
	struct plotbox box = runbox;
	size_t k;
	int ret = -1;

	bufinit(&front);
	for (k = 0; k < LEN(thumbnames); k++)
		bufinit(&cells[k]);
	snprintf(frames, sizeof(frames), "%lld", runinfoint(ri->sum, "frames"));
	snprintf(w, sizeof(w), "%lld", runinfoint(ri->sum, "width"));
	snprintf(h, sizeof(h), "%lld", runinfoint(ri->sum, "height"));
	snprintf(skipped, sizeof(skipped), "%zu", json_array_size(json_object_get(ri->sum, "skipped")));
	if (json_is_number(v))
		snprintf(speed, sizeof(speed), "%.3g", json_number_value(v));
	for (k = 0; k < LEN(thumbnames); k++)
		if (thumbcell(p, &cells[k], ri, thumbnames[k], err, n) < 0)
			goto out;
	v = json_object_get(ri->sum, "frames_found");
	box.x1 = (double)(json_is_integer(v) ? json_integer_value(v) : runinfoint(ri->sum, "frames")) - 1;
	if (plothasdata(&s, 1) ? plotsvg(&front, &p->pt, &box, &s, 1, err, n) < 0
	                       : expand(p, &front, TNOPLOT, NULL, 0, err, n) < 0)
		goto out;
	{
		struct tvar tv[] = {
			{"index", index}, {"color", color}, {"id", id}, {"href", href}, {"frames", frames},
			{"width", w}, {"height", h}, {"skipped", skipped}, {"skippedfiles", sklist},
			{"speed", speed}, {"mean", cells[0].s}, {"timestack", cells[1].s}, {"front", front.s},
		};

		ret = expand(p, out, TROW, tv, LEN(tv), err, n);
	}
out:
	for (k = 0; k < LEN(thumbnames); k++)
		buffree(&cells[k]);
	buffree(&front);
	free(id), free(href), free(sklist);
	return ret;
}

/* does name end in .png (any case)? */
static int
ispng(const char *name)
{
	size_t len = strlen(name);

	return len > 4 && strcasecmp(name + len - 4, ".png") == 0;
}

/* is name a relative path that stays inside its folder (no empty, "." or ".." part)? */
static int
insidename(const char *name)
{
	const char *p = name, *e;

	if (*name == '/')
		return 0;
	for (;; p = e + 1) {
		e = strchrnul(p, '/');
		if (e == p || (e - p == 1 && p[0] == '.') || (e - p == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (!*e)
			return 1;
	}
}

/* append that the command's image name has no thumbnail, and why (plain text) */
static int
nothumbcell(struct page *p, struct buf *out, const struct runinfo *ri, const char *name, const char *why,
            char *err, size_t n)
{
	char *ename = esc(name), *ewhy = esc(why), *id = esc(ri->id);
	struct tvar v[] = {{"name", ename}, {"why", ewhy}, {"id", id}};
	int ret = expand(p, out, TTHUMBERR, v, LEN(v), err, n);

	free(ename), free(ewhy), free(id);
	return ret;
}

/*
 * append the thumbnail of the image OUT/ID/DIR/NAME the command wrote (dir: "" or
 * "command/"), made now if stale as OUT/.runja/thumbs/ID/DIR/NAME, or why there is none
 */
static int
imagecell(struct page *p, struct buf *out, const struct runinfo *ri, const char *dir, const char *name,
          char *err, size_t n)
{
	char *src = xasprintf("%s/%s/%s%s", p->outdir, ri->id, dir, name), *why, cause[1024];
	char *thumbs = statepath(p->outdir, STATETHUMBS, ri->id), *dst = xasprintf("%s/%s%s", thumbs, dir, name);
	char *tdir = dirpart(dst), *id = esc(ri->id), *ename = esc(name), ws[16], hs[16];
	size_t len = strlen(src);
	struct buf full, href;
	int w, h, ret;

	bufinit(&full);
	urlescape(&full, ri->id);
	bufputc(&full, '/');
	urlescape(&full, dir);
	urlescape(&full, name);
	free(thumbs);
	thumbs = statepath(NULL, STATETHUMBS, NULL);
	bufinit(&href);
	bufprintf(&href, "%s/%s", thumbs, full.s);
	if (mkdirp(tdir, cause, sizeof(cause)) < 0 || thumbmakergb(src, dst, &w, &h, cause, sizeof(cause)) < 0) {
		/* the cause alone in the page, which names the file */
		warn("%s", cause);
		why = strncmp(cause, src, len) == 0 && cause[len] == ':' && cause[len + 1] == ' ' ? cause + len + 2 : cause;
		ret = nothumbcell(p, out, ri, name, why, err, n);
	} else {
		snprintf(ws, sizeof(ws), "%d", w);
		snprintf(hs, sizeof(hs), "%d", h);
		{
			struct tvar v[] = {{"src", href.s}, {"full", full.s}, {"w", ws}, {"h", hs}, {"name", ename}, {"id", id}};

			ret = expand(p, out, TTHUMB, v, LEN(v), err, n);
		}
	}
	buffree(&full), buffree(&href);
	free(src), free(thumbs), free(dst), free(tdir), free(id), free(ename);
	return ret;
}

/* append what ri's command did: done, its time and images (in OUT/ID/dir), or failed, its error and log */
static int
commandcell(struct page *p, struct buf *out, const struct runinfo *ri, const char *dir, char *err, size_t n)
{
	struct buf when, images, log;
	char dur[64], *error = NULL, *text = NULL;
	int ret = -1, k = 0;

	bufinit(&when), bufinit(&images), bufinit(&log);
	if (ri->seconds >= 0) {
		struct tvar v[] = {{"time", dur}};

		reportduration(dur, sizeof(dur), ri->seconds);
		if (expand(p, &when, TTIME, v, LEN(v), err, n) < 0)
			goto out;
	}
	if (ri->cstate == RUNDONE) {
		json_t *e;
		size_t i;

		/* the first CMDIMAGES PNG images among its outputs, in their order */
		json_array_foreach(json_object_get(ri->csum, "outputs"), i, e) {
			const char *name = json_string_value(e);

			if (!name || !ispng(name))
				continue;
			if (k++ == CMDIMAGES)
				break;
			if (insidename(name) ? imagecell(p, &images, ri, dir, name, err, n) < 0
			                     : nothumbcell(p, &images, ri, name, "not a file in the run's folder", err, n) < 0)
				goto out;
		}
		if (k == 0 && expand(p, &images, TNOIMAGES, NULL, 0, err, n) < 0)
			goto out;
		{
			struct tvar v[] = {{"time", when.s}, {"images", images.s}};

			ret = expand(p, out, TCMDDONE, v, LEN(v), err, n);
		}
	} else {
		if (ri->clog) {
			struct tvar v[] = {{"log", text = esc(ri->clog)}};

			if (expand(p, &log, TLOG, v, LEN(v), err, n) < 0)
				goto out;
		}
		{
			struct tvar v[] = {{"error", error = esc(ri->cerror ? ri->cerror : "")}, {"time", when.s}, {"log", log.s}};

			ret = expand(p, out, TCMDFAILED, v, LEN(v), err, n);
		}
	}
out:
	buffree(&when), buffree(&images), buffree(&log);
	free(error), free(text);
	return ret;
}

/* append ri's row (the command alone: tmpl TROWCMD) or the line of its command under the pipeline's row (TROWAFTER) */
static int
commandrow(struct page *p, struct buf *out, const struct runinfo *ri, int tmpl, const char *index,
           const char *color, char *err, size_t n)
{
	const char *dir = ri->kind == AFTER ? AFTERDIR "/" : "";
	char frames[32] = "", *id = esc(ri->id), *href = url(ri->id, dir);
	struct buf cell;
	int ret = -1;

	if (ri->cstate == RUNDONE)
		snprintf(frames, sizeof(frames), "%lld", runinfoint(ri->csum, "frames"));
	bufinit(&cell);
	if (commandcell(p, &cell, ri, dir, err, n) == 0) {
		struct tvar v[] = {
			{"index", index}, {"color", color}, {"id", id}, {"href", href},
			{"state", staterunname(ri->cstate)}, {"frames", frames}, {"command", cell.s},
		};

		ret = expand(p, out, tmpl, v, LEN(v), err, n);
	}
	buffree(&cell);
	free(id), free(href);
	return ret;
}

/* append the row of run i, ri (and the line of its command after the pipeline) */
static int
row(struct page *p, struct buf *out, const struct runinfo *ri, size_t i, char *err, size_t n)
{
	char index[32], color[16], *id, *href, *error;
	int ret;

	snprintf(index, sizeof(index), "%zu", i);
	snprintf(color, sizeof(color), "%zu", i % NCOLORS);
	if (ri->kind == COMMAND)
		return commandrow(p, out, ri, TROWCMD, index, color, err, n);
	if (ri->state == RUNDONE) {
		ret = donerow(p, out, ri, i, index, color, err, n);
		if (ret == 0 && ri->kind == AFTER)
			ret = commandrow(p, out, ri, TROWAFTER, index, color, err, n);
		return ret;
	}
	id = esc(ri->id);
	href = url(ri->id, "");
	error = esc(ri->error ? ri->error : ri->state == RUNNEW ? "not processed yet" : "");
	{
		struct tvar v[] = {{"index", index}, {"color", color}, {"id", id}, {"href", href}, {"error", error}};

		ret = expand(p, out, ri->state == RUNFAILED ? TFAILED : TWAITING, v, LEN(v), err, n);
	}
	free(id), free(href), free(error);
	return ret;
}

/* append the plot of the nruns runs' fronts and its legend */
static int
allplot(struct page *p, struct buf *plot, struct buf *legend, const struct runinfo *runs, size_t nruns, char *err,
        size_t n)
{
	struct series *s = xreallocarray(NULL, nruns + 1, sizeof(*s));
	char **ids = xreallocarray(NULL, nruns + 1, sizeof(*ids)), index[32], color[16];
	struct plotbox box = allbox;
	size_t i, ns = 0;
	int ret = 0;

	box.x1 = 1;
	for (i = 0; i < nruns && ret == 0; i++) {
		const struct runinfo *ri = &runs[i];
		json_t *v;

		if (ri->state != RUNDONE || !plothasdata(&(struct series){"", ri->fx, ri->fy, ri->nfront, 0}, 1))
			continue;
		if (json_is_integer(v = json_object_get(ri->sum, "frames_found")) && json_integer_value(v) - 1 > box.x1)
			box.x1 = (double)(json_integer_value(v) - 1);
		ids[ns] = esc(ri->id);
		s[ns] = (struct series){ids[ns], ri->fx, ri->fy, ri->nfront, (int)(i % NCOLORS)};
		snprintf(index, sizeof(index), "%zu", i);
		snprintf(color, sizeof(color), "%zu", i % NCOLORS);
		{
			struct tvar v[] = {{"index", index}, {"color", color}, {"id", ids[ns]}};

			ret = expand(p, legend, TLEGEND, v, LEN(v), err, n);
		}
		ns++;
	}
	if (ret == 0)
		ret = ns ? plotsvg(plot, &p->pt, &box, s, ns, err, n) : expand(p, plot, TNOPLOT, NULL, 0, err, n);
	for (i = 0; i < ns; i++)
		free(ids[i]);
	free(ids);
	free(s);
	return ret;
}

int
pagewrite(struct page *p, const struct runinfo *runs, size_t nruns, char *err, size_t n)
{
	struct buf rows, plot, legend, page, css;
	char total[32], ndone[32], nfailed[32], nwaiting[32], *path;
	int nstate[NRUNSTATES] = {0}, ncommand = 0;
	size_t i;
	int ret = -1;

	bufinit(&rows), bufinit(&plot), bufinit(&legend), bufinit(&page), bufinit(&css);
	for (i = 0; i < nruns; i++) {
		nstate[runinfostate(&runs[i])]++;
		ncommand += runs[i].kind != PIPELINE;
		if (row(p, &rows, &runs[i], i, err, n) < 0)
			goto out;
	}
	if (allplot(p, &plot, &legend, runs, nruns, err, n) < 0)
		goto out;
	/* the style of command runs' rows, only when there are any: a pipeline's page stays as it was */
	if (ncommand && expand(p, &css, TCSS, NULL, 0, err, n) < 0)
		goto out;
	snprintf(total, sizeof(total), "%zu", nruns);
	snprintf(ndone, sizeof(ndone), "%d", nstate[RUNDONE]);
	snprintf(nfailed, sizeof(nfailed), "%d", nstate[RUNFAILED]);
	/* the page counts a run not processed yet as waiting */
	snprintf(nwaiting, sizeof(nwaiting), "%d", nstate[RUNNEW] + nstate[RUNWAITING]);
	{
		struct tvar v[] = {
			{"nruns", total}, {"ndone", ndone}, {"nfailed", nfailed}, {"nwaiting", nwaiting},
			{"allplot", plot.s}, {"legend", legend.s}, {"rows", rows.s}, {"commandcss", css.s},
		};

		if (expand(p, &page, TPAGE, v, LEN(v), err, n) < 0)
			goto out;
	}
	path = xasprintf("%s/index.html", p->outdir);
	ret = writeatomic(path, page.s, page.len, err, n);
	free(path);
out:
	buffree(&rows), buffree(&plot), buffree(&legend), buffree(&page), buffree(&css);
	return ret;
}
