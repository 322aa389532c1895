#ifndef RUNJA_JOB_H
#define RUNJA_JOB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/inputs.h"
#include "spawn.h"

struct execopts;
struct progressout;

/* one attempt: its paths and what it found (execrun.c runs it, results.c puts what it wrote in place) */
struct job {
	const struct execopts *o;  /* what the attempt is to do (borrowed) */
	char *work;       /* W = STATE/work/ID, removed at the end */
	char *out;        /* W/out: {out} */
	char *frames;     /* W/frames.txt: {frames} */
	char *paramfile;  /* W/params.json: {params} */
	char *progress;   /* the program's own count, STATE/progress/HASH.command: RUNJA_PROGRESS */
	struct progressout *tracker;  /* the attempt's progress record (runja-gen --status), or NULL */
	char *log;        /* the program's log where it is now (W/runja.log, W/out/runja.log, STATE/failed/ID/runja.log), or NULL */
	char *cmdout;     /* o->cmdout without a trailing '/' */
	json_t *params;   /* o->params, keys sorted */
	char **names;     /* the frames, relative to rundir, natural order */
	size_t nnames;    /* how many frames */
	char **argv;      /* PROGRAM ARG... expanded, NULL-terminated */
	size_t nargv;     /* how many words before the NULL */
	const char *prog; /* PROGNAME, inside argv */
	bool ran;         /* spawnrun started the program */
	struct spawnend end;  /* how the program ended, once it ran */
	struct inputs in;     /* the frames and the program's files as looked at before it ran (o->key set) */
	bool transient;       /* the attempt failed for a cause that may pass (killed from outside, EIO, no space) */
};

/*
 * a's paths for an attempt of o (borrowed, a->o): CMDOUT, W, W/out, W/frames.txt,
 * W/params.json, the program's count, and o's parameters sorted; the rest empty; free with deljob
 */
void mkjob(struct job *a, const struct execopts *o);
/* free what a owns */
void deljob(struct job *a);

#endif
