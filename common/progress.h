#ifndef RUNJA_PROGRESS_H
#define RUNJA_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "paramkey.h"

struct buf;

/*
 * How far a run's attempt is while it runs: OUT/.runja/progress/HASH (common/state.h),
 * written by the process that does the run's work (runja-process, runja-exec) and read by
 * runja-gen --status. The record's text:
 *   runja-progress 1
 *   run ID
 *   what pipeline | command
 *   host HOST       where it runs
 *   start T         the attempt began (seconds since the epoch)
 *   since T | -     counting began, at done 0 (a command: when the attempt began)
 *   time T          the count's time
 *   every S         the seconds between two writes (RUNJA_PROGRESS_EVERY): a count may be that old
 *   done N | -      frames done, "-" while not counted (both or neither are "-")
 *   total N | -
 *   key KEY | -     its parameters key (common/paramkey.h): the ledger's history of the same
 *   sum H           inputshash of all the lines before, 16 hex digits
 * rewritten in place at most once every RUNJA_PROGRESS_EVERY seconds (1), not flushed, and
 * removed when the attempt ends; a record read while it is rewritten has a sum that does
 * not match, and is read again. A command counts for itself in HASH.command, whose path it
 * gets as RUNJA_PROGRESS: lines "DONE TOTAL", the last whole one counts. A record counts
 * only while the run's lock is held: one a killed attempt left behind is no run under way.
 */

/* what does the run's work */
enum progresswhat {
	PROGRESSPIPELINE,  /* runja-process */
	PROGRESSCOMMAND,   /* runja-exec: the user's program */
};

/* one attempt under way, as read back */
struct progress {
	char *id;                /* run id; owned */
	char *host;              /* the host it runs on; owned */
	enum progresswhat what;  /* who does the work */
	double start;            /* the attempt began, seconds since the epoch */
	double since;            /* counting began (done 0), or -1 */
	double time;             /* the time of the count: the record's, or the command's file's */
	double every;            /* the count may be this many seconds old while the work goes on (0: a command's) */
	long long done;          /* frames (a command: its units) done, or -1 when not counted */
	long long total;         /* of how many, or -1 */
	char key[PARAMKEYSIZE];  /* parameters key, "" when none */
};

/* parse a record (len bytes of text, its sum line last) into p (free with progressfree); 0, or -1 with err when it is none */
int progressparse(const char *text, size_t len, struct progress *p, char *err, size_t n);
/* append the record of p to b, its sum line last */
void progressfmt(struct buf *b, const struct progress *p);
/* free what p owns */
void progressfree(struct progress *p);
/*
 * The last whole line "DONE TOTAL" (non-negative integers, DONE <= TOTAL, TOTAL > 0) of a
 * command's count, len bytes of text (partial: the end of a longer file, its first line
 * cut); true with *done, *total, false when it has none
 */
bool progressuser(const char *text, size_t len, bool partial, long long *done, long long *total);

/* the record being written by an attempt (defined in progress.c) */
struct progressout;

/*
 * Start the record of run id's attempt (begun at start, counting since then) under the
 * state folder state, and write it: what does the work, key its parameters key (or NULL).
 * NULL (nothing written) when state is NULL or missing; failing to write is not said: the
 * record is for a look only.
 */
struct progressout *mkprogressout(const char *state, const char *id, enum progresswhat what, const char *key,
                                  double start);
/* counting begins now, done 0 of total, written with the next progresstick that is due (w may be NULL) */
void progresscount(struct progressout *w, long long total);
/* done units so far: written when RUNJA_PROGRESS_EVERY seconds passed since the last write (w may be NULL) */
void progresstick(struct progressout *w, long long done);
/* the attempt ends: its record removed and w freed (NULL is fine) */
void delprogressout(struct progressout *w);
/* the command's count of run id under state, STATE/progress/HASH.command; caller frees */
char *progressfile(const char *state, const char *id);
/* remove run id's record, count and a temporary record under state: an attempt ended, perhaps killed */
void progressgone(const char *state, const char *id);

/*
 * The attempts under way in outdir: the records whose run's lock is held, a command's own
 * count read in, sorted by run id; *n of them. Free with delprogresses.
 */
struct progress *progressload(const char *outdir, size_t *n);
/* the attempt of run id among the n of v, or NULL */
const struct progress *progressfind(const struct progress *v, size_t n, const char *id);
/* free the n records of v and v */
void delprogresses(struct progress *v, size_t n);

#endif
