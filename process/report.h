#ifndef RUNJA_REPORT_H
#define RUNJA_REPORT_H

#include <stddef.h>

/*
 * The report step: read every summary.json named in listfile (one path a line, in
 * the runs' natural order) and write outdir/summary.csv, replaced atomically.
 * Returns 0, or -1 with "FILE: cause" in err.
 */
int writereport(const char *outdir, const char *listfile, char *err, size_t n);

#endif
