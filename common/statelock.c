/*
 * The locks of the run state (state.h): a run's, held while one build processes it, and
 * the report's. flock(2) locks: the kernel drops them when the process that took them
 * ends, however it ends, so no lock is ever left to remove by hand.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fs.h"
#include "state.h"
#include "util.h"

int
statelock(const char *state, const char *id, bool *busy, char *err, size_t n)
{
	char *path = statein(state, STATELOCK, id);
	int fd = statelockpath(path, id, busy, err, n);

	free(path);
	return fd;
}

/* write what a lock is for into it, once this process holds it: for a person who looks */
static void
statelocknote(int fd, const char *what)
{
	size_t len = strlen(what);

	if (ftruncate(fd, 0) == 0 && pwrite(fd, what, len, 0) == (ssize_t)len)
		(void)pwrite(fd, "\n", 1, (off_t)len);
}

int
statelockpath(const char *path, const char *what, bool *busy, char *err, size_t n)
{
	char *dir = dirpart(path);
	int fd = -1;

	*busy = false;
	if (mkdirp(dir, err, n) < 0)
		goto out;
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		seterr(err, n, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		*busy = true;
	else
		statelocknote(fd, what);
out:
	free(dir);
	return fd;
}

int
statelockwait(int fd, const char *what, char *err, size_t n)
{
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return seterr(err, n, "waiting for a run's lock: %s", strerror(errno));
	statelocknote(fd, what);
	return 0;
}

bool
statelockheld(const char *state, const char *id)
{
	char *path = statein(state, STATELOCK, id);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool held = false;

	free(path);
	if (fd < 0)
		return false;
	/* a shared lock, taken only when no process holds the run's, and released at once */
	if (flock(fd, LOCK_SH | LOCK_NB) < 0)
		held = errno == EWOULDBLOCK;
	else
		flock(fd, LOCK_UN);
	close(fd);
	return held;
}
