#ifndef RUNJA_DEPFILE_H
#define RUNJA_DEPFILE_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* where and how to write a run's depfile (deps = gcc for ninja, or an include for GNU make) */
struct depfile {
	const char *path;      /* the file to write */
	const char *target;    /* what depends on the inputs: CMDOUT/summary.json */
	const char *aliasdir;  /* folder for links to names the parser cannot read (STATE/alias), or NULL */
	const char *id;        /* run id, in the warning about an input left out */
	bool make;             /* for GNU make: stricter names, and an empty rule "FILE:" per input (as gcc -MP) */
};

/* remember path as an input of the run: one line appended to inputs */
void depadd(struct buf *inputs, const char *path);
/*
 * Write d->path: d->target depends on every line of inputs, escaped for the parser. A
 * name it cannot read (a quote, '&', ';' ...) is listed through a symbolic link in
 * d->aliasdir named by a hash of the path; when that fails too it is left out, with one
 * warning. 0 or -1 with err.
 */
int depwrite(const struct depfile *d, const char *inputs, char *err, size_t n);

#endif
