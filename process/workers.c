#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "common/cores.h"
#include "common/util.h"
#include "workers.h"

/* where a slot is */
enum { FREE, BUSY, DONE };

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
	struct slot **at;      /* per place, the slot of its frame while it is BUSY or DONE */
	struct slot **spare;   /* the slots no frame has, the last one given back on top (warm in a cache) */
	size_t nspare;
	unsigned char *state;  /* FREE, BUSY or DONE, per place */
	size_t next;           /* the next frame to hand out */
	size_t taken;          /* the next frame to take */
	size_t stop;           /* the pipeline's stop, for frames handed out now */
	int target;            /* workers wanted (threads - 1) */
	int live;              /* workers in their loop */
	int most;              /* the most threads at once, the caller's counted */
	bool quit;             /* the run is over */
	workfn *work;
	void *ctx;
	struct worker *w;      /* room for every worker the cores may ever allow */
	int nw;
};

/* may a frame be handed out? (mu held) */
static bool
canhand(const struct pool *p)
{
	return p->next < p->n && p->next < p->taken + p->win && p->state[p->next % p->win] == FREE;
}

/* hand out the next frame and work on it with scratch s; mu held on entry and exit */
static void
workone(struct pool *p, struct opscratch *s)
{
	size_t i = p->next++, stop = p->stop;
	struct slot *sl = p->at[i % p->win] = p->spare[--p->nspare];

	p->state[i % p->win] = BUSY;
	pthread_mutex_unlock(&p->mu);
	p->work(p->ctx, i, stop, sl, s);
	pthread_mutex_lock(&p->mu);
	p->state[i % p->win] = DONE;
	pthread_cond_signal(&p->ready);
}

static void *
workerloop(void *arg)
{
	struct worker *me = arg;
	struct pool *p = me->pool;
	struct opscratch s = {0};

	pthread_mutex_lock(&p->mu);
	while (!p->quit && p->live <= p->target) {
		if (canhand(p))
			workone(p, &s);
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
		if (pthread_create(&p->w[k].t, NULL, workerloop, &p->w[k]) != 0) {
			p->target = p->live;
			break;
		}
		p->w[k].started = true;
		p->live++;
	}
	if (p->live + 1 > p->most)
		p->most = p->live + 1;
}

/* the caller's loop: take the frames in order, working on others while the next is not done; 0 or -1 */
static int
takeall(struct pool *p, struct cores *c, takefn *take, struct opscratch *s)
{
	size_t stop, sl;
	int max = coresmax(c), want, r;

	/* all the tokens it may have, to the last frame: the products written next want them too */
	while (p->taken < p->n) {
		pthread_mutex_unlock(&p->mu);
		want = coresadjust(c, max);
		pthread_mutex_lock(&p->mu);
		setworkers(p, want - 1);
		sl = p->taken % p->win;
		if (p->state[sl] == DONE) {
			stop = p->stop;
			pthread_mutex_unlock(&p->mu);
			r = take(p->ctx, p->taken, p->at[sl], &stop);
			pthread_mutex_lock(&p->mu);
			p->state[sl] = FREE;
			p->spare[p->nspare++] = p->at[sl];
			p->taken++;
			p->stop = stop;
			pthread_cond_broadcast(&p->wake);
			if (r < 0)
				return -1;
		} else if (canhand(p)) {
			workone(p, s);
		} else {
			pthread_cond_wait(&p->ready, &p->mu);
		}
	}
	return 0;
}

int
workrun(size_t n, size_t stop, workfn *work, takefn *take, void *ctx, struct cores *c, int *maxthreads)
{
	struct pool p = {.n = n, .stop = stop, .work = work, .ctx = ctx};
	struct opscratch s = {0};
	int ret, k, max = coresmax(c);
	size_t i;

	p.nw = max - 1;
	p.win = max > 1 ? 2 * (size_t)max + 1 : 1;
	p.slots = xcalloc(p.win, sizeof(*p.slots));
	p.at = xcalloc(p.win, sizeof(*p.at));
	p.spare = xcalloc(p.win, sizeof(*p.spare));
	for (i = 0; i < p.win; i++)
		p.spare[p.nspare++] = &p.slots[p.win - 1 - i];
	p.state = xcalloc(p.win, sizeof(*p.state));
	p.w = xcalloc(max, sizeof(*p.w));
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
		if (pthread_create(&tid[started], NULL, eachloop, &a[started]) != 0)
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
