#ifndef RUNJA_PNGBYTES_H
#define RUNJA_PNGBYTES_H

/*
 * PNG files byte by byte, for the tests of the PNG readers: chunks written with their
 * CRC (zlib's crc32), and chunks found and checksummed again in a file in memory.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <zlib.h>

/* store v big-endian at b */
static inline void
put32(unsigned char *b, uint32_t v)
{
	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

/* the big-endian value at b */
static inline uint32_t
get32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* set the CRC of the chunk at offset i of b from its type and data */
static inline void
fixcrc(unsigned char *b, size_t i)
{
	size_t len = get32(b + i);

	put32(b + i + 8 + len, (uint32_t)crc32(0, b + i + 4, (uInt)len + 4));
}

/* write a chunk of type with len bytes of data (may be NULL when len is 0) at b; returns its size */
static inline size_t
pngchunk(unsigned char *b, const char *type, const void *data, size_t len)
{
	put32(b, (uint32_t)len);
	memcpy(b + 4, type, 4);
	if (len)
		memcpy(b + 8, data, len);
	fixcrc(b, 0);
	return len + 12;
}

/* offset of the first (or last) chunk of type in the PNG b (size n), or 0 */
static inline size_t
findchunkat(const unsigned char *b, size_t n, const char *type, int last)
{
	size_t i = 8, found = 0;

	while (i + 12 <= n) {
		if (memcmp(b + i + 4, type, 4) == 0) {
			found = i;
			if (!last)
				break;
		}
		i += 12 + (size_t)get32(b + i);
	}
	return found;
}

/* offset of the first chunk of type in the PNG b (size n), or 0 */
static inline size_t
findchunk(const unsigned char *b, size_t n, const char *type)
{
	return findchunkat(b, n, type, 0);
}

#endif
