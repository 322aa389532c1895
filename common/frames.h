#ifndef RUNJA_FRAMES_H
#define RUNJA_FRAMES_H

#include <stddef.h>
#include <stdint.h>

/*
 * The frames of a run: files in rundir matching glob ("GLOB" or "SUB/GLOB"), as
 * names relative to rundir, in natural order. Entries that are not regular files
 * (folders, broken links) are warned about (prefixed by id) and left out.
 * Returns 0 with *v (owned by the caller, free with delstrv) or -1 with err.
 */
int listframes(const char *rundir, const char *glob, const char *id, char ***v, size_t *nv,
               char *err, size_t n);
/* listframes without the warnings: for a look that the processing itself repeats */
int listframesquiet(const char *rundir, const char *glob, const char *id, char ***v, size_t *nv, char *err, size_t n);

/*
 * Add the frame name to *sig, a signature of a run's set of frame names that does not
 * depend on the order they are added in (start from 0): a frame added, removed or
 * renamed changes it, a file that is no frame does not.
 */
void framesigadd(uint64_t *sig, const char *name);

#endif
