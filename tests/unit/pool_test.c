/* tests of gen/pool.c: the peak memory estimate of jobs.pool = "auto", op by op from the ops' declarations */
#include <stdbool.h>
#include <stddef.h>

#include "gen/pool.h"
#include "tests/test.h"
#include "tests/unit/mkop.h"

static const struct pnghead gray8 = {1024, 768, 8, 1, 0, false};
static const struct pnghead rgb16 = {640, 480, 16, 3, 2, true};
static const struct prodspec meanstd = {.mean = true, .std = true, .tsrow = -1, .tscol = -1};
static const struct prodspec all = {.mean = true, .std = true, .min = true, .max = true, .stats = true,
                                    .timestack = true, .tsrow = 100, .tscol = -1, .front = true, .frontlevel = 0.1};
static const struct prodspec column = {.std = true, .min = true, .timestack = true, .tsrow = -1, .tscol = 5};

TEST(nops)
{
	/* decoding row by row, the frame as floats, the sums of mean and std and their images */
	EXPECTNEAR(estimaterun(&gray8, 12, NULL, 0, &meanstd, true), 28313600, 0);
}

TEST(eachop)
{
	struct opspec crop[] = {mkop("crop:x=0,y=200,width=1024,height=300"), mkop("blur:sigma=2")};
	struct opspec bgblur[] = {mkop("background:frames=5,method=median"), mkop("blur:sigma=2")};
	struct opspec dsbg[] = {mkop("downsample:factor=2"), mkop("background:frames=10,method=mean")};
	struct opspec median[] = {mkop("median:radius=1")};

	/* the figures of the model before the ops declared their own buffers: the same to the byte */
	EXPECTNEAR(estimaterun(&gray8, 12, crop, 2, &all, true), 15542272, 0);
	EXPECTNEAR(estimaterun(&gray8, 12, bgblur, 2, &all, false), 50440192, 0);
	EXPECTNEAR(estimaterun(&gray8, 12, dsbg, 2, &column, true), 22845440, 0);
	EXPECTNEAR(estimaterun(&gray8, 12, median, 1, &meanstd, true), 28313600, 0);
}

TEST(everyop)
{
	/* every kind, a crop that is not first, a background file, a background of more frames than the run has */
	struct opspec ops[] = {
		mkop("background:file=bg.png"), mkop("crop:x=3,y=5,width=500,height=301"), mkop("downsample:factor=3"),
		mkop("invert"), mkop("scale:gain=2"), mkop("median:radius=2"), mkop("blur:sigma=1"),
		mkop("background:frames=50,method=mean"), mkop("threshold:level=0.5"),
	};

	EXPECTNEAR(estimaterun(&rgb16, 12, ops, 9, &all, true), 11315792, 0);
	EXPECTNEAR(estimaterun(&rgb16, 120, ops, 9, &column, true), 13851328, 0);
	EXPECTNEAR(estimaterun(&rgb16, 7, ops + 1, 8, &meanstd, true), 7122528, 0);
	delops(ops, 9);
}

int
main(void)
{
	RUN(nops);
	RUN(eachop);
	RUN(everyop);
	return TESTEXIT();
}
