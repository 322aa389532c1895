#ifndef RUNJA_INIT_H
#define RUNJA_INIT_H

#include <stddef.h>

/* the runs.root of --init DIR, config in cfgdir: "." if DIR is cfgdir, DIR as given if absolute, else relative to cfgdir; into *root (caller frees); 0 or -1 with err */
int initroot(const char *dir, const char *cfgdir, char **root, char *err, size_t n);

/*
 * runja-gen --init: look for folders of PNG frames under root (the current folder or a path
 * relative to it, written as runs.root), infer runs.match and runs.frames, count the runs they
 * match, read one frame's header, and write a commented cfgpath from the template text tmpl
 * (named tname in messages). Never overwrites cfgpath, nor puts it inside a run.
 * Prints what it found. Returns 0, or -1 with a message in err.
 */
int initconfig(const char *cfgpath, const char *root, const char *tmpl, const char *tname, char *err, size_t n);
/*
 * runja-gen --init [DIR]: initconfig with the template TDIR/init/runja.cfg for the data
 * tree DIR (initdir; NULL: the config's folder), in the folder of cfgpath (made the
 * current one). Returns the exit status: 0, 2 (no template, a bad DIR) or 1, with err.
 */
int initrun(const char *tdir, const char *cfgpath, const char *initdir, char *err, size_t n);

#endif
