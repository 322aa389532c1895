/* crop: a rectangle of every frame */
#include <string.h>

#include "common/opdesc.h"
#include "common/util.h"
#include "ops.h"

#ifdef OPDECL
/* the declaration, compiled into libcommon by common/ops.c: runja-gen and runja-process read it */

static const struct opkey cropkeys[] = {
	OPINT("x", x, OPREQUIRED, 0, OPINTMAX, 0, "the rectangle's left column"),
	OPINT("y", y, OPREQUIRED, 0, OPINTMAX, 0, "its top row"),
	OPINT("width", width, OPREQUIRED, 1, OPINTMAX, 0, "its width in pixels"),
	OPINT("height", height, OPREQUIRED, 1, OPINTMAX, 0, "its height in pixels"),
};

/* the rectangle is copied beside the frame (a first crop is decoded as the rectangle alone: gen/pool.c) */
static void
cropmem(const struct opspec *op, struct opmem *m)
{
	opmemspare(m);
	m->w = op->width, m->h = op->height;
}

static const struct opdesc cropdesc = {"crop", "keep a rectangle of every frame", cropkeys, 4, cropmem};

#else
/* the pixels, compiled into runja-process */

int
imgcrop(const struct img *src, struct img *dst, int x, int y, int w, int h, char *err, size_t n)
{
	int j;

	if (x < 0 || y < 0 || w < 1 || h < 1 || w > src->w - x || h > src->h - y)
		return seterr(err, n, "crop x=%d y=%d width=%d height=%d does not fit the %dx%d frame",
		              x, y, w, h, src->w, src->h);
	imgresize(dst, w, h);
	for (j = 0; j < h; j++)
		memcpy(dst->px + (size_t)j * w, src->px + (size_t)(y + j) * src->w + x, (size_t)w * sizeof(float));
	return 0;
}

int
cropapply(const struct opspec *op, struct img *im, struct opscratch *s, char *err, size_t n)
{
	if (imgcrop(im, &s->spare, op->x, op->y, op->width, op->height, err, n) < 0)
		return -1;
	imgswap(im, &s->spare);
	return 0;
}

#endif
