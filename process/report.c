#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fs.h"
#include "common/natsort.h"
#include "common/tmpl.h"
#include "common/util.h"
#include "plot.h"
#include "report.h"
#include "thumb.h"

#ifndef TEMPLATEDIR
#define TEMPLATEDIR "/usr/local/share/runja/templates"
#endif

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* the report's templates, each a file in TEMPLATES/report/ */
enum { TPAGE, TROW, TFAILED, TWAITING, TTHUMB, TNOTHUMB, TNOPLOT, TLEGEND, TPLOT, TSERIES, TTICK, NTMPL };
static const char *const tmplnames[NTMPL] = {
	"page.html", "row.html", "row-failed.html", "row-waiting.html", "thumb.html", "nothumb.html",
	"noplot.html", "legend.html", "plot.svg", "series.svg", "tick.svg",
};

/* the thumbnails' folder in OUT: THUMBDIR/RUNID/PRODUCT.png */
#define THUMBDIR ".runja/thumbs"

/* the image products shown as thumbnails, in their columns' order */
static const char *const thumbnames[] = {"mean", "timestack"};

/* colours of the lines: CSS classes c0 ... */
enum { NCOLORS = 10 };

/* the plots' sizes in px */
static const struct plotbox runbox = {260, 110, "run", 0, 0, 3};
static const struct plotbox allbox = {1000, 320, "all", 0, 0, 8};

/* what a run's files say */
enum runstate { DONE, FAILED, WAITING };

/* what the report shows of one run */
struct runinfo {
	const char *id;       /* borrowed from the run list */
	enum runstate state;
	json_t *sum;          /* DONE: summary.json, owned */
	char *error;          /* FAILED: the first line of error.txt, owned */
	double *fx, *fy;      /* front.csv: frame index and position (NAN: no front), owned */
	size_t nfront;
};

/* the report being written */
struct report {
	const char *outdir;
	char *tpath[NTMPL];      /* template paths, owned */
	struct buf t[NTMPL];     /* template texts */
	struct plottmpl pt;      /* the plot's templates, borrowed from t */
	struct runinfo *runs;    /* nruns, owned */
	size_t nruns;
	int nstate[3];           /* runs DONE, FAILED, WAITING */
};

void
htmlescape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': bufputs(b, "&amp;"); break;
		case '<': bufputs(b, "&lt;"); break;
		case '>': bufputs(b, "&gt;"); break;
		case '"': bufputs(b, "&quot;"); break;
		case '\'': bufputs(b, "&#39;"); break;
		default: bufputc(b, *s);
		}
	}
}

void
urlescape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("-._~/", c))
			bufputc(b, c);
		else
			bufprintf(b, "%%%02X", c);
	}
}

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

/* append s as one CSV field, quoted when it holds a comma, quote or line break */
static void
csvfield(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		bufputs(b, s);
		return;
	}
	bufputc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			bufputc(b, '"');
		bufputc(b, *s);
	}
	bufputc(b, '"');
}

/* read the templates from tdir/report (tdir NULL: beside the program, else installed) */
static int
loadtemplates(struct report *r, const char *tdir, char *err, size_t n)
{
	char *dir, *self = selfpath(), *exedir = self ? dirpart(self) : NULL;
	size_t i;

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
		r->tpath[i] = xasprintf("%s/%s", dir, tmplnames[i]);
		if (readfile(r->tpath[i], &r->t[i], err, n) < 0) {
			free(dir);
			return -1;
		}
	}
	free(dir);
	r->pt = (struct plottmpl){r->t[TPLOT].s, r->tpath[TPLOT], r->t[TSERIES].s, r->tpath[TSERIES],
	                          r->t[TTICK].s, r->tpath[TTICK]};
	return 0;
}

/* expand template i with vars into out */
static int
expand(struct report *r, struct buf *out, int i, const struct tvar *v, size_t nv, char *err, size_t n)
{
	return tmplexpand(out, r->t[i].s, r->tpath[i], v, nv, err, n);
}

/* read OUT/ID/front.csv (index,file,position) into ri, if there is one */
static void
readfront(const char *path, struct runinfo *ri)
{
	char err[512], *line, *next, *end, *comma;
	size_t cap = 0;
	struct buf b;

	if (!exists(path))
		return;
	if (readfile(path, &b, err, sizeof(err)) < 0) {
		warn("%s", err);
		buffree(&b);
		return;
	}
	line = strchr(b.s, '\n');
	for (line = line ? line + 1 : b.s + b.len; *line; line = next) {
		long idx;
		double pos;

		next = strchr(line, '\n');
		next = next ? (*next = '\0', next + 1) : line + strlen(line);
		idx = strtol(line, &end, 10);
		if (end == line || *end != ',' || !(comma = strrchr(line, ',')))
			continue;
		pos = strtod(comma + 1, &end);
		if (end == comma + 1 || *end)
			pos = NAN;
		if (ri->nfront == cap) {
			cap = cap ? 2 * cap : 64;
			ri->fx = xreallocarray(ri->fx, cap, sizeof(*ri->fx));
			ri->fy = xreallocarray(ri->fy, cap, sizeof(*ri->fy));
		}
		ri->fx[ri->nfront] = (double)idx;
		ri->fy[ri->nfront++] = pos;
	}
	buffree(&b);
}

/* is j a summary.json that runja-process wrote? */
static int
validsummary(json_t *j)
{
	return json_is_string(json_object_get(j, "run")) && json_is_integer(json_object_get(j, "frames")) &&
	       json_is_array(json_object_get(j, "skipped"));
}

/* natural order of run ids */
static int
runinfocmp(const void *a, const void *b)
{
	return natcmp(((const struct runinfo *)a)->id, ((const struct runinfo *)b)->id);
}

/* what OUT/ID holds: error.txt, summary.json, front.csv */
static void
readrun(const char *outdir, const char *id, struct runinfo *ri)
{
	char *path = xasprintf("%s/%s/error.txt", outdir, id), err[512];
	json_error_t je;
	struct buf b;

	*ri = (struct runinfo){.id = id, .state = WAITING};
	if (exists(path)) {
		ri->state = FAILED;
		if (readfile(path, &b, err, sizeof(err)) < 0) {
			ri->error = xstrdup(err);
			buffree(&b);
		} else {
			b.s[strcspn(b.s, "\n")] = '\0';
			ri->error = b.s;
		}
		free(path);
		return;
	}
	free(path);
	path = xasprintf("%s/%s/summary.json", outdir, id);
	if (exists(path)) {
		ri->sum = json_load_file(path, 0, &je);
		if (!ri->sum || !validsummary(ri->sum)) {
			ri->error = ri->sum ? xasprintf("%s: not a runja summary", path)
			                    : xasprintf("%s:%d: %s", path, je.line, je.text);
			warn("%s", ri->error);
			json_decref(ri->sum);
			ri->sum = NULL;
			ri->state = FAILED;
		} else {
			ri->state = DONE;
		}
	}
	free(path);
	if (ri->state == DONE) {
		path = xasprintf("%s/%s/front.csv", outdir, id);
		readfront(path, ri);
		free(path);
	}
}

/* the integer field key of a summary */
static long long
sumint(const struct runinfo *ri, const char *key)
{
	return (long long)json_integer_value(json_object_get(ri->sum, key));
}

/* append the summary.csv row of ri: only its id when it is not done */
static void
csvrow(struct buf *b, const struct runinfo *ri)
{
	json_t *v;

	csvfield(b, ri->id);
	if (ri->state != DONE) {
		bufputs(b, ",,,,,,,\n");
		return;
	}
	bufprintf(b, ",%lld,%zu,%lld,%lld,%.9g,%.9g,", sumint(ri, "frames"),
	          json_array_size(json_object_get(ri->sum, "skipped")), sumint(ri, "width"), sumint(ri, "height"),
	          json_number_value(json_object_get(ri->sum, "mean")),
	          json_number_value(json_object_get(ri->sum, "std")));
	if (json_is_number(v = json_object_get(ri->sum, "front_speed")))
		bufprintf(b, "%.9g", json_number_value(v));
	bufputc(b, '\n');
}

/* append the thumbnail of ri's product name (made now if stale), or that there is none */
static int
thumbcell(struct report *r, struct buf *out, const struct runinfo *ri, const char *name, char *err, size_t n)
{
	char *pngname = xasprintf("%s.png", name), *src = xasprintf("%s/%s/%s", r->outdir, ri->id, pngname);
	char *dir = xasprintf("%s/" THUMBDIR "/%s", r->outdir, ri->id), *dst = xasprintf("%s/%s", dir, pngname);
	char *full = url(ri->id, pngname), *href = xasprintf(THUMBDIR "/%s", full);
	char *id = esc(ri->id), ws[16] = "", hs[16] = "", cause[1024];
	struct tvar v[] = {{"src", href}, {"full", full}, {"w", ws}, {"h", hs}, {"name", name}, {"id", id}};
	int w, h, ret;

	if (!exists(src)) {
		ret = expand(r, out, TNOTHUMB, v, LEN(v), err, n);
	} else if (mkdirp(dir, cause, sizeof(cause)) < 0 || thumbmake(src, dst, &w, &h, cause, sizeof(cause)) < 0) {
		warn("%s", cause);
		ret = expand(r, out, TNOTHUMB, v, LEN(v), err, n);
	} else {
		snprintf(ws, sizeof(ws), "%d", w);
		snprintf(hs, sizeof(hs), "%d", h);
		ret = expand(r, out, TTHUMB, v, LEN(v), err, n);
	}
	free(pngname), free(src), free(dir), free(dst), free(full), free(href), free(id);
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

/* the row of a run that is done */
static int
donerow(struct report *r, struct buf *out, size_t i, const char *index, const char *color, char *err,
        size_t n)
{
	const struct runinfo *ri = &r->runs[i];
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
	snprintf(frames, sizeof(frames), "%lld", sumint(ri, "frames"));
	snprintf(w, sizeof(w), "%lld", sumint(ri, "width"));
	snprintf(h, sizeof(h), "%lld", sumint(ri, "height"));
	snprintf(skipped, sizeof(skipped), "%zu", json_array_size(json_object_get(ri->sum, "skipped")));
	if (json_is_number(v))
		snprintf(speed, sizeof(speed), "%.3g", json_number_value(v));
	for (k = 0; k < LEN(thumbnames); k++)
		if (thumbcell(r, &cells[k], ri, thumbnames[k], err, n) < 0)
			goto out;
	v = json_object_get(ri->sum, "frames_found");
	box.x1 = (double)(json_is_integer(v) ? json_integer_value(v) : sumint(ri, "frames")) - 1;
	if (plothasdata(&s, 1) ? plotsvg(&front, &r->pt, &box, &s, 1, err, n) < 0
	                       : expand(r, &front, TNOPLOT, NULL, 0, err, n) < 0)
		goto out;
	{
		struct tvar tv[] = {
			{"index", index}, {"color", color}, {"id", id}, {"href", href}, {"frames", frames},
			{"width", w}, {"height", h}, {"skipped", skipped}, {"skippedfiles", sklist},
			{"speed", speed}, {"mean", cells[0].s}, {"timestack", cells[1].s}, {"front", front.s},
		};

		ret = expand(r, out, TROW, tv, LEN(tv), err, n);
	}
out:
	for (k = 0; k < LEN(thumbnames); k++)
		buffree(&cells[k]);
	buffree(&front);
	free(id), free(href), free(sklist);
	return ret;
}

/* append the row of run i */
static int
row(struct report *r, struct buf *out, size_t i, char *err, size_t n)
{
	const struct runinfo *ri = &r->runs[i];
	char index[32], color[16], *id, *href, *error;
	int ret;

	snprintf(index, sizeof(index), "%zu", i);
	snprintf(color, sizeof(color), "%zu", i % NCOLORS);
	if (ri->state == DONE)
		return donerow(r, out, i, index, color, err, n);
	id = esc(ri->id);
	href = url(ri->id, "");
	error = esc(ri->error ? ri->error : ri->state == WAITING ? "not processed yet" : "");
	{
		struct tvar v[] = {{"index", index}, {"color", color}, {"id", id}, {"href", href}, {"error", error}};

		ret = expand(r, out, ri->state == FAILED ? TFAILED : TWAITING, v, LEN(v), err, n);
	}
	free(id), free(href), free(error);
	return ret;
}

/* append the plot of every run's front and its legend */
static int
allplot(struct report *r, struct buf *plot, struct buf *legend, char *err, size_t n)
{
	struct series *s = xreallocarray(NULL, r->nruns + 1, sizeof(*s));
	char **ids = xreallocarray(NULL, r->nruns + 1, sizeof(*ids)), index[32], color[16];
	struct plotbox box = allbox;
	size_t i, ns = 0;
	int ret = 0;

	box.x1 = 1;
	for (i = 0; i < r->nruns && ret == 0; i++) {
		const struct runinfo *ri = &r->runs[i];
		json_t *v;

		if (ri->state != DONE || !plothasdata(&(struct series){"", ri->fx, ri->fy, ri->nfront, 0}, 1))
			continue;
		if (json_is_integer(v = json_object_get(ri->sum, "frames_found")) && json_integer_value(v) - 1 > box.x1)
			box.x1 = (double)(json_integer_value(v) - 1);
		ids[ns] = esc(ri->id);
		s[ns] = (struct series){ids[ns], ri->fx, ri->fy, ri->nfront, (int)(i % NCOLORS)};
		snprintf(index, sizeof(index), "%zu", i);
		snprintf(color, sizeof(color), "%zu", i % NCOLORS);
		{
			struct tvar v[] = {{"index", index}, {"color", color}, {"id", ids[ns]}};

			ret = expand(r, legend, TLEGEND, v, LEN(v), err, n);
		}
		ns++;
	}
	if (ret == 0)
		ret = ns ? plotsvg(plot, &r->pt, &box, s, ns, err, n) : expand(r, plot, TNOPLOT, NULL, 0, err, n);
	for (i = 0; i < ns; i++)
		free(ids[i]);
	free(ids);
	free(s);
	return ret;
}

/* write OUT/index.html */
static int
writepage(struct report *r, char *err, size_t n)
{
	struct buf rows, plot, legend, page;
	char nruns[32], ndone[32], nfailed[32], nwaiting[32], *path;
	size_t i;
	int ret = -1;

	bufinit(&rows), bufinit(&plot), bufinit(&legend), bufinit(&page);
	for (i = 0; i < r->nruns; i++)
		if (row(r, &rows, i, err, n) < 0)
			goto out;
	if (allplot(r, &plot, &legend, err, n) < 0)
		goto out;
	snprintf(nruns, sizeof(nruns), "%zu", r->nruns);
	snprintf(ndone, sizeof(ndone), "%d", r->nstate[DONE]);
	snprintf(nfailed, sizeof(nfailed), "%d", r->nstate[FAILED]);
	snprintf(nwaiting, sizeof(nwaiting), "%d", r->nstate[WAITING]);
	{
		struct tvar v[] = {
			{"nruns", nruns}, {"ndone", ndone}, {"nfailed", nfailed}, {"nwaiting", nwaiting},
			{"allplot", plot.s}, {"legend", legend.s}, {"rows", rows.s},
		};

		if (expand(r, &page, TPAGE, v, LEN(v), err, n) < 0)
			goto out;
	}
	path = xasprintf("%s/index.html", r->outdir);
	ret = writeatomic(path, page.s, page.len, err, n);
	free(path);
out:
	buffree(&rows), buffree(&plot), buffree(&legend), buffree(&page);
	return ret;
}

int
writereport(const char *outdir, const char *tdir, char *err, size_t n)
{
	struct report r = {.outdir = outdir};
	struct buf list, csv, waiting;
	char *line, *next, *path;
	size_t i, cap = 0;
	int ret = -1;

	bufinit(&csv);
	bufinit(&waiting);
	path = xasprintf("%s/.runja/runs", outdir);
	if (readfile(path, &list, err, n) < 0) {
		free(path);
		goto out;
	}
	free(path);
	if (loadtemplates(&r, tdir, err, n) < 0)
		goto out;
	for (line = list.s; *line; line = next) {
		next = strchr(line, '\n');
		next = next ? (*next = '\0', next + 1) : line + strlen(line);
		if (!*line)
			continue;
		if (r.nruns == cap) {
			cap = cap ? 2 * cap : 64;
			r.runs = xreallocarray(r.runs, cap, sizeof(*r.runs));
		}
		readrun(outdir, line, &r.runs[r.nruns]);
		r.nstate[r.runs[r.nruns].state]++;
		r.nruns++;
	}
	/* runs not ready yet (runs.ready, runs.settle): "ID<TAB>why" lines, when there are any */
	path = xasprintf("%s/.runja/waiting", outdir);
	buffree(&waiting);
	if (readfile(path, &waiting, NULL, 0) < 0)
		waiting.s[0] = '\0';
	free(path);
	for (line = waiting.s; *line; line = next) {
		char *tab;

		next = strchr(line, '\n');
		next = next ? (*next = '\0', next + 1) : line + strlen(line);
		if (!(tab = strchr(line, '\t')))
			continue;
		*tab = '\0';
		if (r.nruns == cap) {
			cap = cap ? 2 * cap : 64;
			r.runs = xreallocarray(r.runs, cap, sizeof(*r.runs));
		}
		r.runs[r.nruns] = (struct runinfo){.id = line, .state = WAITING, .error = xstrdup(tab + 1)};
		r.nstate[WAITING]++;
		r.nruns++;
	}
	if (r.nruns > 1)
		qsort(r.runs, r.nruns, sizeof(*r.runs), runinfocmp);
	bufputs(&csv, "run,frames,skipped,width,height,mean,std,front_speed\n");
	for (i = 0; i < r.nruns; i++)
		csvrow(&csv, &r.runs[i]);
	path = xasprintf("%s/summary.csv", outdir);
	ret = writeatomic(path, csv.s, csv.len, err, n);
	free(path);
	if (ret == 0)
		ret = writepage(&r, err, n);
out:
	for (i = 0; i < r.nruns; i++) {
		json_decref(r.runs[i].sum);
		free(r.runs[i].error), free(r.runs[i].fx), free(r.runs[i].fy);
	}
	free(r.runs);
	for (i = 0; i < NTMPL; i++) {
		free(r.tpath[i]);
		if (r.t[i].s)
			buffree(&r.t[i]);
	}
	buffree(&csv);
	buffree(&list);
	buffree(&waiting);
	return ret;
}
