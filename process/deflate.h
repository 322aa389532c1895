#ifndef RUNJA_DEFLATE_H
#define RUNJA_DEFLATE_H

#include <stddef.h>

/*
 * A zlib stream (RFC 1950, 1951) of literals only: each block of DEFLATEBLOCK bytes
 * coded with a Huffman code of its own bytes, or stored when that is no shorter. What
 * zlib's Z_HUFFMAN_ONLY does, several times faster: the image products' low bytes are
 * noise that matches cannot shrink (bench/README.md). Integer arithmetic in a fixed
 * order: the same bytes on every CPU.
 */
enum { DEFLATEBLOCK = 65535 };

/* the most bytes deflatelits writes for n bytes in */
size_t deflatebound(size_t n);
/* the zlib stream of in[0..n) into out (deflatebound(n) bytes of room); returns its length */
size_t deflatelits(const unsigned char *in, size_t n, unsigned char *out);

#endif
