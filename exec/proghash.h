#ifndef RUNJA_PROGHASH_H
#define RUNJA_PROGHASH_H

#include <stddef.h>

struct inputs;

/*
 * A command's own files (--input: the interpreter, the script, its modules) are the
 * same for every run, and hashing a 7 MB interpreter for each run of a few small frames
 * costs more than hashing the frames. STATE/programs keeps their hashes in the form of
 * a run's record (common/inputs.h), and a file whose size and time are those it has
 * there, settled before the record's scan, takes its hash from it: the trust a run's
 * own record gets when a build looks at whether it is up to date (inputscompare).
 */

/*
 * Set the hashes of the program files of in, its entries [first, in->nframes) (as
 * execinputs scanned them), from STATE/programs where they can be trusted; hash the
 * others and write the record again when it changed. Nothing is reported: a file that
 * cannot be read is left unhashed, for inputshashall to say why; a record that cannot
 * be written is only not shared.
 */
void proghash(const char *state, struct inputs *in, size_t first);

#endif
