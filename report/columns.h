#ifndef RUNJA_COLUMNS_H
#define RUNJA_COLUMNS_H

#include <stddef.h>

#include "ctx.h"

struct buf;

/*
 * The columns of the runs' table into r->cols: those of what the runs that are not
 * failed or waiting hold (a product, a command's value, a ledger figure), and none
 * that would be empty for every one of them.
 */
void columnsfor(struct report *r);
/* the name of image product k of IMAGEPRODUCTS ("mean", ...) */
const char *columnimage(int k);
/*
 * Append the table's <col> elements to cols, its header cells to ths and the CSS of
 * its widths to css. 0, or -1 with "TEMPLATE:LINE: cause" in err.
 */
int columnshead(const struct report *r, struct buf *cols, struct buf *ths, struct buf *css, char *err, size_t n);

#endif
