#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "natsort.h"
#include "util.h"

int
readfile(const char *path, struct buf *b, char *err, size_t n)
{
	char chunk[65536];
	ssize_t r;
	int fd;

	bufinit(b);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return seterr(err, n, "%s:", path);
	while ((r = read(fd, chunk, sizeof(chunk))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			seterr(err, n, "%s:", path);
			close(fd);
			return -1;
		}
		bufadd(b, chunk, (size_t)r);
	}
	close(fd);
	return 0;
}

int
readtail(const char *path, size_t max, struct buf *b, bool *partial, char *err, size_t n)
{
	char *chunk = xmalloc(max);
	struct stat st;
	size_t got = 0;
	ssize_t r = 1;
	off_t off;
	int fd;

	bufinit(b);
	*partial = false;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0) {
		seterr(err, n, "%s:", path);
		goto err;
	}
	off = (size_t)st.st_size > max ? st.st_size - (off_t)max : 0;
	while (got < max && (r = pread(fd, chunk + got, max - got, off + (off_t)got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			seterr(err, n, "%s:", path);
			goto err;
		}
		got += (size_t)r;
	}
	close(fd);
	bufadd(b, chunk, got);
	*partial = off > 0;
	free(chunk);
	return 0;
err:
	if (fd >= 0)
		close(fd);
	free(chunk);
	return -1;
}

bool
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

int
mkdirp(const char *path, char *err, size_t n)
{
	char *p = xstrdup(path), *s;
	struct stat st;

	for (s = *p ? p + 1 : p; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		{
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777) < 0 && errno != EEXIST) {
				seterr(err, n, "%s: cannot create the folder:", p);
				free(p);
				return -1;
			}
			if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode)) {
				errno = ENOTDIR;
				seterr(err, n, "%s: cannot create the folder:", p);
				free(p);
				return -1;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	return 0;
}

char *
tmpname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xasprintf(".%s.tmp", path);
	return xasprintf("%.*s/.%s.tmp", (int)(slash - path), path, slash + 1);
}

int
writefile(const char *path, const char *data, size_t len, char *err, size_t n)
{
	ssize_t w;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0)
		return seterr(err, n, "%s:", path);
	while (len > 0) {
		if ((w = write(fd, data, len)) < 0) {
			if (errno == EINTR)
				continue;
			seterr(err, n, "%s: write error:", path);
			close(fd);
			return -1;
		}
		data += w;
		len -= (size_t)w;
	}
	if (close(fd) < 0)
		return seterr(err, n, "%s: write error:", path);
	return 0;
}

char *
tmpnameown(const char *path)
{
	static unsigned long seq;
	const char *slash = strrchr(path, '/');

	seq++;
	if (!slash)
		return xasprintf(".%s.%ld.%lu.tmp", path, (long)getpid(), seq);
	return xasprintf("%.*s/.%s.%ld.%lu.tmp", (int)(slash - path), path, slash + 1, (long)getpid(), seq);
}

/* the temporary file writeatomic is writing, for fsdroptmp (kept only after fstrackwrites) */
static bool tracking;
static char pending[4096];
static volatile sig_atomic_t haspending;

void
fstrackwrites(void)
{
	tracking = true;
}

void
fsdroptmp(void)
{
	if (haspending)
		unlink(pending);
}

void
fstmpbegin(const char *tmp)
{
	if (tracking && strlen(tmp) < sizeof(pending)) {
		strcpy(pending, tmp);
		haspending = 1;
	}
}

void
fstmpend(void)
{
	haspending = 0;
}

int
writevia(const char *path, const char *tmp, const char *data, size_t len, char *err, size_t n)
{
	int r = 0, e;

	fstmpbegin(tmp);
	if (writefile(tmp, data, len, err, n) < 0) {
		r = -1;
	} else if (rename(tmp, path) < 0) {
		seterr(err, n, "%s:", path);
		r = -1;
	}
	/* errno stays the failure's, for a caller that names it otherwise */
	if (r < 0) {
		e = errno;
		unlink(tmp);
		errno = e;
	}
	fstmpend();
	return r;
}

int
writeatomic(const char *path, const char *data, size_t len, char *err, size_t n)
{
	/* a name of this process's own: two builds at once may write the same file */
	char *tmp = tmpnameown(path);
	int r = writevia(path, tmp, data, len, err, n);

	free(tmp);
	return r;
}

int
writereplace(const char *path, const char *data, size_t len, char *err, size_t n)
{
	char *tmp = tmpname(path);
	int r = writevia(path, tmp, data, len, err, n);

	free(tmp);
	return r;
}

int
touch(const char *path, char *err, size_t n)
{
	if (utimensat(AT_FDCWD, path, NULL, 0) < 0)
		return seterr(err, n, "%s:", path);
	return 0;
}

long long
fsmtime(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	return (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

int
fsdateafter(const char *path, long long ns, char *err, size_t n)
{
	struct timespec t[2];
	long long m = fsmtime(path);

	if (m < 0)
		return seterr(err, n, "%s:", path);
	if (m >= ns)
		return 0;
	t[0].tv_sec = t[1].tv_sec = (time_t)(ns / 1000000000LL);
	t[0].tv_nsec = t[1].tv_nsec = (long)(ns % 1000000000LL);
	if (utimensat(AT_FDCWD, path, t, 0) < 0)
		return seterr(err, n, "%s:", path);
	return 0;
}

long long
fsnow(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

void
fsahead(struct buf *b, long long ns)
{
	long long s = ns / 1000000000LL;

	if (s >= 2 * 86400)
		bufprintf(b, "%lld days", s / 86400);
	else if (s >= 3600)
		bufprintf(b, "%lld h %lld min", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		bufprintf(b, "%lld min", s / 60);
	else
		bufprintf(b, "%lld s", s);
}

char *
selfpath(void)
{
	char buf[PATH_MAX];
	ssize_t r = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (r <= 0)
		return NULL;
	buf[r] = '\0';
	return xstrdup(buf);
}

const char *
basepart(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

char *
dirpart(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(slash - path), path);
}

char *
fsrelto(const char *from, const char *to)
{
	struct buf b;
	size_t i, k = 0;

	/* k: the length of the longest common prefix of whole components */
	for (i = 0;; i++) {
		if ((!from[i] || from[i] == '/') && (!to[i] || to[i] == '/'))
			k = i;
		if (!from[i] || from[i] != to[i])
			break;
	}
	bufinit(&b);
	for (from += k; *from; from++)
		if (from[0] == '/' && from[1])
			bufputs(&b, b.len ? "/.." : "..");
	for (to += k; *to == '/'; to++)
		;
	if (*to)
		bufprintf(&b, "%s%s", b.len ? "/" : "", to);
	if (!b.len)
		bufputc(&b, '.');
	return b.s;
}

void
syncstart(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	close(fd);
}

int
syncpath(const char *path, char *err, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return seterr(err, n, "%s:", path);
	r = fsync(fd);
	close(fd);
	return r < 0 && errno != EINVAL ? seterr(err, n, "%s: write error:", path) : 0;
}

int
rmtree(const char *path, char *err, size_t n)
{
	struct dirent *e;
	struct stat st;
	int r = 0;
	DIR *d;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : seterr(err, n, "%s: cannot remove:", path);
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 && errno != ENOENT ? seterr(err, n, "%s: cannot remove:", path) : 0;
	/* a folder a program made read-only can still be emptied (when it is ours) */
	if ((st.st_mode & S_IRWXU) != S_IRWXU)
		chmod(path, (st.st_mode & 07777) | S_IRWXU);
	if (!(d = opendir(path)))
		return seterr(err, n, "%s: cannot remove:", path);
	while (r == 0 && (e = readdir(d))) {
		char *sub;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		sub = xasprintf("%s/%s", path, e->d_name);
		r = rmtree(sub, err, n);
		free(sub);
	}
	closedir(d);
	if (r == 0 && rmdir(path) < 0 && errno != ENOENT)
		return seterr(err, n, "%s: cannot remove:", path);
	return r;
}

/* add the regular files under dir/rel ("" at the top) to *v, as paths relative to dir */
static int
walkfiles(const char *dir, const char *rel, char ***v, size_t *nv, size_t *cap, char *err, size_t n)
{
	char *path = *rel ? xasprintf("%s/%s", dir, rel) : xstrdup(dir);
	struct dirent *e;
	int r = 0;
	DIR *d;

	if (!(d = opendir(path))) {
		seterr(err, n, "%s: cannot list the folder:", path);
		free(path);
		return -1;
	}
	while (r == 0 && (e = readdir(d))) {
		struct stat st;
		char *sub;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			r = seterr(err, n, "%s/%s:", path, e->d_name);
			break;
		}
		if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			continue;
		sub = *rel ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		if (S_ISDIR(st.st_mode)) {
			r = walkfiles(dir, sub, v, nv, cap, err, n);
			free(sub);
			continue;
		}
		if (*nv == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*v = xreallocarray(*v, *cap, sizeof(**v));
		}
		(*v)[(*nv)++] = sub;
	}
	closedir(d);
	free(path);
	return r;
}

int
listtree(const char *dir, char ***v, size_t *nv, char *err, size_t n)
{
	size_t cap = 0;

	*v = NULL;
	*nv = 0;
	if (walkfiles(dir, "", v, nv, &cap, err, n) < 0) {
		delstrv(*v, *nv);
		*v = NULL;
		*nv = 0;
		return -1;
	}
	natsort(*v, *nv);
	return 0;
}

/* the symbolic links fsresolve follows in one path before it gives up, as the kernel does (ELOOP) */
enum { MAXLINKS = 40 };

/* path made absolute into b (initialised here): the working folder in front of a relative one; 0 or -1 with err */
static int
absolute(const char *path, struct buf *b, char *err, size_t n)
{
	char *cwd;

	if (!*path) {
		errno = ENOENT;
		return seterr(err, n, "%s: cannot resolve:", path);
	}
	bufinit(b);
	if (path[0] != '/') {
		if (!(cwd = getcwd(NULL, 0))) {
			buffree(b);
			return seterr(err, n, "%s: cannot resolve:", path);
		}
		bufprintf(b, "%s/", cwd);
		free(cwd);
	}
	bufputs(b, path);
	return 0;
}

char *
fsresolve(const char *path, char *err, size_t n)
{
	char link[PATH_MAX];
	const char *c, *end;
	struct buf done, todo, next;
	struct stat st;
	size_t len, keep;
	ssize_t r;
	int links = 0;

	if (absolute(path, &todo, err, n) < 0)
		return NULL;
	/* done: the part resolved so far, "" for the root; it holds no link, so ".." is its folder part */
	bufinit(&done);
	for (c = todo.s; *c; c = end) {
		while (*c == '/')
			c++;
		if (!*c)
			break;
		end = strchrnul(c, '/');
		len = (size_t)(end - c);
		if (len == 1 && c[0] == '.')
			continue;
		if (len == 2 && c[0] == '.' && c[1] == '.') {
			while (done.len > 0 && done.s[--done.len] != '/')
				;
			done.s[done.len] = '\0';
			continue;
		}
		keep = done.len;
		bufputc(&done, '/');
		bufadd(&done, c, len);
		if (lstat(done.s, &st) < 0) {
			/* not there (yet): the rest is taken as written */
			if (errno == ENOENT || errno == ENOTDIR)
				continue;
			seterr(err, n, "%s: cannot resolve:", path);
			goto err;
		}
		if (!S_ISLNK(st.st_mode))
			continue;
		if (++links > MAXLINKS) {
			errno = ELOOP;
			seterr(err, n, "%s: cannot resolve:", path);
			goto err;
		}
		if ((r = readlink(done.s, link, sizeof(link))) < 0 || (size_t)r == sizeof(link)) {
			if (r >= 0)
				errno = ENAMETOOLONG;
			seterr(err, n, "%s: cannot resolve:", path);
			goto err;
		}
		/* the link's target in its place: from the root, or from the link's folder */
		done.len = link[0] == '/' ? 0 : keep;
		done.s[done.len] = '\0';
		bufinit(&next);
		bufadd(&next, link, (size_t)r);
		bufputs(&next, end);
		buffree(&todo);
		todo = next;
		end = todo.s;
	}
	buffree(&todo);
	if (done.len == 0)
		bufputc(&done, '/');
	return done.s;
err:
	buffree(&todo);
	buffree(&done);
	return NULL;
}

bool
fsinside(const char *inner, const char *outer)
{
	size_t len = strlen(outer);

	while (len > 0 && outer[len - 1] == '/')
		len--;
	return strncmp(inner, outer, len) == 0 && (inner[len] == '\0' || inner[len] == '/');
}

int
fsrelpattern(const char *what, const char *v, int maxparts, char *err, size_t n)
{
	const char *p = v;
	int parts = 1;

	if (!*v || *v == '/')
		return seterr(err, n, "'%s' must be a relative path pattern, not '%s'", what, v);
	for (;;) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return seterr(err, n, "'%s' has an empty, '.' or '..' component in '%s'", what, v);
		if (!e)
			break;
		p = e + 1;
		parts++;
	}
	if (parts > maxparts)
		return seterr(err, n, maxparts == 1 ? "'%s' must be a file name in the run folder, not '%s'"
		                                    : "'%s' may name at most one subfolder, not '%s'", what, v);
	return 0;
}
