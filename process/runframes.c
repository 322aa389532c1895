#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/depfile.h"
#include "common/progress.h"
#include "common/util.h"
#include "pipeline.h"
#include "png.h"
#include "products.h"
#include "runframes.h"
#include "workers.h"

/* A run's frames on the threads its cores allow: decoded and through the ops on any, taken in order, added by bands. */

/* decode a background file of the run (loadfn) */
static int
loadfile(void *ctx, const char *name, struct img *im, char *err, size_t n)
{
	struct run *r = ctx;
	char *path = xasprintf("%s/%s", r->rundir, name), cause[512];
	int ret;

	depadd(&r->deps, path);
	ret = pngload(path, r->maxpixels, r->channel, im, cause, sizeof(cause));
	if (ret < 0)
		seterr(err, n, "%s/%s: %s", r->id, name, cause);
	free(path);
	return ret;
}

/* what the frames' threads share: the run, its pipeline and frames (read-only while they work) */
struct framesctx {
	struct run *r;
	struct pipeline *p;
	char **names;
	int w0, h0;          /* the size of the frames taken so far (0: none yet) */
	struct slot *slot;   /* the slot being taken, else NULL */
	bool left;           /* its frame was emitted from it: its pixels are left to the bands' adds */
	bool anyleft;        /* a frame was so left */
};

/* a processed frame, in frame order (emitfn): to the products; one emitted from the slot being taken is added later, by bands */
static int
emitframe(void *ctx, const struct frame *f, char *err, size_t n)
{
	struct framesctx *x = ctx;
	struct prodfig fig;

	if (!x->slot || f != &x->slot->f) {
		/* a frame a background held: they all come before the first one emitted from its slot */
		if (x->anyleft)
			return seterr(err, n, "frame %d emitted after frames added by bands", f->index);
		return prodadd(x->r->acc, f, err, n);
	}
	if (!x->slot->figured)
		prodfigure(x->r->acc, f, &fig);
	if (prodtake(x->r->acc, f, x->slot->figured ? &x->slot->fig : &fig, err, n) < 0)
		return -1;
	/* no sums over the pixels: nothing left to add */
	x->left = x->anyleft = prodbands(x->r->acc);
	return 0;
}

/* band of nbands of the frames of the ns slots s, taken in this order, to the products (addfn: on any thread) */
static void
addframes(void *ctx, struct slot *const *s, int ns, size_t band, size_t nbands)
{
	const struct framesctx *x = ctx;
	const struct frame *f[16];
	int k, j;

	for (k = 0; k < ns; k += j) {
		for (j = 0; j < 16 && k + j < ns; j++)
			f[j] = &s[k + j]->f;
		prodaddband(x->r->acc, f, j, band, nbands);
	}
}

/* frame i of run r, for the hash of its bytes */
struct framehash {
	struct run *r;
	size_t i;
};

/* set frame i's hash in r's inputs from its bytes as read (pngbytesfn) */
static void
framebytes(void *ctx, const unsigned char *b, size_t n)
{
	const struct framehash *h = ctx;

	inputssethash(&h->r->in, h->i, b, n);
}

/* decode frame i into s; a first crop that fits is done while decoding (s->done 1) */
static void
decodeframe(const struct framesctx *x, size_t i, struct slot *s)
{
	struct run *r = x->r;
	char *path = xasprintf("%s/%s", r->rundir, x->names[i]);
	struct framehash h;
	struct pngin *in;
	int cropped = 0, cx, cy, cw, ch;

	s->done = 0;
	s->fail = SLOTOK;
	s->w = s->h = 0;
	s->f.index = (int)i;
	s->f.name = x->names[i];
	/* the inputs record's hash of the frame: of the very bytes decoded, or judged bad */
	h.r = r, h.i = i;
	in = pngopenbytes(path, r->maxpixels, r->key ? framebytes : NULL, &h, &s->w, &s->h, s->cause, sizeof(s->cause));
	free(path);
	if (!in) {
		s->fail = SLOTOPEN;
		return;
	}
	/* only the crop's pixels are converted */
	cropped = pipefirstcrop(x->p, s->w, s->h, &cx, &cy, &cw, &ch);
	if ((cropped ? pngreadrect(in, &s->f.img, r->channel, cx, cy, cw, ch, s->cause, sizeof(s->cause))
	             : pngread(in, &s->f.img, r->channel, s->cause, sizeof(s->cause))) < 0)
		s->fail = SLOTREAD;
	pngclose(in);
	s->done = (size_t)cropped;
}

/* decode frame i (or go on with it: s->again) and apply the ops before stop (workfn: on any thread) */
static void
workframe(void *ctx, size_t i, size_t stop, struct slot *s, struct opscratch *scratch)
{
	const struct framesctx *x = ctx;
	/* the figures taken from the rows of a last blur as it writes them, while they are in cache */
	struct prodrows *rows = mkprodrows(x->r->acc);
	struct rowsink sink = {prodrowstake, rows};

	/* a frame that failed has nothing more to go through, and keeps its cause */
	if (s->again && s->fail != SLOTOK)
		goto out;
	seterrclear();
	if (!s->again)
		decodeframe(x, i, s);
	if (s->fail == SLOTOK && pipeapply(x->p, &s->f, s->done, stop, scratch, &sink, s->cause, sizeof(s->cause)) < 0)
		s->fail = SLOTOP;
	else if (stop > s->done)
		s->done = stop;
	/* through every op: its own figures here, off the path that takes the frames in order */
	s->figured = s->fail == SLOTOK && s->done >= x->r->nops;
	if (s->figured && !prodrowsfigure(rows, &s->f, &s->fig))
		prodfigure(x->r->acc, &s->f, &s->fig);
	s->errcause = seterrno();
out:
	delprodrows(rows);
}

/*
 * take frame i in frame order (takefn): skip or fail a bad one, push it on through the
 * pipeline; WORKADD when it came out of the ops in its slot, its pixels left to the bands
 */
static int
takeframe(void *ctx, size_t i, struct slot *s, size_t *stop)
{
	struct framesctx *x = ctx;
	struct run *r = x->r;
	char *path = xasprintf("%s/%s", r->rundir, x->names[i]), cause[512];
	bool bad = s->fail == SLOTOPEN || s->fail == SLOTREAD;
	int ret;

	depadd(&r->deps, path);
	free(path);
	snprintf(cause, sizeof(cause), "%s", s->cause);
	if (s->fail != SLOTOPEN && x->w0 && (s->w != x->w0 || s->h != x->h0)) {
		snprintf(cause, sizeof(cause), "frame is %dx%d, earlier frames are %dx%d", s->w, s->h, x->w0, x->h0);
		bad = true;
	} else if (s->fail != SLOTOK) {
		seterrkeep(s->errcause);  /* the worker's cause of failure, as if seen on this thread */
	}
	if (bad && r->skipbad) {
		warn("%s/%s: %s (skipped)", r->id, x->names[i], cause);
		json_array_append_new(r->skipped, json_pack("{s:s,s:s}", "file", x->names[i], "error", cause));
		progresstick(r->progress, (long long)i + 1);
		return 0;
	}
	if (!bad) {
		x->w0 = s->w, x->h0 = s->h;
		x->slot = s, x->left = false;
		ret = s->fail == SLOTOK ? pipepushfrom(x->p, &s->f, s->done, cause, sizeof(cause)) : -1;
		x->slot = NULL;
		if (ret == 0) {
			*stop = pipestop(x->p);
			progresstick(r->progress, (long long)i + 1);
			return x->left ? WORKADD : 0;
		}
	}
	return seterr(r->err, r->nerr, "%s/%s: %s", r->id, x->names[i], cause);
}

int
runframes(struct run *r, char **names, size_t nnames, char *err, size_t n)
{
	struct framesctx x = {.r = r, .names = names};
	struct cores *c = r->cores;
	char cause[512];
	int ret = -1;

	x.p = mkpipeline(r->ops, r->nops, emitframe, &x, loadfile, r);
	pipecores(x.p, c);
	progresscount(r->progress, (long long)nnames);
	r->err = err, r->nerr = n;
	if (workrun(nnames, pipestop(x.p), workframe, takeframe, prodbands(r->acc) ? addframes : NULL, &x, c,
	            &r->nthreads) < 0)
		goto out;
	if (pipefinish(x.p, cause, sizeof(cause)) < 0 || prodfinish(r->acc, cause, sizeof(cause)) < 0) {
		seterr(err, n, "%s: %s", r->id, cause);
		goto out;
	}
	ret = 0;
out:
	delpipeline(x.p);
	return ret;
}
