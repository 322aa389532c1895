/*
 * eio.so, for tests (LD_PRELOAD): the first open(2) of a path ending in $RUNJA_TEST_EIO
 * fails with EIO, an I/O error as a failing disk or a lost NFS server gives; later ones
 * work. "First" across processes: the flag file $RUNJA_TEST_EIO_FLAG is made then.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

typedef int openfn(const char *, int, ...);

/* the next open(2) in the library chain */
static int
realopen(const char *path, int flags, mode_t mode)
{
	static openfn *next;

	if (!next)
		next = (openfn *)dlsym(RTLD_NEXT, "open");
	return next(path, flags, mode);
}

/* is this the one open that fails? */
static int
hit(const char *path)
{
	const char *suffix = getenv("RUNJA_TEST_EIO"), *flag = getenv("RUNJA_TEST_EIO_FLAG");
	size_t ls, lp;
	int fd;

	if (!suffix || !flag || !path)
		return 0;
	ls = strlen(suffix), lp = strlen(path);
	if (lp < ls || strcmp(path + lp - ls, suffix) != 0)
		return 0;
	if ((fd = realopen(flag, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
		return 0;
	close(fd);
	return 1;
}

int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (hit(path)) {
		errno = EIO;
		return -1;
	}
	return realopen(path, flags, mode);
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));
