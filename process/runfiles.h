#ifndef RUNJA_RUNFILES_H
#define RUNJA_RUNFILES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct cores;
struct inputs;
struct outset;
struct products;
struct thumbs;

/* A run's files read and written on the cores there are, besides its frames: its frames not hashed as they were decoded, its image products written, and their thumbnails. */

/* hash every frame of in not hashed yet (inputshashone) on the cores c gives; 0 or -1 with the first error, in frame order */
int runhash(struct inputs *in, struct cores *c, char *err, size_t n);

/*
 * Write the finished image products of acc into outdir under temporary names added to
 * o: NAME.png (16-bit, compression 0-9 as png.h says) and with npy NAME.npy, one file a thread
 * on the cores c gives (NULL: one thread); each image's {"lo", "hi"} into prods; with
 * thumbs (mkthumbs of acc; NULL: none) each PNG's thumbnail too, made from its rows as
 * they are written. 0, or -1 with "TMPFILE: cause" of the first file that failed, in
 * the order added.
 */
int prodfiles(const struct products *acc, const char *outdir, bool npy, int compression, struct cores *c,
              struct outset *o, json_t *prods, struct thumbs *thumbs, char *err, size_t n);

/* the thumbnails of the image products of acc, for prodfiles to make; caller frees with delthumbs */
struct thumbs *mkthumbs(const struct products *acc);
void delthumbs(struct thumbs *t);
/*
 * Write the thumbnails t holds of acc's image products where the report keeps them,
 * OUT/.runja/thumbs/ID/NAME.png under root (OUT), once the products are in place: newer
 * than them, and the same bytes the report would make from them, so it takes them as
 * they are. Each under a temporary name of runja-process's own (".NAME.png.run.tmp",
 * not flushed: a cache, as the report's own), renamed. Best effort: one not made or not
 * written is the report's to make, and to say why.
 */
void prodthumbs(const struct products *acc, const struct thumbs *t, const char *root, const char *id);
/*
 * Remove the temporary files of thumbnails that an attempt of run id was killed
 * writing, in OUT/.runja/thumbs/ID/ under root: prodthumbs does before it writes, and
 * a step that finds the run up to date (killed after its results were in place). Only
 * runja-process's own names, under the run's lock: the report's are its own.
 */
void thumbsleftover(const char *root, const char *id);

#endif
