#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "common/frames.h"
#include "common/fs.h"
#include "common/spec.h"
#include "common/util.h"
#include "common/depfile.h"
#include "npy.h"
#include "common/output.h"
#include "common/state.h"
#include "pipeline.h"
#include "png.h"
#include "products.h"


static const char usage[] =
	"usage: runja-process [options] RUNDIR OUTDIR\n"
	"\n"
	"Processes one run: decodes the frames of RUNDIR in natural order, applies the ops\n"
	"in the order given, and writes the products and summary.json into OUTDIR. Every\n"
	"file is written under a temporary name and renamed only when the whole run\n"
	"succeeded. runja-gen writes these command lines; `ninja -t commands` shows them.\n"
	"\n"
	"  --id ID               the run's name in messages and summary.json [RUNDIR]\n"
	"  --frames GLOB         frames inside RUNDIR, or SUB/GLOB [*.png]\n"
	"  --frame-set SIG       the signature of the frames' names runja-gen saw: not used\n"
	"                        here, but a frame added, removed or renamed changes the\n"
	"                        command line, so ninja reruns the run (and nothing else does)\n"
	"  --fail-with LINE      fail at once with LINE, reading no frame (runja-gen gives it to\n"
	"                        a run whose override file is bad; fixed, the command changes)\n"
	"  --keep-going          a failed run exits 0 once its failure is recorded (error.txt,\n"
	"                        the ledger) and its summary.json is gone, so that a build\n"
	"                        goes on with the other runs and retries this one next time\n"
	"  --channel C           luma, r, g or b: how RGB frames become one channel [luma]\n"
	"  --max-pixels N        refuse frames larger than N pixels [100000000]\n"
	"  --on-bad-frame P      fail (exit 1) or skip (warn, list in summary.json) [fail]\n"
	"  --png-compression N   zlib level 0-9 of the PNG products [3]\n"
	"  --npy, --no-npy       also write each image product as float32 .npy [--npy]\n"
	"  --op SPEC             an op, e.g. crop:x=0,y=0,width=64,height=32 (repeatable, in order)\n"
	"  --product SPEC        a product, e.g. mean, timestack:row=10 (repeatable)\n"
	"  --depfile FILE        write the frames read as a Makefile dependency list\n"
	"  --depfile-phony       also give every file in it an empty rule \"FILE:\" (as gcc -MP),\n"
	"                        so a removed frame does not stop GNU make (names make cannot\n"
	"                        parse are listed through links, as for ninja)\n"
	"\n"
	"Exit status: 0 done (or failed, with --keep-going), 1 the run failed (one line on\n"
	"stderr says why), 2 bad usage, or a folder to write (OUTDIR, its depfile, OUT/" STATENAME ")\n"
	"that is RUNDIR, lies inside it or holds it, '..' and links resolved: then nothing\n"
	"is written. A user's own program runs under runja-exec, the report is runja-report.\n";

/* everything about the run being processed */
struct run {
	const char *id, *rundir, *outdir, *frames, *depfile;
	const char *failwith;  /* fail with this line without reading a frame (a bad override), or NULL */
	enum channel channel;
	long long maxpixels;
	bool skipbad, npy;
	bool depphony;      /* the depfile is for GNU make: stricter names, an empty rule per input */
	int compression;
	struct opspec *ops;
	size_t nops;
	struct prodspec prods;
	struct products *acc;
	struct buf deps;    /* depfile text */
	json_t *skipped;    /* [{file, error}] */
	json_t *argv;       /* the command line after the program name, as given */
};

/* OUT, the output folder of all runs: outdir without its trailing "/RUNID"; NULL when it is not so */
static char *
outroot(const struct run *r)
{
	size_t lo = strlen(r->outdir), li = strlen(r->id);

	if (lo <= li + 1 || strcmp(r->outdir + lo - li, r->id) != 0 || r->outdir[lo - li - 1] != '/')
		return NULL;
	return xasprintf("%.*s", (int)(lo - li - 1), r->outdir);
}

/*
 * Exit (status 2, nothing written) when the output folder, OUT/.runja (the ledger's
 * folder) or the depfile would be the run folder, lie inside it or hold it, whatever
 * the build file says: raw data is never written to.
 */
static void
guard(const struct run *r)
{
	char err[1024], *root = outroot(r), *state = root ? statepath(root, STATEDIR, NULL) : NULL;

	if (outguard(r->id, "output folder", r->outdir, r->rundir, err, sizeof(err)) < 0 ||
	    (state && outguard(r->id, "state folder", state, r->rundir, err, sizeof(err)) < 0) ||
	    (r->depfile && outguard(r->id, "depfile", r->depfile, r->rundir, err, sizeof(err)) < 0))
		fatal(2, "%s", err);
	free(state), free(root);
}

/* write the depfile: summary.json depends on every input recorded by depadd */
static int
writedepfile(const struct run *r, char *err, size_t n)
{
	char *root = outroot(r), *target = xasprintf("%s/summary.json", r->outdir);
	char *alias = root ? statepath(root, STATEALIAS, NULL) : NULL;
	struct depfile d = {.path = r->depfile, .target = target, .aliasdir = alias, .id = r->id, .make = r->depphony};
	int ret = depwrite(&d, r->deps.s, err, n);

	free(root), free(target), free(alias);
	return ret;
}

static int
emitframe(void *ctx, const struct frame *f, char *err, size_t n)
{
	struct run *r = ctx;

	return prodadd(r->acc, f, err, n);
}

static int
loadfile(void *ctx, const char *name, struct img *im, char *err, size_t n)
{
	struct run *r = ctx;
	char *path = xasprintf("%s/%s", r->rundir, name), cause[512];
	int ret;

	depadd(&r->deps, path);
	ret = pngload(path, r->maxpixels, r->channel, im, cause, sizeof(cause));
	if (ret < 0)
		seterr(err, n, "%s/%s: %s", r->id, name, cause);
	free(path);
	return ret;
}

/* write the run's products and summary.json under temporary names into o */
static int
writeproducts(struct run *r, struct outset *o, int nframes, char *err, size_t n)
{
	const struct prodimg *im;
	size_t i, nim = prodimages(r->acc, &im);
	json_t *sum = json_object(), *prods = json_object();
	const char *text, *tmp;
	double speed, gmean, gstd;
	int w, h, used;
	char *name, *s, cause[512];

	prodsize(r->acc, &used, &w, &h);
	prodglobal(r->acc, &gmean, &gstd);
	for (i = 0; i < nim; i++) {
		name = xasprintf("%s.png", im[i].name);
		tmp = outadd(o, r->outdir, name);
		free(name);
		if (pngwrite16(tmp, &im[i].img, im[i].lo, im[i].hi, r->compression, err, n) < 0)
			goto errfile;
		if (r->npy) {
			name = xasprintf("%s.npy", im[i].name);
			tmp = outadd(o, r->outdir, name);
			free(name);
			if (npywrite(tmp, im[i].img.px, im[i].img.h, im[i].img.w, err, n) < 0)
				goto errfile;
		}
		json_object_set_new(prods, im[i].name, json_pack("{s:f,s:f}", "lo", im[i].lo, "hi", im[i].hi));
	}
	if ((text = prodstatscsv(r->acc)) &&
	    writefile(outadd(o, r->outdir, "stats.csv"), text, strlen(text), err, n) < 0)
		goto err;
	if ((text = prodfrontcsv(r->acc)) &&
	    writefile(outadd(o, r->outdir, "front.csv"), text, strlen(text), err, n) < 0)
		goto err;

	json_object_set_new(sum, "run", json_string(r->id));
	json_object_set_new(sum, "frames", json_integer(used));
	json_object_set_new(sum, "frames_found", json_integer(nframes));
	json_object_set_new(sum, "skipped", json_incref(r->skipped));
	json_object_set_new(sum, "width", json_integer(w));
	json_object_set_new(sum, "height", json_integer(h));
	json_object_set_new(sum, "mean", json_real(gmean));
	json_object_set_new(sum, "std", json_real(gstd));
	json_object_set_new(sum, "products", prods);
	prods = NULL;
	json_object_set_new(sum, "front_speed", prodfrontspeed(r->acc, &speed) ? json_real(speed) : json_null());
	/* what runja-gen --check compares with the parameters it would give now */
	json_object_set_new(sum, "argv", json_incref(r->argv));
	s = json_dumps(sum, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	if (!s) {
		seterr(err, n, "cannot format summary.json");
		goto err;
	}
	/* added last, so renamed last: a run with summary.json is a finished run */
	tmp = outadd(o, r->outdir, "summary.json");
	{
		size_t len = strlen(s);

		s = xreallocarray(s, len + 2, 1);
		s[len] = '\n';
		s[len + 1] = '\0';
		if (writefile(tmp, s, len + 1, err, n) < 0) {
			free(s);
			goto err;
		}
	}
	free(s);
	json_decref(sum);
	return 0;
errfile:
	/* pngwrite16 and npywrite give the cause only: name the file */
	snprintf(cause, sizeof(cause), "%s", err);
	seterr(err, n, "%s: %s", tmp, cause);
err:
	json_decref(prods);
	json_decref(sum);
	return -1;
}

/* decode the frames, run the pipeline, accumulate; -1 with "RUNID/FRAME: cause" in err */
static int
processframes(struct run *r, char **names, size_t nnames, char *err, size_t n)
{
	struct pipeline *p = mkpipeline(r->ops, r->nops, emitframe, r, loadfile, r);
	struct frame f = {0};
	int w0 = 0, h0 = 0, ret = -1;
	char cause[512];
	size_t i;

	for (i = 0; i < nnames; i++) {
		char *path = xasprintf("%s/%s", r->rundir, names[i]);
		struct pngin *in;
		int w, h, bad, cropped = 0, cx, cy, cw, ch;

		depadd(&r->deps, path);
		in = pngopen(path, r->maxpixels, &w, &h, cause, sizeof(cause));
		bad = !in;
		if (in && w0 && (w != w0 || h != h0)) {
			snprintf(cause, sizeof(cause), "frame is %dx%d, earlier frames are %dx%d", w, h, w0, h0);
			bad = 1;
		}
		/* a first crop that fits is done while decoding: only its pixels are converted */
		if (!bad)
			cropped = pipefirstcrop(p, w, h, &cx, &cy, &cw, &ch);
		if (!bad && (cropped ? pngreadrect(in, &f.img, r->channel, cx, cy, cw, ch, cause, sizeof(cause))
		                     : pngread(in, &f.img, r->channel, cause, sizeof(cause))) < 0)
			bad = 1;
		pngclose(in);
		free(path);
		if (bad && !r->skipbad) {
			seterr(err, n, "%s/%s: %s", r->id, names[i], cause);
			goto out;
		}
		if (bad) {
			warn("%s/%s: %s (skipped)", r->id, names[i], cause);
			json_array_append_new(r->skipped, json_pack("{s:s,s:s}", "file", names[i], "error", cause));
			continue;
		}
		w0 = w, h0 = h;
		f.index = (int)i;
		f.name = names[i];
		if ((cropped ? pipepushcropped(p, &f, cause, sizeof(cause)) : pipepush(p, &f, cause, sizeof(cause))) < 0) {
			seterr(err, n, "%s/%s: %s", r->id, names[i], cause);
			goto out;
		}
	}
	if (pipefinish(p, cause, sizeof(cause)) < 0 || prodfinish(r->acc, cause, sizeof(cause)) < 0) {
		seterr(err, n, "%s: %s", r->id, cause);
		goto out;
	}
	ret = 0;
out:
	delimg(&f.img);
	delpipeline(p);
	return ret;
}

static int
processrun(struct run *r, char *err, size_t n)
{
	char **names, *summary = xasprintf("%s/summary.json", r->outdir);
	size_t nnames;
	struct outset o;
	int ret = -1;

	outinit(&o);
	if (mkdirp(r->outdir, err, n) < 0) {
		free(summary);
		return -1;
	}
	/* a run that fails is never done: its old summary.json goes first */
	unlink(summary);
	if (r->failwith) {
		free(summary);
		return seterr(err, n, "%s", r->failwith);
	}
	if (listframes(r->rundir, r->frames, r->id, &names, &nnames, err, n) < 0) {
		free(summary);
		return -1;
	}
	if (nnames == 0) {
		seterr(err, n, "%s: no frames matching '%s'", r->id, r->frames);
		goto out;
	}
	r->acc = mkproducts(&r->prods);
	if (processframes(r, names, nnames, err, n) < 0)
		goto out;
	/* the depfile before the products: once summary.json is renamed in, nothing may fail */
	if (r->depfile && writedepfile(r, err, n) < 0)
		goto out;
	if (writeproducts(r, &o, (int)nnames, err, n) < 0 || outcommit(&o, err, n) < 0) {
		outabort(&o);
		goto out;
	}
	ret = 0;
out:
	delout(&o);
	delstrv(names, nnames);
	free(summary);
	return ret;
}

/* append this attempt to OUT/.runja/ledger.tsv (when OUT is known and has a .runja folder) */
static void
record(const struct run *r, const struct timespec *t0, int status, const char *error)
{
	char *root = outroot(r), *state = root ? statepath(root, STATEDIR, NULL) : NULL;
	struct rusage ru;
	struct attempt a;

	getrusage(RUSAGE_SELF, &ru);
	a = (struct attempt){.id = r->id, .maxrss = ru.ru_maxrss, .status = status, .error = error};
	ledgerrecord(state, t0, &a);
	free(state), free(root);
}

/* OUTDIR/error.txt, the failure record, holds the error of a failed run (for --check and the report); gone on success */
static void
noteerror(const struct run *r, const char *msg)
{
	char *path, err[512];

	if (msg) {
		/* if even this cannot be written (a full disk), the run's one error line says why */
		if (exists(r->outdir))
			statefailwrite(r->outdir, msg, err, sizeof(err));
		return;
	}
	path = staterecord(r->outdir, NULL, STATEERROR);
	unlink(path);
	free(path);
}

int
main(int argc, char **argv)
{
	enum { OID = 256, OFRAMES, OCHANNEL, OMAXPIX, OBAD, OCOMP, ONPY, ONONPY, OOP, OPROD, ODEP, ODEPPHONY,
	       OFRAMESET, OKEEP, OFAILWITH };
	static const struct option longopts[] = {
		{"id", required_argument, NULL, OID},
		{"frames", required_argument, NULL, OFRAMES},
		{"channel", required_argument, NULL, OCHANNEL},
		{"max-pixels", required_argument, NULL, OMAXPIX},
		{"on-bad-frame", required_argument, NULL, OBAD},
		{"png-compression", required_argument, NULL, OCOMP},
		{"npy", no_argument, NULL, ONPY},
		{"no-npy", no_argument, NULL, ONONPY},
		{"op", required_argument, NULL, OOP},
		{"product", required_argument, NULL, OPROD},
		{"depfile", required_argument, NULL, ODEP},
		{"depfile-phony", no_argument, NULL, ODEPPHONY},
		{"frame-set", required_argument, NULL, OFRAMESET},
		{"keep-going", no_argument, NULL, OKEEP},
		{"fail-with", required_argument, NULL, OFAILWITH},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct run r = {
		.frames = "*.png", .channel = CHLUMA, .maxpixels = 100000000, .npy = true, .compression = 3,
	};
	bool anyprod = false, keepgoing = false;
	struct timespec t0;
	char err[1024], *end;
	size_t i;
	int opt, c, ret;

	argv0 = "runja-process";
	/* before getopt permutes argv */
	r.argv = json_array();
	for (i = 1; i < (size_t)argc; i++)
		if (!specrunflag(argv[i]))
			json_array_append_new(r.argv, json_string(argv[i]));
	memset(&r.prods, 0, sizeof(r.prods));
	r.prods.tsrow = r.prods.tscol = -1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case OID: r.id = optarg; break;
		case OFRAMES: r.frames = optarg; break;
		case OCHANNEL:
			if ((c = chanbyname(optarg)) < 0)
				fatal(2, "--channel must be luma, r, g or b, not '%s'", optarg);
			r.channel = (enum channel)c;
			break;
		case OMAXPIX:
			r.maxpixels = strtoll(optarg, &end, 10);
			if (*end || r.maxpixels < 1)
				fatal(2, "--max-pixels must be a positive integer, not '%s'", optarg);
			break;
		case OBAD:
			if (strcmp(optarg, "fail") && strcmp(optarg, "skip"))
				fatal(2, "--on-bad-frame must be fail or skip, not '%s'", optarg);
			r.skipbad = strcmp(optarg, "skip") == 0;
			break;
		case OCOMP:
			r.compression = (int)strtol(optarg, &end, 10);
			if (*end || r.compression < 0 || r.compression > 9)
				fatal(2, "--png-compression must be 0-9, not '%s'", optarg);
			break;
		case ONPY: r.npy = true; break;
		case ONONPY: r.npy = false; break;
		case OOP:
			r.ops = xreallocarray(r.ops, r.nops + 1, sizeof(*r.ops));
			if (specparseop(optarg, &r.ops[r.nops], err, sizeof(err)) < 0)
				fatal(2, "--op: %s", err);
			r.nops++;
			break;
		case OPROD:
			if (specparseprod(optarg, &r.prods, err, sizeof(err)) < 0)
				fatal(2, "--product: %s", err);
			anyprod = true;
			break;
		case ODEP: r.depfile = optarg; break;
		case ODEPPHONY: r.depphony = true; break;
		case OFRAMESET: break;
		case OKEEP: keepgoing = true; break;
		case OFAILWITH: r.failwith = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (argc - optind != 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (!anyprod)
		specdefprods(&r.prods);
	r.rundir = argv[optind];
	r.outdir = argv[optind + 1];
	if (!r.id)
		r.id = r.rundir;
	guard(&r);
	r.skipped = json_array();
	bufinit(&r.deps);
	clock_gettime(CLOCK_REALTIME, &t0);
	ret = processrun(&r, err, sizeof(err));
	noteerror(&r, ret < 0 ? err : NULL);
	record(&r, &t0, ret < 0 ? 1 : 0, ret < 0 ? err : NULL);
	if (ret < 0)
		warn("%s", err);
	json_decref(r.skipped);
	json_decref(r.argv);
	buffree(&r.deps);
	if (r.acc)
		delproducts(r.acc);
	for (i = 0; i < r.nops; i++)
		specfreeop(&r.ops[i]);
	free(r.ops);
	return ret < 0 && !keepgoing ? 1 : 0;
}
