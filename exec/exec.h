#ifndef RUNJA_EXEC_H
#define RUNJA_EXEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "spawn.h"

struct buf;

/* what the placeholders and RUNJA_* variables stand for */
struct placeholders {
	const char *run, *out, *id, *frames, *params;
	const char *pipeline;  /* NULL: {pipeline} is an error, RUNJA_PIPELINE unset */
	const char *progress;  /* RUNJA_PROGRESS, the file the program may count in (no placeholder), or NULL */
};

/* arg with the placeholders of p replaced ({{ and }} are braces) into *out (caller frees); 0 or -1 with err */
int execexpand(const char *arg, const struct placeholders *p, char **out, char *err, size_t n);
/* parse --params: a JSON object whose keys are letters, digits and _; 0 with *params (caller owns) or -1 with err */
int execparams(const char *text, json_t **params, char *err, size_t n);
/* a copy of v with the keys of every object in sorted order (caller owns) */
json_t *execsorted(const json_t *v);
/* v as JSON text (json_dumps flags), reals in few digits that read back exact ("0.1"); caller frees; exits when out of memory */
char *execjson(const json_t *v, size_t flags);
/*
 * The program's environment: env without the variables runja sets, then RUNJA_RUN,
 * RUNJA_OUT, RUNJA_ID, RUNJA_FRAMES, RUNJA_PARAMS, RUNJA_PIPELINE (when p->pipeline),
 * RUNJA_NFRAMES, RUNJA_PROGRESS (when p->progress) and RUNJA_PARAM_NAME per top-level
 * parameter (a string as is, else its JSON text). NULL-terminated, *nenv entries before
 * the NULL; free with delstrv.
 */
char **execenv(char *const *env, const struct placeholders *p, size_t nframes, const json_t *params,
               size_t *nenv);
/* words (NULL-terminated) with the placeholders of p replaced into *v, NULL-terminated, *nv before the NULL (free with delstrv); 0 or -1 with err */
int execexpandv(char *const *words, const struct placeholders *p, char ***v, size_t *nv, char *err, size_t n);
/* summary.json's "argv": the wrapper's arguments after argv[0], less those of how a run is run (specrunflag); caller owns */
json_t *execargs(int argc, char *const *argv);
/* PROGNAME for messages: argv[0]'s base name, or argv[1]'s when argv[0] is an interpreter and arg1file */
const char *execprogname(char *const *argv, bool arg1file);
/* seconds as "2h", "15m" or "90s", the largest unit that is whole, into s */
void exectimeout(char *s, size_t n, long seconds);
/* how the program ended, as the error line "ID: PROGNAME exited with status 3" ...; 0 when it succeeded, else -1 with err */
int execverdict(const struct spawnend *e, const char *id, const char *prog, long timeout, char *err, size_t n);
/* append the last maxlines lines of the len bytes of log (partial: the end of a longer log, a cut first line left out) to b, each as "  | text\n" */
void exectail(struct buf *b, const char *log, size_t len, bool partial, int maxlines);

#endif
