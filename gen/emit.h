#ifndef RUNJA_EMIT_H
#define RUNJA_EMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/spec.h"
#include "conf.h"
#include "scan.h"

struct buf;

/* the text of a backend's templates, and their names for messages */
struct tmpls {
	const char *head, *pool, *run, *phony, *tail;  /* texts, borrowed */
	const char *execrule, *exec;           /* the command's rule (once) and edge (per run) */
	const char *dir;                       /* folder they came from, for messages */
};

/* the effective pipeline and products of one run (a run.cfg may replace them) */
struct runparams {
	const struct opspec *ops;  /* borrowed */
	size_t nops;
	const struct prodspec *prods;
	const char *params;        /* the command's parameters as canonical JSON, borrowed; NULL without a command */
	const char *error;         /* why the run fails without being processed (its override file is bad), or NULL */
};

/* everything the build file is made of */
struct emit {
	const struct conf *c;            /* runja.cfg */
	const struct scan *s;            /* the runs */
	const struct runparams *params;  /* one per run */
	const char *cfgname;             /* runja.cfg's file name, in the build directory */
	const char *gen, *process;       /* absolute paths of runja-gen and runja-process (the pixels) */
	const char *exec, *report;       /* ... of runja-exec (a user's program) and runja-report */
	const char *templatesarg;        /* --templates DIR as given, or NULL */
	char *const *templatefiles;      /* the template files read, as paths */
	size_t ntemplatefiles;
	const struct tmpls *t;
	char *const *cmdinputs;          /* the command's own files (command.inputs expanded, the program when a path) */
	size_t ncmdinputs;
	char *const *cmdwatch;           /* folders whose listing decides cmdinputs: watched by the regeneration */
	size_t ncmdwatch;
	char *const *overwatch;          /* runs.overrides' folders and files (overridewatch): watched too */
	size_t noverwatch;
};

/* write the whole build.ninja into out; -1 with a message in err (a template error) */
int emitninja(struct buf *out, const struct emit *e, char *err, size_t n);
/* write the whole GNU Makefile into out; -1 with a message in err (a template error, or what make cannot express) */
int emitmake(struct buf *out, const struct emit *e, char *err, size_t n);
/* write each run's parameter stamp for the Makefile, only where its content changed (changed: unused); 0 or -1 with err */
int makestamps(const struct emit *e, bool changed, char *err, size_t n);
/* remove the outcome stamp of each step whose arguments changed since the last build.ninja (gen/argsmemo.c), when
   changed (the text of build.ninja) or no memo is there yet; 0 or -1 with err */
int ninjastamps(const struct emit *e, bool changed, char *err, size_t n);

/* the arguments of runja-process for run i (after the program name), unquoted; returns how many; free with delstrv */
size_t emitargv(const struct emit *e, size_t i, char ***argv);
/* the arguments of runja-exec for run i's command, unquoted; returns how many; free with delstrv */
size_t emitexecargv(const struct emit *e, size_t i, char ***argv);
/* run r's --frame-set: its frames' names signed (the edge depends on no folder: another file there reruns nothing); caller frees */
char *emitframeset(const struct run *r);
/* does run i have an edge of the built-in pipeline (no command, or command.after_pipeline)? */
bool emithaspipeline(const struct emit *e);
/* the stamp of run r's command, the output of its edge: CMDOUT/.runja.done, beside the results it
   stands for (ninja deletes the outputs of an interrupted edge, and the results must stay); caller frees */
char *emitcmdstamp(const struct emit *e, const struct run *r);
/* the folder of run r's command results: OUT/RUNID, or OUT/RUNID/command after the pipeline; caller frees */
char *emitcmdout(const struct emit *e, const struct run *r);
/* the frames folder of run r: the run folder, or its subfolder named by runs.frames; caller frees */
char *emitframesdir(const struct emit *e, const struct run *r);
/* append s escaped for a path in a ninja build line ($, space, colon) */
void ninjapath(struct buf *b, const char *s);
/* append s escaped for the value of a ninja variable that is not a command ($) */
void ninjavar(struct buf *b, const char *s);
/* append the n words v, each through escape (ninjapath, ninjashell), one space between */
void emitwords(struct buf *b, char *const *v, size_t n, void (*escape)(struct buf *, const char *));
/* append s quoted for sh when it needs it, then escaped for a ninja variable ($) */
void ninjashell(struct buf *b, const char *s);

#endif
