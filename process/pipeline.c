#include <stdbool.h>
#include <stdlib.h>

#include "common/cores.h"
#include "common/util.h"
#include "ops/ops.h"
#include "pipeline.h"
#include "workers.h"

/* the state of one `background` op */
struct bg {
	bool ready;          /* b holds the background */
	struct img b;        /* the background, once ready */
	struct frame *held;  /* frames waiting for b (frames = N), each owning its pixels */
	size_t nheld, cap;   /* how many are held, and room for */
};

struct pipeline {
	const struct opspec *ops;  /* the ops in order, borrowed */
	size_t nops;               /* how many */
	struct bg *bg;             /* one per op; used by `background` ops only */
	struct opscratch scratch;  /* the images ops that cannot work in place use */
	emitfn *emit;              /* receives processed frames */
	void *emitctx;             /* its context */
	loadfn *load;              /* decodes a background file */
	void *loadctx;             /* its context */
	struct cores *cores;       /* the cores a background's making and release may use, or NULL: one thread */
	struct opscratch *tscratch; /* one per thread of those (coresmax of them) */
	int nthreads;
};

static int run(struct pipeline *p, struct frame *f, size_t from, char *err, size_t n);

struct pipeline *
mkpipeline(const struct opspec *ops, size_t nops, emitfn *emit, void *emitctx,
           loadfn *load, void *loadctx)
{
	struct pipeline *p;

	p = xcalloc(1, sizeof(*p));
	p->ops = ops;
	p->nops = nops;
	p->bg = xcalloc(nops ? nops : 1, sizeof(*p->bg));
	p->emit = emit;
	p->emitctx = emitctx;
	p->load = load;
	p->loadctx = loadctx;
	return p;
}

/* each op's pixel function, by kind (common/oplist.h); background's is never called: run holds the frames for it */
static opapplyfn *const applyfns[] = {
#define OPAPPLY(name, NAME) [OP##NAME] = name##apply,
	OPLIST(OPAPPLY)
#undef OPAPPLY
};
_Static_assert(sizeof(applyfns) / sizeof(applyfns[0]) == NOPKINDS, "one pixel function per op kind");

/* apply op (not `background`) to im with the scratch images s */
static int
applyop(const struct opspec *op, struct img *im, struct opscratch *s, char *err, size_t n)
{
	return applyfns[op->kind](op, im, s, err, n);
}

/* whether f has the size of the ready background of op i; 0, or -1 with err */
static int
subbgfits(const struct pipeline *p, size_t i, const struct frame *f, char *err, size_t n)
{
	const struct bg *bg = &p->bg[i];

	if (f->img.w != bg->b.w || f->img.h != bg->b.h)
		return seterr(err, n, "the frame is %dx%d where the background is %dx%d",
		              f->img.w, f->img.h, bg->b.w, bg->b.h);
	return 0;
}

/* the row function of each op kind that works pixel by pixel (process/ops/ops.h), else NULL */
static oprowfn *const rowfns[NOPKINDS] = {[OPINVERT] = invertrow, [OPSCALE] = scalerow, [OPTHRESHOLD] = thresholdrow};

/* frames go through the pixelwise ops with no blur after them this many pixels at a time (in L1 together) */
enum { STRIP = 4096 };

/* the pixelwise ops [from, to) of a pipeline, applied together to a part of a frame */
struct rowjob {
	const struct pipeline *p;
	size_t from, to;
};

/* ops [from, to) on the n pixels at p, pixel off of the frame (blurprepfn) */
static void
rowsapply(void *ctx, float *p, size_t off, size_t n)
{
	const struct rowjob *j = ctx;
	const struct opspec *op;
	size_t i;

	for (i = j->from; i < j->to; i++) {
		op = &j->p->ops[i];
		if (op->kind == OPBACKGROUND)
			imgsubpx(p, j->p->bg[i].b.px + off, n);
		else
			rowfns[op->kind](op, p, n);
	}
}

/* whether op i works pixel by pixel: a row function, or a background made (subtracted) */
static bool
rowwise(const struct pipeline *p, size_t i)
{
	return rowfns[p->ops[i].kind] || (p->ops[i].kind == OPBACKGROUND && p->bg[i].ready);
}

/*
 * Apply op i, a background made or not a background, to f, with the scratch images s;
 * the pixelwise ops after it go with it (up to stop), and the blur after them: each
 * part of the frame has them all while it is in cache, and the blur has them applied
 * to each row just before it reads it. When that blur is the pipeline's last op, it
 * hands each row to sink once written (sink NULL: no one). Returns how many ops were
 * applied, 0 with err.
 */
static size_t
step(const struct pipeline *p, size_t i, size_t stop, struct frame *f, struct opscratch *s,
     const struct rowsink *sink, char *err, size_t n)
{
	struct rowjob j = {p, i, i};
	struct blurrows h = {0};
	size_t np = (size_t)f->img.w * f->img.h, off;

	for (; j.to < stop && j.to < p->nops && rowwise(p, j.to); j.to++) {
		if (p->ops[j.to].kind == OPBACKGROUND && subbgfits(p, j.to, f, err, n) < 0)
			return 0;
	}
	if (j.to < stop && j.to < p->nops && p->ops[j.to].kind == OPBLUR) {
		if (j.to > i)
			h.prep = rowsapply, h.prepctx = &j;
		if (sink && j.to + 1 == p->nops)
			h.post = sink->fn, h.postctx = sink->ctx;
		blurprepapply(&p->ops[j.to], &f->img, s, &h);
		return j.to + 1 - i;
	}
	if (j.to == i)
		return applyop(&p->ops[i], &f->img, s, err, n) < 0 ? 0 : 1;
	for (off = 0; off < np; off += STRIP)
		rowsapply(&j, f->img.px + off, off, np - off < STRIP ? np - off : STRIP);
	return j.to - i;
}

/* make op i's background from its file: load it, then apply the ops before i (whose backgrounds are ready) */
static int
loadbg(struct pipeline *p, size_t i, char *err, size_t n)
{
	struct img im = {0};
	size_t j;

	const char *file = backgroundfile(&p->ops[i]);

	if (!p->load) {
		seterr(err, n, "background file %s: no way to load it", file);
		goto err0;
	}
	if (p->load(p->loadctx, file, &im, err, n) < 0)
		goto err0;
	for (j = 0; j < i; j++) {
		if (p->ops[j].kind == OPBACKGROUND) {
			if (im.w != p->bg[j].b.w || im.h != p->bg[j].b.h) {
				seterr(err, n, "background file %s is %dx%d where the background before it is %dx%d",
				       file, im.w, im.h, p->bg[j].b.w, p->bg[j].b.h);
				goto err0;
			}
			imgsub(&im, &p->bg[j].b);
		} else if (applyop(&p->ops[j], &im, &p->scratch, err, n) < 0) {
			goto err0;
		}
	}
	p->bg[i].b = im;
	p->bg[i].ready = true;
	return 0;

err0:
	delimg(&im);
	return -1;
}

/* a background made by bands of rows, or held frames sent on, on several threads */
struct bgjob {
	struct pipeline *p;
	size_t i;            /* the background op */
	size_t nbands;       /* bands of rows of its making */
	size_t stop;         /* its release applies the ops (i, stop) */
	char (*err)[512];    /* each held frame's error, when failed[k] */
	bool *failed;
};

/* rows [band * h / nbands, (band + 1) * h / nbands) of op i's background, from the same rows of its held frames */
static void
bandmake(void *ctx, size_t band, int thread)
{
	const struct bgjob *j = ctx;
	struct bg *bg = &j->p->bg[j->i];
	int w = bg->held[0].img.w, h = bg->held[0].img.h;
	int y0 = (int)(band * h / j->nbands), y1 = (int)((band + 1) * h / j->nbands);
	struct img *v = xreallocarray(NULL, bg->nheld, sizeof(*v)), b = {w, y1 - y0, bg->b.px + (size_t)y0 * w};
	size_t k;

	(void)thread;
	for (k = 0; k < bg->nheld; k++)
		v[k] = (struct img){w, y1 - y0, bg->held[k].img.px + (size_t)y0 * w};
	if (y1 > y0)
		backgroundmake(&j->p->ops[j->i], v, bg->nheld, &b);
	free(v);
}

/* make op i's background from its held frames: pixel by pixel, so in bands of rows on the cores there are */
static void
heldbg(struct pipeline *p, size_t i)
{
	struct bg *bg = &p->bg[i];
	int h = bg->held[0].img.h;
	struct bgjob j = {.p = p, .i = i, .nbands = (size_t)(p->nthreads > 1 ? 4 * p->nthreads : 1)};

	if (j.nbands > (size_t)h)
		j.nbands = (size_t)h;
	imgresize(&bg->b, bg->held[0].img.w, h);
	workeach(j.nbands, bandmake, &j, p->cores);
	bg->ready = true;
}

/* held frame k of op i, its background ready: subtract it and apply the ops after it up to the stop */
static void
sendon(void *ctx, size_t k, int thread)
{
	const struct bgjob *j = ctx;
	struct bg *bg = &j->p->bg[j->i];
	struct opscratch *s = j->p->nthreads > 1 ? &j->p->tscratch[thread] : &j->p->scratch;

	/* from the background on: its subtraction goes with the ops after it (step) */
	j->failed[k] = pipeapply(j->p, &bg->held[k], j->i, j->stop, s, NULL, j->err[k], sizeof(j->err[k])) < 0;
}

/* send op i's held frames (its background ready) on through the ops after it, in order: the ops up to the
   next background not made yet on the cores there are, then the rest frame by frame */
static int
release(struct pipeline *p, size_t i, char *err, size_t n)
{
	struct bg *bg = &p->bg[i];
	struct bgjob j = {.p = p, .i = i, .stop = pipestop(p)};
	size_t k;
	int ret = 0;

	j.err = xreallocarray(NULL, bg->nheld ? bg->nheld : 1, sizeof(*j.err));
	j.failed = xcalloc(bg->nheld ? bg->nheld : 1, sizeof(*j.failed));
	workeach(bg->nheld, sendon, &j, p->cores);
	for (k = 0; k < bg->nheld; k++) {
		if (ret == 0 && j.failed[k])
			ret = seterr(err, n, "%s", j.err[k]);
		else if (ret == 0)
			ret = run(p, &bg->held[k], j.stop, err, n);
		delimg(&bg->held[k].img);
	}
	bg->nheld = 0;
	free(j.err), free(j.failed);
	return ret;
}

/* keep a copy of f until op i has its frames; release them all once it has */
static int
hold(struct pipeline *p, size_t i, struct frame *f, char *err, size_t n)
{
	struct bg *bg = &p->bg[i];
	struct img none = {0};

	if (bg->nheld > 0 && (f->img.w != bg->held[0].img.w || f->img.h != bg->held[0].img.h))
		return seterr(err, n, "the frame is %dx%d where the frames before it are %dx%d",
		              f->img.w, f->img.h, bg->held[0].img.w, bg->held[0].img.h);
	if (bg->nheld == bg->cap) {
		bg->cap = bg->cap ? bg->cap * 2 : 8;
		bg->held = xreallocarray(bg->held, bg->cap, sizeof(*bg->held));
	}
	/* a copy of just the frame's size: its buffer may be a whole decoded frame's (before a
	 * crop or downsample), and it is the caller's to reuse for the next one */
	bg->held[bg->nheld] = *f;
	bg->held[bg->nheld].img = none;
	imgcopy(&bg->held[bg->nheld++].img, &f->img);
	if (bg->nheld < (size_t)backgroundframes(&p->ops[i]))
		return 0;
	heldbg(p, i);
	return release(p, i, err, n);
}

/* apply the ops from `from` on to f, then emit it (or leave it held by a background) */
static int
run(struct pipeline *p, struct frame *f, size_t from, char *err, size_t n)
{
	const struct opspec *op;
	size_t i, k;

	for (i = from; i < p->nops; i += k) {
		op = &p->ops[i];
		if (op->kind == OPBACKGROUND && !p->bg[i].ready) {
			if (backgroundfile(op)) {
				if (loadbg(p, i, err, n) < 0)
					return -1;
			} else if (backgroundframes(op) < 1) {
				return seterr(err, n, "background needs frames >= 1 or a file");
			} else {
				return hold(p, i, f, err, n);
			}
		}
		if (!(k = step(p, i, p->nops, f, &p->scratch, NULL, err, n)))
			return -1;
	}
	return p->emit(p->emitctx, f, err, n);
}

size_t
pipestop(const struct pipeline *p)
{
	size_t i;

	for (i = 0; i < p->nops && (p->ops[i].kind != OPBACKGROUND || p->bg[i].ready); i++)
		;
	return i;
}

int
pipeapply(const struct pipeline *p, struct frame *f, size_t from, size_t stop, struct opscratch *s,
          const struct rowsink *sink, char *err, size_t n)
{
	size_t i, k;

	for (i = from; i < stop && i < p->nops; i += k) {
		if (!(k = step(p, i, stop, f, s, sink, err, n)))
			return -1;
	}
	return 0;
}

int
pipepushfrom(struct pipeline *p, struct frame *f, size_t from, char *err, size_t n)
{
	return run(p, f, from, err, n);
}

int
pipepush(struct pipeline *p, struct frame *f, char *err, size_t n)
{
	return run(p, f, 0, err, n);
}

bool
pipefirstcrop(const struct pipeline *p, int w, int h, int *x, int *y, int *cw, int *ch)
{
	const struct opspec *op = p->nops ? &p->ops[0] : NULL;
	int rx, ry, rw, rh;

	if (!op || op->kind != OPCROP)
		return false;
	croprect(op, &rx, &ry, &rw, &rh);
	if (rx < 0 || ry < 0 || rw < 1 || rh < 1 || rw > w - rx || rh > h - ry)
		return false;
	*x = rx, *y = ry, *cw = rw, *ch = rh;
	return true;
}

int
pipepushcropped(struct pipeline *p, struct frame *f, char *err, size_t n)
{
	const struct opspec *op = p->nops ? &p->ops[0] : NULL;
	int x, y, w, h;

	if (!op || op->kind != OPCROP)
		return seterr(err, n, "frame pushed as cropped, but the first op is not a crop");
	croprect(op, &x, &y, &w, &h);
	if (f->img.w != w || f->img.h != h)
		return seterr(err, n, "frame pushed as cropped is %dx%d, the crop is %dx%d", f->img.w, f->img.h, w, h);
	return run(p, f, 1, err, n);
}

int
pipefinish(struct pipeline *p, char *err, size_t n)
{
	size_t i;

	/* in op order, so frames released by one background reach the next */
	for (i = 0; i < p->nops; i++) {
		if (p->ops[i].kind != OPBACKGROUND || p->bg[i].ready || p->bg[i].nheld == 0)
			continue;
		heldbg(p, i);
		if (release(p, i, err, n) < 0)
			return -1;
	}
	return 0;
}

void
pipecores(struct pipeline *p, struct cores *c)
{
	p->cores = c;
	p->nthreads = c ? coresmax(c) : 1;
	p->tscratch = xcalloc(p->nthreads, sizeof(*p->tscratch));
}

void
delpipeline(struct pipeline *p)
{
	size_t i, j;
	int k;

	if (!p)
		return;
	for (k = 0; k < p->nthreads && p->tscratch; k++) {
		delimg(&p->tscratch[k].spare);
		delimg(&p->tscratch[k].tmp);
	}
	free(p->tscratch);
	for (i = 0; i < p->nops; i++) {
		for (j = 0; j < p->bg[i].nheld; j++)
			delimg(&p->bg[i].held[j].img);
		free(p->bg[i].held);
		delimg(&p->bg[i].b);
	}
	free(p->bg);
	delimg(&p->scratch.spare);
	delimg(&p->scratch.tmp);
	free(p);
}
