#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "fs.h"
#include "space.h"
#include "util.h"

/* the block a file's size is rounded up to */
#define BLOCK 4096.0

/* bytes in whole blocks */
static double
blocks(double bytes)
{
	double k = bytes / BLOCK;
	double whole = (double)(long long)k;

	return BLOCK * (whole < k ? whole + 1 : whole);
}

/* an image product of w x h: the PNG (16-bit rows with their filter byte, zlib's 5 bytes a stored block of 16 KiB, the chunks) and the .npy */
static double
image(double w, double h, bool npy)
{
	double rows = h * (1 + 2 * w);

	return blocks(rows + rows / 16384 * 5 + rows / 8192 * 12 + 1024) + (npy ? blocks(128 + w * h * 4) : 0);
}

double
spaceproducts(const struct prodspec *p, bool npy, int w, int h, int nframes, size_t names)
{
	double f = nframes, total, nm = (double)names;
	int images = p->mean + p->std + p->min + p->max;

	total = images * image(w, h, npy);
	if (p->timestack)
		total += image(p->tsrow >= 0 ? w : h, f, npy);
	/* a row: the index, the file, four %.9g values (or a %.4f position), the commas */
	if (p->stats)
		total += blocks(64 + f * 96 + nm);
	if (p->front)
		total += blocks(64 + f * 32 + nm);
	/* summary.json (its command line, skipped frames) and the depfile */
	return total + blocks(8192 + nm) + blocks(256 + nm);
}

/* the blocks the regular files under dir take, 0 when there are none (or dir is not there) */
static double
treebytes(const char *dir)
{
	char **v, *path;
	double total = 0;
	struct stat st;
	size_t nv, i;

	if (listtree(dir, &v, &nv, NULL, 0) < 0)
		return 0;
	for (i = 0; i < nv; i++) {
		path = xasprintf("%s/%s", dir, v[i]);
		if (lstat(path, &st) == 0)
			total += (double)st.st_blocks * 512;
		free(path);
	}
	delstrv(v, nv);
	return total;
}

double
spacecommand(const char *dir)
{
	const char *env = getenv("RUNJA_COMMAND_SPACE");
	double v = treebytes(dir);
	char *end;

	if (v > 0)
		return v;
	if (!env || (v = strtod(env, &end)) <= 0 || end == env)
		return SPACECOMMAND;
	switch (*end) {
	case 'K': case 'k': return v * 1024;
	case 'M': case 'm': return v * 1048576;
	case 'G': case 'g': return v * 1073741824;
	default: return v;
	}
}

void
spacefmt(char *s, size_t n, double b)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
	size_t u = 0;

	/* at most three digits: 1000 KiB is "1.0 MiB" */
	b /= 1024;
	while (b >= 999.5 && u + 1 < sizeof(units) / sizeof(units[0])) {
		b /= 1024;
		u++;
	}
	snprintf(s, n, b >= 10 ? "%.0f %s" : "%.1f %s", b, units[u]);
}

int
spacecheck(const char *dir, double need, const char *id, char *err, size_t n)
{
	char *at = xstrdup(dir), *slash, sneed[32], sprod[32], sfree[32];
	double total = need * (1 + SPACEMARGIN / 100.0), avail;
	struct statvfs fs;
	int r;

	/* a folder not made yet (a command's first results) is on its nearest parent's file system */
	while ((r = statvfs(at, &fs)) < 0 && errno == ENOENT && strcmp(at, ".") != 0) {
		if ((slash = strrchr(at, '/')) && slash > at)
			*slash = '\0';
		else if (slash)
			slash[1] = '\0';
		else
			strcpy(at, ".");
	}
	free(at);
	if (r < 0)
		return 0;
	avail = (double)fs.f_bavail * (double)fs.f_frsize;
	if (avail >= total)
		return 0;
	spacefmt(sneed, sizeof(sneed), total);
	spacefmt(sprod, sizeof(sprod), need);
	spacefmt(sfree, sizeof(sfree), avail);
	return seterr(err, n, "%s: not enough space in %s%s: needs %s (products %s + %d %% margin), %s free", id, dir,
	              dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", sneed, sprod, SPACEMARGIN, sfree);
}
