#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/state.h"
#include "common/util.h"
#include "warm.h"

/* how long a new server may take to import its modules and listen */
#define STARTSECONDS 120
/* how long a server stays up without work when RUNJA_WARM_IDLE does not say */
#define IDLESECONDS 20

static unsigned long long
fnv(unsigned long long h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h ^ 0xff) * 1099511628211ULL;  /* a separator: ("ab", "c") differs from ("a", "bc") */
}

/* the value of variable name in envp, or "" */
static const char *
envget(char *const envp[], const char *name)
{
	size_t len = strlen(name);

	for (; *envp; envp++)
		if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
			return *envp + len + 1;
	return "";
}

unsigned long long
warmkey(char *const argv[], const char *cwd, char *const envp[])
{
	char *real = realpath(argv[1], NULL);
	unsigned long long h = 1469598103934665603ULL;

	h = fnv(h, argv[0]);
	h = fnv(h, real ? real : argv[1]);
	h = fnv(h, cwd);
	h = fnv(h, envget(envp, "PYTHONPATH"));
	h = fnv(h, envget(envp, "PYTHONHOME"));
	h = fnv(h, RUNJA_VERSION);
	free(real);
	return h;
}

char *
warmfind(const char *installdir)
{
	char *self = selfpath(), *dir, *p;

	if (self) {
		dir = dirpart(self);
		p = xasprintf("%s/exec/warm.py", dir);
		free(dir), free(self);
		if (exists(p))
			return p;
		free(p);
	}
	p = xasprintf("%s/warm.py", installdir);
	if (exists(p))
		return p;
	free(p);
	return NULL;
}

double
warmidle(const char *s)
{
	char *end;
	double idle;

	if (s && (idle = strtod(s, &end)) > 0 && !*end)
		return idle;
	return IDLESECONDS;
}

/* a connection to the server listening at path, or -1 */
static int
dial(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(a.sun_path))
		return -1;
	strcpy(a.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* start a server detached: a session of its own, no descriptor of ours, its output to logpath; its pid or -1 */
static pid_t
startserver(const struct warmopts *o, const char *python, const char *script, const char *sock, const char *logpath)
{
	pid_t pid, srv = -1;
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(p[0]), close(p[1]);
		return -1;
	}
	if (pid == 0) {
		pid_t g;

		setsid();
		if ((g = fork()) == 0) {
			char idle[32];
			sigset_t none;
			int null = open("/dev/null", O_RDWR), log = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0666);

			dup2(null, 0);
			dup2(log >= 0 ? log : null, 1);
			dup2(log >= 0 ? log : null, 2);
			closefrom(3);
			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
			snprintf(idle, sizeof(idle), "%g", o->idle);
			/* the server's heap, and so its runs', in transparent huge pages (a run's own
			   environment is the one its request carries) */
			hugeheapenv();
			execlp(python, python, o->server, sock, script, idle, (char *)NULL);
			_exit(127);
		}
		if (write(p[1], &g, sizeof(g)) != (ssize_t)sizeof(g))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &srv, sizeof(srv)) != (ssize_t)sizeof(srv))
		srv = -1;
	close(p[0]);
	waitpid(pid, NULL, 0);
	return srv;
}

/* the last line of the file at path into s (for why a server did not start), or "" */
static void
lastline(const char *path, char *s, size_t n)
{
	struct buf b;
	char *end, *line;

	*s = '\0';
	if (readfile(path, &b, NULL, 0) == 0) {
		for (end = b.s + b.len; end > b.s && end[-1] == '\n'; end--)
			;
		*end = '\0';
		line = strrchr(b.s, '\n') ? strrchr(b.s, '\n') + 1 : b.s;
		snprintf(s, n, "%s", line);
	}
	buffree(&b);
}

/* a connection to the server for argv, started when there is none (under STATE/warm/KEY.lock); -1 with err */
static int
getserver(const struct warmopts *o, char *const argv[], const char *base, char *err, size_t n)
{
	char *sock = xasprintf("%s.sock", base), *lock = xasprintf("%s.lock", base), *log = xasprintf("%s.log", base);
	char *dir = dirpart(base), why[256];
	struct timespec tick = {0, 10000000};
	int fd = dial(sock), lfd = -1, i;
	pid_t srv;

	if (fd >= 0)
		goto out;
	if (mkdirp(dir, err, n) < 0)
		goto out;
	if ((lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) < 0 || flock(lfd, LOCK_EX) < 0) {
		seterr(err, n, "%s:", lock);
		goto out;
	}
	/* another wrapper may have started one meanwhile */
	if ((fd = dial(sock)) >= 0)
		goto out;
	if (access(o->server, R_OK) < 0) {
		seterr(err, n, "%s:", o->server);
		goto out;
	}
	if ((srv = startserver(o, argv[0], argv[1], sock, log)) < 0) {
		seterr(err, n, "cannot start %s:", o->server);
		goto out;
	}
	for (i = 0; i < STARTSECONDS * 100 && (fd = dial(sock)) < 0; i++) {
		if (kill(srv, 0) < 0 && errno == ESRCH) {
			lastline(log, why, sizeof(why));
			seterr(err, n, "the warm %s did not start%s%s", argv[0], *why ? ": " : "", why);
			goto out;
		}
		nanosleep(&tick, NULL);
	}
	if (fd < 0)
		seterr(err, n, "the warm %s did not listen within %d s", argv[0], STARTSECONDS);
out:
	if (lfd >= 0)
		close(lfd);  /* and the lock with it */
	free(sock), free(lock), free(log), free(dir);
	return fd;
}

/* send the request: argv, envp, the cwd, and stdin and the log as descriptors; 0 or -1 */
static int
sendrequest(int fd, char *const argv[], char *const envp[], int null, int logfd)
{
	json_t *req = json_object(), *a = json_array(), *e = json_array();
	char *text, *cwd = getcwd(NULL, 0), ctl[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov;
	struct msghdr m = {0};
	struct cmsghdr *c;
	size_t len, off;
	ssize_t w;
	int ret = -1;

	for (; *argv; argv++)
		json_array_append_new(a, json_string(*argv));
	for (; *envp; envp++) {
		json_t *v = json_string(*envp);  /* NULL: a variable that is not UTF-8 cannot be sent, left out */

		if (v)
			json_array_append_new(e, v);
	}
	json_object_set_new(req, "argv", a);
	json_object_set_new(req, "env", e);
	json_object_set_new(req, "cwd", json_string(cwd ? cwd : "."));
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	free(cwd);
	if (!text)
		return -1;
	len = strlen(text);
	text = xreallocarray(text, len + 2, 1);
	text[len++] = '\n';
	text[len] = '\0';
	iov = (struct iovec){text, len};
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	memset(ctl, 0, sizeof(ctl));
	m.msg_control = ctl;
	m.msg_controllen = sizeof(ctl);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(2 * sizeof(int));
	memcpy(CMSG_DATA(c), (int[]){null, logfd}, 2 * sizeof(int));
	if ((w = sendmsg(fd, &m, MSG_NOSIGNAL)) <= 0)
		goto out;
	for (off = (size_t)w; off < len; off += (size_t)w)
		if ((w = send(fd, text + off, len - off, MSG_NOSIGNAL)) <= 0)
			goto out;
	ret = 0;
out:
	free(text);
	return ret;
}

/* read the next line from fd into b (without '\n'); 1 a line, 0 end of file, -1 error */
static int
readline(int fd, struct buf *b)
{
	char c;
	ssize_t r;

	b->len = 0;
	b->s[0] = '\0';
	while ((r = read(fd, &c, 1)) == 1 && c != '\n')
		bufputc(b, c);
	if (r == 1)
		return 1;
	return r == 0 ? 0 : -1;
}

/* milliseconds from now until deadline, at least 0 */
static int
msleft(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000LL + (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms > 1000000000 ? 1000000000 : (int)ms;
}

static void
later(struct timespec *t, long seconds)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += seconds;
}

/*
 * Wait for the server's word that pid has ended, the time limit, or a signal to pass on
 * (2 s more then); its wait status into *end. 0, or -1 with err (the server went away).
 */
static int
supervise(int fd, pid_t pid, long timeout, struct spawnend *end, char *err, size_t n)
{
	struct timespec deadline;
	struct signalfd_siginfo si;
	struct buf line;
	sigset_t set;
	json_t *j;
	int sfd, r, ret = -1;
	bool limited = timeout > 0, killed = false;

	spawnstops(&set);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	later(&deadline, timeout);
	bufinit(&line);
	for (;;) {
		struct pollfd p[2] = {{fd, POLLIN, 0}, {sfd, POLLIN, 0}};

		r = poll(p, sfd >= 0 ? 2 : 1, limited ? msleft(&deadline) : -1);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && sfd >= 0 && (p[1].revents & POLLIN) && read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si) &&
		    !end->signal && !killed) {
			end->signal = (int)si.ssi_signo;
			kill(-pid, end->signal);
			later(&deadline, 2);
			limited = true;
		}
		if (r > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			if (readline(fd, &line) != 1 || !(j = json_loads(line.s, 0, NULL))) {
				seterr(err, n, "the warm Python server ended while the program ran");
				break;
			}
			end->status = (int)json_integer_value(json_object_get(j, "status"));
			end->maxrss = (long)json_integer_value(json_object_get(j, "maxrss"));
			json_decref(j);
			ret = 0;
			break;
		}
		if (limited && msleft(&deadline) == 0) {
			if (killed) {
				seterr(err, n, "the warm Python server did not say that the killed program ended");
				break;
			}
			end->timedout = !end->signal;
			kill(-pid, SIGKILL);
			killed = true;
			later(&deadline, 10);
		}
	}
	/* what it left in its group goes with it */
	kill(-pid, SIGKILL);
	buffree(&line);
	if (sfd >= 0)
		close(sfd);
	return ret;
}

int
warmrun(const struct warmopts *o, char *const argv[], char *const envp[], int logfd, long timeout,
        struct spawnend *end, char *err, size_t n)
{
	char *cwd = getcwd(NULL, 0), *base, *dir = statein(o->state, STATEWARM, NULL);
	struct pollfd p;
	struct buf line;
	json_t *j = NULL;
	int fd = -1, null = -1, tries, ret = 1;
	pid_t pid = 0;

	*end = (struct spawnend){0};
	*err = '\0';
	base = xasprintf("%s/%016llx", dir, warmkey(argv, cwd ? cwd : ".", envp));
	free(cwd), free(dir);
	bufinit(&line);
	if ((null = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
		seterr(err, n, "/dev/null:");
		goto out;
	}
	/*
	 * three times: a server may end (idle, or its modules changed) between our connect and
	 * our request, and a new one find that a module changed while it imported it
	 */
	for (tries = 0; tries < 3 && !pid; tries++) {
		if (fd >= 0)
			close(fd);
		if ((fd = getserver(o, argv, base, err, n)) < 0)
			goto out;
		if (sendrequest(fd, argv, envp, null, logfd) < 0)
			continue;
		p = (struct pollfd){fd, POLLIN, 0};
		if (poll(&p, 1, 30000) <= 0 || readline(fd, &line) != 1 || !(j = json_loads(line.s, 0, NULL)))
			continue;
		if (json_is_integer(json_object_get(j, "pid")))
			pid = (pid_t)json_integer_value(json_object_get(j, "pid"));
		else if (json_is_string(json_object_get(j, "error")))
			seterr(err, n, "the warm Python server refused: %s", json_string_value(json_object_get(j, "error")));
		json_decref(j);
	}
	if (!pid) {
		if (!*err)
			seterr(err, n, "no answer from the warm Python server");
		goto out;
	}
	ret = supervise(fd, pid, timeout, end, err, n);
out:
	if (fd >= 0)
		close(fd);
	if (null >= 0)
		close(null);
	buffree(&line);
	free(base);
	return ret;
}
