#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>

#include "common/fs.h"
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
	int compression;     /* compression 0-9 of the PNGs (png.h) */
	const char **tmp;    /* per file: NAME.png, then NAME.npy when npy, of each image in turn */
	size_t per;          /* files per image: 1 or 2 */
};

/* write file k of the image products (taskfn); its error names the file */
static int
writeimgfile(void *ctx, size_t k, char *err, size_t n)
{
	const struct imgfiles *f = ctx;
	const struct prodimg *im = &f->im[k / f->per];
	char cause[512];

	if ((k % f->per == 0 ? pngwrite16(f->tmp[k], &im->img, im->lo, im->hi, f->compression, cause, sizeof(cause))
	                     : npywrite(f->tmp[k], im->img.px, im->img.h, im->img.w, cause, sizeof(cause))) < 0)
		return seterr(err, n, "%s: %s", f->tmp[k], cause);
	return 0;
}

int
prodfiles(const struct products *acc, const char *outdir, bool npy, int compression, struct cores *c,
          struct outset *o, json_t *prods, char *err, size_t n)
{
	const struct prodimg *im;
	size_t i, k, nim = prodimages(acc, &im);
	struct imgfiles f = {.im = im, .compression = compression, .per = npy ? 2 : 1};
	char *name;
	int ret;

	f.tmp = xcalloc(nim * f.per + 1, sizeof(*f.tmp));
	for (i = 0; i < nim; i++) {
		for (k = 0; k < f.per; k++) {
			name = xasprintf("%s.%s", im[i].name, k ? "npy" : "png");
			f.tmp[i * f.per + k] = outadd(o, outdir, name);
			free(name);
		}
		json_object_set_new(prods, im[i].name, json_pack("{s:f,s:f}", "lo", im[i].lo, "hi", im[i].hi));
	}
	ret = workcheck(nim * f.per, writeimgfile, &f, c, err, n);
	free(f.tmp);
	return ret;
}

/* hash frame i (taskfn) */
static int
hashone(void *ctx, size_t i, char *err, size_t n)
{
	return inputshashone(ctx, i, err, n);
}

int
runhash(struct inputs *in, struct cores *c, char *err, size_t n)
{
	size_t i;

	/* usually every frame was hashed as it was decoded: no threads started for nothing */
	for (i = 0; i < in->nframes && in->frames[i].hashed; i++)
		;
	return i == in->nframes ? 0 : workcheck(in->nframes, hashone, in, c, err, n);
}
