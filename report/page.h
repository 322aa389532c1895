#ifndef RUNJA_PAGE_H
#define RUNJA_PAGE_H

#include <stddef.h>

struct runinfo;

/* the report page of an output folder: its templates */
struct page;

/*
 * The page of outdir (borrowed) with the templates of tdir/report (tdir NULL: beside
 * the program, else the installed ones); NULL with "FILE: cause" in err. Free with delpage.
 */
struct page *mkpage(const char *outdir, const char *tdir, char *err, size_t n);
/* free p (NULL: nothing) */
void delpage(struct page *p);
/*
 * Write OUTDIR/index.html: a header counting the nruns runs by state, the plot of
 * every run's front, a row per run in their order (making its thumbnails when stale).
 * 0, or -1 with "FILE: cause" in err.
 */
int pagewrite(struct page *p, const struct runinfo *runs, size_t nruns, char *err, size_t n);

/* a duration as the page shows it, into s: "0.4 s", "59.9 s", "4 min 05 s", "2 h 03 min" */
void reportduration(char *s, size_t n, double seconds);

#endif
