/* invert: v = 1 - v */
#include "common/opdesc.h"
#include "ops.h"

#ifdef OPDECL
/* the declaration, compiled into libcommon by common/ops.c: no keys, and it works in place */

static const struct opdesc invertdesc = {.name = "invert", .help = "v = 1 - v", .version = 1};

#else
/* the pixels, compiled into runja-process */

void
imginvert(struct img *im)
{
	float *p = im->px;
	size_t i, n = (size_t)im->w * im->h;

	for (i = 0; i < n; i++)
		p[i] = 1.0f - p[i];
}

int
invertapply(const struct opspec *op, struct img *im, struct opscratch *s, char *err, size_t n)
{
	(void)op, (void)s, (void)err, (void)n;
	imginvert(im);
	return 0;
}

#endif
