#ifndef RUNJA_TMPLS_H
#define RUNJA_TMPLS_H

#include <stddef.h>

#include "common/util.h"
#include "plot.h"

struct tvar;

/* the report's templates, each a file in TEMPLATES/report/ (tmpls.c names them) */
enum tmplid {
	/* index.html */
	TPAGE, TSTYLE, TPLOTCSS, TSCRIPT, TOVERVIEW, TOVERVIEWTIME, TFRONTS, TLEGEND, TATTENTION, TCHUNKMSG, TROWMSG,
	TGROUPINDEX, TGROUPITEM, THEAD, TGROUP, TGROUPHEADING, TCHUNK, TCOL, TTH, TROW, TCELL, TIDLINK, TTHUMB,
	TSPARK, TNONE, TBAD, TTHUMBERR, TLOG, TTIME, TWIDTH, TWIDTHS, TBG, TBGLAZY,
	/* plots, and an SVG file's style */
	TPLOT, TSERIES, TTICK, TBAND, TPOINT, TDOTS, TSVGFILE,
	/* a run's page */
	TRUNPAGE, TSECTION, TKVTABLE, TKV, TFIGURE, TATTEMPTS, TATTEMPT,
	NTMPL
};

/* the templates as read */
struct tmpls {
	char *path[NTMPL];      /* their paths, owned */
	struct buf t[NTMPL];    /* their texts (s NULL: not read) */
	struct plottmpl plot;   /* the plots' templates, borrowed from t */
	char *svgstyle;         /* what a standalone SVG file of a plot holds first: its <style>, owned */
};

/*
 * Read the templates of tdir/report (tdir NULL: beside the program, else the installed
 * ones) into t. 0, or -1 with "FILE: cause" in err (free t with deltmpls either way).
 */
int tmplsload(struct tmpls *t, const char *tdir, char *err, size_t n);
/* free what t owns */
void deltmpls(struct tmpls *t);
/* append template i of t with the nv variables v to out; 0, or -1 with "FILE:LINE: cause" in err */
int tmplsput(const struct tmpls *t, struct buf *out, enum tmplid i, const struct tvar *v, size_t nv, char *err, size_t n);
/* tmplsput with the one variable name, the plain text text escaped for HTML */
int tmplsputtext(const struct tmpls *t, struct buf *out, enum tmplid i, const char *name, const char *text, char *err,
                 size_t n);
/*
 * Replace the file at path by the len bytes of text unless it holds them already (its
 * folder made when missing): a page or plot rewritten with the same content keeps its
 * file and time. 0, or -1 with "FILE: cause" in err.
 */
int writechanged(const char *path, const char *text, size_t len, char *err, size_t n);

#endif
