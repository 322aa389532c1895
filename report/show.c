#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/fs.h"
#include "common/state.h"
#include "common/util.h"
#include "csv.h"
#include "page.h"
#include "show.h"

/* the largest CSV a value or plot is read from */
#define CSVMAX (64u << 20)

/* the names of the CSV rows of ROW*, by -(ROW*) - 1 */
static const char *const rownames[] = {"last", "first", "min", "max", "mean"};

/* a copy of the string member key of o, or NULL */
static char *
member(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? xstrdup(s) : NULL;
}

/* the value spec of o into v; -1 when o is not one */
static int
loadvalue(const json_t *o, struct showvalue *v)
{
	json_t *row = json_object_get(o, "row");
	size_t i;

	*v = (struct showvalue){member(o, "name"), member(o, "file"), member(o, "key"), member(o, "column"), ROWLAST};
	if (json_is_integer(row))
		v->row = json_integer_value(row);
	for (i = 0; json_is_string(row) && i < sizeof(rownames) / sizeof(rownames[0]); i++)
		if (strcmp(json_string_value(row), rownames[i]) == 0)
			v->row = -(long long)i - 1;
	return v->name && v->file && (!v->key != !v->column) && v->row >= ROWMEAN ? 0 : -1;
}

int
showload(const char *outdir, struct show *s, char *err, size_t n)
{
	char *path = statepath(outdir, STATEREPORTCFG, NULL);
	json_t *j, *e, *plot;
	json_error_t je;
	size_t i;
	int ret = 0;

	*s = (struct show){.overview = -1};
	if (!exists(path)) {
		free(path);
		return 0;
	}
	if (!(j = json_load_file(path, 0, &je))) {
		ret = seterr(err, n, "%s:%d: %s", path, je.line, je.text);
		free(path);
		return ret;
	}
	json_array_foreach(json_object_get(j, "images"), i, e)
		if (json_is_string(e))
			strvaddonce(&s->images, &s->nimages, xstrdup(json_string_value(e)));
	if ((plot = json_object_get(j, "plot")) && (s->plotfile = member(plot, "file")))
		s->plotx = member(plot, "x"), s->ploty = member(plot, "y");
	s->values = xreallocarray(NULL, json_array_size(json_object_get(j, "values")) + 1, sizeof(*s->values));
	json_array_foreach(json_object_get(j, "values"), i, e) {
		if (loadvalue(e, &s->values[s->nvalues]) < 0) {
			ret = seterr(err, n, "%s: values[%zu] is not a value runja-gen writes", path, i);
			s->nvalues++;
			break;
		}
		if (json_is_string(json_object_get(j, "overview")) &&
		    strcmp(s->values[s->nvalues].name, json_string_value(json_object_get(j, "overview"))) == 0)
			s->overview = (int)s->nvalues;
		s->nvalues++;
	}
	if (ret == 0 && s->plotfile && !s->ploty)
		ret = seterr(err, n, "%s: plot has no y", path);
	json_decref(j);
	free(path);
	return ret;
}

void
delshow(struct show *s)
{
	size_t i;

	delstrv(s->images, s->nimages);
	free(s->plotfile), free(s->plotx), free(s->ploty);
	for (i = 0; i < s->nvalues; i++)
		free(s->values[i].name), free(s->values[i].file), free(s->values[i].key), free(s->values[i].column);
	free(s->values);
	*s = (struct show){.overview = -1};
}

void
showfree(struct showgot *g)
{
	free(g->text);
	g->text = NULL;
}

/* the files of one run's results read for its values: each read once */
struct files {
	const char *dir;     /* the results folder */
	char **names;        /* the files asked for, relative to dir; borrowed */
	json_t **json;       /* their JSON (NULL: not read as JSON, or could not be) */
	struct csvtab *csv;  /* their CSV (nrows 0: not read as CSV, or could not be) */
	char **why;          /* why it could not be read, or NULL */
	size_t n;
};

/* the entry of file name in f (read as JSON or CSV now when it was not) */
static size_t
fileof(struct files *f, const char *name, bool json)
{
	char *path, err[512];
	json_error_t je;
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->names[i], name) == 0 && (json ? !!f->json[i] : f->csv[i].text != NULL))
			return i;
	i = f->n++;
	f->names = xreallocarray(f->names, f->n, sizeof(*f->names));
	f->json = xreallocarray(f->json, f->n, sizeof(*f->json));
	f->csv = xreallocarray(f->csv, f->n, sizeof(*f->csv));
	f->why = xreallocarray(f->why, f->n, sizeof(*f->why));
	f->names[i] = (char *)name, f->json[i] = NULL, f->csv[i] = (struct csvtab){0}, f->why[i] = NULL;
	path = xasprintf("%s/%s", f->dir, name);
	if (!exists(path))
		f->why[i] = xasprintf("%s: not written by the program", name);
	else if (json && !(f->json[i] = json_load_file(path, JSON_DECODE_ANY, &je)))
		f->why[i] = xasprintf("%s:%d: %s", name, je.line, je.text);
	else if (!json && csvload(path, CSVMAX, &f->csv[i], err, sizeof(err)) < 0)
		f->why[i] = xasprintf("%s", err + (strncmp(err, path, strlen(path)) == 0 ? strlen(f->dir) + 1 : 0));
	free(path);
	return i;
}

static void
delfiles(struct files *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		json_decref(f->json[i]);
		delcsv(&f->csv[i]);
		free(f->why[i]);
	}
	free(f->names), free(f->json), free(f->csv), free(f->why);
}

/* g from the JSON value j (at key of file) */
static void
fromjson(const json_t *j, const char *file, const char *key, struct showgot *g)
{
	char num[64];

	if (json_is_number(j)) {
		g->v = json_number_value(j);
		reportnumber(num, sizeof(num), g->v);
		g->text = xstrdup(num);
	} else if (json_is_string(j)) {
		g->text = xstrdup(json_string_value(j));
	} else if (json_is_boolean(j)) {
		g->text = xstrdup(json_is_true(j) ? "true" : "false");
	} else if (!json_is_null(j)) {
		g->bad = true;
		g->text = xasprintf("%s: '%s' is %s, not a value", file, key, json_is_object(j) ? "an object" : "a list");
	}
}

/* the member of j at the path key ("a.b.0.c"), or NULL */
static json_t *
jsonat(json_t *j, const char *key)
{
	char *copy = xstrdup(key), *part, *save = NULL, *end;
	long idx;

	for (part = strtok_r(copy, ".", &save); part && j; part = strtok_r(NULL, ".", &save)) {
		if (json_is_object(j)) {
			j = json_object_get(j, part);
		} else if (json_is_array(j) && (idx = strtol(part, &end, 10)) >= 0 && *part && !*end) {
			j = json_array_get(j, (size_t)idx);
		} else {
			j = NULL;
		}
	}
	free(copy);
	return j;
}

/* g from the column of t chosen by v */
static void
fromcsv(const struct csvtab *t, const struct showvalue *v, struct showgot *g)
{
	int col = csvcolumn(t, v->column);
	double acc = NAN, x;
	size_t r, nnum = 0, nrows = t->nrows ? t->nrows - 1 : 0;
	char *names;

	if (col < 0) {
		names = csvnames(t, 8);
		g->bad = true;
		g->text = xasprintf("%s: no column '%s' (columns: %s)", v->file, v->column, nrows || t->nrows ? names : "none");
		free(names);
		return;
	}
	if (v->row >= 0 || v->row == ROWLAST || v->row == ROWFIRST) {
		r = v->row == ROWLAST ? nrows : v->row == ROWFIRST ? 1 : (size_t)v->row + 1;
		if (r < 1 || r > nrows) {
			g->bad = true;
			g->text = nrows ? xasprintf("%s has %zu row%s, no row %lld", v->file, nrows, nrows == 1 ? "" : "s", v->row)
			                : xasprintf("%s: no rows", v->file);
			return;
		}
		g->v = csvnum(t, r, col);
		g->text = xstrdup(t->cells[r * t->ncols + (size_t)col]);
		return;
	}
	for (r = 1; r <= nrows; r++) {
		if (isnan(x = csvnum(t, r, col)))
			continue;
		acc = nnum++ == 0 ? x : v->row == ROWMIN ? fmin(acc, x) : v->row == ROWMAX ? fmax(acc, x) : acc + x;
	}
	if (nnum == 0) {
		g->bad = true;
		g->text = xasprintf("%s: no number in column '%s'", v->file, v->column);
		return;
	}
	g->v = v->row == ROWMEAN ? acc / (double)nnum : acc;
	g->text = xmalloc(64);
	reportnumber(g->text, 64, g->v);
}

void
showread(const struct show *s, const char *dir, struct showgot *got)
{
	struct files f = {.dir = dir};
	size_t i, k;

	for (i = 0; i < s->nvalues; i++) {
		const struct showvalue *v = &s->values[i];
		struct showgot *g = &got[i];

		*g = (struct showgot){.v = NAN};
		k = fileof(&f, v->file, v->key != NULL);
		if (f.why[k]) {
			g->bad = true;
			g->text = xstrdup(f.why[k]);
		} else if (v->key) {
			json_t *j = jsonat(f.json[k], v->key);

			if (!j) {
				g->bad = true;
				g->text = xasprintf("%s: no key '%s'", v->file, v->key);
			} else {
				fromjson(j, v->file, v->key, g);
			}
		} else {
			fromcsv(&f.csv[k], v, g);
		}
	}
	delfiles(&f);
}

int
showplot(const struct show *s, const char *dir, double **x, double **y, size_t *n, char *why, size_t nwhy)
{
	char *path = xasprintf("%s/%s", dir, s->plotfile), err[512], *names;
	struct csvtab t;
	int cx, cy, ret = -1;
	size_t r;

	*x = *y = NULL;
	*n = 0;
	if (!exists(path)) {
		free(path);
		return seterr(why, nwhy, "%s: not written by the program", s->plotfile);
	}
	if (csvload(path, CSVMAX, &t, err, sizeof(err)) < 0) {
		seterr(why, nwhy, "%s", err + strlen(dir) + 1);
		free(path);
		return -1;
	}
	cx = s->plotx ? csvcolumn(&t, s->plotx) : -1;
	cy = csvcolumn(&t, s->ploty);
	names = csvnames(&t, 8);
	if (cy < 0 || (s->plotx && cx < 0)) {
		seterr(why, nwhy, "%s: no column '%s' (columns: %s)", s->plotfile, cy < 0 ? s->ploty : s->plotx,
		       t.nrows ? names : "none");
	} else if (t.nrows < 2) {
		seterr(why, nwhy, "%s: no rows", s->plotfile);
	} else {
		*n = t.nrows - 1;
		*x = xreallocarray(NULL, *n, sizeof(**x));
		*y = xreallocarray(NULL, *n, sizeof(**y));
		for (r = 0; r < *n; r++) {
			(*x)[r] = cx < 0 ? (double)r : csvnum(&t, r + 1, cx);
			(*y)[r] = csvnum(&t, r + 1, cy);
		}
		ret = 0;
	}
	free(names), free(path);
	delcsv(&t);
	return ret;
}

/* does the output name match glob (NULL: the default, a PNG file)? */
static bool
matches(const char *glob, const char *name)
{
	size_t len = strlen(name);

	if (!glob)
		return len > 4 && strcasecmp(name + len - 4, ".png") == 0;
	return fnmatch(glob, name, FNM_PATHNAME) == 0;
}

size_t
showimages(const struct show *s, const json_t *outputs, size_t max, const char ***v, char **missing)
{
	size_t ng = s->nimages ? s->nimages : 1, g, i, j, nv = 0, before;
	struct buf miss;
	json_t *e;

	*v = xreallocarray(NULL, json_array_size(outputs) + 1, sizeof(**v));
	bufinit(&miss);
	for (g = 0; g < ng; g++) {
		before = nv;
		json_array_foreach(outputs, i, e) {
			const char *name = json_string_value(e);

			if (!name || !matches(s->nimages ? s->images[g] : NULL, name))
				continue;
			for (j = 0; j < nv && strcmp((*v)[j], name) != 0; j++)
				;
			if (j == nv)
				(*v)[nv++] = name;
		}
		if (nv == before && s->nimages)
			bufprintf(&miss, "%s'%s'", miss.len ? ", " : "", s->images[g]);
	}
	*missing = miss.len ? xasprintf("no file matches %s", miss.s) : NULL;
	buffree(&miss);
	return max && nv > max ? max : nv;
}
