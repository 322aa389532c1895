#include <dirent.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "natsort.h"
#include "util.h"
#include "frames.h"

/* listframes, the warnings said or not */
static int
list(const char *rundir, const char *glob, const char *id, bool quiet, char ***v, size_t *nv, char *err,
     size_t n)
{
	const char *slash = strchr(glob, '/');
	char *sub = slash ? xasprintf("%.*s/", (int)(slash - glob), glob) : xstrdup("");
	char *dir = xasprintf("%s/%s", rundir, sub);
	struct dirent *e;
	size_t cap = 0;
	DIR *d;

	*v = NULL;
	*nv = 0;
	if (!(d = opendir(dir))) {
		seterr(err, n, "%s: cannot list the frames folder:", id);
		free(sub), free(dir);
		return -1;
	}
	glob = slash ? slash + 1 : glob;
	while ((e = readdir(d))) {
		struct stat st;

		if (fnmatch(glob, e->d_name, FNM_PERIOD) != 0)
			continue;
		if (e->d_type != DT_REG &&
		    (fstatat(dirfd(d), e->d_name, &st, 0) < 0 || !S_ISREG(st.st_mode))) {
			if (!quiet)
				warn("%s/%s%s: not a regular file, skipped", id, sub, e->d_name);
			continue;
		}
		if (*nv == cap) {
			cap = cap ? cap * 2 : 64;
			*v = xreallocarray(*v, cap, sizeof(**v));
		}
		(*v)[(*nv)++] = xasprintf("%s%s", sub, e->d_name);
	}
	closedir(d);
	natsort(*v, *nv);
	free(sub), free(dir);
	return 0;
}

int
listframes(const char *rundir, const char *glob, const char *id, char ***v, size_t *nv, char *err, size_t n)
{
	return list(rundir, glob, id, false, v, nv, err, n);
}

int
listframesquiet(const char *rundir, const char *glob, const char *id, char ***v, size_t *nv, char *err, size_t n)
{
	return list(rundir, glob, id, true, v, nv, err, n);
}

void
framesigadd(uint64_t *sig, const char *name)
{
	uint64_t h = 0xcbf29ce484222325u;

	/* FNV-1a, then a 64-bit finaliser so that a sum of names does not cancel out */
	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 0x100000001b3u;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	h ^= h >> 33;
	*sig += h;
}
