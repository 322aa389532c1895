/* tests of process/pngwrite.c's failures: a full disk is told as one, whether libpng's own
   writes meet it or the last flush does, so that the run is tried again (jobspassing) */
#include <errno.h>
#include <stdlib.h>

#include "common/util.h"
#include "process/img.h"
#include "process/png.h"
#include "tests/test.h"

/* write a w x h image of noise (nothing for deflate to shrink) to /dev/full: -1, the
   message, and ENOSPC as the cause */
static void
full(int w, int h)
{
	struct img im = {.w = w, .h = h};
	char err[256];
	size_t i;

	im.px = xreallocarray(NULL, (size_t)w * h, sizeof(float));
	srand(7);
	for (i = 0; i < (size_t)w * h; i++)
		im.px[i] = (float)rand() / (float)RAND_MAX;
	seterrclear();
	EXPECTINT(pngwrite16("/dev/full", &im, 0, 1, 1, err, sizeof(err)), -1);
	EXPECTSTR(err, "write error: No space left on device");
	EXPECTINT(seterrno(), ENOSPC);
	free(im.px);
}

/* libpng's writes fail inside its write callback (the image outgrows stdio's buffer) */
TEST(full_while_writing)
{
	full(512, 512);
}

/* everything fits stdio's buffer: the failure comes at fclose */
TEST(full_at_close)
{
	full(2, 2);
}

int
main(void)
{
	RUN(full_while_writing);
	RUN(full_at_close);
	return TESTEXIT();
}
