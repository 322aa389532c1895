#ifndef RUNJA_STATE_H
#define RUNJA_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct buf;

/*
 * What runja keeps on disk about the runs, in one place: the layout of OUT/.runja, the
 * records beside a run's results, the ledger, the failure records, the run states and
 * the end of a log.
 *
 * OUT/.runja (STATE) holds
 *   runs              the run list of the last generation, one id a line (runja-gen)
 *   waiting           the runs not ready yet, "ID<TAB>why" lines (runja-gen)
 *   recheck           never written: a path that keeps the regeneration due
 *   ledger.tsv        one line per attempt (runja-process, runja-exec)
 *   failed/ID/        a command's failure record: error.txt, runja.log (runja-exec)
 *   work/ID/          a command's attempt while it runs (runja-exec)
 *   alias/            the depfiles' links to names a build tool cannot parse
 *   thumbs/ID/        the report's thumbnails and the small plots of a run's row (runja-report;
 *                     a pipeline run's product thumbnails, runja-process)
 *   pages/ID.html     the report's page of a run
 *   report.json       what the report shows of a command's results (command.report; runja-gen)
 *   warm/             the warm servers' sockets and locks
 *   jobs              how runs are run: launcher, retries, time limit (runja-gen; common/jobs.h)
 *   locks/HASH        the lock a run's attempt holds, so two builds never process it at once (HASH:
 *                     inputshash of the id, 16 hex digits: a flat folder of names any parser reads)
 *   quarantine/ID     a run that failed the same way twice from the same inputs: not started again
 *   tried/ID          the inputs and error of a run's last failed attempt, to tell a second such failure
 *   ended/HASH        touched when an attempt of the run's pipeline ends in a new outcome (done,
 *                     failed, quarantined); not when its results were up to date: the first output
 *                     of the run's build edge, its depfile's target, and the report's input
 *   ended-command/HASH  the same for its command
 *   report.lock       held while the report is written (two builds at once write it in turn)
 *   quarantined       the ids with a record in quarantine/, one a line, as runja-gen last saw them:
 *                     the report regenerates the build file when the folder no longer says so
 *   progress/HASH     how far a run's attempt is while it runs (common/progress.h), and HASH.command,
 *                     the count a command writes itself (RUNJA_PROGRESS)
 *   cores/HOST/CPU    the token of one CPU of HOST, flock'ed by the run that uses it, and
 *                     cores/HOST/want, share-locked by runs that found none (common/cores.h)
 *   programs          the hashes of a command's own files, shared by its runs (runja-exec)
 * A run's results folder (OUT/ID, or CMDOUT for a command) holds error.txt (the
 * pipeline's failure record), runja.log, .runja.d (its depfile), .runja.done (a
 * command's stamp), .runja.inputs (what the results were made from) and, for the
 * pipeline, .runja.frames (each frame's mean, min and max, whatever the products).
 */

/* the name of the state folder: OUT/.runja for the runs, and beside the build file the build tool's own */
#define STATENAME ".runja"
/* the build tool's state beside the build file: ninja's log, make's parameter stamps (STATEBUILD/params/ID) */
#define STATEBUILD STATENAME

/* a place in OUT/.runja */
enum statefile {
	STATEDIR,        /* OUT/.runja itself */
	STATERUNS,       /* runs */
	STATEWAITING,    /* waiting */
	STATERECHECK,    /* recheck */
	STATELEDGER,     /* ledger.tsv */
	STATEFAILED,     /* failed/ID */
	STATEFAILERROR,  /* failed/ID/error.txt */
	STATEFAILLOG,    /* failed/ID/runja.log */
	STATEWORK,       /* work/ID */
	STATEALIAS,      /* alias */
	STATETHUMBS,     /* thumbs/ID, or thumbs with no id */
	STATEWARM,       /* warm */
	STATEJOBS,       /* jobs */
	STATELOCK,       /* locks/HASH, or locks with no id */
	STATEQUARANTINE, /* quarantine/ID, or quarantine with no id */
	STATETRIED,      /* tried/ID, or tried with no id */
	STATEENDED,      /* ended/HASH */
	STATECMDENDED,   /* ended-command/HASH */
	STATEREPORTLOCK, /* report.lock: the report's lock */
	STATEQLIST,      /* quarantined: the runs with a quarantine record when runja-gen last wrote the build file */
	STATEPAGES,      /* pages/ID (the report adds ".html"), or pages with no id */
	STATEREPORTCFG,  /* report.json: what the report shows of a command's results */
	STATEPROGRESS,   /* progress/HASH, or progress with no id */
	STATECORES,      /* cores: the tokens the runs share their CPUs by (common/cores.h) */
	STATEPROGRAMS,   /* programs: the hashes of a command's own files, for the runs to share (exec/proghash.h) */
	STATEOWNER,      /* owner: the configuration whose output folder this is, its path relative to OUT */
};

/* a record runja keeps beside a run's results */
enum staterecord {
	STATEERROR,   /* error.txt: why the last attempt failed, one line */
	STATELOG,     /* runja.log: a command's output */
	STATEDEP,     /* .runja.d: the depfile */
	STATESTAMP,   /* .runja.done: a command's stamp, the output of its edge */
	STATEINPUTS,  /* .runja.inputs: the inputs the results were made from (common/inputs.h) */
	STATEFRAMES,  /* .runja.frames: the pipeline's per-frame statistics, "index,mean,min,max" CSV */
	STATESUMMARY, /* summary.json: a run's outcome; the pipeline's is what a command after it is made from */
};

/* what a run is, as --status, --check and the report say */
enum runstate {
	RUNNEW,      /* never attempted: no results, no failure record */
	RUNWAITING,  /* not ready yet (runs.ready, runs.settle) */
	RUNDONE,     /* done and up to date */
	RUNFAILED,   /* its last attempt failed: it has a failure record */
	RUNSTALE,    /* done, but what it was made from changed */
	NRUNSTATES
};

/* path f of OUT/.runja for run id (NULL where f is no run's) under outdir, or relative to OUT when outdir is NULL; caller frees */
char *statepath(const char *outdir, enum statefile f, const char *id);
/* path f under the state folder state (OUT/.runja itself, as runja-exec's --state gets it); caller frees */
char *statein(const char *state, enum statefile f, const char *id);
/* the file name of record r: "error.txt", "runja.log", ".runja.d", ".runja.done" (static) */
const char *staterecordname(enum staterecord r);
/* DIR/ID/NAME of record r (id NULL: DIR/NAME); caller frees */
char *staterecord(const char *dir, const char *id, enum staterecord r);
/*
 * Open the lock of run id under the state folder state (STATE/locks/ID, made when
 * missing) and take it when it is free; *busy when another process holds it (then
 * statelockwait takes it). The lock lasts as long as this process: the kernel drops it
 * when the process ends, however it ends, so no lock ever needs removing by hand.
 * Returns the descriptor, or -1 with err.
 */
int statelock(const char *state, const char *id, bool *busy, char *err, size_t n);
/* statelock of the lock file path (its folder made when missing); once held, it says what (the run id) */
int statelockpath(const char *path, const char *what, bool *busy, char *err, size_t n);
/* wait until the lock fd is this process's, then write what into it; 0 or -1 with err */
int statelockwait(int fd, const char *what, char *err, size_t n);
/* is the lock of run id under state held, by a process doing its work? (looked at without making it) */
bool statelockheld(const char *state, const char *id);
/*
 * Touch (make) the stamp f (STATEENDED, STATECMDENDED) of run id under state: an attempt
 * ended in a new outcome. Dated no earlier than notbefore (ns; frames dated ahead), 0 for
 * now. 0 or -1 with err.
 */
int stateended(const char *state, enum statefile f, const char *id, long long notbefore, char *err, size_t n);
/* is id a run id runja writes paths with: not empty, relative, no "", "." or ".." part? */
bool stateidok(const char *id);
/* stateended when the stamp is missing (deleted with OUT/.runja): a run up to date or quarantined still ends in an outcome; newest: its newest frame, ns */
int stateendedagain(const char *state, enum statefile f, const char *id, long long newest, char *err, size_t n);
/* the ids with a record in STATE/quarantine (its .d depfiles left out), one a line in natural order, into b (initialised here) */
void statequarantined(const char *state, struct buf *b);
/* the name of state s: "new", "waiting", "done", "failed", "stale" (static) */
const char *staterunname(enum runstate s);
/* replace OUT/.runja/F (runs, waiting) by text unless it holds that (old: its text as the caller read it; NULL: read here); 0 or -1 with err */
int statelist(const char *outdir, enum statefile f, const char *text, const char *old, char *err, size_t n);

/*
 * The failure record of run id in OUT: a command's OUT/.runja/failed/ID/error.txt,
 * the pipeline's OUT/ID/error.txt. caller frees
 */
char *statefailure(const char *outdir, const char *id, bool command);
/* write line and a line break as DIR/error.txt, replaced atomically; 0 or -1 with err */
int statefailwrite(const char *dir, const char *line, char *err, size_t n);
/* the first line of the failure record at path, "path: cause" when it cannot be read, NULL when there is none; caller frees */
char *statefailread(const char *path);

/* one attempt at processing a run, as written to the ledger */
struct attempt {
	const char *id;       /* run id */
	double start;         /* start, seconds since the epoch */
	double seconds;       /* wall time */
	long maxrss;          /* peak resident set size, KiB */
	int status;           /* exit status: 0, 1, JOBSTRANSIENT (common/jobs.h: a cause that may pass), the program's */
	int signal;           /* the signal it died of (the status column says SIG<NAME>), or 0 */
	const char *error;    /* first error line, or NULL */
	const char *key;      /* its parameters key (common/paramkey.h), or NULL */
};

/*
 * Append one line for a to ledger (created when missing): ten tab-separated fields,
 * run, start (UTC, ISO 8601), seconds, peak RSS in KiB, host, exit status (or SIGKILL
 * ...), runja version, SLURM job.step (or "-"), error (tabs and line breaks in a field
 * made spaces), parameters key (16 hex digits, or "-"), and a line break. One write(2)
 * on an O_APPEND descriptor, so lines of runs finishing at once never mix. Returns 0 or
 * -1 with err.
 */
int ledgerappend(const char *ledger, const struct attempt *a, char *err, size_t n);
/*
 * Append attempt a, begun at t0 (CLOCK_REALTIME; a->start and a->seconds are set from
 * it and now), to STATE/ledger.tsv when the folder state exists (NULL: nowhere). Failing
 * to write is warned about only for an attempt that succeeded: a failed one has said its line.
 */
void ledgerrecord(const char *state, const struct timespec *t0, struct attempt *a);

/* one attempt as read back from the ledger; the strings point into the ledger's text */
struct ledgerentry {
	const char *id;       /* run id, not empty */
	const char *when;     /* start, UTC ISO 8601 as written */
	double seconds;       /* wall time, finite and >= 0 */
	long long maxrss;     /* peak resident set size, KiB, >= 0 */
	const char *host;     /* host name */
	const char *status;   /* exit status, or SIG<NAME> */
	const char *version;  /* runja version */
	const char *job;      /* SLURM job.step, or "-" */
	const char *error;    /* first error line, "" when none */
	const char *key;      /* parameters key, 16 hex digits; NULL when the line has none (written before keys, or "-") */
};

/* a ledger read back: every attempt, by run (defined in state.c) */
struct ledger;

/*
 * Read the ledger's text (len bytes, copied). A line is an attempt when it ends in a line
 * break and holds the ten fields ledgerappend writes, seconds and peak RSS numbers and a
 * key of 16 hex digits or "-", or the first nine of them (a line written before keys);
 * any other line is skipped: a line cut short (a full disk: fields missing, or no line
 * break at the end of the text), one that ran into the next attempt's, garbage. A run's
 * last attempt is its last such line. Caller frees with delledger.
 */
struct ledger *mkledger(const char *text, size_t len);
/* the ledger OUT/.runja/ledger.tsv of outdir; one that is missing or cannot be read is empty; caller frees */
struct ledger *ledgerload(const char *outdir);
/* the last attempt of run id, or NULL; owned by l */
const struct ledgerentry *ledgerlast(const struct ledger *l, const char *id);
/* the attempt of the same run before e (an attempt of l), or NULL */
const struct ledgerentry *ledgerbefore(const struct ledger *l, const struct ledgerentry *e);
/*
 * The largest peak RSS (KiB) of the last (up to) recent attempts of run id that succeeded
 * (status 0) with parameters key, or -1 when it has none
 */
long long ledgerpeak(const struct ledger *l, const char *id, const char *key, size_t recent);
/* attempt i of l, by run (natural order), a run's in the order written; NULL past the last; owned by l */
const struct ledgerentry *ledgerattempt(const struct ledger *l, size_t i);
/* the number of runs with an attempt in l */
size_t ledgernruns(const struct ledger *l);
/* free l (NULL is fine) */
void delledger(struct ledger *l);

/* one line of a log: len bytes at s, its line break left out */
struct logline {
	const char *s;  /* into the log's text, borrowed */
	size_t len;     /* bytes */
};

/*
 * The last (up to) max lines of a log's text (len bytes) into lines, oldest first;
 * returns their number. A line ends at '\n' (a '\r' before it is part of the line
 * break); the line breaks at the end of the log are no lines (nor blank lines there),
 * blank lines before its last text are. partial: text is the end of a longer log;
 * *cut then says the first line found begins before text.
 */
size_t statetail(const char *text, size_t len, bool partial, struct logline *lines, size_t max, bool *cut);
/* statetail into an array allocated here for max lines (max may be 0), their number in *n; caller frees */
struct logline *statetailalloc(const char *text, size_t len, bool partial, size_t max, size_t *n, bool *cut);
/* append line l as plain text: what follows its last '\r', terminal escapes (ESC [ ...) dropped, other control bytes but tab U+FFFD */
void stateplain(struct buf *out, const struct logline *l);

#endif
