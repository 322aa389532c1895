#ifndef RUNJA_UTIL_H
#define RUNJA_UTIL_H

/* the version of runja, in --version and the ledger */
#define RUNJA_VERSION "0.1"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* name printed before every message; set once by main */
extern const char *argv0;

/* print "argv0: msg" to stderr; a format ending in ':' appends strerror(errno) */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* warn, then exit(status) */
_Noreturn void fatal(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* vsnprintf into err (size n) with the same ':' rule as warn; returns -1 */
int seterr(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* the errno whose text the last seterr with a format ending in ':' appended (0: none since seterrclear): the cause of a failure, for telling a passing one (EIO, ENOSPC) */
int seterrno(void);
/* forget it, before an attempt */
void seterrclear(void);
/* take e (when not 0) for that errno: a failure seen on another thread, reported on this one */
void seterrkeep(int e);

/* malloc that exits on failure; never returns NULL */
void *xmalloc(size_t n);
/* calloc that exits on failure */
void *xcalloc(size_t nmemb, size_t size);
/* reallocarray that exits on overflow or failure */
void *xreallocarray(void *p, size_t nmemb, size_t size);
/* strdup that exits on failure; caller owns the copy */
char *xstrdup(const char *s);
/* asprintf that exits on failure; caller owns the result */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* free the n strings of v and v itself (v may be NULL) */
void delstrv(char **v, size_t n);
/* add s to the set of strings v (n of them, allocated) unless it is there; takes s */
void strvaddonce(char ***v, size_t *n, char *s);
/* drop from v (n of them) the strings in seen (nseen), freeing them; the order of the rest may change */
void strvdrop(char **v, size_t *n, char *const *seen, size_t nseen);

/* growable byte string, always NUL-terminated after bufinit */
struct buf {
	char *s;     /* contents, owned */
	size_t len;  /* bytes used, excluding the NUL */
	size_t cap;  /* bytes allocated */
};

/* start an empty buffer */
void bufinit(struct buf *b);
/* append n bytes */
void bufadd(struct buf *b, const char *s, size_t n);
/* append a NUL-terminated string */
void bufputs(struct buf *b, const char *s);
/* append one byte */
void bufputc(struct buf *b, int c);
/* append printf-formatted text */
void bufprintf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* free the contents */
void buffree(struct buf *b);

/* shortest "%.Ng" text of d that reads back as the same double, into s (n >= 32) */
void fmtdouble(char *s, size_t n, double d);

/*
 * Add glibc.malloc.hugetlb=1 to GLIBC_TUNABLES, unless it names that tunable already
 * (glibc.malloc.hugetlb=0: not): glibc reads it when a program starts, so a program
 * started next from here has its heap in transparent huge pages. glibc older than
 * 2.35 and kernels without transparent huge pages ignore it. Whether it was added.
 */
bool hugeheapenv(void);
/* does tunables (a GLIBC_TUNABLES value, or NULL) name glibc.malloc.hugetlb: then the heap is glibc's to place */
bool hugeheapnamed(const char *tunables);

#endif
