/* tests of gen/eta.c (the time left of a run being processed) and gen/watch.c's lines */
#include <stdlib.h>
#include <string.h>

#include "common/progress.h"
#include "common/state.h"
#include "common/util.h"
#include "gen/eta.h"
#include "gen/watch.h"
#include "tests/test.h"

/* a ledger line of run id, seconds sec, status st, key key */
#define LEDGER(id, sec, st, key) id "\t2026-03-01T10:00:00Z\t" sec "\t2048\th\t" st "\t0.1\t-\t\t" key "\n"
#define KEY "0123456789abcdef"

/* the detail of p at now with ledger l */
static char *
detail(const struct progress *p, const struct ledger *l, double now, struct eta *e)
{
	struct buf b;

	etaof(p, l, now, e);
	bufinit(&b);
	etadetail(&b, p, e);
	return b.s;
}

/* etaduration(secs) must be want */
#define DURATION(secs, want) do { struct buf b_; bufinit(&b_); etaduration(&b_, secs); EXPECTSTR(b_.s, want); \
	buffree(&b_); } while (0)

TEST(usual)
{
	static const char text[] = LEDGER("run_1", "10.0", "0", KEY) LEDGER("run_1", "99.0", "1", KEY)
		LEDGER("run_2", "20.0", "0", KEY) LEDGER("run_3", "40.0", "0", KEY) LEDGER("run_4", "30.0", "0", "-")
		LEDGER("run_5", "7.0", "0", "fedcba9876543210");
	struct ledger *l = mkledger(text, strlen(text));

	/* a run's own successful attempts first; failures and other keys never */
	EXPECTNEAR(etausual(l, "run_1", KEY), 10, 1e-9);
	/* else the median of all runs' */
	EXPECTNEAR(etausual(l, "run_9", KEY), 20, 1e-9);
	EXPECTNEAR(etausual(l, "run_9", "fedcba9876543210"), 7, 1e-9);
	EXPECTNEAR(etausual(l, "run_9", "1111111111111111"), -1, 0);
	EXPECTNEAR(etausual(l, "run_9", ""), -1, 0);
	EXPECTNEAR(etausual(NULL, "run_9", KEY), -1, 0);
	delledger(l);
	l = mkledger(LEDGER("a", "1.0", "0", KEY) LEDGER("b", "2.0", "0", KEY), 2 * strlen(LEDGER("a", "1.0", "0", KEY)));
	EXPECTNEAR(etausual(l, "c", KEY), 1.5, 1e-9);
	delledger(l);
}

TEST(eta)
{
	static const char text[] = LEDGER("run_2", "100.0", "0", KEY);
	struct ledger *l = mkledger(text, strlen(text));
	struct progress p = {.id = "run_1", .start = 1000, .since = 1002, .time = 1012, .every = 1, .done = 500,
	                     .total = 1000};
	struct eta e;
	char *s;

	/* 10 s for 500 frames: 10 s for the other 500, less the second since the count */
	s = detail(&p, l, 1013, &e);
	EXPECTSTR(s, "500/1000 (50 %), about 9 s left");
	EXPECT(e.from == ETAPACE);
	EXPECTNEAR(e.elapsed, 13, 1e-9);
	EXPECTNEAR(e.left, 9, 1e-9);
	EXPECTNEAR(e.usual, -1, 0);
	free(s);
	/* a count that does not move: a second's worth of frames done since it, at a slower pace */
	s = detail(&p, l, 1102, &e);
	EXPECTNEAR(e.left, 100.0 / 550 * 450, 1e-9);
	free(s);
	/* not counted yet: the ledger's usual time for the same key */
	memcpy(p.key, KEY, sizeof(KEY));
	p.done = 0;
	s = detail(&p, l, 1040, &e);
	EXPECTSTR(s, "0/1000 (0 %), usually 1 min 40 s, about 1 min left");
	EXPECT(e.from == ETAHISTORY);
	free(s);
	p.done = p.total = -1;
	s = detail(&p, l, 1130, &e);
	EXPECTSTR(s, "usually 1 min 40 s, taking longer");
	EXPECTNEAR(e.left, -1, 0);
	free(s);
	s = detail(&p, NULL, 1130, &e);
	EXPECTSTR(s, "");
	EXPECT(e.from == ETANONE);
	free(s);
	/* all done but not ended; a command's file dated a little before since */
	p = (struct progress){.id = "run_1", .start = 1000, .since = 1000, .time = 999.99, .every = 1, .done = 10,
	                      .total = 10};
	s = detail(&p, NULL, 1000.5, &e);
	EXPECTSTR(s, "10/10 (100 %), almost done");
	free(s);
	p.done = 9;
	s = detail(&p, NULL, 1000.5, &e);
	EXPECTSTR(s, "9/10 (90 %), almost done");
	free(s);
	p.done = 1, p.time = 1001;
	s = detail(&p, NULL, 1001, &e);
	EXPECTSTR(s, "1/10 (10 %), about 9 s left");
	free(s);
	/* a command's count is as old as its file says: one unit at most since, not a second's worth */
	p = (struct progress){.id = "run_1", .what = PROGRESSCOMMAND, .start = 1000, .since = 1000, .time = 1010,
	                      .done = 5, .total = 10};
	s = detail(&p, NULL, 1100, &e);
	EXPECTSTR(s, "5/10 (50 %), about 1 min 7 s left");
	EXPECTNEAR(e.left, 100.0 / 6 * 4, 1e-9);
	free(s);
	/* a pipeline's count written every second: a second's worth at most since */
	p = (struct progress){.id = "run_1", .start = 1000, .since = 1000, .time = 1000.5, .every = 1, .done = 5,
	                      .total = 100};
	s = detail(&p, NULL, 1010, &e);
	EXPECTNEAR(e.left, 10.0 / 15 * 85, 1e-9);
	free(s);
	/* ... and written after each frame: one frame at most */
	p.every = 0;
	s = detail(&p, NULL, 1010, &e);
	EXPECTNEAR(e.left, 10.0 / 6 * 94, 1e-9);
	free(s);
	delledger(l);
}

TEST(duration)
{
	DURATION(0, "0 s");
	DURATION(-3, "0 s");
	DURATION(0.4, "0 s");
	DURATION(17.6, "18 s");
	DURATION(59.4, "59 s");
	DURATION(60, "1 min");
	DURATION(103, "1 min 43 s");
	DURATION(3599, "59 min 59 s");
	DURATION(3600, "1 h 0 min");
	DURATION(7500, "2 h 5 min");
	DURATION(1e300, "277777 h 46 min");
	DURATION(0.0 / 0.0, "0 s");
}

TEST(watchlines)
{
	struct progress p = {.id = "run_1", .start = 1000, .since = 1002, .time = 1012, .every = 1, .done = 500,
	                     .total = 1000};
	struct eta e;
	struct buf b;

	etaof(&p, NULL, 1013, &e);
	bufinit(&b);
	watchbar(&b, &p, &e, 20);
	EXPECTSTR(b.s, "[##########..........]  500/1000 (50 %), about 9 s left");
	b.len = 0;
	p.done = 999;
	watchbar(&b, &p, &e, 4);
	EXPECTSTR(b.s, "[###.]  999/1000 (99 %), about 9 s left");
	b.len = 0;
	p.done = p.total = -1;
	etaof(&p, NULL, 1080, &e);
	watchbar(&b, &p, &e, 20);
	EXPECTSTR(b.s, "running for 1 min 20 s");
	b.len = 0;
	e = (struct eta){.elapsed = 80, .left = 100, .usual = 180, .from = ETAHISTORY};
	watchplain(&b, &p, &e);
	EXPECTSTR(b.s, "running for 1 min 20 s, usually 3 min, about 1 min 40 s left");
	buffree(&b);
	EXPECTNEAR(watchinterval("0.5"), 0.5, 0);
	EXPECTNEAR(watchinterval("3600"), 3600, 0);
	EXPECTNEAR(watchinterval("0.05"), -1, 0);
	EXPECTNEAR(watchinterval("1s"), -1, 0);
	EXPECTNEAR(watchinterval(""), -1, 0);
}

int
main(void)
{
	RUN(usual);
	RUN(eta);
	RUN(duration);
	RUN(watchlines);
	return TESTEXIT();
}
