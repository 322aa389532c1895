#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/natsort.h"
#include "common/state.h"
#include "common/util.h"
#include "runinfo.h"

/* a command run shows the last LOGLINES lines of a failure's log */
enum { LOGLINES = 5 };
/* how much of the end of a failure's log is read for its last lines */
#define LOGTAILBYTES 4096

void
reportlogtail(struct buf *out, const char *text, size_t len, int partial, int nlines)
{
	struct logline *lines;
	size_t n, i;
	bool cut;

	lines = statetailalloc(text, len, partial, nlines > 0 ? (size_t)nlines : 0, &n, &cut);
	/* a first line that begins before what was read is marked */
	if (cut)
		bufputs(out, "\xe2\x80\xa6");
	for (i = 0; i < n; i++) {
		if (i)
			bufputc(out, '\n');
		stateplain(out, &lines[i]);
	}
	free(lines);
}

/* is j a summary.json that runja-process wrote? */
static int
validsummary(json_t *j)
{
	return json_is_string(json_object_get(j, "run")) && json_is_integer(json_object_get(j, "frames")) &&
	       json_is_array(json_object_get(j, "skipped"));
}

int
runinfocmp(const void *a, const void *b)
{
	return natcmp(((const struct runinfo *)a)->id, ((const struct runinfo *)b)->id);
}

/* is j a summary.json that runja-process --exec wrote for the command alone? */
static int
iscommand(json_t *j)
{
	const char *kind = json_string_value(json_object_get(j, "kind"));

	return kind && strcmp(kind, "command") == 0;
}

/* was the file of a modified before the file of b? */
static int
older(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec != b->st_mtim.tv_sec ? a->st_mtim.tv_sec < b->st_mtim.tv_sec
	                                              : a->st_mtim.tv_nsec < b->st_mtim.tv_nsec;
}

/* the last LOGLINES lines of the log at path into ri->clog (left NULL when there is none or it is empty) */
static void
readlogtail(const char *path, struct runinfo *ri)
{
	struct buf text, b;
	bool partial;

	bufinit(&b);
	if (readtail(path, LOGTAILBYTES, &text, &partial, NULL, 0) == 0)
		reportlogtail(&b, text.s, text.len, partial, LOGLINES);
	if (b.len)
		ri->clog = b.s;
	else
		buffree(&b);
	buffree(&text);
}

/* the command of ri failed last time: its error line and log from STATE/failed/ID */
static void
readfailure(const char *outdir, const char *id, struct runinfo *ri)
{
	char *path = statefailure(outdir, id, true);

	ri->cstate = RUNFAILED;
	ri->cerror = statefailread(path);
	free(path);
	path = statepath(outdir, STATEFAILLOG, id);
	readlogtail(path, ri);
	free(path);
}

/*
 * The command's state in ri: its summary.json at sumpath (sum: that file loaded, owned
 * here; NULL: loaded here), unless the failure record fst (NULL: none) is not older.
 */
static void
readcommand(const char *outdir, const char *id, const char *sumpath, json_t *sum, const struct stat *fst,
            struct runinfo *ri)
{
	struct stat sst;
	json_error_t je;

	if (fst && (stat(sumpath, &sst) < 0 || !older(fst, &sst))) {
		json_decref(sum);
		readfailure(outdir, id, ri);
		return;
	}
	if (!sum && !(sum = json_load_file(sumpath, 0, &je)))
		ri->cerror = xasprintf("%s:%d: %s", sumpath, je.line, je.text);
	else if (!validsummary(sum))
		ri->cerror = xasprintf("%s: not a runja summary", sumpath);
	if (ri->cerror) {
		warn("%s", ri->cerror);
		json_decref(sum);
		ri->cstate = RUNFAILED;
	} else {
		ri->cstate = RUNDONE;
		ri->csum = sum;
	}
}

/* runinforead but for the quarantine */
static void
readrun(const char *outdir, const char *id, struct runinfo *ri)
{
	char *path = xasprintf("%s/%s/summary.json", outdir, id), *failpath;
	struct stat fst, est;
	json_error_t je;
	json_t *sum = NULL;
	int hassum, failed;

	*ri = (struct runinfo){.id = id, .state = RUNNEW, .seconds = -1, .maxrss = -1, .acq = NAN};
	failpath = statefailure(outdir, id, true);
	failed = stat(failpath, &fst) == 0;
	free(failpath);
	if ((hassum = exists(path)))
		sum = json_load_file(path, 0, &je);
	if (iscommand(sum)) {
		/* the command's results are all of OUT/ID: an error.txt there is one of them */
		ri->kind = COMMAND;
		readcommand(outdir, id, path, sum, failed ? &fst : NULL, ri);
		ri->state = ri->cstate;
		free(path);
		return;
	}
	free(path);
	path = statefailure(outdir, id, false);
	if (stat(path, &est) == 0) {
		json_decref(sum);
		if (failed && !older(&fst, &est)) {
			/* the command alone failed after the pipeline did (the configuration changed) */
			ri->kind = COMMAND;
			readfailure(outdir, id, ri);
		} else {
			ri->error = statefailread(path);
		}
		ri->state = RUNFAILED;
		free(path);
		return;
	}
	free(path);
	path = xasprintf("%s/%s/summary.json", outdir, id);
	if (hassum) {
		ri->sum = sum;
		if (!ri->sum || !validsummary(ri->sum)) {
			ri->error = ri->sum ? xasprintf("%s: not a runja summary", path)
			                    : xasprintf("%s:%d: %s", path, je.line, je.text);
			warn("%s", ri->error);
			json_decref(ri->sum);
			ri->sum = NULL;
			ri->state = RUNFAILED;
		} else {
			ri->state = RUNDONE;
		}
	} else if (failed) {
		/* the command alone, failed before it ever succeeded */
		ri->kind = COMMAND;
		readfailure(outdir, id, ri);
		ri->state = RUNFAILED;
	}
	free(path);
	if (ri->state == RUNDONE) {
		path = staterecord(outdir, id, STATEFRAMES);
		ri->hasframes = exists(path);
		free(path);
		path = xasprintf("%s/%s/stats.csv", outdir, id);
		ri->hasframes = ri->hasframes || exists(path);
		free(path);
		path = xasprintf("%s/%s/front.csv", outdir, id);
		ri->hasfront = exists(path);
		free(path);
		path = xasprintf("%s/%s/" AFTERDIR "/summary.json", outdir, id);
		if (failed || exists(path)) {
			ri->kind = AFTER;
			readcommand(outdir, id, path, NULL, failed ? &fst : NULL, ri);
		}
		free(path);
	}
}

void
runinfofree(struct runinfo *ri, size_t nvalues)
{
	size_t i;

	json_decref(ri->sum);
	json_decref(ri->csum);
	free(ri->error);
	free(ri->cerror), free(ri->clog);
	for (i = 0; ri->got && i < nvalues; i++)
		showfree(&ri->got[i]);
	free(ri->got);
}

char *
runinfocmddir(const char *outdir, const struct runinfo *ri)
{
	return ri->kind == AFTER ? xasprintf("%s/%s/" AFTERDIR, outdir, ri->id) : xasprintf("%s/%s", outdir, ri->id);
}

/* the first frame's modification time in the inputs record at path (common/inputs.h: a frame's line is NAME SIZE MTIME HASH), s; NAN when none */
static double
firstframetime(const char *path)
{
	char buf[8192], *line, *next, *f[4];
	long long ns;
	ssize_t got;
	int fd, i, k;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NAN;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[got > 0 ? got : 0] = '\0';
	/* the version, key and scanned lines, then the frames */
	for (line = buf, i = 0; (next = strchr(line, '\n')) && i < 3; line = next + 1, i++)
		;
	if (i < 3 || !(next = strchr(line, '\n')))
		return NAN;
	*next = '\0';
	f[0] = line;
	for (k = 1; k < 4 && (f[k] = strchr(f[k - 1], '\t')); k++)
		*f[k]++ = '\0';
	if (k == 4 && sscanf(f[2], "%lld", &ns) == 1)
		return (double)ns / 1e9;
	return NAN;
}

enum runstate
runinfostate(const struct runinfo *ri)
{
	return ri->kind == AFTER && ri->cstate == RUNFAILED ? RUNFAILED : ri->state;
}

long long
runinfoint(const json_t *sum, const char *key)
{
	return (long long)json_integer_value(json_object_get(sum, key));
}

/* "quarantined (...): " before *error, when it is set */
static void
markquarantined(char **error, const char *id)
{
	char *e;

	if (!*error)
		return;
	e = xasprintf("quarantined (failed twice the same way; runja-gen --retry %s tries it again): %s", id, *error);
	free(*error);
	*error = e;
}

void
runinforead(const char *outdir, const char *id, const struct show *show, struct runinfo *ri)
{
	char *quar = statepath(outdir, STATEQUARANTINE, id), *path, *dir;

	readrun(outdir, id, ri);
	path = staterecord(outdir, id, STATEINPUTS);
	ri->acq = firstframetime(path);
	free(path);
	if (show && show->nvalues && ri->kind != PIPELINE && ri->cstate == RUNDONE) {
		dir = runinfocmddir(outdir, ri);
		ri->got = xreallocarray(NULL, show->nvalues, sizeof(*ri->got));
		showread(show, dir, ri->got);
		free(dir);
	}
	if (exists(quar) && runinfostate(ri) == RUNFAILED) {
		ri->quarantined = true;
		markquarantined(&ri->error, id);
		markquarantined(&ri->cerror, id);
	}
	free(quar);
}
