#ifndef RUNJA_WARM_H
#define RUNJA_WARM_H

#include <signal.h>
#include <stddef.h>

#include "spawn.h"

/* where a warm Python is found and kept */
struct warmopts {
	const char *state;   /* STATE (OUT/.runja): the servers' sockets and locks are in STATE/warm */
	const char *server;  /* the fork server's script, warm.py */
	double idle;         /* seconds a server stays up without work */
};

/*
 * Run argv = PYTHON SCRIPT ARG... through a warm Python (process/warm.py): a fork server
 * that has imported SCRIPT's modules once, started detached when there is none for this
 * PYTHON, SCRIPT and folder. The run is a child of the server in a process group of its
 * own, stdin /dev/null, stdout and stderr to logfd, environment envp, the cwd of the
 * wrapper; it is supervised as spawnrun does (timeout, SIGINT/SIGTERM/SIGHUP passed on,
 * its group killed once it has ended). Needs spawnblock first. Returns 0 with *end (the
 * program ran), 1 with err when no warm Python could be had (nothing ran: run it cold),
 * or -1 with err (the server failed while the program ran).
 */
int warmrun(const struct warmopts *o, char *const argv[], char *const envp[], int logfd, long timeout,
            struct spawnend *end, char *err, size_t n);

/* the socket's name for argv and the cwd: a hash of PYTHON, SCRIPT's real path, the cwd, PYTHONPATH, PYTHONHOME */
unsigned long long warmkey(char *const argv[], const char *cwd, char *const envp[]);
/* the fork server's script: exec/warm.py beside the running program (a build tree), else installdir/warm.py, else NULL; caller frees */
char *warmfind(const char *installdir);
/* seconds a server stays up without work, from RUNJA_WARM_IDLE's value s (NULL when unset): 20 unless s is a number above 0 */
double warmidle(const char *s);

#endif
