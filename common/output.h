#ifndef RUNJA_OUTPUT_H
#define RUNJA_OUTPUT_H

#include <stddef.h>

/*
 * The files one run writes: each is written under a temporary name, and renamed to its
 * real name only when every one of them was written and flushed, in the order added. A
 * rename that fails part way leaves the files before it renamed: the one added last
 * (summary.json) is what says a run is done, so a reader never takes a part for done.
 */
struct outset {
	char **final;  /* real paths, owned */
	char **tmp;    /* temporary paths beside them, owned */
	size_t n, cap;
};

/* start an empty set */
void outinit(struct outset *o);
/* add dir/name; returns the temporary path to write (owned by the set) */
const char *outadd(struct outset *o, const char *dir, const char *name);
/* flush every temporary file to the disk, then rename each to its real name in the order added; 0, or -1 with err (call outabort then) */
int outcommit(struct outset *o, char *err, size_t n);
/* remove every temporary file */
void outabort(struct outset *o);
/* free the set (files are left as they are) */
void delout(struct outset *o);

/*
 * Refuse to write to path (a folder or file of run id, called what in the message:
 * "output folder", "state folder", "depfile") when, '..' and links resolved (fsresolve),
 * it is the run folder run, lies inside it or holds it: 0, or -1 with one line in err,
 * "ID: output folder 'OUT' lies inside the run folder 'RUN'; raw data is never written to".
 */
int outguard(const char *id, const char *what, const char *path, const char *run, char *err, size_t n);

#endif
