#ifndef RUNJA_OVERVIEW_H
#define RUNJA_OVERVIEW_H

#include <stddef.h>

struct buf;
struct report;
struct runinfo;

/* the value the overview plots, one a run */
enum ovwhat {
	OVVALUE,   /* a value of command.report.values */
	OVSPEED,   /* the front speed */
	OVMEAN,    /* the mean intensity */
	OVTIME,    /* the last attempt's time */
};

/* the overview across runs being gathered: one point a run that is done or failed */
struct overview {
	enum ovwhat what;
	int value;            /* OVVALUE: its index in the values */
	double *x, *t, *y;    /* run order, acquisition time (NAN: unknown), value (NAN: none); n of each, owned */
	char **cls;           /* "done", "failed" or "none" (done, no value); borrowed literals */
	char **title;         /* tooltips, HTML-escaped, owned */
	char **href;          /* links to the rows, owned */
	size_t n, cap;
	size_t nfailed;       /* points of failed runs */
};

/* start the overview of r: what it plots is the command's chosen value, else the front speed, mean or time */
void overviewinit(struct overview *o, const struct report *r);
/* add run ri, index i of the page (failed, or done: a point; others: none) */
void overviewadd(struct overview *o, const struct report *r, const struct runinfo *ri, size_t i);
/* append the overview's section to out: against run order, and (folded) against acquisition time when known */
int overviewhtml(const struct overview *o, const struct report *r, struct buf *out, char *err, size_t n);
/* free what o owns */
void deloverview(struct overview *o);

#endif
