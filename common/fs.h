#ifndef RUNJA_FS_H
#define RUNJA_FS_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* read the whole file at path into b (initialised here); 0 or -1 with "path: cause" in err */
int readfile(const char *path, struct buf *b, char *err, size_t n);
/* the last max bytes of the file at path into b (initialised here), *partial when it holds more before them; 0 or -1 with err */
int readtail(const char *path, size_t max, struct buf *b, bool *partial, char *err, size_t n);
/* does path name an existing file or folder? */
bool exists(const char *path);
/* mkdir -p: create path and its missing parents (mode 0777 & ~umask); 0 or -1 with err */
int mkdirp(const char *path, char *err, size_t n);
/*
 * For a program that may be ended by a signal while it writes (runja-report): from now
 * on writeatomic notes the temporary file it is writing (as do others, between
 * fstmpbegin and fstmpend), and fsdroptmp (async-signal-safe, for the handler) removes
 * it. One thread only.
 */
void fstrackwrites(void);
void fsdroptmp(void);
void fstmpbegin(const char *tmp);
void fstmpend(void);
/*
 * Replace path by the len bytes of data: write a temporary file beside it, then rename,
 * so a reader sees the old or the new file, never a part. 0 or -1 with err.
 */
int writeatomic(const char *path, const char *data, size_t len, char *err, size_t n);
/*
 * writeatomic for a writer that holds a lock over path (one at a time, as the report
 * does): its temporary name is always tmpname(path), so one a killed writer left is
 * written again and renamed by the next write of path, not left behind. 0 or -1 with err.
 */
int writereplace(const char *path, const char *data, size_t len, char *err, size_t n);
/*
 * What both do, through a temporary name tmp of the caller's: write the len bytes of
 * data to tmp (known to a signal's handler meanwhile), rename it to path; tmp removed
 * on failure. 0 or -1 with err (errno left as the failure set it).
 */
int writevia(const char *path, const char *tmp, const char *data, size_t len, char *err, size_t n);
/* write the len bytes of data to path, created or truncated (no temporary name); 0 or -1 with err */
int writefile(const char *path, const char *data, size_t len, char *err, size_t n);
/* a temporary name beside path for writing it: "DIR/.NAME.tmp"; caller frees */
char *tmpname(const char *path);
/* a temporary name beside path of this process's own (its pid and a count in it); caller frees */
char *tmpnameown(const char *path);
/* set path's modification time to now; 0 or -1 with err */
int touch(const char *path, char *err, size_t n);
/* the absolute path of the running program; caller frees; NULL when unknown */
char *selfpath(void);
/* the modification time of path in ns since the epoch, or -1 (errno set) */
long long fsmtime(const char *path);
/* make path's modification time ns when it is older (never moves it back); 0 or -1 with err */
int fsdateafter(const char *path, long long ns, char *err, size_t n);
/* the time now, ns since the epoch */
long long fsnow(void);
/* append a duration of ns >= 0 as people say it: "40 s", "12 min", "2 h 0 min", "365 days" */
void fsahead(struct buf *b, long long ns);
/* the folder part of path ("." when none); caller frees */
char *dirpart(const char *path);
/* the part of path after its last '/' (all of it when none), a pointer into path */
const char *basepart(const char *path);

/* flush path (a file or a folder) to the disk; 0 or -1 with err */
int syncpath(const char *path, char *err, size_t n);
/* the path of folder to relative to folder from, both absolute without "." or ".." or links ("../b/c"; "." when the same); caller frees */
char *fsrelto(const char *from, const char *to);
/* start writing path's data to the disk, not waiting for it (a later syncpath then waits less); errors are left to syncpath */
void syncstart(const char *path);
/* rm -rf: remove path and everything under it (links removed, not followed); none is fine; 0 or -1 with err */
int rmtree(const char *path, char *err, size_t n);
/* the regular files under folder dir, relative to it, natural order (links not followed); 0 with *v (free with delstrv) or -1 with err */
int listtree(const char *dir, char ***v, size_t *nv, char *err, size_t n);

/* the absolute path path names, '.', '..' and symbolic links resolved as far as it exists and the rest taken as written (realpath -m); caller frees; NULL with err */
char *fsresolve(const char *path, char *err, size_t n);
/* is v a relative path pattern of at most maxparts components, none empty, "." or ".."? 0, or -1 with "'WHAT' must be ..." in err */
int fsrelpattern(const char *what, const char *v, int maxparts, char *err, size_t n);
/* is inner the folder outer or under it, component by component ("/a/b/c" is under "/a/b", "/a/bc" is not)? both resolved by fsresolve */
bool fsinside(const char *inner, const char *outer);

#endif
