#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/depfile.h"
#include "common/fs.h"
#include "common/inputs.h"
#include "common/state.h"
#include "common/util.h"
#include "exec.h"
#include "execrun.h"
#include "job.h"
#include "results.h"

/* the depfile's path while it is written: inside W/out when it lies inside CMDOUT */
static char *
depfilepath(const struct job *a)
{
	size_t len = strlen(a->cmdout);

	if (strncmp(a->o->depfile, a->cmdout, len) == 0 && a->o->depfile[len] == '/')
		return xasprintf("%s%s", a->out, a->o->depfile + len);
	return xstrdup(a->o->depfile);
}

/* summary.json's text (caller frees) */
static char *
summary(const struct job *a, char **outputs, size_t noutputs)
{
	const struct execopts *o = a->o;
	json_t *sum = json_object(), *cmd = json_array(), *files = json_array(), *outs = json_array();
	char *const *s;
	char *text;
	size_t i;

	for (s = o->prog; *s; s++)
		json_array_append_new(cmd, json_string(*s));
	for (i = 0; i < a->nnames; i++)
		json_array_append_new(files, json_string(a->names[i]));
	for (i = 0; i < noutputs; i++)
		json_array_append_new(outs, json_string(outputs[i]));
	json_object_set_new(sum, "run", json_string(o->id));
	json_object_set_new(sum, "kind", json_string("command"));
	json_object_set_new(sum, "command", cmd);
	json_object_set_new(sum, "params", json_incref(a->params));
	json_object_set_new(sum, "frames", json_integer((json_int_t)a->nnames));
	json_object_set_new(sum, "files", files);
	json_object_set_new(sum, "skipped", json_array());
	json_object_set_new(sum, "outputs", outs);
	/* what runja-gen --check compares with the arguments it would give now */
	json_object_set_new(sum, "argv", json_deep_copy(o->argv));
	text = execjson(sum, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(sum);
	return text;
}

/* write text and a line break to path and flush it; 0 or -1 with err */
static int
writesynced(const char *path, const char *text, char *err, size_t n)
{
	struct buf b;
	int r;

	bufinit(&b);
	bufprintf(&b, "%s\n", text);
	r = writefile(path, b.s, b.len, err, n) < 0 || syncpath(path, err, n) < 0 ? -1 : 0;
	buffree(&b);
	return r;
}

int
resultsdeps(const struct execopts *o, char *const *names, size_t nnames, const char *path, const char *later, char *err,
            size_t n)
{
	char *target = statein(o->state, STATECMDENDED, o->id);
	char *alias = statein(o->state, STATEALIAS, NULL);
	char *dir = dirpart(path), *frame;
	struct depfile d = {.path = path, .target = target, .aliasdir = alias, .id = o->id, .make = o->depphony};
	struct buf inputs;
	size_t i;
	int r;

	bufinit(&inputs);
	for (i = 0; i < nnames; i++) {
		frame = xasprintf("%s/%s", o->rundir, names[i]);
		depadd(&inputs, frame);
		free(frame);
	}
	/*
	 * Flushed before the record is written: a depfile a crash cut short could still
	 * read as a list of fewer frames, whose changes nothing would then track. Its
	 * folder too, unless the caller flushes it next (W/out: once for all its files).
	 */
	r = mkdirp(dir, err, n) < 0 || depwrite(&d, inputs.s, err, n) < 0 || syncpath(path, err, n) < 0 ||
	    ((!later || strcmp(dir, later) != 0) && syncpath(dir, err, n) < 0) ? -1 : 0;
	buffree(&inputs);
	free(target), free(alias), free(dir);
	return r;
}

/* past this many files, one syncfs of their file system costs less than a fsync each */
enum { SYNCEACH = 16 };

/*
 * Flush the program's own files (outs, relative to dir) and the folders between them
 * and dir, before the record that says they are the results is written: else a crash
 * could leave the record and an empty or missing result. dir itself is flushed later.
 */
static int
syncoutputs(const char *dir, char *const *outs, size_t nouts, char *err, size_t n)
{
	char *path, *sub, *up, **dirs = NULL;
	size_t i, ndirs = 0;
	int fd, r = 0;

	if (nouts > SYNCEACH) {
		if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			return seterr(err, n, "%s:", dir);
		r = syncfs(fd);
		close(fd);
		return r < 0 ? seterr(err, n, "%s: write error:", dir) : 0;
	}
	/* their writes started together: each flush below then waits for little */
	for (i = 0; i < nouts; i++) {
		path = xasprintf("%s/%s", dir, outs[i]);
		syncstart(path);
		free(path);
	}
	for (i = 0; i < nouts && r == 0; i++) {
		path = xasprintf("%s/%s", dir, outs[i]);
		r = syncpath(path, err, n);
		free(path);
		/* its folders, to be flushed once for all the files in them */
		for (sub = xstrdup(outs[i]); strchr(sub, '/'); sub = up) {
			up = dirpart(sub);
			free(sub);
			strvaddonce(&dirs, &ndirs, xstrdup(up));
		}
		free(sub);
	}
	for (i = 0; i < ndirs && r == 0; i++) {
		path = xasprintf("%s/%s", dir, dirs[i]);
		r = syncpath(path, err, n);
		free(path);
	}
	delstrv(dirs, ndirs);
	return r;
}

int
resultscollect(struct job *a, char *err, size_t n)
{
	const char *const reserved[] = {"summary.json", staterecordname(STATELOG)};
	const struct execopts *o = a->o;
	char **outs, *path, *text, *dep = o->depfile ? depfilepath(a) : NULL;
	size_t nouts, lo = strlen(a->out), i, j;
	const char *deprel = dep && strncmp(dep, a->out, lo) == 0 && dep[lo] == '/' ? dep + lo + 1 : NULL;
	struct stat st;
	int ret = -1, r;

	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		path = xasprintf("%s/%s", a->out, reserved[i]);
		r = lstat(path, &st);
		free(path);
		if (r == 0) {
			seterr(err, n, "%s: %s wrote %s, a name runja keeps for its own record", o->id, a->prog, reserved[i]);
			goto out;
		}
	}
	if (listtree(a->out, &outs, &nouts, err, n) < 0)
		goto out;
	delstrv(outs, nouts);
	if (nouts == 0) {
		seterr(err, n, "%s: %s exited 0 but wrote nothing in its output folder", o->id, a->prog);
		goto out;
	}
	path = staterecord(a->out, NULL, STATELOG);
	if (rename(a->log, path) < 0) {
		seterr(err, n, "%s:", path);
		free(path);
		goto out;
	}
	free(a->log);
	a->log = path;
	/* the log is flushed with the program's files (syncoutputs) */
	if (listtree(a->out, &outs, &nouts, err, n) < 0)
		goto out;
	/* the depfile is no output (ninja deletes it), should the program have written one */
	for (i = j = 0; i < nouts; i++) {
		if (deprel && strcmp(outs[i], deprel) == 0)
			free(outs[i]);
		else
			outs[j++] = outs[i];
	}
	r = syncoutputs(a->out, outs, j, err, n);
	text = r < 0 ? NULL : summary(a, outs, j);
	delstrv(outs, j);
	if (r < 0)
		goto out;
	path = xasprintf("%s/summary.json", a->out);
	r = writesynced(path, text, err, n);
	free(path), free(text);
	if (r < 0 || (dep && resultsdeps(a->o, a->names, a->nnames, dep, a->out, err, n) < 0) || syncpath(a->out, err, n) < 0)
		goto out;
	ret = 0;
out:
	free(dep);
	return ret;
}

int
resultscommit(const struct job *a, char *err, size_t n)
{
	const char *dst = a->cmdout;
	struct stat st;
	char *parent, *old;

	if (lstat(dst, &st) < 0) {
		if (errno != ENOENT)
			return seterr(err, n, "%s:", dst);
		parent = dirpart(dst);
		if (mkdirp(parent, err, n) < 0) {
			free(parent);
			return -1;
		}
		free(parent);
		if (rename(a->out, dst) < 0)
			return seterr(err, n, "%s: cannot move the results in:", dst);
		return 0;
	}
	if (renameat2(AT_FDCWD, a->out, AT_FDCWD, dst, RENAME_EXCHANGE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return seterr(err, n, "%s: cannot move the results in:", dst);
	/* a file system without RENAME_EXCHANGE: the old results aside into W, then the new ones in */
	old = xasprintf("%s/old", a->work);
	if (rename(dst, old) < 0) {
		seterr(err, n, "%s: cannot move the old results out:", dst);
		goto err;
	}
	if (rename(a->out, dst) < 0) {
		seterr(err, n, "%s: cannot move the results in:", dst);
		rename(old, dst);
		goto err;
	}
	free(old);
	return 0;
err:
	free(old);
	return -1;
}

int
resultsstamp(const char *path, char *err, size_t n)
{
	char *dir = dirpart(path);
	int r = mkdirp(dir, err, n) < 0 || writeatomic(path, "", 0, err, n) < 0 ? -1 : 0;

	free(dir);
	return r;
}

int
resultsrecord(const char *path, const struct inputs *in, char *err, size_t n)
{
	struct buf text;
	int r;

	bufinit(&text);
	inputstext(in, &text);
	r = writeatomic(path, text.s, text.len, err, n);
	buffree(&text);
	return r;
}
