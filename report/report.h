#ifndef RUNJA_REPORT_H
#define RUNJA_REPORT_H

#include <stddef.h>

struct buf;

/*
 * The report step: for every run id listed in outdir/.runja/runs (one a line, in
 * natural order, written by runja-gen) and waiting in outdir/.runja/waiting, read what
 * it is (runinfo.h), the ledger and what outdir/.runja/report.json names of a command's
 * results (show.h); replace outdir/summary.csv and outdir/index.html (page.h)
 * atomically, writing each run's page, row plots and thumbnails under outdir/.runja
 * when they changed. A failed run (error.txt) or one not processed yet (no
 * summary.json) says so. A run of a user's own command (README: "Your own program per
 * run") is one whose summary.json says "kind": "command", or, after the pipeline, that
 * has outdir/ID/command/summary.json; its failure record
 * outdir/.runja/failed/ID/error.txt wins over an older summary.
 * tdir is the templates folder (holding report/), or NULL: beside the program, else
 * the installed one. When failed is not NULL, the ids of the failed runs are appended
 * to it, one a line in natural order, a quarantined run's after a tab. Returns 0, or -1 with "FILE: cause" in err.
 */
int writereport(const char *outdir, const char *tdir, struct buf *failed, char *err, size_t n);

#endif
