#ifndef RUNJA_TMPL_H
#define RUNJA_TMPL_H

#include <stddef.h>

struct buf;

/* one template variable: {{name}} becomes value */
struct tvar {
	const char *name;   /* borrowed */
	const char *value;  /* borrowed, already escaped for the output */
};

/*
 * Append text to out with every {{name}} replaced by its value from vars (nvars of
 * them). An unknown name or an unclosed {{ is an error "tname:LINE: ..." in err and -1.
 */
int tmplexpand(struct buf *out, const char *text, const char *tname, const struct tvar *vars,
               size_t nvars, char *err, size_t n);

#endif
