#ifndef RUNJA_OUTDIR_H
#define RUNJA_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "scan.h"

/*
 * Does the scan s find folders inside c's output folder, all of them runja's results
 * (OUT/RUNID holding summary.json, error.txt, .runja.done or runja.log)? Then the output
 * folder is runja's, though its OUT/.runja was deleted: scan again skipping it.
 */
bool outdirresults(const struct conf *c, const struct scan *s);

/*
 * Are c's output folder and the build's folder (the config's, the current one) clear of
 * raw data? -1 with one line in err ("CFGNAME: output.dir 'X' lies inside the run folder
 * Y; ...") when the output folder is, lies inside or holds the data tree's root or a
 * folder the scan s matched (a run, waiting or without frames), or the build's folder
 * is or lies inside such a run folder, '..' and links resolved, whether or not they
 * exist yet; else 0. Writes nothing.
 */
int outdircheck(const struct conf *c, const struct scan *s, const char *cfgname, char *err, size_t n);

/*
 * Is c's output folder this configuration's (cfgname in the current folder)? OUT/.runja/owner
 * holds the path of the configuration that first wrote it, relative to OUT (so that moving
 * the project with its outputs keeps it). -1 with one line in err when it names another:
 * two configurations writing one output folder overwrite each other's results and
 * records, and each build then finds the other's stale. claim: write it when missing
 * (OUT/.runja must exist). 0 otherwise.
 */
int outdirowner(const struct conf *c, const char *cfgname, bool claim, char *err, size_t n);

#endif
