#ifndef RUNJA_SPAWN_H
#define RUNJA_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

/* how a supervised program ended */
struct spawnend {
	int status;     /* its wait status, when it ran (execerr 0) */
	int execerr;    /* errno of the execvp that failed, or 0 */
	int signal;     /* the SIGINT, SIGTERM or SIGHUP that interrupted the wrapper, or 0 */
	bool timedout;  /* killed at the time limit */
	long maxrss;    /* peak resident set size of the program and every descendant, KiB */
};

/* the signals that interrupt the wrapper and are passed on: SIGINT, SIGTERM and SIGHUP, less those ignored (nohup) */
void spawnstops(sigset_t *set);
/*
 * Block SIGCHLD (its action made the default), and SIGINT, SIGTERM and SIGHUP unless they
 * are ignored (nohup), so they wait for spawnrun; the mask before goes to *old (restore it when done).
 */
void spawnblock(sigset_t *old);
/*
 * Run argv (argv[0] looked up in PATH; NULL-terminated) with environment envp in a
 * process group of its own: stdin /dev/null, stdout and stderr to logfd, signal mask
 * *old. Wait at most timeout seconds (0: no limit); SIGINT, SIGTERM or SIGHUP to the
 * wrapper is passed on to the group, which gets 2 s before SIGKILL. Once the program is
 * gone, SIGKILL what is left of its group and reap every descendant (the wrapper is
 * their subreaper). Needs spawnblock first. 0 with *end, or -1 with err (no process).
 */
int spawnrun(char *const argv[], char *const envp[], int logfd, long timeout, const sigset_t *old,
             struct spawnend *end, char *err, size_t n);

#endif
