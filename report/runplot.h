#ifndef RUNJA_RUNPLOT_H
#define RUNJA_RUNPLOT_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct report;
struct rundata;

/* the plots of one run */
enum runplot {
	PLOTFRAMES,  /* the mean over frames, in the band between min and max */
	PLOTFRONT,   /* the front position over frames */
	PLOTUSER,    /* the command's CSV (command.report.plot) */
	NRUNPLOTS
};

/* does d have plot k to draw? */
bool runplothas(const struct report *r, const struct rundata *d, enum runplot k);
/*
 * Append plot k of d to out: small (a row's, without axis labels) or large (a run page's),
 * inline or as a standalone SVG file (file); title (HTML-escaped) its lines' tooltip,
 * color its palette index. 0, or -1 with "TEMPLATE:LINE: cause" in err.
 */
int runplotsvg(const struct report *r, const struct rundata *d, enum runplot k, const char *title, int color,
               bool small, bool file, struct buf *out, char *err, size_t n);
/* the file name of plot k in OUT/.runja/thumbs/ID/: "frames.svg", "front.svg", "plot.svg" */
const char *runplotname(enum runplot k);

#endif
