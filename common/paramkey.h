#ifndef RUNJA_PARAMKEY_H
#define RUNJA_PARAMKEY_H

#include <stdbool.h>
#include <stddef.h>

#include "spec.h"

/*
 * The parameters key of a run: 16 hex digits naming what an attempt computes apart from
 * which run it is and where it writes, so that what the ledger measured of one attempt
 * (its peak RSS) stands for the next one with the same parameters. runja-process and
 * runja-exec write it in their ledger lines; runja-gen computes it, from the same
 * canonical texts, to size jobs.pool = "auto".
 */

/* the room for a key: 16 hex digits and a NUL */
#define PARAMKEYSIZE 17

/*
 * The key of a pipeline run into key (PARAMKEYSIZE bytes): the canonical texts of its ops
 * (specfmtop) and products (specprodtexts), its channel, max pixels and npy.
 */
void paramkeypipeline(char *key, const struct opspec *ops, size_t nops, const struct prodspec *p, enum channel ch,
                      long long maxpixels, bool npy);
/*
 * The key of a command into key (PARAMKEYSIZE bytes): its program and arguments as
 * written (nprog of them, placeholders unexpanded) and its parameters' canonical JSON
 * text (NULL: none, the same as "{}").
 */
void paramkeycommand(char *key, char *const *prog, size_t nprog, const char *params);

#endif
