/* process/pipeline: ops in order, frames held by background, emitted in order */
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "process/ops/ops.h"
#include "process/pipeline.h"
#include "tests/test.h"
#include "tests/unit/mkop.h"
#include "tests/unit/fixtures/pipeline_fixtures.h"

enum { W = 9, H = 8, NF = 6, MAXOUT = 16 };

static const char *names[NF] = {"f0.png", "f1.png", "f2.png", "f3.png", "f4.png", "f5.png"};

/* what the emit callback saw */
struct sink {
	int nout;                 /* frames emitted */
	int index[MAXOUT];        /* their indexes */
	const char *name[MAXOUT]; /* their names */
	struct img img[MAXOUT];   /* copies of their pixels */
	int failat;               /* emit fails on this call (-1: never) */
};

/* a fake loader: one known image under one name */
struct loader {
	const char *name;  /* the file it knows */
	const float *px;   /* its pixels, W x H */
	int ncalls;        /* how often it was called */
};

static int
sinkemit(void *ctx, const struct frame *f, char *err, size_t n)
{
	struct sink *s = ctx;

	if (s->nout == s->failat)
		return seterr(err, n, "disk full");
	if (s->nout == MAXOUT)
		return seterr(err, n, "too many frames");
	s->index[s->nout] = f->index;
	s->name[s->nout] = f->name;
	imgcopy(&s->img[s->nout], &f->img);
	s->nout++;
	return 0;
}

static int
fakeload(void *ctx, const char *name, struct img *im, char *err, size_t n)
{
	struct loader *l = ctx;

	l->ncalls++;
	if (strcmp(name, l->name) != 0)
		return seterr(err, n, "%s: No such file or directory", name);
	imgresize(im, W, H);
	memcpy(im->px, l->px, W * H * sizeof(float));
	return 0;
}

static void
delsink(struct sink *s)
{
	int i;

	for (i = 0; i < MAXOUT; i++)
		delimg(&s->img[i]);
}

/* push input frame i (a fresh copy, as a decoder would hand it over) */
static int
push(struct pipeline *p, struct frame *f, int i, char *err, size_t n)
{
	imgresize(&f->img, W, H);
	memcpy(f->img.px, fx_pipe_in + i * W * H, W * H * sizeof(float));
	f->index = i;
	f->name = names[i];
	return pipepush(p, f, err, n);
}

/* check that im is w x h and equals want to 1e-6 */
#define EXPECTIMG(im, want, ww, hh) do { \
	int i_; \
	EXPECTINT((im)->w, (ww)); \
	EXPECTINT((im)->h, (hh)); \
	if ((im)->w != (ww) || (im)->h != (hh)) \
		break; \
	for (i_ = 0; i_ < (ww) * (hh); i_++) { \
		EXPECTNEAR((im)->px[i_], (want)[i_], 1e-6); \
		if (testfailed) \
			break; \
	} \
} while (0)

/* the crop most tests start with */
#define CROPOP "crop:x=1,y=2,width=6,height=5"

/* crop + background(3, median) + blur(1), by hand with the ops: out[i] for the first nf frames */
static void
byhand(struct img *out, int nf, int nbg)
{
	struct img in[NF], crops[NF], b = {0}, tmp = {0};
	char err[256];
	int i;

	for (i = 0; i < nf; i++) {
		mkimg(&in[i], W, H);
		memcpy(in[i].px, fx_pipe_in + i * W * H, W * H * sizeof(float));
		crops[i] = (struct img){0};
		imgcrop(&in[i], &crops[i], 1, 2, 6, 5, err, sizeof(err));
	}
	imgbgmedian(crops, nbg, &b);
	for (i = 0; i < nf; i++) {
		out[i] = (struct img){0};
		imgcopy(&out[i], &crops[i]);
		imgsub(&out[i], &b);
		imgblur(&out[i], 1, &tmp);
		delimg(&in[i]);
		delimg(&crops[i]);
	}
	delimg(&b);
	delimg(&tmp);
}

TEST(background_median)
{
	struct opspec ops[3] = {mkop(CROPOP), mkop("background:frames=3,method=median"), mkop("blur:sigma=1")};
	struct sink s = {.failat = -1};
	struct frame f = {0};
	struct img want[NF];
	struct pipeline *p;
	char err[256];
	int i;

	p = mkpipeline(ops, 3, sinkemit, &s, NULL, NULL);
	EXPECTINT(push(p, &f, 0, err, sizeof(err)), 0);
	EXPECTINT(push(p, &f, 1, err, sizeof(err)), 0);
	EXPECTINT(s.nout, 0);
	EXPECTINT(push(p, &f, 2, err, sizeof(err)), 0);
	EXPECTINT(s.nout, 3);
	for (i = 3; i < NF; i++) {
		EXPECTINT(push(p, &f, i, err, sizeof(err)), 0);
		EXPECTINT(s.nout, i + 1);
	}
	EXPECTINT(pipefinish(p, err, sizeof(err)), 0);
	EXPECTINT(s.nout, NF);
	byhand(want, NF, 3);
	for (i = 0; i < s.nout; i++) {
		EXPECTINT(s.index[i], i);
		EXPECTSTR(s.name[i], names[i]);
		EXPECTIMG(&s.img[i], fx_pipe_out + i * 30, 6, 5);
		EXPECTIMG(&s.img[i], want[i].px, 6, 5);
	}
	for (i = 0; i < NF; i++)
		delimg(&want[i]);
	delpipeline(p);
	delimg(&f.img);
	delsink(&s);
}

TEST(background_flush)
{
	/* 2 frames for frames = 3: nothing until pipefinish, then the median of both */
	struct opspec ops[3] = {mkop(CROPOP), mkop("background:frames=3,method=median"), mkop("blur:sigma=1")};
	struct sink s = {.failat = -1};
	struct frame f = {0};
	struct pipeline *p;
	char err[256];
	int i;

	p = mkpipeline(ops, 3, sinkemit, &s, NULL, NULL);
	EXPECTINT(push(p, &f, 0, err, sizeof(err)), 0);
	EXPECTINT(push(p, &f, 1, err, sizeof(err)), 0);
	EXPECTINT(s.nout, 0);
	EXPECTINT(pipefinish(p, err, sizeof(err)), 0);
	EXPECTINT(s.nout, 2);
	for (i = 0; i < s.nout; i++) {
		EXPECTINT(s.index[i], i);
		EXPECTIMG(&s.img[i], fx_pipe_out2 + i * 30, 6, 5);
	}
	delpipeline(p);
	delimg(&f.img);
	delsink(&s);
}

TEST(background_file)
{
	/* background from a file: loaded once, cropped like the frames, never emitted */
	struct opspec ops[3] = {mkop(CROPOP), mkop("background:file=bg.png"), mkop("blur:sigma=1")};
	struct loader l = {"bg.png", fx_pipe_in + 5 * W * H, 0};
	struct sink s = {.failat = -1};
	struct frame f = {0};
	struct img in = {0}, bg = {0}, want = {0}, tmp = {0};
	struct pipeline *p;
	char err[256];
	int i;

	p = mkpipeline(ops, 3, sinkemit, &s, fakeload, &l);
	for (i = 0; i < 4; i++) {
		EXPECTINT(push(p, &f, i, err, sizeof(err)), 0);
		EXPECTINT(s.nout, i + 1);
	}
	EXPECTINT(pipefinish(p, err, sizeof(err)), 0);
	EXPECTINT(s.nout, 4);
	EXPECTINT(l.ncalls, 1);

	mkimg(&in, W, H);
	memcpy(in.px, fx_pipe_in + 5 * W * H, W * H * sizeof(float));
	imgcrop(&in, &bg, 1, 2, 6, 5, err, sizeof(err));
	for (i = 0; i < s.nout; i++) {
		memcpy(in.px, fx_pipe_in + i * W * H, W * H * sizeof(float));
		imgcrop(&in, &want, 1, 2, 6, 5, err, sizeof(err));
		imgsub(&want, &bg);
		imgblur(&want, 1, &tmp);
		EXPECTINT(s.index[i], i);
		EXPECTIMG(&s.img[i], want.px, 6, 5);
	}
	/* frame 5 against itself as background: all zero */
	EXPECTINT(push(p, &f, 5, err, sizeof(err)), 0);
	EXPECTINT(s.nout, 5);
	for (i = 0; i < 30; i++)
		EXPECTNEAR(s.img[4].px[i], 0, 1e-6);
	delpipeline(p);
	delops(ops, 3);
	delimg(&f.img);
	delimg(&in);
	delimg(&bg);
	delimg(&want);
	delimg(&tmp);
	delsink(&s);
}

TEST(two_backgrounds)
{
	/* background(2, mean), invert, background(3, median), scale: 5 frames */
	struct opspec ops[4] = {mkop("background:frames=2,method=mean"), mkop("invert"),
	                        mkop("background:frames=3,method=median"), mkop("scale:gain=2,offset=0.5")};
	struct sink s = {.failat = -1};
	struct frame f = {0};
	struct img in[5], b1 = {0}, b2 = {0};
	struct pipeline *p;
	char err[256];
	int i, nout[5] = {0, 0, 3, 4, 5};

	p = mkpipeline(ops, 4, sinkemit, &s, NULL, NULL);
	for (i = 0; i < 5; i++) {
		EXPECTINT(push(p, &f, i, err, sizeof(err)), 0);
		EXPECTINT(s.nout, nout[i]);
	}
	EXPECTINT(pipefinish(p, err, sizeof(err)), 0);
	EXPECTINT(s.nout, 5);

	for (i = 0; i < 5; i++) {
		mkimg(&in[i], W, H);
		memcpy(in[i].px, fx_pipe_in + i * W * H, W * H * sizeof(float));
	}
	imgbgmean(in, 2, &b1);
	for (i = 0; i < 5; i++) {
		imgsub(&in[i], &b1);
		imginvert(&in[i]);
	}
	imgbgmedian(in, 3, &b2);
	for (i = 0; i < 5; i++) {
		imgsub(&in[i], &b2);
		imgscale(&in[i], 2, 0.5);
		EXPECTINT(s.index[i], i);
		EXPECTIMG(&s.img[i], in[i].px, W, H);
		delimg(&in[i]);
	}
	delimg(&b1);
	delimg(&b2);
	delpipeline(p);
	delimg(&f.img);
	delsink(&s);
}

TEST(two_backgrounds_flush)
{
	/* neither background gets its frames: pipefinish flushes the first into the second */
	struct opspec ops[2] = {mkop("background:frames=4,method=mean"), mkop("background:frames=9,method=mean")};
	struct sink s = {.failat = -1};
	struct frame f = {0};
	struct pipeline *p;
	char err[256];
	int i;

	p = mkpipeline(ops, 2, sinkemit, &s, NULL, NULL);
	for (i = 0; i < 3; i++)
		EXPECTINT(push(p, &f, i, err, sizeof(err)), 0);
	EXPECTINT(s.nout, 0);
	EXPECTINT(pipefinish(p, err, sizeof(err)), 0);
	EXPECTINT(s.nout, 3);
	/* f - mean, then minus the mean of those, which is 0 */
	for (i = 0; i < s.nout; i++) {
		EXPECTINT(s.index[i], i);
		EXPECTNEAR(s.img[i].px[0], fx_pipe_in[i * W * H] -
		           (fx_pipe_in[0] + fx_pipe_in[W * H] + fx_pipe_in[2 * W * H]) / 3.0, 1e-6);
	}
	delpipeline(p);
	delimg(&f.img);
	delsink(&s);
}

TEST(no_ops)
{
	struct sink s = {.failat = -1};
	struct frame f = {0};
	struct pipeline *p;
	char err[256];

	p = mkpipeline(NULL, 0, sinkemit, &s, NULL, NULL);
	EXPECTINT(push(p, &f, 3, err, sizeof(err)), 0);
	EXPECTINT(pipefinish(p, err, sizeof(err)), 0);
	EXPECTINT(s.nout, 1);
	EXPECTINT(s.index[0], 3);
	EXPECTSTR(s.name[0], "f3.png");
	EXPECTIMG(&s.img[0], fx_pipe_in + 3 * W * H, W, H);
	delpipeline(p);
	delimg(&f.img);
	delsink(&s);
}

/* op = an op of kind k that takes any frame: each required key (but a file) at its least value, a number inside its range */
static void
anyop(struct opspec *op, enum opkind k)
{
	const struct opdesc *d = opdesc(k);
	size_t i;

	opinit(op, k);
	for (i = 0; i < d->nkeys; i++) {
		const struct opkey *key = &d->keys[i];

		if (!(key->flags & OPREQUIRED) || key->type == OPKFILE)
			continue;
		if (key->type == OPKNUM)
			setkey(op, key->name, key->min > -INFINITY ? key->min + 0.5 : key->max < INFINITY ? key->max - 0.5 : 0.5);
		else
			setkey(op, key->name, key->min);
	}
}

TEST(every_op)
{
	/* each op's pixel function is the one its kind gets (common/oplist.h): each op, alone, passes a frame on */
	struct sink s = {.failat = -1};
	struct frame f = {0};
	struct opspec op;
	struct pipeline *p;
	char err[256];
	size_t k;

	for (k = 0; k < nopdescs; k++) {
		anyop(&op, (enum opkind)k);
		s.nout = 0;
		p = mkpipeline(&op, 1, sinkemit, &s, NULL, NULL);
		strcpy(err, "");
		EXPECTINT(push(p, &f, 0, err, sizeof(err)), 0);
		EXPECTINT(pipefinish(p, err, sizeof(err)), 0);
		if (s.nout != 1)
			printf("  %s: %s\n", optext(&op), err);
		EXPECTINT(s.nout, 1);
		delpipeline(p);
		delsink(&s);
	}
	delimg(&f.img);
}

/* what a rowsink was handed: rows in order, copied */
struct rowcopy {
	struct img img;  /* the rows, once the first told the size */
	int next;        /* the row expected next */
	int bad;         /* one came out of order or with another size */
};

/* copy row y of the w x h frame (rowsink) */
static void
rowcopy(void *ctx, const float *row, int y, int w, int h)
{
	struct rowcopy *c = ctx;

	if (y == 0)
		imgresize(&c->img, w, h);
	if (y != c->next++ || w != c->img.w || h != c->img.h) {
		c->bad = 1;
		return;
	}
	memcpy(c->img.px + (size_t)y * w, row, (size_t)w * sizeof(*row));
}

TEST(rows_sink)
{
	/* a last blur hands each row on as it writes it: the frame's rows, in order, once each;
	   with an op after the blur, or no blur, no row is handed on */
	static const char *const tails[][2] = {{"blur:sigma=1", ""}, {"blur:sigma=0.1", ""},
	                                       {"blur:sigma=1", "invert"}, {"invert", ""}};
	struct opscratch scratch = {0};
	struct opspec ops[3];
	struct rowcopy c;
	struct rowsink sink = {rowcopy, &c};
	struct frame f = {0};
	struct pipeline *p;
	char err[256];
	size_t k, nops;

	for (k = 0; k < sizeof(tails) / sizeof(tails[0]); k++) {
		ops[0] = mkop(CROPOP);
		ops[1] = mkop(tails[k][0]);
		nops = *tails[k][1] ? 3 : 2;
		if (nops == 3)
			ops[2] = mkop(tails[k][1]);
		c = (struct rowcopy){0};
		p = mkpipeline(ops, nops, NULL, NULL, NULL, NULL);
		imgresize(&f.img, W, H);
		memcpy(f.img.px, fx_pipe_in, W * H * sizeof(float));
		EXPECTINT(pipeapply(p, &f, 0, pipestop(p), &scratch, &sink, err, sizeof(err)), 0);
		EXPECTINT(f.img.w, 6);
		EXPECTINT(c.bad, 0);
		if (k < 2) {
			EXPECTINT(c.next, 5);
			EXPECTIMG(&c.img, f.img.px, 6, 5);
		} else {
			EXPECTINT(c.next, 0);
		}
		delpipeline(p);
		delops(ops, nops);
		delimg(&c.img);
	}
	delimg(&f.img);
	delimg(&scratch.spare);
	delimg(&scratch.tmp);
}

TEST(errors)
{
	struct opspec badcrop[1] = {mkop("crop:x=5,y=0,width=5,height=8")};
	struct opspec badfile[2] = {mkop(CROPOP), mkop("background:file=nothere.png")};
	struct opspec heldbad[2] = {mkop("background:frames=2,method=mean"), mkop("downsample:factor=10")};
	struct opspec blurop[1] = {mkop("blur:sigma=1")};
	struct loader l = {"bg.png", fx_pipe_in, 0};
	struct sink s = {.failat = -1};
	struct frame f = {0};
	struct pipeline *p;
	char err[256];

	p = mkpipeline(badcrop, 1, sinkemit, &s, NULL, NULL);
	EXPECTINT(push(p, &f, 0, err, sizeof(err)), -1);
	EXPECTSTR(err, "crop x=5 y=0 width=5 height=8 does not fit the 9x8 frame");
	delpipeline(p);

	p = mkpipeline(badfile, 2, sinkemit, &s, fakeload, &l);
	EXPECTINT(push(p, &f, 0, err, sizeof(err)), -1);
	EXPECTSTR(err, "nothere.png: No such file or directory");
	EXPECTINT(l.ncalls, 1);
	delpipeline(p);
	delops(badfile, 2);

	/* the held frames fail when they are released, on the push that completes them */
	p = mkpipeline(heldbad, 2, sinkemit, &s, NULL, NULL);
	EXPECTINT(push(p, &f, 0, err, sizeof(err)), 0);
	EXPECTINT(push(p, &f, 1, err, sizeof(err)), -1);
	EXPECTSTR(err, "downsample factor 10 is larger than the 9x8 frame");
	delpipeline(p);

	/* held frames never released are freed by delpipeline */
	p = mkpipeline(heldbad, 2, sinkemit, &s, NULL, NULL);
	EXPECTINT(push(p, &f, 0, err, sizeof(err)), 0);
	delpipeline(p);

	s.failat = 1;
	p = mkpipeline(blurop, 1, sinkemit, &s, NULL, NULL);
	EXPECTINT(push(p, &f, 0, err, sizeof(err)), 0);
	EXPECTINT(push(p, &f, 1, err, sizeof(err)), -1);
	EXPECTSTR(err, "disk full");
	EXPECTINT(s.nout, 1);
	delpipeline(p);

	EXPECTINT(s.nout, 1);
	delimg(&f.img);
	delsink(&s);
}

TEST(first_crop)
{
	/* the rectangle of a first crop that fits, and nothing otherwise */
	struct opspec ops[3] = {mkop(CROPOP), mkop("background:frames=3,method=median"), mkop("blur:sigma=1")};
	struct opspec later[2] = {mkop("invert"), mkop(CROPOP)};
	struct opspec edge[1] = {mkop("crop:x=3,y=3,width=6,height=5")};
	struct pipeline *p;
	int x = -1, y = -1, w = -1, h = -1;

	p = mkpipeline(ops, 3, sinkemit, NULL, NULL, NULL);
	EXPECT(pipefirstcrop(p, W, H, &x, &y, &w, &h));
	EXPECT(x == 1 && y == 2 && w == 6 && h == 5);
	EXPECT(pipefirstcrop(p, 7, 7, &x, &y, &w, &h));
	EXPECT(!pipefirstcrop(p, 6, 7, &x, &y, &w, &h));
	EXPECT(!pipefirstcrop(p, 7, 6, &x, &y, &w, &h));
	delpipeline(p);

	/* right at the bottom-right corner, and one pixel too far */
	p = mkpipeline(edge, 1, sinkemit, NULL, NULL, NULL);
	EXPECT(pipefirstcrop(p, W, H, &x, &y, &w, &h));
	EXPECT(x == 3 && y == 3 && w == 6 && h == 5);
	EXPECT(!pipefirstcrop(p, W - 1, H, &x, &y, &w, &h));
	EXPECT(!pipefirstcrop(p, W, H - 1, &x, &y, &w, &h));
	delpipeline(p);

	p = mkpipeline(later, 2, sinkemit, NULL, NULL, NULL);
	EXPECT(!pipefirstcrop(p, W, H, &x, &y, &w, &h));
	delpipeline(p);
	p = mkpipeline(NULL, 0, sinkemit, NULL, NULL, NULL);
	EXPECT(!pipefirstcrop(p, W, H, &x, &y, &w, &h));
	delpipeline(p);
}

TEST(push_cropped)
{
	/* frames cropped by the caller give what pipepush gives on whole frames */
	struct opspec ops[3] = {mkop(CROPOP), mkop("background:frames=3,method=median"), mkop("blur:sigma=1")};
	struct opspec noncrop[1] = {mkop("invert")};
	struct sink s = {.failat = -1}, whole = {.failat = -1};
	struct frame f = {0}, g = {0};
	struct img in = {0};
	struct pipeline *p, *q;
	char err[256];
	int i, j;

	p = mkpipeline(ops, 3, sinkemit, &s, NULL, NULL);
	q = mkpipeline(ops, 3, sinkemit, &whole, NULL, NULL);
	mkimg(&in, W, H);
	for (i = 0; i < NF; i++) {
		memcpy(in.px, fx_pipe_in + i * W * H, W * H * sizeof(float));
		EXPECTINT(imgcrop(&in, &f.img, 1, 2, 6, 5, err, sizeof(err)), 0);
		f.index = i;
		f.name = names[i];
		EXPECTINT(pipepushcropped(p, &f, err, sizeof(err)), 0);
		EXPECTINT(push(q, &g, i, err, sizeof(err)), 0);
		EXPECTINT(s.nout, whole.nout);
	}
	EXPECTINT(pipefinish(p, err, sizeof(err)), 0);
	EXPECTINT(pipefinish(q, err, sizeof(err)), 0);
	EXPECTINT(s.nout, NF);
	EXPECTINT(whole.nout, NF);
	for (i = 0; i < s.nout && i < whole.nout; i++) {
		EXPECTINT(s.index[i], i);
		EXPECTSTR(s.name[i], names[i]);
		EXPECTINT(s.img[i].w, 6);
		EXPECTINT(s.img[i].h, 5);
		for (j = 0; j < 30 && s.img[i].w == 6 && s.img[i].h == 5; j++)
			EXPECT(s.img[i].px[j] == whole.img[i].px[j]);
	}

	/* a frame of another size than the crop's, or a pipeline that does not start with one */
	imgresize(&f.img, 6, 4);
	EXPECTINT(pipepushcropped(p, &f, err, sizeof(err)), -1);
	EXPECTSTR(err, "frame pushed as cropped is 6x4, the crop is 6x5");
	delpipeline(p);
	p = mkpipeline(noncrop, 1, sinkemit, &s, NULL, NULL);
	EXPECTINT(pipepushcropped(p, &f, err, sizeof(err)), -1);
	EXPECTSTR(err, "frame pushed as cropped, but the first op is not a crop");
	delpipeline(p);
	delpipeline(q);
	delimg(&in);
	delimg(&f.img);
	delimg(&g.img);
	delsink(&s);
	delsink(&whole);
}

int
main(void)
{
	RUN(background_median);
	RUN(background_flush);
	RUN(background_file);
	RUN(two_backgrounds);
	RUN(two_backgrounds_flush);
	RUN(no_ops);
	RUN(every_op);
	RUN(rows_sink);
	RUN(errors);
	RUN(first_crop);
	RUN(push_cropped);
	return TESTEXIT();
}
