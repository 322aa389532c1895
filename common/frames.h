#ifndef RUNJA_FRAMES_H
#define RUNJA_FRAMES_H

#include <stddef.h>

/*
 * The frames of a run: files in rundir matching glob ("GLOB" or "SUB/GLOB"), as
 * names relative to rundir, in natural order. Entries that are not regular files
 * (folders, broken links) are warned about (prefixed by id) and left out.
 * Returns 0 with *v (owned by the caller, free with delstrv) or -1 with err.
 */
int listframes(const char *rundir, const char *glob, const char *id, char ***v, size_t *nv,
               char *err, size_t n);

#endif
