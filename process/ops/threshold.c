/* threshold: v = 1 where v >= level, else 0 */
#include <math.h>

#include "common/opdesc.h"
#include "ops.h"

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

void
imgthreshold(struct img *im, double level)
{
	float *p = im->px;
	float l = level;
	size_t i, n = (size_t)im->w * im->h;

	/* the smallest float >= level, so that the float compare equals v >= level in double */
	if ((double)l < level)
		l = nextafterf(l, INFINITY);
	for (i = 0; i < n; i++)
		p[i] = p[i] >= l ? 1.0f : 0.0f;
}

int
thresholdapply(const struct opspec *op, struct img *im, struct opscratch *s, char *err, size_t n)
{
	(void)s, (void)err, (void)n;
	imgthreshold(im, opvalnum(op, THRESHOLDLEVEL));
	return 0;
}

#endif
