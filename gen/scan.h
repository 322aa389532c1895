#ifndef RUNJA_SCAN_H
#define RUNJA_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* one run found in the data tree */
struct run {
	char *id;         /* path relative to the root, e.g. "2026-03/run_017"; owned */
	char *dir;        /* the run folder as seen from the build directory; owned */
	size_t nframes;   /* regular files matching runs.frames */
	bool override;    /* the run folder holds the override file */
	char *oneframe;   /* path of one of its frames (any: all have one size), build-relative; owned */
	uint64_t framesig; /* the signature of its frames' names (framesigadd): on the run's command line */
	dev_t dev;        /* device and inode of the run folder */
	ino_t ino;
};

/* a run that does not count yet (runs.ready, runs.settle) */
struct waiting {
	char *id;   /* run id; owned */
	char *why;  /* "no DONE yet", "changed 3 s ago, settle = 120 s"; owned */
};

/* what a scan of the data tree found */
struct scan {
	struct run *runs;  /* in natural order of id */
	size_t nruns;
	char **dirs;       /* every folder whose listing decided the runs or their frames, build-relative */
	size_t ndirs;
	char **empty;      /* ids of matching folders without frames (no edge; warned) */
	size_t nempty;
	struct waiting *waiting;  /* runs not ready yet (no edge), in natural order */
	size_t nwaiting;
	bool recheck;      /* a run waits on what no folder mtime shows (time, permissions): rescan every build */
};

/* what to look for */
struct scanopts {
	const char *root;             /* data tree, relative to the build directory or absolute */
	char *const *match;           /* globs per path component, relative to root */
	size_t nmatch;
	char *const *exclude;         /* globs on the run id (a '*' does not cross '/') */
	size_t nexclude;
	const char *frames;           /* "GLOB" or "SUB/GLOB" inside each run */
	const char *override;         /* override file name, or NULL */
	const char *skip;             /* a folder never to enter or count (the output folder), or NULL */
	const char *ready;            /* a run counts only once this file is in it, or NULL */
	int settle;                   /* a run counts only once unchanged for this many seconds, or 0 */
	double now;                   /* the time to compare with for settle (seconds since the epoch) */
};

/*
 * Walk the data tree: folders matching a whole match pattern are runs (not entered
 * further), folders matching a leading part are entered. Hidden entries are skipped
 * unless a pattern names them. Returns 0, or -1 with a message in err (an unreadable
 * root, a name holding a newline). Free s with delscan either way.
 */
int scanruns(const struct scanopts *o, struct scan *s, char *err, size_t n);
/* why s found no run (none waiting either): what runs.match matched, or what the root holds; always -1 with err */
int scannone(const struct scanopts *o, const struct scan *s, char *err, size_t n);
/* free what s owns */
void delscan(struct scan *s);

/*
 * A folder of s dated ahead of this machine's clock (by over a second) would make the
 * build file older than its input at every build: say so once, and date the build file
 * and the files runja-gen writes in OUT/.runja (runs, waiting, jobs) to match. 0 or -1 with err.
 */
int scandateahead(const struct scan *s, const char *buildfile, const char *outdir, char *err, size_t n);

#endif
