#ifndef RUNJA_SPACE_H
#define RUNJA_SPACE_H

#include <stdbool.h>
#include <stddef.h>

#include "spec.h"

/*
 * Room on the output file system, checked before a run writes: a run that would fill
 * the disk fails at once, with its previous results left in place, as a transient
 * failure (JOBSTRANSIENT in common/jobs.h), instead of failing half-way and taking other
 * runs' room.
 */

/* the margin the file system must have free over a run's estimate, percent */
#define SPACEMARGIN 20
/* a command's estimate when it has no results yet and RUNJA_COMMAND_SPACE says nothing, bytes */
#define SPACECOMMAND (1024.0 * 1024)

/*
 * The bytes the results of a pipeline run take at most: the image products of frames of
 * w x h (16-bit PNG, stored rows and zlib's overhead; .npy when npy), the time stack of
 * nframes rows, stats.csv and front.csv by line, summary.json and the depfile; names is
 * the length of the frames' paths together. Each file is counted in whole 4 KiB blocks.
 */
double spaceproducts(const struct prodspec *p, bool npy, int w, int h, int nframes, size_t names);
/*
 * A command's estimate: what its previous results in dir take (the files' blocks), or
 * when there are none, RUNJA_COMMAND_SPACE (bytes, or with K, M or G: binary units) or
 * SPACECOMMAND
 */
double spacecommand(const char *dir);
/* b bytes as a short figure into s: "640 KiB", "1.5 MiB", "120 MiB", "2.0 GiB" */
void spacefmt(char *s, size_t n, double b);
/*
 * Does the file system of dir (or of its nearest folder that exists) have room for need
 * bytes plus SPACEMARGIN percent, as f_bavail says? 0 when it has, or when statvfs cannot
 * tell; else -1 with "ID: not enough space in DIR/: needs X (products Y + 20 % margin),
 * Z free" in err.
 */
int spacecheck(const char *dir, double need, const char *id, char *err, size_t n);

#endif
