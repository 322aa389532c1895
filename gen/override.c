#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/fs.h"
#include "common/natsort.h"
#include "common/util.h"
#include "override.h"

/* is path a regular file (links followed)? */
static bool
isfile(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* is path a folder (links followed)? */
static bool
isdir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* parse the override file at path (named name in messages) into over (c: the main file, named cfgname); 0 or -1 with err */
static int
parseone(const struct conf *c, const char *cfgname, const char *path, const char *name, struct conf *over, char *err,
         size_t n)
{
	struct buf text;
	int r;

	if (readfile(path, &text, err, n) < 0)
		return -1;
	r = conftext(text.s, text.len, name, err, n) < 0 ? -1 : confparse(over, text.s, name, true, err, n);
	buffree(&text);
	if (r == 0 && over->cmd.params && !c->cmd.run)
		return seterr(err, n, "%s: command.params given, but %s has no command", name, cfgname);
	return r;
}

int
overrideread(const struct conf *c, const char *cfgname, const struct run *r, struct conf *over, char *err, size_t n)
{
	char *inrun = r->override ? xasprintf("%s/%s", r->dir, c->override) : NULL;
	char *outside = c->overrides ? xasprintf("%s/%s.cfg", c->overrides, r->id) : NULL;
	char *name;
	int ret = 0;

	if (outside && !isfile(outside)) {
		free(outside);
		outside = NULL;
	}
	if (inrun && outside) {
		ret = seterr(err, n, "%s: two overrides, %s/%s and %s: keep one", r->id, r->id, c->override, outside);
	} else if (inrun) {
		name = xasprintf("%s/%s", r->id, c->override);
		ret = parseone(c, cfgname, inrun, name, over, err, n);
		free(name);
	} else if (outside) {
		ret = parseone(c, cfgname, outside, outside, over, err, n);
	}
	free(inrun), free(outside);
	return ret;
}

/* add path to *paths */
static void
addpath(char ***paths, size_t *n, char *path)
{
	*paths = xreallocarray(*paths, *n + 1, sizeof(**paths));
	(*paths)[(*n)++] = path;
}

/* watch dir, its RUNID.cfg files and its folders, depth levels down at most */
static void
watchdir(const char *dir, int depth, char ***paths, size_t *n)
{
	struct dirent *e;
	DIR *d;

	if (!(d = opendir(dir)))
		return;
	addpath(paths, n, xstrdup(dir));
	while ((e = readdir(d))) {
		char *p;
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (len > 4 && strcmp(e->d_name + len - 4, ".cfg") == 0 && isfile(p)) {
			addpath(paths, n, p);
		} else if (depth > 0 && isdir(p)) {
			watchdir(p, depth - 1, paths, n);
			free(p);
		} else {
			free(p);
		}
	}
	closedir(d);
}

void
overridewatch(const struct conf *c, char ***paths, size_t *n)
{
	if (!c->overrides)
		return;
	if (isdir(c->overrides))
		watchdir(c->overrides, 16, paths, n);
	else
		addpath(paths, n, dirpart(c->overrides));
}
