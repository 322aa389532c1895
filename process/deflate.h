#ifndef RUNJA_DEFLATE_H
#define RUNJA_DEFLATE_H

#include <stddef.h>
#include <stdint.h>

/*
 * A zlib stream (RFC 1950, 1951) of literals only: each block of DEFLATEBLOCK bytes
 * coded with a Huffman code of its own bytes, or stored when that is no shorter. What
 * zlib's Z_HUFFMAN_ONLY does, several times faster: the image products' low bytes are
 * noise that matches cannot shrink (bench/README.md). Integer arithmetic in a fixed
 * order: the same bytes on every CPU.
 */
enum { DEFLATEBLOCK = 65535 };

/* a zlib stream being written a block at a time (the fields are deflate.c's) */
struct deflater {
	unsigned char *out;  /* the caller's room: DEFLATEROOM bytes */
	size_t len;          /* whole bytes in out, not taken yet */
	uint64_t acc;        /* bits of a byte not whole yet */
	int nacc;
	uint32_t adler;      /* of the bytes in so far */
};
/* the room a deflater's out needs: one block, stored or coded, and what a block leaves */
enum { DEFLATEROOM = DEFLATEBLOCK + 64 };

/* start a stream writing into out (DEFLATEROOM bytes): its header is there (d->len bytes) */
void deflatestart(struct deflater *d, unsigned char *out);
/*
 * Add in[0..n), n <= DEFLATEBLOCK, as one block, the stream's last (and its check) when
 * last, after the d->len bytes in out. d->out[0..d->len) is then what is complete: the
 * caller takes it and sets d->len to 0 before the next call.
 */
void deflateblock(struct deflater *d, const unsigned char *in, size_t n, int last);

#endif
