#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "confreport.h"
#include "confval.h"

/* the columns summary.csv has for every run: a value may not take their names */
static const char *const fixedcolumns[] = {"run", "frames", "skipped", "width", "height", "mean", "std", "front_speed", NULL};
/* the rows a CSV value may take, besides a row number */
static const char *const csvrows[] = {"last", "first", "min", "max", "mean", NULL};
/* a path of command.report names a file in the command's output folder, at any depth */
enum { MAXPARTS = 64 };

/* a glob of command.report.images: a relative path pattern in the output folder, one line */
static int
checkimage(struct confctx *x, const config_setting_t *s, const char *path, const char *v)
{
	if (strchr(v, '\n'))
		return confbad(x, s, "'%s' must not hold a line break%s", path, "");
	return confglob(x, s, path, v, MAXPARTS);
}

/* the required string key of group g (path: its name in messages) into *out (owned by the caller) */
static int
needstr(struct confctx *x, const config_setting_t *g, const char *key, const char *path, char **out)
{
	if (!confmember(g, key))
		return confbad(x, g, "missing required key '%s'%s", path, "");
	if (confstring(x, g, key, path, out) < 0)
		return -1;
	if (!**out || strpbrk(*out, "\n\r"))
		return confbad(x, confmember(g, key), "'%s' must be one line, not empty%s", path, "");
	return 0;
}

/* the file key of group g (where: "command.report.plot"), a path in the output folder, into o */
static int
filekey(struct confctx *x, const config_setting_t *g, const char *where, json_t *o)
{
	char path[96], *v = NULL;
	int r;

	snprintf(path, sizeof(path), "%s.file", where);
	r = needstr(x, g, "file", path, &v);
	if (r == 0 && strcspn(v, "*?[") < strlen(v))
		r = confbad(x, confmember(g, "file"), "'%s' names one file, not a pattern: '%s'", path, v);
	if (r == 0)
		r = confglob(x, confmember(g, "file"), path, v, MAXPARTS);
	if (r == 0)
		json_object_set_new(o, "file", json_string(v));
	free(v);
	return r;
}

/* command.report.plot: { file; x (optional); y; } into o */
static int
parseplot(struct confctx *x, const config_setting_t *g, json_t *o)
{
	static const char *const keys[] = {"file", "x", "y", NULL};
	char *xs = NULL, *ys = NULL;
	int r;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return confbad(x, g, "'%s' must be a group { file = \"trace.csv\"; x = \"time\"; y = \"signal\"; }%s",
		               "command.report.plot", "");
	r = confkeys(x, g, keys, "'command.report.plot'") < 0 || filekey(x, g, "command.report.plot", o) < 0 ||
	    needstr(x, g, "y", "command.report.plot.y", &ys) < 0 ||
	    (confmember(g, "x") && needstr(x, g, "x", "command.report.plot.x", &xs) < 0) ? -1 : 0;
	if (r == 0) {
		if (xs)
			json_object_set_new(o, "x", json_string(xs));
		json_object_set_new(o, "y", json_string(ys));
	}
	free(xs), free(ys);
	return r;
}

/* the row of a CSV value: a name of csvrows or a row number from 0, into o */
static int
parserow(struct confctx *x, const config_setting_t *s, const char *path, json_t *o)
{
	size_t i;

	if (config_setting_type(s) == CONFIG_TYPE_INT || config_setting_type(s) == CONFIG_TYPE_INT64) {
		long long v = config_setting_get_int64(s);

		if (v < 0)
			return confbad(x, s, "'%s' must be a row number from 0, or \"last\", \"first\", \"min\", \"max\", \"mean\"%s",
			               path, "");
		json_object_set_new(o, "row", json_integer(v));
		return 0;
	}
	for (i = 0; config_setting_type(s) == CONFIG_TYPE_STRING && csvrows[i]; i++)
		if (strcmp(config_setting_get_string(s), csvrows[i]) == 0) {
			json_object_set_new(o, "row", json_string(csvrows[i]));
			return 0;
		}
	return confbad(x, s, "'%s' must be a row number from 0, or \"last\", \"first\", \"min\", \"max\", \"mean\"%s", path, "");
}

/* is name a column name summary.csv can hold: letters, digits, '_', '-', '.', not one of its own? */
static const char *
badname(const char *name)
{
	size_t i;

	if (!*name || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.") != strlen(name))
		return "letters, digits, '_', '-' and '.' only";
	for (i = 0; fixedcolumns[i]; i++)
		if (strcmp(name, fixedcolumns[i]) == 0)
			return "a column summary.csv has already";
	return NULL;
}

/* one value of command.report.values, element i of the list: { name; file; key | column [; row] } into a new object of vs */
static int
parsevalue(struct confctx *x, const config_setting_t *g, int i, json_t *vs)
{
	static const char *const keys[] = {"name", "file", "key", "column", "row", NULL};
	char where[64], path[96], *name = NULL, *k = NULL;
	const char *why, *which;
	json_t *o = json_object(), *e;
	size_t j;
	int r = -1;

	snprintf(where, sizeof(where), "command.report.values[%d]", i);
	json_array_append_new(vs, o);
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return confbad(x, g, "'%s' must be a group { name = \"speed\"; file = \"fit.json\"; key = \"speed\"; }%s", where, "");
	snprintf(path, sizeof(path), "'%s'", where);
	if (confkeys(x, g, keys, path) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s.name", where);
	if (needstr(x, g, "name", path, &name) < 0)
		goto out;
	if ((why = badname(name))) {
		confbad(x, confmember(g, "name"), "'%s' is no column name for summary.csv: %s", name, why);
		goto out;
	}
	json_array_foreach(vs, j, e)
		if (e != o && strcmp(json_string_value(json_object_get(e, "name")), name) == 0) {
			confbad(x, confmember(g, "name"), "two values named '%s' in command.report.values%s", name, "");
			goto out;
		}
	json_object_set_new(o, "name", json_string(name));
	if (filekey(x, g, where, o) < 0)
		goto out;
	if (!confmember(g, "key") == !confmember(g, "column")) {
		confbad(x, g, "'%s' needs key (a JSON file's) or column (a CSV file's), one of them%s", where, "");
		goto out;
	}
	which = confmember(g, "key") ? "key" : "column";
	snprintf(path, sizeof(path), "%s.%s", where, which);
	if (needstr(x, g, which, path, &k) < 0)
		goto out;
	json_object_set_new(o, which, json_string(k));
	snprintf(path, sizeof(path), "%s.row", where);
	if (confmember(g, "row") && !confmember(g, "column"))
		confbad(x, confmember(g, "row"), "'%s' goes with column, for a CSV file%s", path, "");
	else if (confmember(g, "row") ? parserow(x, confmember(g, "row"), path, o) == 0 : true)
		r = 0;
out:
	free(name), free(k);
	return r;
}

/* command.report.values: a list of groups into r */
static int
parsevalues(struct confctx *x, const config_setting_t *s, json_t *r)
{
	json_t *vs = json_array();
	int i, len;

	json_object_set_new(r, "values", vs);
	if (config_setting_type(s) != CONFIG_TYPE_LIST)
		return confbad(x, s, "'%s' must be a list of groups ( { name = ...; file = ...; key = ...; }, ... )%s",
		               "command.report.values", "");
	len = config_setting_length(s);
	for (i = 0; i < len; i++)
		if (parsevalue(x, config_setting_get_elem(s, (unsigned)i), i, vs) < 0)
			return -1;
	return 0;
}

/* command.report.overview: the name of one of the values, into r */
static int
parseoverview(struct confctx *x, const config_setting_t *g, json_t *r)
{
	json_t *e;
	size_t i;
	char *name = NULL;
	bool found = false;
	int ret;

	if ((ret = needstr(x, g, "overview", "command.report.overview", &name)) == 0) {
		json_array_foreach(json_object_get(r, "values"), i, e)
			found = found || strcmp(json_string_value(json_object_get(e, "name")), name) == 0;
		if (found)
			json_object_set_new(r, "overview", json_string(name));
		else
			ret = confbad(x, confmember(g, "overview"), "command.report.overview '%s' is none of the names of "
			              "command.report.values%s", name, "");
	}
	free(name);
	return ret;
}

int
confreport(struct confctx *x, const config_setting_t *g, json_t **out)
{
	static const char *const keys[] = {"images", "plot", "values", "overview", NULL};
	json_t *r = json_object(), *a;
	char **v = NULL;
	size_t nv = 0, i;
	int ret = -1;

	*out = r;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return confbad(x, g, "'%s' must be a group { images = [...]; plot = {...}; values = (...); }%s",
		               "command.report", "");
	if (confkeys(x, g, keys, "'command.report'") < 0)
		return -1;
	if (confmember(g, "images")) {
		if (confstrings(x, confmember(g, "images"), "command.report.images", checkimage, &v, &nv) < 0)
			goto out;
		json_object_set_new(r, "images", a = json_array());
		for (i = 0; i < nv; i++)
			json_array_append_new(a, json_string(v[i]));
	}
	if (confmember(g, "plot")) {
		json_object_set_new(r, "plot", a = json_object());
		if (parseplot(x, confmember(g, "plot"), a) < 0)
			goto out;
	}
	if (confmember(g, "values") && parsevalues(x, confmember(g, "values"), r) < 0)
		goto out;
	if (confmember(g, "overview") && parseoverview(x, g, r) < 0)
		goto out;
	ret = 0;
out:
	delstrv(v, nv);
	return ret;
}
