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
#include "warm.h"

#ifndef RUNJADIR
#define RUNJADIR "/usr/local/share/runja"
#endif

static const char usage[] =
	"usage: runja-exec --id ID --frames GLOB --state STATE [--params JSON] [--timeout SECONDS]\n"
	"                  [--pipeline DIR] [--stamp FILE] [--warm] [--depfile FILE [--depfile-phony]]\n"
	"                  [--frame-set SIG] [--fail-with LINE] [--keep-going]\n"
	"                  RUNDIR CMDOUT -- PROGRAM [ARG...]\n"
	"\n"
	"Runs a user's PROGRAM (command in runja.cfg) on one run, with the guarantees runja\n"
	"gives its own processor. PROGRAM (no shell, looked up in PATH) runs in its own process\n"
	"group, stdin /dev/null, stdout and stderr to runja.log. It writes into an empty\n"
	"folder, STATE/work/ID/out; when it exits 0 having written a file there, that folder,\n"
	"with summary.json, runja.log and the depfile added, replaces CMDOUT as a whole.\n"
	"Otherwise CMDOUT stays as it was, and STATE/failed/ID/ holds error.txt and runja.log.\n"
	"Every attempt adds a line to STATE/ledger.tsv. runja-gen writes these command lines;\n"
	"`ninja -t commands` shows them.\n"
	"\n"
	"  --id ID               the run's name in messages and summary.json\n"
	"  --frames GLOB         frames inside RUNDIR, or SUB/GLOB\n"
	"  --state STATE         runja's folder, OUT/" STATENAME "\n"
	"  --params JSON         the parameters, a JSON object [{}]\n"
	"  --timeout SECONDS     SIGKILL the program's group after that long [no limit]\n"
	"  --pipeline DIR        the run's built-in products, for {pipeline}\n"
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
	"  --fail-with LINE      fail at once with LINE, running nothing (runja-gen gives it to\n"
	"                        a run whose override file is bad)\n"
	"  --keep-going          a failed run exits 0 once its failure is recorded, so that a\n"
	"                        build goes on with the other runs and retries this one later\n"
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
	"Interrupted by SIGINT, SIGTERM or SIGHUP it dies of that signal.\n";

/* die of sig, a signal that waited (spawnblock): its action the default, then unblocked */
static void
dieof(int sig)
{
	sigset_t set;

	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}

/*
 * Run the attempt o (warm: through the fork server, when warm.py is found) and say why
 * it failed; the exit status (1 as 0 with keepgoing), or death by the signal that
 * interrupted it, once the program and its leftovers are gone and the failure noted.
 */
static int
run(struct execopts *o, bool warm, bool keepgoing)
{
	char err[1024], *server = NULL;
	int ret, sig;

	if (warm && !(o->warm = server = warmfind(RUNJADIR)))
		warn("%s: no warm.py beside runja-exec or in " RUNJADIR "; running it cold", o->id);
	o->warmidle = warmidle(getenv("RUNJA_WARM_IDLE"));
	ret = execrun(o, &sig, err, sizeof(err));
	if (ret != 0)
		warn("%s", err);
	free(server);
	if (sig)
		dieof(sig);
	return (ret == 1 || ret == RUNTRANSIENT) && keepgoing ? 0 : ret;
}

/* parse the wrapper's arguments and run it; the exit status, or death by the signal that interrupted it */
int
main(int argc, char **argv)
{
	enum { OID = 256, OFRAMES, OSTATE, OPARAMS, OTIMEOUT, OPIPELINE, OSTAMP, OWARM, ODEP, ODEPPHONY,
	       OFRAMESET, OKEEP, OFAILWITH };
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
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct execopts o = {0};
	json_t *params = NULL, *args;
	char err[1024], *end, key[PARAMKEYSIZE];
	const char *paramtext = NULL;
	bool warm = false, keepgoing = false;
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
		case OWARM: warm = true; break;
		case ODEP: o.depfile = optarg; break;
		case ODEPPHONY: o.depphony = true; break;
		case OFRAMESET: break;
		case OKEEP: keepgoing = true; break;
		case OFAILWITH: o.failwith = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
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
	paramkeycommand(key, o.prog, (size_t)(argc - optind - 3), paramtext);
	o.key = key;
	ret = run(&o, warm, keepgoing);
	json_decref(params);
	json_decref(args);
	return ret;
}

