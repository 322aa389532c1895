#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "common/fs.h"
#include "common/spec.h"
#include "common/state.h"
#include "common/util.h"
#include "exec.h"

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
		"RUNJA_NFRAMES=", "RUNJA_PROGRESS=", "RUNJA_PARAM_",
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
	if (p->progress)
		vecpush(&v, nenv, &cap, xasprintf("RUNJA_PROGRESS=%s", p->progress));
	json_object_foreach((json_t *)params, key, val) {
		char *text = json_is_string(val) ? xstrdup(json_string_value(val)) : execjson(val, JSON_COMPACT);

		vecpush(&v, nenv, &cap, xasprintf("RUNJA_PARAM_%s=%s", key, text));
		free(text);
	}
	return v;
}

int
execexpandv(char *const *words, const struct placeholders *p, char ***v, size_t *nv, char *err, size_t n)
{
	size_t cap = 0;
	char *arg;

	*v = NULL;
	*nv = 0;
	for (; *words; words++) {
		if (execexpand(*words, p, &arg, err, n) < 0)
			goto err;
		vecpush(v, nv, &cap, arg);
	}
	return 0;
err:
	delstrv(*v, *nv);
	*v = NULL;
	*nv = 0;
	return -1;
}

json_t *
execargs(int argc, char *const *argv)
{
	json_t *args = json_array();
	int i;

	for (i = 1; i < argc; i++)
		if (!specrunflag(argv[i]))
			json_array_append_new(args, json_string(argv[i]));
	return args;
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

	/* a program told of the interrupt that still ends by itself with status 0 has finished */
	if (e->signal && !(WIFEXITED(e->status) && WEXITSTATUS(e->status) == 0))
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
	size_t n, i;
	bool cut;
	struct logline *lines = statetailalloc(log, len, partial, maxlines > 0 ? (size_t)maxlines : 0, &n, &cut);

	/* a line that begins before what was read is left out */
	for (i = cut ? 1 : 0; i < n; i++) {
		bufputs(b, "  | ");
		bufadd(b, lines[i].s, lines[i].len);
		bufputc(b, '\n');
	}
	free(lines);
}
