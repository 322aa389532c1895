#ifndef RUNJA_JOBSLURM_H
#define RUNJA_JOBSLURM_H

#include <stdbool.h>
#include <stddef.h>

#include "jobs.h"

struct buf;

/*
 * The SLURM part of OUT/.runja/jobs (common/jobs.h): its lines, and the srun line
 * launcher "slurm" runs an attempt under.
 */

/* append the slurm_* and need lines for s to b (none for what is not set) */
void jobsfmtslurm(struct buf *b, const struct jobsslurm *s);
/* one line of the file whose key starts "slurm_" or is "need", its value after it; 0 or -1 with err */
int jobsslurmline(struct jobsslurm *s, const char *key, const char *value, char *err, size_t n);
/* add to s what run id needs (time seconds, memory bytes; 0 when not known) */
void jobsaddneed(struct jobsslurm *s, const char *id, long long time, long long memory);
/* free s's needs (none left) */
void jobsdelneeds(struct jobsslurm *s);
/* the time (seconds) and memory (bytes) run id asks for: the settings', else its need's; 0 for none */
void jobsrunasks(const struct jobsslurm *s, const char *id, long long *time, long long *memory);
/*
 * srun's line for an attempt at run id: "srun --quiet --disable-status -N1 -n1", the
 * run's resources, --exclusive inside an allocation (inalloc: CPUs of its own for the
 * step), --partition and --account outside one (a step has its job's), the extra
 * words, then argv[0], flag and the rest of argv. NULL-terminated; the caller owns it
 * and its strings.
 */
char **jobssrun(const struct jobsslurm *s, const char *id, bool inalloc, char *const *argv, const char *flag);

#endif
