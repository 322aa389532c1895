#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tmpl.h"
#include "common/util.h"
#include "columns.h"
#include "escape.h"
#include "runinfo.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* the page is at least this wide (px) */
enum { PAGEWIDTH = 1180, PAGEPAD = 24 };

/* what each kind of column looks like: its class, header, tooltip and width in px */
static const struct {
	const char *cls, *name, *title;
	int width;
} kinds[] = {
	[COLID] = {"id", "Run", "the run: its page", 170},
	[COLSTATE] = {"st", "State", "done, or not processed yet", 90},
	[COLFRAMES] = {"frames", "Frames", "frames used (and skipped)", 70},
	[COLSIZE] = {"size", "Size (px)", "the processed frames' size", 84},
	[COLMEAN] = {"mean", "Mean", "mean intensity over every pixel of every frame (std in the tooltip)", 76},
	[COLSPEED] = {"speed", "Front speed", "px per frame, a least-squares fit", 76},
	[COLVALUE] = {"v", "", "", 96},
	[COLTIME] = {"time", "Time", "wall time of the last attempt", 72},
	[COLMEM] = {"mem", "Memory", "peak memory of the last attempt", 84},
	[COLFRAMEPLOT] = {"fplot", "Per frame", "mean intensity over frames, between min and max", 176},
	[COLFRONTPLOT] = {"front", "Front position", "front position (px) over frames", 176},
	[COLUSERPLOT] = {"uplot", "", "", 176},
	[COLIMAGE] = {"img", "", "", 128},
	[COLIMAGES] = {"imgs", "Images", "what the program wrote", 340},
};

/* the image products, in their columns' order */
static const char *const images[NIMAGEPRODUCTS] = IMAGEPRODUCTS;

const char *
columnimage(int k)
{
	return images[k];
}

/* what the rows of the table hold: a bit per column kind, and the image products */
struct holds {
	bool kind[COLIMAGES + 1];
	bool image[NIMAGEPRODUCTS];
};

/* add what ri holds to h */
static void
hold(const struct report *r, const struct runinfo *ri, struct holds *h)
{
	json_t *prods = json_object_get(ri->sum, "products");
	const char **v;
	char *missing;
	size_t k;

	/* a command's time and memory: the pipeline's stay on its page, so that its table is the same for the same results */
	h->kind[COLTIME] |= ri->kind != PIPELINE && ri->seconds >= 0;
	h->kind[COLMEM] |= ri->kind != PIPELINE && ri->maxrss >= 0;
	if (ri->state == RUNDONE && ri->kind != COMMAND) {
		h->kind[COLFRAMES] = h->kind[COLSIZE] = h->kind[COLMEAN] = true;
		h->kind[COLSPEED] |= json_is_number(json_object_get(ri->sum, "front_speed"));
		h->kind[COLFRAMEPLOT] |= ri->hasframes;
		h->kind[COLFRONTPLOT] |= ri->hasfront;
		for (k = 0; k < NIMAGEPRODUCTS; k++)
			h->image[k] |= json_object_get(prods, images[k]) != NULL;
	}
	if (ri->kind == PIPELINE || ri->cstate != RUNDONE)
		return;
	h->kind[COLFRAMES] = true;
	h->kind[COLVALUE] |= r->show.nvalues > 0;
	h->kind[COLUSERPLOT] |= r->show.plotfile != NULL;
	k = showimages(&r->show, json_object_get(ri->csum, "outputs"), 1, &v, &missing);
	h->kind[COLIMAGES] |= k > 0 || missing;
	free(v), free(missing);
}

void
columnsfor(struct report *r)
{
	static const enum colkind order[] = {
		COLID, COLSTATE, COLFRAMES, COLSIZE, COLMEAN, COLSPEED, COLVALUE, COLFRAMEPLOT, COLFRONTPLOT,
		COLUSERPLOT, COLIMAGE, COLIMAGES, COLTIME, COLMEM,
	};
	struct holds h = {.kind = {[COLID] = true}};
	size_t i, k;

	for (i = 0; i < r->nruns; i++) {
		if (runinfostate(&r->runs[i]) == RUNDONE || runinfostate(&r->runs[i]) == RUNNEW)
			hold(r, &r->runs[i], &h);
		/* the failed and waiting runs are in a table of their own: a state column only when a run is not processed yet */
		h.kind[COLSTATE] |= runinfostate(&r->runs[i]) == RUNNEW;
	}
	r->cols = xreallocarray(NULL, LEN(order) + r->show.nvalues + NIMAGEPRODUCTS, sizeof(*r->cols));
	r->ncols = 0;
	for (i = 0; i < LEN(order); i++) {
		if (!h.kind[order[i]] && order[i] != COLIMAGE)
			continue;
		if (order[i] == COLVALUE)
			for (k = 0; k < r->show.nvalues; k++)
				r->cols[r->ncols++] = (struct column){COLVALUE, (int)k};
		else if (order[i] == COLIMAGE)
			for (k = 0; k < NIMAGEPRODUCTS; k++) {
				if (h.image[k])
					r->cols[r->ncols++] = (struct column){COLIMAGE, (int)k};
			}
		else
			r->cols[r->ncols++] = (struct column){order[i], 0};
	}
}

/* the class (k-CLS, k-vN), header and tooltip (HTML-escaped) of column c into cls, name and title (caller frees name and title) */
static void
describe(const struct report *r, const struct column *c, char *cls, size_t ncls, char **name, char **title)
{
	const struct show *s = &r->show;
	struct buf b, t;

	bufinit(&b), bufinit(&t);
	snprintf(cls, ncls, "%s", kinds[c->kind].cls);
	htmlescape(&b, kinds[c->kind].name);
	htmlescape(&t, kinds[c->kind].title);
	if (c->kind == COLVALUE) {
		snprintf(cls, ncls, "v%d", c->arg);
		htmlescape(&b, s->values[c->arg].name);
		bufprintf(&t, "%s: ", s->values[c->arg].file);
		htmlescape(&t, s->values[c->arg].key ? s->values[c->arg].key : s->values[c->arg].column);
	} else if (c->kind == COLUSERPLOT) {
		htmlescape(&b, s->ploty);
		bufputs(&b, " over ");
		htmlescape(&b, s->plotx ? s->plotx : "row");
		htmlescape(&t, s->plotfile);
	} else if (c->kind == COLIMAGE) {
		bufprintf(&b, "%c%s", images[c->arg][0] - 'a' + 'A', images[c->arg] + 1);
		bufprintf(&t, "%s.png", images[c->arg]);
	}
	*name = b.s;
	*title = t.s;
}

int
columnshead(const struct report *r, struct buf *cols, struct buf *ths, struct buf *css, char *err, size_t n)
{
	char cls[32], w[16], max[16], *name, *title;
	size_t i;
	int total = 2, ret = 0;

	for (i = 0; i < r->ncols && ret == 0; i++) {
		describe(r, &r->cols[i], cls, sizeof(cls), &name, &title);
		snprintf(w, sizeof(w), "%d", kinds[r->cols[i].kind].width);
		total += kinds[r->cols[i].kind].width;
		{
			struct tvar v[] = {{"kind", cls}, {"name", name}, {"title", title}, {"w", w}};

			ret = tmplsput(&r->t, cols, TCOL, v, LEN(v), err, n) < 0 || tmplsput(&r->t, ths, TTH, v, LEN(v), err, n) < 0 ||
			      tmplsput(&r->t, css, TWIDTH, v, LEN(v), err, n) < 0 ? -1 : 0;
		}
		free(name), free(title);
	}
	snprintf(w, sizeof(w), "%d", total);
	snprintf(max, sizeof(max), "%d", total + PAGEPAD > PAGEWIDTH ? total + PAGEPAD : PAGEWIDTH);
	if (ret == 0) {
		struct tvar v[] = {{"w", w}, {"max", max}};

		ret = tmplsput(&r->t, css, TWIDTHS, v, LEN(v), err, n);
	}
	return ret;
}
