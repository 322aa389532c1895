#ifndef RUNJA_INPUTS_H
#define RUNJA_INPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/*
 * What a run's results were made from, kept beside them as RESULTS/.runja.inputs: the
 * identity of what computed them (the key: a canonical argument text) and the name,
 * size, modification time and hash of every frame. A frame touched, or copied again
 * with the same bytes, is recognised by its hash, so its run is not processed again;
 * a second build sees that a run is done by reading the record.
 *
 * The record is text, one item a line, the fields of a line separated by one tab:
 *   runja-inputs 1                the version, this line exactly
 *   key     KEY
 *   scanned NS                    when the frames were looked at, ns since the epoch
 *   NAME    SIZE  MTIME  HASH     per frame, in the caller's order: bytes, ns since the
 *                                 epoch, inputshash of the bytes in 16 lowercase hex digits
 * In NAME and KEY a backslash is written "\\", a tab "\t", a line break "\n"; every other
 * byte (spaces, '$', '#', UTF-8 or not) as it is. Numbers are decimal, with no '+' and
 * no leading zero; only MTIME and NS may be negative. Each text has one form, so a
 * record parsed and written again is the same bytes.
 *
 * Order of work: look at the frames (inputsscan) before their bytes are read for
 * processing, and hash them (inputssethash with the bytes processed, or inputshashall)
 * in between; write the record once the results are in place. A frame changed after it
 * was looked at then has another time or size next time, and its bytes are compared.
 * A time within INPUTSRACYNS before the record's scan is not trusted (the file may have
 * changed again within the clock's resolution): that frame's bytes are compared too.
 * The times of a file server are trusted as far as its clock agrees with this one's.
 */

/* the record's file name in a run's results folder */
#define INPUTSNAME ".runja.inputs"
/* a frame modified less than this before its scan (ns) is compared by its bytes even when its time is the same */
#define INPUTSRACYNS 2000000000LL

/* one frame */
struct inputframe {
	char *name;       /* relative to the run folder, owned */
	long long size;   /* bytes */
	long long mtime;  /* modification time, ns since the epoch */
	uint64_t hash;    /* inputshash of its bytes, when hashed */
	bool hashed;      /* is hash set? */
};

/* a run's inputs: scanned from its folder, or read back from its record */
struct inputs {
	char *key;                  /* the identity of what computes the results, owned */
	long long scanned;          /* when the frames were looked at (before the first stat), ns since the epoch */
	char *dir;                  /* the run folder the frames are in, owned; NULL in a record read back */
	char *id;                   /* the run's name in messages ("run_003/f_001.png: ..."), owned; NULL in a record */
	struct inputframe *frames;  /* owned */
	size_t nframes;
};

/* what inputscompare found */
enum inputsdiff {
	INPUTSSAME,     /* the same: nothing to do */
	INPUTSTOUCHED,  /* same key, names, sizes and bytes, but some times differ (or were too recent to trust): rewrite the record */
	INPUTSCHANGED,  /* another key, frame set, size or byte: process again */
};

/* XXH64 with seed 0 of the n bytes at p (the xxHash library's values, written here); the same on every byte order */
uint64_t inputshash(const void *p, size_t n);
/* stat frames names[0..n) of folder rundir into in (initialised here; key, rundir, id copied), hashing nothing; 0, or -1 with "ID/NAME: cause" in err and in empty */
int inputsscan(struct inputs *in, const char *key, const char *rundir, const char *id, char *const *names, size_t n,
               char *err, size_t errn);
/* set frame i's hash from its len bytes, as the caller read them after inputsscan */
void inputssethash(struct inputs *in, size_t i, const void *bytes, size_t len);
/* hash each frame of in (from inputsscan) not hashed yet, reading its file; 0 or -1 with "ID/NAME: cause" in err */
int inputshashall(struct inputs *in, char *err, size_t errn);
/* inputshashall of frame i alone: several threads may hash the frames of one in at once, each its own; 0 or -1 with err */
int inputshashone(struct inputs *in, size_t i, char *err, size_t errn);
/*
 * Compare cur (from inputsscan) with old (a record read back) into *d. Another key,
 * frame count, name or size: INPUTSCHANGED, nothing read. A frame of the same time
 * (and not too recent) is the same, and takes old's hash; any other is hashed (reading
 * it) and compared, stopping at the first difference. 0, or -1 with err on a read error.
 */
int inputscompare(const struct inputs *old, struct inputs *cur, enum inputsdiff *d, char *err, size_t errn);
/* append the record's text of in (every frame hashed) to out */
void inputstext(const struct inputs *in, struct buf *out);
/*
 * Write in as the record at path: a temporary file beside it of a name of this writer's
 * own, flushed, renamed over path (the folder is not flushed: after a power cut the
 * record may be the one before, still true of what it names). 0, or -1 with err (also
 * for a frame not hashed).
 */
int inputswrite(const char *path, const struct inputs *in, char *err, size_t errn);
/* parse the len bytes of a record's text, named path in messages, into in (initialised here); 0, or -1 with "PATH:LINE: what is wrong" in err and in empty */
int inputsparse(const char *path, const char *text, size_t len, struct inputs *in, char *err, size_t errn);
/* read and parse the record at path into in; 0, 1 when there is none (err says so, in empty), or -1 with err */
int inputsread(const char *path, struct inputs *in, char *err, size_t errn);
/* the newest modification time of in's files, ns since the epoch (0 when it has none) */
long long inputsnewest(const struct inputs *in);
/* the index of the file named name in in (as its record lists it), or in->nframes when there is none */
size_t inputsfind(const struct inputs *in, const char *name);
/* free what in owns; in is left empty */
void delinputs(struct inputs *in);

#endif
