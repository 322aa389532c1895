#include <stdlib.h>
#include <string.h>

#include "natsort.h"

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

int
natcmp(const char *a, const char *b)
{
	const char *a0 = a, *b0 = b;

	while (*a && *b) {
		if (isdig(*a) && isdig(*b)) {
			const char *sa, *sb;
			size_t la, lb;

			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			for (sa = a; isdig(*a); a++)
				;
			for (sb = b; isdig(*b); b++)
				;
			la = (size_t)(a - sa);
			lb = (size_t)(b - sb);
			if (la != lb)
				return la < lb ? -1 : 1;
			if (la && memcmp(sa, sb, la))
				return memcmp(sa, sb, la) < 0 ? -1 : 1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++, b++;
	}
	if (*a || *b)
		return *a ? 1 : -1;
	/* equal by value ("a01" vs "a1"): fall back to bytes for a total order */
	return strcmp(a0, b0) < 0 ? -1 : strcmp(a0, b0) > 0;
}

static int
natcmpp(const void *a, const void *b)
{
	return natcmp(*(char *const *)a, *(char *const *)b);
}

void
natsort(char **v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), natcmpp);
}
