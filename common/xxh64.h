#ifndef RUNJA_XXH64_H
#define RUNJA_XXH64_H

#include <stddef.h>
#include <stdint.h>

/*
 * XXH64 (seed 0) a piece at a time, for a file read through a buffer: xxh64init, then
 * xxh64stripes over whole 32-byte stripes, then xxh64finish with the total length and the
 * last (total % 32) bytes. inputshash (inputs.h) is the whole of it over bytes in memory.
 */

/* start the four lanes */
void xxh64init(uint64_t v[4]);
/* take n stripes of 32 bytes at p */
void xxh64stripes(uint64_t v[4], const unsigned char *p, size_t n);
/* the hash of total bytes, the last total % 32 of them at tail */
uint64_t xxh64finish(const uint64_t v[4], uint64_t total, const unsigned char *tail);

#endif
