/* tests of process/pngwrite.c's failures: a full disk is told as one, whether the writes
   meet it (its own writer's at levels 1-3, libpng's at the others) or the last flush does,
   so that the run is tried again (jobspassing) */
#include <errno.h>
#include <stdlib.h>

#include "common/util.h"
#include "process/img.h"
#include "process/png.h"
#include "tests/test.h"

/* write a w x h image of noise (nothing for deflate to shrink) to /dev/full at level: -1,
   the message, and ENOSPC as the cause */
static void
full(int w, int h, int level)
{
	struct img im = {.w = w, .h = h};
	char err[256];
	size_t i;

	im.px = xreallocarray(NULL, (size_t)w * h, sizeof(float));
	srand(7);
	for (i = 0; i < (size_t)w * h; i++)
		im.px[i] = (float)rand() / (float)RAND_MAX;
	seterrclear();
	EXPECTINT(pngwrite16("/dev/full", &im, 0, 1, level, err, sizeof(err)), -1);
	EXPECTSTR(err, "write error: No space left on device");
	EXPECTINT(seterrno(), ENOSPC);
	free(im.px);
}

/* the writes fail (the image outgrows stdio's buffer): the own writer's, and libpng's inside its write callback */
TEST(full_while_writing)
{
	full(512, 512, 1);
	full(512, 512, 6);
}

/* everything fits stdio's buffer: the failure comes at fclose */
TEST(full_at_close)
{
	full(2, 2, 1);
	full(2, 2, 6);
}

int
main(void)
{
	RUN(full_while_writing);
	RUN(full_at_close);
	return TESTEXIT();
}
