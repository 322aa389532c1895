#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/inputs.h"
#include "common/output.h"
#include "common/state.h"
#include "common/util.h"
#include "npy.h"
#include "png.h"
#include "products.h"
#include "runfiles.h"
#include "thumbimg.h"
#include "workers.h"

/* the thumbnails of a run's image products, made as their PNGs are written */
struct thumbs {
	size_t n;         /* images */
	struct buf *png;  /* per image: its thumbnail's PNG bytes */
	bool *ok;         /* per image: made */
};

/* the image files of a run's products, written on several threads */
struct imgfiles {
	const struct prodimg *im;
	int compression;     /* compression 0-9 of the PNGs (png.h) */
	const char **tmp;    /* per file: NAME.png, then NAME.npy when npy, of each image in turn */
	size_t per;          /* files per image: 1 or 2 */
	struct thumbs *thumbs;  /* where their thumbnails go, or NULL: none made */
};

/* write image im's PNG to path, and with t its thumbnail into t's slot i; 0 or -1 with err (the thumbnail's failure is not one) */
static int
writepng(const char *path, const struct prodimg *im, int compression, struct thumbs *t, size_t i, char *err,
         size_t n)
{
	struct thumbacc *a;
	char cause[512];
	int tw, th, ret;

	if (!t)
		return pngwrite16(path, &im->img, im->lo, im->hi, compression, err, n);
	thumbsize(im->img.w, im->img.h, &tw, &th);
	a = mkthumbacc(im->img.w, im->img.h, tw, th, 1);
	ret = pngwrite16rows(path, &im->img, im->lo, im->hi, compression, thumbadd16, a, err, n);
	t->ok[i] = ret == 0 && thumbdone(a, &t->png[i], cause, sizeof(cause)) == 0;
	delthumbacc(a);
	return ret;
}

/*
 * write file k of the image products (taskfn); its error names the file. Its writing to
 * the disk starts at once, while the other files are made: the flushes before the
 * renames (outcommit) then wait for less.
 */
static int
writeimgfile(void *ctx, size_t k, char *err, size_t n)
{
	const struct imgfiles *f = ctx;
	const struct prodimg *im = &f->im[k / f->per];
	char cause[512];

	if ((k % f->per == 0 ? writepng(f->tmp[k], im, f->compression, f->thumbs, k / f->per, cause, sizeof(cause))
	                     : npywrite(f->tmp[k], im->img.px, im->img.h, im->img.w, cause, sizeof(cause))) < 0)
		return seterr(err, n, "%s: %s", f->tmp[k], cause);
	syncstart(f->tmp[k]);
	return 0;
}

struct thumbs *
mkthumbs(const struct products *acc)
{
	const struct prodimg *im;
	struct thumbs *t = xmalloc(sizeof(*t));
	size_t i;

	t->n = prodimages(acc, &im);
	t->png = xreallocarray(NULL, t->n + 1, sizeof(*t->png));
	t->ok = xcalloc(t->n + 1, sizeof(*t->ok));
	for (i = 0; i < t->n; i++)
		bufinit(&t->png[i]);
	return t;
}

void
delthumbs(struct thumbs *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		buffree(&t->png[i]);
	free(t->png), free(t->ok), free(t);
}

/* what a thumbnail's temporary name ends with: runja-process's own, not the report's */
#define THUMBTMP ".png.run.tmp"

/* remove from dir the temporary files of thumbnails an attempt was killed writing (".NAME" THUMBTMP) */
static void
thumbsleft(const char *dir)
{
	char **v, *p, cause[512];
	size_t i, nv, len, k = strlen(THUMBTMP);

	if (listtree(dir, &v, &nv, cause, sizeof(cause)) < 0)
		return;
	for (i = 0; i < nv; i++) {
		len = strlen(v[i]);
		if (v[i][0] == '.' && !strchr(v[i], '/') && len > k + 1 && strcmp(v[i] + len - k, THUMBTMP) == 0) {
			p = xasprintf("%s/%s", dir, v[i]);
			unlink(p);
			free(p);
		}
	}
	delstrv(v, nv);
}

void
thumbsleftover(const char *root, const char *id)
{
	char *dir = statepath(root, STATETHUMBS, id);

	thumbsleft(dir);
	free(dir);
}

void
prodthumbs(const struct products *acc, const struct thumbs *t, const char *root, const char *id)
{
	const struct prodimg *im;
	size_t i, nim = prodimages(acc, &im);
	char *dir = statepath(root, STATETHUMBS, id), *dst, *tmp, cause[512];

	if (nim == t->n && nim > 0 && mkdirp(dir, cause, sizeof(cause)) == 0) {
		thumbsleft(dir);
		for (i = 0; i < nim; i++) {
			if (!t->ok[i])
				continue;
			dst = xasprintf("%s/%s.png", dir, im[i].name);
			tmp = xasprintf("%s/.%s" THUMBTMP, dir, im[i].name);
			/* on this thread, the name known to a signal's handler (fs.h) */
			writevia(dst, tmp, t->png[i].s, t->png[i].len, cause, sizeof(cause));
			free(dst), free(tmp);
		}
	}
	free(dir);
}

int
prodfiles(const struct products *acc, const char *outdir, bool npy, int compression, struct cores *c,
          struct outset *o, json_t *prods, struct thumbs *thumbs, char *err, size_t n)
{
	const struct prodimg *im;
	size_t i, k, nim = prodimages(acc, &im);
	struct imgfiles f = {.im = im, .compression = compression, .per = npy ? 2 : 1, .thumbs = thumbs};
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
