/*
 * Every op's declaration (common/opdesc.h). Each is written in process/ops/NAME.c,
 * beside the op's pixels, and compiled here with OPDECL defined, which leaves the
 * pixels out: runja-gen gets every op's keys and memory model without the pixel code,
 * runja-process gets the same ones. The files and the table come from the lists make
 * writes from process/ops/ (common/opfiles.h, common/oplist.h): a new op is its file.
 */
#include "opdesc.h"

#define OPDECL
#include "opfiles.h"

const struct opdesc *const opdescs[] = {
#define OPDESC(name, NAME) [OP##NAME] = &name##desc,
	OPLIST(OPDESC)
#undef OPDESC
};
const size_t nopdescs = sizeof(opdescs) / sizeof(opdescs[0]);
_Static_assert(sizeof(opdescs) / sizeof(opdescs[0]) == NOPKINDS, "one declaration per op kind");
