#ifndef RUNJA_REPORT_H
#define RUNJA_REPORT_H

#include <stddef.h>

struct buf;

/*
 * The report step: for every run id listed in outdir/.runja/runs (one a line, in
 * natural order, written by runja-gen) read outdir/ID/summary.json, error.txt and
 * front.csv, write the thumbnails outdir/.runja/thumbs/ID/mean.png and timestack.png,
 * and replace outdir/summary.csv and outdir/index.html atomically. A failed run
 * (error.txt) or one not processed yet (no summary.json) is a row that says so.
 * tdir is the templates folder (holding report/), or NULL: beside the program, else
 * the installed one. Returns 0, or -1 with "FILE: cause" in err.
 */
int writereport(const char *outdir, const char *tdir, char *err, size_t n);

/* append s escaped for HTML text and attribute values (& < > " ') */
void htmlescape(struct buf *b, const char *s);
/* append s percent-encoded for a relative URL: all but A-Z a-z 0-9 - . _ ~ / */
void urlescape(struct buf *b, const char *s);

#endif
