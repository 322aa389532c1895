#ifndef RUNJA_OPDESC_H
#define RUNJA_OPDESC_H

#include <stdbool.h>
#include <stddef.h>

#include "spec.h"

struct buf;

/*
 * The declaration of an op, as libvips declares an operation's arguments: its keys
 * with their types, ranges and defaults, its memory model and the version of its
 * results. Each is written once, beside the op's pixels, in process/ops/NAME.c, and
 * compiled into libcommon through common/ops.c (runja-gen gets the declarations
 * without the pixel code). The config checker (gen/conf.c), the --op parser
 * (specparseop), the canonical text (specfmtop), the pool estimate (gen/pool.c) and
 * the pipeline all read it: one range, one default, one message for a key.
 *
 * An op's file names each key's position in struct opspec's values, with its type:
 *
 *	enum { MEDIANRADIUS = OPPOS(0, OPKINT) };
 *
 * declares the key there, at that position:
 *
 *	OPINT("radius", MEDIANRADIUS, OPREQUIRED, 1, 1000, 0, "the window is 2 radius + 1 pixels square"),
 *
 * (its name, position, flags, range, default and one line of help), and reads its value
 * with opvalint(op, MEDIANRADIUS). A key declared or read as another type than its
 * position says does not compile.
 */

/* what a key holds, and which member of its union opval */
enum opkeytype {
	OPKINT,   /* an int in [min, max] (.i) */
	OPKNUM,   /* a finite double in (min, max), min and max themselves excluded (+-INFINITY: no bound) (.num) */
	OPKENUM,  /* one of names, held as its index (.i) */
	OPKFILE,  /* a file name in the run folder (.file, owned; NULL when not given); the last key, its text runs to the end */
};

/* a key must be given (unless the op's OPALONE key is) */
#define OPREQUIRED 1
/* an OPKFILE key that, given, is the only one (background's file: instead of frames and method) */
#define OPALONE 2
/* the largest value of an integer key (no frame is that large): a range up to it is stated as ">= MIN", in full for a value above */
#define OPINTMAX (1 << 30)

/* the position of an op's key i (< OPMAXKEYS) of type type, an enum constant of the op's file */
#define OPPOS(i, type) ((type) * 16 + (i))
/* the index in struct opspec's v of the key at position pos, which must be of type type (a compile error otherwise) */
#define OPKEYAT(pos, type) \
	((pos) % 16 + 0 * sizeof(struct { _Static_assert((pos) / 16 == (type), #pos " is not a key of type " #type); char c; }))

/* the value of op's key at position pos: an int, a double, a name's index, a file name (or NULL) */
#define opvalint(op, pos) ((op)->v[OPKEYAT(pos, OPKINT)].i)
#define opvalnum(op, pos) ((op)->v[OPKEYAT(pos, OPKNUM)].num)
#define opvalenum(op, pos) ((op)->v[OPKEYAT(pos, OPKENUM)].i)
#define opvalfile(op, pos) ((op)->v[OPKEYAT(pos, OPKFILE)].file)

/* one key of an op: name = value in runja.cfg, name=value in --op */
struct opkey {
	const char *name;          /* its name, the same in both */
	enum opkeytype type;       /* what it holds */
	int flags;                 /* OPREQUIRED, OPALONE */
	double min, max;           /* the range of OPKINT (inclusive) and OPKNUM (exclusive) */
	double def;                /* the value when not given (OPKENUM: the index; 0 for a required key) */
	const char *const *names;  /* OPKENUM: the names, NULL-terminated */
	const char *help;          /* one line on what it sets */
};

/* an integer key at position pos, in an op's array of keys */
#define OPINT(name, pos, flags, min, max, def, help) \
	[OPKEYAT(pos, OPKINT)] = {name, OPKINT, flags, min, max, def, NULL, help}
/* a number key at position pos */
#define OPNUM(name, pos, flags, min, max, def, help) \
	[OPKEYAT(pos, OPKNUM)] = {name, OPKNUM, flags, min, max, def, NULL, help}
/* a key that is one of names, its index held at position pos */
#define OPENUM(name, pos, flags, names, def, help) \
	[OPKEYAT(pos, OPKENUM)] = {name, OPKENUM, flags, 0, 0, def, names, help}
/* a file name in the run folder held at position pos */
#define OPFILE(name, pos, flags, help) \
	[OPKEYAT(pos, OPKFILE)] = {name, OPKFILE, flags, 0, 0, 0, NULL, help}
/* how many keys an op's array declares */
#define OPNKEYS(keys) (sizeof(keys) / sizeof((keys)[0]))

/* the buffers of one run as the pool estimate walks its ops (gen/pool.c), in bytes */
struct opmem {
	bool first;       /* the op is the pipeline's first (a crop there is decoded as its rectangle alone) */
	double frame;     /* the decoded frame as floats */
	double w, h;      /* the size of the frame the op gets; the op sets the size it passes on */
	size_t nframes;   /* the frames of the run */
	double spare;     /* the largest image an op writes beside the frame and swaps in */
	double tmp;       /* the largest scratch image (blur's) */
	double held;      /* the images kept across frames (background's), all added */
};

/* one op: what runja.cfg's { op = "NAME"; ... } and --op NAME:... name */
struct opdesc {
	const char *name;                                       /* "blur" */
	const char *help;                                       /* one line on what it does */
	int version;                                            /* of its results (>= 1): bump it when a change alters a byte any run's outputs could hold (specresults) */
	const struct opkey *keys;                               /* its keys, by position: the order of its canonical text */
	size_t nkeys;                                           /* how many (at most OPMAXKEYS) */
	void (*mem)(const struct opspec *op, struct opmem *m);  /* its buffers added to m; NULL when it works in place */
};

/* every op's declaration, indexed by enum opkind (common/ops.c, from common/oplist.h) */
extern const struct opdesc *const opdescs[];
/* how many */
extern const size_t nopdescs;

/* m->spare covers an image of the frame's size: the op writes one beside the frame and swaps it in */
void opmemspare(struct opmem *m);
/* the declaration of kind k */
const struct opdesc *opdesc(enum opkind k);
/* the key of d named name, or NULL */
const struct opkey *opkey(const struct opdesc *d, const char *name);
/* op = an op of kind k, every key at its default */
void opinit(struct opspec *op, enum opkind k);
/* the message for a value key k of d cannot take: "'sigma' in op 'blur' must be a number > 0"; returns -1 */
int opbadvalue(const struct opdesc *d, const struct opkey *k, char *err, size_t n);
/* set key k of op to the integer v; 0, or -1 with opbadvalue's message (the range in full for v > OPINTMAX) when k takes no integer or v is out of range */
int opsetint(struct opspec *op, const struct opkey *k, long long v, char *err, size_t n);
/* set key k of op to the number v, as opsetint */
int opsetnum(struct opspec *op, const struct opkey *k, double v, char *err, size_t n);
/* set key k of op to the string v (a name of an OPKENUM key, a file name of an OPKFILE key), as opsetint */
int opsetstr(struct opspec *op, const struct opkey *k, const char *v, char *err, size_t n);
/* set key k of op from its text in --op (a decimal integer, a number, a name or a file name), as opsetint */
int opsettext(struct opspec *op, const struct opkey *k, const char *v, char *err, size_t n);
/* given[i] says whether key i of d was given: 0, or -1 with the message for an OPALONE key given with others or a required key missing */
int opcheckgiven(const struct opdesc *d, const bool *given, char *err, size_t n);
/* the OPALONE key of op's kind when op holds a value for it, else NULL */
const struct opkey *opalonegiven(const struct opspec *op);
/* append the value of key k of op as its canonical text ("2", "0.75", "median", "bg.png") */
void opfmtvalue(struct buf *b, const struct opspec *op, const struct opkey *k);
/* append the names of every op, ", " between them, in kind order: that of their names ("background, blur, ...") */
void opnamelist(struct buf *b);

#endif
