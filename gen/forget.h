#ifndef RUNJA_FORGET_H
#define RUNJA_FORGET_H

#include <stdbool.h>
#include <stdio.h>

#include "emit.h"

/*
 * runja-gen --retry WHICH (a run id, or "all"): forget the quarantine of those runs
 * (OUT/.runja/quarantine/ID, tried/ID), so the next build tries them again.
 * --rerun WHICH: also forget what their results were made from and their first
 * output (summary.json, a command's stamp), so the next build processes them again,
 * done or not. Before the plan is made: a run no longer quarantined gets its own edge.
 * A line to out says what was done; returns how many runs had something to forget,
 * or -1 with err when WHICH names no run.
 */
int forgetruns(const struct emit *e, const char *which, bool rerun, FILE *out, char *err, size_t n);

#endif
