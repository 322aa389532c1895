#include <stdlib.h>
#include <string.h>

#include "common/fs.h"
#include "common/state.h"
#include "common/util.h"
#include "outdir.h"

/* does dir hold a record runja writes beside a run's results (so it is OUT/RUNID, no run)? */
static bool
isresults(const char *dir)
{
	const char *const records[] = {
		"summary.json", staterecordname(STATEERROR), staterecordname(STATESTAMP), staterecordname(STATELOG),
	};
	size_t i;
	bool hit = false;

	for (i = 0; i < sizeof(records) / sizeof(records[0]) && !hit; i++) {
		char *p = xasprintf("%s/%s", dir, records[i]);

		hit = exists(p);
		free(p);
	}
	return hit;
}

/* the folder of matched folder i of the scan s (its runs, then waiting, then without frames); caller frees */
static char *
matchedfolder(const struct conf *c, const struct scan *s, size_t i)
{
	const char *id = i < s->nruns ? s->runs[i].id
	                 : i < s->nruns + s->nwaiting ? s->waiting[i - s->nruns].id : s->empty[i - s->nruns - s->nwaiting];

	return strcmp(c->root, ".") == 0 ? xstrdup(id) : xasprintf("%s/%s", c->root, id);
}

bool
outdirresults(const struct conf *c, const struct scan *s)
{
	size_t i, nall = s->nruns + s->nwaiting + s->nempty, nin = 0;
	char err[1024], *out, *dir, *rd;
	bool ours = true;

	if (!exists(c->outdir) || !(out = fsresolve(c->outdir, err, sizeof(err))))
		return false;
	for (i = 0; i < nall && ours; i++) {
		dir = matchedfolder(c, s, i);
		if ((rd = fsresolve(dir, err, sizeof(err))) && fsinside(rd, out)) {
			nin++;
			ours = isresults(dir);
		}
		free(rd), free(dir);
	}
	free(out);
	return nin && ours;
}

int
outdircheck(const struct conf *c, const struct scan *s, const char *cfgname, char *err, size_t n)
{
	size_t i, nall = s->nruns + s->nwaiting + s->nempty;
	char *out, *root = NULL, *dir = NULL, *rd = NULL, *here = NULL;
	int ret = -1;

	if (!(out = fsresolve(c->outdir, err, n)) || !(root = fsresolve(c->root, err, n)) || !(here = fsresolve(".", err, n)))
		goto out;
	if (fsinside(root, out)) {
		seterr(err, n, "%s: output.dir '%s' %s the data tree's root '%s'; choose a folder of its own", cfgname,
		       c->outdir, strcmp(root, out) == 0 ? "is" : "holds", c->root);
		goto out;
	}
	for (i = 0; i < nall; i++, free(rd), free(dir), rd = dir = NULL) {
		dir = matchedfolder(c, s, i);
		if (!(rd = fsresolve(dir, err, n)))
			goto out;
		if (fsinside(out, rd) || fsinside(rd, out)) {
			seterr(err, n, "%s: output.dir '%s' %s the run folder %s; raw data is never written to", cfgname,
			       c->outdir, fsinside(out, rd) ? "lies inside" : "holds", dir);
			goto out;
		}
		/* build.ninja and the build's state are written beside the config */
		if (fsinside(here, rd)) {
			seterr(err, n, "%s: its folder, where build.ninja and %s/ are written, %s the run folder %s; "
			       "raw data is never written to (put %s beside the data tree)", cfgname, STATEBUILD,
			       strcmp(here, rd) == 0 ? "is" : "lies inside", dir, cfgname);
			goto out;
		}
	}
	ret = 0;
out:
	free(out), free(root), free(dir), free(rd), free(here);
	return ret;
}

int
outdirowner(const struct conf *c, const char *cfgname, bool claim, char *err, size_t n)
{
	char *out, *here = NULL, *rel = NULL, *me = NULL, *path = statepath(c->outdir, STATEOWNER, NULL), *other, *given;
	struct buf text = {0};
	bool owned;
	int ret = -1;

	if (!(out = fsresolve(c->outdir, err, n)) || !(here = fsresolve(".", err, n)))
		goto out;
	rel = fsrelto(out, here);
	me = xasprintf("%s/%s", rel, cfgname);
	owned = readfile(path, &text, NULL, 0) == 0;
	if (owned && text.len && text.s[text.len - 1] == '\n')
		text.s[--text.len] = '\0';
	if (owned && strcmp(text.s, me) != 0) {
		given = xasprintf("%s/%s", out, text.s);
		/* named without its "..", when it can be */
		if (!(other = fsresolve(given, NULL, 0)))
			other = xstrdup(given);
		free(given);
		seterr(err, n, "%s: output.dir '%s' is the output folder of another configuration, %s (%s says so): "
		       "two writing one output folder overwrite each other's results; give this one its own "
		       "output.dir, or remove %s if it replaces that one", cfgname, c->outdir, other, path, path);
		free(other);
		goto out;
	}
	if (!owned && claim) {
		char *line = xasprintf("%s\n", me);
		int w = writeatomic(path, line, strlen(line), err, n);

		free(line);
		if (w < 0)
			goto out;
	}
	ret = 0;
out:
	buffree(&text);
	free(out), free(here), free(rel), free(me), free(path);
	return ret;
}
