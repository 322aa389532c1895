/*
 * libFuzzer harness of the PNG decode path (process/png.c): the input is one frame
 * file, decoded as runja-process does, through a memfd so pngopen gets a real path.
 * max_pixels is 4,000,000; the channel comes from the input length. Besides crashes,
 * it checks the contract: an error is one line, every decoded value is in [0,1], and
 * pngreadrect of a rectangle (from a hash of the input) gives exactly those pixels.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "process/png.h"

/* the memfd holding the current input, and its /proc path */
static int fd = -1;
static char path[64];

/* decode again, a rectangle only, and compare with the full decode full */
static void
checkrect(const uint8_t *data, size_t size, const struct img *full, enum channel ch)
{
	uint32_t hash = 2166136261u;
	struct img im = {0};
	struct pngin *in;
	char err[512];
	int w, h, x, y, rw, rh, r, i;
	size_t k;

	for (k = 0; k < size; k++)
		hash = (hash ^ data[k]) * 16777619u;
	in = pngopen(path, 4000000, &w, &h, err, sizeof(err));
	if (!in)
		abort();
	x = (int)(hash % (uint32_t)w);
	y = (int)(hash / 7 % (uint32_t)h);
	rw = 1 + (int)(hash / 131 % (uint32_t)(w - x));
	rh = 1 + (int)(hash / 1031 % (uint32_t)(h - y));
	r = pngreadrect(in, &im, ch, x, y, rw, rh, err, sizeof(err));
	pngclose(in);
	if (r < 0 || im.w != rw || im.h != rh)
		abort();
	for (i = 0; i < rh; i++)
		if (memcmp(im.px + (size_t)i * rw, full->px + (size_t)(y + i) * full->w + x, (size_t)rw * sizeof(float)))
			abort();
	delimg(&im);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum channel chans[] = {CHLUMA, CHR, CHG, CHB};
	struct img im = {0};
	struct pngin *in;
	char err[512];
	int w, h, r;
	size_t i;

	if (fd < 0) {
		if ((fd = memfd_create("frame.png", 0)) < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	in = pngopen(path, 4000000, &w, &h, err, sizeof(err));
	if (!in) {
		if (strchr(err, '\n') || !*err)
			abort();
		return 0;
	}
	if (w < 1 || h < 1 || (long long)w * h > 4000000)
		abort();
	r = pngread(in, &im, chans[size % 4], err, sizeof(err));
	pngclose(in);
	if (r < 0 && (strchr(err, '\n') || !*err))
		abort();
	if (r == 0) {
		if (im.w != w || im.h != h)
			abort();
		for (i = 0; i < (size_t)w * h; i++)
			if (!(im.px[i] >= 0 && im.px[i] <= 1))
				abort();
		checkrect(data, size, &im, chans[size % 4]);
	}
	delimg(&im);
	return 0;
}
