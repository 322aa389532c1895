#ifndef RUNJA_PIPELINE_H
#define RUNJA_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/spec.h"
#include "img.h"

/* receives each processed frame, in frame order; f is borrowed for the call; 0 or -1 with err */
typedef int emitfn(void *ctx, const struct frame *f, char *err, size_t n);
/* decodes the file name (relative to the run folder) into im; 0 or -1 with err (background file) */
typedef int loadfn(void *ctx, const char *name, struct img *im, char *err, size_t n);

/* a run's ops applied in order to a stream of frames */
struct pipeline;

/*
 * Make the pipeline of the nops ops (borrowed; they must outlive it). Processed frames
 * go to emit; load decodes a background file when an op names one (called once, on the
 * first frame, and the result passed through the ops before it).
 */
struct pipeline *mkpipeline(const struct opspec *ops, size_t nops, emitfn *emit, void *emitctx,
                            loadfn *load, void *loadctx);
/*
 * Push the next decoded frame. Its pixels may be taken (f->img is left valid but may
 * hold other storage). Frames are emitted in order, possibly later: `background` with
 * frames = N holds the first N frames until it has them all.
 */
int pipepush(struct pipeline *p, struct frame *f, char *err, size_t n);
/*
 * When the first op is a crop that fits a w x h frame, true and its rectangle: the
 * caller may then decode just that (pngreadrect) and push it with pipepushcropped.
 * False when the first op is not a crop, or is one that leaves the frame (pipepush
 * then reports the error).
 */
bool pipefirstcrop(const struct pipeline *p, int w, int h, int *x, int *y, int *cw, int *ch);
/* pipepush of a frame the first op (a crop) was already applied to; -1 when it is not one */
int pipepushcropped(struct pipeline *p, struct frame *f, char *err, size_t n);
/*
 * The ops of a pipeline may run on several threads at once, up to the first background
 * not made yet: pipestop says where that is, pipeapply runs the ops before it on a
 * frame (any thread, its own scratch), and pipepushfrom goes on from there on the
 * pipeline's own thread, in frame order, as pipepush would.
 */
/* the first op that is a background not made yet (it holds frames or loads its file), or nops */
size_t pipestop(const struct pipeline *p);
/* a taker of a frame's rows as the pipeline's last op writes them: row y (w pixels) of the w x h frame, from the top */
struct rowsink {
	void (*fn)(void *ctx, const float *row, int y, int w, int h);
	void *ctx;
};
/*
 * apply ops [from, stop) to f with the scratch images s, stop as pipestop gave it: on
 * any thread, while frames are pushed too; 0 or -1 with err. When the last op is a blur
 * and applied here, sink (unless NULL) takes each of its rows as it writes them.
 */
struct opscratch;
int pipeapply(const struct pipeline *p, struct frame *f, size_t from, size_t stop, struct opscratch *s,
              const struct rowsink *sink, char *err, size_t n);
/* pipepush of a frame the ops before from were already applied to (pipeapply) */
int pipepushfrom(struct pipeline *p, struct frame *f, size_t from, char *err, size_t n);
/* let the making of a background and the frames it held use the cores c gives (borrowed; NULL: one thread) */
struct cores;
void pipecores(struct pipeline *p, struct cores *c);
/* after the last frame: emit whatever is held; 0 or -1 with err */
int pipefinish(struct pipeline *p, char *err, size_t n);
/* free the pipeline and every frame it holds */
void delpipeline(struct pipeline *p);

#endif
