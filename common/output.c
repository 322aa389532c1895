#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/util.h"
#include "output.h"

void
outinit(struct outset *o)
{
	o->final = o->tmp = NULL;
	o->n = o->cap = 0;
}

const char *
outadd(struct outset *o, const char *dir, const char *name)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		o->final = xreallocarray(o->final, o->cap, sizeof(*o->final));
		o->tmp = xreallocarray(o->tmp, o->cap, sizeof(*o->tmp));
	}
	o->final[o->n] = xasprintf("%s/%s", dir, name);
	o->tmp[o->n] = tmpname(o->final[o->n]);
	return o->tmp[o->n++];
}

int
outcommit(struct outset *o, char *err, size_t n)
{
	size_t i;
	char *dir;

	/*
	 * Each file reaches the disk before its name, and every name before the last one's
	 * (summary.json): after a power cut, a summary.json still means complete products.
	 * Their writes are all started first, so that the disk does them together and each
	 * flush then waits for little.
	 */
	for (i = 0; i < o->n; i++)
		syncstart(o->tmp[i]);
	for (i = 0; i < o->n; i++)
		if (syncpath(o->tmp[i], err, n) < 0)
			goto err;
	for (i = 0; i < o->n; i++) {
		if (i == o->n - 1 && i > 0) {
			dir = dirpart(o->final[i]);
			if (syncpath(dir, err, n) < 0) {
				free(dir);
				goto err;
			}
			free(dir);
		}
		if (rename(o->tmp[i], o->final[i]) < 0) {
			seterr(err, n, "%s:", o->final[i]);
			goto err;
		}
	}
	return 0;
err:
	for (; i < o->n; i++)
		unlink(o->tmp[i]);
	return -1;
}

void
outabort(struct outset *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		unlink(o->tmp[i]);
}

void
delout(struct outset *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		free(o->final[i]);
		free(o->tmp[i]);
	}
	free(o->final);
	free(o->tmp);
	outinit(o);
}

int
outguard(const char *id, const char *what, const char *path, const char *run, char *err, size_t n)
{
	char *p, *r = NULL, cause[512];
	int ret = -1;

	if (!(p = fsresolve(path, cause, sizeof(cause))) || !(r = fsresolve(run, cause, sizeof(cause))))
		seterr(err, n, "%s: %s", id, cause);
	else if (strcmp(p, r) == 0)
		seterr(err, n, "%s: %s '%s' is the run folder '%s'; raw data is never written to", id, what, path, run);
	else if (fsinside(p, r))
		seterr(err, n, "%s: %s '%s' lies inside the run folder '%s'; raw data is never written to", id, what,
		       path, run);
	else if (fsinside(r, p))
		seterr(err, n, "%s: %s '%s' holds the run folder '%s'; raw data is never written to", id, what, path,
		       run);
	else
		ret = 0;
	free(p), free(r);
	return ret;
}
