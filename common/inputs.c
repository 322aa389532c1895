#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "inputs.h"
#include "util.h"
#include "xxh64.h"

/* the first line of a record */
#define HEADER "runja-inputs 1"
/* the bytes read from a frame at a time: a multiple of the hash's 32-byte stripe that stays in L2 */
enum { READSIZE = 256 * 1024, STRIPE = 32 };


/* the hash of the rest of the file fd into *h, through buf (READSIZE bytes); 0 or -1 with errno */
static int
hashfd(int fd, unsigned char *buf, uint64_t *h)
{
	uint64_t v[4], total = 0;
	size_t got = 0;
	ssize_t r;

	xxh64init(v);
	while ((r = read(fd, buf + got, READSIZE - got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		got += (size_t)r;
		if (got == READSIZE) {
			xxh64stripes(v, buf, READSIZE / STRIPE);
			total += got;
			got = 0;
		}
	}
	xxh64stripes(v, buf, got / STRIPE);
	total += got;
	*h = xxh64finish(v, total, buf + got / STRIPE * STRIPE);
	return 0;
}

/* the path of the file name in in's folder: name itself when it is absolute (a program's file); caller frees */
static char *
inpath(const struct inputs *in, const char *name)
{
	return name[0] == '/' ? xstrdup(name) : xasprintf("%s/%s", in->dir, name);
}

/* hash frame i of in by reading it, through *buf (allocated here when NULL; caller frees); 0 or -1 with err */
static int
hashframe(struct inputs *in, size_t i, unsigned char **buf, char *err, size_t errn)
{
	struct inputframe *f = &in->frames[i];
	char *path;
	int fd, r;

	if (!in->dir)
		return seterr(err, errn, "%s: not scanned from a run folder, cannot be read", f->name);
	if (!*buf)
		*buf = xmalloc(READSIZE);
	path = inpath(in, f->name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return seterr(err, errn, "%s/%s: cannot open:", in->id, f->name);
	r = hashfd(fd, *buf, &f->hash);
	if (r < 0)
		seterr(err, errn, "%s/%s: read error:", in->id, f->name);
	close(fd);
	f->hashed = r == 0;
	return r;
}

int
inputshashall(struct inputs *in, char *err, size_t errn)
{
	unsigned char *buf = NULL;
	int r = 0;
	size_t i;

	for (i = 0; r == 0 && i < in->nframes; i++)
		if (!in->frames[i].hashed)
			r = hashframe(in, i, &buf, err, errn);
	free(buf);
	return r;
}

int
inputshashone(struct inputs *in, size_t i, char *err, size_t errn)
{
	unsigned char *buf = NULL;
	int r = in->frames[i].hashed ? 0 : hashframe(in, i, &buf, err, errn);

	free(buf);
	return r;
}

void
inputssethash(struct inputs *in, size_t i, const void *bytes, size_t len)
{
	in->frames[i].hash = inputshash(bytes, len);
	in->frames[i].hashed = true;
}

size_t
inputsfind(const struct inputs *in, const char *name)
{
	size_t i;

	for (i = 0; i < in->nframes && strcmp(in->frames[i].name, name) != 0; i++)
		;
	return i;
}

long long
inputsnewest(const struct inputs *in)
{
	long long m = 0;
	size_t i;

	for (i = 0; i < in->nframes; i++)
		if (in->frames[i].mtime > m)
			m = in->frames[i].mtime;
	return m;
}

void
delinputs(struct inputs *in)
{
	while (in->nframes > 0)
		free(in->frames[--in->nframes].name);
	free(in->frames);
	free(in->key), free(in->dir), free(in->id);
	memset(in, 0, sizeof(*in));
}

/* append a frame named name (taken) to in */
static struct inputframe *
addframe(struct inputs *in, char *name, size_t *cap)
{
	struct inputframe *f;

	if (in->nframes == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		in->frames = xreallocarray(in->frames, *cap, sizeof(*in->frames));
	}
	f = &in->frames[in->nframes++];
	memset(f, 0, sizeof(*f));
	f->name = name;
	return f;
}

/* is some name of frames[0..n) there twice? then *second is the first repeat's index and *first its earlier one */
static bool
findtwice(const struct inputframe *frames, size_t n, size_t *first, size_t *second)
{
	size_t cap = 16, mask, i, k, *slot;

	while (cap < 2 * n)
		cap *= 2;
	mask = cap - 1;
	slot = xreallocarray(NULL, cap, sizeof(*slot));
	memset(slot, 0xff, cap * sizeof(*slot));
	for (i = 0; i < n; i++) {
		const char *name = frames[i].name;

		for (k = inputshash(name, strlen(name)) & mask; slot[k] != SIZE_MAX; k = (k + 1) & mask) {
			if (strcmp(frames[slot[k]].name, name) == 0) {
				*first = slot[k], *second = i;
				free(slot);
				return true;
			}
		}
		slot[k] = i;
	}
	free(slot);
	return false;
}

/* the modification time of st in ns since the epoch into *ns; -1 when it does not fit */
static int
mtimens(const struct stat *st, long long *ns)
{
	long long s;

	if (__builtin_mul_overflow((long long)st->st_mtim.tv_sec, 1000000000LL, &s) ||
	    __builtin_add_overflow(s, (long long)st->st_mtim.tv_nsec, ns))
		return -1;
	return 0;
}

/* stat frame name of in into a new frame; 0 or -1 with err */
static int
scanframe(struct inputs *in, const char *name, size_t *cap, char *err, size_t errn)
{
	struct inputframe *f;
	struct stat st;
	char *path;
	int r;

	if (!*name)
		return seterr(err, errn, "%s: a frame with an empty name", in->id);
	path = inpath(in, name);
	r = stat(path, &st);
	free(path);
	if (r < 0)
		return seterr(err, errn, "%s/%s:", in->id, name);
	if (!S_ISREG(st.st_mode))
		return seterr(err, errn, "%s/%s: not a regular file", in->id, name);
	f = addframe(in, xstrdup(name), cap);
	f->size = (long long)st.st_size;
	if (mtimens(&st, &f->mtime) < 0)
		return seterr(err, errn, "%s/%s: modification time out of range", in->id, name);
	return 0;
}

int
inputsscan(struct inputs *in, const char *key, const char *rundir, const char *id, char *const *names, size_t n,
           char *err, size_t errn)
{
	struct timespec now;
	size_t cap = 0, i, first, second;

	memset(in, 0, sizeof(*in));
	in->key = xstrdup(key);
	in->dir = xstrdup(rundir);
	in->id = xstrdup(id ? id : rundir);
	clock_gettime(CLOCK_REALTIME, &now);
	in->scanned = (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
	for (i = 0; i < n; i++)
		if (scanframe(in, names[i], &cap, err, errn) < 0)
			goto err;
	if (findtwice(in->frames, in->nframes, &first, &second)) {
		seterr(err, errn, "%s/%s: listed twice", in->id, names[second]);
		goto err;
	}
	return 0;
err:
	delinputs(in);
	return -1;
}

/* can frame f of record old be trusted by its time: modified well before old's scan? */
static bool
settled(const struct inputs *old, const struct inputframe *f)
{
	/* the difference in unsigned arithmetic: exact, as it lies in (0, 2^64) */
	return f->mtime < old->scanned && (unsigned long long)old->scanned - (unsigned long long)f->mtime >= INPUTSRACYNS;
}

/* does anything tell old from cur without reading a frame: key, frame count, names, sizes? */
static bool
differs(const struct inputs *old, const struct inputs *cur)
{
	size_t i;

	if (strcmp(old->key, cur->key) != 0 || old->nframes != cur->nframes)
		return true;
	for (i = 0; i < cur->nframes; i++)
		if (strcmp(old->frames[i].name, cur->frames[i].name) != 0 || old->frames[i].size != cur->frames[i].size)
			return true;
	return false;
}

int
inputscompare(const struct inputs *old, struct inputs *cur, enum inputsdiff *d, char *err, size_t errn)
{
	unsigned char *buf = NULL;
	bool touched = false;
	size_t i;

	*d = INPUTSCHANGED;
	if (differs(old, cur))
		return 0;
	for (i = 0; i < cur->nframes; i++) {
		const struct inputframe *o = &old->frames[i];
		struct inputframe *c = &cur->frames[i];
		bool trusted = o->mtime == c->mtime && settled(old, o);

		if (trusted && !c->hashed) {
			c->hash = o->hash;
			c->hashed = true;
			continue;
		}
		if (!c->hashed && hashframe(cur, i, &buf, err, errn) < 0) {
			free(buf);
			return -1;
		}
		if (c->hash != o->hash) {
			free(buf);
			return 0;
		}
		touched |= !trusted;
	}
	free(buf);
	*d = touched ? INPUTSTOUCHED : INPUTSSAME;
	return 0;
}

/* append s to out escaped: '\\', tab and line break as "\\\\", "\\t", "\\n" */
static void
escape(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			bufputs(out, "\\\\");
		else if (*s == '\t')
			bufputs(out, "\\t");
		else if (*s == '\n')
			bufputs(out, "\\n");
		else
			bufputc(out, *s);
	}
}

void
inputstext(const struct inputs *in, struct buf *out)
{
	size_t i;

	bufputs(out, HEADER "\nkey\t");
	escape(out, in->key);
	bufprintf(out, "\nscanned\t%lld\n", in->scanned);
	for (i = 0; i < in->nframes; i++) {
		const struct inputframe *f = &in->frames[i];

		escape(out, f->name);
		bufprintf(out, "\t%lld\t%lld\t%016llx\n", f->size, f->mtime, (unsigned long long)f->hash);
	}
}

int
inputswrite(const char *path, const struct inputs *in, char *err, size_t errn)
{
	struct timespec now;
	struct buf text;
	char *tmp, *dir;
	size_t i;
	int r;

	for (i = 0; i < in->nframes; i++)
		if (!in->frames[i].hashed)
			return seterr(err, errn, "%s: frame '%s' is not hashed", path, in->frames[i].name);
	bufinit(&text);
	inputstext(in, &text);
	/* a name of this writer's own: two builds may write the same record at once */
	clock_gettime(CLOCK_REALTIME, &now);
	dir = dirpart(path);
	tmp = xasprintf("%s/.%s.%ld.%lx.tmp", dir, basepart(path), (long)getpid(), (unsigned long)now.tv_nsec);
	r = writefile(tmp, text.s, text.len, err, errn);
	if (r == 0)
		r = syncpath(tmp, err, errn);
	if (r == 0 && rename(tmp, path) < 0)
		r = seterr(err, errn, "%s:", path);
	if (r < 0)
		unlink(tmp);
	free(tmp);
	free(dir);
	buffree(&text);
	return r;
}

/* reading a record: where in the text, and what to name in messages */
struct reader {
	const char *path;
	const char *s, *end;  /* the rest of the text */
	size_t line;          /* the number of the line read last */
};

/* the next line into *s, *n (no line break); 1, 0 at the end, or -1 with err for a NUL byte or a last line cut short */
static int
nextline(struct reader *r, const char **s, size_t *n, char *err, size_t errn)
{
	const char *nl;

	if (r->s == r->end)
		return 0;
	r->line++;
	if (!(nl = memchr(r->s, '\n', (size_t)(r->end - r->s))))
		return seterr(err, errn, "%s:%zu: cut short (the last line has no line break)", r->path, r->line);
	if (memchr(r->s, '\0', (size_t)(nl - r->s)))
		return seterr(err, errn, "%s:%zu: holds a NUL byte", r->path, r->line);
	*s = r->s;
	*n = (size_t)(nl - r->s);
	r->s = nl + 1;
	return 1;
}

/* the n escaped bytes at s, unescaped; caller frees; NULL for a '\\' followed by another byte than '\\', 't', 'n' */
static char *
unescape(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\') {
			*o++ = s[i];
			continue;
		}
		if (++i == n || (s[i] != '\\' && s[i] != 't' && s[i] != 'n')) {
			free(out);
			return NULL;
		}
		*o++ = s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' : '\\';
	}
	*o = '\0';
	return out;
}

/* why a number does not parse */
enum numerr { NUMOK, NUMBAD, NUMRANGE, NUMNEGATIVE };

/* the n bytes at s as a decimal number in *v: no '+', no leading zero, no "-0"; '-' only when neg */
static enum numerr
parsenum(const char *s, size_t n, bool neg, long long *v)
{
	bool minus = n > 0 && s[0] == '-';
	unsigned long long m = 0, max = minus ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	size_t i = minus;

	if (minus && !neg)
		return NUMNEGATIVE;
	if (i == n || (s[i] == '0' && (n - i > 1 || minus)))
		return NUMBAD;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return NUMBAD;
		if (m > (max - (unsigned long long)(s[i] - '0')) / 10)
			return NUMRANGE;
		m = m * 10 + (unsigned long long)(s[i] - '0');
	}
	*v = minus ? (long long)(0 - m) : (long long)m;
	return NUMOK;
}

/* parse number field what of r's current line; 0 or -1 with err */
static int
numfield(struct reader *r, const char *what, const char *s, size_t n, bool neg, long long *v, char *err, size_t errn)
{
	switch (parsenum(s, n, neg, v)) {
	case NUMOK:
		return 0;
	case NUMNEGATIVE:
		return seterr(err, errn, "%s:%zu: negative %s", r->path, r->line, what);
	case NUMRANGE:
		return seterr(err, errn, "%s:%zu: %s out of range", r->path, r->line, what);
	default:
		return seterr(err, errn, "%s:%zu: %s is not a decimal number (digits%s, no '+', no leading zero)", r->path,
		              r->line, what, neg ? " after an optional '-'" : "");
	}
}

/* the 16 lowercase hex digits at s (n bytes) into *h; -1 when they are not that */
static int
parsehex(const char *s, size_t n, uint64_t *h)
{
	size_t i;

	if (n != 16)
		return -1;
	*h = 0;
	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			*h = *h << 4 | (uint64_t)(s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			*h = *h << 4 | (uint64_t)(s[i] - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

/* the next line, which must read "label<TAB>VALUE" (what says what VALUE is): VALUE into *v, *vn; 0 or -1 with err */
static int
labelled(struct reader *r, const char *label, const char *what, const char **v, size_t *vn, char *err, size_t errn)
{
	size_t ln = strlen(label), n;
	const char *s;
	int got;

	if ((got = nextline(r, &s, &n, err, errn)) <= 0)
		return got < 0 ? -1 : seterr(err, errn, "%s:%zu: cut short (no %s line)", r->path, r->line + 1, label);
	if (n <= ln || memcmp(s, label, ln) != 0 || s[ln] != '\t')
		return seterr(err, errn, "%s:%zu: expected the %s line ('%s', a tab, %s)", r->path, r->line, label, label, what);
	*v = s + ln + 1;
	*vn = n - ln - 1;
	if (memchr(*v, '\t', *vn))
		return seterr(err, errn, "%s:%zu: a second tab in the %s line%s", r->path, r->line, label,
		              strcmp(label, "key") == 0 ? " (a tab in the key is written '\\t')" : "");
	return 0;
}

/* the first three lines: version, key, scanned; 0 or -1 with err */
static int
parsehead(struct reader *r, struct inputs *in, char *err, size_t errn)
{
	const char *s;
	size_t n;
	int got;

	if ((got = nextline(r, &s, &n, err, errn)) <= 0)
		return got < 0 ? -1 : seterr(err, errn, "%s:1: empty (not a runja inputs record)", r->path);
	if (n != strlen(HEADER) || memcmp(s, HEADER, n) != 0)
		return seterr(err, errn, "%s:1: %s", r->path, n > 13 && memcmp(s, "runja-inputs ", 13) == 0
		              ? "a record of another version (this runja reads version 1)"
		              : "not a runja inputs record (its first line is not '" HEADER "')");
	if (labelled(r, "key", "the key", &s, &n, err, errn) < 0)
		return -1;
	if (!(in->key = unescape(s, n)))
		return seterr(err, errn, "%s:%zu: bad escape in the key ('\\' before another byte than '\\', 't', 'n')",
		              r->path, r->line);
	if (labelled(r, "scanned", "ns since the epoch", &s, &n, err, errn) < 0)
		return -1;
	return numfield(r, "scanned", s, n, true, &in->scanned, err, errn);
}

/* a frame's line s (n bytes) into a new frame of in; 0 or -1 with err */
static int
parseframe(struct reader *r, const char *s, size_t n, struct inputs *in, size_t *cap, char *err, size_t errn)
{
	const char *field[4], *end = s + n, *tab;
	size_t len[4], k = 0;
	struct inputframe *f;
	char *name;

	for (;; s = tab + 1) {
		tab = memchr(s, '\t', (size_t)(end - s));
		if (k < 4)
			field[k] = s, len[k] = (size_t)((tab ? tab : end) - s);
		k++;
		if (!tab)
			break;
	}
	if (k != 4)
		return seterr(err, errn, "%s:%zu: expected 4 tab-separated fields (name, size, mtime, hash), found %zu",
		              r->path, r->line, k);
	if (len[0] == 0)
		return seterr(err, errn, "%s:%zu: empty frame name", r->path, r->line);
	if (!(name = unescape(field[0], len[0])))
		return seterr(err, errn, "%s:%zu: bad escape in the frame name ('\\' before another byte than '\\', 't', 'n')",
		              r->path, r->line);
	f = addframe(in, name, cap);
	if (numfield(r, "size", field[1], len[1], false, &f->size, err, errn) < 0 ||
	    numfield(r, "mtime", field[2], len[2], true, &f->mtime, err, errn) < 0)
		return -1;
	if (parsehex(field[3], len[3], &f->hash) < 0)
		return seterr(err, errn, "%s:%zu: hash is not 16 lowercase hex digits", r->path, r->line);
	f->hashed = true;
	return 0;
}

int
inputsparse(const char *path, const char *text, size_t len, struct inputs *in, char *err, size_t errn)
{
	size_t cap = 0, first, second, n;
	struct reader r;
	const char *s;
	int got;

	memset(in, 0, sizeof(*in));
	if (!text)
		text = "", len = 0;
	r = (struct reader){path, text, text + len, 0};
	if (parsehead(&r, in, err, errn) < 0)
		goto err;
	while ((got = nextline(&r, &s, &n, err, errn)) > 0)
		if (parseframe(&r, s, n, in, &cap, err, errn) < 0)
			goto err;
	if (got < 0)
		goto err;
	/* frame k is on line 4 + k */
	if (findtwice(in->frames, in->nframes, &first, &second)) {
		seterr(err, errn, "%s:%zu: frame listed twice (first on line %zu)", path, second + 4, first + 4);
		goto err;
	}
	return 0;
err:
	delinputs(in);
	return -1;
}

int
inputsread(const char *path, struct inputs *in, char *err, size_t errn)
{
	struct buf b;
	int r;

	memset(in, 0, sizeof(*in));
	if (readfile(path, &b, err, errn) < 0) {
		r = errno == ENOENT ? 1 : -1;
		buffree(&b);
		return r;
	}
	r = inputsparse(path, b.s, b.len, in, err, errn);
	buffree(&b);
	return r;
}
