#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "confslurm.h"
#include "confval.h"

/* the most tasks a script asks for when jobs.slurm.max_tasks does not say */
#define CONFSLURMTASKS 256

void
confslurminit(struct confslurm *s)
{
	*s = (struct confslurm){.mail = xstrdup(""), .maxtasks = CONFSLURMTASKS};
	s->run.partition = xstrdup("");
	s->run.account = xstrdup("");
}

/* the string key of g into *out: not empty, none of the characters bad; what names what it must be */
static int
word(struct confctx *x, const config_setting_t *g, const char *key, const char *path, const char *bad,
     const char *what, char **out)
{
	config_setting_t *s = confmember(g, key);

	if (confstring(x, g, key, path, out) < 0)
		return -1;
	if (s && (!**out || strpbrk(*out, bad)))
		return confbad(x, s, "'%s' must be %s", path, what);
	return 0;
}

/* one word of jobs.slurm.extra: an option such as "--qos=low", one word */
static int
checkextra(struct confctx *x, const config_setting_t *s, const char *path, const char *v)
{
	if (strncmp(v, "--", 2) != 0 || !v[2] || strpbrk(v, " \t\n\r\"'"))
		return confbad(x, s, "each of '%s' must be one option such as \"--qos=low\", not '%s'", path, v);
	return 0;
}

int
confslurm(struct confctx *x, const config_setting_t *g, struct confslurm *s)
{
	static const char *const keys[] = {"partition", "account", "time", "memory", "cpus", "mail", "extra",
	                                   "max_tasks", "job_time", "array", NULL};
	config_setting_t *e;
	char *mail = NULL;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return confbad(x, g, "'%s' must be a group { ... }%s", "jobs.slurm", "");
	s->line = (int)config_setting_source_line(g);
	if (confkeys(x, g, keys, "'jobs.slurm'") < 0 ||
	    word(x, g, "partition", "jobs.slurm.partition", " \t\n\r\"'", "a partition name (or names joined by commas)", &s->run.partition) < 0 ||
	    word(x, g, "account", "jobs.slurm.account", " \t\n\r,\"'", "an account name, one word", &s->run.account) < 0 ||
	    confduration(x, g, "time", "jobs.slurm.time", 60, &s->run.time) < 0 ||
	    confsize(x, g, "memory", "jobs.slurm.memory", &s->run.memory) < 0 ||
	    confint32(x, g, "cpus", "jobs.slurm.cpus", 1, 4096, "from 1 to 4096", &s->run.cpus) < 0 ||
	    confstring(x, g, "mail", "jobs.slurm.mail", &mail) < 0 ||
	    confint32(x, g, "max_tasks", "jobs.slurm.max_tasks", 1, 1000000, "from 1 to 1000000", &s->maxtasks) < 0 ||
	    confduration(x, g, "job_time", "jobs.slurm.job_time", 60, &s->jobtime) < 0 ||
	    confbool(x, g, "array", "jobs.slurm.array", &s->array) < 0) {
		free(mail);
		return -1;
	}
	if (mail) {
		free(s->mail);
		s->mail = mail;
		if (!strchr(mail, '@') || strpbrk(mail, " \t\n\r,\"'"))
			return confbad(x, confmember(g, "mail"), "'%s' must be an e-mail address, not '%s'", "jobs.slurm.mail", mail);
	}
	if ((e = confmember(g, "extra")) &&
	    confstrings(x, e, "jobs.slurm.extra", checkextra, &s->run.extra, &s->run.nextra) < 0)
		return -1;
	return 0;
}

void
delconfslurm(struct confslurm *s)
{
	struct jobs j = {.launcher = NULL, .slurm = s->run};

	deljobs(&j);
	free(s->mail);
	*s = (struct confslurm){0};
}
