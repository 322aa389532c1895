#ifndef RUNJA_PLOT_H
#define RUNJA_PLOT_H

#include <stddef.h>

struct buf;

/* the SVG templates of a plot (texts and names borrowed) */
struct plottmpl {
	const char *plot, *plotname;      /* the frame: axes and their labels, {{ticks}}, {{series}} */
	const char *series, *seriesname;  /* one line */
	const char *tick, *tickname;      /* one tick label */
};

/* one line of a plot: y over x, broken where y is NAN */
struct series {
	const char *title;     /* HTML-escaped, the line's tooltip; borrowed */
	const double *x, *y;   /* n points, x increasing; borrowed */
	size_t n;
	int color;             /* palette index, the CSS class cN */
};

/* a plot's size in px, CSS class (borrowed), x range and about how many ticks per axis */
struct plotbox {
	int w, h;
	const char *cls;
	double x0, x1;
	int nticks;
};

/*
 * Nice ticks covering [lo, hi]: *step (1, 2 or 5 times a power of ten, at least minstep)
 * and the axis range [*t0, *t1], multiples of it, about nticks steps apart.
 */
void plotticks(double lo, double hi, int nticks, double minstep, double *t0, double *t1, double *step);
/* does any series have a point to draw? */
int plothasdata(const struct series *s, size_t ns);
/*
 * Append the SVG plot of the ns series to out: axes, grid, tick labels, one path per
 * series (at most 4 points per px column). 0, or -1 with "TEMPLATE:LINE: cause" in err.
 */
int plotsvg(struct buf *out, const struct plottmpl *t, const struct plotbox *box, const struct series *s,
            size_t ns, char *err, size_t n);

#endif
