#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "cores.h"
#include "fs.h"
#include "util.h"

/* the shortest time between two looks at the tokens, ns */
enum { LOOKNS = 10 * 1000 * 1000 };
/* how long a token must have been free before it is taken for an extra thread (but at the
   first look), ns: a run that ends frees its token a moment before ninja's next run takes it */
enum { SETTLENS = 50 * 1000 * 1000 };

struct cores {
	char *dir;        /* DIR/HOST, the tokens' folder, or NULL: no tokens, cap threads */
	int cap;          /* most threads */
	int ncpu;         /* CPUs of the affinity set */
	int *cpu;         /* their numbers: token cpu[k] is the file DIR/HOST/cpu[k] */
	int *fd;          /* per CPU, the token's open file while it is held, else -1 */
	int held;         /* tokens held */
	int wantfd;       /* DIR/HOST/want, or -1 */
	bool waiting;     /* a shared lock on want is held: this run has no token */
	bool broken;      /* the folder cannot be used: one thread */
	long long last;   /* CLOCK_MONOTONIC ns of the last look, 0 before the first */
	long long seen;   /* when the looks began to find a token free (for an extra), 0: the last found none */
	int threads;      /* what the last look gave */
};

/* the CPUs of this process's affinity set into v (CPU_SETSIZE of room); how many */
static int
cpulist(int *v)
{
	cpu_set_t set;
	int i, n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) < 0) {
		long k = sysconf(_SC_NPROCESSORS_ONLN);

		for (i = 0; i < (k > 0 && k <= CPU_SETSIZE ? (int)k : 1); i++)
			v[n++] = i;
		return n;
	}
	for (i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &set))
			v[n++] = i;
	return n ? n : (v[0] = 0, 1);
}

int
corescpus(void)
{
	int v[CPU_SETSIZE];

	return cpulist(v);
}

struct cores *
mkcores(const char *dir, int cap)
{
	struct cores *c = xcalloc(1, sizeof(*c));
	char host[256], err[512], *p;
	int v[CPU_SETSIZE], i;

	c->cap = cap < 1 ? 1 : cap;
	c->wantfd = -1;
	if (!dir)
		return c;
	c->ncpu = cpulist(v);
	c->cpu = xreallocarray(NULL, c->ncpu, sizeof(*c->cpu));
	c->fd = xreallocarray(NULL, c->ncpu, sizeof(*c->fd));
	for (i = 0; i < c->ncpu; i++)
		c->cpu[i] = v[i], c->fd[i] = -1;
	if (c->cap > c->ncpu)
		c->cap = c->ncpu;
	if (gethostname(host, sizeof(host)) < 0 || !host[0])
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';
	for (p = host; *p; p++)
		if (*p == '/')
			*p = '_';
	c->dir = xasprintf("%s/%s", dir, host);
	p = xasprintf("%s/want", c->dir);
	if (c->cap > 1 && (mkdirp(c->dir, err, sizeof(err)) < 0 ||
	                   (c->wantfd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) < 0))
		c->broken = true;
	free(p);
	return c;
}

int
coresmax(const struct cores *c)
{
	return c->broken ? 1 : c->cap;
}

/* try to take token k: true when it is now held */
static bool
take(struct cores *c, int k)
{
	char *p = xasprintf("%s/%d", c->dir, c->cpu[k]);
	int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0666);

	free(p);
	if (fd < 0)
		return false;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return false;
	}
	c->fd[k] = fd;
	c->held++;
	return true;
}

/* give back token k, held */
static void
drop(struct cores *c, int k)
{
	flock(c->fd[k], LOCK_UN);
	close(c->fd[k]);
	c->fd[k] = -1;
	c->held--;
}

/* give back one held token (the last one held) */
static void
give(struct cores *c)
{
	int k;

	for (k = c->ncpu - 1; k >= 0 && c->fd[k] < 0; k--)
		;
	if (k >= 0)
		drop(c, k);
}

/* take free tokens for extra threads up to want: at the first look, or once tokens have been
   free for SETTLENS; else note that one is free, and leave it */
static void
extras(struct cores *c, int want, bool first, long long now)
{
	bool settled = first || (c->seen && now - c->seen >= SETTLENS), found = false;
	int k;

	for (k = 0; k < c->ncpu && c->held < want; k++) {
		if (c->fd[k] >= 0 || !take(c, k))
			continue;
		found = true;
		if (!settled) {
			drop(c, k);
			break;
		}
	}
	c->seen = found && !settled ? (c->seen ? c->seen : now) : 0;
}

/* does another run wait for a token (hold a shared lock on want)? */
static bool
demand(const struct cores *c)
{
	if (flock(c->wantfd, LOCK_EX | LOCK_NB) == 0) {
		flock(c->wantfd, LOCK_UN);
		return false;
	}
	return errno == EWOULDBLOCK;
}

/* CLOCK_MONOTONIC now, ns */
static long long
nowns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* look at the tokens: hold as many as may be used now, at most want */
static void
look(struct cores *c, int want, bool first, long long now)
{
	int k;

	while (c->held > want)
		give(c);
	if (c->held >= 2 && demand(c)) {
		give(c);
		c->seen = 0;
	} else {
		/* a token for its own thread first, then more while no other run waits */
		for (k = 0; k < c->ncpu && c->held == 0; k++)
			take(c, k);
		if (c->held >= 1 && c->held < want && !demand(c))
			extras(c, want, first, now);
		else
			c->seen = 0;
	}
	/* no token: say so, so that runs holding several give one back */
	if (c->held == 0 && !c->waiting)
		c->waiting = flock(c->wantfd, LOCK_SH | LOCK_NB) == 0;
	else if (c->held > 0 && c->waiting)
		c->waiting = flock(c->wantfd, LOCK_UN) < 0;
}

int
coresadjust(struct cores *c, int want)
{
	long long now;

	if (want > c->cap)
		want = c->cap;
	if (want < 1)
		want = 1;
	if (!c->dir)
		return want;
	if (c->broken || c->cap == 1)
		return 1;
	now = nowns();
	if (c->last && now - c->last < LOOKNS)
		return c->threads < want ? c->threads : want;
	look(c, want, c->last == 0, now);
	c->last = now;
	c->threads = c->held > 0 ? c->held : 1;
	return c->threads;
}

int
coreswindow(int threads, bool sums)
{
	return threads > 1 ? 2 * threads + 1 : sums ? 4 : 1;
}

void
delcores(struct cores *c)
{
	if (!c)
		return;
	while (c->held > 0)
		give(c);
	if (c->wantfd >= 0)
		close(c->wantfd);
	free(c->dir), free(c->cpu), free(c->fd);
	free(c);
}
