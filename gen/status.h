#ifndef RUNJA_STATUS_H
#define RUNJA_STATUS_H

#include <stdbool.h>
#include <stdio.h>

#include "emit.h"
#include "scan.h"

/*
 * runja-gen --status: one line per run with its state (done, failed, new, stale,
 * waiting), and from the last attempt in OUT/.runja/ledger.tsv when it ran, how
 * long, its peak memory and, for a failed run, its error; as a JSON array with json.
 * A run being processed (common/progress.h) is running instead: when its attempt
 * began, for how long, how far it is and the time left (eta.h), in JSON a "progress"
 * object. waiting lists the runs not ready yet (nwaiting of them).
 */
void printstatus(const struct emit *e, const struct waiting *waiting, size_t nwaiting, bool json, FILE *out);
/* printstatus, or with watch (--watch[=S]: S, "" for the default; NULL: none) watchstatus (watch.h); the exit status */
int statusshow(const struct emit *e, const struct waiting *waiting, size_t nwaiting, bool json, const char *watch,
               FILE *out);

#endif
