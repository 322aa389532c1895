/* tests of process/deflate.c: zlib's own inflate takes back every stream, byte for byte */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/util.h"
#include "process/deflate.h"
#include "tests/test.h"

/* a small generator of our own: the same bytes on every machine */
static uint32_t
lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

/* the most bytes a stream of n bytes may take: a block's header and padding (at most 6 bytes) a block, the zlib header and check */
static size_t
most(size_t n)
{
	return n + 6 * (n / DEFLATEBLOCK + 1) + 6;
}

/* the zlib stream of in[0..n), a block at a time as pngwrite.c writes it, into z (most(n) bytes); its length */
static size_t
deflateall(const unsigned char *in, size_t n, unsigned char *z)
{
	unsigned char room[DEFLATEROOM];
	struct deflater d;
	size_t len = 0, i = 0, m;

	deflatestart(&d, room);
	do {
		m = n - i < DEFLATEBLOCK ? n - i : DEFLATEBLOCK;
		deflateblock(&d, in + i, m, i + m == n);
		if (d.len > DEFLATEROOM || len + d.len > most(n)) {
			printf("  %zu bytes: a block's output over its room\n", n);
			testfailed = 1;
			return len;
		}
		memcpy(z + len, room, d.len);
		len += d.len;
		d.len = 0;
		i += m;
	} while (i < n);
	return len;
}

/* deflate in[0..n), inflate it with zlib, compare; the stream's length */
static size_t
roundtrip(const char *what, const unsigned char *in, size_t n)
{
	unsigned char *z = xmalloc(most(n)), *back = xmalloc(n + 1);
	size_t len = deflateall(in, n, z);
	uLongf got = (uLongf)n + 1;
	int r = uncompress(back, &got, z, (uLong)len);

	if (r != Z_OK || got != n || memcmp(back, in, n) != 0) {
		printf("  %s (%zu bytes): inflate says %d, %lu bytes back%s\n", what, n, r, (unsigned long)got,
		       r == Z_OK && got == n ? ", not the same" : "");
		testfailed = 1;
	}
	if (len > most(n)) {
		printf("  %s: %zu bytes, more than %zu\n", what, len, most(n));
		testfailed = 1;
	}
	free(z), free(back);
	return len;
}

/* zlib's Z_HUFFMAN_ONLY stream of in[0..n): its length */
static size_t
zlibhuffman(const unsigned char *in, size_t n)
{
	z_stream s = {0};
	unsigned char *z = xmalloc(deflateBound(&s, (uLong)n) + 1024);
	size_t len;

	deflateInit2(&s, 1, Z_DEFLATED, 15, 8, Z_HUFFMAN_ONLY);
	s.next_in = (unsigned char *)in, s.avail_in = (uInt)n;
	s.next_out = z, s.avail_out = (uInt)(deflateBound(&s, (uLong)n) + 1024);
	deflate(&s, Z_FINISH);
	len = s.total_out;
	deflateEnd(&s);
	free(z);
	return len;
}

/* sizes at the edges: nothing, one byte, a block, a block and one, several blocks */
TEST(sizes)
{
	size_t sizes[] = {0, 1, 2, 3, 4, 5, DEFLATEBLOCK - 1, DEFLATEBLOCK, DEFLATEBLOCK + 1, 3 * DEFLATEBLOCK + 17};
	unsigned char *in = xmalloc(3 * DEFLATEBLOCK + 17);
	uint32_t seed = 1;
	char what[64];
	size_t k, i;

	for (i = 0; i < 3 * DEFLATEBLOCK + 17; i++)
		in[i] = (unsigned char)(lcg(&seed) % 7 * 31);
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		snprintf(what, sizeof(what), "seven values, %zu bytes", sizes[k]);
		roundtrip(what, in, sizes[k]);
	}
	free(in);
}

/* one value only, and one value with a single other: the shortest codes there are */
TEST(few)
{
	unsigned char *in = xcalloc(100000, 1);

	roundtrip("zeros", in, 100000);
	memset(in, 0xab, 100000);
	roundtrip("one value", in, 100000);
	in[5000] = 3;
	roundtrip("one value and one other", in, 100000);
	free(in);
}

/* noise: stored blocks (no shorter than the bytes, and the bound holds) */
TEST(noise)
{
	size_t n = 5 * DEFLATEBLOCK + 3, len;
	unsigned char *in = xmalloc(n);
	uint32_t seed = 9;
	size_t i;

	for (i = 0; i < n; i++)
		in[i] = (unsigned char)lcg(&seed);
	len = roundtrip("noise", in, n);
	EXPECT(len <= most(n) && len >= n);
	free(in);
}

/* weights as Fibonacci numbers: an unlimited Huffman code would be over 15 bits long */
TEST(longcodes)
{
	size_t n = 0, k;
	unsigned char *in = xmalloc(DEFLATEBLOCK);
	uint32_t f[30] = {1, 1};
	int s, j;

	for (s = 2; s < 30; s++)
		f[s] = f[s - 1] + f[s - 2];
	/* 1, 1, 2, 3, 5 ... 514229 is too many for one block: the first 22 symbols, 46367 bytes */
	for (s = 0; s < 22 && n < DEFLATEBLOCK; s++)
		for (k = 0; k < f[s] && n < DEFLATEBLOCK; k++)
			in[n++] = (unsigned char)(s * 11);
	roundtrip("fibonacci weights", in, n);
	/* every byte value once, then heavily skewed: a code over all 256 symbols */
	for (j = 0; j < 256; j++)
		in[j] = (unsigned char)j;
	for (n = 256; n < DEFLATEBLOCK; n++)
		in[n] = (unsigned char)(n % 3 == 0 ? 0 : n % 17);
	roundtrip("every value", in, n);
	free(in);
}

/* an image product as pngwrite16 hands it over (Up-filtered 16-bit rows): as small as zlib's Huffman-only */
TEST(product)
{
	size_t w = 1024, h = 300, stride = 1 + 2 * w, n = stride * h, ours, zlibs;
	unsigned char *in = xmalloc(n);
	uint32_t seed = 5;
	size_t x, y;
	unsigned c;

	for (y = 0; y < h; y++) {
		in[y * stride] = 2;
		for (x = 0; x < w; x++) {
			/* a smooth high byte (filtered: small differences), a noisy low one */
			c = (unsigned)(30000 + 20 * x + 10 * y + lcg(&seed) % 300);
			in[y * stride + 1 + 2 * x] = (unsigned char)((c >> 8) - (y ? (30000 + 20 * x + 10 * (y - 1)) >> 8 : 0));
			in[y * stride + 2 + 2 * x] = (unsigned char)c;
		}
	}
	ours = roundtrip("product", in, n);
	zlibs = zlibhuffman(in, n);
	if (!(ours <= zlibs + zlibs / 50)) {
		printf("  product: %zu bytes, zlib's Huffman-only %zu\n", ours, zlibs);
		testfailed = 1;
	}
	free(in);
}

/* 300 buffers of random sizes (up to 3 blocks) and random skews, from one value to noise */
TEST(random)
{
	size_t most3 = 3 * DEFLATEBLOCK + 100, n, i;
	unsigned char *in = xmalloc(most3);
	uint32_t seed = 17, alphabet, skew;
	char what[64];
	int k;

	for (k = 0; k < 300 && !testfailed; k++) {
		n = lcg(&seed) * 65536u % most3;
		n = k % 10 == 0 ? n % 100 : n;
		alphabet = 1 + lcg(&seed) % 256;
		skew = lcg(&seed) % 8;
		for (i = 0; i < n; i++) {
			/* a value drawn skew times, the smallest kept: the lower the likelier */
			uint32_t v = lcg(&seed) % alphabet, s;

			for (s = 0; s < skew; s++) {
				uint32_t u = lcg(&seed) % alphabet;

				v = u < v ? u : v;
			}
			in[i] = (unsigned char)(v * 7);
		}
		snprintf(what, sizeof(what), "random %d (alphabet %u, skew %u)", k, alphabet, skew);
		roundtrip(what, in, n);
	}
	free(in);
}

int
main(void)
{
	RUN(sizes);
	RUN(few);
	RUN(noise);
	RUN(longcodes);
	RUN(product);
	RUN(random);
	return TESTEXIT();
}
