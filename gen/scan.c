#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/frames.h"
#include "common/fs.h"
#include "common/natsort.h"
#include "common/state.h"
#include "common/util.h"
#include "scan.h"

#define MAXPARTS 16
#define MAXPATTERNS 64

/* the walk's state */
struct walk {
	const struct scanopts *o;
	struct scan *s;
	char *parts[MAXPATTERNS][MAXPARTS];  /* each match pattern split at '/' */
	int nparts[MAXPATTERNS];
	size_t cap, dircap, emptycap, waitcap;
	dev_t skipdev;
	ino_t skipino;
	bool hasskip;
	char *err;
	size_t n;
};

static char *
join(const char *a, const char *b)
{
	if (!*a || strcmp(a, ".") == 0)
		return xstrdup(b);
	return xasprintf("%s%s%s", a, a[strlen(a) - 1] == '/' ? "" : "/", b);
}

static void
adddir(struct walk *w, const char *path)
{
	struct scan *s = w->s;

	if (s->ndirs == w->dircap) {
		w->dircap = w->dircap ? w->dircap * 2 : 64;
		s->dirs = xreallocarray(s->dirs, w->dircap, sizeof(*s->dirs));
	}
	s->dirs[s->ndirs++] = xstrdup(path);
}

/* is the entry a folder? follows symbolic links; DT_UNKNOWN file systems need a stat */
static bool
isdir(int dfd, const struct dirent *e, struct stat *st)
{
	if (e->d_type == DT_DIR && !st)
		return true;
	if (e->d_type != DT_DIR && e->d_type != DT_LNK && e->d_type != DT_UNKNOWN)
		return false;
	{
		struct stat tmp;

		if (!st)
			st = &tmp;
		return fstatat(dfd, e->d_name, st, 0) == 0 && S_ISDIR(st->st_mode);
	}
}

static bool
isfile(int dfd, const struct dirent *e)
{
	struct stat st;

	if (e->d_type == DT_REG)
		return true;
	if (e->d_type != DT_LNK && e->d_type != DT_UNKNOWN)
		return false;
	return fstatat(dfd, e->d_name, &st, 0) == 0 && S_ISREG(st.st_mode);
}

static double
mtimeof(const struct stat *st)
{
	return (double)st->st_mtim.tv_sec + st->st_mtim.tv_nsec / 1e9;
}

/* count the frames of a run folder and sign their names (*sig), and with settle the newest change in it; -1 when it cannot be listed */
static long
countframes(struct walk *w, const char *rundir, bool *hasoverride, double *newest, char **one, uint64_t *sig)
{
	const char *glob = w->o->frames, *slash = strchr(glob, '/');
	char *dir = slash ? xasprintf("%s/%.*s", rundir, (int)(slash - glob), glob) : xstrdup(rundir);
	struct dirent *e;
	long count = 0;
	DIR *d;

	*hasoverride = false;
	*newest = 0;
	*sig = 0;
	if (w->o->settle) {
		struct stat st;

		if (stat(rundir, &st) == 0)
			*newest = mtimeof(&st);
	}
	if (slash)
		adddir(w, rundir);  /* a frames folder created later, or an override added, shows here */
	if (slash && w->o->override) {
		struct stat st;
		char *p = xasprintf("%s/%s", rundir, w->o->override);

		*hasoverride = stat(p, &st) == 0 && S_ISREG(st.st_mode);
		free(p);
	}
	if (!(d = opendir(dir))) {
		free(dir);
		return slash && (errno == ENOENT || errno == ENOTDIR) ? 0 : -1;
	}
	adddir(w, dir);
	glob = slash ? slash + 1 : glob;
	while ((e = readdir(d))) {
		struct stat st;

		if (w->o->settle && strcmp(e->d_name, "..") != 0 &&
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    mtimeof(&st) > *newest)
			*newest = mtimeof(&st);
		if (!slash && w->o->override && strcmp(e->d_name, w->o->override) == 0)
			*hasoverride = isfile(dirfd(d), e);
		if (fnmatch(glob, e->d_name, FNM_PERIOD) == 0 && isfile(dirfd(d), e)) {
			if (count++ == 0)
				*one = xasprintf("%s/%s", dir, e->d_name);
			framesigadd(sig, e->d_name);
		}
	}
	closedir(d);
	free(dir);
	return count;
}

static bool
excluded(struct walk *w, const char *id)
{
	size_t i;

	for (i = 0; i < w->o->nexclude; i++)
		if (fnmatch(w->o->exclude[i], id, FNM_PATHNAME | FNM_PERIOD) == 0)
			return true;
	return false;
}

static int
addrun(struct walk *w, const char *id, const char *dir, const struct stat *st)
{
	struct scan *s = w->s;
	bool override;
	long nframes;
	double newest;
	char *why = NULL, *one = NULL;
	uint64_t sig;

	if (excluded(w, id))
		return 0;
	if ((nframes = countframes(w, dir, &override, &newest, &one, &sig)) < 0) {
		/* one unreadable run must not stop the others: it waits, and is looked at every build */
		why = xasprintf("cannot list the run folder: %s", strerror(errno));
		s->recheck = true;
	}
	if (!why && nframes > 0 && w->o->ready) {
		char *p = xasprintf("%s/%s", dir, w->o->ready);

		if (!exists(p))
			why = xasprintf("no %s yet", w->o->ready);
		free(p);
	}
	if (nframes > 0 && !why && w->o->settle && w->o->now - newest < w->o->settle) {
		why = xasprintf("changed %.0f s ago, settle = %d s", w->o->now - newest, w->o->settle);
		s->recheck = true;
	}
	if (why) {
		if (s->nwaiting == w->waitcap) {
			w->waitcap = w->waitcap ? w->waitcap * 2 : 16;
			s->waiting = xreallocarray(s->waiting, w->waitcap, sizeof(*s->waiting));
		}
		s->waiting[s->nwaiting++] = (struct waiting){xstrdup(id), why};
		free(one);
		return 0;
	}
	if (nframes <= 0 && !why) {
		if (s->nempty == w->emptycap) {
			w->emptycap = w->emptycap ? w->emptycap * 2 : 16;
			s->empty = xreallocarray(s->empty, w->emptycap, sizeof(*s->empty));
		}
		s->empty[s->nempty++] = xstrdup(id);
		return 0;
	}
	if (s->nruns == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		s->runs = xreallocarray(s->runs, w->cap, sizeof(*s->runs));
	}
	s->runs[s->nruns++] = (struct run){
		.id = xstrdup(id), .dir = xstrdup(dir), .nframes = (size_t)nframes,
		.override = override, .dev = st->st_dev, .ino = st->st_ino, .oneframe = one, .framesig = sig,
	};
	return 0;
}

/* the folders above the one being listed, to notice a link back up (a loop) */
struct above {
	dev_t dev;
	ino_t ino;
	const struct above *up;
};

static bool
isabove(const struct above *a, const struct stat *st)
{
	for (; a; a = a->up)
		if (a->dev == st->st_dev && a->ino == st->st_ino)
			return true;
	return false;
}

static int walkdir(struct walk *w, const char *dir, const char *id, int depth, uint64_t mask,
                   const struct above *here);

/* the entry name of dir (a folder, st its stat) matched: a run, or a folder to walk with the patterns sub */
static int
visit(struct walk *w, const char *dir, const char *id, int depth, const char *name, bool isrun, uint64_t sub,
      const struct stat *st, const struct above *here)
{
	char *path, *subid;
	int r;

	if (w->hasskip && st->st_dev == w->skipdev && st->st_ino == w->skipino)
		return 0;
	if (isabove(here, st)) {
		warn("%s/%s: a link back to a folder above it, skipped", dir, name);
		return 0;
	}
	subid = join(id, name);
	/* a build file cannot name it: that folder is left out, said each time, and the others go on */
	if (strchr(subid, '\n')) {
		char *q;

		if (!excluded(w, subid)) {
			for (q = subid; (q = strchr(q, '\n')); )
				*q = '?';
			warn("%s: a path holding a newline cannot be used ('?' here); skipped (rename it to process it)", subid);
		}
		free(subid);
		return 0;
	}
	path = join(dir, name);
	if (isrun) {
		r = addrun(w, subid, path, st);
	} else {
		struct above a = {st->st_dev, st->st_ino, here};

		r = walkdir(w, path, subid, depth + 1, sub, &a);
	}
	free(path);
	free(subid);
	return r;
}

/* the patterns in mask that match name at depth: *isrun when one ends there, the rest returned */
static uint64_t
matching(const struct walk *w, uint64_t mask, int depth, const char *name, bool *isrun)
{
	uint64_t sub = 0;
	size_t p;

	*isrun = false;
	for (p = 0; p < w->o->nmatch; p++) {
		if (!(mask >> p & 1) || fnmatch(w->parts[p][depth], name, FNM_PERIOD) != 0)
			continue;
		if (depth == w->nparts[p] - 1)
			*isrun = true;
		else
			sub |= (uint64_t)1 << p;
	}
	return sub;
}

/* is the component at depth of every pattern in mask a plain name (no wildcard)? */
static bool
literal(const struct walk *w, uint64_t mask, int depth)
{
	size_t p;

	for (p = 0; p < w->o->nmatch; p++)
		if ((mask >> p & 1) && strpbrk(w->parts[p][depth], "*?[\\"))
			return false;
	return true;
}

/*
 * Only plain names at this depth (the "data" of a pattern "data/..."): they are looked up, not
 * listed, so that other files in dir do not make the regeneration watch it. A name
 * missing now does: its folder may appear.
 */
static int
walknames(struct walk *w, const char *dir, const char *id, int depth, uint64_t mask, const struct above *here)
{
	struct stat st;
	size_t p, q;
	int r = 0;
	bool watched = false;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		if (depth == 0)
			return seterr(w->err, w->n, "%s: cannot list the data tree root:", dir);
		return 0;
	}
	for (p = 0; r == 0 && p < w->o->nmatch; p++) {
		const char *name = w->parts[p][depth];
		uint64_t sub;
		bool isrun, seen = false;
		char *path;

		if (!(mask >> p & 1))
			continue;
		for (q = 0; q < p && !seen; q++)
			seen = (mask >> q & 1) && strcmp(w->parts[q][depth], name) == 0;
		if (seen)
			continue;
		sub = matching(w, mask, depth, name, &isrun);
		path = join(dir, name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			r = visit(w, dir, id, depth, name, isrun, sub, &st, here);
		else if (!watched)
			adddir(w, dir), watched = true;
		free(path);
	}
	return r;
}

/* list dir (id relative to root, stat in here) at pattern depth `depth` for the patterns in mask */
static int
walkdir(struct walk *w, const char *dir, const char *id, int depth, uint64_t mask, const struct above *here)
{
	struct dirent *e;
	DIR *d;
	int r = 0;

	if (literal(w, mask, depth))
		return walknames(w, dir, id, depth, mask, here);
	if (!(d = opendir(dir))) {
		if (depth == 0)
			return seterr(w->err, w->n, "%s: cannot list the data tree root:", dir);
		warn("%s: skipped, cannot list it:", dir);
		return 0;
	}
	adddir(w, dir);
	while (r == 0 && (e = readdir(d))) {
		uint64_t sub;
		bool isrun;
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		sub = matching(w, mask, depth, e->d_name, &isrun);
		if (!isrun && !sub)
			continue;
		if (!isdir(dirfd(d), e, &st))
			continue;
		r = visit(w, dir, id, depth, e->d_name, isrun, sub, &st, here);
	}
	closedir(d);
	return r;
}

static int
runcmp(const void *a, const void *b)
{
	return natcmp(((const struct run *)a)->id, ((const struct run *)b)->id);
}

static int
waitcmp(const void *a, const void *b)
{
	return natcmp(((const struct waiting *)a)->id, ((const struct waiting *)b)->id);
}

int
scanruns(const struct scanopts *o, struct scan *s, char *err, size_t n)
{
	struct walk w = {.o = o, .s = s, .err = err, .n = n};
	struct stat st;
	char *copy[MAXPATTERNS] = {0};
	uint64_t mask;
	size_t p;
	int r;

	memset(s, 0, sizeof(*s));
	if (o->nmatch > MAXPATTERNS)
		return seterr(err, n, "more than %d match patterns", MAXPATTERNS);
	mask = o->nmatch == 64 ? UINT64_MAX : ((uint64_t)1 << o->nmatch) - 1;
	for (p = 0; p < o->nmatch; p++) {
		char *q;

		copy[p] = xstrdup(o->match[p]);
		for (q = strtok(copy[p], "/"); q; q = strtok(NULL, "/")) {
			if (w.nparts[p] == MAXPARTS) {
				r = seterr(err, n, "match pattern '%s' is deeper than %d folders", o->match[p], MAXPARTS);
				goto out;
			}
			w.parts[p][w.nparts[p]++] = q;
		}
	}
	if (o->skip && stat(o->skip, &st) == 0) {
		w.hasskip = true;
		w.skipdev = st.st_dev;
		w.skipino = st.st_ino;
	}
	{
		struct above top = {0, 0, NULL};

		if (stat(o->root, &st) == 0) {
			top.dev = st.st_dev;
			top.ino = st.st_ino;
		}
		r = walkdir(&w, o->root, "", 0, mask, &top);
	}
	if (r == 0) {
		if (s->nruns > 1)
			qsort(s->runs, s->nruns, sizeof(*s->runs), runcmp);
		natsort(s->empty, s->nempty);
		if (s->nwaiting > 1)
			qsort(s->waiting, s->nwaiting, sizeof(*s->waiting), waitcmp);
		natsort(s->dirs, s->ndirs);
	}
out:
	for (p = 0; p < o->nmatch; p++)
		free(copy[p]);
	return r;
}

void
delscan(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->nruns; i++) {
		free(s->runs[i].id);
		free(s->runs[i].dir);
		free(s->runs[i].oneframe);
	}
	for (i = 0; i < s->ndirs; i++)
		free(s->dirs[i]);
	for (i = 0; i < s->nempty; i++)
		free(s->empty[i]);
	for (i = 0; i < s->nwaiting; i++) {
		free(s->waiting[i].id);
		free(s->waiting[i].why);
	}
	free(s->waiting);
	free(s->runs);
	free(s->dirs);
	free(s->empty);
	memset(s, 0, sizeof(*s));
}

/* append the n names v (natural order) to b as "a, b, ...", at most max of them */
static void
namelist(struct buf *b, char **v, size_t n, size_t max)
{
	size_t i;

	for (i = 0; i < n && i < max; i++)
		bufprintf(b, "%s%s", i ? ", " : "", v[i]);
	if (n > max)
		bufputs(b, ", ...");
}

int
scannone(const struct scanopts *o, const struct scan *s, char *err, size_t n)
{
	struct buf b, names;
	char **v = NULL;
	size_t nv = 0, i;
	struct dirent *e;
	DIR *d;

	bufinit(&b), bufinit(&names);
	if (s->nempty) {
		namelist(&names, s->empty, s->nempty, 5);
		bufprintf(&b, "runs.frames '%s' matches no file in the %zu folder%s runs.match found (%s)", o->frames,
		          s->nempty, s->nempty == 1 ? "" : "s", names.s);
	} else {
		if ((d = opendir(o->root))) {
			while ((e = readdir(d))) {
				struct stat st;

				if (e->d_name[0] == '.')
					continue;
				v = xreallocarray(v, nv + 1, sizeof(*v));
				v[nv++] = xasprintf("%s%s", e->d_name,
				                    fstatat(dirfd(d), e->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode) ? "/" : "");
			}
			closedir(d);
		}
		natsort(v, nv);
		namelist(&names, v, nv, 8);
		bufputs(&b, "runs.match ");
		for (i = 0; i < o->nmatch; i++)
			bufprintf(&b, "%s'%s'", i ? (i + 1 == o->nmatch ? " and " : ", ") : "", o->match[i]);
		bufprintf(&b, " match%s no run folder under '%s', which holds %s%s", o->nmatch == 1 ? "es" : "", o->root,
		          nv ? "" : "nothing", names.s);
		delstrv(v, nv);
	}
	seterr(err, n, "%s", b.s);
	buffree(&b), buffree(&names);
	return -1;
}

int
scandateahead(const struct scan *s, const char *buildfile, const char *outdir, char *err, size_t n)
{
	static const enum statefile lists[] = {STATERUNS, STATEWAITING, STATEJOBS, STATEREPORTCFG};
	long long newest = 0, t, now = fsnow();
	const char *which = NULL;
	struct buf b;
	char *p;
	size_t i;
	int r;

	for (i = 0; i < s->ndirs; i++)
		if ((t = fsmtime(s->dirs[i])) > newest)
			newest = t, which = s->dirs[i];
	if (newest <= now + 1000000000LL)
		return 0;
	bufinit(&b);
	fsahead(&b, newest - now);
	warn("folder '%s' is dated %s ahead of this machine's clock (the clock of the machine that wrote it runs ahead?); "
	     "%s is dated to match, so that it is not made again at every build", which, b.s, buildfile);
	buffree(&b);
	r = fsdateafter(buildfile, newest, err, n);
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]) && r == 0; i++) {
		p = statepath(outdir, lists[i], NULL);
		r = fsdateafter(p, newest, err, n);
		free(p);
	}
	return r;
}
