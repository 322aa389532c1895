#include <ctype.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fs.h"
#include "common/opdesc.h"
#include "common/spec.h"
#include "common/util.h"
#include "conf.h"
#include "confreport.h"
#include "confslurm.h"
#include "confval.h"

/* a glob of runs.match or runs.exclude */
static int
checkrunglob(struct confctx *x, const config_setting_t *s, const char *path, const char *v)
{
	return confglob(x, s, path, v, 64);
}

/* a string or an array of strings, each a glob */
static int
getglobs(struct confctx *x, const config_setting_t *g, const char *key, const char *path, char ***v,
         size_t *nv)
{
	config_setting_t *s = confmember(g, key);

	return s ? confstrings(x, s, path, checkrunglob, v, nv) : 0;
}

/* a path pattern of command.inputs: not empty, one line, a wildcard in the file name only */
static int
checkinput(struct confctx *x, const config_setting_t *s, const char *path, const char *v)
{
	const char *slash = strrchr(v, '/');

	if (!*v)
		return confbad(x, s, "'%s' must not hold an empty pattern%s", path, "");
	if (slash && strcspn(v, "*?[") < (size_t)(slash - v))
		return confbad(x, s, "'%s': a wildcard only in the file name, not in '%s'", path, v);
	if (strchr(v, '\n'))
		return confbad(x, s, "'%s' must not hold a line break%s", path, "");
	return 0;
}

/* the value of key k of op from setting m, checked by the op's declaration */
static int
getopkey(struct confctx *x, const config_setting_t *m, const struct opdesc *d, const struct opkey *k,
         struct opspec *op)
{
	char msg[512];
	int r;

	switch (config_setting_type(m)) {
	case CONFIG_TYPE_INT: r = opsetint(op, k, config_setting_get_int(m), msg, sizeof(msg)); break;
	case CONFIG_TYPE_INT64: r = opsetint(op, k, config_setting_get_int64(m), msg, sizeof(msg)); break;
	case CONFIG_TYPE_FLOAT: r = opsetnum(op, k, config_setting_get_float(m), msg, sizeof(msg)); break;
	case CONFIG_TYPE_STRING: r = opsetstr(op, k, config_setting_get_string(m), msg, sizeof(msg)); break;
	default: r = opbadvalue(d, k, msg, sizeof(msg));
	}
	return r < 0 ? confbad(x, m, "%s%s", msg, "") : 0;
}

/* one op of the pipeline: its keys, their ranges and defaults as its declaration says (common/opdesc.h) */
static int
parseop(struct confctx *x, const config_setting_t *s, struct opspec *op)
{
	const char *keys[OPMAXKEYS + 2], *name;
	bool given[OPMAXKEYS];
	const struct opdesc *d;
	config_setting_t *k;
	char where[64], msg[256];
	struct buf names;
	size_t i;
	int kind;

	if (config_setting_type(s) != CONFIG_TYPE_GROUP)
		return confbad(x, s, "each op of 'pipeline' must be a group { op = \"...\"; ... }%s%s", "", "");
	k = config_setting_get_member(s, "op");
	if (!k)
		return confbad(x, s, "missing key 'op' in a pipeline entry%s%s", "", "");
	if (config_setting_type(k) != CONFIG_TYPE_STRING || (kind = opbyname(config_setting_get_string(k))) < 0) {
		bufinit(&names);
		opnamelist(&names);
		confbad(x, k, "'op' must be one of %s%s", names.s, "");
		buffree(&names);
		return -1;
	}
	name = config_setting_get_string(k);
	d = opdesc((enum opkind)kind);
	opinit(op, (enum opkind)kind);
	keys[0] = "op";
	for (i = 0; i < d->nkeys; i++)
		keys[i + 1] = d->keys[i].name;
	keys[i + 1] = NULL;
	snprintf(where, sizeof(where), "op '%s'", name);
	if (confkeys(x, s, keys, where) < 0)
		return -1;
	for (i = 0; i < d->nkeys; i++)
		given[i] = config_setting_get_member(s, d->keys[i].name) != NULL;
	if (opcheckgiven(d, given, msg, sizeof(msg)) < 0)
		return confbad(x, s, "%s%s", msg, "");
	for (i = 0; i < d->nkeys; i++)
		if (given[i] && getopkey(x, config_setting_get_member(s, d->keys[i].name), d, &d->keys[i], op) < 0)
			return -1;
	return 0;
}

static int
parsepipeline(struct confctx *x, struct conf *c, const config_setting_t *s)
{
	int i, len;

	if (config_setting_type(s) != CONFIG_TYPE_LIST)
		return confbad(x, s, "'pipeline' must be a list ( {...}, {...} )%s%s", "", "");
	len = config_setting_length(s);
	c->ops = xcalloc((size_t)len, sizeof(*c->ops));
	for (i = 0; i < len; i++) {
		c->nops++;
		if (parseop(x, config_setting_get_elem(s, (unsigned)i), &c->ops[i]) < 0)
			return -1;
	}
	c->haspipeline = true;
	return 0;
}

static int
parseproducts(struct confctx *x, struct conf *c, const config_setting_t *g)
{
	static const char *const keys[] = {"mean", "std", "min", "max", "stats", "timestack", "front", NULL};
	static const char *const tskeys[] = {"row", "column", NULL};
	static const char *const frontkeys[] = {"level", "from", NULL};
	static const char *const sides[] = {"left", "right", "top", "bottom", NULL};
	struct prodspec *p = &c->prods;
	config_setting_t *s;
	int from = 0;

	memset(p, 0, sizeof(*p));
	p->tsrow = p->tscol = -1;
	if (confkeys(x, g, keys, "'products'") < 0 ||
	    confbool(x, g, "mean", "products.mean", &p->mean) < 0 ||
	    confbool(x, g, "std", "products.std", &p->std) < 0 ||
	    confbool(x, g, "min", "products.min", &p->min) < 0 ||
	    confbool(x, g, "max", "products.max", &p->max) < 0 ||
	    confbool(x, g, "stats", "products.stats", &p->stats) < 0)
		return -1;
	if ((s = config_setting_get_member(g, "timestack"))) {
		if (config_setting_type(s) != CONFIG_TYPE_GROUP)
			return confbad(x, s, "'products.timestack' must be a group { row = N; } or { column = N; }%s%s", "", "");
		if (confkeys(x, s, tskeys, "'products.timestack'") < 0 ||
		    confint32(x, s, "row", "products.timestack.row", 0, 1 << 30, ">= 0", &p->tsrow) < 0 ||
		    confint32(x, s, "column", "products.timestack.column", 0, 1 << 30, ">= 0", &p->tscol) < 0)
			return -1;
		if ((p->tsrow >= 0) == (p->tscol >= 0))
			return confbad(x, s, "'products.timestack' needs exactly one of 'row' and 'column'%s%s", "", "");
		p->timestack = true;
	}
	if ((s = config_setting_get_member(g, "front"))) {
		if (config_setting_type(s) != CONFIG_TYPE_GROUP)
			return confbad(x, s, "'products.front' must be a group { level = 0.5; from = \"left\"; }%s%s", "", "");
		p->frontlevel = 0.5;
		if (confkeys(x, s, frontkeys, "'products.front'") < 0 ||
		    confnum(x, s, "level", "products.front.level", false, &p->frontlevel) < 0 ||
		    confenum(x, s, "from", "products.front.from", sides, "left, right, top, bottom", &from) < 0)
			return -1;
		p->front = true;
		p->frontfrom = (enum fromside)from;
	}
	if (!p->mean && !p->std && !p->min && !p->max && !p->stats && !p->timestack && !p->front)
		return confbad(x, g, "'products' turns every product off (mean, std, min, max, stats, timestack, front): "
		               "a run would have nothing to write%s%s", "", "");
	c->hasproducts = true;
	return 0;
}

const char *const confplaceholders[] = {"run", "out", "id", "frames", "params", "pipeline", NULL};

/* every {name} in arg is a placeholder ({{ and }} are braces); {pipeline} needs after_pipeline */
static int
checkplaceholders(struct confctx *x, const config_setting_t *s, const char *arg, bool after)
{
	const char *p, *close;
	char name[64], msg[160];
	size_t k;

	for (p = arg; *p; p++) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			p++;
			continue;
		}
		if (*p == '}')
			return confbad(x, s, "a '}' without its '{' in command.run argument '%s' (write }} for a brace)%s", arg, "");
		if (*p != '{')
			continue;
		if (!(close = strchr(p, '}')))
			return confbad(x, s, "a '{' without its '}' in command.run argument '%s' (write {{ for a brace)%s", arg, "");
		snprintf(name, sizeof(name), "%.*s", (int)(close - p - 1), p + 1);
		for (k = 0; confplaceholders[k] && strcmp(confplaceholders[k], name) != 0; k++)
			;
		if (!confplaceholders[k]) {
			const char *best = confclosest(name, confplaceholders, true);

			snprintf(msg, sizeof(msg), "unknown placeholder '{%s}' in command.run", name);
			if (best)
				return confbad(x, s, "%s (did you mean '{%s}'?)", msg, best);
			return confbad(x, s, "%s (there are {run}, {out}, {id}, {frames}, {params}, {pipeline})%s", msg, "");
		}
		if (strcmp(name, "pipeline") == 0 && !after)
			return confbad(x, s, "placeholder '{pipeline}' in command.run needs command.after_pipeline = true%s%s", "", "");
		p = close;
	}
	return 0;
}

/* the value of setting s as JSON (*out, new reference); a group's members must be names of letters, digits, '_' */
static int
tojson(struct confctx *x, const config_setting_t *s, json_t **out)
{
	int i, len = config_setting_length(s);
	json_t *v = NULL;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT: v = json_integer(config_setting_get_int(s)); break;
	case CONFIG_TYPE_INT64: v = json_integer(config_setting_get_int64(s)); break;
	case CONFIG_TYPE_FLOAT: v = json_real(config_setting_get_float(s)); break;
	case CONFIG_TYPE_BOOL: v = json_boolean(config_setting_get_bool(s)); break;
	case CONFIG_TYPE_STRING: v = json_string(config_setting_get_string(s)); break;
	case CONFIG_TYPE_ARRAY:
	case CONFIG_TYPE_LIST:
	case CONFIG_TYPE_GROUP:
		v = config_setting_type(s) == CONFIG_TYPE_GROUP ? json_object() : json_array();
		for (i = 0; i < len; i++) {
			const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
			const char *name = config_setting_name(m);
			json_t *e;

			if (name && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(name)) {
				json_decref(v);
				return confbad(x, m, "parameter name '%s' must be letters, digits and '_' (it is also RUNJA_PARAM_%s)", name, name);
			}
			if (tojson(x, m, &e) < 0) {
				json_decref(v);
				return -1;
			}
			if (name)
				json_object_set_new(v, name, e);
			else
				json_array_append_new(v, e);
		}
		break;
	}
	if (!v)
		return confbad(x, s, "a parameter that cannot be given as JSON%s%s", "", "");  /* a string that is not UTF-8 */
	*out = v;
	return 0;
}

/* is run PYTHON SCRIPT.py ...: python, python3 or python3.11 (any folder), then a script's name ending .py */
static bool
pythonscript(char *const *run, size_t nrun)
{
	const char *base = basepart(run[0]), *v;
	size_t len = nrun > 1 ? strlen(run[1]) : 0;

	if (strncmp(base, "python", 6) != 0)
		return false;
	for (v = base + 6; *v; v++)
		if (!isdigit((unsigned char)*v) && *v != '.')
			return false;
	return len > 3 && strcmp(run[1] + len - 3, ".py") == 0 && run[1][0] != '-' && !strchr(run[1], '{');
}

/* command.warm: true, false or "auto" (the default: warm when run is a Python script) into m, after m->run */
static int
parsewarm(struct confctx *x, const config_setting_t *g, struct cmdspec *m)
{
	config_setting_t *s = confmember(g, "warm");
	bool python = pythonscript(m->run, m->nrun);

	m->warm = python;
	if (!s)
		return 0;
	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		if (strcmp(config_setting_get_string(s), "auto") != 0)
			return confbad(x, s, "'%s' must be true, false or \"auto\"%s", "command.warm", "");
		return 0;
	}
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return confbad(x, s, "'%s' must be true, false or \"auto\"%s", "command.warm", "");
	m->warm = m->warmasked = config_setting_get_bool(s);
	if (m->warm && !python)
		return confbad(x, s, "'%s' needs a Python script: run = [\"python3\", \"SCRIPT.py\", ...]%s", "command.warm", "");
	return 0;
}

/* the command group; a run's run.cfg (override) may set only its params */
static int
parsecommand(struct confctx *x, struct conf *c, const config_setting_t *g, bool override)
{
	static const char *const keys[] = {"run", "inputs", "params", "after_pipeline", "timeout", "memory", "warm", "report", NULL};
	static const char *const overkeys[] = {"params", NULL};
	struct cmdspec *m = &c->cmd;
	config_setting_t *s;
	int i, len;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return confbad(x, g, "'%s' must be a group { run = [...]; ... }%s", "command", "");
	if (confkeys(x, g, override ? overkeys : keys, override ? "'command' (a run.cfg sets only command.params)" : "'command'") < 0)
		return -1;
	if ((s = confmember(g, "params"))) {
		if (config_setting_type(s) != CONFIG_TYPE_GROUP)
			return confbad(x, s, "'%s' must be a group { name = value; ... }%s", "command.params", "");
		if (tojson(x, s, &m->params) < 0)
			return -1;
	}
	if (override)
		return 0;
	if (confbool(x, g, "after_pipeline", "command.after_pipeline", &m->afterpipeline) < 0 ||
	    confduration(x, g, "timeout", "command.timeout", 1, &m->timeout) < 0 ||
	    confsize(x, g, "memory", "command.memory", &m->memory) < 0)
		return -1;
	if (!(s = confmember(g, "run")))
		return confbad(x, g, "missing required key '%s'%s", "command.run", "");
	m->line = (int)config_setting_source_line(s);
	len = config_setting_type(s) == CONFIG_TYPE_ARRAY || config_setting_type(s) == CONFIG_TYPE_LIST ? config_setting_length(s) : -1;
	for (i = 0; i < len; i++)
		if (config_setting_type(config_setting_get_elem(s, (unsigned)i)) != CONFIG_TYPE_STRING)
			len = -1;
	if (len < 1 || !*config_setting_get_string_elem(s, 0))
		return confbad(x, s, "'%s' must be a list of strings, the program first: [\"python3\", \"analyse.py\", \"{run}\", \"{out}\"]%s", "command.run", "");
	m->run = xcalloc((size_t)len, sizeof(*m->run));
	for (i = 0; i < len; i++) {
		const char *a = config_setting_get_string_elem(s, i);

		if (strchr(a, '\n'))
			return confbad(x, s, "'%s' must not hold a line break%s", "command.run", "");
		if (checkplaceholders(x, s, a, m->afterpipeline) < 0)
			return -1;
		m->run[m->nrun++] = xstrdup(a);
	}
	if (strchr(m->run[0], '{'))
		return confbad(x, s, "the program of command.run must be a name or path, not '%s'%s", m->run[0], "");
	if (parsewarm(x, g, m) < 0)
		return -1;
	if ((s = confmember(g, "inputs"))) {
		m->inputsline = (int)config_setting_source_line(s);
		if (confstrings(x, s, "command.inputs", checkinput, &m->inputs, &m->ninputs) < 0)
			return -1;
	}
	return (s = confmember(g, "report")) ? confreport(x, s, &m->report) : 0;
}

/* the jobs section: how runs are run (common/jobs.h), and the pool */
static int
parsejobs(struct confctx *x, struct conf *c, const config_setting_t *jobs)
{
	static const char *const jobkeys[] = {"launcher", "pool", "memory", "retries", "retry_pause", "threads", "slurm", NULL};
	config_setting_t *s;

	if (jobs && (confkeys(x, jobs, jobkeys, "'jobs'") < 0 ||
	             confstring(x, jobs, "launcher", "jobs.launcher", &c->launcher) < 0 ||
	             confint32(x, jobs, "retries", "jobs.retries", 0, 100, "from 0 to 100", &c->retries) < 0 ||
	             confduration(x, jobs, "retry_pause", "jobs.retry_pause", 0, &c->retrypause) < 0))
		return -1;
	if ((s = confmember(jobs, "pool")) && config_setting_type(s) == CONFIG_TYPE_STRING) {
		if (strcmp(config_setting_get_string(s), "auto") != 0)
			return confbad(x, s, "'%s' must be an integer >= 0 or \"auto\"%s", "jobs.pool", "");
		c->poolauto = true;
	} else if (confint32(x, jobs, "pool", "jobs.pool", 0, 1 << 20, ">= 0 or \"auto\"", &c->pool) < 0) {
		return -1;
	}
	if (confsize(x, jobs, "memory", "jobs.memory", &c->memory) < 0)
		return -1;
	if ((s = confmember(jobs, "threads")) && config_setting_type(s) == CONFIG_TYPE_STRING) {
		if (strcmp(config_setting_get_string(s), "auto") != 0)
			return confbad(x, s, "'%s' must be an integer from 1 to 1024 or \"auto\"%s", "jobs.threads", "");
	} else if (confint32(x, jobs, "threads", "jobs.threads", 1, 1024, "from 1 to 1024 or \"auto\"", &c->threads) < 0) {
		return -1;
	}
	if (strchr(c->launcher, '\n'))
		return confbad(x, config_setting_get_member(jobs, "launcher"), "'%s' must be one line%s", "jobs.launcher", "");
	return (s = confmember(jobs, "slurm")) ? confslurm(x, s, &c->slurm) : 0;
}

static int
parsemain(struct confctx *x, struct conf *c, const config_setting_t *root)
{
	static const char *const topkeys[] = {"version", "runs", "output", "input", "pipeline", "products", "jobs", "command", NULL};
	static const char *const runkeys[] = {"root", "match", "exclude", "frames", "override", "overrides", "ready", "settle", NULL};
	static const char *const outkeys[] = {"dir", "npy", "png_compression", NULL};
	static const char *const inkeys[] = {"channel", "on_bad_frame", "max_pixels", NULL};
	static const char *const chans[] = {"luma", "r", "g", "b", NULL};
	static const char *const policies[] = {"fail", "skip", NULL};
	config_setting_t *runs, *out, *in, *jobs, *s;
	long long version = 0;
	int ch = CHLUMA, policy = 0;

	if (confkeys(x, root, topkeys, NULL) < 0)
		return -1;
	if (!(s = config_setting_get_member(root, "version")))
		return confbad(x, NULL, "missing required key '%s'%s", "version", "");
	if (confint(x, root, "version", "version", 1, 1, "equal to 1", &version) < 0)
		return -1;
	if (confgroup(x, root, "runs", &runs) < 0 || confgroup(x, root, "output", &out) < 0 ||
	    confgroup(x, root, "input", &in) < 0 || confgroup(x, root, "jobs", &jobs) < 0)
		return -1;
	if (!runs)
		return confbad(x, NULL, "missing required key '%s'%s", "runs", "");
	if (confkeys(x, runs, runkeys, "'runs'") < 0 ||
	    confstring(x, runs, "root", "runs.root", &c->root) < 0 ||
	    getglobs(x, runs, "match", "runs.match", &c->match, &c->nmatch) < 0 ||
	    getglobs(x, runs, "exclude", "runs.exclude", &c->exclude, &c->nexclude) < 0 ||
	    confstring(x, runs, "frames", "runs.frames", &c->frames) < 0 ||
	    confstring(x, runs, "override", "runs.override", &c->override) < 0 ||
	    confstring(x, runs, "overrides", "runs.overrides", &c->overrides) < 0 ||
	    confstring(x, runs, "ready", "runs.ready", &c->ready) < 0 ||
	    confint32(x, runs, "settle", "runs.settle", 0, 1 << 30, "of seconds >= 0", &c->settle) < 0)
		return -1;
	if (c->ready && (!*c->ready || strchr(c->ready, '/')))
		return confbad(x, config_setting_get_member(runs, "ready"), "'%s' must be a file name, not '%s'", "runs.ready", c->ready);
	if (!config_setting_get_member(runs, "match"))
		return confbad(x, runs, "missing required key '%s'%s", "runs.match", "");
	c->matchline = (int)config_setting_source_line(config_setting_get_member(runs, "match"));
	if (c->overrides && !*c->overrides)
		return confbad(x, config_setting_get_member(runs, "overrides"), "'%s' must not be empty%s", "runs.overrides", "");
	if (c->nmatch == 0)
		return confbad(x, config_setting_get_member(runs, "match"), "'%s' must name at least one pattern%s", "runs.match", "");
	if (!*c->root)
		return confbad(x, config_setting_get_member(runs, "root"), "'%s' must not be empty%s", "runs.root", "");
	if (confglob(x, config_setting_get_member(runs, "frames"), "runs.frames", c->frames, 2) < 0)
		return -1;
	if (c->override && (!*c->override || strchr(c->override, '/')))
		return confbad(x, config_setting_get_member(runs, "override"), "'%s' must be a file name, not '%s'", "runs.override", c->override);
	if (out && (confkeys(x, out, outkeys, "'output'") < 0 ||
	            confstring(x, out, "dir", "output.dir", &c->outdir) < 0 ||
	            confbool(x, out, "npy", "output.npy", &c->npy) < 0 ||
	            confint32(x, out, "png_compression", "output.png_compression", 0, 9, "from 0 to 9", &c->pngcompression) < 0))
		return -1;
	if (!*c->outdir)
		return confbad(x, config_setting_get_member(out, "dir"), "'%s' must not be empty%s", "output.dir", "");
	if (in && (confkeys(x, in, inkeys, "'input'") < 0 ||
	           confenum(x, in, "channel", "input.channel", chans, "luma, r, g, b", &ch) < 0 ||
	           confenum(x, in, "on_bad_frame", "input.on_bad_frame", policies, "fail, skip", &policy) < 0 ||
	           confint(x, in, "max_pixels", "input.max_pixels", 1, 1LL << 40, "from 1 to 2^40", &c->maxpixels) < 0))
		return -1;
	c->channel = (enum channel)ch;
	c->skipbad = policy == 1;
	return parsejobs(x, c, jobs);
	return 0;
}

int
confparse(struct conf *c, const char *text, const char *name, bool override, char *err, size_t n)
{
	static const char *const overkeys[] = {"pipeline", "products", "command", NULL};
	struct confctx x = {name, err, n};
	config_t cfg;
	config_setting_t *root, *s;
	int r = -1;

	memset(c, 0, sizeof(*c));
	c->root = xstrdup(".");
	c->frames = xstrdup("*.png");
	c->outdir = xstrdup("out");
	c->npy = true;
	c->pngcompression = 3;
	c->maxpixels = 100000000;
	c->launcher = xstrdup("");
	c->retries = 2;
	c->retrypause = 10;
	confslurminit(&c->slurm);
	specdefprods(&c->prods);
	config_init(&cfg);
	if (!config_read_string(&cfg, text)) {
		seterr(err, n, "%s:%d: %s", name, config_error_line(&cfg), config_error_text(&cfg));
		goto out;
	}
	root = config_root_setting(&cfg);
	if (override ? confkeys(&x, root, overkeys, NULL) < 0 : parsemain(&x, c, root) < 0)
		goto out;
	if ((s = config_setting_get_member(root, "pipeline")) && parsepipeline(&x, c, s) < 0)
		goto out;
	if ((s = config_setting_get_member(root, "products"))) {
		if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
			confbad(&x, s, "'%s' must be a group { ... }%s", "products", "");
			goto out;
		}
		if (parseproducts(&x, c, s) < 0)
			goto out;
	}
	if ((s = config_setting_get_member(root, "command")) && parsecommand(&x, c, s, override) < 0)
		goto out;
	r = 0;
out:
	config_destroy(&cfg);
	return r;
}

void
delconf(struct conf *c)
{
	size_t i;

	free(c->root);
	delstrv(c->match, c->nmatch);
	delstrv(c->exclude, c->nexclude);
	free(c->frames);
	free(c->override);
	free(c->overrides);
	free(c->outdir);
	for (i = 0; i < c->nops; i++)
		specfreeop(&c->ops[i]);
	free(c->ops);
	free(c->launcher);
	delconfslurm(&c->slurm);
	free(c->ready);
	delstrv(c->cmd.run, c->cmd.nrun);
	delstrv(c->cmd.inputs, c->cmd.ninputs);
	json_decref(c->cmd.params);
	json_decref(c->cmd.report);
	memset(c, 0, sizeof(*c));
}

int
conftext(const char *text, size_t len, const char *name, char *err, size_t n)
{
	const char *nul = memchr(text, '\0', len), *p;
	int line = 1;

	if (!nul)
		return 0;
	for (p = text; p < nul; p++)
		line += *p == '\n';
	return seterr(err, n, "%s:%d: not a text file (it holds a NUL byte)", name, line);
}
