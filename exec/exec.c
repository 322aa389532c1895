#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/frames.h"
#include "common/fs.h"
#include "common/spec.h"
#include "common/util.h"
#include "common/depfile.h"
#include "exec.h"
#include "common/output.h"
#include "common/state.h"
#include "spawn.h"
#include "warm.h"

/* the bytes of the log's end that the tail on stderr is taken from */
#define TAILBYTES 65536

/* one attempt: its paths and what it found */
struct job {
	const struct execopts *o;
	char *work;       /* W = STATE/work/ID, removed at the end */
	char *out;        /* W/out: {out} */
	char *frames;     /* W/frames.txt: {frames} */
	char *paramfile;  /* W/params.json: {params} */
	char *log;        /* the program's log where it is now (W/runja.log, W/out/runja.log, STATE/failed/ID/runja.log), or NULL */
	char *cmdout;     /* o->cmdout without a trailing '/' */
	json_t *params;   /* o->params, keys sorted */
	char **names;     /* the frames, relative to rundir, natural order */
	size_t nnames;
	char **argv;      /* PROGRAM ARG... expanded, NULL-terminated */
	size_t nargv;
	const char *prog; /* PROGNAME, inside argv */
	bool ran;         /* spawnrun started the program */
	struct spawnend end;
};

int
execexpand(const char *arg, const struct placeholders *p, char **out, char *err, size_t n)
{
	const char *s, *close;
	struct buf b;

	bufinit(&b);
	for (s = arg; *s; s++) {
		const char *v = NULL;
		size_t len;

		if ((s[0] == '{' && s[1] == '{') || (s[0] == '}' && s[1] == '}')) {
			bufputc(&b, *s++);
			continue;
		}
		if (*s == '}') {
			seterr(err, n, "'%s': a '}' without its '{' (a literal '}' is written }})", arg);
			goto err;
		}
		if (*s != '{') {
			bufputc(&b, *s);
			continue;
		}
		if (!(close = strchr(s, '}'))) {
			seterr(err, n, "'%s': a '{' without its '}' (a literal '{' is written {{)", arg);
			goto err;
		}
		len = (size_t)(close - s - 1);
#define IS(name) (len == strlen(name) && strncmp(s + 1, name, len) == 0)
		if (IS("run"))
			v = p->run;
		else if (IS("out"))
			v = p->out;
		else if (IS("id"))
			v = p->id;
		else if (IS("frames"))
			v = p->frames;
		else if (IS("params"))
			v = p->params;
		else if (IS("pipeline") && !p->pipeline) {
			seterr(err, n, "'%s': {pipeline} needs --pipeline (command.after_pipeline)", arg);
			goto err;
		} else if (IS("pipeline"))
			v = p->pipeline;
		else {
			seterr(err, n, "'%s': unknown placeholder %.*s (known: {run} {out} {id} {frames} {params} {pipeline})",
			       arg, (int)(len + 2), s);
			goto err;
		}
#undef IS
		bufputs(&b, v);
		s = close;
	}
	*out = b.s;
	return 0;
err:
	buffree(&b);
	*out = NULL;
	return -1;
}

int
execparams(const char *text, json_t **params, char *err, size_t n)
{
	json_error_t je;
	const char *key;
	json_t *v;

	if (!(*params = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je)))
		return seterr(err, n, "not JSON: %s", je.text);
	if (!json_is_object(*params)) {
		json_decref(*params);
		*params = NULL;
		return seterr(err, n, "a JSON object of parameters is needed, not '%s'", text);
	}
	json_object_foreach(*params, key, v) {
		if (!*key || key[strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")]) {
			seterr(err, n, "'%s' cannot be a parameter name (letters, digits and _ only)", key);
			json_decref(*params);
			*params = NULL;
			return -1;
		}
	}
	return 0;
}

static int
keycmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

json_t *
execsorted(const json_t *v)
{
	json_t *copy, *val;
	const char *key, **keys;
	size_t i, nkeys;

	if (json_is_array(v)) {
		copy = json_array();
		json_array_foreach(v, i, val)
			json_array_append_new(copy, execsorted(val));
		return copy;
	}
	if (!json_is_object(v))
		return json_deep_copy(v);
	nkeys = json_object_size(v);
	keys = xreallocarray(NULL, nkeys ? nkeys : 1, sizeof(*keys));
	i = 0;
	json_object_foreach((json_t *)v, key, val)
		keys[i++] = key;
	qsort(keys, nkeys, sizeof(*keys), keycmp);
	copy = json_object();
	for (i = 0; i < nkeys; i++)
		json_object_set_new(copy, keys[i], execsorted(json_object_get(v, keys[i])));
	free(keys);
	return copy;
}

/* the most significant digits any real in v needs to read back exactly (1 when none) */
static int
realdigits(const json_t *v)
{
	const char *key;
	json_t *val;
	int d = 1, k;
	size_t i;
	char s[64];

	if (json_is_real(v)) {
		for (d = 1; d < 17; d++) {
			snprintf(s, sizeof(s), "%.*g", d, json_real_value(v));
			if (strtod(s, NULL) == json_real_value(v))
				break;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, val)
			if ((k = realdigits(val)) > d)
				d = k;
	} else if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, val)
			if ((k = realdigits(val)) > d)
				d = k;
	}
	return d;
}

char *
execjson(const json_t *v, size_t flags)
{
	/*
	 * jansson writes every real with 17 digits (0.1 as 0.10000000000000001). Written
	 * with the digits the most demanding real needs instead, each reads back the same,
	 * and up to 15 digits one that needs fewer shows no noise.
	 */
	char *s = json_dumps(v, flags | JSON_ENCODE_ANY | JSON_REAL_PRECISION(realdigits(v)));

	if (!s)
		fatal(1, "out of memory");
	return s;
}

/* is e a variable runja sets for the program (so an inherited one goes)? */
static bool
ours(const char *e)
{
	static const char *const names[] = {
		"RUNJA_RUN=", "RUNJA_OUT=", "RUNJA_ID=", "RUNJA_FRAMES=", "RUNJA_PARAMS=", "RUNJA_PIPELINE=",
		"RUNJA_NFRAMES=", "RUNJA_PARAM_",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(e, names[i], strlen(names[i])) == 0)
			return true;
	return false;
}

/* append s to the NULL-terminated vector *v of *nv strings (capacity *cap); takes s */
static void
vecpush(char ***v, size_t *nv, size_t *cap, char *s)
{
	if (*nv + 2 > *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*nv)++] = s;
	(*v)[*nv] = NULL;
}

char **
execenv(char *const *env, const struct placeholders *p, size_t nframes, const json_t *params,
        size_t *nenv)
{
	char **v = NULL;
	size_t cap = 0;
	const char *key;
	json_t *val;

	*nenv = 0;
	for (; env && *env; env++)
		if (!ours(*env))
			vecpush(&v, nenv, &cap, xstrdup(*env));
	vecpush(&v, nenv, &cap, xasprintf("RUNJA_RUN=%s", p->run));
	vecpush(&v, nenv, &cap, xasprintf("RUNJA_OUT=%s", p->out));
	vecpush(&v, nenv, &cap, xasprintf("RUNJA_ID=%s", p->id));
	vecpush(&v, nenv, &cap, xasprintf("RUNJA_FRAMES=%s", p->frames));
	vecpush(&v, nenv, &cap, xasprintf("RUNJA_PARAMS=%s", p->params));
	if (p->pipeline)
		vecpush(&v, nenv, &cap, xasprintf("RUNJA_PIPELINE=%s", p->pipeline));
	vecpush(&v, nenv, &cap, xasprintf("RUNJA_NFRAMES=%zu", nframes));
	json_object_foreach((json_t *)params, key, val) {
		char *text = json_is_string(val) ? xstrdup(json_string_value(val)) : execjson(val, JSON_COMPACT);

		vecpush(&v, nenv, &cap, xasprintf("RUNJA_PARAM_%s=%s", key, text));
		free(text);
	}
	return v;
}

const char *
execprogname(char *const *argv, bool arg1file)
{
	if (argv[1] && arg1file && specinterpreter(argv[0]))
		return basepart(argv[1]);
	return basepart(argv[0]);
}

void
exectimeout(char *s, size_t n, long seconds)
{
	if (seconds % 3600 == 0)
		snprintf(s, n, "%ldh", seconds / 3600);
	else if (seconds % 60 == 0)
		snprintf(s, n, "%ldm", seconds / 60);
	else
		snprintf(s, n, "%lds", seconds);
}

int
execverdict(const struct spawnend *e, const char *id, const char *prog, long timeout, char *err, size_t n)
{
	char t[32];

	if (e->signal)
		return seterr(err, n, "%s: interrupted", id);
	if (e->timedout) {
		exectimeout(t, sizeof(t), timeout);
		return seterr(err, n, "%s: timed out after %s", id, t);
	}
	if (e->execerr)
		return seterr(err, n, "%s: cannot run %s: %s", id, prog, strerror(e->execerr));
	if (WIFSIGNALED(e->status))
		return seterr(err, n, "%s: %s was killed by signal %d (%s)", id, prog, WTERMSIG(e->status),
		              strsignal(WTERMSIG(e->status)));
	if (!WIFEXITED(e->status) || WEXITSTATUS(e->status) != 0)
		return seterr(err, n, "%s: %s exited with status %d", id, prog, WEXITSTATUS(e->status));
	return 0;
}

void
exectail(struct buf *b, const char *log, size_t len, bool partial, int maxlines)
{
	size_t max = maxlines > 0 ? (size_t)maxlines : 0, n, i;
	struct logline *lines = xreallocarray(NULL, max + 1, sizeof(*lines));
	bool cut;

	n = statetail(log, len, partial, lines, max, &cut);
	/* a line that begins before what was read is left out */
	for (i = cut ? 1 : 0; i < n; i++) {
		bufputs(b, "  | ");
		bufadd(b, lines[i].s, lines[i].len);
		bufputc(b, '\n');
	}
	free(lines);
}

/* print the last 10 lines of the log at path to stderr (from its last TAILBYTES bytes) */
static void
showtail(const char *path)
{
	struct buf text, b;
	bool partial;

	bufinit(&b);
	if (readtail(path, TAILBYTES, &text, &partial, NULL, 0) == 0)
		exectail(&b, text.s, text.len, partial, 10);
	fputs(b.s, stderr);
	buffree(&b);
	buffree(&text);
}

/* expand the placeholders of o->prog into a->argv; PROGNAME; -1 with err on a bad one */
static int
expandall(struct job *a, char *err, size_t n)
{
	const struct execopts *o = a->o;
	struct placeholders p = {o->rundir, a->out, o->id, a->frames, a->paramfile, o->pipeline};
	char *const *s;
	size_t cap = 0;
	struct stat st;
	char *arg;

	for (s = o->prog; *s; s++) {
		if (execexpand(*s, &p, &arg, err, n) < 0)
			return -1;
		vecpush(&a->argv, &a->nargv, &cap, arg);
	}
	a->prog = execprogname(a->argv, a->argv[1] && stat(a->argv[1], &st) == 0 && S_ISREG(st.st_mode));
	return 0;
}

/* W afresh (a wrapper killed outright may have left one): W/out, W/frames.txt, W/params.json */
static int
prepare(struct job *a, char *err, size_t n)
{
	struct buf b;
	char *text;
	size_t i;
	int r;

	if (rmtree(a->work, err, n) < 0 || mkdirp(a->out, err, n) < 0)
		return -1;
	bufinit(&b);
	for (i = 0; i < a->nnames; i++)
		bufprintf(&b, "%s/%s\n", a->o->rundir, a->names[i]);
	r = writefile(a->frames, b.s, b.len, err, n);
	buffree(&b);
	if (r < 0)
		return -1;
	text = execjson(a->params, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	bufinit(&b);
	bufprintf(&b, "%s\n", text);
	free(text);
	r = writefile(a->paramfile, b.s, b.len, err, n);
	buffree(&b);
	return r;
}

/* run the program, its output to W/runja.log; 0 when it exited 0, else -1 with the error line */
static int
launch(struct job *a, const sigset_t *old, char *err, size_t n)
{
	extern char **environ;
	const struct execopts *o = a->o;
	struct placeholders p = {o->rundir, a->out, o->id, a->frames, a->paramfile, o->pipeline};
	char **env, cause[512];
	size_t nenv;
	int fd, r;

	a->log = staterecord(a->work, NULL, STATELOG);
	if ((fd = open(a->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666)) < 0)
		return seterr(err, n, "%s:", a->log);
	env = execenv(environ, &p, a->nnames, a->params, &nenv);
	r = 1;
	if (o->warm) {
		struct warmopts w = {o->state, o->warm, o->warmidle};

		r = warmrun(&w, a->argv, env, fd, o->timeout, &a->end, cause, sizeof(cause));
		if (r == 1)
			warn("%s: %s; running it cold", o->id, cause);
	}
	if (r == 1)
		r = spawnrun(a->argv, env, fd, o->timeout, old, &a->end, cause, sizeof(cause));
	close(fd);
	delstrv(env, nenv);
	if (r < 0)
		return seterr(err, n, "%s: cannot run %s: %s", o->id, a->prog, cause);
	a->ran = true;
	return execverdict(&a->end, o->id, a->prog, o->timeout, err, n);
}

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

/* write the depfile (at path): CMDOUT/summary.json depends on every frame */
static int
writedep(const struct job *a, const char *path, char *err, size_t n)
{
	const struct execopts *o = a->o;
	char *target = o->stamp ? xstrdup(o->stamp) : xasprintf("%s/summary.json", a->cmdout);
	char *alias = statein(o->state, STATEALIAS, NULL);
	char *dir = dirpart(path), *frame;
	struct depfile d = {.path = path, .target = target, .aliasdir = alias, .id = o->id, .make = o->depphony};
	struct buf inputs;
	size_t i;
	int r;

	bufinit(&inputs);
	for (i = 0; i < a->nnames; i++) {
		frame = xasprintf("%s/%s", o->rundir, a->names[i]);
		depadd(&inputs, frame);
		free(frame);
	}
	r = mkdirp(dir, err, n) < 0 || depwrite(&d, inputs.s, err, n) < 0 || syncpath(path, err, n) < 0 ||
	    syncpath(dir, err, n) < 0 ? -1 : 0;
	buffree(&inputs);
	free(target), free(alias), free(dir);
	return r;
}

/* check what the program wrote, add runja.log, summary.json and the depfile to W/out, flush */
static int
collect(struct job *a, char *err, size_t n)
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
	if (syncpath(a->log, err, n) < 0 || listtree(a->out, &outs, &nouts, err, n) < 0)
		goto out;
	/* the depfile is no output (ninja deletes it), should the program have written one */
	for (i = j = 0; i < nouts; i++) {
		if (deprel && strcmp(outs[i], deprel) == 0)
			free(outs[i]);
		else
			outs[j++] = outs[i];
	}
	text = summary(a, outs, j);
	delstrv(outs, j);
	path = xasprintf("%s/summary.json", a->out);
	r = writesynced(path, text, err, n);
	free(path), free(text);
	if (r < 0 || (dep && writedep(a, dep, err, n) < 0) || syncpath(a->out, err, n) < 0)
		goto out;
	ret = 0;
out:
	free(dep);
	return ret;
}

/* put W/out in CMDOUT's place: swapped with it (the old results land in W/out), or moved there */
static int
commit(struct job *a, char *err, size_t n)
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
		free(old);
		return -1;
	}
	if (rename(a->out, dst) < 0) {
		seterr(err, n, "%s: cannot move the results in:", dst);
		rename(old, dst);
		free(old);
		return -1;
	}
	free(old);
	return 0;
}

/* the stamp, written once the results are in: its mtime says when the run was last done */
static int
writestamp(const char *path, char *err, size_t n)
{
	char *dir = dirpart(path);
	int r = mkdirp(dir, err, n) < 0 || writeatomic(path, "", 0, err, n) < 0 ? -1 : 0;

	free(dir);
	return r;
}

/* STATE/failed/ID/error.txt holds line, runja.log the program's log of this attempt (if it ran) */
static void
notefailure(struct job *a, const char *line)
{
	char *dir = statein(a->o->state, STATEFAILED, a->o->id), *path, err[512];

	/* if even this cannot be written (a full disk), the run's one error line says why */
	if (mkdirp(dir, err, sizeof(err)) == 0) {
		statefailwrite(dir, line, err, sizeof(err));
		path = staterecord(dir, NULL, STATELOG);
		if (a->log && rename(a->log, path) == 0) {
			free(a->log);
			a->log = path;
		} else {
			unlink(path);
			free(path);
		}
	}
	free(dir);
}

/*
 * Refuse (-1 with err) an attempt that would write into the run folder or over it,
 * whatever the build file says: CMDOUT, STATE, W, STATE/failed/ID, the depfile and the
 * stamp must each be outside it and not hold it.
 */
static int
guard(const struct job *a, char *err, size_t n)
{
	const struct execopts *o = a->o;
	char *failed = statein(o->state, STATEFAILED, o->id);
	int r = outguard(o->id, "output folder", o->cmdout, o->rundir, err, n) < 0 ||
	        outguard(o->id, "state folder", o->state, o->rundir, err, n) < 0 ||
	        outguard(o->id, "work folder", a->work, o->rundir, err, n) < 0 ||
	        outguard(o->id, "failure folder", failed, o->rundir, err, n) < 0 ||
	        (o->depfile && outguard(o->id, "depfile", o->depfile, o->rundir, err, n) < 0) ||
	        (o->stamp && outguard(o->id, "stamp", o->stamp, o->rundir, err, n) < 0) ? -1 : 0;

	free(failed);
	return r;
}

/* the ledger's status column for the attempt: 0, the program's exit status, or the signal it died of */
static void
ledgerstatus(const struct job *a, int ret, struct attempt *l)
{
	const struct spawnend *e = &a->end;

	l->status = ret == 0 ? 0 : 1;
	if (ret == 0 || !a->ran)
		return;
	if (e->signal)
		l->signal = e->signal;
	else if (e->execerr)
		l->status = 127;
	else if (WIFSIGNALED(e->status))
		l->signal = WTERMSIG(e->status);
	else if (WIFEXITED(e->status) && WEXITSTATUS(e->status) != 0)
		l->status = WEXITSTATUS(e->status);
}

int
execrun(const struct execopts *o, int *sig, char *err, size_t n)
{
	struct job a = {.o = o};
	struct attempt l = {.id = o->id};
	struct timespec t0;
	char cause[512], *failed;
	size_t len = strlen(o->cmdout);
	sigset_t old;
	int ret = 1;

	*sig = 0;
	clock_gettime(CLOCK_REALTIME, &t0);
	/* from here a signal waits: the attempt always ends with W removed */
	spawnblock(&old);
	while (len > 1 && o->cmdout[len - 1] == '/')
		len--;
	a.cmdout = xasprintf("%.*s", (int)len, o->cmdout);
	a.work = statein(o->state, STATEWORK, o->id);
	a.out = xasprintf("%s/out", a.work);
	a.frames = xasprintf("%s/frames.txt", a.work);
	a.paramfile = xasprintf("%s/params.json", a.work);
	a.params = execsorted(o->params);
	if (guard(&a, err, n) < 0 || expandall(&a, err, n) < 0) {
		ret = 2;
		goto out;
	}
	/* an attempt that fails is never done: the stamp of the last success goes first */
	if (o->stamp && unlink(o->stamp) < 0 && errno != ENOENT)
		warn("%s:", o->stamp);
	if (o->failwith) {
		seterr(err, n, "%s", o->failwith);
		goto fail;
	}
	if (listframes(o->rundir, o->frames, o->id, &a.names, &a.nnames, err, n) < 0)
		goto fail;
	if (a.nnames == 0) {
		seterr(err, n, "%s: no frames matching '%s'", o->id, o->frames);
		goto fail;
	}
	if (prepare(&a, err, n) < 0 || launch(&a, &old, err, n) < 0 || collect(&a, err, n) < 0 ||
	    commit(&a, err, n) < 0 || (o->stamp && writestamp(o->stamp, err, n) < 0))
		goto fail;
	ret = 0;
	failed = statein(o->state, STATEFAILED, o->id);
	if (rmtree(failed, cause, sizeof(cause)) < 0)
		warn("%s", cause);
	free(failed);
	goto done;
fail:
	notefailure(&a, err);
done:
	if (rmtree(a.work, cause, sizeof(cause)) < 0)
		warn("%s", cause);
	ledgerstatus(&a, ret, &l);
	l.maxrss = a.end.maxrss;
	l.error = ret ? err : NULL;
	ledgerrecord(o->state, &t0, &l);
	/* printed last: an interrupted ninja has closed the pipe, and what is on disk comes first */
	if (ret && a.log)
		showtail(a.log);
	*sig = a.end.signal;
out:
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(a.cmdout), free(a.work), free(a.out), free(a.frames), free(a.paramfile), free(a.log);
	json_decref(a.params);
	delstrv(a.names, a.nnames);
	delstrv(a.argv, a.nargv);
	return ret;
}
