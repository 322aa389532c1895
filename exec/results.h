#ifndef RUNJA_RESULTS_H
#define RUNJA_RESULTS_H

#include <stddef.h>

struct execopts;
struct inputs;
struct job;

/*
 * Check what the program wrote in W/out (something, and not runja's own names), move
 * W/runja.log in (a->log follows it), add summary.json and the depfile, flush; 0 or -1
 * with the error line.
 */
int resultscollect(struct job *a, char *err, size_t n);
/* put W/out in CMDOUT's place: swapped with it (the old results land in W/out), or moved there; 0 or -1 with err */
int resultscommit(const struct job *a, char *err, size_t n);
/* the stamp at path (its folder made), written once the results are in: its mtime says when the run was last done; 0 or -1 with err */
int resultsstamp(const char *path, char *err, size_t n);
/* write the depfile at path, flushed with its folder (unless that is later, which the caller flushes next): run o's
 * outcome stamp (its edge's first output) depends on its frames names[nnames]; 0 or -1 with err */
int resultsdeps(const struct execopts *o, char *const *names, size_t nnames, const char *path, const char *later,
                char *err, size_t n);

/*
 * Write the record of in (common/inputs.h; the caller hashed every file) at path,
 * atomically but not flushed. CMDOUT/.runja.inputs comes after what resultscollect
 * flushed (the log, summary.json and the folder's entries) and lies inside the folder,
 * so it goes where the folder goes; one that a crash lost, left empty or cut short is
 * not the record of these inputs, and the run is only done again. 0 or -1 with err.
 */
int resultsrecord(const char *path, const struct inputs *in, char *err, size_t n);

#endif
