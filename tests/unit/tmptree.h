#ifndef RUNJA_TMPTREE_H
#define RUNJA_TMPTREE_H

/*
 * Helpers of the unit tests that work in a temporary folder. The test defines
 * `static char tmpdir[]` (a mkdtemp template, made by TESTTMPDIR in main) before
 * including this file. Inline, so that a test need not use every one.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/fs.h"
#include "common/util.h"

/* tmpdir/path; caller frees */
static inline char *
tpath(const char *path)
{
	return xasprintf("%s/%s", tmpdir, path);
}

/* the whole file at path, or "(unreadable)"; caller frees */
static inline char *
slurp(const char *path)
{
	struct buf b;

	if (readfile(path, &b, NULL, 0) < 0) {
		buffree(&b);
		return xstrdup("(unreadable)");
	}
	return b.s;
}

/* the names in folder dir, hidden ones too ('.' and '..' not), joined by spaces in sorted order; caller frees */
static inline char *
listing(const char *dir)
{
	struct dirent **v;
	struct buf b;
	int n, i;

	bufinit(&b);
	if ((n = scandir(dir, &v, NULL, alphasort)) < 0)
		return b.s;
	for (i = 0; i < n; i++) {
		if (strcmp(v[i]->d_name, ".") != 0 && strcmp(v[i]->d_name, "..") != 0)
			bufprintf(&b, "%s%s", b.len ? " " : "", v[i]->d_name);
		free(v[i]);
	}
	free(v);
	return b.s;
}

/* set the modification time of path to now + offset seconds */
static inline void
settime(const char *path, int offset)
{
	struct timespec t[2];

	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec += offset;
	t[1] = t[0];
	if (utimensat(AT_FDCWD, path, t, 0) < 0)
		fatal(1, "%s:", path);
}

#endif
