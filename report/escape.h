#ifndef RUNJA_ESCAPE_H
#define RUNJA_ESCAPE_H

struct buf;

/* append s escaped for HTML text and attribute values (& < > " ') */
void htmlescape(struct buf *b, const char *s);
/* append s percent-encoded for a relative URL: all but A-Z a-z 0-9 - . _ ~ / */
void urlescape(struct buf *b, const char *s);
/* append s as one CSV field, quoted when it holds a comma, quote or line break */
void csvescape(struct buf *b, const char *s);

#endif
