#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/tmpl.h"
#include "common/util.h"
#include "plot.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* margins around the plot area in px: room for the tick labels and axis labels */
enum { MLEFT = 44, MRIGHT = 10, MTOP = 8, MBOTTOM = 30 };

/* the plot area in px and the data range it shows */
struct area {
	double l, t, r, b;
	double x0, x1, y0, y1;
};

/* a series' path data being written: points are gathered per px column */
struct pen {
	struct buf *d;
	int npts;                     /* points written in the current segment */
	int pending, col;             /* a column is gathered, and which */
	double x, first, lo, hi, last;
	double lasty;                 /* the y last written */
};

void
plotticks(double lo, double hi, int nticks, double minstep, double *t0, double *t1, double *step)
{
	double raw, mag, norm;

	if (!(hi - lo > 1e-9 * fmax(fabs(lo), fabs(hi)))) {
		double pad = lo != 0 ? fabs(lo) * 0.1 : 1;

		lo -= pad;
		hi += pad;
	}
	raw = (hi - lo) / (nticks > 0 ? nticks : 1);
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	*step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
	if (*step < minstep)
		*step = minstep;
	*t0 = floor(lo / *step + 1e-9) * *step;
	*t1 = ceil(hi / *step - 1e-9) * *step;
}

int
plothasdata(const struct series *s, size_t ns)
{
	size_t i, j;

	for (i = 0; i < ns; i++)
		for (j = 0; j < s[i].n; j++)
			if (isfinite(s[i].y[j]) && isfinite(s[i].x[j]))
				return 1;
	return 0;
}

static double
areax(const struct area *a, double x)
{
	return a->l + (x - a->x0) / (a->x1 - a->x0) * (a->r - a->l);
}

static double
areay(const struct area *a, double y)
{
	return a->b - (y - a->y0) / (a->y1 - a->y0) * (a->b - a->t);
}

/* write one point: a move at the start of a segment, else a line */
static void
penpoint(struct pen *p, double y)
{
	if (p->npts > 0 && y == p->lasty)
		return;
	bufprintf(p->d, "%c%.1f %.1f", p->npts ? 'L' : 'M', p->x, y);
	p->lasty = y;
	p->npts++;
}

/* write the gathered column: its first, lowest, highest and last point */
static void
penflush(struct pen *p)
{
	if (!p->pending)
		return;
	penpoint(p, p->first);
	penpoint(p, p->lo);
	penpoint(p, p->hi);
	penpoint(p, p->last);
	p->pending = 0;
}

/* end the segment: a lone point becomes a dot */
static void
penup(struct pen *p)
{
	penflush(p);
	if (p->npts == 1)
		bufputs(p->d, "h0");
	p->npts = 0;
}

static void
penadd(struct pen *p, double x, double y)
{
	int col = (int)floor(x);

	if (p->pending && col == p->col) {
		p->lo = fmin(p->lo, y);
		p->hi = fmax(p->hi, y);
		p->last = y;
		return;
	}
	penflush(p);
	*p = (struct pen){.d = p->d, .npts = p->npts, .lasty = p->lasty, .pending = 1, .col = col, .x = x,
	                  .first = y, .lo = y, .hi = y, .last = y};
}

/* the path data of s in a into d */
static void
pathdata(struct buf *d, const struct area *a, const struct series *s)
{
	struct pen p = {.d = d};
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (isfinite(s->x[i]) && isfinite(s->y[i]))
			penadd(&p, areax(a, s->x[i]), areay(a, s->y[i]));
		else
			penup(&p);
	}
	penup(&p);
}

/* the text of tick value v on an axis of the given step */
static void
ticklabel(char *s, size_t n, double v, double step)
{
	int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);

	if (fabs(v) < step * 1e-6)
		v = 0;
	snprintf(s, n, "%.*f", dec, v);
}

/* append one tick label */
static int
tick(struct buf *out, const struct plottmpl *t, const char *cls, double x, double y, const char *label,
     char *err, size_t n)
{
	char xs[32], ys[32];
	struct tvar v[] = {{"cls", cls}, {"x", xs}, {"y", ys}, {"label", label}};

	snprintf(xs, sizeof(xs), "%.1f", x);
	snprintf(ys, sizeof(ys), "%.1f", y);
	return tmplexpand(out, t->tick, t->tickname, v, LEN(v), err, n);
}

int
plotsvg(struct buf *out, const struct plottmpl *t, const struct plotbox *box, const struct series *s,
        size_t ns, char *err, size_t n)
{
	struct area a = {MLEFT, MTOP, box->w - MRIGHT, box->h - MBOTTOM, 0, 0, 0, 0};
	struct buf grid, ticks, lines, d;
	double ymin = INFINITY, ymax = -INFINITY, xstep, ystep, v;
	int k;
	char ws[16], hs[16], xlx[16], xly[16], ylx[16], yly[16], axes[96], label[64], color[16];
	size_t i, j;
	int ret = -1;

	for (i = 0; i < ns; i++)
		for (j = 0; j < s[i].n; j++)
			if (isfinite(s[i].y[j])) {
				ymin = fmin(ymin, s[i].y[j]);
				ymax = fmax(ymax, s[i].y[j]);
			}
	if (!isfinite(ymin))
		ymin = ymax = 0;
	/* x spans the frames exactly, y is widened to whole ticks */
	plotticks(box->x0, box->x1, box->nticks, 1, &a.x0, &a.x1, &xstep);
	a.x0 = box->x0;
	a.x1 = box->x1 > box->x0 ? box->x1 : box->x0 + 1;
	plotticks(ymin, ymax, box->nticks, 0, &a.y0, &a.y1, &ystep);
	bufinit(&grid), bufinit(&ticks), bufinit(&lines), bufinit(&d);
	for (k = (int)ceil(a.x0 / xstep - 1e-9); (v = k * xstep) <= a.x1 + xstep * 1e-6; k++) {
		bufprintf(&grid, "M%.1f %.1fV%.1f", areax(&a, v), a.t, a.b);
		ticklabel(label, sizeof(label), v, xstep);
		if (tick(&ticks, t, "tx", areax(&a, v), a.b + 13, label, err, n) < 0)
			goto out;
	}
	for (k = 0; (v = a.y0 + k * ystep) <= a.y1 + ystep * 1e-6; k++) {
		bufprintf(&grid, "M%.1f %.1fH%.1f", a.l, areay(&a, v), a.r);
		ticklabel(label, sizeof(label), v, ystep);
		if (tick(&ticks, t, "ty", a.l - 4, areay(&a, v) + 3.5, label, err, n) < 0)
			goto out;
	}
	for (i = 0; i < ns; i++) {
		struct tvar sv[] = {{"color", color}, {"d", ""}, {"title", s[i].title}};

		d.len = 0;
		d.s[0] = '\0';
		pathdata(&d, &a, &s[i]);
		if (d.len == 0)
			continue;
		snprintf(color, sizeof(color), "%d", s[i].color);
		sv[1].value = d.s;
		if (tmplexpand(&lines, t->series, t->seriesname, sv, LEN(sv), err, n) < 0)
			goto out;
	}
	snprintf(ws, sizeof(ws), "%d", box->w);
	snprintf(hs, sizeof(hs), "%d", box->h);
	snprintf(xlx, sizeof(xlx), "%.1f", (a.l + a.r) / 2);
	snprintf(xly, sizeof(xly), "%d", box->h - 4);
	snprintf(ylx, sizeof(ylx), "%d", 11);
	snprintf(yly, sizeof(yly), "%.1f", (a.t + a.b) / 2);
	snprintf(axes, sizeof(axes), "M%.1f %.1fV%.1fH%.1f", a.l, a.t, a.b, a.r);
	{
		struct tvar pv[] = {
			{"w", ws}, {"h", hs}, {"cls", box->cls}, {"grid", grid.s}, {"axes", axes},
			{"ticks", ticks.s}, {"series", lines.s},
			{"xlabelx", xlx}, {"xlabely", xly}, {"ylabelx", ylx}, {"ylabely", yly},
		};

		ret = tmplexpand(out, t->plot, t->plotname, pv, LEN(pv), err, n);
	}
out:
	buffree(&grid), buffree(&ticks), buffree(&lines), buffree(&d);
	return ret;
}
