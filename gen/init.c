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
#include "common/state.h"
#include "common/tmpl.h"
#include "common/util.h"
#include "init.h"
#include "scan.h"

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
	bool topframes;  /* the top folder holds frames itself */
};

static bool
ispng(const char *name)
{
	return fnmatch("*.png", name, FNM_PERIOD) == 0;
}

/* list folder path (relative to the folder top, "" for top itself) and its subfolders */
static void
walk(struct found *f, const char *top, const char *path, int depth)
{
	char *full = !*path ? xstrdup(top) : strcmp(top, ".") == 0 ? xstrdup(path) : xasprintf("%s/%s", top, path);
	DIR *d = opendir(full);
	struct dirent *e;
	size_t nframes = 0;
	char **subs = NULL;
	size_t nsubs = 0, i;

	free(full);
	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;

		if (e->d_name[0] == '.') {
			/* an output folder of runja: never a run */
			if (strcmp(e->d_name, STATENAME) == 0)
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
	if (nframes && !*path)
		f->topframes = true;
	if (nframes && *path) {
		if (f->n == f->cap) {
			f->cap = f->cap ? f->cap * 2 : 64;
			f->v = xreallocarray(f->v, f->cap, sizeof(*f->v));
		}
		f->v[f->n++] = (struct pngdir){xstrdup(path), nframes};
	}
	natsort(subs, nsubs);
	for (i = 0; i < nsubs; i++) {
		walk(f, top, subs[i], depth + 1);
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

/* append to b the glob matching component j of the nv run paths v; last: j is the run folders' own name */
static void
globpart(struct buf *b, char **v, size_t nv, int j, bool last)
{
	char first[256], cur[256];
	size_t i, len, digit, special;
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
	digit = strcspn(first, "0123456789");
	special = strcspn(first, "*?[\\");
	/*
	 * Folders above the runs whose names share a digit at the same place (2026-11-30;
	 * 2026-03 and 2026-04; day_03): the next day's, month's or year's folder is another,
	 * so what follows the first digit becomes "[0-9]*" (a digit, then anything): not
	 * "2026-*", which next year's would not match.
	 */
	if (!last && digit < special && (same || digit < len)) {
		bufprintf(b, "%.*s[0-9]*", (int)digit, first);
		return;
	}
	if (same && !first[special]) {
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

/* append s to b as the inside of a libconfig string ('"' and '\' escaped) */
static void
cfgquote(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			bufputc(b, '\\');
		bufputc(b, *s);
	}
}

/* the id of the run whose folder is path or holds it, or NULL; a pointer into s */
static const char *
runholding(const struct scan *s, const char *path)
{
	char *p = realpath(path, NULL), *r;
	const char *hit = NULL;
	size_t i, len;

	for (i = 0; p && i < s->nruns && !hit; i++) {
		if (!(r = realpath(s->runs[i].dir, NULL)))
			continue;
		len = strlen(r);
		if (strncmp(p, r, len) == 0 && (p[len] == '/' || !p[len] || len == 1))
			hit = s->runs[i].id;
		free(r);
	}
	free(p);
	return hit;
}

int
initroot(const char *dir, const char *cfgdir, char **root, char *err, size_t n)
{
	struct stat sd, sc;
	size_t len = strlen(dir);

	if (stat(dir, &sd) < 0)
		return errno == ENOENT ? seterr(err, n, "--init %s: no such folder", dir) : seterr(err, n, "--init %s:", dir);
	if (!S_ISDIR(sd.st_mode))
		return seterr(err, n, "--init %s: not a folder", dir);
	if (stat(cfgdir, &sc) < 0)
		return seterr(err, n, "%s:", cfgdir);
	if (sd.st_dev == sc.st_dev && sd.st_ino == sc.st_ino) {
		*root = xstrdup(".");
		return 0;
	}
	if (strchr(dir, '\n'))
		return seterr(err, n, "--init: a path holding a newline cannot be used");
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (dir[0] != '/' && strcmp(cfgdir, ".") != 0) {
		/* given relative to the current folder, written relative to the config's */
		char *from = realpath(cfgdir, NULL), *to = realpath(dir, NULL);

		if (!from || !to) {
			free(from), free(to);
			return seterr(err, n, "%s:", from ? dir : cfgdir);
		}
		*root = fsrelto(from, to);
		free(from), free(to);
		return 0;
	}
	*root = xasprintf("%.*s", (int)len, dir);
	return 0;
}

/*
 * The run folders among the folders of frames f found, natural order (caller frees with
 * delstrv, f->n of them); *sub when the frames lie in a subfolder of the same name in
 * every run (e.g. cam1) rather than in the run itself.
 */
static char **
runfolders(const struct found *f, bool *sub)
{
	char **runs = xreallocarray(NULL, f->n, sizeof(*runs));
	size_t i;

	*sub = f->n >= 2;
	for (i = 0; i < f->n && *sub; i++)
		*sub = strchr(f->v[i].path, '/') && strcmp(basepart(f->v[i].path), basepart(f->v[0].path)) == 0;
	for (i = 0; i < f->n; i++)
		runs[i] = *sub ? xasprintf("%.*s", (int)(basepart(f->v[i].path) - f->v[i].path - 1), f->v[i].path)
		               : xstrdup(f->v[i].path);
	natsort(runs, f->n);
	return runs;
}

/* one runs.match pattern per depth at which the nruns runs lie (*npats of them; caller frees with delstrv) */
static char **
patterns(char **runs, size_t nruns, size_t *npats)
{
	char **pats = NULL, **at = xreallocarray(NULL, nruns, sizeof(*at));
	int d, j, maxd = 0;
	size_t i, nat;

	*npats = 0;
	for (i = 0; i < nruns; i++)
		maxd = depthof(runs[i]) > maxd ? depthof(runs[i]) : maxd;
	for (d = 1; d <= maxd; d++) {
		struct buf g;

		for (i = nat = 0; i < nruns; i++)
			if (depthof(runs[i]) == d)
				at[nat++] = runs[i];
		if (!nat)
			continue;
		bufinit(&g);
		for (j = 0; j < d; j++) {
			if (j)
				bufputc(&g, '/');
			globpart(&g, at, nat, j, j == d - 1);
		}
		pats = xreallocarray(pats, *npats + 1, sizeof(*pats));
		pats[(*npats)++] = g.s;
	}
	free(at);
	return pats;
}

/* the first frame (natural order) of the run folder rundir, in its subfolder sub when not NULL; caller frees */
static char *
firstframe(const char *sub, const char *rundir)
{
	char **names = NULL, *dir = sub ? xasprintf("%s/%s", rundir, sub) : xstrdup(rundir), *first;
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
	delstrv(names, nnames);
	free(dir);
	return first;
}

/* from a frame's description "WxH ...": the middle row, the width and the height as text (32 bytes each) */
static void
sizes(const char *desc, char *row, char *width, char *height)
{
	unsigned w = 0, h = 0;

	sscanf(desc, "%ux%u", &w, &h);
	snprintf(row, 32, "%u", h / 2);
	snprintf(width, 32, "%u", w);
	snprintf(height, 32, "%u", h);
}

/* the npats patterns as runja.cfg's list ("a", "b") into match, and as the message's (a, b) into found */
static void
patternlists(struct buf *match, struct buf *found, char *const *pats, size_t npats)
{
	size_t i;

	for (i = 0; i < npats; i++) {
		bufputs(match, i ? ", \"" : "\"");
		cfgquote(match, pats[i]);
		bufputc(match, '"');
		bufprintf(found, "%s%s", i ? ", " : "", pats[i]);
	}
}

/* "found 3 runs in ROOT (PATTERNS), 4-6 frames each, DESC" for the scan s (root NULL: the config's folder); caller frees */
static char *
foundline(const struct scan *s, const char *root, const char *patterns, const char *desc)
{
	size_t i, lo = (size_t)-1, hi = 0;
	char each[64], *where = root ? xasprintf(" in %s", root) : xstrdup(""), *line;

	for (i = 0; i < s->nruns; i++) {
		lo = s->runs[i].nframes < lo ? s->runs[i].nframes : lo;
		hi = s->runs[i].nframes > hi ? s->runs[i].nframes : hi;
	}
	if (lo != hi)
		snprintf(each, sizeof(each), "%zu-%zu", lo, hi);
	else
		snprintf(each, sizeof(each), "%zu", lo);
	line = xasprintf("found %zu run%s%s (%s), %s frames each, %s", s->nruns, s->nruns == 1 ? "" : "s", where,
	                 patterns, each, desc);
	free(where);
	return line;
}

int
initconfig(const char *cfgpath, const char *root, const char *tmpl, const char *tname, char *err, size_t n)
{
	struct found f = {0};
	struct scan s = {0};
	struct buf match, frames, found, out, qroot;
	char **runs, **pats = NULL, desc[128], *first = NULL, *glob = NULL, row[32], width[32], height[32];
	const char *held;
	size_t i, nruns, npats = 0;
	bool sub, top = strcmp(root, ".") == 0;
	int r = -1;

	if (exists(cfgpath))
		return seterr(err, n, "%s already exists; not overwritten", cfgpath);
	walk(&f, root, "", 0);
	if (f.n == 0 && f.topframes)
		return seterr(err, n, "no folders with PNG frames (*.png) under %s, only frames in it: give the folder that holds the runs",
		              top ? "this folder" : root);
	if (f.n == 0)
		return seterr(err, n, "no folders with PNG frames (*.png) under %s", top ? "this folder" : root);

	runs = runfolders(&f, &sub);
	nruns = f.n;
	pats = patterns(runs, nruns, &npats);
	bufinit(&match), bufinit(&frames), bufinit(&found), bufinit(&out), bufinit(&qroot);
	patternlists(&match, &found, pats, npats);
	cfgquote(&qroot, root);
	if (sub)
		bufprintf(&frames, "%s/*.png", basepart(f.v[0].path));
	else
		bufputs(&frames, "*.png");

	/* the runs are what the patterns match now, as runja-gen will see them */
	{
		struct scanopts so = {
			/* skip: the output.dir the template writes */
			.root = root, .match = pats, .nmatch = npats, .frames = frames.s, .skip = "out",
		};

		if (scanruns(&so, &s, err, n) < 0)
			goto done;
	}
	if (s.nruns == 0) {
		seterr(err, n, "the patterns inferred (%s) match no folder of frames under %s", found.s, top ? "this folder" : root);
		goto done;
	}
	if ((held = runholding(&s, ".")) || (held = exists("out") ? runholding(&s, "out") : NULL)) {
		seterr(err, n, "%s and its output folder would lie inside the run folder %s: run --init outside the runs",
		       cfgpath, held);
		goto done;
	}
	first = firstframe(sub ? basepart(f.v[0].path) : NULL, s.runs[0].dir);
	describe(first, desc, sizeof(desc));
	sizes(desc, row, width, height);
	glob = foundline(&s, top ? NULL : root, found.s, desc);
	{
		struct tvar v[] = {
			{"found", glob}, {"root", qroot.s}, {"match", match.s}, {"frames", frames.s}, {"row", row},
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
	delscan(&s);
	delstrv(runs, nruns);
	delstrv(pats, npats);
	for (i = 0; i < f.n; i++)
		free(f.v[i].path);
	free(f.v);
	buffree(&match), buffree(&frames), buffree(&found), buffree(&out), buffree(&qroot);
	return r;
}

int
initrun(const char *tdir, const char *cfgpath, const char *initdir, char *err, size_t n)
{
	char *cfgdir = dirpart(cfgpath), *tpath = xasprintf("%s/init/runja.cfg", tdir), *root = NULL, cause[1024];
	struct buf text;
	int status = 2;

	if (readfile(tpath, &text, cause, sizeof(cause)) < 0) {
		seterr(err, n, "%s (templates folder; --templates DIR)", cause);
		goto out;
	}
	if (initdir && initroot(initdir, cfgdir, &root, err, n) < 0)
		goto out;
	status = 1;
	if (chdir(cfgdir) < 0) {
		seterr(err, n, "%s:", cfgdir);
		goto out;
	}
	status = initconfig(basepart(cfgpath), root ? root : ".", text.s, tpath, err, n) < 0;
out:
	buffree(&text);
	free(tpath), free(cfgdir), free(root);
	return status;
}
