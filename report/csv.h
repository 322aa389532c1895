#ifndef RUNJA_CSV_H
#define RUNJA_CSV_H

#include <stddef.h>

/*
 * A CSV file read whole (RFC 4180: fields quoted with '"' may hold commas, quotes as
 * "" and line breaks; lines end in LF or CRLF): its first row is the header. A row with
 * fewer fields than the header has "" for the rest; fields beyond the header's are dropped.
 */
struct csvtab {
	char *text;      /* the file's text, its fields cut out in place; owned */
	char **cells;    /* nrows x ncols pointers into text (or ""), row 0 the header; owned */
	size_t nrows;    /* rows, the header included (0: an empty file) */
	size_t ncols;    /* the header's fields */
};

/* parse text (len bytes, NUL after them; taken: freed by delcsv) into t */
void csvparse(struct csvtab *t, char *text, size_t len);
/* read and parse the file at path into t, refusing one over max bytes; 0, or -1 with "path: cause" in err (t empty) */
int csvload(const char *path, size_t max, struct csvtab *t, char *err, size_t n);
/* the index of the header's column name, or -1 */
int csvcolumn(const struct csvtab *t, const char *name);
/* the field of row (from 1) and column col as a number: NAN when it is none (empty, text, inf) */
double csvnum(const struct csvtab *t, size_t row, int col);
/* the header's names, ", " between them, quoted, into a new string (at most max of them, then "..."); caller frees */
char *csvnames(const struct csvtab *t, size_t max);
/* free what t owns */
void delcsv(struct csvtab *t);

#endif
