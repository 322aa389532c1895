#ifndef RUNJA_SPEC_H
#define RUNJA_SPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "oplist.h"

/*
 * The effective parameters of one run: what runja-gen puts on the command line
 * of runja-process, and what runja-process reads back. Each op and product has
 * one canonical text form "name" or "name:key=value,key=value" (specfmt*), so
 * the same parameters always give the same command line.
 */

/* the op kinds, one per file in process/ops/ (OPBLUR for blur.c), in the order of their names: common/oplist.h, which make writes */
enum opkind {
#define OPKIND(name, NAME) OP##NAME,
	OPLIST(OPKIND)
#undef OPKIND
	NOPKINDS
};

/* the most keys one op has */
#define OPMAXKEYS 6

/* the value of one key of an op: the member its type says (common/opdesc.h) */
union opval {
	int i;       /* an integer, or the index of a name */
	double num;  /* a number */
	char *file;  /* a file name in the run folder, or NULL; owned */
};

/* one op of the pipeline with the values of its keys, by their position in its declaration (process/ops/NAME.c: opvalint(op, CROPX) ...) */
struct opspec {
	enum opkind kind;           /* which op */
	union opval v[OPMAXKEYS];   /* its keys' values; ranges and defaults in its declaration */
};

/* which side a front is searched from */
enum fromside { FROMLEFT, FROMRIGHT, FROMTOP, FROMBOTTOM };

/* the products of one run */
struct prodspec {
	bool mean, std, min, max; /* pixelwise images */
	bool stats;               /* stats.csv */
	bool timestack;           /* timestack image */
	int tsrow, tscol;         /* timestack: row or column (-1 when unused); exactly one >= 0 */
	bool front;               /* front.csv */
	double frontlevel;        /* front: level */
	enum fromside frontfrom;  /* front: side */
};

/* input channel of RGB frames */
enum channel { CHLUMA, CHR, CHG, CHB };

/* name of an op kind ("crop"), from its declaration */
const char *opname(enum opkind k);
/* op kind named s; returns -1 when there is none */
int opbyname(const char *s);
/* name of a channel ("luma") */
const char *channame(enum channel c);
/* channel named s, or -1 */
int chanbyname(const char *s);
/* name of a side ("left") */
const char *fromname(enum fromside f);
/* side named s, or -1 */
int frombyname(const char *s);

/* is arg a flag of how a run is run (--keep-going, the make form of a depfile), not of what it computes? left out of summary.json's argv */
bool specrunflag(const char *arg);
/* append the canonical text of op to b (struct buf from util.h) */
struct buf;
void specfmtop(struct buf *b, const struct opspec *op);
/* canonical texts of the enabled products into v (room for 8), in a fixed order; returns how many; caller frees each */
size_t specprodtexts(const struct prodspec *p, char **v);
/* parse the text of one op into op (op->file owned by op), checked by its declaration; -1 and a message in err on error */
int specparseop(const char *s, struct opspec *op, char *err, size_t n);
/* parse the text of one product and enable it in p; -1 and a message in err on error */
int specparseprod(const char *s, struct prodspec *p, char *err, size_t n);
/* products that are on when a config says nothing: mean, std */
void specdefprods(struct prodspec *p);
/* the files a run with products p writes in its output folder, summary.json first; returns how many (at most 13) */
size_t specoutputs(const struct prodspec *p, bool npy, const char **names);
/* free what op owns */
void specfreeop(struct opspec *op);
/*
 * append to b the token naming the version of everything that computes the results of
 * a run of these ops and products (common/versions.c): the decoder, each op used (in
 * pipeline order, once), the image writers used, each product and summary.json, as
 * "d1.crop1.blur1.png1.npy1.mean1.std1.sum1". Builds of runja-process that give the
 * same token compute the same bytes.
 */
void specresults(struct buf *b, const struct opspec *ops, size_t nops, const struct prodspec *p, bool npy);
/* is token (runja-process --results) specresults of these? 0, or -1 and the line saying it is not in err */
int specresultscheck(const char *token, const struct opspec *ops, size_t nops, const struct prodspec *p, bool npy,
                     char *err, size_t n);
/* is program (a name or path) an interpreter whose first argument names the script it runs (python3, sh, Rscript ...)? */
bool specinterpreter(const char *program);

#endif
