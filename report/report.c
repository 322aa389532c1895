#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/fs.h"
#include "common/natsort.h"
#include "common/state.h"
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

/* the folder of the command's results in OUT/RUNID with after_pipeline */
#define AFTERDIR "command"

/* a command run shows its first CMDIMAGES PNG outputs, and the last LOGLINES lines of a failure's log */
enum { CMDIMAGES = 4, LOGLINES = 5 };
/* how much of the end of a failure's log is read for its last lines */
#define LOGTAILBYTES 4096

/* the image products shown as thumbnails, in their columns' order */
static const char *const thumbnames[] = {"mean", "timestack"};

/* colours of the lines: CSS classes c0 ... */
enum { NCOLORS = 10 };

/* the plots' sizes in px */
static const struct plotbox runbox = {260, 110, "run", 0, 0, 3};
static const struct plotbox allbox = {1000, 320, "all", 0, 0, 8};

/* what processed a run: the built-in pipeline, or a user's own command (runja.cfg command) */
enum runkind {
	PIPELINE,  /* the built-in pipeline alone (or nothing yet) */
	COMMAND,   /* the command alone: its results are OUT/ID */
	AFTER,     /* the pipeline, then the command (after_pipeline): its results are OUT/ID/command */
};

/* what the report shows of one run */
struct runinfo {
	const char *id;       /* borrowed from the run list */
	enum runkind kind;
	enum runstate state;  /* the pipeline's (RUNNEW: not processed yet), COMMAND: the command's; RUNWAITING: in the waiting list */
	json_t *sum;          /* RUNDONE, not COMMAND: the pipeline's summary.json, owned */
	char *error;          /* RUNFAILED: the first line of error.txt; RUNWAITING: why; owned */
	double *fx, *fy;      /* front.csv: frame index and position (NAN: no front), owned */
	size_t nfront;
	enum runstate cstate; /* COMMAND, AFTER: the command's, RUNDONE or RUNFAILED */
	json_t *csum;         /* cstate RUNDONE: the command's summary.json, owned */
	char *cerror;         /* cstate RUNFAILED: the first line of its error.txt, owned */
	char *clog;           /* cstate RUNFAILED: the last lines of its runja.log, plain text, owned; NULL: none */
	double seconds;       /* COMMAND, AFTER: the last attempt's, from the ledger; -1: unknown */
};

/* the report being written */
struct report {
	const char *outdir;
	char *tpath[NTMPL];      /* template paths, owned */
	struct buf t[NTMPL];     /* template texts */
	struct plottmpl pt;      /* the plot's templates, borrowed from t */
	struct runinfo *runs;    /* nruns, owned */
	size_t nruns;
	size_t cap;              /* runs allocated */
	int nstate[NRUNSTATES];  /* runs in each state (a run whose command failed is RUNFAILED) */
	int ncommand;            /* runs COMMAND or AFTER */
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

void
reportlogtail(struct buf *out, const char *text, size_t len, int partial, int nlines)
{
	size_t max = nlines > 0 ? (size_t)nlines : 0, n, i;
	struct logline *lines = xreallocarray(NULL, max + 1, sizeof(*lines));
	bool cut;

	n = statetail(text, len, partial, lines, max, &cut);
	/* a first line that begins before what was read is marked */
	if (cut)
		bufputs(out, "\xe2\x80\xa6");
	for (i = 0; i < n; i++) {
		if (i)
			bufputc(out, '\n');
		stateplain(out, &lines[i]);
	}
	free(lines);
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

/* is j a summary.json that runja-process --exec wrote for the command alone? */
static int
iscommand(json_t *j)
{
	const char *kind = json_string_value(json_object_get(j, "kind"));

	return kind && strcmp(kind, "command") == 0;
}

/* was the file of a modified before the file of b? */
static int
older(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec != b->st_mtim.tv_sec ? a->st_mtim.tv_sec < b->st_mtim.tv_sec
	                                              : a->st_mtim.tv_nsec < b->st_mtim.tv_nsec;
}

/* the last LOGLINES lines of the log at path into ri->clog (left NULL when there is none or it is empty) */
static void
readlogtail(const char *path, struct runinfo *ri)
{
	struct buf text, b;
	bool partial;

	bufinit(&b);
	if (readtail(path, LOGTAILBYTES, &text, &partial, NULL, 0) == 0)
		reportlogtail(&b, text.s, text.len, partial, LOGLINES);
	if (b.len)
		ri->clog = b.s;
	else
		buffree(&b);
	buffree(&text);
}

/* the command of ri failed last time: its error line and log from STATE/failed/ID */
static void
readfailure(const char *outdir, const char *id, struct runinfo *ri)
{
	char *path = statefailure(outdir, id, true);

	ri->cstate = RUNFAILED;
	ri->cerror = statefailread(path);
	free(path);
	path = statepath(outdir, STATEFAILLOG, id);
	readlogtail(path, ri);
	free(path);
}

/*
 * The command's state in ri: its summary.json at sumpath (sum: that file loaded, owned
 * here; NULL: loaded here), unless the failure record fst (NULL: none) is not older.
 */
static void
readcommand(const char *outdir, const char *id, const char *sumpath, json_t *sum, const struct stat *fst,
            struct runinfo *ri)
{
	struct stat sst;
	json_error_t je;

	if (fst && (stat(sumpath, &sst) < 0 || !older(fst, &sst))) {
		json_decref(sum);
		readfailure(outdir, id, ri);
		return;
	}
	if (!sum && !(sum = json_load_file(sumpath, 0, &je)))
		ri->cerror = xasprintf("%s:%d: %s", sumpath, je.line, je.text);
	else if (!validsummary(sum))
		ri->cerror = xasprintf("%s: not a runja summary", sumpath);
	if (ri->cerror) {
		warn("%s", ri->cerror);
		json_decref(sum);
		ri->cstate = RUNFAILED;
	} else {
		ri->cstate = RUNDONE;
		ri->csum = sum;
	}
}

/*
 * What OUT/ID holds: error.txt, summary.json, front.csv of the pipeline, or the
 * command's summary.json (in OUT/ID, or OUT/ID/command after the pipeline), and the
 * command's failure record STATE/failed/ID.
 */
static void
readrun(const char *outdir, const char *id, struct runinfo *ri)
{
	char *path = xasprintf("%s/%s/summary.json", outdir, id), *failpath;
	struct stat fst, est;
	json_error_t je;
	json_t *sum = NULL;
	int hassum, failed;

	*ri = (struct runinfo){.id = id, .state = RUNNEW, .seconds = -1};
	failpath = statefailure(outdir, id, true);
	failed = stat(failpath, &fst) == 0;
	free(failpath);
	if ((hassum = exists(path)))
		sum = json_load_file(path, 0, &je);
	if (iscommand(sum)) {
		/* the command's results are all of OUT/ID: an error.txt there is one of them */
		ri->kind = COMMAND;
		readcommand(outdir, id, path, sum, failed ? &fst : NULL, ri);
		ri->state = ri->cstate;
		free(path);
		return;
	}
	free(path);
	path = statefailure(outdir, id, false);
	if (stat(path, &est) == 0) {
		json_decref(sum);
		if (failed && !older(&fst, &est)) {
			/* the command alone failed after the pipeline did (the configuration changed) */
			ri->kind = COMMAND;
			readfailure(outdir, id, ri);
		} else {
			ri->error = statefailread(path);
		}
		ri->state = RUNFAILED;
		free(path);
		return;
	}
	free(path);
	path = xasprintf("%s/%s/summary.json", outdir, id);
	if (hassum) {
		ri->sum = sum;
		if (!ri->sum || !validsummary(ri->sum)) {
			ri->error = ri->sum ? xasprintf("%s: not a runja summary", path)
			                    : xasprintf("%s:%d: %s", path, je.line, je.text);
			warn("%s", ri->error);
			json_decref(ri->sum);
			ri->sum = NULL;
			ri->state = RUNFAILED;
		} else {
			ri->state = RUNDONE;
		}
	} else if (failed) {
		/* the command alone, failed before it ever succeeded */
		ri->kind = COMMAND;
		readfailure(outdir, id, ri);
		ri->state = RUNFAILED;
	}
	free(path);
	if (ri->state == RUNDONE) {
		path = xasprintf("%s/%s/front.csv", outdir, id);
		readfront(path, ri);
		free(path);
		path = xasprintf("%s/%s/" AFTERDIR "/summary.json", outdir, id);
		if (failed || exists(path)) {
			ri->kind = AFTER;
			readcommand(outdir, id, path, NULL, failed ? &fst : NULL, ri);
		}
		free(path);
	}
}

/* what the header counts ri as: a run whose command failed is failed */
static enum runstate
rowstate(const struct runinfo *ri)
{
	return ri->kind == AFTER && ri->cstate == RUNFAILED ? RUNFAILED : ri->state;
}

/* the integer field key of a summary */
static long long
sumint(const json_t *sum, const char *key)
{
	return (long long)json_integer_value(json_object_get(sum, key));
}

/* append the summary.csv row of ri: only its id when it is not done; a command's run has no pipeline figures */
static void
csvrow(struct buf *b, const struct runinfo *ri)
{
	json_t *v;

	csvfield(b, ri->id);
	if (ri->state != RUNDONE) {
		bufputs(b, ",,,,,,,\n");
		return;
	}
	if (ri->kind == COMMAND) {
		bufprintf(b, ",%lld,%zu,,,,,\n", sumint(ri->csum, "frames"),
		          json_array_size(json_object_get(ri->csum, "skipped")));
		return;
	}
	bufprintf(b, ",%lld,%zu,%lld,%lld,%.9g,%.9g,", sumint(ri->sum, "frames"),
	          json_array_size(json_object_get(ri->sum, "skipped")), sumint(ri->sum, "width"),
	          sumint(ri->sum, "height"), json_number_value(json_object_get(ri->sum, "mean")),
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
	char *dir = statepath(r->outdir, STATETHUMBS, ri->id), *dst = xasprintf("%s/%s", dir, pngname);
	char *thumbs = statepath(NULL, STATETHUMBS, NULL), *full = url(ri->id, pngname);
	char *href = xasprintf("%s/%s", thumbs, full);
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
	snprintf(frames, sizeof(frames), "%lld", sumint(ri->sum, "frames"));
	snprintf(w, sizeof(w), "%lld", sumint(ri->sum, "width"));
	snprintf(h, sizeof(h), "%lld", sumint(ri->sum, "height"));
	snprintf(skipped, sizeof(skipped), "%zu", json_array_size(json_object_get(ri->sum, "skipped")));
	if (json_is_number(v))
		snprintf(speed, sizeof(speed), "%.3g", json_number_value(v));
	for (k = 0; k < LEN(thumbnames); k++)
		if (thumbcell(r, &cells[k], ri, thumbnames[k], err, n) < 0)
			goto out;
	v = json_object_get(ri->sum, "frames_found");
	box.x1 = (double)(json_is_integer(v) ? json_integer_value(v) : sumint(ri->sum, "frames")) - 1;
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
nothumbcell(struct report *r, struct buf *out, const struct runinfo *ri, const char *name, const char *why,
            char *err, size_t n)
{
	char *ename = esc(name), *ewhy = esc(why), *id = esc(ri->id);
	struct tvar v[] = {{"name", ename}, {"why", ewhy}, {"id", id}};
	int ret = expand(r, out, TTHUMBERR, v, LEN(v), err, n);

	free(ename), free(ewhy), free(id);
	return ret;
}

/*
 * append the thumbnail of the image OUT/ID/DIR/NAME the command wrote (dir: "" or
 * "command/"), made now if stale as OUT/.runja/thumbs/ID/DIR/NAME, or why there is none
 */
static int
imagecell(struct report *r, struct buf *out, const struct runinfo *ri, const char *dir, const char *name,
          char *err, size_t n)
{
	char *src = xasprintf("%s/%s/%s%s", r->outdir, ri->id, dir, name), *why, cause[1024];
	char *thumbs = statepath(r->outdir, STATETHUMBS, ri->id), *dst = xasprintf("%s/%s%s", thumbs, dir, name);
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
		ret = nothumbcell(r, out, ri, name, why, err, n);
	} else {
		snprintf(ws, sizeof(ws), "%d", w);
		snprintf(hs, sizeof(hs), "%d", h);
		{
			struct tvar v[] = {{"src", href.s}, {"full", full.s}, {"w", ws}, {"h", hs}, {"name", ename}, {"id", id}};

			ret = expand(r, out, TTHUMB, v, LEN(v), err, n);
		}
	}
	buffree(&full), buffree(&href);
	free(src), free(thumbs), free(dst), free(tdir), free(id), free(ename);
	return ret;
}

/* append what ri's command did: done, its time and images (in OUT/ID/dir), or failed, its error and log */
static int
commandcell(struct report *r, struct buf *out, const struct runinfo *ri, const char *dir, char *err, size_t n)
{
	struct buf when, images, log;
	char dur[64], *error = NULL, *text = NULL;
	int ret = -1, k = 0;

	bufinit(&when), bufinit(&images), bufinit(&log);
	if (ri->seconds >= 0) {
		struct tvar v[] = {{"time", dur}};

		reportduration(dur, sizeof(dur), ri->seconds);
		if (expand(r, &when, TTIME, v, LEN(v), err, n) < 0)
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
			if (insidename(name) ? imagecell(r, &images, ri, dir, name, err, n) < 0
			                     : nothumbcell(r, &images, ri, name, "not a file in the run's folder", err, n) < 0)
				goto out;
		}
		if (k == 0 && expand(r, &images, TNOIMAGES, NULL, 0, err, n) < 0)
			goto out;
		{
			struct tvar v[] = {{"time", when.s}, {"images", images.s}};

			ret = expand(r, out, TCMDDONE, v, LEN(v), err, n);
		}
	} else {
		if (ri->clog) {
			struct tvar v[] = {{"log", text = esc(ri->clog)}};

			if (expand(r, &log, TLOG, v, LEN(v), err, n) < 0)
				goto out;
		}
		{
			struct tvar v[] = {{"error", error = esc(ri->cerror ? ri->cerror : "")}, {"time", when.s}, {"log", log.s}};

			ret = expand(r, out, TCMDFAILED, v, LEN(v), err, n);
		}
	}
out:
	buffree(&when), buffree(&images), buffree(&log);
	free(error), free(text);
	return ret;
}

/* append ri's row (the command alone: tmpl TROWCMD) or the line of its command under the pipeline's row (TROWAFTER) */
static int
commandrow(struct report *r, struct buf *out, const struct runinfo *ri, int tmpl, const char *index,
           const char *color, char *err, size_t n)
{
	const char *dir = ri->kind == AFTER ? AFTERDIR "/" : "";
	char frames[32] = "", *id = esc(ri->id), *href = url(ri->id, dir);
	struct buf cell;
	int ret = -1;

	if (ri->cstate == RUNDONE)
		snprintf(frames, sizeof(frames), "%lld", sumint(ri->csum, "frames"));
	bufinit(&cell);
	if (commandcell(r, &cell, ri, dir, err, n) == 0) {
		struct tvar v[] = {
			{"index", index}, {"color", color}, {"id", id}, {"href", href},
			{"state", staterunname(ri->cstate)}, {"frames", frames}, {"command", cell.s},
		};

		ret = expand(r, out, tmpl, v, LEN(v), err, n);
	}
	buffree(&cell);
	free(id), free(href);
	return ret;
}

/* append the row of run i (and the line of its command after the pipeline) */
static int
row(struct report *r, struct buf *out, size_t i, char *err, size_t n)
{
	const struct runinfo *ri = &r->runs[i];
	char index[32], color[16], *id, *href, *error;
	int ret;

	snprintf(index, sizeof(index), "%zu", i);
	snprintf(color, sizeof(color), "%zu", i % NCOLORS);
	if (ri->kind == COMMAND)
		return commandrow(r, out, ri, TROWCMD, index, color, err, n);
	if (ri->state == RUNDONE) {
		ret = donerow(r, out, i, index, color, err, n);
		if (ret == 0 && ri->kind == AFTER)
			ret = commandrow(r, out, ri, TROWAFTER, index, color, err, n);
		return ret;
	}
	id = esc(ri->id);
	href = url(ri->id, "");
	error = esc(ri->error ? ri->error : ri->state == RUNNEW ? "not processed yet" : "");
	{
		struct tvar v[] = {{"index", index}, {"color", color}, {"id", id}, {"href", href}, {"error", error}};

		ret = expand(r, out, ri->state == RUNFAILED ? TFAILED : TWAITING, v, LEN(v), err, n);
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
	struct buf rows, plot, legend, page, css;
	char nruns[32], ndone[32], nfailed[32], nwaiting[32], *path;
	size_t i;
	int ret = -1;

	bufinit(&rows), bufinit(&plot), bufinit(&legend), bufinit(&page), bufinit(&css);
	for (i = 0; i < r->nruns; i++)
		if (row(r, &rows, i, err, n) < 0)
			goto out;
	if (allplot(r, &plot, &legend, err, n) < 0)
		goto out;
	/* the style of command runs' rows, only when there are any: a pipeline's page stays as it was */
	if (r->ncommand && expand(r, &css, TCSS, NULL, 0, err, n) < 0)
		goto out;
	snprintf(nruns, sizeof(nruns), "%zu", r->nruns);
	snprintf(ndone, sizeof(ndone), "%d", r->nstate[RUNDONE]);
	snprintf(nfailed, sizeof(nfailed), "%d", r->nstate[RUNFAILED]);
	/* the page counts a run not processed yet as waiting */
	snprintf(nwaiting, sizeof(nwaiting), "%d", r->nstate[RUNNEW] + r->nstate[RUNWAITING]);
	{
		struct tvar v[] = {
			{"nruns", nruns}, {"ndone", ndone}, {"nfailed", nfailed}, {"nwaiting", nwaiting},
			{"allplot", plot.s}, {"legend", legend.s}, {"rows", rows.s}, {"commandcss", css.s},
		};

		if (expand(r, &page, TPAGE, v, LEN(v), err, n) < 0)
			goto out;
	}
	path = xasprintf("%s/index.html", r->outdir);
	ret = writeatomic(path, page.s, page.len, err, n);
	free(path);
out:
	buffree(&rows), buffree(&plot), buffree(&legend), buffree(&page), buffree(&css);
	return ret;
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
		readrun(r->outdir, line, addrun(r));
		r->nstate[rowstate(&r->runs[r->nruns])]++;
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
		r->nstate[RUNWAITING]++;
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
		if (failed && rowstate(&r->runs[i]) == RUNFAILED)
			bufprintf(failed, "%s\n", r->runs[i].id);
	}
	ret = writeatomic(path, csv.s, csv.len, err, n);
	buffree(&csv);
	free(path);
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

	bufinit(&waiting);
	if (readfile(path, &list, err, n) < 0 || loadtemplates(&r, tdir, err, n) < 0)
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
		ret = writepage(&r, err, n);
out:
	for (i = 0; i < r.nruns; i++) {
		json_decref(r.runs[i].sum);
		json_decref(r.runs[i].csum);
		free(r.runs[i].error), free(r.runs[i].fx), free(r.runs[i].fy);
		free(r.runs[i].cerror), free(r.runs[i].clog);
	}
	free(r.runs);
	for (i = 0; i < NTMPL; i++) {
		free(r.tpath[i]);
		if (r.t[i].s)
			buffree(&r.t[i]);
	}
	free(path);
	buffree(&list);
	buffree(&waiting);
	return ret;
}
