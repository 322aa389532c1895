#ifndef RUNJA_REPORT_H
#define RUNJA_REPORT_H

#include <stddef.h>

/*
 * The report step: for every run id listed in outdir/.runja/runs (one a line, in
 * natural order, written by runja-gen) read outdir/ID/summary.json, and write
 * outdir/summary.csv, replaced atomically. Returns 0, or -1 with "FILE: cause" in err.
 */
int writereport(const char *outdir, char *err, size_t n);

#endif
