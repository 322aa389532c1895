#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *argv0 = "runja";

static void
vwarn(const char *fmt, va_list ap)
{
	size_t n;

	fprintf(stderr, "%s: ", argv0);
	vfprintf(stderr, fmt, ap);
	n = strlen(fmt);
	if (n > 0 && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(errno));
	fputc('\n', stderr);
}

void
warn(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	errno = e;
	vwarn(fmt, ap);
	va_end(ap);
	errno = e;
}

void
fatal(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

/* the errno of the last seterr whose format ended in ':' (one per thread) */
static _Thread_local int errcause;

int
seterrno(void)
{
	return errcause;
}

void
seterrclear(void)
{
	errcause = 0;
}

void
seterrkeep(int e)
{
	if (e)
		errcause = e;
}

int
seterr(char *err, size_t n, const char *fmt, ...)
{
	va_list ap;
	size_t len;
	int e = errno;

	if (!err || n == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, n, fmt, ap);
	va_end(ap);
	len = strlen(fmt);
	if (len > 0 && fmt[len - 1] == ':') {
		errcause = e;
		len = strlen(err);
		snprintf(err + len, n - len, " %s", strerror(e));
	}
	return -1;
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		fatal(1, "malloc:");
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		fatal(1, "calloc:");
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		fatal(1, "reallocarray:");
	}
	p = realloc(p, nmemb * size > 0 ? nmemb * size : 1);
	if (!p)
		fatal(1, "reallocarray:");
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		fatal(1, "strdup:");
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		fatal(1, "asprintf:");
	return s;
}

void
delstrv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
bufinit(struct buf *b)
{
	b->cap = 64;
	b->len = 0;
	b->s = xmalloc(b->cap);
	b->s[0] = '\0';
}

void
bufadd(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap *= 2;
		b->s = xreallocarray(b->s, b->cap, 1);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
bufputs(struct buf *b, const char *s)
{
	bufadd(b, s, strlen(s));
}

void
bufputc(struct buf *b, int c)
{
	char ch = (char)c;

	bufadd(b, &ch, 1);
}

void
bufprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal(1, "vsnprintf:");
	if (b->len + (size_t)n + 1 > b->cap) {
		while (b->len + (size_t)n + 1 > b->cap)
			b->cap *= 2;
		b->s = xreallocarray(b->s, b->cap, 1);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buffree(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void
fmtdouble(char *s, size_t n, double d)
{
	int prec;

	for (prec = 1; prec < 17; prec++) {
		snprintf(s, n, "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			return;
	}
	snprintf(s, n, "%.17g", d);
}

void
strvaddonce(char ***v, size_t *n, char *s)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0) {
			free(s);
			return;
		}
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

void
strvdrop(char **v, size_t *n, char *const *seen, size_t nseen)
{
	size_t i, j;

	for (i = 0; i < *n;) {
		for (j = 0; j < nseen && strcmp(seen[j], v[i]) != 0; j++)
			;
		if (j < nseen) {
			free(v[i]);
			v[i] = v[--*n];
		} else {
			i++;
		}
	}
}

/* glibc's tunable that backs malloc's heap with transparent huge pages */
#define HUGEHEAP "glibc.malloc.hugetlb"

bool
hugeheapnamed(const char *tunables)
{
	return tunables && strstr(tunables, HUGEHEAP "=");
}

bool
hugeheapenv(void)
{
	const char *t = getenv("GLIBC_TUNABLES");
	char *v;

	if (hugeheapnamed(t))
		return false;
	v = t && *t ? xasprintf("%s:" HUGEHEAP "=1", t) : xstrdup(HUGEHEAP "=1");
	setenv("GLIBC_TUNABLES", v, 1);
	free(v);
	return true;
}
