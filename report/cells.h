#ifndef RUNJA_CELLS_H
#define RUNJA_CELLS_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct report;
struct rundata;
struct runinfo;

/* the address of run id's page (OUT/.runja/pages/ID.html) relative to OUT, URL-escaped; caller frees */
char *cellspage(const char *id);
/*
 * Append the row of run ri, index i of the page, to out: a cell per column of r (its
 * plots written to OUT/.runja/thumbs/ID/ unless fresh and there, its thumbnails made
 * there when stale). The images' addresses are in their style when eager, else in
 * data-i, for the page's script to set when their table comes near the screen.
 * 0, or -1 with "FILE: cause" in err.
 */
int cellsrow(const struct report *r, const struct runinfo *ri, size_t i, const struct rundata *d, bool fresh,
             bool eager, struct buf *out, char *err, size_t n);
/*
 * Make the stale thumbnails of every row's image products at once, on the cores the
 * runs' tokens leave free (OUT/.runja/cores), and note in r->thumbs those made or found
 * fresh: their rows use them as they are. What fails is left for its row, which tries
 * again and tells why.
 */
void cellsthumbs(struct report *r);
/* append the row of a failed or waiting run ri, index i: its error or why it waits (a command's log too) */
int cellsmsgrow(const struct report *r, const struct runinfo *ri, size_t i, struct buf *out, char *err, size_t n);
#endif
