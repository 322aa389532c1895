#ifndef RUNJA_SLURMSITE_H
#define RUNJA_SLURMSITE_H

#include <stdbool.h>

/* what a partition of the cluster can give, as sinfo and scontrol say */
struct slurmsite {
	bool known;           /* sinfo named the partition */
	char name[64];        /* the partition (the default one when none was asked for) */
	long long cpus;       /* the CPUs of its nodes, all together */
	long long nodecpus;   /* the most CPUs one of its nodes has */
	long long nodemem;    /* the most memory one of its nodes has, MiB */
	long long maxtime;    /* its time limit in minutes, 0 for none */
	long long maxarray;   /* MaxArraySize (the highest array index + 1), 0 when not known */
};

/*
 * s from the text of `sinfo -h -o "%P %C %c %m %l"` for partition (the first of a comma
 * list; NULL or "" for the one marked default): s->known when a line names it
 */
void slurmsiteparse(const char *text, const char *partition, struct slurmsite *s);
/* MaxArraySize from the text of `scontrol show config`, 0 when it holds none */
long long slurmsitemaxarray(const char *text);
/* s for partition from the cluster: sinfo and scontrol run; what fails is warned about and left unknown */
void slurmsiteask(const char *partition, struct slurmsite *s);

#endif
