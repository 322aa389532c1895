#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/runstep.h"
#include "common/state.h"
#include "common/util.h"
#include "forget.h"
#include "plan.h"

/* unlink path; true when it was there */
static bool
drop(const char *path)
{
	return unlink(path) == 0;
}

/* forget what run r's step st left that keeps it from running: its quarantine, or (rerun) its results' record too */
static bool
forgetrun(const struct emit *e, const struct run *r, bool rerun)
{
	char *quar = statepath(e->c->outdir, STATEQUARANTINE, r->id), *tried = statepath(e->c->outdir, STATETRIED, r->id);
	char *out = xasprintf("%s/%s", e->c->outdir, r->id), *cmdout = emitcmdout(e, r), *v[5];
	char *state = statepath(e->c->outdir, STATEDIR, NULL);
	bool any = exists(quar);
	size_t i, nv = 0;

	stepunquarantine(state, r->id);
	free(state);
	drop(tried);
	if (rerun) {
		v[nv++] = xasprintf("%s/summary.json", out);
		v[nv++] = staterecord(out, NULL, STATEINPUTS);
		if (e->c->cmd.run) {
			v[nv++] = staterecord(cmdout, NULL, STATESTAMP);
			v[nv++] = staterecord(cmdout, NULL, STATEINPUTS);
		}
		for (i = 0; i < nv; i++) {
			any |= drop(v[i]);
			free(v[i]);
		}
	}
	free(quar), free(tried), free(out), free(cmdout);
	return any;
}

int
forgetruns(const struct emit *e, const char *which, bool rerun, FILE *out, char *err, size_t n)
{
	bool all = strcmp(which, "all") == 0;
	size_t i, nmatch = 0, nforgot = 0;

	for (i = 0; i < e->s->nruns; i++) {
		const struct run *r = &e->s->runs[i];

		if (!all && strcmp(r->id, which) != 0)
			continue;
		nmatch++;
		if (forgetrun(e, r, rerun)) {
			nforgot++;
			if (!all || rerun)
				continue;
			fprintf(out, "runja-gen: %s: quarantine lifted\n", r->id);
		}
	}
	if (!all && nmatch == 0)
		return seterr(err, n, "--%s %s: no run is named so (runja-gen --status lists them)", rerun ? "rerun" : "retry",
		              which);
	if (rerun)
		fprintf(out, "runja-gen: %s processed again by the next build\n", all ? "every run is" : which);
	else if (!all)
		fprintf(out, "runja-gen: %s: %s\n", which, nforgot ? "quarantine lifted; the next build tries it again"
		                                                  : "not quarantined; the next build tries it if it failed");
	else
		fprintf(out, "runja-gen: %zu quarantined run%s lifted; the next build tries %s again\n", nforgot,
		        nforgot == 1 ? "" : "s", nforgot == 1 ? "it" : "them");
	return (int)nforgot;
}
