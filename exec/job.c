#include <stdlib.h>
#include <string.h>

#include "common/progress.h"
#include "common/state.h"
#include "common/util.h"
#include "exec.h"
#include "execrun.h"
#include "job.h"

void
mkjob(struct job *a, const struct execopts *o)
{
	size_t len = strlen(o->cmdout);

	*a = (struct job){.o = o};
	while (len > 1 && o->cmdout[len - 1] == '/')
		len--;
	a->cmdout = xasprintf("%.*s", (int)len, o->cmdout);
	a->work = statein(o->state, STATEWORK, o->id);
	a->out = xasprintf("%s/out", a->work);
	a->frames = xasprintf("%s/frames.txt", a->work);
	a->paramfile = xasprintf("%s/params.json", a->work);
	a->progress = progressfile(o->state, o->id);
	a->params = execsorted(o->params);
}

void
deljob(struct job *a)
{
	free(a->cmdout), free(a->work), free(a->out), free(a->frames), free(a->paramfile), free(a->log);
	free(a->progress);
	json_decref(a->params);
	delstrv(a->names, a->nnames);
	delstrv(a->argv, a->nargv);
	delinputs(&a->in);
}
