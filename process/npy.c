#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "npy.h"

/* floats converted to little-endian bytes per write call */
enum { NPYCHUNK = 4096 };

/* the NPY 1.0 preamble for a rows x cols float32 array into h (room for 128); returns its length */
static size_t
npyheader(char *h, int rows, int cols)
{
	size_t len, dict;

	memcpy(h, "\x93NUMPY\x01\x00", 8);
	len = 10 + (size_t)snprintf(h + 10, 118,
	                            "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }", rows, cols);
	/* pad with spaces so that the preamble and its final '\n' end on a multiple of 64 */
	while ((len + 1) % 64 != 0)
		h[len++] = ' ';
	h[len++] = '\n';
	dict = len - 10;
	h[8] = dict & 0xff;
	h[9] = dict >> 8;
	return len;
}

/* store f as 4 little-endian bytes at b */
static void
putf32le(unsigned char *b, float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	b[0] = u & 0xff;
	b[1] = u >> 8 & 0xff;
	b[2] = u >> 16 & 0xff;
	b[3] = u >> 24;
}

int
npywrite(const char *path, const float *px, int rows, int cols, char *err, size_t n)
{
	static const uint32_t one = 1;
	unsigned char buf[4 * NPYCHUNK];
	char h[128];
	size_t len, i, k, total;
	FILE *f;

	if (rows < 0 || cols < 0)
		return seterr(err, n, "bad array shape (%d, %d)", rows, cols);
	f = fopen(path, "wb");
	if (!f)
		return seterr(err, n, "cannot create:");
	len = npyheader(h, rows, cols);
	if (fwrite(h, 1, len, f) != len)
		goto err;
	total = (size_t)rows * (size_t)cols;
	if (*(const unsigned char *)&one == 1) {
		if (total && fwrite(px, sizeof(float), total, f) != total)
			goto err;
	} else {
		for (i = 0; i < total; i += k) {
			k = total - i < NPYCHUNK ? total - i : NPYCHUNK;
			for (len = 0; len < k; len++)
				putf32le(buf + 4 * len, px[i + len]);
			if (fwrite(buf, 4, k, f) != k)
				goto err;
		}
	}
	if (fclose(f) != 0)
		return seterr(err, n, "write error:");
	return 0;
err:
	seterr(err, n, "write error:");
	fclose(f);
	return -1;
}
