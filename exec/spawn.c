#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"
#include "spawn.h"

void
spawnstops(sigset_t *set)
{
	static const int stop[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;
	size_t i;

	sigemptyset(set);
	for (i = 0; i < sizeof(stop) / sizeof(stop[0]); i++)
		if (sigaction(stop[i], NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
			sigaddset(set, stop[i]);
}

/* the signals spawnrun waits for: SIGCHLD, and spawnstops' */
static void
waitset(sigset_t *set)
{
	spawnstops(set);
	sigaddset(set, SIGCHLD);
}

void
spawnblock(sigset_t *old)
{
	sigset_t set;

	/* SIGCHLD ignored (a parent may leave it so) reaps children unseen: their status would be lost */
	signal(SIGCHLD, SIG_DFL);
	waitset(&set);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* in the forked child: set up and exec argv; on failure send errno through fd */
static _Noreturn void
child(char *const argv[], char *const envp[], int null, int logfd, int fd, const sigset_t *old, pid_t parent)
{
	ssize_t w;
	int e;

	setpgid(0, 0);
	/* a wrapper killed outright (SIGKILL) takes the program with it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	if (dup2(null, 0) < 0 || dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0)
		goto fail;
	sigprocmask(SIG_SETMASK, old, NULL);
	execvpe(argv[0], argv, envp);
fail:
	e = errno;
	w = write(fd, &e, sizeof(e));
	(void)w;
	_exit(127);
}

/* time left until deadline into *left; false when it has passed */
static bool
timeleft(const struct timespec *deadline, struct timespec *left)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	left->tv_sec = deadline->tv_sec - now.tv_sec;
	left->tv_nsec = deadline->tv_nsec - now.tv_nsec;
	if (left->tv_nsec < 0)
		left->tv_sec--, left->tv_nsec += 1000000000L;
	return left->tv_sec >= 0 && (left->tv_sec > 0 || left->tv_nsec > 0);
}

/*
 * Reap the children that have ended, except pid: has pid ended? It is left a zombie,
 * so its number (the group's) cannot be reused before the group is killed.
 */
static bool
mainended(pid_t pid)
{
	siginfo_t si;

	for (;;) {
		si.si_pid = 0;
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == 0)
			return false;
		if (si.si_pid == pid)
			return true;
		waitpid(si.si_pid, NULL, 0);
	}
}

/* SIGKILL every child of the wrapper (descendants that left the group come back to it) */
static void
killchildren(void)
{
	char path[64];
	long p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/children", (long)getpid());
	if (!(f = fopen(path, "re")))
		return;
	while (fscanf(f, "%ld", &p) == 1)
		kill((pid_t)p, SIGKILL);
	fclose(f);
}

/* SIGKILL the group and every child, reap until none is left; pid's status into *end */
static void
reapall(pid_t pid, struct spawnend *end)
{
	bool reaped = false;
	pid_t p;
	int st;

	for (;;) {
		if (!reaped)
			kill(-pid, SIGKILL);
		killchildren();
		if ((p = waitpid(-1, &st, 0)) < 0) {
			if (errno == EINTR)
				continue;
			break;  /* ECHILD: nothing left */
		}
		if (p == pid)
			end->status = st, reaped = true;
	}
}

/* wait for pid to end, the time limit, or a signal to pass on (then 2 s more at most) */
static void
supervise(pid_t pid, long timeout, struct spawnend *end)
{
	struct timespec deadline, left;
	siginfo_t si;
	sigset_t set;
	int sig;

	waitset(&set);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout;
	for (;;) {
		bool limited = timeout > 0 || end->signal;

		if (limited && !timeleft(&deadline, &left)) {
			end->timedout = !end->signal;
			return;
		}
		sig = limited ? sigtimedwait(&set, &si, &left) : sigwaitinfo(&set, &si);
		if (sig < 0)
			continue;  /* EAGAIN: the deadline is looked at above; EINTR */
		if (sig == SIGCHLD) {
			if (mainended(pid))
				return;
			continue;
		}
		if (end->signal)
			continue;  /* interrupted already: a second signal changes nothing */
		end->signal = sig;
		kill(-pid, sig);
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += 2;
	}
}

int
spawnrun(char *const argv[], char *const envp[], int logfd, long timeout, const sigset_t *old,
         struct spawnend *end, char *err, size_t n)
{
	pid_t parent = getpid(), pid;
	int fds[2], null, e = 0;
	struct rusage ru;
	ssize_t r;

	*end = (struct spawnend){0};
	if ((null = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
		return seterr(err, n, "/dev/null:");
	if (pipe2(fds, O_CLOEXEC) < 0) {
		close(null);
		return seterr(err, n, "cannot make a pipe:");
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if ((pid = fork()) < 0) {
		seterr(err, n, "cannot start a process:");
		close(null), close(fds[0]), close(fds[1]);
		return -1;
	}
	if (pid == 0)
		child(argv, envp, null, logfd, fds[1], old, parent);
	/* also here, so the group exists before the wrapper may signal it */
	setpgid(pid, pid);
	close(null);
	close(fds[1]);
	while ((r = read(fds[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	close(fds[0]);
	if (r == (ssize_t)sizeof(e))
		end->execerr = e;
	else
		supervise(pid, timeout, end);
	reapall(pid, end);
	getrusage(RUSAGE_CHILDREN, &ru);
	end->maxrss = ru.ru_maxrss;
	return 0;
}
