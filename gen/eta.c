#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/state.h"
#include "common/util.h"
#include "eta.h"

static int
dblcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* the median seconds of the successful attempts in l with key (run id's alone when own); -1 when none */
static double
median(const struct ledger *l, const char *id, const char *key, bool own)
{
	const struct ledgerentry *e;
	size_t i, nv = 0, cap = 0;
	double *v = NULL, m = -1;

	for (i = 0; (e = ledgerattempt(l, i)); i++) {
		if (!e->key || strcmp(e->key, key) != 0 || strcmp(e->status, "0") != 0 || (own && strcmp(e->id, id) != 0))
			continue;
		if (nv == cap) {
			cap = cap ? 2 * cap : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[nv++] = e->seconds;
	}
	if (nv) {
		qsort(v, nv, sizeof(*v), dblcmp);
		m = nv % 2 ? v[nv / 2] : (v[nv / 2 - 1] + v[nv / 2]) / 2;
	}
	free(v);
	return m;
}

double
etausual(const struct ledger *l, const char *id, const char *key)
{
	double m;

	if (!l || !key || !*key)
		return -1;
	m = median(l, id, key, true);
	return m >= 0 ? m : median(l, id, key, false);
}

/*
 * The seconds p has left at now by its pace: the time per unit so far, and the units done
 * since the count guessed at that pace, but no more than one unit or p->every seconds'
 * worth (the count is written no more often: had more been done, a later count would be
 * there), so that a count that stops moving slows the pace down instead of running out.
 * A file's time a little before since (a coarser clock) is a count made at since.
 */
static double
paceleft(const struct progress *p, double now)
{
	double took = fmax(p->time - p->since, 0), stale = fmax(now - fmax(p->time, p->since), 0);
	double rate = took / (double)p->done, more, est;

	more = rate > 0 ? fmin(stale / rate, fmax(1, p->every / rate)) : stale > 0;
	est = fmin((double)p->done + more, (double)p->total);
	return est < (double)p->total ? (took + stale) / est * ((double)p->total - est) : 0;
}

void
etaof(const struct progress *p, const struct ledger *l, double now, struct eta *e)
{
	*e = (struct eta){.elapsed = now > p->start ? now - p->start : 0, .left = -1, .usual = etausual(l, p->id, p->key)};
	if (p->done > 0 && p->total > 0 && p->since >= 0) {
		e->left = paceleft(p, now);
		e->from = ETAPACE;
	} else if (e->usual >= 0) {
		e->left = e->usual > e->elapsed ? e->usual - e->elapsed : -1;
		e->from = ETAHISTORY;
	}
}

void
etaduration(struct buf *b, double s)
{
	long long t = s >= 0 && s < 1e9 ? llround(s) : s >= 1e9 ? 1000000000LL : 0;

	if (t < 60)
		bufprintf(b, "%lld s", t);
	else if (t < 3600 && t % 60)
		bufprintf(b, "%lld min %lld s", t / 60, t % 60);
	else if (t < 3600)
		bufprintf(b, "%lld min", t / 60);
	else
		bufprintf(b, "%lld h %lld min", t / 3600, t % 3600 / 60);
}

void
etadetail(struct buf *b, const struct progress *p, const struct eta *e)
{
	const char *sep = "";

	if (p->done >= 0 && p->total > 0) {
		bufprintf(b, "%lld/%lld (%d %%)", p->done, p->total, (int)floor(100.0 * (double)p->done / (double)p->total));
		sep = ", ";
	}
	if (e->from == ETAHISTORY) {
		bufprintf(b, "%susually ", sep);
		etaduration(b, e->usual);
		sep = ", ";
	}
	if (e->from == ETANONE)
		return;
	bufputs(b, sep);
	if (e->left < 0) {
		bufputs(b, "taking longer");
	} else if (e->left < 0.5) {
		bufputs(b, "almost done");
	} else {
		bufputs(b, "about ");
		etaduration(b, e->left);
		bufputs(b, " left");
	}
}
