#include "cores.h"
#include "opdesc.h"
#include "runmem.h"

/* what the program, its libraries and their heaps take with no frame at all */
#define BASE (3.0 * 1024 * 1024)

double
estimaterun(const struct pnghead *h, size_t nframes, const struct opspec *ops, size_t nops,
            const struct prodspec *p, bool npy, int threads)
{
	double w = h->width, ht = h->height;
	double total = BASE, frame, acc = 0, out;
	struct opmem m = {0};
	size_t i;

	(void)npy;  /* .npy files are written straight from the product images */
	/* decoding: an interlaced frame whole, a plain one in batches of rows */
	total += pngdecodemem(h);
	/* the decoded frame as floats (a first crop makes it its rectangle), and each op's own
	 * buffers, from its declaration: spare and scratch images, held frames */
	m.w = w, m.h = ht, m.nframes = nframes, m.frame = w * ht * 4;
	for (i = 0; i < nops; i++) {
		m.first = i == 0;
		if (opdesc(ops[i].kind)->mem)
			opdesc(ops[i].kind)->mem(&ops[i], &m);
	}
	frame = m.frame;
	w = m.w, ht = m.h;
	/* products: the shift image and sums of mean/std, the min/max images */
	if (p->mean || p->std)
		acc += w * ht * (4 + 8);
	if (p->std)
		acc += w * ht * 8;
	if (p->min)
		acc += w * ht * 4;
	if (p->max)
		acc += w * ht * 4;
	if (p->front)
		acc += (w > ht ? w : ht) * 8;
	/* the time stack grows by doubling */
	if (p->timestack)
		acc += 2.0 * (double)nframes * (p->tsrow >= 0 ? w : ht) * 4;
	/* finishing, with the held frames gone: mean and std become float images beside the sums */
	out = ((p->mean ? 1 : 0) + (p->std ? 1 : 0)) * w * ht * 4;
	/* the frames in flight beyond the one counted (coreswindow), each decoded as the first,
	 * and each further thread's scratch images and decoder */
	total += (coreswindow(threads, p->mean || p->std || p->min || p->max) - 1.0) * m.frame;
	if (threads > 1)
		total += (threads - 1) * (m.spare + m.tmp + pngdecodemem(h));
	return total + acc + (m.spare + m.tmp + m.held > out ? frame + m.spare + m.tmp + m.held : frame + out);
}
