#include <math.h>
#include <stdlib.h>

#include "common/util.h"
#include "ctx.h"
#include "escape.h"
#include "plot.h"
#include "rundata.h"
#include "runplot.h"

/* the sizes of the plots: in a row, on a run's page */
static const struct {
	int w, h, nticks;
} sizes[2] = {{160, 72, 2}, {720, 260, 6}};

/* the file names of the plots, their axes' labels */
static const char *const files[NRUNPLOTS] = {"frames.svg", "front.svg", "plot.svg"};
static const char *const xlabels[NRUNPLOTS] = {"frame", "frame", NULL};
static const char *const ylabels[NRUNPLOTS] = {"intensity", "front (px)", NULL};

const char *
runplotname(enum runplot k)
{
	return files[k];
}

/* the lines and bands of plot k of d into *pd (pointing into s and b) */
static void
plotof(const struct rundata *d, enum runplot k, const char *title, int color, struct series *s, struct band *b,
       struct plotdata *pd)
{
	*pd = (struct plotdata){s, 1, NULL, 0, NULL};
	if (k == PLOTFRAMES) {
		*b = (struct band){d->fi, d->flo, d->fhi, d->nf, color};
		*s = (struct series){title, d->fi, d->fmean, d->nf, color};
		pd->b = b, pd->nb = 1;
	} else if (k == PLOTFRONT) {
		*s = (struct series){title, d->xi, d->front, d->nfront, color};
	} else {
		*s = (struct series){title, d->px, d->py, d->np, color};
	}
}

bool
runplothas(const struct report *r, const struct rundata *d, enum runplot k)
{
	struct series s;
	struct band b;
	struct plotdata pd;

	(void)r;
	plotof(d, k, "", 0, &s, &b, &pd);
	return plothasdata(&pd);
}

int
runplotsvg(const struct report *r, const struct rundata *d, enum runplot k, const char *title, int color,
           bool small, bool file, struct buf *out, char *err, size_t n)
{
	struct plotbox box = {sizes[!small].w, sizes[!small].h, small ? "run small" : "run", 0, 0, sizes[!small].nticks,
	                      NULL, NULL, false, file ? " xmlns=\"http://www.w3.org/2000/svg\"" : "",
	                      file ? r->t.svgstyle : ""};
	struct buf xl, yl;
	struct series s;
	struct band b;
	struct plotdata pd;
	int ret;

	bufinit(&xl), bufinit(&yl);
	plotof(d, k, title, color, &s, &b, &pd);
	if (k != PLOTUSER && d->xmax > 0)
		box.x1 = d->xmax;
	htmlescape(&xl, k == PLOTUSER ? (r->show.plotx ? r->show.plotx : "row") : xlabels[k]);
	htmlescape(&yl, k == PLOTUSER ? r->show.ploty : ylabels[k]);
	if (!small)
		box.xlabel = xl.s, box.ylabel = yl.s;
	ret = plotsvg(out, &r->t.plot, &box, &pd, err, n);
	buffree(&xl), buffree(&yl);
	return ret;
}
