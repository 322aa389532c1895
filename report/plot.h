#ifndef RUNJA_PLOT_H
#define RUNJA_PLOT_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* the SVG templates of a plot (texts and names borrowed) */
struct plottmpl {
	const char *plot, *plotname;      /* the frame: grid, axes, their labels, {{ticks}}, {{bands}}, {{series}}, {{points}} */
	const char *series, *seriesname;  /* one line */
	const char *tick, *tickname;      /* one tick label */
	const char *band, *bandname;      /* one band, filled between two lines */
	const char *point, *pointname;    /* one point of a scatter, a link */
	const char *dots, *dotsname;      /* every point of a class as one path, for a scatter of many */
};

/* one line of a plot: y over x, broken where y is NAN */
struct series {
	const char *title;     /* HTML-escaped, the line's tooltip; borrowed */
	const double *x, *y;   /* n points, x increasing; borrowed */
	size_t n;
	int color;             /* palette index, the CSS class cN */
};

/* a band between lo and hi over x, broken where either is NAN (a min-max range) */
struct band {
	const double *x, *lo, *hi;  /* n points, x increasing; borrowed */
	size_t n;
	int color;                  /* palette index */
};

/* the points of a scatter, one a run; a point whose y is NAN is drawn on the x axis (a run without a value) */
struct points {
	const double *x, *y;        /* n points; borrowed */
	const char *const *cls;     /* each point's CSS class; borrowed */
	const char *const *title;   /* each point's tooltip, HTML-escaped; borrowed */
	const char *const *href;    /* each point's link, HTML-escaped; borrowed */
	size_t n;
};

/* a plot's size in px, look and x range */
struct plotbox {
	int w, h;
	const char *cls;            /* its CSS class */
	double x0, x1;              /* the x range; x1 <= x0: that of the data */
	int nticks;                 /* about how many ticks per axis */
	const char *xlabel;         /* the axes' labels, HTML-escaped; NULL: a compact plot, small margins, no labels */
	const char *ylabel;
	bool xtime;                 /* x is seconds since the epoch: the ticks are UTC dates and times */
	const char *xmlns, *style;  /* what a standalone SVG file adds (its namespace, a <style>); "" inline */
};

/* what a plot draws: bands under lines under points */
struct plotdata {
	const struct series *s;
	size_t ns;
	const struct band *b;
	size_t nb;
	const struct points *p;     /* NULL: none */
};

/*
 * Nice ticks covering [lo, hi]: *step (1, 2 or 5 times a power of ten, at least minstep)
 * and the axis range [*t0, *t1], multiples of it, about nticks steps apart.
 */
void plotticks(double lo, double hi, int nticks, double minstep, double *t0, double *t1, double *step);
/* a step for time ticks over [lo, hi] seconds, about nticks apart: 1 s, 2 s, 5 s, ... 1 h, ..., 1 day, ... */
double plottimestep(double lo, double hi, int nticks);
/* the label of time tick t (seconds since the epoch) on an axis of the given step, UTC: "03-14", "03-14 10:30", "10:30:15" */
void plottimelabel(char *s, size_t n, double t, double step);
/* does d have a point to draw? */
bool plothasdata(const struct plotdata *d);
/*
 * Append the SVG plot of d to out: axes, grid, tick labels, bands, one path per series
 * (at most 4 points per px column), the points. 0, or -1 with "TEMPLATE:LINE: cause" in err.
 */
int plotsvg(struct buf *out, const struct plottmpl *t, const struct plotbox *box, const struct plotdata *d,
            char *err, size_t n);

#endif
