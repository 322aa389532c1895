/* crop: a rectangle of every frame */
#include <string.h>

#include "common/opdesc.h"
#include "common/util.h"
#include "ops.h"

/* its keys' positions (common/opdesc.h) */
enum {
	CROPX = OPPOS(0, OPKINT),
	CROPY = OPPOS(1, OPKINT),
	CROPWIDTH = OPPOS(2, OPKINT),
	CROPHEIGHT = OPPOS(3, OPKINT),
};

#ifdef OPDECL
/* the declaration, compiled into libcommon by common/ops.c: runja-gen and runja-process read it */

static const struct opkey cropkeys[] = {
	OPINT("x", CROPX, OPREQUIRED, 0, OPINTMAX, 0, "the rectangle's left column"),
	OPINT("y", CROPY, OPREQUIRED, 0, OPINTMAX, 0, "its top row"),
	OPINT("width", CROPWIDTH, OPREQUIRED, 1, OPINTMAX, 0, "its width in pixels"),
	OPINT("height", CROPHEIGHT, OPREQUIRED, 1, OPINTMAX, 0, "its height in pixels"),
};

/* the rectangle is copied beside the frame; a first crop is decoded as the rectangle alone (pipefirstcrop) */
static void
cropmem(const struct opspec *op, struct opmem *m)
{
	if (!m->first)
		opmemspare(m);
	m->w = opvalint(op, CROPWIDTH), m->h = opvalint(op, CROPHEIGHT);
	if (m->first)
		m->frame = m->w * m->h * 4;
}

static const struct opdesc cropdesc = {
	.name = "crop", .help = "keep a rectangle of every frame", .version = 1,
	.keys = cropkeys, .nkeys = OPNKEYS(cropkeys), .mem = cropmem,
};

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

void
croprect(const struct opspec *op, int *x, int *y, int *w, int *h)
{
	*x = opvalint(op, CROPX);
	*y = opvalint(op, CROPY);
	*w = opvalint(op, CROPWIDTH);
	*h = opvalint(op, CROPHEIGHT);
}

int
cropapply(const struct opspec *op, struct img *im, struct opscratch *s, char *err, size_t n)
{
	int x, y, w, h;

	croprect(op, &x, &y, &w, &h);
	if (imgcrop(im, &s->spare, x, y, w, h, err, n) < 0)
		return -1;
	imgswap(im, &s->spare);
	return 0;
}

#endif
