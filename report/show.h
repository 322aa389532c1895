#ifndef RUNJA_SHOW_H
#define RUNJA_SHOW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* the row a CSV value is taken from, when it is not a row number */
enum { ROWLAST = -1, ROWFIRST = -2, ROWMIN = -3, ROWMAX = -4, ROWMEAN = -5 };

/* one value of command.report.values */
struct showvalue {
	char *name;      /* its column in summary.csv and on the page; owned */
	char *file;      /* relative to the command's results folder; owned */
	char *key;       /* a JSON file's: object keys (and array indexes), '.' between; or NULL; owned */
	char *column;    /* a CSV file's column, or NULL; owned */
	long long row;   /* the CSV row from 0 (after the header), or ROW*: the last, first, smallest, largest, mean */
};

/* what the report shows of a command's results: runja.cfg's command.report, from OUT/.runja/report.json */
struct show {
	char **images;             /* globs of the files to show; none: its PNG files; owned */
	size_t nimages;
	char *plotfile;            /* the CSV plotted per run, or NULL; owned */
	char *plotx, *ploty;       /* its columns (plotx NULL: the row number); owned */
	struct showvalue *values;  /* owned */
	size_t nvalues;
	int overview;              /* the value plotted across runs: an index in values, or -1 */
};

/* a value as read from one run's results */
struct showgot {
	double v;     /* the number, or NAN (text, or bad) */
	char *text;   /* what the page shows: the number as written, a text, or why there is none (bad); owned */
	bool bad;     /* the file, key, column or row is not there, or not a value */
};

/* read OUT/.runja/report.json into s (empty when there is none); 0, or -1 with "FILE: cause" in err */
int showload(const char *outdir, struct show *s, char *err, size_t n);
/* free what s owns */
void delshow(struct show *s);
/* the values of s from the results folder dir into got[0..s->nvalues) (free each with showfree) */
void showread(const struct show *s, const char *dir, struct showgot *got);
/* free what g owns */
void showfree(struct showgot *g);
/*
 * The plot of s from the results folder dir: *x and *y (n points, owned by the caller;
 * NAN where a field is no number), or -1 with why there is none in why ("trace.csv: no
 * column 'signl' (columns: 't', 'signal')").
 */
int showplot(const struct show *s, const char *dir, double **x, double **y, size_t *n, char *why, size_t nwhy);
/*
 * The files of outputs (a command's summary.json "outputs") that s shows, in the order
 * of its globs, at most max (0: all), into *v (names borrowed from outputs; caller frees
 * the array); a glob that matches none is named in *missing (owned; NULL when every glob matched).
 */
size_t showimages(const struct show *s, const json_t *outputs, size_t max, const char ***v, char **missing);

#endif
