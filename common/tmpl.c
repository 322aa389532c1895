#include <string.h>

#include "tmpl.h"
#include "util.h"

static int
lineof(const char *text, const char *p)
{
	int line = 1;

	for (; text < p; text++)
		line += *text == '\n';
	return line;
}

int
tmplexpand(struct buf *out, const char *text, const char *tname, const struct tvar *vars,
           size_t nvars, char *err, size_t n)
{
	const char *p = text, *open, *close;
	size_t i, len;

	while ((open = strstr(p, "{{"))) {
		bufadd(out, p, (size_t)(open - p));
		close = strstr(open + 2, "}}");
		if (!close || memchr(open + 2, '\n', (size_t)(close - open - 2)))
			return seterr(err, n, "%s:%d: '{{' without '}}'", tname, lineof(text, open));
		len = (size_t)(close - open - 2);
		for (i = 0; i < nvars; i++)
			if (strlen(vars[i].name) == len && memcmp(vars[i].name, open + 2, len) == 0)
				break;
		if (i == nvars)
			return seterr(err, n, "%s:%d: unknown variable '%.*s'", tname, lineof(text, open),
			              (int)len, open + 2);
		bufputs(out, vars[i].value);
		p = close + 2;
	}
	bufputs(out, p);
	return 0;
}
