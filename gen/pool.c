#include <stdio.h>
#include <string.h>

#include "common/opdesc.h"
#include "common/util.h"
#include "pool.h"

/* what the program, its libraries and their heaps take with no frame at all */
#define BASE (3.0 * 1024 * 1024)

double
estimaterun(const struct pnghead *h, size_t nframes, const struct opspec *ops, size_t nops,
            const struct prodspec *p, bool npy)
{
	double w = h->width, ht = h->height, bytes = (h->depth + 7) / 8;
	double total = BASE, frame, acc = 0, out;
	struct opmem m = {0};
	size_t i;

	(void)npy;  /* .npy files are written straight from the product images */
	/* decoding: an interlaced frame is decoded whole, a plain one row by row */
	total += h->interlaced ? w * ht * h->channels * bytes : 2 * w * h->channels * bytes;
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
	return total + acc + (m.spare + m.tmp + m.held > out ? frame + m.spare + m.tmp + m.held : frame + out);
}

/* MemAvailable of /proc/meminfo in bytes, or 0 */
static double
available(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	double kib = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %lf kB", &kib) == 1)
			break;
	fclose(f);
	return kib * 1024;
}

int
autopool(const struct emit *e, long long memory, FILE *out)
{
	double worst = 0, avail = memory > 0 ? (double)memory : available(), d;
	size_t i, at = 0;
	char desc[128] = "";
	int depth;

	for (i = 0; i < e->s->nruns; i++) {
		const struct run *r = &e->s->runs[i];
		const struct runparams *p = &e->params[i];
		struct pnghead h;

		/* a command's own need is declared (command.memory), not estimated */
		if (e->c->cmd.run && (double)e->c->cmd.memory > worst) {
			worst = (double)e->c->cmd.memory;
			at = i;
			snprintf(desc, sizeof(desc), "command.memory");
		}
		if (!emithaspipeline(e) || !r->oneframe || pnghead(r->oneframe, &h) < 0)
			continue;
		d = estimaterun(&h, r->nframes, p->ops, p->nops, p->prods, e->c->npy);
		if (d > worst) {
			worst = d;
			at = i;
			pngheaddesc(&h, desc, sizeof(desc));
		}
	}
	if (worst <= 0) {
		if (out)
			fprintf(out, e->c->cmd.run && !emithaspipeline(e)
			                 ? "runja-gen: jobs.pool auto: the command declares no memory (command.memory = \"2G\"); no pool\n"
			                 : "runja-gen: jobs.pool auto: no frame to estimate from; no pool\n");
		return 0;
	}
	if (memory <= 0 && avail >= 1073741824.0)
		avail = 1073741824.0 * (double)(long long)(avail / 1073741824.0);
	d = avail / worst;
	depth = d < 1 ? 1 : d > 1e6 ? 1000000 : (int)d;
	if (out)
		fprintf(out, "runja-gen: jobs.pool auto: up to %.1f MiB per run (%s, %s), %.1f GiB %s: %d at once\n",
	       worst / 1048576, e->s->runs[at].id, desc, avail / 1073741824, memory > 0 ? "by jobs.memory" : "available",
	       depth);
	return depth;
}
