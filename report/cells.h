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
 * there when stale).
 * 0, or -1 with "FILE: cause" in err.
 */
int cellsrow(const struct report *r, const struct runinfo *ri, size_t i, const struct rundata *d, bool fresh,
             struct buf *out, char *err, size_t n);
/* append the row of a failed or waiting run ri, index i: its error or why it waits (a command's log too) */
int cellsmsgrow(const struct report *r, const struct runinfo *ri, size_t i, struct buf *out, char *err, size_t n);
/*
 * Append the thumbnail of the image OUT/ID/DIR/NAME a command wrote (dir: "" or
 * "command/"), made now when stale as OUT/.runja/thumbs/ID/DIR/NAME, or why there is
 * none; an image the browser shows as it is (SVG, JPEG, GIF, WebP) is shown itself.
 */
int cellsimage(const struct report *r, const struct runinfo *ri, const char *dir, const char *name, struct buf *out,
               char *err, size_t n);

#endif
