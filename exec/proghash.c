#include <stdbool.h>
#include <stdlib.h>

#include "common/inputs.h"
#include "common/state.h"
#include "common/util.h"
#include "proghash.h"
#include "results.h"

/* the record's key: it holds a command's files, not a run's frames */
#define KEY "runja-exec: a command's files"

void
proghash(const char *state, struct inputs *in, size_t first)
{
	char *path = statein(state, STATEPROGRAMS, NULL), err[512];
	struct inputs kept, cur = {
		.key = KEY, .scanned = in->scanned, .dir = in->dir, .id = in->id,
		.frames = in->frames + first, .nframes = in->nframes - first,
	};
	enum inputsdiff d = INPUTSCHANGED;

	if (first >= in->nframes) {
		free(path);
		return;
	}
	/* the files are cur's, a view of in's: their hashes land in in */
	if (inputsread(path, &kept, err, sizeof(err)) == 0) {
		if (inputscompare(&kept, &cur, &d, err, sizeof(err)) < 0)
			d = INPUTSCHANGED;
		delinputs(&kept);
	}
	if (d != INPUTSSAME && inputshashall(&cur, err, sizeof(err)) == 0)
		resultsrecord(path, &cur, err, sizeof(err));
	free(path);
}
