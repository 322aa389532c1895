#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/natsort.h"
#include "common/pnghead.h"
#include "common/tmpl.h"
#include "common/util.h"
#include "init.h"

#define MAXDEPTH 6

/* a folder holding frames */
struct pngdir {
	char *path;     /* relative to the top, without "./" */
	size_t nframes;
};

/* what the walk found */
struct found {
	struct pngdir *v;
	size_t n, cap;
};

static bool
ispng(const char *name)
{
	return fnmatch("*.png", name, FNM_PERIOD) == 0;
}

/* list dir (path relative to the top, "" for the top) and its subfolders */
static void
walk(struct found *f, const char *path, int depth)
{
	DIR *d = opendir(*path ? path : ".");
	struct dirent *e;
	size_t nframes = 0;
	char **subs = NULL;
	size_t nsubs = 0, i;

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;

		if (e->d_name[0] == '.') {
			/* an output folder of runja: never a run */
			if (strcmp(e->d_name, ".runja") == 0)
				nsubs = 0, depth = MAXDEPTH;
			continue;
		}
		if (fstatat(dirfd(d), e->d_name, &st, 0) < 0)
			continue;
		if (S_ISREG(st.st_mode) && ispng(e->d_name))
			nframes++;
		else if (S_ISDIR(st.st_mode) && depth < MAXDEPTH) {
			subs = xreallocarray(subs, nsubs + 1, sizeof(*subs));
			subs[nsubs++] = *path ? xasprintf("%s/%s", path, e->d_name) : xstrdup(e->d_name);
		}
	}
	closedir(d);
	if (depth >= MAXDEPTH) {
		for (i = 0; i < nsubs; i++)
			free(subs[i]);
		nsubs = 0;
	}
	if (nframes && *path) {
		if (f->n == f->cap) {
			f->cap = f->cap ? f->cap * 2 : 64;
			f->v = xreallocarray(f->v, f->cap, sizeof(*f->v));
		}
		f->v[f->n++] = (struct pngdir){xstrdup(path), nframes};
	}
	natsort(subs, nsubs);
	for (i = 0; i < nsubs; i++) {
		walk(f, subs[i], depth + 1);
		free(subs[i]);
	}
	free(subs);
}

static int
depthof(const char *path)
{
	int d = 1;

	for (; *path; path++)
		d += *path == '/';
	return d;
}

/* component j of path into out (size n) */
static void
component(const char *path, int j, char *out, size_t n)
{
	const char *e;

	while (j-- > 0)
		path = strchr(path, '/') + 1;
	e = strchr(path, '/');
	snprintf(out, n, "%.*s", (int)(e ? e - path : (long)strlen(path)), path);
}

/* append to b the glob matching component j of every run path at depth (of nv) */
static void
globpart(struct buf *b, char **v, size_t nv, int j)
{
	char first[256], cur[256];
	size_t i, len;
	bool same = true;

	component(v[0], j, first, sizeof(first));
	len = strlen(first);
	for (i = 1; i < nv; i++) {
		size_t k = 0;

		component(v[i], j, cur, sizeof(cur));
		same = same && strcmp(cur, first) == 0;
		while (k < len && cur[k] == first[k])
			k++;
		len = k;
	}
	if (same && !strpbrk(first, "*?[\\")) {
		bufputs(b, first);
		return;
	}
	/* a number is never cut in two: "run_0" -> "run_", "2026-0" -> "2026-", "exp00" -> "exp" */
	while (len > 0 && first[len - 1] >= '0' && first[len - 1] <= '9')
		len--;
	{
		size_t k;

		/* a glob character in the prefix would be read as one */
		for (k = 0; k < len && !strchr("*?[\\", first[k]); k++)
			;
		len = k;
	}
	bufprintf(b, "%.*s*", (int)len, first);
}

/* "1024x768 8-bit gray" of the PNG at path, into out */
static void
describe(const char *path, char *out, size_t n)
{
	struct pnghead h;

	if (pnghead(path, &h) < 0)
		snprintf(out, n, "unreadable first frame");
	else
		pngheaddesc(&h, out, n);
}

/* the frame height of the PNG at path, or 0 */
static unsigned
heightof(const char *desc)
{
	unsigned w, h;

	return sscanf(desc, "%ux%u", &w, &h) == 2 ? h : 0;
}

/* write text to path unless path exists (link is atomic and never replaces) */
static int
writenew(const char *path, const char *text, char *err, size_t n)
{
	char *tmp = tmpname(path);
	int r = 0;

	if (writefile(tmp, text, strlen(text), err, n) < 0) {
		free(tmp);
		return -1;
	}
	if (link(tmp, path) < 0)
		r = errno == EEXIST ? seterr(err, n, "%s already exists; not overwritten", path)
		                    : seterr(err, n, "%s:", path);
	unlink(tmp);
	free(tmp);
	return r;
}

int
initconfig(const char *cfgpath, const char *tmpl, const char *tname, char *err, size_t n)
{
	struct found f = {0};
	struct buf match, frames, found, out;
	char **runs, desc[128], *first, *glob, row[32], width[32], height[32];
	size_t i, nruns, lo = (size_t)-1, hi = 0;
	bool sub;
	int r = -1, d, maxd = 0;

	if (exists(cfgpath))
		return seterr(err, n, "%s already exists; not overwritten", cfgpath);
	walk(&f, "", 0);
	if (f.n == 0)
		return seterr(err, n, "no folders with PNG frames (*.png) under this folder");

	/* frames in a subfolder of the same name in every run (e.g. cam1), or in the run itself */
	sub = f.n >= 2;
	for (i = 0; i < f.n && sub; i++)
		sub = strchr(f.v[i].path, '/') && strcmp(basepart(f.v[i].path), basepart(f.v[0].path)) == 0;
	runs = xreallocarray(NULL, f.n, sizeof(*runs));
	for (i = 0; i < f.n; i++) {
		runs[i] = sub ? xasprintf("%.*s", (int)(basepart(f.v[i].path) - f.v[i].path - 1), f.v[i].path)
		              : xstrdup(f.v[i].path);
		lo = f.v[i].nframes < lo ? f.v[i].nframes : lo;
		hi = f.v[i].nframes > hi ? f.v[i].nframes : hi;
		maxd = depthof(runs[i]) > maxd ? depthof(runs[i]) : maxd;
	}
	nruns = f.n;
	natsort(runs, nruns);

	bufinit(&match), bufinit(&frames), bufinit(&found), bufinit(&out);
	for (d = 1; d <= maxd; d++) {
		char **at = xreallocarray(NULL, nruns, sizeof(*at));
		size_t nat = 0;
		int j;

		for (i = 0; i < nruns; i++)
			if (depthof(runs[i]) == d)
				at[nat++] = runs[i];
		if (nat) {
			struct buf g;

			bufinit(&g);
			for (j = 0; j < d; j++) {
				if (j)
					bufputc(&g, '/');
				globpart(&g, at, nat, j);
			}
			bufprintf(&match, "%s\"%s\"", match.len ? ", " : "", g.s);
			bufprintf(&found, "%s%s", found.len ? ", " : "", g.s);
			buffree(&g);
		}
		free(at);
	}
	if (sub)
		bufprintf(&frames, "%s/*.png", basepart(f.v[0].path));
	else
		bufputs(&frames, "*.png");

	/* the first frame of the first run, in natural order */
	{
		char **names = NULL, *dir = xasprintf("%s%s%s", runs[0], sub ? "/" : "", sub ? basepart(f.v[0].path) : "");
		size_t nnames = 0;
		DIR *dd = opendir(dir);
		struct dirent *e;

		while (dd && (e = readdir(dd)))
			if (ispng(e->d_name)) {
				names = xreallocarray(names, nnames + 1, sizeof(*names));
				names[nnames++] = xstrdup(e->d_name);
			}
		if (dd)
			closedir(dd);
		natsort(names, nnames);
		first = nnames ? xasprintf("%s/%s", dir, names[0]) : xstrdup(dir);
		for (i = 0; i < nnames; i++)
			free(names[i]);
		free(names);
		free(dir);
	}
	describe(first, desc, sizeof(desc));
	snprintf(row, sizeof(row), "%u", heightof(desc) / 2);
	{
		unsigned w = 0, h = 0;

		sscanf(desc, "%ux%u", &w, &h);
		snprintf(width, sizeof(width), "%u", w);
		snprintf(height, sizeof(height), "%u", h);
	}
	if (lo != hi) {
		glob = xasprintf("found %zu run%s (%s), %zu-%zu frames each, %s", nruns, nruns == 1 ? "" : "s",
		                 found.s, lo, hi, desc);
	} else {
		glob = xasprintf("found %zu run%s (%s), %zu frames each, %s", nruns, nruns == 1 ? "" : "s", found.s,
		                 lo, desc);
	}
	{
		struct tvar v[] = {
			{"found", glob}, {"match", match.s}, {"frames", frames.s}, {"row", row},
			{"width", width}, {"height", height},
		};

		if (tmplexpand(&out, tmpl, tname, v, sizeof(v) / sizeof(v[0]), err, n) < 0)
			goto done;
	}
	if (writenew(cfgpath, out.s, err, n) < 0)
		goto done;
	printf("runja-gen: %s\nrunja-gen: wrote %s; next: runja-gen && ninja\n", glob, cfgpath);
	r = 0;
done:
	free(glob), free(first);
	for (i = 0; i < nruns; i++)
		free(runs[i]);
	free(runs);
	for (i = 0; i < f.n; i++)
		free(f.v[i].path);
	free(f.v);
	buffree(&match), buffree(&frames), buffree(&found), buffree(&out);
	return r;
}
