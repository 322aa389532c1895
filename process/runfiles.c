#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>

#include "common/inputs.h"
#include "common/output.h"
#include "common/util.h"
#include "npy.h"
#include "png.h"
#include "products.h"
#include "runfiles.h"
#include "workers.h"

/* the image files of a run's products, written on several threads */
struct imgfiles {
	const struct prodimg *im;
	int compression;     /* zlib level of the PNGs */
	const char **tmp;    /* per file: NAME.png, then NAME.npy when npy, of each image in turn */
	char (*err)[512];    /* per file: its error, when failed */
	bool *failed;
	int *cause;          /* per file: seterrno() of its failure (a thread of its own) */
	size_t per;          /* files per image: 1 or 2 */
};

/* write file k of the image products (eachfn) */
static void
writeimgfile(void *ctx, size_t k, int thread)
{
	const struct imgfiles *f = ctx;
	const struct prodimg *im = &f->im[k / f->per];

	(void)thread;
	if (k % f->per == 0)
		f->failed[k] = pngwrite16(f->tmp[k], &im->img, im->lo, im->hi, f->compression, f->err[k],
		                          sizeof(f->err[k])) < 0;
	else
		f->failed[k] = npywrite(f->tmp[k], im->img.px, im->img.h, im->img.w, f->err[k], sizeof(f->err[k])) < 0;
	f->cause[k] = f->failed[k] ? seterrno() : 0;
}

int
prodfiles(const struct products *acc, const char *outdir, bool npy, int compression, struct cores *c,
          struct outset *o, json_t *prods, char *err, size_t n)
{
	const struct prodimg *im;
	size_t i, k, nim = prodimages(acc, &im);
	struct imgfiles f = {.im = im, .compression = compression, .per = npy ? 2 : 1};
	char *name;
	int ret = 0;

	f.tmp = xcalloc(nim * f.per + 1, sizeof(*f.tmp));
	f.err = xcalloc(nim * f.per + 1, sizeof(*f.err));
	f.failed = xcalloc(nim * f.per + 1, sizeof(*f.failed));
	f.cause = xcalloc(nim * f.per + 1, sizeof(*f.cause));
	for (i = 0; i < nim; i++) {
		for (k = 0; k < f.per; k++) {
			name = xasprintf("%s.%s", im[i].name, k ? "npy" : "png");
			f.tmp[i * f.per + k] = outadd(o, outdir, name);
			free(name);
		}
		json_object_set_new(prods, im[i].name, json_pack("{s:f,s:f}", "lo", im[i].lo, "hi", im[i].hi));
	}
	workeach(nim * f.per, writeimgfile, &f, c);
	for (k = 0; k < nim * f.per && ret == 0; k++)
		if (f.failed[k]) {
			seterrkeep(f.cause[k]);  /* a full disk is a passing cause, whichever thread met it */
			ret = seterr(err, n, "%s: %s", f.tmp[k], f.err[k]);
		}
	free(f.tmp), free(f.err), free(f.failed), free(f.cause);
	return ret;
}

/* the frames' hashes, for the inputs record */
struct hashjob {
	struct inputs *in;
	char (*err)[512];  /* per frame, its error when it failed */
	int *cause;        /* per frame, seterrno() of the failure, 0 when none */
};

/* hash frame i (eachfn) */
static void
hashone(void *ctx, size_t i, int thread)
{
	struct hashjob *j = ctx;

	(void)thread;
	j->cause[i] = inputshashone(j->in, i, j->err[i], sizeof(j->err[i])) < 0 ? (seterrno() ? seterrno() : -1) : 0;
}

int
runhash(struct inputs *in, struct cores *c, char *err, size_t n)
{
	size_t i, nf = in->nframes;
	struct hashjob j = {.in = in};
	int ret = 0;

	j.err = xcalloc(nf + 1, sizeof(*j.err));
	j.cause = xcalloc(nf + 1, sizeof(*j.cause));
	workeach(nf, hashone, &j, c);
	for (i = 0; i < nf && ret == 0; i++)
		if (j.cause[i]) {
			seterrkeep(j.cause[i] > 0 ? j.cause[i] : 0);  /* an I/O error is a passing cause, on any thread */
			ret = seterr(err, n, "%s", j.err[i]);
		}
	free(j.err), free(j.cause);
	return ret;
}
