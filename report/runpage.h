#ifndef RUNJA_RUNPAGE_H
#define RUNJA_RUNPAGE_H

#include <stddef.h>
#include <stdint.h>

struct report;
struct rundata;
struct runinfo;

/*
 * Write the page of run ri, index i of index.html, to OUT/.runja/pages/ID.html (only
 * when its text changed): what it is (state, error, frames, size, values, the last
 * attempt), its plots (d), every image product and image of its command at full size,
 * its summaries as tables, the end of its command's log and its attempts from the
 * ledger, newest first; its second line is the signature sig (fresh.h). 0, or -1 with
 * "FILE: cause" in err.
 */
int runpagewrite(const struct report *r, const struct runinfo *ri, size_t i, const struct rundata *d, uint64_t sig,
                 char *err, size_t n);
/* the stylesheet of the runs' pages, OUT/.runja/RUNPAGECSS (the page's and the plots' styles), written when it changed; 0 or -1 with err */
int runpagecss(const struct report *r, char *err, size_t n);

/* the file of the runs' pages' stylesheet in OUT/.runja */
#define RUNPAGECSS "pages/report.css"

#endif
