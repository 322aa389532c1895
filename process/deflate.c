#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <isa-l/igzip_lib.h>

#include "deflate.h"

/* the literal/length alphabet used (the bytes and end of block), and the code length code's */
enum { NLIT = 257, EOB = 256, NCL = 19 };
/* the longest code of each alphabet (RFC 1951 3.2.7) */
enum { MAXLIT = 15, MAXCL = 7 };

/* the order the code length code's lengths are sent in */
static const unsigned char clorder[NCL] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

/* bits written least significant first, as deflate packs them */
struct bits {
	unsigned char *out;
	size_t len;     /* whole bytes written to out (8 more may have been stored past them) */
	uint64_t acc;   /* bits not written yet, the first in bit 0 */
	int nacc;       /* < 8 between calls */
};

/* v at p, least significant byte first */
static inline void
store64le(unsigned char *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(p, &v, sizeof(v));
#else
	int k;

	for (k = 0; k < 8; k++, v >>= 8)
		p[k] = (unsigned char)v;
#endif
}

/* append the low n <= 56 bits of v: 8 bytes stored, as many kept as are whole */
static inline void
putbits(struct bits *b, uint64_t v, int n)
{
	b->acc |= v << b->nacc;
	b->nacc += n;
	store64le(b->out + b->len, b->acc);
	b->len += (size_t)(b->nacc >> 3);
	b->acc >>= b->nacc & ~7;
	b->nacc &= 7;
}

/* write the bits left, padded with zeros to a whole byte */
static void
putalign(struct bits *b)
{
	if (b->nacc > 0)
		b->out[b->len++] = (unsigned char)b->acc;
	b->acc = 0;
	b->nacc = 0;
}

/* qsort's order of keys: ascending */
static int
bykey(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * len[0..nsym): the lengths of a Huffman code of the symbols of nonzero freq, none longer
 * than limit (then as miniz and zlib do: lengths over it cut to it and the code made
 * complete again by lengthening the shortest codes to spare). A single symbol gets 1.
 */
static void
codelengths(const uint32_t *freq, int nsym, int limit, unsigned char *len)
{
	int sym[NLIT], parent[2 * NLIT], depth[2 * NLIT], count[2 * NLIT + 1] = {0};
	uint64_t w[2 * NLIT], key[NLIT];
	int n = 0, i, j, k, a, b, leaf, node, next, max = 0;
	uint32_t kraft;

	for (i = 0; i < nsym; i++) {
		len[i] = 0;
		if (freq[i])
			key[n++] = (uint64_t)freq[i] << 9 | (uint64_t)i;
	}
	if (n == 1)
		len[key[0] & 511] = 1;
	if (n < 2)
		return;
	/* the symbols by weight, lighter first, ties by symbol: the same code everywhere */
	qsort(key, (size_t)n, sizeof(key[0]), bykey);
	for (i = 0; i < n; i++)
		sym[i] = (int)(key[i] & 511);
	/* two queues: the leaves by weight, the nodes as made (in weight order too); a leaf first on a tie */
	for (i = 0; i < n; i++)
		w[i] = freq[sym[i]];
	leaf = 0, node = n;
	for (next = n; next < 2 * n - 1; next++) {
		a = leaf < n && (node >= next || w[leaf] <= w[node]) ? leaf++ : node++;
		b = leaf < n && (node >= next || w[leaf] <= w[node]) ? leaf++ : node++;
		w[next] = w[a] + w[b];
		parent[a] = parent[b] = next;
	}
	/* a node's parent was made after it */
	depth[2 * n - 2] = 0;
	for (i = 2 * n - 3; i >= 0; i--)
		depth[i] = depth[parent[i]] + 1;
	for (i = 0; i < n; i++) {
		count[depth[i]]++;
		if (depth[i] > max)
			max = depth[i];
	}
	if (max > limit) {
		for (i = limit + 1; i <= max; i++)
			count[limit] += count[i], count[i] = 0;
		for (kraft = 0, i = 1; i <= limit; i++)
			kraft += (uint32_t)count[i] << (limit - i);
		/* over-full: take a leaf of the longest length, and split a shorter one in two */
		for (; kraft > 1u << limit; kraft--) {
			count[limit]--;
			for (i = limit - 1; i > 0 && !count[i]; i--)
				;
			count[i]--;
			count[i + 1] += 2;
		}
	}
	/* the heaviest symbols get the shortest lengths */
	for (i = 1, k = n - 1; i <= limit && i <= max; i++)
		for (j = 0; j < count[i]; j++)
			len[sym[k--]] = (unsigned char)i;
}

/* code[0..nsym): the canonical codes of the lengths len, bit-reversed for putbits */
static void
canonical(const unsigned char *len, int nsym, uint32_t *code)
{
	uint32_t count[MAXLIT + 1] = {0}, next[MAXLIT + 2], c, r;
	int i, l;

	for (i = 0; i < nsym; i++)
		count[len[i]]++;
	count[0] = 0;
	next[1] = 0;
	for (l = 1; l <= MAXLIT; l++)
		next[l + 1] = (next[l] + count[l]) << 1;
	for (i = 0; i < nsym; i++) {
		if (!len[i])
			continue;
		c = next[len[i]]++;
		for (r = 0, l = 0; l < len[i]; l++, c >>= 1)
			r = (r << 1) | (c & 1);
		code[i] = r;
	}
}

/* the code lengths of the block, run-length coded (RFC 1951 3.2.7): its symbols and their extra bits */
struct clrun {
	unsigned char sym[NLIT + 2];
	unsigned char extra[NLIT + 2];
	int n;
};

/* code the lengths l[0..n) with 16 (repeat), 17 and 18 (zeros) */
static void
runlengths(const unsigned char *l, int n, struct clrun *r)
{
	int i = 0, j, run;

	r->n = 0;
	while (i < n) {
		for (j = i + 1; j < n && l[j] == l[i]; j++)
			;
		run = j - i;
		if (l[i] == 0 && run >= 3) {
			run = run > 138 ? 138 : run;
			r->sym[r->n] = run >= 11 ? 18 : 17;
			r->extra[r->n++] = (unsigned char)(run >= 11 ? run - 11 : run - 3);
		} else if (l[i] != 0 && run >= 4) {
			/* the length itself, then repeats of 3 to 6 */
			run = run > 7 ? 7 : run;
			r->sym[r->n] = l[i], r->extra[r->n++] = 0;
			r->sym[r->n] = 16, r->extra[r->n++] = (unsigned char)(run - 1 - 3);
		} else {
			run = 1;
			r->sym[r->n] = l[i], r->extra[r->n++] = 0;
		}
		i += run;
	}
}

/* the bits of the extra field of code length symbol s */
static int
clextra(int s)
{
	return s == 16 ? 2 : s == 17 ? 3 : s == 18 ? 7 : 0;
}

/* one block of in[0..n), n <= 65535, the last one when last: Huffman coded, or stored when that is no longer */
static void
block(struct bits *b, const unsigned char *in, size_t n, int last)
{
	uint32_t freq[NLIT] = {0}, f4[4][256] = {{0}}, clfreq[NCL] = {0}, code[NLIT], clcode[NCL];
	unsigned char len[NLIT + 2], cllen[NCL];
	struct clrun r;
	struct bits w;
	uint64_t cost;
	size_t i;
	int k, hclen;

	/* four tables: a byte repeated does not wait on its own count */
	for (i = 0; i + 4 <= n; i += 4) {
		f4[0][in[i]]++;
		f4[1][in[i + 1]]++;
		f4[2][in[i + 2]]++;
		f4[3][in[i + 3]]++;
	}
	for (; i < n; i++)
		f4[0][in[i]]++;
	for (k = 0; k < 256; k++)
		freq[k] = f4[0][k] + f4[1][k] + f4[2][k] + f4[3][k];
	freq[EOB] = 1;
	codelengths(freq, NLIT, MAXLIT, len);
	/* two distance codes of length 1: a complete code that no symbol uses */
	len[NLIT] = len[NLIT + 1] = 1;
	runlengths(len, NLIT + 2, &r);
	for (k = 0; k < r.n; k++)
		clfreq[r.sym[k]]++;
	/* the code length code must be complete: a second symbol when only one is used */
	for (k = 0; k < NCL && !clfreq[k]; k++)
		;
	if (k < NCL) {
		int used = 0, j;

		for (j = 0; j < NCL; j++)
			used += clfreq[j] != 0;
		if (used == 1)
			clfreq[k == 0 ? 1 : 0] = 1;
	}
	codelengths(clfreq, NCL, MAXCL, cllen);
	for (hclen = NCL; hclen > 4 && !cllen[clorder[hclen - 1]]; hclen--)
		;
	cost = 3 + 5 + 5 + 4 + 3 * (uint64_t)hclen;
	for (k = 0; k < r.n; k++)
		cost += cllen[r.sym[k]] + clextra(r.sym[k]);
	for (k = 0; k < NLIT; k++)
		cost += (uint64_t)freq[k] * len[k];
	/* stored: at most 7 bits to the byte, then LEN and NLEN, then the bytes */
	if (cost >= 3 + 7 + 32 + 8 * (uint64_t)n) {
		putbits(b, (uint32_t)last, 3);
		putalign(b);
		putbits(b, (uint32_t)n | (uint32_t)(~n & 0xffff) << 16, 32);
		memcpy(b->out + b->len, in, n);
		b->len += n;
		return;
	}
	canonical(len, NLIT, code);
	canonical(cllen, NCL, clcode);
	putbits(b, (uint32_t)last | 2u << 1, 3);
	putbits(b, NLIT - 257, 5);
	putbits(b, 2 - 1, 5);
	putbits(b, (uint32_t)hclen - 4, 4);
	for (k = 0; k < hclen; k++)
		putbits(b, cllen[clorder[k]], 3);
	for (k = 0; k < r.n; k++) {
		putbits(b, clcode[r.sym[k]], cllen[r.sym[k]]);
		putbits(b, r.extra[k], clextra(r.sym[k]));
	}
	/* three bytes at a time (3 x 15 bits fit in one call), the writer's state in registers */
	w = *b;
	for (i = 0; i + 3 <= n; i += 3) {
		int l0 = len[in[i]], l1 = len[in[i + 1]];

		putbits(&w, code[in[i]] | (uint64_t)code[in[i + 1]] << l0 | (uint64_t)code[in[i + 2]] << (l0 + l1),
		        l0 + l1 + len[in[i + 2]]);
	}
	for (; i < n; i++)
		putbits(&w, code[in[i]], len[in[i]]);
	putbits(&w, code[EOB], len[EOB]);
	*b = w;
}

void
deflatestart(struct deflater *d, unsigned char *out)
{
	*d = (struct deflater){.out = out, .adler = 1};
	/* deflate, a 32 KiB window, no dictionary, "fastest" (0x78 0x01: a multiple of 31) */
	out[d->len++] = 0x78;
	out[d->len++] = 0x01;
}

void
deflateblock(struct deflater *d, const unsigned char *in, size_t n, int last)
{
	struct bits b = {d->out, d->len, d->acc, d->nacc};

	d->adler = isal_adler32(d->adler, in, n);
	block(&b, in, n, last);
	if (last) {
		putalign(&b);
		b.out[b.len++] = (unsigned char)(d->adler >> 24);
		b.out[b.len++] = (unsigned char)(d->adler >> 16);
		b.out[b.len++] = (unsigned char)(d->adler >> 8);
		b.out[b.len++] = (unsigned char)d->adler;
	}
	d->len = b.len;
	d->acc = b.acc, d->nacc = b.nacc;
}
