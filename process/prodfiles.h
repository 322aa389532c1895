#ifndef RUNJA_PRODFILES_H
#define RUNJA_PRODFILES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct cores;
struct outset;
struct products;

/*
 * Write the finished image products of acc into outdir under temporary names added to
 * o: NAME.png (16-bit, zlib level compression) and with npy NAME.npy, one file a thread
 * on the cores c gives (NULL: one thread); each image's {"lo", "hi"} into prods. 0, or
 * -1 with "TMPFILE: cause" of the first file that failed, in the order added.
 */
int prodfiles(const struct products *acc, const char *outdir, bool npy, int compression, struct cores *c,
              struct outset *o, json_t *prods, char *err, size_t n);

#endif
