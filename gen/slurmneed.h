#ifndef RUNJA_SLURMNEED_H
#define RUNJA_SLURMNEED_H

#include "common/jobs.h"
#include "emit.h"

/*
 * What each run of e asks SLURM for where jobs.slurm does not say, added to s as needs
 * (common/jobslurm.h):
 *  - memory: the figure jobs.pool = "auto" takes (gen/pool.h): the largest peak RSS the
 *    ledger measured of its last few successful attempts with the parameters it has now
 *    plus 10 %, else the estimate of its pipeline, else command.memory;
 *  - time: the longest of those attempts times SLURMNEEDFACTOR plus SLURMNEEDPAD
 *    seconds, at most command.timeout plus SLURMNEEDPAD (the command is stopped then
 *    and its failure recorded); none when neither is known;
 *  - at least SLURMNEEDMIN bytes, for what the figure cannot show (the step's own
 *    processes, libraries loaded on another host).
 * Nothing is added when jobs.slurm sets both.
 */
#define SLURMNEEDFACTOR 1.5
#define SLURMNEEDPAD 120
#define SLURMNEEDMIN (64.0 * 1024 * 1024)
void slurmneeds(const struct emit *e, struct jobsslurm *s);

#endif
