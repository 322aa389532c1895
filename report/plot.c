#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/tmpl.h"
#include "common/util.h"
#include "plot.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* margins around the plot area in px: room for the tick labels and axis labels */
enum { MLEFT = 44, MRIGHT = 10, MTOP = 8, MBOTTOM = 30 };
/* a compact plot's: tick labels only */
enum { CLEFT = 30, CRIGHT = 4, CTOP = 4, CBOTTOM = 14, MRIGHTTIME = 34 };
/* a scatter of more points than this is drawn as one path per class, without links */
enum { MAXLINKED = 1500 };

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

double
plottimestep(double lo, double hi, int nticks)
{
	static const double steps[] = {
		1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
		86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400, 91 * 86400, 182 * 86400, 364 * 86400,
	};
	double raw = (hi - lo) / (nticks > 0 ? nticks : 1);
	size_t i;

	for (i = 0; i + 1 < LEN(steps) && steps[i] < raw; i++)
		;
	return steps[i];
}

void
plottimelabel(char *s, size_t n, double t, double step)
{
	time_t tt = (time_t)floor(t);
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(s, n, step >= 86400 ? "%m-%d" : step >= 60 ? "%m-%d %H:%M" : "%H:%M:%S", &tm);
}

bool
plothasdata(const struct plotdata *d)
{
	size_t i, j;

	for (i = 0; i < d->ns; i++)
		for (j = 0; j < d->s[i].n; j++)
			if (isfinite(d->s[i].y[j]) && isfinite(d->s[i].x[j]))
				return true;
	for (i = 0; i < d->nb; i++)
		for (j = 0; j < d->b[i].n; j++)
			if (isfinite(d->b[i].lo[j]) && isfinite(d->b[i].hi[j]) && isfinite(d->b[i].x[j]))
				return true;
	for (j = 0; d->p && j < d->p->n; j++)
		if (isfinite(d->p->x[j]))
			return true;
	return false;
}

/* v to one decimal (as "%.1f" but for halves, rounded away from zero) into s, 24 bytes: printf's is a third of a large report's time */
static const char *
fmt1(char *s, double v)
{
	long long t = llround(v * 10);
	char tmp[24];
	int n = 0, len = 0;

	if (!isfinite(v) || fabs(v) > 1e15)
		return snprintf(s, 24, "%.1f", v), s;
	if (t < 0)
		s[len++] = '-', t = -t;
	tmp[n++] = (char)('0' + t % 10);
	tmp[n++] = '.';
	t /= 10;
	do
		tmp[n++] = (char)('0' + t % 10);
	while ((t /= 10));
	while (n)
		s[len++] = tmp[--n];
	s[len] = '\0';
	return s;
}

/* append the path command c and the point x y ("L12.5 40.0") to d */
static void
pathpoint(struct buf *d, char c, double x, double y)
{
	char xs[24], ys[24];

	bufputc(d, c);
	bufputs(d, fmt1(xs, x));
	bufputc(d, ' ');
	bufputs(d, fmt1(ys, y));
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
	pathpoint(p->d, p->npts ? 'L' : 'M', p->x, y);
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

/* the band's columns of one segment: their x, top and bottom in px (npx of them) as a closed outline into d */
static void
bandoutline(struct buf *d, const double *x, const double *top, const double *bot, size_t npx)
{
	size_t i;

	for (i = 0; i < npx; i++)
		pathpoint(d, i ? 'L' : 'M', x[i], top[i]);
	for (i = npx; i-- > 0;)
		pathpoint(d, 'L', x[i], bot[i]);
	bufputc(d, 'Z');
}

/* the path data of band b in a into d: one outline per unbroken part, one column per px */
static void
banddata(struct buf *d, const struct area *a, const struct band *b)
{
	double *x = xreallocarray(NULL, b->n + 1, 3 * sizeof(*x)), *top = x + b->n + 1, *bot = top + b->n + 1, px;
	size_t i, npx = 0;
	int col = 0;

	for (i = 0; i <= b->n; i++) {
		if (i == b->n || !isfinite(b->x[i]) || !isfinite(b->lo[i]) || !isfinite(b->hi[i])) {
			if (npx)
				bandoutline(d, x, top, bot, npx);
			npx = 0;
			continue;
		}
		px = areax(a, b->x[i]);
		if (npx && (int)floor(px) == col) {
			top[npx - 1] = fmin(top[npx - 1], areay(a, b->hi[i]));
			bot[npx - 1] = fmax(bot[npx - 1], areay(a, b->lo[i]));
			continue;
		}
		col = (int)floor(px);
		x[npx] = px, top[npx] = areay(a, b->hi[i]), bot[npx] = areay(a, b->lo[i]);
		npx++;
	}
	free(x);
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

	fmt1(xs, x);
	fmt1(ys, y);
	return tmplexpand(out, t->tick, t->tickname, v, LEN(v), err, n);
}

/* widen [*lo, *hi] to hold v (when finite) */
static void
extend(double *lo, double *hi, double v)
{
	if (isfinite(v)) {
		*lo = fmin(*lo, v);
		*hi = fmax(*hi, v);
	}
}

/* the ranges of the data of d: x into [*x0, *x1], y into [*y0, *y1] (infinite when none) */
static void
dataranges(const struct plotdata *d, double *x0, double *x1, double *y0, double *y1)
{
	size_t i, j;

	*x0 = *y0 = INFINITY;
	*x1 = *y1 = -INFINITY;
	for (i = 0; i < d->ns; i++)
		for (j = 0; j < d->s[i].n; j++)
			if (isfinite(d->s[i].y[j]))
				extend(x0, x1, d->s[i].x[j]), extend(y0, y1, d->s[i].y[j]);
	for (i = 0; i < d->nb; i++)
		for (j = 0; j < d->b[i].n; j++)
			if (isfinite(d->b[i].lo[j]) && isfinite(d->b[i].hi[j]))
				extend(x0, x1, d->b[i].x[j]), extend(y0, y1, d->b[i].lo[j]), extend(y0, y1, d->b[i].hi[j]);
	for (j = 0; d->p && j < d->p->n; j++)
		extend(x0, x1, d->p->x[j]), extend(y0, y1, d->p->y[j]);
}

/* the area of box for d, its x ticks' step into *xstep and its y ticks' into *ystep */
static struct area
plotarea(const struct plotbox *box, const struct plotdata *d, double *xstep, double *ystep)
{
	struct area a = box->xlabel ? (struct area){MLEFT, MTOP, box->w - MRIGHT, box->h - MBOTTOM, 0, 0, 0, 0}
	                            : (struct area){CLEFT, CTOP, box->w - CRIGHT, box->h - CBOTTOM, 0, 0, 0, 0};
	/* room for half of a time's label at the right end */
	if (box->xtime)
		a.r = box->w - MRIGHTTIME;
	double x0, x1, y0, y1, t;

	dataranges(d, &x0, &x1, &y0, &y1);
	if (box->x1 > box->x0)
		x0 = box->x0, x1 = box->x1;
	if (!isfinite(x0))
		x0 = x1 = 0;
	if (!isfinite(y0))
		y0 = y1 = 0;
	/* x spans the data exactly (times: to whole ticks), y is widened to whole ticks */
	if (box->xtime)
		*xstep = plottimestep(x0, x1, box->nticks);
	else
		plotticks(x0, x1, box->nticks, box->x1 > box->x0 ? 1 : 0, &t, &t, xstep);
	if (box->xtime) {
		x0 = floor(x0 / *xstep) * *xstep;
		x1 = fmax(ceil(x1 / *xstep), x0 / *xstep + 1) * *xstep;
	}
	a.x0 = x0;
	a.x1 = x1 > x0 ? x1 : x0 + 1;
	plotticks(y0, y1, box->nticks, 0, &a.y0, &a.y1, ystep);
	return a;
}

/* the grid lines and tick labels of a into grid and ticks */
static int
axes(struct buf *grid, struct buf *ticks, const struct plottmpl *t, const struct plotbox *box, const struct area *a,
     double xstep, double ystep, char *err, size_t n)
{
	char label[64];
	double v, k;

	for (k = ceil(a->x0 / xstep - 1e-9); (v = k * xstep) <= a->x1 + xstep * 1e-6; k++) {
		pathpoint(grid, 'M', areax(a, v), a->t);
		bufprintf(grid, "V%s", fmt1(label, a->b));
		if (box->xtime)
			plottimelabel(label, sizeof(label), v, xstep);
		else
			ticklabel(label, sizeof(label), v, xstep);
		if (tick(ticks, t, "tx", areax(a, v), a->b + (box->xlabel ? 13 : 10), label, err, n) < 0)
			return -1;
	}
	for (k = 0; (v = a->y0 + k * ystep) <= a->y1 + ystep * 1e-6; k++) {
		pathpoint(grid, 'M', a->l, areay(a, v));
		bufprintf(grid, "H%s", fmt1(label, a->r));
		ticklabel(label, sizeof(label), v, ystep);
		if (tick(ticks, t, "ty", a->l - 4, areay(a, v) + 3.5, label, err, n) < 0)
			return -1;
	}
	return 0;
}

/* the bands and series of d into out */
static int
lines(struct buf *bands, struct buf *series, const struct plottmpl *t, const struct area *a, const struct plotdata *d,
      char *err, size_t n)
{
	char color[16];
	struct buf p;
	size_t i;
	int ret = 0;

	bufinit(&p);
	for (i = 0; i < d->nb + d->ns && ret == 0; i++) {
		struct tvar v[] = {{"color", color}, {"d", ""}, {"title", i < d->nb ? "" : d->s[i - d->nb].title}};

		p.len = 0;
		p.s[0] = '\0';
		if (i < d->nb)
			banddata(&p, a, &d->b[i]);
		else
			pathdata(&p, a, &d->s[i - d->nb]);
		if (p.len == 0)
			continue;
		snprintf(color, sizeof(color), "%d", i < d->nb ? d->b[i].color : d->s[i - d->nb].color);
		v[1].value = p.s;
		ret = i < d->nb ? tmplexpand(bands, t->band, t->bandname, v, 2, err, n)
		                : tmplexpand(series, t->series, t->seriesname, v, LEN(v), err, n);
	}
	buffree(&p);
	return ret;
}

/* the points of p into out: each a link, or (many of them) one path per class */
static int
scatter(struct buf *out, const struct plottmpl *t, const struct area *a, const struct points *p, char *err, size_t n)
{
	char xs[32], ys[32];
	struct buf d;
	size_t i, j;
	int ret = 0;

	bufinit(&d);
	for (i = 0; i < p->n && ret == 0; i++) {
		double y = isfinite(p->y[i]) ? areay(a, p->y[i]) : a->b;

		if (!isfinite(p->x[i]))
			continue;
		fmt1(xs, areax(a, p->x[i]));
		fmt1(ys, y);
		if (p->n <= MAXLINKED) {
			struct tvar v[] = {{"cls", p->cls[i]}, {"x", xs}, {"y", ys}, {"href", p->href[i]}, {"title", p->title[i]}};

			ret = tmplexpand(out, t->point, t->pointname, v, LEN(v), err, n);
			continue;
		}
		/* the first point of its class: the path of the class's points */
		for (j = 0; j < i && (strcmp(p->cls[j], p->cls[i]) != 0 || !isfinite(p->x[j])); j++)
			;
		if (j < i)
			continue;
		d.len = 0;
		d.s[0] = '\0';
		for (j = i; j < p->n; j++)
			if (isfinite(p->x[j]) && strcmp(p->cls[j], p->cls[i]) == 0) {
				pathpoint(&d, 'M', areax(a, p->x[j]), isfinite(p->y[j]) ? areay(a, p->y[j]) : a->b);
				bufputs(&d, "h0");
			}
		{
			struct tvar v[] = {{"cls", p->cls[i]}, {"d", d.s}};

			ret = tmplexpand(out, t->dots, t->dotsname, v, LEN(v), err, n);
		}
	}
	buffree(&d);
	return ret;
}

int
plotsvg(struct buf *out, const struct plottmpl *t, const struct plotbox *box, const struct plotdata *d,
        char *err, size_t n)
{
	double xstep, ystep;
	struct area a = plotarea(box, d, &xstep, &ystep);
	struct buf grid, ticks, bands, series, points;
	char ws[16], hs[16], xlx[16], xly[16], yly[16], axis[96];
	int ret = -1;

	bufinit(&grid), bufinit(&ticks), bufinit(&bands), bufinit(&series), bufinit(&points);
	if (axes(&grid, &ticks, t, box, &a, xstep, ystep, err, n) < 0 || lines(&bands, &series, t, &a, d, err, n) < 0 ||
	    (d->p && scatter(&points, t, &a, d->p, err, n) < 0))
		goto out;
	snprintf(ws, sizeof(ws), "%d", box->w);
	snprintf(hs, sizeof(hs), "%d", box->h);
	snprintf(xlx, sizeof(xlx), "%.1f", (a.l + a.r) / 2);
	snprintf(xly, sizeof(xly), "%d", box->h - 4);
	snprintf(yly, sizeof(yly), "%.1f", (a.t + a.b) / 2);
	snprintf(axis, sizeof(axis), "M%.1f %.1fV%.1fH%.1f", a.l, a.t, a.b, a.r);
	{
		struct tvar pv[] = {
			{"w", ws}, {"h", hs}, {"cls", box->cls}, {"grid", grid.s}, {"axes", axis}, {"ticks", ticks.s},
			{"bands", bands.s}, {"series", series.s}, {"points", points.s}, {"xlabelx", xlx}, {"xlabely", xly},
			{"ylabelx", "11"}, {"ylabely", yly}, {"xlabel", box->xlabel ? box->xlabel : ""},
			{"ylabel", box->ylabel ? box->ylabel : ""}, {"xmlns", box->xmlns}, {"style", box->style},
		};

		ret = tmplexpand(out, t->plot, t->plotname, pv, LEN(pv), err, n);
	}
out:
	buffree(&grid), buffree(&ticks), buffree(&bands), buffree(&series), buffree(&points);
	return ret;
}
