#include <string.h>

#include "common/util.h"
#include "escape.h"

void
htmlescape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': bufputs(b, "&amp;"); break;
		case '<': bufputs(b, "&lt;"); break;
		case '>': bufputs(b, "&gt;"); break;
		case '"': bufputs(b, "&quot;"); break;
		case '\'': bufputs(b, "&#39;"); break;
		default: bufputc(b, *s);
		}
	}
}

void
urlescape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("-._~/", c))
			bufputc(b, c);
		else
			bufprintf(b, "%%%02X", c);
	}
}

void
csvescape(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		bufputs(b, s);
		return;
	}
	bufputc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			bufputc(b, '"');
		bufputc(b, *s);
	}
	bufputc(b, '"');
}
