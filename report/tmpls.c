#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/fs.h"
#include "common/tmpl.h"
#include "common/util.h"
#include "escape.h"
#include "tmpls.h"

#ifndef TEMPLATEDIR
#define TEMPLATEDIR "/usr/local/share/runja/templates"
#endif

/* the file of each template in TEMPLATES/report/ */
static const char *const names[NTMPL] = {
	[TPAGE] = "page.html", [TSTYLE] = "style.css", [TPLOTCSS] = "plot.css", [TSCRIPT] = "page.js",
	[TOVERVIEW] = "overview.html", [TOVERVIEWTIME] = "overview-time.html", [TFRONTS] = "fronts.html",
	[TLEGEND] = "legend.html", [TATTENTION] = "attention.html", [TCHUNKMSG] = "chunk-msg.html",
	[TROWMSG] = "row-msg.html", [TGROUPINDEX] = "groupindex.html", [TGROUPITEM] = "groupitem.html",
	[THEAD] = "head.html", [TGROUP] = "group.html", [TGROUPHEADING] = "group-heading.html",
	[TCHUNK] = "chunk.html", [TCOL] = "col.html", [TTH] = "th.html", [TROW] = "row.html", [TCELL] = "cell.html",
	[TIDLINK] = "idlink.html", [TTHUMB] = "thumb.html", [TSPARK] = "spark.html", [TNONE] = "none.html",
	[TBAD] = "bad.html", [TTHUMBERR] = "thumb-error.html", [TLOG] = "log.html", [TTIME] = "time.html",
	[TWIDTH] = "width.css", [TWIDTHS] = "widths.css", [TBG] = "bg.html", [TBGLAZY] = "bg-lazy.html",
	[TPLOT] = "plot.svg", [TSERIES] = "series.svg", [TTICK] = "tick.svg", [TBAND] = "band.svg",
	[TPOINT] = "point.svg", [TDOTS] = "dots.svg", [TSVGFILE] = "svgfile.svg",
	[TRUNPAGE] = "run.html", [TSECTION] = "section.html", [TKVTABLE] = "kvtable.html", [TKV] = "kv.html",
	[TFIGURE] = "figure.html", [TATTEMPTS] = "attempts.html", [TATTEMPT] = "attempt.html",
};

/* the folder of the templates: tdir/report, or beside the program, or the installed one; caller frees */
static char *
reportdir(const char *tdir)
{
	char *dir, *self, *exedir;

	if (tdir)
		return xasprintf("%s/report", tdir);
	self = selfpath();
	exedir = self ? dirpart(self) : NULL;
	dir = exedir ? xasprintf("%s/templates/report", exedir) : NULL;
	free(self), free(exedir);
	if (dir && exists(dir))
		return dir;
	free(dir);
	return xstrdup(TEMPLATEDIR "/report");
}

int
tmplsload(struct tmpls *t, const char *tdir, char *err, size_t n)
{
	char *dir = reportdir(tdir);
	size_t i;
	int ret = 0;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < NTMPL && ret == 0; i++) {
		t->path[i] = xasprintf("%s/%s", dir, names[i]);
		if ((ret = readfile(t->path[i], &t->t[i], err, n)) < 0)
			buffree(&t->t[i]);
	}
	free(dir);
	if (ret < 0)
		return -1;
	t->plot = (struct plottmpl){
		t->t[TPLOT].s, t->path[TPLOT], t->t[TSERIES].s, t->path[TSERIES], t->t[TTICK].s, t->path[TTICK],
		t->t[TBAND].s, t->path[TBAND], t->t[TPOINT].s, t->path[TPOINT], t->t[TDOTS].s, t->path[TDOTS],
	};
	{
		struct tvar v[] = {{"css", t->t[TPLOTCSS].s}};
		struct buf b;

		bufinit(&b);
		ret = tmplsput(t, &b, TSVGFILE, v, 1, err, n);
		t->svgstyle = b.s;
	}
	return ret;
}

void
deltmpls(struct tmpls *t)
{
	size_t i;

	for (i = 0; i < NTMPL; i++) {
		free(t->path[i]);
		if (t->t[i].s)
			buffree(&t->t[i]);
	}
	free(t->svgstyle);
	memset(t, 0, sizeof(*t));
}

int
tmplsput(const struct tmpls *t, struct buf *out, enum tmplid i, const struct tvar *v, size_t nv, char *err, size_t n)
{
	return tmplexpand(out, t->t[i].s, t->path[i], v, nv, err, n);
}

int
tmplsputtext(const struct tmpls *t, struct buf *out, enum tmplid i, const char *name, const char *text, char *err,
             size_t n)
{
	struct buf e;
	int ret;

	bufinit(&e);
	htmlescape(&e, text);
	{
		struct tvar v[] = {{name, e.s}};

		ret = tmplsput(t, out, i, v, 1, err, n);
	}
	buffree(&e);
	return ret;
}

int
writechanged(const char *path, const char *text, size_t len, char *err, size_t n)
{
	struct stat st;
	struct buf old;
	char *dir;
	int same = 0, ret;

	if (stat(path, &st) == 0 && (size_t)st.st_size == len) {
		same = readfile(path, &old, NULL, 0) == 0 && old.len == len && memcmp(old.s, text, len) == 0;
		buffree(&old);
	}
	if (same)
		return 0;
	dir = dirpart(path);
	ret = mkdirp(dir, err, n) < 0 ? -1 : writereplace(path, text, len, err, n);
	free(dir);
	return ret;
}
