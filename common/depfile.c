#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/util.h"
#include "depfile.h"

void
depadd(struct buf *inputs, const char *path)
{
	bufputs(inputs, path);
	bufputc(inputs, '\n');
}

/* can ninja's depfile parser read path, escaped by depescape? or with make set, GNU make's */
static bool
depsafe(const char *path, bool make)
{
	/* make: ':' '=' '%' '(' ')' ';' '|' '*' '?' '[' and a trailing '&' change what a rule means */
	const char *ok = make ? "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+,/_.~}{@!- #$"
	                      : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+,/_:.~()}{%=@!- #$";

	for (; *path; path++)
		if (!strchr(ok, *path) && !(*path & 0x80))
			return false;
	return true;
}

/* append path to a depfile, escaped for ninja's parser */
static void
depescape(struct buf *b, const char *path)
{
	for (; *path; path++) {
		if (*path == ' ' || *path == '#')
			bufputc(b, '\\');
		if (*path == '$')
			bufputc(b, '$');
		bufputc(b, *path);
	}
}

/*
 * A path the depfile parser cannot read is listed as a symbolic link to it in
 * d->aliasdir, named by a hash of the path: ninja stats through the link, so a frame
 * rewritten in place still reruns its run. Returns the alias (caller frees) or NULL.
 */
static char *
depalias(const struct depfile *d, const char *path)
{
	unsigned long long h = 1469598103934665603ULL;
	char *abs, *alias, *tmp, err[512];
	const char *p;

	if (!d->aliasdir)
		return NULL;
	for (p = path; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	alias = xasprintf("%s/%016llx", d->aliasdir, h);
	if (!depsafe(alias, d->make) || !(abs = realpath(path, NULL))) {
		free(alias);
		return NULL;
	}
	if (mkdirp(d->aliasdir, err, sizeof(err)) < 0) {
		free(alias), free(abs);
		return NULL;
	}
	tmp = tmpname(alias);
	unlink(tmp);
	if (symlink(abs, tmp) < 0 || rename(tmp, alias) < 0) {
		unlink(tmp);
		free(alias);
		alias = NULL;
	}
	free(tmp), free(abs);
	return alias;
}

int
depwrite(const struct depfile *d, const char *inputs, char *err, size_t n)
{
	char *list = xstrdup(inputs), *line, *next;
	struct buf b, phony, old;
	bool warned = false;
	int ret;

	bufinit(&b);
	bufinit(&phony);
	depescape(&b, d->target);
	bufputc(&b, ':');
	for (line = list; *line; line = next) {
		char *alias = NULL;

		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (!depsafe(line, d->make) && !(alias = depalias(d, line))) {
			if (!warned)
				warn("%s: changes in place to %s are not tracked (its name has a character %s depfiles cannot hold)",
				     d->id, line, d->make ? "make's" : "ninja's");
			warned = true;
			continue;
		}
		bufputs(&b, " \\\n  ");
		depescape(&b, alias ? alias : line);
		if (d->make) {
			bufputc(&phony, '\n');
			depescape(&phony, alias ? alias : line);
			bufputs(&phony, ":\n");
		}
		free(alias);
	}
	bufputc(&b, '\n');
	bufputs(&b, phony.s);
	/*
	 * Never a part of one, for either: make reads its depfile as a makefile (-include),
	 * and ninja as it looks for what is dirty, while another build in the same folder
	 * may be writing it: an empty one would be a step with no inputs, whose time ninja
	 * records as 0, to redo it the next build. So a whole new file is renamed over it:
	 * for ninja from one temporary name (it is written under the run's lock), for make
	 * from one of this process's own. One with these very bytes (a run found up to date
	 * writes it again) is left as it is.
	 */
	if (readfile(d->path, &old, NULL, 0) == 0 && old.len == b.len && memcmp(old.s, b.s, b.len) == 0)
		ret = 0;
	else if ((d->make ? writeatomic(d->path, b.s, b.len, err, n) : writereplace(d->path, b.s, b.len, err, n)) < 0)
		ret = seterr(err, n, "%s:", d->path);  /* the depfile named, not its temporary file */
	else
		ret = 0;
	buffree(&old);
	buffree(&b);
	buffree(&phony);
	free(list);
	return ret;
}
