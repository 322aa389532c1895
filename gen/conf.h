#ifndef RUNJA_CONF_H
#define RUNJA_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "common/spec.h"
#include "confslurm.h"

/* the user's own program per run: runja.cfg's command group */
struct cmdspec {
	char **run;               /* command.run: the argv, placeholders unexpanded; NULL when there is no command */
	size_t nrun;
	char **inputs;            /* command.inputs: path patterns relative to the config's folder */
	size_t ninputs;
	json_t *params;           /* command.params: a JSON object, owned (NULL when none) */
	bool afterpipeline;       /* command.after_pipeline: runs after the built-in pipeline, on its products */
	long long timeout;        /* command.timeout in seconds, 0 when none */
	bool warm;                /* runs forked from a warm fork server (imports once): command.warm true, or "auto" (the default) and run is PYTHON SCRIPT.py */
	bool warmasked;           /* command.warm = true was written */
	long long memory;         /* command.memory in bytes per run, 0 when unset (the pool estimates) */
	json_t *report;           /* command.report: what the report shows (gen/confreport.h), owned; NULL when none */
	int line;                 /* the line of command.run, for messages about the program */
	int inputsline;           /* the line of command.inputs, for messages about them */
};

/* runja.cfg (or a run's run.cfg) after every key was checked */
struct conf {
	char *root;               /* runs.root, relative to the config's folder or absolute */
	char **match;             /* runs.match globs, per path component */
	size_t nmatch;
	char **exclude;           /* runs.exclude globs */
	size_t nexclude;
	char *frames;             /* runs.frames: a glob, or one subfolder and a glob */
	char *override;           /* runs.override file name, or NULL */
	char *overrides;          /* runs.overrides: the folder of OVERRIDES/RUNID.cfg, relative to the config's folder or absolute; or NULL */
	int matchline;            /* the line of runs.match, for messages about what it matched */
	char *outdir;             /* output.dir, relative to the config's folder or absolute */
	bool npy;                 /* output.npy */
	int pngcompression;       /* output.png_compression, 0-9 */
	enum channel channel;     /* input.channel */
	bool skipbad;             /* input.on_bad_frame == "skip" */
	long long maxpixels;      /* input.max_pixels */
	struct opspec *ops;       /* pipeline, in order; owned */
	size_t nops;
	struct prodspec prods;    /* products */
	char *launcher;           /* jobs.launcher, "" when none */
	int retries;              /* jobs.retries: attempts after a transient failure [2] */
	long long retrypause;     /* jobs.retry_pause in seconds [10] */
	int pool;                 /* jobs.pool, 0 when none (and when poolauto) */
	bool poolauto;            /* jobs.pool = "auto": depth from memory estimates */
	long long memory;         /* jobs.memory in bytes, 0 when unset (then: what is available) */
	int threads;              /* jobs.threads: most threads a pipeline run uses, 0 for "auto" [auto] */
	struct confslurm slurm;   /* jobs.slurm: what runs and the batch script ask SLURM for */
	char *ready;              /* runs.ready: sentinel file a run needs to count, or NULL */
	int settle;               /* runs.settle: seconds without change a run needs, 0 when unset */
	bool haspipeline;         /* the file had a pipeline (for run.cfg overrides) */
	bool hasproducts;         /* the file had products */
	struct cmdspec cmd;       /* command; a run.cfg sets only cmd.params */
};

/* is text (len bytes, of the file named name) free of NUL bytes, where libconfig would stop reading? 0 or -1 with "name:LINE: ..." in err */
int conftext(const char *text, size_t len, const char *name, char *err, size_t n);
/*
 * Parse the text of a config file named name (used in messages "name:LINE: ...").
 * With override set, only `pipeline` and `products` are allowed (a run's run.cfg).
 * Returns 0, or -1 with one line "name:LINE: message" in err. c must be freed with delconf
 * either way.
 */
int confparse(struct conf *c, const char *text, const char *name, bool override, char *err, size_t n);
/* free what c owns */
void delconf(struct conf *c);
/* the placeholder names of command.run ("run", "out", ...), NULL-terminated */
extern const char *const confplaceholders[];

#endif
