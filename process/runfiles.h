#ifndef RUNJA_RUNFILES_H
#define RUNJA_RUNFILES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct cores;
struct inputs;
struct outset;
struct products;

/* A run's files read and written on the cores there are, besides its frames: its frames not hashed as they were decoded, its image products written. */

/* hash every frame of in not hashed yet (inputshashone) on the cores c gives; 0 or -1 with the first error, in frame order */
int runhash(struct inputs *in, struct cores *c, char *err, size_t n);

/*
 * Write the finished image products of acc into outdir under temporary names added to
 * o: NAME.png (16-bit, compression 0-9 as png.h says) and with npy NAME.npy, one file a thread
 * on the cores c gives (NULL: one thread); each image's {"lo", "hi"} into prods. 0, or
 * -1 with "TMPFILE: cause" of the first file that failed, in the order added.
 */
int prodfiles(const struct products *acc, const char *outdir, bool npy, int compression, struct cores *c,
              struct outset *o, json_t *prods, char *err, size_t n);

#endif
