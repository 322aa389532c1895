#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/inputs.h"
#include "common/state.h"
#include "common/util.h"
#include "ctx.h"
#include "fresh.h"
#include "runinfo.h"

/* what the signature's line looks like: after the page's first line */
#define SIGFMT "<!-- runja-report %016" PRIx64 " -->"

/* add the identity of the file at path (or that there is none) to b */
static void
addfile(struct buf *b, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		bufputs(b, "-|");
	else
		bufprintf(b, "%lld.%lld.%lld.%ld.%ld|", (long long)st.st_dev, (long long)st.st_ino, (long long)st.st_size,
		          (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

uint64_t
freshbase(const struct report *r)
{
	char *path = statepath(r->outdir, STATEREPORTCFG, NULL);
	struct buf b;
	uint64_t h;
	size_t i;

	bufinit(&b);
	bufputs(&b, "runja-report " RUNJA_VERSION "|");
	for (i = 0; i < NTMPL; i++)
		bufprintf(&b, "%016" PRIx64 "|", inputshash(r->t.t[i].s, r->t.t[i].len));
	addfile(&b, path);
	h = inputshash(b.s, b.len);
	buffree(&b);
	free(path);
	return h;
}

uint64_t
freshsig(const struct report *r, const struct runinfo *ri, size_t i, uint64_t base)
{
	static const char *const pipefiles[] = {"summary.json", STATENAME ".frames", "stats.csv", "front.csv",
	                                        STATENAME ".inputs"};
	static const char *const cmdfiles[] = {"summary.json", "runja.log", STATENAME ".inputs"};
	const struct ledgerentry *e;
	char *path, *dir;
	struct buf b;
	uint64_t h;
	size_t k;

	bufinit(&b);
	bufprintf(&b, "%016" PRIx64 "|%zu|%s|%d|%d|%d|%d|%s|%s|%s|", base, i, ri->id, ri->kind, ri->state, ri->cstate,
	          ri->quarantined, ri->error ? ri->error : "", ri->cerror ? ri->cerror : "", ri->clog ? ri->clog : "");
	for (k = 0; ri->kind != COMMAND && k < sizeof(pipefiles) / sizeof(pipefiles[0]); k++) {
		path = xasprintf("%s/%s/%s", r->outdir, ri->id, pipefiles[k]);
		addfile(&b, path);
		free(path);
	}
	dir = runinfocmddir(r->outdir, ri);
	for (k = 0; ri->kind != PIPELINE && k < sizeof(cmdfiles) / sizeof(cmdfiles[0]); k++) {
		path = xasprintf("%s/%s", dir, cmdfiles[k]);
		addfile(&b, path);
		free(path);
	}
	free(dir);
	for (e = ledgerlast(r->ledger, ri->id); e; e = ledgerbefore(r->ledger, e))
		bufprintf(&b, "%s %.17g %lld %s %s %s|", e->when, e->seconds, e->maxrss, e->host, e->status, e->error);
	h = inputshash(b.s, b.len);
	buffree(&b);
	return h;
}

bool
freshis(const struct report *r, const char *id, uint64_t sig)
{
	char *page = statepath(r->outdir, STATEPAGES, id), *path = xasprintf("%s.html", page), want[64], got[128];
	ssize_t n = -1;
	char *nl;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, got, sizeof(got) - 1);
		close(fd);
	}
	free(page), free(path);
	if (n <= 0)
		return false;
	got[n] = '\0';
	freshline(want, sizeof(want), sig);
	/* the line after the first */
	return (nl = strchr(got, '\n')) && strncmp(nl + 1, want, strlen(want)) == 0;
}

void
freshline(char *s, size_t n, uint64_t sig)
{
	snprintf(s, n, SIGFMT, sig);
}
