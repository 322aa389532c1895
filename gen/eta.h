#ifndef RUNJA_ETA_H
#define RUNJA_ETA_H

#include "common/progress.h"

struct buf;
struct ledger;

/*
 * How long a run under way (common/progress.h) has left, for runja-gen --status: from its
 * own pace when it is counted, else from the ledger's history of attempts with the same
 * parameters key; and how people say it.
 */

/* where an estimate of the time left comes from */
enum etafrom {
	ETANONE,     /* no estimate */
	ETAPACE,     /* this attempt's pace: the time per unit done so far */
	ETAHISTORY,  /* the ledger: the usual time of attempts with the same parameters */
};

/* how long an attempt has run and has left */
struct eta {
	double elapsed;          /* seconds since the attempt began */
	double left;             /* seconds left, or -1 when unknown (or past the usual time) */
	double usual;            /* the median time of the successful attempts of its parameters, or -1 */
	enum etafrom from;  /* where left comes from */
};

/* the median seconds of l's successful attempts with parameters key: run id's own if any, else all runs'; -1 when none */
double etausual(const struct ledger *l, const char *id, const char *key);
/* how far p is at now (seconds since the epoch): from its pace, else from the ledger l's history (l may be NULL) */
void etaof(const struct progress *p, const struct ledger *l, double now, struct eta *e);
/* append seconds s as people say a duration: "0 s", "18 s", "1 min", "1 min 43 s", "2 h 5 min" */
void etaduration(struct buf *b, double s);
/* append what p and e say: "412/1000 (41 %), about 18 s left", "usually 3 min, about 1 min 40 s left", ... */
void etadetail(struct buf *b, const struct progress *p, const struct eta *e);

#endif
