#ifndef RUNJA_LEFTOVER_H
#define RUNJA_LEFTOVER_H

#include <stddef.h>

struct execopts;

/*
 * The work folder W = STATE/work/ID of an attempt that did not end as attempts end
 * (removing it): its build was killed outright (SIGKILL, a lost login node), or its
 * step still runs on a node after its build died. An attempt holds W/.attempt locked
 * (leftoverlock) while it runs.
 */

/* the lock file in W */
#define LEFTOVERLOCK ".attempt"

/*
 * Before an attempt at o's run, its lock held: when W is there and its attempt still
 * runs, say so and wait for it to end (it records itself); when its attempt is gone,
 * record that attempt in the ledger as cut short and remove W. Problems are warned about.
 */
void leftovercheck(const struct execopts *o);
/* lock W/LEFTOVERLOCK (W made) for this attempt of run id: the descriptor (close it once W is removed), or -1 with err */
int leftoverlock(const char *work, const char *id, char *err, size_t n);

#endif
