#ifndef RUNJA_SLURM_H
#define RUNJA_SLURM_H

#include <stddef.h>
#include <stdio.h>

#include "emit.h"

/*
 * runja-gen --slurm-script: write to out a batch script (from the template text tmpl,
 * named tname in messages) that runs ninja inside one SLURM allocation sized from
 * nstale, the number of runs that are not up to date. Returns 0 or -1 with err.
 */
int slurmscript(const struct emit *e, size_t nstale, const char *tmpl, const char *tname, FILE *out,
                char *err, size_t n);
/* slurmscript with the template TDIR/slurm/batch.sh and the runs --check finds not up to date; 0 or -1 with err */
int slurmprint(const struct emit *e, const char *tdir, FILE *out, char *err, size_t n);

#endif
