#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "common/cores.h"
#include "common/util.h"
#include "workers.h"

/* where a slot is: ADDING, taken and left to the adds of its bands */
enum { FREE, BUSY, DONE, ADDING };
/* the most slots one add of a band takes at once */
enum { ADDBATCH = 8 };

struct pool;

/* one worker thread */
struct worker {
	pthread_t t;
	struct pool *pool;
	bool started;  /* t was created and is not joined yet */
	bool ended;    /* its loop is over: join it */
};

/* what the threads share, under mu */
struct pool {
	pthread_mutex_t mu;
	pthread_cond_t wake;   /* for the workers: a frame to work on, or fewer workers wanted */
	pthread_cond_t ready;  /* for the caller: a frame done */
	size_t n;              /* frames */
	size_t win;            /* frames in flight at most: frame i is at place i % win */
	struct slot *slots;    /* win of them */
	struct slot **at;      /* per place, the slot of its frame while it is BUSY, DONE or ADDING */
	struct slot **spare;   /* the slots no frame has, the last one given back on top (warm in a cache) */
	size_t nspare;
	unsigned char *state;  /* FREE, BUSY, DONE or ADDING, per place */
	size_t *stopat;        /* per place, the stop its frame was worked on with */
	size_t next;           /* the next frame to hand out */
	size_t taken;          /* the next frame to take */
	size_t stop;           /* the pipeline's stop, for frames handed out now */
	int target;            /* workers wanted (threads - 1) */
	int live;              /* workers in their loop */
	int most;              /* the most threads at once, the caller's counted */
	bool quit;             /* the run is over */
	workfn *work;
	addfn *add;
	void *ctx;
	size_t nbands;         /* bands of pixels a slot left by its take is added in */
	size_t *bnext;         /* per band, the next left slot it adds: slots are counted as left, 0, 1 ... */
	bool *bbusy;           /* per band, a thread adds it now */
	size_t nleft;          /* slots left so far */
	size_t *lplace;        /* per left slot (at its count % win), its place */
	size_t *lbands;        /* per left slot, the bands that have still to add it */
	struct worker *w;      /* room for every worker the cores may ever allow */
	int nw;
};

/*
 * start thread t on fn(arg) with the signals that end a program (SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT) blocked: they reach the thread that started the work, whose handler (if any)
 * then knows what every other thread is doing (runja-report's removes its temporary
 * files, which only that thread writes). 0, or an error number.
 */
static int
startthread(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t ends, old;
	int r;

	sigemptyset(&ends);
	sigaddset(&ends, SIGINT);
	sigaddset(&ends, SIGTERM);
	sigaddset(&ends, SIGHUP);
	sigaddset(&ends, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &ends, &old);
	r = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r;
}

/* may a frame be handed out? (mu held) */
static bool
canhand(const struct pool *p)
{
	return p->next < p->n && p->next < p->taken + p->win && p->state[p->next % p->win] == FREE;
}

/* work on frame i, at its place, with scratch s: from the start, or again from where an
   earlier stop left it; mu held on entry and exit */
static void
workat(struct pool *p, size_t i, bool again, struct opscratch *s)
{
	size_t stop = p->stop, pl = i % p->win;
	struct slot *sl = p->at[pl];

	p->state[pl] = BUSY;
	sl->again = again;
	pthread_mutex_unlock(&p->mu);
	p->work(p->ctx, i, stop, sl, s);
	pthread_mutex_lock(&p->mu);
	p->state[pl] = DONE;
	p->stopat[pl] = stop;
	pthread_cond_signal(&p->ready);
}

/* hand out the next frame and work on it with scratch s; mu held on entry and exit */
static void
workone(struct pool *p, struct opscratch *s)
{
	size_t i = p->next++;

	p->at[i % p->win] = p->spare[--p->nspare];
	workat(p, i, false, s);
}

/* a frame after the next to take, done before the stop last rose (a background was made):
   it has ops to go; n when none (mu held) */
static size_t
canagain(const struct pool *p)
{
	size_t i;

	for (i = p->taken + 1; i < p->next; i++)
		if (p->state[i % p->win] == DONE && p->stopat[i % p->win] < p->stop)
			return i;
	return p->n;
}

/* a band that has left slots to add and no thread adding it, the furthest behind; nbands when none (mu held) */
static size_t
canadd(const struct pool *p)
{
	size_t b, best = p->nbands;

	for (b = 0; b < p->nbands; b++)
		if (!p->bbusy[b] && p->bnext[b] < p->nleft && (best == p->nbands || p->bnext[b] < p->bnext[best]))
			best = b;
	return best;
}

/* has every band added every left slot? (mu held) */
static bool
alladded(const struct pool *p)
{
	size_t b;

	for (b = 0; b < p->nbands; b++)
		if (p->bnext[b] < p->nleft)
			return false;
	return true;
}

/* add band b of the slots left since its last add (ADDBATCH at most), freeing those every band has; mu held on entry and exit */
static void
addone(struct pool *p, size_t b)
{
	struct slot *s[ADDBATCH];
	size_t first = p->bnext[b], k, place;
	int ns;

	for (ns = 0; ns < ADDBATCH && first + ns < p->nleft; ns++)
		s[ns] = p->at[p->lplace[(first + ns) % p->win]];
	p->bbusy[b] = true;
	pthread_mutex_unlock(&p->mu);
	p->add(p->ctx, s, ns, b, p->nbands);
	pthread_mutex_lock(&p->mu);
	p->bbusy[b] = false;
	p->bnext[b] += ns;
	/* each band adds the left slots in order, so they are freed in order too */
	for (k = first; k < first + ns; k++) {
		if (--p->lbands[k % p->win] > 0)
			continue;
		place = p->lplace[k % p->win];
		p->state[place] = FREE;
		p->spare[p->nspare++] = p->at[place];
	}
	pthread_cond_broadcast(&p->wake);
	pthread_cond_signal(&p->ready);
}

static void *
workerloop(void *arg)
{
	struct worker *me = arg;
	struct pool *p = me->pool;
	struct opscratch s = {0};
	size_t b, i;

	pthread_mutex_lock(&p->mu);
	while (!p->quit && p->live <= p->target) {
		/* frames first, so that the run's own thread finds the next one done; bands when the window is full */
		if ((i = canagain(p)) < p->n)
			workat(p, i, true, &s);
		else if (canhand(p))
			workone(p, &s);
		else if ((b = canadd(p)) < p->nbands)
			addone(p, b);
		else
			pthread_cond_wait(&p->wake, &p->mu);
	}
	p->live--;
	me->ended = true;
	pthread_cond_signal(&p->ready);
	pthread_mutex_unlock(&p->mu);
	delimg(&s.spare);
	delimg(&s.tmp);
	return NULL;
}

/* run target workers (mu held): start more, or let the extra ones end after their frame */
static void
setworkers(struct pool *p, int target)
{
	int k;

	if (target != p->target)
		pthread_cond_broadcast(&p->wake);
	p->target = target;
	for (k = 0; k < p->nw && p->live < p->target; k++) {
		if (p->w[k].started && p->w[k].ended) {
			pthread_join(p->w[k].t, NULL);
			p->w[k].started = false;
		}
		if (p->w[k].started)
			continue;
		p->w[k] = (struct worker){.pool = p};
		if (startthread(&p->w[k].t, workerloop, &p->w[k]) != 0) {
			p->target = p->live;
			break;
		}
		p->w[k].started = true;
		p->live++;
	}
	if (p->live + 1 > p->most)
		p->most = p->live + 1;
}

/* take frame `taken`, DONE at place sl (mu held on entry and exit): its slot freed, or left to the adds; the take's result */
static int
takeone(struct pool *p, takefn *take, size_t sl)
{
	size_t stop = p->stop;
	int r;

	pthread_mutex_unlock(&p->mu);
	r = take(p->ctx, p->taken, p->at[sl], &stop);
	pthread_mutex_lock(&p->mu);
	if (r == WORKADD && p->add) {
		p->state[sl] = ADDING;
		p->lplace[p->nleft % p->win] = sl;
		p->lbands[p->nleft % p->win] = p->nbands;
		p->nleft++;
	} else {
		p->state[sl] = FREE;
		p->spare[p->nspare++] = p->at[sl];
	}
	p->taken++;
	p->stop = stop;
	pthread_cond_broadcast(&p->wake);
	return r;
}

/* the caller's loop: take the frames in order, working on others (or, the window full, adding bands) while the next is not done; 0 or -1 */
static int
takeall(struct pool *p, struct cores *c, takefn *take, struct opscratch *s)
{
	size_t sl, b, i;
	int max = coresmax(c), want;

	/* all the tokens it may have, to the last add: the products written next want them too */
	while (p->taken < p->n || !alladded(p)) {
		pthread_mutex_unlock(&p->mu);
		want = coresadjust(c, max);
		pthread_mutex_lock(&p->mu);
		setworkers(p, want - 1);
		sl = p->taken % p->win;
		if (p->taken < p->n && p->state[sl] == DONE) {
			if (takeone(p, take, sl) < 0)
				return -1;
		} else if ((i = canagain(p)) < p->n) {
			workat(p, i, true, s);
		} else if (canhand(p)) {
			workone(p, s);
		} else if ((b = canadd(p)) < p->nbands) {
			addone(p, b);
		} else if (p->taken < p->n || !alladded(p)) {
			/* (the last add may have ended while the tokens were looked at) */
			pthread_cond_wait(&p->ready, &p->mu);
		}
	}
	return 0;
}

int
workrun(size_t n, size_t stop, workfn *work, takefn *take, addfn *add, void *ctx, struct cores *c, int *maxthreads)
{
	struct pool p = {.n = n, .stop = stop, .work = work, .add = add, .ctx = ctx};
	struct opscratch s = {0};
	int ret, k, max = coresmax(c);
	size_t i;

	p.nw = max - 1;
	p.win = (size_t)coreswindow(max, add != NULL);
	p.slots = xcalloc(p.win, sizeof(*p.slots));
	p.at = xcalloc(p.win, sizeof(*p.at));
	p.spare = xcalloc(p.win, sizeof(*p.spare));
	for (i = 0; i < p.win; i++)
		p.spare[p.nspare++] = &p.slots[p.win - 1 - i];
	p.state = xcalloc(p.win, sizeof(*p.state));
	p.stopat = xcalloc(p.win, sizeof(*p.stopat));
	p.w = xcalloc(max, sizeof(*p.w));
	/* two bands a thread: a thread free for a moment finds one to add */
	p.nbands = max > 1 ? 2 * (size_t)max : 1;
	p.bnext = xcalloc(p.nbands, sizeof(*p.bnext));
	p.bbusy = xcalloc(p.nbands, sizeof(*p.bbusy));
	p.lplace = xcalloc(p.win, sizeof(*p.lplace));
	p.lbands = xcalloc(p.win, sizeof(*p.lbands));
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.wake, NULL);
	pthread_cond_init(&p.ready, NULL);
	pthread_mutex_lock(&p.mu);
	ret = takeall(&p, c, take, &s);
	p.quit = true;
	pthread_cond_broadcast(&p.wake);
	pthread_mutex_unlock(&p.mu);
	for (k = 0; k < p.nw; k++)
		if (p.w[k].started)
			pthread_join(p.w[k].t, NULL);
	*maxthreads = p.most > 0 ? p.most : 1;
	for (i = 0; i < p.win; i++)
		delimg(&p.slots[i].f.img);
	delimg(&s.spare);
	delimg(&s.tmp);
	pthread_cond_destroy(&p.ready);
	pthread_cond_destroy(&p.wake);
	pthread_mutex_destroy(&p.mu);
	free(p.slots), free(p.at), free(p.spare), free(p.state), free(p.w);
	free(p.bnext), free(p.bbusy), free(p.lplace), free(p.lbands), free(p.stopat);
	return ret;
}

/* what the threads of one workeach share */
struct each {
	eachfn *fn;
	void *ctx;
	size_t n;
	atomic_size_t next;  /* the next task to take */
};

/* one thread of a workeach */
struct eacharg {
	struct each *e;
	int thread;  /* its number */
};

/* take tasks until there are none */
static void *
eachloop(void *arg)
{
	struct eacharg *a = arg;
	size_t i;

	while ((i = atomic_fetch_add(&a->e->next, 1)) < a->e->n)
		a->e->fn(a->e->ctx, i, a->thread);
	return NULL;
}

void
workeach(size_t n, eachfn *fn, void *ctx, struct cores *c)
{
	struct each e = {.fn = fn, .ctx = ctx, .n = n};
	int k, started, t = 1;
	struct eacharg *a;
	pthread_t *tid;

	if (c && n > 1)
		t = coresadjust(c, n < (size_t)coresmax(c) ? (int)n : coresmax(c));
	atomic_init(&e.next, 0);
	a = xcalloc(t, sizeof(*a));
	tid = xcalloc(t, sizeof(*tid));
	for (k = 0; k < t; k++)
		a[k] = (struct eacharg){.e = &e, .thread = k};
	for (started = 1; started < t; started++)
		if (startthread(&tid[started], eachloop, &a[started]) != 0)
			break;
	eachloop(&a[0]);
	for (k = 1; k < started; k++)
		pthread_join(tid[k], NULL);
	free(a), free(tid);
}

/* the tasks of one workcheck, and how each ended */
struct check {
	taskfn *fn;
	void *ctx;
	char (*err)[512];  /* per task, its error when it failed */
	int *cause;        /* per task: 0 done, else seterrno() of its failure (-1 for none) */
};

/* one task of a workcheck (eachfn) */
static void
checkone(void *ctx, size_t i, int thread)
{
	struct check *k = ctx;

	(void)thread;
	seterrclear();
	if (k->fn(k->ctx, i, k->err[i], sizeof(k->err[i])) < 0)
		k->cause[i] = seterrno() ? seterrno() : -1;
}

int
workcheck(size_t n, taskfn *fn, void *ctx, struct cores *c, char *err, size_t errn)
{
	struct check k = {.fn = fn, .ctx = ctx};
	int ret = 0, was = seterrno();
	size_t i;

	k.err = xcalloc(n + 1, sizeof(*k.err));
	k.cause = xcalloc(n + 1, sizeof(*k.cause));
	workeach(n, checkone, &k, c);
	seterrclear();
	seterrkeep(was);
	for (i = 0; i < n && ret == 0; i++)
		if (k.cause[i]) {
			seterrkeep(k.cause[i] > 0 ? k.cause[i] : 0);
			ret = seterr(err, errn, "%s", k.err[i]);
		}
	free(k.err), free(k.cause);
	return ret;
}
