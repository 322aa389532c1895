#include "common/util.h"
#include "slurm.h"

int
slurmscript(const struct emit *e, size_t nstale, const char *tmpl, const char *tname, FILE *out,
            char *err, size_t n)
{
	(void)e, (void)nstale, (void)tmpl, (void)tname, (void)out;
	return seterr(err, n, "--slurm-script is not built yet");
}
