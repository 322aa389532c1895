#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fs.h"
#include "common/util.h"
#include "confval.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

int
confbad(struct confctx *x, const config_setting_t *s, const char *fmt, const char *a, const char *b)
{
	char msg[512], *p;
	int line = s ? (int)config_setting_source_line(s) : 0;

	snprintf(msg, sizeof(msg), fmt, a, b);
	/* a value quoted in the message may hold a line break (libconfig strings can): one line */
	for (p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return seterr(x->err, x->n, "%s:%d: %s", x->name, line ? line : 1, msg);
}

/* the Levenshtein distance of a and b; (size_t)-1 when b has 64 bytes or more */
static size_t
editdist(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[64];

	if (lb >= LEN(d))
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = d[0], t;

		d[0] = i;
		for (j = 1; j <= lb; j++) {
			t = d[j];
			d[j] = diag + (a[i - 1] != b[j - 1]);
			if (d[j - 1] + 1 < d[j])
				d[j] = d[j - 1] + 1;
			if (t + 1 < d[j])
				d[j] = t + 1;
			diag = t;
		}
	}
	return d[lb];
}

const char *
confclosest(const char *name, const char *const *names, bool prefix)
{
	const char *best = NULL;
	size_t k, d, bestd = 3;

	for (k = 0; names[k]; k++) {
		d = editdist(name, names[k]);
		if (prefix && *name && (strncmp(name, names[k], strlen(name)) == 0 || strncmp(name, names[k], strlen(names[k])) == 0))
			d = 1;
		if (d < bestd && d < strlen(names[k]))
			bestd = d, best = names[k];
	}
	return best;
}

int
confkeys(struct confctx *x, const config_setting_t *s, const char *const *keys, const char *where)
{
	int i, len = config_setting_length(s);

	for (i = 0; i < len; i++) {
		const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
		const char *name = config_setting_name(m), *best;
		char msg[256];
		size_t k;

		for (k = 0; keys[k] && strcmp(keys[k], name) != 0; k++)
			;
		if (keys[k])
			continue;
		best = confclosest(name, keys, false);
		snprintf(msg, sizeof(msg), "unknown key '%s'%s%s", name, where ? " in " : "", where ? where : "");
		if (best)
			return confbad(x, m, "%s (did you mean '%s'?)", msg, best);
		return confbad(x, m, "%s%s", msg, "");
	}
	return 0;
}

config_setting_t *
confmember(const config_setting_t *g, const char *key)
{
	return g ? config_setting_get_member(g, key) : NULL;
}

int
confstring(struct confctx *x, const config_setting_t *g, const char *key, const char *path, char **out)
{
	config_setting_t *s = confmember(g, key);

	if (!s)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return confbad(x, s, "'%s' must be a string%s", path, "");
	free(*out);
	*out = xstrdup(config_setting_get_string(s));
	return 0;
}

int
confbool(struct confctx *x, const config_setting_t *g, const char *key, const char *path, bool *out)
{
	config_setting_t *s = confmember(g, key);

	if (!s)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return confbad(x, s, "'%s' must be true or false%s", path, "");
	*out = config_setting_get_bool(s);
	return 0;
}

int
confint(struct confctx *x, const config_setting_t *g, const char *key, const char *path, long long lo,
       long long hi, const char *what, long long *out)
{
	config_setting_t *s = confmember(g, key);
	long long v;

	if (!s)
		return 0;
	if (config_setting_type(s) == CONFIG_TYPE_INT)
		v = config_setting_get_int(s);
	else if (config_setting_type(s) == CONFIG_TYPE_INT64)
		v = config_setting_get_int64(s);
	else
		return confbad(x, s, "'%s' must be an integer %s", path, what);
	if (v < lo || v > hi)
		return confbad(x, s, "'%s' must be an integer %s", path, what);
	*out = v;
	return 0;
}

int
confint32(struct confctx *x, const config_setting_t *g, const char *key, const char *path, long long lo,
         long long hi, const char *what, int *out)
{
	long long v = *out;

	if (confint(x, g, key, path, lo, hi, what, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

int
confnum(struct confctx *x, const config_setting_t *g, const char *key, const char *path, bool positive,
       double *out)
{
	config_setting_t *s = confmember(g, key);
	double v;

	if (!s)
		return 0;
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT: v = config_setting_get_int(s); break;
	case CONFIG_TYPE_INT64: v = (double)config_setting_get_int64(s); break;
	case CONFIG_TYPE_FLOAT: v = config_setting_get_float(s); break;
	default: return confbad(x, s, "'%s' must be a number%s", path, positive ? " > 0" : "");
	}
	if (positive && !(v > 0))
		return confbad(x, s, "'%s' must be a number%s", path, " > 0");
	if (!isfinite(v))
		return confbad(x, s, "'%s' must be a finite number%s", path, "");
	*out = v;
	return 0;
}

int
confenum(struct confctx *x, const config_setting_t *g, const char *key, const char *path,
        const char *const *names, const char *list, int *out)
{
	config_setting_t *s = confmember(g, key);
	const char *v;
	int i;

	if (!s)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return confbad(x, s, "'%s' must be one of %s", path, list);
	v = config_setting_get_string(s);
	for (i = 0; names[i]; i++)
		if (strcmp(names[i], v) == 0) {
			*out = i;
			return 0;
		}
	return confbad(x, s, "'%s' must be one of %s", path, list);
}

int
confsize(struct confctx *x, const config_setting_t *g, const char *key, const char *path, long long *out)
{
	config_setting_t *s = confmember(g, key);
	const char *v;
	char *end;
	double m;

	if (!s)
		return 0;
	v = config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : "";
	m = strtod(v, &end);
	switch (*end) {
	case 'K': case 'k': m *= 1024.0; end++; break;
	case 'M': case 'm': m *= 1024.0 * 1024; end++; break;
	case 'G': case 'g': m *= 1024.0 * 1024 * 1024; end++; break;
	case 'T': case 't': m *= 1024.0 * 1024 * 1024 * 1024; end++; break;
	}
	if (end == v || *end || !(m >= 1024 * 1024) || m > 1e18)
		return confbad(x, s, "'%s' must be a size such as \"8G\" or \"512M\" (at least 1M)%s", path, "");
	*out = (long long)m;
	return 0;
}

int
confglob(struct confctx *x, const config_setting_t *s, const char *path, const char *v, int maxparts)
{
	char msg[512];

	return fsrelpattern(path, v, maxparts, msg, sizeof(msg)) < 0 ? confbad(x, s, "%s%s", msg, "") : 0;
}

int
confstrings(struct confctx *x, const config_setting_t *s, const char *path, confcheckfn *check, char ***v, size_t *nv)
{
	int i, len;

	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		len = 1;
	} else if (config_setting_type(s) == CONFIG_TYPE_ARRAY || config_setting_type(s) == CONFIG_TYPE_LIST) {
		len = config_setting_length(s);
		for (i = 0; i < len; i++)
			if (config_setting_type(config_setting_get_elem(s, (unsigned)i)) != CONFIG_TYPE_STRING)
				return confbad(x, s, "'%s' must be a string or a list of strings%s", path, "");
	} else {
		return confbad(x, s, "'%s' must be a string or a list of strings%s", path, "");
	}
	*v = xreallocarray(NULL, (size_t)len, sizeof(**v));
	for (*nv = 0; *nv < (size_t)len; (*nv)++) {
		const char *e = len == 1 && config_setting_type(s) == CONFIG_TYPE_STRING
		                    ? config_setting_get_string(s)
		                    : config_setting_get_string_elem(s, (int)*nv);

		if (check(x, s, path, e) < 0)
			return -1;
		(*v)[*nv] = xstrdup(e);
	}
	return 0;
}

int
confgroup(struct confctx *x, const config_setting_t *root, const char *key, config_setting_t **g)
{
	*g = config_setting_get_member(root, key);
	if (*g && config_setting_type(*g) != CONFIG_TYPE_GROUP)
		return confbad(x, *g, "'%s' must be a group { ... }%s", key, "");
	return 0;
}

int
confduration(struct confctx *x, const config_setting_t *g, const char *key, const char *path, long long min,
             long long *out)
{
	config_setting_t *s = confmember(g, key);
	const char *p = "";
	long long total = 0, v;
	bool bad = true;
	char *end;

	if (!s)
		return 0;
	if (config_setting_type(s) == CONFIG_TYPE_INT || config_setting_type(s) == CONFIG_TYPE_INT64) {
		total = config_setting_type(s) == CONFIG_TYPE_INT ? config_setting_get_int(s) : config_setting_get_int64(s);
		bad = false;
	} else if (config_setting_type(s) == CONFIG_TYPE_STRING && *(p = config_setting_get_string(s))) {
		while (*p) {
			if (*p < '0' || *p > '9' || (v = strtoll(p, &end, 10)) > 1000000000)
				break;
			switch (*end) {
			case 'h': v *= 3600; break;
			case 'm': v *= 60; break;
			case 's': break;
			default: end = NULL;
			}
			if (!end)
				break;
			total += v;
			p = end + 1;
		}
		bad = *p != '\0';
	}
	if (bad || total < min || total > 100LL * 365 * 86400)
		return confbad(x, s, "'%s' must be a duration such as \"15m\", \"90s\", \"2h\" or \"1h30m\" (or whole seconds%s)",
		               path, min < 1 ? ", 0 for none" : "");
	*out = total;
	return 0;
}

