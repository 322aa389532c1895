#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "common/frames.h"
#include "common/fs.h"
#include "common/inputs.h"
#include "common/natsort.h"
#include "common/state.h"
#include "common/util.h"

/* is a strictly newer than b? */
static bool
newer(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

/* summary.json's argv with the frames' signature taken out into *frameset (NULL when none); caller frees with delstrv */
static size_t
oldargv(json_t *sum, char ***argv, const char **frameset)
{
	json_t *old = json_object_get(sum, "argv");
	size_t j, n = 0;

	*argv = xreallocarray(NULL, json_array_size(old) + 1, sizeof(**argv));
	*frameset = NULL;
	for (j = 0; j < json_array_size(old); j++) {
		const char *s = json_string_value(json_array_get(old, j));

		if (s && strcmp(s, "--frame-set") == 0 && j + 1 < json_array_size(old)) {
			*frameset = json_string_value(json_array_get(old, ++j));
			continue;
		}
		/* flags of how a run is run (the make form of the depfile), no parameters */
		if (!s || !specrunflag(s))
			(*argv)[n++] = xstrdup(s ? s : "");
	}
	return n;
}

/*
 * Why the run's summary.json (sum) is not of the parameters and frames it would get now:
 * "parameters changed", "frames changed" (frames added, removed or renamed), or NULL.
 * cmd: those of its command.
 */
static char *
argschanged(const struct emit *e, size_t i, json_t *sum, bool cmd)
{
	char **old, **argv, *now = emitframeset(&e->s->runs[i]);
	const char *frameset;
	size_t nold = oldargv(sum, &old, &frameset), n = cmd ? emitexecargv(e, i, &argv) : emitargv(e, i, &argv);
	size_t j, k = 0;
	char *reason = NULL;
	bool changed = !json_is_array(json_object_get(sum, "argv"));

	for (j = 0; !changed && j < n; j++) {
		if (strcmp(argv[j], "--frame-set") == 0) {
			j++;
			continue;
		}
		changed = k == nold || strcmp(old[k++], argv[j]) != 0;
	}
	if (changed || k != nold)
		reason = xstrdup("parameters changed");
	else if (!frameset || strcmp(frameset, now) != 0)
		reason = xstrdup("frames changed");
	delstrv(argv, n);
	delstrv(old, nold);
	free(now);
	return reason;
}

/*
 * The paths the record of run r's results lists, as runja-process or runja-exec made it:
 * the frames relative to the run folder (dir is the run folder), or for a command
 * RUNDIR/NAME, the pipeline's summary.json (OUT/ID/summary.json) when pipe, then the
 * program's files (dir "."). *nv paths; caller frees with delstrv.
 */
static char **
recordnames(const struct emit *e, const struct run *r, char **names, size_t n, bool cmd, bool pipe, size_t *nv)
{
	char **v = xcalloc(n + 1 + e->ncmdinputs + 1, sizeof(*v));
	size_t j, k = 0;

	for (j = 0; j < n; j++)
		v[k++] = cmd ? xasprintf("%s/%s", r->dir, names[j]) : xstrdup(names[j]);
	if (cmd && pipe)
		v[k++] = staterecord(e->c->outdir, r->id, STATESUMMARY);
	for (j = 0; cmd && j < e->ncmdinputs; j++)
		v[k++] = xstrdup(e->cmdinputs[j]);
	*nv = k;
	return v;
}

/* a warning when a frame of cur is dated ahead of this machine's clock: the build dated the results to match */
static void
saydated(const struct run *r, const struct inputs *cur)
{
	long long newest = inputsnewest(cur), now = fsnow();
	struct buf b;

	if (newest <= now + 1000000000LL)
		return;
	bufinit(&b);
	fsahead(&b, newest - now);
	warn("%s: frames are dated up to %s ahead of this machine's clock; its results are dated to match", r->id, b.s);
	buffree(&b);
}

/* whether file path (dir ".") differs from what the record old says of it: its bytes, or old does not list it */
static bool
recordfilechanged(const struct inputs *old, char *path)
{
	struct inputs sub = {0}, cur;
	enum inputsdiff d = INPUTSSAME;
	char err[512];
	size_t j = inputsfind(old, path);
	bool changed;

	/* one file at a time, as the record has it: its own compare says which */
	sub.key = old->key, sub.frames = j < old->nframes ? &old->frames[j] : NULL, sub.nframes = j < old->nframes;
	changed = inputsscan(&cur, old->key, ".", "program", &path, 1, err, sizeof(err)) < 0 ||
	          inputscompare(&sub, &cur, &d, err, sizeof(err)) < 0 || d == INPUTSCHANGED;
	delinputs(&cur);
	return changed;
}

/* "program changed: FILE" for the first of the command's files whose bytes differ from the record's (old), or NULL */
static char *
programchanged(const struct emit *e, const struct inputs *old)
{
	size_t i;

	for (i = 0; i < e->ncmdinputs; i++)
		if (recordfilechanged(old, e->cmdinputs[i]))
			return xasprintf("program changed: %s", e->cmdinputs[i]);
	return NULL;
}

/*
 * Why the results of the command after run r's pipeline do not come from the pipeline's
 * results as they are (their summary.json), by its record old (by time when there is
 * none, old NULL: its summary, sumst, older than the pipeline's), or NULL.
 */
static char *
pipelinechanged(const struct emit *e, const struct run *r, const struct inputs *old, const struct stat *sumst)
{
	char *path = staterecord(e->c->outdir, r->id, STATESUMMARY), *why = NULL;
	long long t = fsmtime(path);
	struct stat st;

	/* a record of an earlier runja-exec, which did not list them: they are what it was made
	   from when they are older than its look at the frames (as runja-exec judges it, and then
	   adds them to the record) */
	if (old ? (inputsfind(old, path) < old->nframes ? recordfilechanged(old, path) : t < 0 || t >= old->scanned)
	        : stat(path, &st) < 0 || newer(&st.st_mtim, &sumst->st_mtim))
		why = xstrdup("pipeline products changed");
	free(path);
	return why;
}

size_t
checkunnamedpipeline(const struct emit *e)
{
	char *out, *rec, *pipe, *stamp, err[512];
	struct inputs old;
	size_t i, n = 0;
	long long t;

	if (!e->c->cmd.run || !e->c->cmd.afterpipeline)
		return 0;
	for (i = 0; i < e->s->nruns; i++) {
		out = emitcmdout(e, &e->s->runs[i]);
		rec = staterecord(out, NULL, STATEINPUTS);
		pipe = staterecord(e->c->outdir, e->s->runs[i].id, STATESUMMARY);
		if (inputsread(rec, &old, err, sizeof(err)) == 0) {
			t = fsmtime(pipe);
			if (inputsfind(&old, pipe) == old.nframes && t >= 0 && t >= old.scanned) {
				stamp = emitcmdstamp(e, &e->s->runs[i]);
				n += unlink(stamp) == 0;
				free(stamp);
			}
			delinputs(&old);
		}
		free(out), free(rec), free(pipe);
	}
	return n;
}

/*
 * Have the run's frames (cmd: and the command's files) changed since its results were
 * made? By old, the record of what they were made from (OUT/ID/.runja.inputs,
 * CMDOUT/.runja.inputs), comparing bytes where times differ: a touched or re-copied
 * frame has not. Without a record (old NULL), by time: a frame newer than t.
 */
static bool
frameschanged(const struct emit *e, const struct run *r, const struct timespec *t, const struct inputs *old, bool cmd)
{
	char **names, **v, *path, err[512], *pipe;
	size_t n, nv, j;
	struct stat st;
	struct inputs cur;
	enum inputsdiff d = INPUTSCHANGED;
	bool changed = false;

	if (listframes(r->dir, e->c->frames, r->id, &names, &n, err, sizeof(err)) < 0)
		return true;
	if (old) {
		/* the pipeline's summary as the record has it: pipelinechanged looked at it */
		pipe = staterecord(e->c->outdir, r->id, STATESUMMARY);
		v = recordnames(e, r, names, n, cmd, cmd && e->c->cmd.afterpipeline && inputsfind(old, pipe) < old->nframes, &nv);
		free(pipe);
		if (inputsscan(&cur, old->key, cmd ? "." : r->dir, r->id, v, nv, err, sizeof(err)) == 0 &&
		    inputscompare(old, &cur, &d, err, sizeof(err)) == 0 && d != INPUTSCHANGED)
			saydated(r, &cur);
		delinputs(&cur);
		delstrv(v, nv);
		delstrv(names, n);
		return d == INPUTSCHANGED;
	}
	for (j = 0; j < n && !changed; j++) {
		path = xasprintf("%s/%s", r->dir, names[j]);
		changed = stat(path, &st) < 0 || newer(&st.st_mtim, t);
		free(path);
	}
	delstrv(names, n);
	return changed;
}

/* "failed last time: LINE" when the failure record at path is there (LINE its first line), else NULL */
static char *
failedlast(const char *path)
{
	char *line = statefailread(path), *reason;

	if (!line)
		return NULL;
	reason = xasprintf("failed last time: %s", line);
	free(line);
	return reason;
}

/* the state of a run without results in out: stale with outputs missing when out is there, else new */
static enum runstate
missing(const char *out, char **reason)
{
	bool there = exists(out);

	*reason = xstrdup(there ? "outputs missing" : "new");
	return there ? RUNSTALE : RUNNEW;
}

/* the state of the built-in pipeline of run i, and why it is not done into *reason (caller frees; NULL when done) */
static enum runstate
pipelinestate(const struct emit *e, size_t i, char **reason)
{
	const struct run *r = &e->s->runs[i];
	const char *names[16];
	char *out = xasprintf("%s/%s", e->c->outdir, r->id), *path, *why = NULL;
	size_t n = specoutputs(e->params[i].prods, e->c->npy, names), j;
	enum runstate state = RUNFAILED;
	struct stat sumst;
	json_t *sum;

	path = xasprintf("%s/summary.json", out);
	if (stat(path, &sumst) < 0) {
		free(path);
		path = statefailure(e->c->outdir, r->id, false);
		if (!(why = failedlast(path)))
			state = missing(out, &why);
		goto done;
	}
	sum = json_load_file(path, 0, NULL);
	why = sum ? argschanged(e, i, sum, false) : xstrdup("parameters changed");
	json_decref(sum);
	for (j = 1; !why && j < n; j++) {
		free(path);
		path = xasprintf("%s/%s", out, names[j]);
		if (!exists(path))
			why = xstrdup("outputs missing");
	}
	free(path);
	path = staterecord(out, NULL, STATEINPUTS);
	if (!why) {
		char err[512];
		struct inputs old;
		bool hasrec = inputsread(path, &old, err, sizeof(err)) == 0;

		if (frameschanged(e, r, &sumst.st_mtim, hasrec ? &old : NULL, false))
			why = xstrdup("frames changed");
		if (hasrec)
			delinputs(&old);
	}
	state = why ? RUNSTALE : RUNDONE;
done:
	free(path);
	free(out);
	*reason = why;
	return state;
}

/* why the command of run i, which has its summary sum (loaded from sumst's file), is not up to date, or NULL */
static char *
commandchanged(const struct emit *e, size_t i, json_t *sum, const struct stat *sumst)
{
	const struct run *r = &e->s->runs[i];
	json_t *outs = json_object_get(sum, "outputs");
	char *out = emitcmdout(e, r), *path = NULL, *why, *rec = staterecord(out, NULL, STATEINPUTS), err[512];
	struct inputs old;
	bool hasrec = inputsread(rec, &old, err, sizeof(err)) == 0;
	struct stat st;
	size_t j;

	why = sum ? argschanged(e, i, sum, true) : xstrdup("parameters changed");
	/* what the program wrote, as the wrapper listed it */
	for (j = 0; !why && j < json_array_size(outs); j++) {
		const char *name = json_string_value(json_array_get(outs, j));

		free(path);
		path = xasprintf("%s/%s", out, name ? name : "");
		if (!name || !exists(path))
			why = xasprintf("outputs missing: %s", name ? name : "?");
	}
	if (!why && hasrec)
		why = programchanged(e, &old);
	if (!why && e->c->cmd.afterpipeline)
		why = pipelinechanged(e, r, hasrec ? &old : NULL, sumst);
	if (!why && frameschanged(e, r, &sumst->st_mtim, hasrec ? &old : NULL, true))
		why = xstrdup("frames changed");
	/* with a record, a program's file changed is among the "frames" above; without, by time */
	if (!exists(rec))
		for (j = 0; !why && j < e->ncmdinputs; j++)
			if (stat(e->cmdinputs[j], &st) < 0 || newer(&st.st_mtim, &sumst->st_mtim))
				why = xasprintf("program changed: %s", e->cmdinputs[j]);
	if (hasrec)
		delinputs(&old);
	free(path), free(rec);
	free(out);
	return why;
}

/* the state of the command of run i, and why it is not done into *reason (caller frees; NULL when done) */
static enum runstate
commandstate(const struct emit *e, size_t i, char **reason)
{
	const struct run *r = &e->s->runs[i];
	char *out = emitcmdout(e, r), *path;
	enum runstate state = RUNFAILED;
	struct stat sumst;
	json_t *sum;

	path = statefailure(e->c->outdir, r->id, true);
	if ((*reason = failedlast(path)))
		goto done;
	free(path);
	path = xasprintf("%s/summary.json", out);
	if (stat(path, &sumst) < 0) {
		state = missing(out, reason);
		goto done;
	}
	sum = json_load_file(path, 0, NULL);
	free(path);
	path = emitcmdstamp(e, r);
	if (!exists(path))
		*reason = xstrdup("not marked done (interrupted?)");
	else
		*reason = commandchanged(e, i, sum, &sumst);
	json_decref(sum);
	state = *reason ? RUNSTALE : RUNDONE;
done:
	free(path);
	free(out);
	return state;
}

enum runstate
checkrun(const struct emit *e, size_t i, char **reason)
{
	enum runstate state = RUNDONE;
	char *quar = statepath(e->c->outdir, STATEQUARANTINE, e->s->runs[i].id), *why;

	*reason = NULL;
	if (exists(quar)) {
		/* a quarantined run is failed until its inputs change or --retry: CI must not pass */
		free(quar);
		quar = statefailure(e->c->outdir, e->s->runs[i].id, e->c->cmd.run && !e->c->cmd.afterpipeline);
		why = statefailread(quar);
		*reason = xasprintf("failed (quarantined): %s; runja-gen --retry %s tries it again", why ? why : "?",
		                    e->s->runs[i].id);
		free(why), free(quar);
		return RUNFAILED;
	}
	free(quar);
	if (emithaspipeline(e))
		state = pipelinestate(e, i, reason);
	if (state == RUNDONE && e->c->cmd.run)
		state = commandstate(e, i, reason);
	return state;
}

/* is id among the runs found now? (runs are in natural order) */
static bool
found(const struct scan *s, const char *id)
{
	size_t lo = 0, hi = s->nruns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = natcmp(s->runs[mid].id, id);

		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

size_t
checkruns(const struct emit *e, const char *prevruns, FILE *out)
{
	size_t i, nstale = 0;
	char *reason, *list, *line, *next;

	for (i = 0; i < e->s->nruns; i++) {
		if (checkrun(e, i, &reason) != RUNDONE) {
			if (out)
				fprintf(out, "%s: %s\n", e->s->runs[i].id, reason);
			free(reason);
			nstale++;
		}
	}
	if (!prevruns)
		return nstale;
	list = xstrdup(prevruns);
	for (line = list; *line; line = next) {
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (*line && !found(e->s, line)) {
			if (out)
				fprintf(out, "%s: removed\n", line);
			nstale++;
		}
	}
	free(list);
	return nstale;
}
