/* downsample: every frame's blocks of factor x factor pixels averaged into one */
#include <stdlib.h>

#include "common/opdesc.h"
#include "common/util.h"
#include "ops.h"

/* its key's position (common/opdesc.h) */
enum { DOWNSAMPLEFACTOR = OPPOS(0, OPKINT) };

#ifdef OPDECL
/* the declaration, compiled into libcommon by common/ops.c: runja-gen and runja-process read it */

static const struct opkey downsamplekeys[] = {
	OPINT("factor", DOWNSAMPLEFACTOR, OPREQUIRED, 1, OPINTMAX, 0, "the side of the blocks averaged into one pixel"),
};

/* the smaller image is written beside the frame; remainder rows and columns are dropped */
static void
downsamplemem(const struct opspec *op, struct opmem *m)
{
	long k = opvalint(op, DOWNSAMPLEFACTOR);

	opmemspare(m);
	m->w = (double)((long)m->w / k), m->h = (double)((long)m->h / k);
}

static const struct opdesc downsampledesc = {
	.name = "downsample", .help = "average every frame's blocks of factor x factor pixels", .version = 1,
	.keys = downsamplekeys, .nkeys = OPNKEYS(downsamplekeys), .mem = downsamplemem,
};

#else
/* the pixels, compiled into runja-process */

int
imgdownsample(const struct img *src, struct img *dst, int k, char *err, size_t n)
{
	const float *row;
	float *out;
	double s;
	int ow, oh, ox, oy, dx, dy;

	if (k < 1)
		return seterr(err, n, "downsample factor %d is not at least 1", k);
	if (k > src->w || k > src->h)
		return seterr(err, n, "downsample factor %d is larger than the %dx%d frame", k, src->w, src->h);
	ow = src->w / k;
	oh = src->h / k;
	imgresize(dst, ow, oh);
	for (oy = 0; oy < oh; oy++) {
		out = dst->px + (size_t)oy * ow;
		for (ox = 0; ox < ow; ox++) {
			s = 0;
			for (dy = 0; dy < k; dy++) {
				row = src->px + (size_t)(oy * k + dy) * src->w + (size_t)ox * k;
				for (dx = 0; dx < k; dx++)
					s += row[dx];
			}
			out[ox] = s / ((double)k * k);
		}
	}
	return 0;
}

int
downsampleapply(const struct opspec *op, struct img *im, struct opscratch *s, char *err, size_t n)
{
	if (imgdownsample(im, &s->spare, opvalint(op, DOWNSAMPLEFACTOR), err, n) < 0)
		return -1;
	imgswap(im, &s->spare);
	return 0;
}

#endif
