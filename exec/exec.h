#ifndef RUNJA_EXEC_H
#define RUNJA_EXEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "spawn.h"

struct buf;

/* one attempt of runja-process --exec: a user's program run on one run */
struct execopts {
	const char *id;        /* run id (may be nested: "2026-03/run_017") */
	const char *frames;    /* the frames inside rundir: GLOB or SUB/GLOB */
	const char *state;     /* STATE, OUT/.runja: work/, failed/, alias/, ledger.tsv */
	const char *rundir;    /* RUNDIR, as seen from the cwd (which the program keeps) */
	const char *cmdout;    /* CMDOUT: the folder the results replace as a whole */
	const char *pipeline;  /* {pipeline}, the built-in products' folder OUT/ID, or NULL */
	const char *depfile;   /* the depfile to write (a path inside cmdout), or NULL */
	const char *warm;      /* the fork server's script (warm.py) when PROGRAM is PYTHON SCRIPT run warm, or NULL */
	double warmidle;       /* seconds a warm server stays up without work */
	const char *stamp;     /* a file written after a success: the build edge's output and the depfile's target, or NULL */
	bool depphony;         /* the depfile is for GNU make */
	long timeout;          /* seconds, 0 for no limit */
	const json_t *params;  /* the parameters, an object (borrowed) */
	char *const *prog;     /* PROGRAM ARG..., placeholders not expanded, NULL-terminated (borrowed) */
	const json_t *argv;    /* the wrapper's arguments, summary.json's "argv" (borrowed) */
	const char *failwith;  /* fail the attempt with this line without running the program (a bad override), or NULL */
};

/* what the placeholders and RUNJA_* variables stand for */
struct placeholders {
	const char *run, *out, *id, *frames, *params;
	const char *pipeline;  /* NULL: {pipeline} is an error, RUNJA_PIPELINE unset */
};

/*
 * Run o's program on its run (README: "Your own program per run"): list the frames, run it in a
 * fresh STATE/work/ID/out, and on success swap that folder, with summary.json, runja.log
 * and the depfile added, with o->cmdout; on failure leave cmdout as it was and write
 * STATE/failed/ID/error.txt and runja.log, and print the log's last 10 lines to stderr.
 * A ledger line either way. Returns the exit status: 0, 1 (failed) or 2 (bad usage: a
 * placeholder, or CMDOUT, STATE or another path written to that is, lies inside or holds
 * RUNDIR; nothing written then, no ledger line), with the one error line in err; *sig is
 * the signal that interrupted the wrapper (the caller dies of it), or 0.
 */
int execrun(const struct execopts *o, int *sig, char *err, size_t n);

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
 * RUNJA_NFRAMES and RUNJA_PARAM_NAME per top-level parameter (a string as is, else its
 * JSON text). NULL-terminated, *nenv entries before the NULL; free with delstrv.
 */
char **execenv(char *const *env, const struct placeholders *p, size_t nframes, const json_t *params,
               size_t *nenv);
/* PROGNAME for messages: argv[0]'s base name, or argv[1]'s when argv[0] is an interpreter and arg1file */
const char *execprogname(char *const *argv, bool arg1file);
/* seconds as "2h", "15m" or "90s", the largest unit that is whole, into s */
void exectimeout(char *s, size_t n, long seconds);
/* how the program ended, as the error line "ID: PROGNAME exited with status 3" ...; 0 when it succeeded, else -1 with err */
int execverdict(const struct spawnend *e, const char *id, const char *prog, long timeout, char *err, size_t n);
/* append the last maxlines lines of the len bytes of log (partial: the end of a longer log, a cut first line left out) to b, each as "  | text\n" */
void exectail(struct buf *b, const char *log, size_t len, bool partial, int maxlines);

#endif
