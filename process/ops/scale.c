/* scale: v = v * gain + offset */
#include <math.h>

#include "common/opdesc.h"
#include "ops.h"
#include "process/simd.h"

/* its keys' positions (common/opdesc.h) */
enum { SCALEGAIN = OPPOS(0, OPKNUM), SCALEOFFSET = OPPOS(1, OPKNUM) };

#ifdef OPDECL
/* the declaration, compiled into libcommon by common/ops.c: it works in place */

static const struct opkey scalekeys[] = {
	OPNUM("gain", SCALEGAIN, 0, -INFINITY, INFINITY, 1, "the factor every value is multiplied by"),
	OPNUM("offset", SCALEOFFSET, 0, -INFINITY, INFINITY, 0, "what is added after"),
};

static const struct opdesc scaledesc = {
	.name = "scale", .help = "v = v * gain + offset", .version = 1, .keys = scalekeys, .nkeys = OPNKEYS(scalekeys),
};

#else
/* the pixels, compiled into runja-process */

/* p = p * gain + offset over n pixels, in double */
SIMDINLINE void
scalepxbody(float *p, size_t n, double gain, double offset)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = p[i] * gain + offset;
}
SIMDCLONES(scalepx, (float *p, size_t n, double gain, double offset), (p, n, gain, offset))

void
imgscale(struct img *im, double gain, double offset)
{
	scalepx(im->px, (size_t)im->w * im->h, gain, offset);
}

void
scalerow(const struct opspec *op, float *p, size_t n)
{
	scalepx(p, n, opvalnum(op, SCALEGAIN), opvalnum(op, SCALEOFFSET));
}

int
scaleapply(const struct opspec *op, struct img *im, struct opscratch *s, char *err, size_t n)
{
	(void)s, (void)err, (void)n;
	imgscale(im, opvalnum(op, SCALEGAIN), opvalnum(op, SCALEOFFSET));
	return 0;
}

#endif
