#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tmpl.h"
#include "common/util.h"
#include "ctx.h"
#include "escape.h"
#include "overview.h"
#include "page.h"
#include "plot.h"
#include "runinfo.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* the overview's size in px */
enum { OVW = 1000, OVH = 260, OVTICKS = 8 };

/* what the overview of each kind is called, and its value's label */
static const char *const titles[] = {
	[OVVALUE] = "", [OVSPEED] = "Front speed by run", [OVMEAN] = "Mean intensity by run", [OVTIME] = "Time per run",
};
static const char *const ylabels[] = {
	[OVVALUE] = "", [OVSPEED] = "front speed (px/frame)", [OVMEAN] = "mean intensity", [OVTIME] = "time (s)",
};

void
overviewinit(struct overview *o, const struct report *r)
{
	bool cmd = false, speed = false, pipe = false;
	size_t i;

	*o = (struct overview){0};
	for (i = 0; i < r->nruns; i++) {
		const struct runinfo *ri = &r->runs[i];

		cmd |= ri->kind != PIPELINE && ri->cstate == RUNDONE;
		pipe |= ri->kind != COMMAND && ri->state == RUNDONE;
		speed |= json_is_number(json_object_get(ri->sum, "front_speed"));
	}
	if (cmd && r->show.nvalues)
		o->what = OVVALUE, o->value = r->show.overview >= 0 ? r->show.overview : 0;
	else
		o->what = speed ? OVSPEED : pipe ? OVMEAN : OVTIME;
}

/* the value of ri the overview plots, or NAN */
static double
valueof(const struct overview *o, const struct runinfo *ri)
{
	json_t *v;

	switch (o->what) {
	case OVVALUE:
		return ri->got ? ri->got[o->value].v : NAN;
	case OVSPEED:
		return json_is_number(v = json_object_get(ri->sum, "front_speed")) ? json_number_value(v) : NAN;
	case OVMEAN:
		return json_is_number(v = json_object_get(ri->sum, "mean")) ? json_number_value(v) : NAN;
	case OVTIME:
		return ri->seconds;
	}
	return NAN;
}

void
overviewadd(struct overview *o, const struct report *r, const struct runinfo *ri, size_t i)
{
	enum runstate st = runinfostate(ri);
	double y = st == RUNDONE ? valueof(o, ri) : NAN;
	char num[64];
	struct buf t;

	(void)r;
	if (st != RUNDONE && st != RUNFAILED)
		return;
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 64;
		o->x = xreallocarray(o->x, o->cap, sizeof(*o->x));
		o->t = xreallocarray(o->t, o->cap, sizeof(*o->t));
		o->y = xreallocarray(o->y, o->cap, sizeof(*o->y));
		o->cls = xreallocarray(o->cls, o->cap, sizeof(*o->cls));
		o->title = xreallocarray(o->title, o->cap, sizeof(*o->title));
		o->href = xreallocarray(o->href, o->cap, sizeof(*o->href));
	}
	bufinit(&t);
	htmlescape(&t, ri->id);
	if (st == RUNFAILED) {
		bufputs(&t, ": failed");
	} else if (isfinite(y)) {
		reportnumber(num, sizeof(num), y);
		bufprintf(&t, ": %s", num);
	} else {
		bufputs(&t, ": no value");
	}
	o->x[o->n] = (double)i;
	o->t[o->n] = ri->acq;
	o->y[o->n] = y;
	o->cls[o->n] = st == RUNFAILED ? "failed" : isfinite(y) ? "done" : "none";
	o->title[o->n] = t.s;
	o->href[o->n] = xasprintf("#r%zu", i);
	o->nfailed += st == RUNFAILED;
	o->n++;
}

/* append the scatter of o against x (time: acquisition times) with the labels xl and yl (HTML-escaped) */
static int
scatterplot(const struct overview *o, const struct report *r, bool time, const char *yl, struct buf *out, char *err,
            size_t n)
{
	struct plotbox box = {OVW, OVH, "overview", 0, 0, OVTICKS, time ? "acquisition time (UTC), first frame"
	                      : "run (ids in natural order)", yl, time, "", ""};
	struct points p = {time ? o->t : o->x, o->y, (const char *const *)o->cls, (const char *const *)o->title,
	                   (const char *const *)o->href, o->n};
	struct plotdata d = {NULL, 0, NULL, 0, &p};

	if (!time && o->n)
		box.x0 = -0.5, box.x1 = o->x[o->n - 1] + 0.5;
	return plotsvg(out, &r->t.plot, &box, &d, err, n);
}

int
overviewhtml(const struct overview *o, const struct report *r, struct buf *out, char *err, size_t n)
{
	struct buf title, yl, plot, tplot, timed, note;
	size_t i, ntimed = 0, nvalue = 0;
	int ret;

	bufinit(&title), bufinit(&yl), bufinit(&plot), bufinit(&tplot), bufinit(&timed), bufinit(&note);
	for (i = 0; i < o->n; i++) {
		ntimed += isfinite(o->t[i]);
		nvalue += isfinite(o->y[i]);
	}
	if (o->what == OVVALUE) {
		htmlescape(&title, r->show.values[o->value].name);
		bufputs(&title, " by run");
		htmlescape(&yl, r->show.values[o->value].name);
	} else {
		bufputs(&title, titles[o->what]);
		bufputs(&yl, ylabels[o->what]);
	}
	bufprintf(&note, "%zu run%s with a value, one point each", nvalue, nvalue == 1 ? "" : "s");
	if (o->nfailed)
		bufprintf(&note, "; %zu failed, in red on the axis", o->nfailed);
	bufputs(&note, ". A point links to its run's row.");
	ret = scatterplot(o, r, false, yl.s, &plot, err, n);
	if (ret == 0 && ntimed > 1) {
		char tn[128];

		snprintf(tn, sizeof(tn), "%zu run%s with a time (failed runs have none)", ntimed, ntimed == 1 ? "" : "s");
		ret = scatterplot(o, r, true, yl.s, &tplot, err, n);
		if (ret == 0) {
			struct tvar v[] = {{"title", title.s}, {"plot", tplot.s}, {"note", tn}};

			ret = tmplsput(&r->t, &timed, TOVERVIEWTIME, v, LEN(v), err, n);
		}
	}
	if (ret == 0) {
		struct tvar v[] = {{"title", title.s}, {"plot", plot.s}, {"note", note.s}, {"timeplot", timed.s}};

		ret = tmplsput(&r->t, out, TOVERVIEW, v, LEN(v), err, n);
	}
	buffree(&title), buffree(&yl), buffree(&plot), buffree(&tplot), buffree(&timed), buffree(&note);
	return ret;
}

void
deloverview(struct overview *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->title[i]), free(o->href[i]);
	free(o->x), free(o->t), free(o->y), free(o->cls), free(o->title), free(o->href);
	*o = (struct overview){0};
}
