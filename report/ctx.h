#ifndef RUNJA_CTX_H
#define RUNJA_CTX_H

#include <stddef.h>

#include "show.h"
#include "tmpls.h"

struct ledger;
struct runinfo;

/* what a column of the runs' table shows */
enum colkind {
	COLID,         /* the run id, a link to its page */
	COLSTATE,      /* done, or not processed yet */
	COLFRAMES,     /* frames used (and skipped) */
	COLSIZE,       /* the pipeline's frame size */
	COLMEAN,       /* the pipeline's mean intensity (std in its tooltip) */
	COLSPEED,      /* the front speed */
	COLVALUE,      /* a value of command.report.values (arg: its index) */
	COLTIME,       /* the last attempt's time */
	COLMEM,        /* the last attempt's peak memory */
	COLFRAMEPLOT,  /* mean, min and max over frames */
	COLFRONTPLOT,  /* the front position over frames */
	COLUSERPLOT,   /* command.report.plot */
	COLIMAGE,      /* an image product of the pipeline (arg: its index in IMAGEPRODUCTS) */
	COLIMAGES,     /* the images the command wrote */
};

/* the image products of the pipeline, in their columns' order */
#define IMAGEPRODUCTS {"mean", "std", "min", "max", "timestack"}
enum { NIMAGEPRODUCTS = 5 };

/* one column of the table */
struct column {
	enum colkind kind;
	int arg;       /* COLVALUE, COLIMAGE: which */
};

/* the report being written: what each part of it reads */
struct report {
	const char *outdir;
	struct tmpls t;          /* the templates */
	struct show show;        /* what it shows of a command's results */
	struct runinfo *runs;    /* nruns, in natural order; owned */
	size_t nruns;
	size_t cap;              /* runs allocated */
	struct column *cols;     /* the table's columns (columnsfor), ncols; owned */
	size_t ncols;
	struct ledger *ledger;   /* OUT/.runja/ledger.tsv, owned */
	unsigned char *thumbs;   /* per run and column (run x ncols + column): 1 when cellsthumbs made its thumbnail or found it fresh; owned */
};

#endif
