#ifndef RUNJA_INIT_H
#define RUNJA_INIT_H

#include <stddef.h>

/*
 * runja-gen --init: look for folders of PNG frames under the current folder, infer
 * runs.match and runs.frames, read one frame's header, and write a commented cfgpath
 * from the template text tmpl (named tname in messages). Never overwrites cfgpath.
 * Prints what it found. Returns 0, or -1 with a message in err.
 */
int initconfig(const char *cfgpath, const char *tmpl, const char *tname, char *err, size_t n);

#endif
