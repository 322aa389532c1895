#ifndef RUNJA_RUNDATA_H
#define RUNJA_RUNDATA_H

#include <stddef.h>

struct report;
struct runinfo;

/* the series of one run the report plots, read when its row and page are written */
struct rundata {
	double *fi, *fmean, *flo, *fhi;  /* per frame: index, mean, min, max; owned */
	size_t nf;
	const char *fsrc;                /* where they are from: ".runja.frames", "stats.csv", or NULL (none) */
	double *xi, *front;              /* front.csv: frame index and position (NAN: no front there); owned */
	size_t nfront;
	double *px, *py;                 /* command.report.plot: x and y; owned */
	size_t np;
	char *pwhy;                      /* why the command has no plot (NULL: it has, or none is asked for); owned */
	double xmax;                     /* the last frame's index, the x range of the per-frame plots */
};

/* the series of ri in OUT into d; what cannot be read is warned about and left empty */
void rundataload(const struct report *r, const struct runinfo *ri, struct rundata *d);
/* free what d owns */
void rundatafree(struct rundata *d);

#endif
