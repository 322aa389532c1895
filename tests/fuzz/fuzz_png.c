/*
 * libFuzzer harness of the PNG decode path (process/png.c): the input is one frame
 * file, decoded as runja-process does, through a memfd so pngopen gets a real path.
 * max_pixels is 4,000,000; the channel comes from the input length. Besides crashes,
 * it checks the contract: an error is one line, every decoded value is in [0,1], and
 * pngreadrect of a rectangle (from a hash of the input) gives exactly those pixels.
 * And differentially: whatever the fast reader (process/pngfast.c) takes whole, libpng
 * alone, set up as png.c sets it up, takes too, with the same rows byte for byte.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <png.h>

#include "process/png.h"
#include "process/pngfast.h"

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

/* the rows of the file at path as libpng alone reads them (no transforms); NULL if it refuses it */
static unsigned char *
libpngrows(size_t *rowbytes, int *h)
{
	FILE *f = fopen(path, "rb");
	png_structp png;
	png_infop info;
	unsigned char *volatile rows = NULL;
	int y;

	if (!f)
		abort();
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png_create_info_struct(png);
	if (setjmp(png_jmpbuf(png))) {
		free(rows);
		rows = NULL;
		goto out;
	}
	png_init_io(png, f);
	png_set_user_limits(png, 4000000, 4000000);
	png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, pngskipchunks, NSKIPCHUNKS);
	png_read_info(png, info);
	*h = (int)png_get_image_height(png, info);
	*rowbytes = png_get_rowbytes(png, info);
	rows = malloc(*rowbytes * *h);
	for (y = 0; y < *h; y++)
		png_read_row(png, rows + *rowbytes * y, NULL);
	png_read_end(png, NULL);
out:
	png_destroy_read_struct(&png, &info, NULL);
	fclose(f);
	return rows;
}

/* libpng's rows: rowbytes each, or NULL when it refused the file */
struct ref {
	const unsigned char *rows;
	size_t rowbytes;
};

/* pngfast's callback: row y is libpng's (where libpng refused the file, fastread must fail) */
static void
samerow(void *arg, int y, const unsigned char *row)
{
	const struct ref *ref = arg;

	if (ref->rows && memcmp(row, ref->rows + ref->rowbytes * y, ref->rowbytes) != 0)
		abort();
}

/* whatever the fast reader takes whole, libpng takes too, with the same rows */
static void
checkfast(const uint8_t *data, size_t size)
{
	unsigned char *rows;
	struct ref ref = {0};
	struct pngfast *q;
	int h = 1;

	if (size >= 33 && (q = fastopen(data + 33, size - 33, data))) {
		rows = libpngrows(&ref.rowbytes, &h);
		ref.rows = rows;
		/* every row, as the header says (fastopen took it), whether libpng got as far or not */
		h = (int)((uint32_t)data[20] << 24 | (uint32_t)data[21] << 16 | (uint32_t)data[22] << 8 | data[23]);
		if (fastread(q, 0, h, samerow, &ref) == 0 && !rows)
			abort();
		fastclose(q);
		free(rows);
	}
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
	checkfast(data, size);
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
