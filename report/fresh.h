#ifndef RUNJA_FRESH_H
#define RUNJA_FRESH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct report;
struct runinfo;

/*
 * Whether a run's page and the plots of its row need writing again. Its page carries
 * the signature of what they were made from: the report's templates and settings
 * (base, freshbase), the run's place on the page, what the report read of it, its
 * attempts in the ledger and the identity (size, time, inode) of each file they are
 * read from. A run whose signature is the same is left as it is, so a report over
 * 10,000 runs writes only those that changed.
 */

/* the signature of what every run's outputs depend on alike: the templates and OUT/.runja/report.json */
uint64_t freshbase(const struct report *r);
/* the signature of run ri, index i of the page */
uint64_t freshsig(const struct report *r, const struct runinfo *ri, size_t i, uint64_t base);
/* does the page of run id carry sig? */
bool freshis(const struct report *r, const char *id, uint64_t sig);
/* the signature's line at the top of a page, into s (at least 48 bytes) */
void freshline(char *s, size_t n, uint64_t sig);

#endif
