#ifndef RUNJA_WATCH_H
#define RUNJA_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common/progress.h"
#include "emit.h"
#include "eta.h"

/*
 * runja-gen --status --watch: the runs being processed and how far each is, looked at
 * again every interval seconds (0: 1 on a terminal, else 10) until none has been for
 * WATCHGRACE seconds (at once when none is at the start), or Ctrl-C. When out is a
 * terminal the lines are redrawn in place: a bar per run, then the number of runs in
 * each state; otherwise out gets plain lines, no control codes: one per run when it is
 * first seen, when its count moves (or a minute passed) and when it ends, and the counts
 * at the end. nwaiting runs are not ready yet. Returns the exit status, 0.
 */
int watchstatus(const struct emit *e, size_t nwaiting, double interval, FILE *out);

/* the seconds of --watch=S, 0.1 to 3600, or -1 when s is no such number */
double watchinterval(const char *s);
/* the seconds with no run under way after which the watch ends */
#define WATCHGRACE 3.0

/* append run p's bar (width cells inside brackets) and what e says; a run not counted gets "running for ..." */
void watchbar(struct buf *b, const struct progress *p, const struct eta *e, int width);
/* append p's plain text: "412/1000 (41 %), about 18 s left", or "running for 1 min 20 s, usually 3 min, ..." */
void watchplain(struct buf *b, const struct progress *p, const struct eta *e);

#endif
