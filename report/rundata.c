#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/fs.h"
#include "common/state.h"
#include "common/util.h"
#include "csv.h"
#include "ctx.h"
#include "rundata.h"
#include "runinfo.h"

/* the largest per-frame file read (a million frames) */
#define FRAMESMAX (64u << 20)

/* the columns names[0..ncols) of the CSV at path into the arrays *out[k] (owned by the caller), one value a row; rows into *nrows; -1 when a column or the file is missing */
static int
columns(const char *path, const char *const *names, size_t ncols, double ***out, size_t *nrows)
{
	struct csvtab t;
	char err[512];
	int col[4];
	size_t k, i;

	if (!exists(path))
		return -1;
	if (csvload(path, FRAMESMAX, &t, err, sizeof(err)) < 0) {
		warn("%s", err);
		return -1;
	}
	for (k = 0; k < ncols; k++)
		if ((col[k] = csvcolumn(&t, names[k])) < 0) {
			warn("%s: no column '%s'", path, names[k]);
			delcsv(&t);
			return -1;
		}
	*nrows = t.nrows ? t.nrows - 1 : 0;
	for (k = 0; k < ncols; k++) {
		*out[k] = xreallocarray(NULL, *nrows + 1, sizeof(double));
		for (i = 0; i < *nrows; i++)
			(*out[k])[i] = csvnum(&t, i + 1, col[k]);
	}
	delcsv(&t);
	return 0;
}

/* the pipeline's series of ri: per frame from its record, else stats.csv; the front */
static void
pipeline(const struct report *r, const struct runinfo *ri, struct rundata *d)
{
	static const char *const names[] = {"index", "mean", "min", "max"};
	static const char *const front[] = {"index", "position"};
	double **fcols[] = {&d->fi, &d->fmean, &d->flo, &d->fhi}, **pcols[] = {&d->xi, &d->front};
	char *path = staterecord(r->outdir, ri->id, STATEFRAMES);
	json_t *v = json_object_get(ri->sum, "frames_found");

	d->xmax = (double)(json_is_integer(v) ? json_integer_value(v) : runinfoint(ri->sum, "frames")) - 1;
	if (columns(path, names, 4, fcols, &d->nf) == 0) {
		d->fsrc = staterecordname(STATEFRAMES);
	} else {
		free(path);
		path = xasprintf("%s/%s/stats.csv", r->outdir, ri->id);
		if (columns(path, names, 4, fcols, &d->nf) == 0)
			d->fsrc = "stats.csv";
	}
	free(path);
	path = xasprintf("%s/%s/front.csv", r->outdir, ri->id);
	if (columns(path, front, 2, pcols, &d->nfront) < 0)
		d->nfront = 0;
	free(path);
}

void
rundataload(const struct report *r, const struct runinfo *ri, struct rundata *d)
{
	char why[1024], *dir;

	*d = (struct rundata){.xmax = -1};
	if (ri->kind != COMMAND && ri->state == RUNDONE)
		pipeline(r, ri, d);
	if (r->show.plotfile && ri->kind != PIPELINE && ri->cstate == RUNDONE) {
		dir = runinfocmddir(r->outdir, ri);
		if (showplot(&r->show, dir, &d->px, &d->py, &d->np, why, sizeof(why)) < 0)
			d->pwhy = xstrdup(why);
		free(dir);
	}
}

void
rundatafree(struct rundata *d)
{
	free(d->fi), free(d->fmean), free(d->flo), free(d->fhi);
	free(d->xi), free(d->front);
	free(d->px), free(d->py), free(d->pwhy);
	*d = (struct rundata){0};
}
