/* threshold: v = 1 where v >= level, else 0 */
#include <math.h>

#include "common/opdesc.h"
#include "ops.h"
#include "process/simd.h"

/* its key's position (common/opdesc.h) */
enum { THRESHOLDLEVEL = OPPOS(0, OPKNUM) };

#ifdef OPDECL
/* the declaration, compiled into libcommon by common/ops.c: it works in place */

static const struct opkey thresholdkeys[] = {
	OPNUM("level", THRESHOLDLEVEL, OPREQUIRED, -INFINITY, INFINITY, 0, "values >= level become 1, the others 0"),
};

static const struct opdesc thresholddesc = {
	.name = "threshold", .help = "v = v >= level ? 1 : 0", .version = 1,
	.keys = thresholdkeys, .nkeys = OPNKEYS(thresholdkeys),
};

#else
/* the pixels, compiled into runja-process */

/* p = p >= l ? 1 : 0 over n pixels */
SIMDINLINE void
thresholdpxbody(float *p, size_t n, float l)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = p[i] >= l ? 1.0f : 0.0f;
}
SIMDCLONES(thresholdpx, (float *p, size_t n, float l), (p, n, l))

/* v >= level over n pixels at p */
static void
thresholdlevel(float *p, size_t n, double level)
{
	float l = level;

	/* the smallest float >= level, so that the float compare equals v >= level in double */
	if ((double)l < level)
		l = nextafterf(l, INFINITY);
	thresholdpx(p, n, l);
}

void
imgthreshold(struct img *im, double level)
{
	thresholdlevel(im->px, (size_t)im->w * im->h, level);
}

void
thresholdrow(const struct opspec *op, float *p, size_t n)
{
	thresholdlevel(p, n, opvalnum(op, THRESHOLDLEVEL));
}

int
thresholdapply(const struct opspec *op, struct img *im, struct opscratch *s, char *err, size_t n)
{
	(void)s, (void)err, (void)n;
	imgthreshold(im, opvalnum(op, THRESHOLDLEVEL));
	return 0;
}

#endif
