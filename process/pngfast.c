#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>

#include "common/pnghead.h"
#include "pngfast.h"

const unsigned char pngskipchunks[NSKIPCHUNKS * 5] =
	"bKGD\0cHRM\0eXIf\0gAMA\0hIST\0iCCP\0iTXt\0oFFs\0pCAL\0pHYs\0sBIT\0sCAL\0sPLT\0sRGB\0tEXt\0tIME\0zTXt";

enum {
	CHUNKMAX = 8000000, /* libpng's default limit on a chunk's length */
	/*
	 * IDAT data gathered from the chunks for one call of ISA-L's inflate, and at most
	 * PNGOUTBYTES of rows it inflates in that call (common/pnghead.h): ISA-L copies some
	 * 64 KiB a call through buffers of its own. With one chunk's 8 KiB a call (libpng
	 * writes such chunks) it copied every byte it inflated, with these a few percent.
	 */
	ZSIZE = PNGZBYTES
};

struct pngfast {
	const unsigned char *b;  /* the file's bytes after IHDR (borrowed) */
	size_t nb, pos;          /* how many, and the next one to take */
	int h;                   /* rows */
	int bpp;                 /* bytes per pixel (1 to 8): the filters' distance */
	size_t rowbytes;         /* bytes of a row, its filter byte not counted */
	size_t rawsize;          /* h * (rowbytes + 1): the length of the inflated stream */
	unsigned long left;      /* bytes of the current IDAT not read yet */
	uint32_t crc;            /* CRC of the current IDAT so far */
	int first;               /* the zlib header is yet to be checked */
	int idatend;             /* the IDATs are over; next is the header of the chunk after */
	unsigned char next[8];   /* that header: length and type */
	struct inflate_state z;  /* ISA-L's inflate */
	unsigned char *zin;      /* ZSIZE bytes: the IDAT data being inflated, gathered from one or more chunks */
};

/* big-endian 32-bit value at b */
static uint32_t
get32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* take the next n bytes of the file into b: 0, or -1 when the file ends before them */
static int
take(struct pngfast *q, unsigned char *b, size_t n)
{
	if (n > q->nb - q->pos)
		return -1;
	memcpy(b, q->b + q->pos, n);
	q->pos += n;
	return 0;
}

/* a chunk header h that libpng accepts anywhere: a length it reads, a type of four letters */
static int
goodheader(const unsigned char *h)
{
	int i, c;

	if (get32(h) > CHUNKMAX)
		return 0;
	for (i = 4; i < 8; i++) {
		c = h[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return 0;
	}
	return 1;
}

/* type t (4 bytes) is one of pngskipchunks */
static int
skippable(const unsigned char *t)
{
	int i;

	for (i = 0; i < NSKIPCHUNKS; i++) {
		if (memcmp(pngskipchunks + 5 * i, t, 4) == 0)
			return 1;
	}
	return 0;
}

/*
 * Pass over a skippable chunk of len data bytes and its CRC (which libpng checks but
 * only warns about, since these chunks are ancillary): 0 or -1.
 */
static int
skipchunk(struct pngfast *q, uint32_t len)
{
	if ((size_t)len + 4 > q->nb - q->pos)
		return -1;
	q->pos += (size_t)len + 4;
	return 0;
}

int
fastchannels(int type)
{
	switch (type) {
	case 0: return 1;
	case 2: return 3;
	case 4: return 2;
	case 6: return 4;
	default: return 0;
	}
}

struct pngfast *
fastopen(const unsigned char *b, size_t nb, const unsigned char chunk[33])
{
	static const unsigned char sig[8] = {137, 'P', 'N', 'G', '\r', '\n', 26, '\n'};
	const unsigned char *d = chunk + 16;
	uint32_t w = get32(d), h = get32(d + 4);
	int depth = d[8], channels;
	struct pngfast *q;
	unsigned char hd[8];

	if (memcmp(chunk, sig, 8) != 0 || get32(chunk + 8) != 13 || memcmp(chunk + 12, "IHDR", 4) != 0 ||
	    crc32_gzip_refl(0, chunk + 12, 17) != get32(chunk + 29))
		return NULL;
	/* compression, filter method and interlace all 0; w * 8 bytes fits any size_t */
	if (w < 1 || h < 1 || w > INT_MAX || h > INT_MAX || (depth != 8 && depth != 16) || d[10] ||
	    d[11] || d[12])
		return NULL;
	if (!(channels = fastchannels(d[9])))
		return NULL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	if (!(q->zin = malloc(ZSIZE))) {
		free(q);
		return NULL;
	}
	q->b = b;
	q->nb = nb;
	q->h = (int)h;
	q->bpp = channels * depth / 8;
	q->rowbytes = (size_t)w * q->bpp;
	if (q->rowbytes + 1 > SIZE_MAX / h)
		goto err;
	q->rawsize = (q->rowbytes + 1) * h;
	for (;;) {
		if (take(q, hd, 8) < 0 || !goodheader(hd))
			goto err;
		if (memcmp(hd + 4, "IDAT", 4) == 0)
			break;
		if (!skippable(hd + 4) || skipchunk(q, get32(hd)) < 0)
			goto err;
	}
	q->left = get32(hd);
	q->crc = crc32_gzip_refl(0, hd + 4, 4);
	q->first = 1;
	isal_inflate_init(&q->z);
	q->z.crc_flag = ISAL_ZLIB;
	return q;
err:
	fastclose(q);
	return NULL;
}

void
fastclose(struct pngfast *q)
{
	if (!q)
		return;
	free(q->zin);
	free(q);
}

/*
 * A zlib header that zlib, as libpng sets it up, reads just as ISA-L does: deflate, no
 * preset dictionary, and a window that holds the whole stream (zlib refuses a match
 * farther back than the window the header declares; ISA-L does not look).
 */
static int
goodzlib(const struct pngfast *q, int cmf, int flg)
{
	int bits = (cmf >> 4) + 8;

	return (cmf & 15) == 8 && bits <= 15 && (cmf << 8 | flg) % 31 == 0 && !(flg & 0x20) &&
	       (bits == 15 || ((size_t)1 << bits) >= q->rawsize);
}

/*
 * The current IDAT read to its end: check its CRC, then read the next chunk's header:
 * another IDAT (q->left and q->crc then its own) or the first chunk after the IDATs
 * (in q->next, q->idatend set). 0 or -1.
 */
static int
nextidat(struct pngfast *q)
{
	unsigned char b[8];

	if (take(q, b, 4) < 0 || get32(b) != q->crc || take(q, b, 8) < 0 || !goodheader(b))
		return -1;
	if (memcmp(b + 4, "IDAT", 4) != 0) {
		memcpy(q->next, b, 8);
		q->idatend = 1;
	} else {
		q->left = get32(b);
		q->crc = crc32_gzip_refl(0, b + 4, 4);
	}
	return 0;
}

/*
 * Give the inflater the next bytes of IDAT data, up to ZSIZE from as many IDATs as
 * there are (the CRC of each checked once read): 1, 0 when the IDATs are over (their
 * last CRC checked, the header of the chunk after them in q->next), -1 otherwise.
 * Only once the inflater has taken all it was given.
 */
static int
fill(struct pngfast *q)
{
	const unsigned char *d;
	size_t n = 0, k;

	while (n < ZSIZE) {
		if (q->left == 0) {
			if (q->idatend)
				break;
			if (nextidat(q) < 0)
				return -1;
			continue;
		}
		/* the zlib header in the first IDAT, as libpng wants it */
		if (q->first && q->left < 2)
			return -1;
		k = q->left < ZSIZE - n ? q->left : ZSIZE - n;
		if (k > q->nb - q->pos)
			return -1;
		d = q->b + q->pos;
		q->pos += k;
		q->crc = crc32_gzip_refl(q->crc, d, k);
		if (q->first && !goodzlib(q, d[0], d[1]))
			return -1;
		q->first = 0;
		q->left -= k;
		/* a large chunk is inflated where it lies, small ones gathered */
		if (n == 0 && k >= ZSIZE / 4) {
			q->z.next_in = (unsigned char *)d;
			q->z.avail_in = (uint32_t)k;
			return 1;
		}
		memcpy(q->zin + n, d, k);
		n += k;
	}
	q->z.next_in = q->zin;
	q->z.avail_in = (uint32_t)n;
	return n > 0;
}

/*
 * Inflate until avail_out is 0 (returns 0) or the stream ends, its Adler-32 checked
 * (returns 1); -1 for a bad stream, a stream cut short, or a bad chunk on the way.
 */
static int
inflateout(struct pngfast *q)
{
	uint32_t in, out;

	while (q->z.avail_out > 0) {
		if (q->z.block_state == ISAL_BLOCK_FINISH)
			return 1;
		in = q->z.avail_in;
		out = q->z.avail_out;
		if (isal_inflate(&q->z) != ISAL_DECOMP_OK)
			return -1;
		/* nothing more from the input at hand (ISA-L buffers some bits): the next piece */
		if (q->z.avail_in == in && q->z.avail_out == out && q->z.block_state != ISAL_BLOCK_FINISH &&
		    (in > 0 || fill(q) <= 0))
			return -1;
	}
	return 0;
}

/* inflate the next n bytes of the stream into b: 0 or -1 */
static int
inflaterow(struct pngfast *q, unsigned char *b, size_t n)
{
	q->z.next_out = b;
	q->z.avail_out = n;
	return inflateout(q) == 0 ? 0 : -1;
}

/* after the IDATs (the header of the chunk after them in q->next): skippable chunks, then IEND. 0 or -1 */
static int
theend(struct pngfast *q)
{
	unsigned char b[8];

	memcpy(b, q->next, 8);
	while (memcmp(b + 4, "IEND", 4) != 0) {
		if (!skippable(b + 4) || skipchunk(q, get32(b)) < 0 || take(q, b, 8) < 0 ||
		    !goodheader(b))
			return -1;
	}
	if (get32(b) != 0 || take(q, b, 4) < 0 ||
	    get32(b) != crc32_gzip_refl(0, (const unsigned char *)"IEND", 4))
		return -1;
	return 0;
}

/*
 * After the last row: the stream ends there (its Adler-32 checked), with nothing after
 * it in the IDATs, and the chunks up to IEND are skippable ones. 0 or -1.
 */
static int
finish(struct pngfast *q)
{
	unsigned char extra;

	/* the end of the last block and the Adler-32: not one byte more may come out */
	q->z.next_out = &extra;
	q->z.avail_out = 1;
	if (inflateout(q) != 1)
		return -1;
	/* bytes after the stream: unread, or whole bytes in ISA-L's bit buffer (the bits
	   left of the last byte are its padding) */
	if (q->z.avail_in > 0 || q->z.read_in_length >= 8 || fill(q) != 0)
		return -1;
	return theend(q);
}

/*
 * After the last row wanted, when rows are left: the rest of the IDATs is not
 * inflated, only checked by their CRCs, and then the chunks up to IEND as finish
 * checks them. So a file cut short or damaged on disk is still caught; what is not
 * checked is the stream itself below that row (its Adler-32, its length), which only
 * an encoder's bug could make wrong and which no row wanted comes from. 0 or -1.
 */
static int
skiptail(struct pngfast *q)
{
	while (!q->idatend) {
		if (q->left > q->nb - q->pos)
			return -1;
		q->crc = crc32_gzip_refl(q->crc, q->b + q->pos, q->left);
		q->pos += q->left;
		q->left = 0;
		if (nextidat(q) < 0)
			return -1;
	}
	return theend(q);
}

/*
 * Undo the Sub filter of the n bytes at r (a whole number of pixels), bpp bytes per
 * pixel, a constant where this is inlined: the running sums stay in registers, where
 * r[i] += r[i - bpp] would wait on each store.
 */
static inline void
unsub(unsigned char *r, size_t n, int bpp)
{
	unsigned char a[8];
	size_t i;
	int k;

	memcpy(a, r, bpp);
	for (i = bpp; i < n; i += bpp) {
		for (k = 0; k < bpp; k++) {
			a[k] += r[i + k];
			r[i + k] = a[k];
		}
	}
}

#ifdef __SSE2__
/*
 * unsub for one byte a pixel, 16 bytes at a time: the running sum of each 16 is made in
 * four shifted adds (mod 256, as the bytes add), plus the last byte of the 16 before.
 */
static void
unsub1(unsigned char *r, size_t n)
{
	__m128i x, carry = _mm_setzero_si128();
	unsigned char a;
	size_t i;

	for (i = 0; i + 16 <= n; i += 16) {
		x = _mm_loadu_si128((const __m128i *)(r + i));
		x = _mm_add_epi8(x, _mm_slli_si128(x, 1));
		x = _mm_add_epi8(x, _mm_slli_si128(x, 2));
		x = _mm_add_epi8(x, _mm_slli_si128(x, 4));
		x = _mm_add_epi8(x, _mm_slli_si128(x, 8));
		x = _mm_add_epi8(x, carry);
		_mm_storeu_si128((__m128i *)(r + i), x);
		/* byte 15, in every byte */
		carry = _mm_srli_si128(x, 15);
		carry = _mm_unpacklo_epi8(carry, carry);
		carry = _mm_unpacklo_epi16(carry, carry);
		carry = _mm_shuffle_epi32(carry, 0);
	}
	a = i ? r[i - 1] : 0;
	for (; i < n; i++) {
		a += r[i];
		r[i] = a;
	}
}
#else
#define unsub1(r, n) unsub(r, n, 1)
#endif

/* the Paeth predictor of PNG: whichever of a (left), b (up), c (up left) is nearest a + b - c */
static inline int
paeth(int a, int b, int c)
{
	int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c);

	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* undo filter type of row r (n bytes) given p, the row above unfiltered (zeros for the first) */
static void
unfilter(int type, unsigned char *restrict r, const unsigned char *restrict p, size_t n, int bpp)
{
	size_t i;

	switch (type) {
	case 1:
		switch (bpp) {
		case 1: unsub1(r, n); break;
		case 2: unsub(r, n, 2); break;
		case 3: unsub(r, n, 3); break;
		case 4: unsub(r, n, 4); break;
		case 6: unsub(r, n, 6); break;
		default: unsub(r, n, 8); break;
		}
		break;
	case 2:
		for (i = 0; i < n; i++)
			r[i] += p[i];
		break;
	case 3:
		for (i = 0; i < (size_t)bpp; i++)
			r[i] += p[i] >> 1;
		for (; i < n; i++)
			r[i] += (r[i - bpp] + p[i]) >> 1;
		break;
	case 4:
		for (i = 0; i < (size_t)bpp; i++)
			r[i] += p[i];
		for (; i < n; i++)
			r[i] += paeth(r[i - bpp], p[i], p[i - bpp]);
		break;
	}
}

int
fastread(struct pngfast *q, int y0, int y1, void (*put)(void *, int, const unsigned char *),
         void *arg)
{
	size_t n = q->rowbytes + 1;
	int batch = (int)pngoutrows(n, (unsigned long)y1);
	unsigned char *buf, *cur, *prev;
	int y, k, t, want, ret = -1;

	/* row 0: the row above the batch, unfiltered as needed (zeros above the first); rows 1..batch: the batch, each with its filter byte */
	if ((size_t)batch + 1 > SIZE_MAX / n || !(buf = malloc(((size_t)batch + 1) * n)))
		return -1;
	memset(buf, 0, n);
	/* the rows up to the last one wanted: the rest is only checked (skiptail) */
	for (y = 0; y < y1; y += k) {
		k = y1 - y < batch ? y1 - y : batch;
		if (inflaterow(q, buf + n, (size_t)k * n) < 0)
			goto out;
		for (t = 1; t <= k; t++) {
			cur = buf + (size_t)t * n;
			prev = cur - n;
			if (cur[0] > 4)
				goto out;
			/* a row is unfiltered when it is wanted, or when the next one may be filtered
			   against it (the batch's last row: the next is not inflated yet) */
			want = y + t - 1 >= y0 && y + t - 1 < y1;
			if (want || t == k || cur[n] >= 2)
				unfilter(cur[0], cur + 1, prev + 1, q->rowbytes, q->bpp);
			if (want)
				put(arg, y + t - 1, cur + 1);
		}
		memcpy(buf, buf + (size_t)k * n, n);
	}
	ret = y1 == q->h ? finish(q) : skiptail(q);
out:
	free(buf);
	return ret;
}
