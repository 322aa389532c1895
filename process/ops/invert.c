/* invert: v = 1 - v */
#include "common/opdesc.h"
#include "ops.h"
#include "process/simd.h"

#ifdef OPDECL
/* the declaration, compiled into libcommon by common/ops.c: no keys, and it works in place */

static const struct opdesc invertdesc = {.name = "invert", .help = "v = 1 - v", .version = 1};

#else
/* the pixels, compiled into runja-process */

/* p = 1 - p over n pixels */
SIMDINLINE void
invertpxbody(float *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = 1.0f - p[i];
}
SIMDCLONES(invertpx, (float *p, size_t n), (p, n))

void
imginvert(struct img *im)
{
	invertpx(im->px, (size_t)im->w * im->h);
}

void
invertrow(const struct opspec *op, float *p, size_t n)
{
	(void)op;
	invertpx(p, n);
}

int
invertapply(const struct opspec *op, struct img *im, struct opscratch *s, char *err, size_t n)
{
	(void)op, (void)s, (void)err, (void)n;
	imginvert(im);
	return 0;
}

#endif
