/*
 * XXH64 with seed 0 (the xxHash library's values, written here from its specification):
 * the hash of a frame's bytes in a run's record of what its results were made from
 * (inputs.c), and of a run id where it names a file (state.c). The same on every byte order.
 */
#include <stdint.h>
#include <string.h>

#include "inputs.h"
#include "xxh64.h"

/* the bytes the four lanes take at a time */
enum { STRIPE = 32 };

/* XXH64's primes */
static const uint64_t P1 = 0x9E3779B185EBCA87u, P2 = 0xC2B2AE3D27D4EB4Fu, P3 = 0x165667B19E3779F9u,
                      P4 = 0x85EBCA77C2B2AE63u, P5 = 0x27D4EB2F165667C5u;

static inline uint64_t
rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

/* the little-endian word of the n (8 or 4) bytes at p, on any byte order and alignment */
static inline uint64_t
le(const unsigned char *p, size_t n)
{
	uint64_t v = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	while (n-- > 0)
		v = v << 8 | p[n];
#else
	memcpy(&v, p, n);
#endif
	return v;
}

static inline uint64_t
round64(uint64_t acc, uint64_t in)
{
	return rotl(acc + in * P2, 31) * P1;
}

void
xxh64init(uint64_t v[4])
{
	v[0] = P1 + P2;
	v[1] = P2;
	v[2] = 0;
	v[3] = -P1;
}

/* feed n whole 32-byte stripes at p to the four lanes */
void
xxh64stripes(uint64_t v[4], const unsigned char *p, size_t n)
{
	uint64_t a = v[0], b = v[1], c = v[2], d = v[3];

	for (; n > 0; n--, p += STRIPE) {
		a = round64(a, le(p, 8));
		b = round64(b, le(p + 8, 8));
		c = round64(c, le(p + 16, 8));
		d = round64(d, le(p + 24, 8));
	}
	v[0] = a, v[1] = b, v[2] = c, v[3] = d;
}

/* the hash of total bytes: the lanes (fed total / 32 stripes) and the last total % 32 bytes at tail */
uint64_t
xxh64finish(const uint64_t v[4], uint64_t total, const unsigned char *tail)
{
	size_t n = total % STRIPE;
	uint64_t h = P5;
	int i;

	if (total >= STRIPE) {
		h = rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18);
		for (i = 0; i < 4; i++)
			h = (h ^ round64(0, v[i])) * P1 + P4;
	}
	h += total;
	for (; n >= 8; n -= 8, tail += 8)
		h = rotl(h ^ round64(0, le(tail, 8)), 27) * P1 + P4;
	if (n >= 4) {
		h = rotl(h ^ le(tail, 4) * P1, 23) * P2 + P3;
		n -= 4, tail += 4;
	}
	for (; n > 0; n--, tail++)
		h = rotl(h ^ *tail * P5, 11) * P1;
	h = (h ^ h >> 33) * P2;
	h = (h ^ h >> 29) * P3;
	return h ^ h >> 32;
}

uint64_t
inputshash(const void *p, size_t n)
{
	uint64_t v[4];

	if (n == 0)
		p = "";  /* NULL is fine for no bytes, but not NULL + 0 */
	xxh64init(v);
	xxh64stripes(v, p, n / STRIPE);
	return xxh64finish(v, n, (const unsigned char *)p + n / STRIPE * STRIPE);
}
