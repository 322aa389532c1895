#ifndef RUNJA_OVERRIDE_H
#define RUNJA_OVERRIDE_H

#include <stddef.h>

#include "conf.h"
#include "scan.h"

/*
 * Read the override of run r, if it has one: RUNDIR/OVERRIDE (runs.override, r->override
 * says it is there) or OVERRIDES/RUNID.cfg (runs.overrides, beside runja.cfg, so that the
 * data can stay read-only); c is the main file, named cfgname. Returns 0 with *over parsed
 * (free with delconf) or untouched when there is none, or -1 with one line in err:
 * "FILE:LINE: message", or both files named when the run has both. The caller fails that
 * run alone.
 */
int overrideread(const struct conf *c, const char *cfgname, const struct run *r, struct conf *over, char *err,
                 size_t n);

/*
 * The paths the regeneration watches for runs.overrides: the folder and every folder in it
 * (a file added), and every RUNID.cfg in them (a file edited in place); when the folder does
 * not exist, the folder it would appear in. Appended to *paths (n of them, owned by the caller).
 */
void overridewatch(const struct conf *c, char ***paths, size_t *n);

#endif
