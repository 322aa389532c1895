#ifndef RUNJA_PAGE_H
#define RUNJA_PAGE_H

#include <stddef.h>

struct report;

/*
 * Write OUTDIR/index.html for r: a header counting its runs by state, the overview
 * across runs (and every run's front, for a few), the runs that need attention first
 * (failed, quarantined, waiting) with their errors, then the others grouped by folder,
 * a row each in tables of at most CHUNKROWS rows that the browser lays out only when
 * seen; each run's page (runpage.h) and the plots and thumbnails of its row are written
 * on the way. 0, or -1 with "FILE: cause" in err.
 */
int pagewrite(struct report *r, char *err, size_t n);

/* a number as the page shows it, into s: a whole number as one ("40", "-3"), else 9 significant digits ("0.123831288") */
void reportnumber(char *s, size_t n, double v);
/* a duration as the page shows it, into s: "0.4 s", "59.9 s", "4 min 05 s", "2 h 03 min" */
void reportduration(char *s, size_t n, double seconds);

#endif
