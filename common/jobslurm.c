#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jobslurm.h"
#include "util.h"

void
jobsfmtslurm(struct buf *b, const struct jobsslurm *s)
{
	size_t i;

	if (*s->partition)
		bufprintf(b, "slurm_partition %s\n", s->partition);
	if (*s->account)
		bufprintf(b, "slurm_account %s\n", s->account);
	if (s->time)
		bufprintf(b, "slurm_time %lld\n", s->time);
	if (s->memory)
		bufprintf(b, "slurm_memory %lld\n", s->memory);
	if (s->cpus)
		bufprintf(b, "slurm_cpus %d\n", s->cpus);
	for (i = 0; i < s->nextra; i++)
		bufprintf(b, "slurm_extra %s\n", s->extra[i]);
	for (i = 0; i < s->nneeds; i++)
		bufprintf(b, "need %lld %lld %s\n", s->needs[i].time, s->needs[i].memory, s->needs[i].id);
}

/* *v = the whole number at s, in [0, max], ending at *end (NULL: at the string's end); -1 when it is not one */
static int
whole(const char *s, long long max, long long *v, const char **end)
{
	char *e;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	*v = strtoll(s, &e, 10);
	if (errno || *v > max || (end ? *e != ' ' : *e != '\0'))
		return -1;
	if (end)
		*end = e + 1;
	return 0;
}

/* a "need SECONDS BYTES ID" line's value into s */
static int
needline(struct jobsslurm *s, const char *value, char *err, size_t n)
{
	long long t, m;
	const char *p;

	if (whole(value, 1LL << 40, &t, &p) < 0 || whole(p, 1LL << 60, &m, &p) < 0 || !*p)
		return seterr(err, n, "'need %s' is not SECONDS BYTES RUN", value);
	jobsaddneed(s, p, t, m);
	return 0;
}

void
jobsaddneed(struct jobsslurm *s, const char *id, long long time, long long memory)
{
	/* grown by doubling: at every power of two */
	if ((s->nneeds & (s->nneeds - 1)) == 0)
		s->needs = xreallocarray(s->needs, s->nneeds ? 2 * s->nneeds : 1, sizeof(*s->needs));
	s->needs[s->nneeds++] = (struct jobsneed){xstrdup(id), time, memory};
}

int
jobsslurmline(struct jobsslurm *s, const char *key, const char *value, char *err, size_t n)
{
	long long v;

	if (strcmp(key, "need") == 0)
		return needline(s, value, err, n);
	if (strcmp(key, "slurm_partition") == 0 || strcmp(key, "slurm_account") == 0) {
		char **to = key[6] == 'p' ? &s->partition : &s->account;

		free(*to);
		*to = xstrdup(value);
	} else if (strcmp(key, "slurm_extra") == 0) {
		s->extra = xreallocarray(s->extra, s->nextra + 1, sizeof(*s->extra));
		s->extra[s->nextra++] = xstrdup(value);
	} else if (strcmp(key, "slurm_time") == 0 && whole(value, 1LL << 40, &v, NULL) == 0) {
		s->time = v;
	} else if (strcmp(key, "slurm_memory") == 0 && whole(value, 1LL << 60, &v, NULL) == 0) {
		s->memory = v;
	} else if (strcmp(key, "slurm_cpus") == 0 && whole(value, 1 << 20, &v, NULL) == 0) {
		s->cpus = (int)v;
	} else {
		return seterr(err, n, "'%s %s' is not a setting runja knows", key, value);
	}
	return 0;
}

void
jobsdelneeds(struct jobsslurm *s)
{
	size_t i;

	for (i = 0; i < s->nneeds; i++)
		free(s->needs[i].id);
	free(s->needs);
	s->needs = NULL;
	s->nneeds = 0;
}

void
jobsrunasks(const struct jobsslurm *s, const char *id, long long *time, long long *memory)
{
	const struct jobsneed *need = NULL;
	size_t i;

	for (i = 0; i < s->nneeds && !need; i++)
		if (strcmp(s->needs[i].id, id) == 0)
			need = &s->needs[i];
	*time = s->time ? s->time : need ? need->time : 0;
	*memory = s->memory ? s->memory : need ? need->memory : 0;
}

char **
jobssrun(const struct jobsslurm *s, const char *id, bool inalloc, char *const *argv, const char *flag)
{
	static const char *const head[] = {"srun", "--quiet", "--disable-status", "-N1", "-n1"};
	size_t n = 0, i, k = 0;
	long long time, memory;
	char **v;

	while (argv[n])
		n++;
	v = xcalloc(n + s->nextra + 16, sizeof(*v));
	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		v[k++] = xstrdup(head[i]);
	v[k++] = xasprintf("--job-name=runja:%s", id);
	if (inalloc)
		v[k++] = xstrdup("--exclusive");
	if (!inalloc && *s->partition)
		v[k++] = xasprintf("--partition=%s", s->partition);
	if (!inalloc && *s->account)
		v[k++] = xasprintf("--account=%s", s->account);
	jobsrunasks(s, id, &time, &memory);
	/* SLURM counts whole minutes and MiB: round up */
	if (time)
		v[k++] = xasprintf("--time=%lld", (time + 59) / 60);
	if (memory)
		v[k++] = xasprintf("--mem=%lldM", (memory + 1048575) / 1048576);
	if (s->cpus)
		v[k++] = xasprintf("--cpus-per-task=%d", s->cpus);
	for (i = 0; i < s->nextra; i++)
		v[k++] = xstrdup(s->extra[i]);
	v[k++] = xstrdup(argv[0]);
	v[k++] = xstrdup(flag);
	for (i = 1; i < n; i++)
		v[k++] = xstrdup(argv[i]);
	v[k] = NULL;
	return v;
}
