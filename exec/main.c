#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/paramkey.h"
#include "common/state.h"
#include "common/util.h"
#include "exec.h"
#include "execrun.h"
#include "execstep.h"
#include "warm.h"

#ifndef RUNJADIR
#define RUNJADIR "/usr/local/share/runja"
#endif

static const char usage[] =
	"usage: runja-exec --id ID --frames GLOB --state STATE [--params JSON] [--timeout SECONDS]\n"
	"                  [--pipeline DIR] [--stamp FILE] [--warm] [--depfile FILE [--depfile-phony]]\n"
	"                  [--frame-set SIG] [--fail-with LINE] [--keep-going] [--input FILE]...\n"
	"                  RUNDIR CMDOUT -- PROGRAM [ARG...]\n"
	"\n"
	"Runs a user's PROGRAM (command in runja.cfg) on one run, with the guarantees runja\n"
	"gives its own processor. PROGRAM (no shell, looked up in PATH) runs in its own process\n"
	"group, stdin /dev/null, stdout and stderr to runja.log. It writes into an empty\n"
	"folder, STATE/work/ID/out; when it exits 0 having written a file there, that folder,\n"
	"with summary.json, runja.log and the depfile added, replaces CMDOUT as a whole.\n"
	"Otherwise CMDOUT stays as it was, and STATE/failed/ID/ holds error.txt and runja.log.\n"
	"Every attempt adds a line to STATE/ledger.tsv. The run is done holding its lock\n"
	"(STATE/locks/ID: a second build waits, then finds it done), and not at all when\n"
	"CMDOUT/" STATENAME ".inputs says its results came from these arguments, frames and program\n"
	"files (a touched file is hashed, not rerun), or when it is quarantined (failed twice\n"
	"the same way from these inputs). STATE/jobs (runja-gen) says how it is run: under a\n"
	"launcher, retried after a passing failure (killed from outside, no space, EIO).\n"
	"runja-gen writes these command lines;\n"
	"`ninja -t commands` shows them.\n"
	"\n"
	"  --id ID               the run's name in messages and summary.json\n"
	"  --frames GLOB         frames inside RUNDIR, or SUB/GLOB\n"
	"  --state STATE         runja's folder, OUT/" STATENAME "\n"
	"  --params JSON         the parameters, a JSON object [{}]\n"
	"  --timeout SECONDS     SIGKILL the program's group after that long [OUT/.runja/jobs'\n"
	"                        timeout, else no limit]\n"
	"  --pipeline DIR        the run's built-in products, for {pipeline}; DIR/summary.json\n"
	"                        is one of what the results are made from (the pipeline's\n"
	"                        results differ: the program runs again)\n"
	"  --warm                PROGRAM is PYTHON SCRIPT.py: run it in a child of a warm fork\n"
	"                        server (warm.py) that imported SCRIPT's modules once, started\n"
	"                        when there is none and ending RUNJA_WARM_IDLE seconds [20] after\n"
	"                        its last run, or when a module file it loaded changes\n"
	"  --stamp FILE          written after a success, removed when an attempt starts: the\n"
	"                        build edge's output (ninja deletes an interrupted edge's\n"
	"                        outputs; CMDOUT must stay)\n"
	"  --depfile FILE        inside CMDOUT: the stamp (or CMDOUT/summary.json) depends on\n"
	"                        every frame\n"
	"  --depfile-phony       also give every file in it an empty rule \"FILE:\" (GNU make)\n"
	"  --frame-set SIG       the signature of the frames' names runja-gen saw: not used\n"
	"                        here, but a frame added, removed or renamed changes the\n"
	"                        command line, so ninja reruns the run\n"
	"  --input FILE          a file of the program's (command.inputs): its bytes are part of\n"
	"                        what the results are made from (repeatable)\n"
	"  --attempt             be one attempt, whose parent holds the run's lock: exit 0, 75\n"
	"                        (a passing failure) or 79 (failed, recorded)\n"
	"  --fail-with LINE      fail at once with LINE, running nothing (runja-gen gives it to\n"
	"                        a run whose override file is bad)\n"
	"  --keep-going          a failed run exits 0 once its failure is recorded, so that a\n"
	"                        build goes on with the other runs and retries this one later\n"
	"  -h, --help            this text\n"
	"      --version         print the version\n"
	"Placeholders in PROGRAM and ARG (whole or in part), and the environment it gets:\n"
	"  {run}       RUNJA_RUN       RUNDIR\n"
	"  {out}       RUNJA_OUT       the empty folder to write into\n"
	"  {id}        RUNJA_ID        ID\n"
	"  {frames}    RUNJA_FRAMES    a file listing the frames, RUNDIR/NAME a line, natural order\n"
	"  {params}    RUNJA_PARAMS    a JSON file holding the parameters\n"
	"  {pipeline}  RUNJA_PIPELINE  DIR of --pipeline\n"
	"  {{ }}                       a literal { or }\n"
	"              RUNJA_NFRAMES   the number of frames\n"
	"              RUNJA_PARAM_NAME  each parameter NAME: a string as is, else its JSON text\n"
	"\n"
	"Before the program starts, CMDOUT's file system must have room for results the size\n"
	"of its previous ones (or, with none yet, RUNJA_COMMAND_SPACE bytes, with K, M or G\n"
	"for binary units; 1M when unset) plus 20 %; if not, the attempt fails at once and\n"
	"the previous results stay.\n"
	"\n"
	"Exit status: 0 done (or failed, with --keep-going), 1 the run failed (one line on\n"
	"stderr says why), 75 it failed for a cause that may pass (no room for its results),\n"
	"2 bad usage, or a folder to write (CMDOUT, STATE, the stamp) that is RUNDIR, lies\n"
	"inside it or holds it, '..' and links resolved: then nothing is written.\n"
	"Interrupted by SIGINT, SIGTERM or SIGHUP it passes the signal on to the program (killed\n"
	"2 s later) and dies of it; a program that ends with status 0 meanwhile has finished.\n";

/* the options, as getopt_long returns them */
enum { OID = 256, OFRAMES, OSTATE, OPARAMS, OTIMEOUT, OPIPELINE, OSTAMP, OWARM, ODEP, ODEPPHONY,
       OFRAMESET, OKEEP, OFAILWITH, OINPUT, OATTEMPT };
static const struct option longopts[] = {
	{"id", required_argument, NULL, OID},
	{"frames", required_argument, NULL, OFRAMES},
	{"state", required_argument, NULL, OSTATE},
	{"params", required_argument, NULL, OPARAMS},
	{"timeout", required_argument, NULL, OTIMEOUT},
	{"pipeline", required_argument, NULL, OPIPELINE},
	{"stamp", required_argument, NULL, OSTAMP},
	{"warm", no_argument, NULL, OWARM},
	{"depfile", required_argument, NULL, ODEP},
	{"depfile-phony", no_argument, NULL, ODEPPHONY},
	{"frame-set", required_argument, NULL, OFRAMESET},
	{"keep-going", no_argument, NULL, OKEEP},
	{"fail-with", required_argument, NULL, OFAILWITH},
	{"input", required_argument, NULL, OINPUT},
	{"attempt", no_argument, NULL, OATTEMPT},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{0},
};

/* parse the wrapper's arguments and run it; the exit status, or death by the signal that interrupted it */
int
main(int argc, char **argv)
{
	struct execopts o = {0};
	struct execflags f = {.runjadir = RUNJADIR};
	json_t *params = NULL, *args;
	char err[1024], *end, **inputs = NULL, *key, pkey[PARAMKEYSIZE];
	const char *paramtext = NULL;
	size_t ninputs = 0;
	int opt, ret;

	/* ninja closes the pipe of an interrupted command before it waits for it: a message
	   written then must not kill the wrapper before it has cleaned up */
	argv0 = "runja-exec";
	signal(SIGPIPE, SIG_IGN);
	args = execargs(argc, argv);
	/* '+': the options end at RUNDIR; what follows "--" is the program's */
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case OID: o.id = optarg; break;
		case OFRAMES: o.frames = optarg; break;
		case OSTATE: o.state = optarg; break;
		case OPARAMS:
			json_decref(params);
			if (execparams(optarg, &params, err, sizeof(err)) < 0)
				fatal(2, "--params: %s", err);
			paramtext = optarg;
			break;
		case OTIMEOUT:
			o.timeout = strtol(optarg, &end, 10);
			if (end == optarg || *end || o.timeout < 1 || o.timeout > INT_MAX)
				fatal(2, "--timeout must be a whole number of seconds, at least 1, not '%s'", optarg);
			break;
		case OPIPELINE: o.pipeline = optarg; break;
		case OSTAMP: o.stamp = optarg; break;
		case OWARM: f.warm = true; break;
		case ODEP: o.depfile = optarg; break;
		case ODEPPHONY: o.depphony = true; break;
		case OFRAMESET: break;
		case OKEEP: f.keepgoing = true; break;
		case OFAILWITH: o.failwith = optarg; break;
		case OINPUT:
			inputs = xreallocarray(inputs, ninputs + 1, sizeof(*inputs));
			inputs[ninputs++] = optarg;
			break;
		case OATTEMPT: f.attempt = true; break;
		case 'h': fputs(usage, stdout); json_decref(params), json_decref(args); return 0;
		case 'V': puts("runja-exec " RUNJA_VERSION); json_decref(params), json_decref(args); return 0;
		default: fputs(usage, stderr); json_decref(params), json_decref(args); return 2;
		}
	}
	if (!o.id || !o.frames || !o.state)
		fatal(2, "--id, --frames and --state are needed");
	if (argc - optind < 4 || strcmp(argv[optind + 2], "--") != 0)
		fatal(2, "expected RUNDIR CMDOUT -- PROGRAM [ARG...] after the options");
	o.rundir = argv[optind];
	o.cmdout = argv[optind + 1];
	o.prog = argv + optind + 3;
	o.params = params ? params : (params = json_object());
	o.argv = args;
	o.inputs = inputs, o.ninputs = ninputs;
	o.key = key = json_dumps(args, JSON_COMPACT | JSON_ENSURE_ASCII);
	paramkeycommand(pkey, o.prog, (size_t)(argc - optind - 3), paramtext);
	o.paramkey = pkey;
	ret = execstep(&o, argv, &f);
	json_decref(params);
	json_decref(args);
	free(inputs), free(key);
	return ret;
}

