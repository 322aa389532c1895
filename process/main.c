#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/spec.h"
#include "common/state.h"
#include "common/util.h"
#include "heap.h"
#include "run.h"
#include "step.h"

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
	"  --png-compression N   0-9 for the PNG products: 1-3 fast, 4-9 zlib's, smaller [3]\n"
	"  --npy, --no-npy       also write each image product as float32 .npy [--npy]\n"
	"  --op SPEC             an op, e.g. crop:x=0,y=0,width=64,height=32 (repeatable, in order)\n"
	"  --product SPEC        a product, e.g. mean, timestack:row=10 (repeatable)\n"
	"  --results TOKEN       the versions of what computes the results, as runja-gen\n"
	"                        saw them (e.g. d1.crop1.blur1.png1.npy1.mean1.std1.sum1):\n"
	"                        exit 2 when this runja-process computes others, so that a\n"
	"                        build file cannot take its results for those it expects;\n"
	"                        on the command line, a new version reruns the runs it touches\n"
	"  --depfile FILE        write the frames read as a Makefile dependency list\n"
	"  --attempt             be one attempt, whose parent holds the run's lock: process,\n"
	"                        exit 0, 75 (a passing failure) or 79 (failed, recorded)\n"
	"  --depfile-phony       also give every file in it an empty rule \"FILE:\" (as gcc -MP),\n"
	"                        so a removed frame does not stop GNU make (names make cannot\n"
	"                        parse are listed through links, as for ninja)\n"
	"  -h, --help            this text\n"
	"      --version         print the version\n"
	"\n"
	"When OUTDIR is OUT/ID, the run is processed holding its lock (OUT/" STATENAME "/locks/ID:\n"
	"a second build waits, then finds it done), and not at all when OUTDIR/" STATENAME ".inputs\n"
	"says its results were made with these arguments from frames of the same bytes (a\n"
	"touched or re-copied frame is hashed, not processed), or when it is quarantined\n"
	"(failed twice the same way from these inputs). OUT/" STATENAME "/jobs (runja-gen) says how\n"
	"it is run: under a launcher (srun), retried after a passing failure (killed from\n"
	"outside, no space, an I/O error), each attempt a child: forked, or, under a launcher,\n"
	"started with --attempt.\n"
	"A run's frames are decoded and go through the ops on as many threads as there are\n"
	"free cores: the runs of one OUT share the CPUs of their set by tokens, OUT/" STATENAME "/cores\n"
	"(a run uses one more thread for each further free token, none while another run\n"
	"waits for one); \"threads N\" in OUT/" STATENAME "/jobs caps it. The products are the same\n"
	"bytes on any number of threads. Without OUT, a run uses every CPU of its set.\n"
	"A run's heap is in transparent huge pages: the process doing the work grows it by\n"
	"what the run needs and advises that for them (madvise); an attempt a launcher starts\n"
	"gets GLIBC_TUNABLES=glibc.malloc.hugetlb=1 added instead. A GLIBC_TUNABLES that names\n"
	"glibc.malloc.hugetlb is left alone, and leaves it to glibc (=0: no huge pages).\n"
	"RUNJA_DEBUG=threads: say how many threads a run had; heap: what GLIBC_TUNABLES\n"
	"the process doing the work started with, how much of its heap it advised, and how\n"
	"much of its memory got huge pages.\n"
	"Before writing, a run checks that OUTDIR's file system has room for its products\n"
	"plus 20 %; if not, it fails at once (its previous products stay, but summary.json:\n"
	"a failed run is never taken for done). Once its results are in place, a run with OUT\n"
	"writes the report's thumbnails of its image products (OUT/" STATENAME "/thumbs/ID/),\n"
	"made from the rows as they were written.\n"
	"\n"
	"Exit status: 0 done (or failed, with --keep-going), 1 the run failed (one line on\n"
	"stderr says why), 75 it failed for a cause that may pass (no room for its products),\n"
	"2 bad usage, a --results this program does not compute, or a folder to write\n"
	"(OUTDIR, its depfile, OUT/" STATENAME ") that is RUNDIR, lies inside it or holds it, '..'\n"
	"and links resolved: then nothing is written. A user's own program runs under\n"
	"runja-exec, the report is runja-report.\n";

/* the options, as getopt_long returns them */
enum { OID = 256, OFRAMES, OCHANNEL, OMAXPIX, OBAD, OCOMP, ONPY, ONONPY, OOP, OPROD, ODEP, ODEPPHONY,
       OFRAMESET, OKEEP, OFAILWITH, OATTEMPT, ORESULTS };
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
	{"attempt", no_argument, NULL, OATTEMPT},
	{"results", required_argument, NULL, ORESULTS},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{0},
};

/* parse the command line into o (o->ops allocated, o->argv created here), *keepgoing, *attempt and *results (or NULL); exits on bad usage */
static void
parseargs(int argc, char **argv, struct runopts *o, bool *keepgoing, bool *attempt, const char **results)
{
	bool anyprod = false;
	char err[1024], *end;
	int opt, c, i;

	/* summary.json's argv: before getopt permutes it, without the flags of how a run is run */
	o->argv = json_array();
	for (i = 1; i < argc; i++)
		if (!specrunflag(argv[i]))
			json_array_append_new(o->argv, json_string(argv[i]));
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case OID: o->id = optarg; break;
		case OFRAMES: o->frames = optarg; break;
		case OCHANNEL:
			if ((c = chanbyname(optarg)) < 0)
				fatal(2, "--channel must be luma, r, g or b, not '%s'", optarg);
			o->channel = (enum channel)c;
			break;
		case OMAXPIX:
			o->maxpixels = strtoll(optarg, &end, 10);
			if (*end || o->maxpixels < 1)
				fatal(2, "--max-pixels must be a positive integer, not '%s'", optarg);
			break;
		case OBAD:
			if (strcmp(optarg, "fail") && strcmp(optarg, "skip"))
				fatal(2, "--on-bad-frame must be fail or skip, not '%s'", optarg);
			o->skipbad = strcmp(optarg, "skip") == 0;
			break;
		case OCOMP:
			o->compression = (int)strtol(optarg, &end, 10);
			if (*end || o->compression < 0 || o->compression > 9)
				fatal(2, "--png-compression must be 0-9, not '%s'", optarg);
			break;
		case ONPY: o->npy = true; break;
		case ONONPY: o->npy = false; break;
		case OOP:
			o->ops = xreallocarray(o->ops, o->nops + 1, sizeof(*o->ops));
			if (specparseop(optarg, &o->ops[o->nops], err, sizeof(err)) < 0)
				fatal(2, "--op: %s", err);
			o->nops++;
			break;
		case OPROD:
			if (specparseprod(optarg, &o->prods, err, sizeof(err)) < 0)
				fatal(2, "--product: %s", err);
			anyprod = true;
			break;
		case ODEP: o->depfile = optarg; break;
		case ODEPPHONY: o->depphony = true; break;
		case OFRAMESET: break;
		case OKEEP: *keepgoing = true; break;
		case OATTEMPT: *attempt = true; break;
		case OFAILWITH: o->failwith = optarg; break;
		case ORESULTS: *results = optarg; break;
		case 'h': fputs(usage, stdout); exit(0);
		case 'V': puts("runja-process " RUNJA_VERSION); exit(0);
		default: fputs(usage, stderr); exit(2);
		}
	}
	if (argc - optind != 2) {
		fputs(usage, stderr);
		exit(2);
	}
	if (!anyprod)
		specdefprods(&o->prods);
	o->rundir = argv[optind];
	o->outdir = argv[optind + 1];
	if (!o->id)
		o->id = o->rundir;
	if (*results && specresultscheck(*results, o->ops, o->nops, &o->prods, o->npy, err, sizeof(err)) < 0)
		fatal(2, "%s", err);
}

int
main(int argc, char **argv)
{
	struct runopts o = {
		.frames = "*.png", .channel = CHLUMA, .maxpixels = 100000000, .npy = true, .compression = 3,
		.prods = {.tsrow = -1, .tscol = -1},
	};
	bool keepgoing = false, attempt = false;
	const char *results = NULL;
	char err[1024];
	size_t i;
	int ret;

	argv0 = "runja-process";
	/* (before the step adds to it, for an attempt a launcher starts) */
	if (getenv("GLIBC_TUNABLES"))
		o.tunables = xstrdup(getenv("GLIBC_TUNABLES"));
	heapsetup();
	parseargs(argc, argv, &o, &keepgoing, &attempt, &results);
	/* nothing is written, not even a failure record, when it would be into raw data */
	if (runguard(&o, err, sizeof(err)) < 0)
		fatal(2, "%s", err);
	ret = stepmain(&o, argv, keepgoing, attempt);
	json_decref(o.argv);
	for (i = 0; i < o.nops; i++)
		specfreeop(&o.ops[i]);
	free(o.ops);
	free(o.tunables);
	return ret;
}
