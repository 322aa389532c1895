#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "slurmsite.h"

/* minutes of a SLURM time limit ("infinite", "D-HH:MM:SS", "HH:MM:SS", "MM:SS", "MM"), 0 for none */
static long long
minutes(const char *t)
{
	long long d = 0, v[3] = {0, 0, 0};
	int n;
	const char *dash = strchr(t, '-');

	if (strcmp(t, "infinite") == 0 || strcmp(t, "UNLIMITED") == 0)
		return 0;
	if (dash) {
		d = strtoll(t, NULL, 10);
		t = dash + 1;
	}
	n = sscanf(t, "%lld:%lld:%lld", &v[0], &v[1], &v[2]);
	if (n == 3 || (dash && n >= 1))
		return d * 1440 + v[0] * 60 + v[1] + (v[2] > 0);
	if (n == 2)
		return v[0] + (v[1] > 0);
	return n == 1 ? v[0] : 0;
}

void
slurmsiteparse(const char *text, const char *partition, struct slurmsite *s)
{
	char want[64] = "", name[64], cpus[64], limit[64];
	long long c, m, a, i, o, t;
	const char *line;
	size_t len;

	*s = (struct slurmsite){0};
	if (partition && *partition)
		snprintf(want, sizeof(want), "%.*s", (int)strcspn(partition, ","), partition);
	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (sscanf(line, "%63s %63s %lld %lld %63s", name, cpus, &c, &m, limit) != 5 ||
		    sscanf(cpus, "%lld/%lld/%lld/%lld", &a, &i, &o, &t) != 4)
			continue;
		len = strlen(name);
		/* the default partition is marked with a '*' */
		if (len > 0 && name[len - 1] == '*') {
			name[--len] = '\0';
			if (!*want)
				snprintf(want, sizeof(want), "%s", name);
		}
		if (strcmp(name, want) != 0)
			continue;
		snprintf(s->name, sizeof(s->name), "%s", name);
		s->known = true;
		s->cpus += t;
		s->nodecpus = c > s->nodecpus ? c : s->nodecpus;
		s->nodemem = m > s->nodemem ? m : s->nodemem;
		s->maxtime = minutes(limit);
	}
}

long long
slurmsitemaxarray(const char *text)
{
	const char *p = strstr(text, "MaxArraySize");
	long long v = 0;

	return p && sscanf(p, "MaxArraySize = %lld", &v) == 1 ? v : 0;
}

/* the output of the shell command cmd into b; 0, or -1 when it cannot run or fails */
static int
output(const char *cmd, struct buf *b)
{
	FILE *f = popen(cmd, "r");
	char chunk[4096];
	size_t k;

	bufinit(b);
	if (!f)
		return -1;
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		bufadd(b, chunk, k);
	return pclose(f) == 0 ? 0 : -1;
}

void
slurmsiteask(const char *partition, struct slurmsite *s)
{
	struct buf b;
	bool ok = output("sinfo -h -o '%P %C %c %m %l' 2>/dev/null", &b) == 0;

	if (!ok)
		warn("--slurm-script: sinfo did not answer, so the task count is not capped by what the partition can give");
	slurmsiteparse(b.s, partition, s);
	if (ok && !s->known)
		warn("--slurm-script: sinfo names no partition %s", partition && *partition ? partition : "marked default");
	buffree(&b);
	if (output("scontrol show config 2>/dev/null", &b) == 0)
		s->maxarray = slurmsitemaxarray(b.s);
	buffree(&b);
}
