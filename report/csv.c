#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/fs.h"
#include "common/util.h"
#include "csv.h"

/* the field at *p cut out in place (unquoted), *p moved past its separator; *eol set when it ended its row */
static char *
field(char **p, char *end, int *eol)
{
	char *s = *p, *w = s, *f = s;

	*eol = 0;
	if (s < end && *s == '"') {
		/* quoted: "" is a quote; the quote ends at a lone '"' */
		for (s++; s < end; s++) {
			if (*s == '"' && s + 1 < end && s[1] == '"')
				*w++ = *s++;
			else if (*s == '"')
				break;
			else
				*w++ = *s;
		}
		s += s < end;
		/* anything up to the separator after a closing quote is kept, as a reader would */
		while (s < end && *s != ',' && *s != '\n')
			*w++ = *s++;
	} else {
		while (s < end && *s != ',' && *s != '\n')
			w++, s++;
	}
	if (w > f && w[-1] == '\r' && (s >= end || *s == '\n'))
		w--;
	*eol = s >= end || *s == '\n';
	*w = '\0';
	*p = s < end ? s + 1 : end;
	return f;
}

/* add row (nf fields) to t, the header's width once known */
static void
addrow(struct csvtab *t, char **row, size_t nf, size_t *cap)
{
	size_t i;

	if (t->nrows == 0)
		t->ncols = nf;
	if ((t->nrows + 1) * t->ncols > *cap) {
		*cap = *cap ? 2 * *cap : 64 * (t->ncols ? t->ncols : 1);
		while (*cap < (t->nrows + 1) * t->ncols)
			*cap *= 2;
		t->cells = xreallocarray(t->cells, *cap, sizeof(*t->cells));
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = i < nf ? row[i] : "";
	t->nrows++;
}

void
csvparse(struct csvtab *t, char *text, size_t len)
{
	char *p = text, *end = text + len, **row = NULL;
	size_t nf = 0, rowcap = 0, cap = 0;
	int eol;

	*t = (struct csvtab){.text = text};
	while (p < end) {
		char *f = field(&p, end, &eol);

		if (nf == rowcap) {
			rowcap = rowcap ? 2 * rowcap : 16;
			row = xreallocarray(row, rowcap, sizeof(*row));
		}
		row[nf++] = f;
		if (eol) {
			/* a blank line is no row */
			if (nf > 1 || *row[0])
				addrow(t, row, nf, &cap);
			nf = 0;
		}
	}
	/* a last row ended by a separator, with no line break after it */
	if (nf)
		addrow(t, row, nf, &cap);
	free(row);
}

int
csvload(const char *path, size_t max, struct csvtab *t, char *err, size_t n)
{
	struct stat st;
	struct buf b;

	*t = (struct csvtab){0};
	if (stat(path, &st) == 0 && (size_t)st.st_size > max)
		return seterr(err, n, "%s: too large to read (%lld bytes, at most %zu)", path, (long long)st.st_size, max);
	if (readfile(path, &b, err, n) < 0) {
		buffree(&b);
		return -1;
	}
	csvparse(t, b.s, b.len);
	return 0;
}

int
csvcolumn(const struct csvtab *t, const char *name)
{
	size_t i;

	for (i = 0; t->nrows > 0 && i < t->ncols; i++)
		if (strcmp(t->cells[i], name) == 0)
			return (int)i;
	return -1;
}

double
csvnum(const struct csvtab *t, size_t row, int col)
{
	const char *s;
	char *end;
	double v;

	if (row >= t->nrows || col < 0 || (size_t)col >= t->ncols)
		return NAN;
	s = t->cells[row * t->ncols + (size_t)col];
	v = strtod(s, &end);
	while (end > s && *end == ' ')
		end++;
	return end == s || *end || !isfinite(v) ? NAN : v;
}

char *
csvnames(const struct csvtab *t, size_t max)
{
	struct buf b;
	size_t i;

	bufinit(&b);
	for (i = 0; t->nrows > 0 && i < t->ncols && i < max; i++)
		bufprintf(&b, "%s'%s'", i ? ", " : "", t->cells[i]);
	if (t->nrows > 0 && t->ncols > max)
		bufputs(&b, ", ...");
	return b.s;
}

void
delcsv(struct csvtab *t)
{
	free(t->text);
	free(t->cells);
	*t = (struct csvtab){0};
}
