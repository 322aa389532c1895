#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/state.h"
#include "common/util.h"
#include "report.h"

static const char usage[] =
	"usage: runja-report [--templates DIR] OUTDIR [-- REGENERATE...]\n"
	"\n"
	"Writes OUTDIR/summary.csv, OUTDIR/index.html (an overview across runs, the failed\n"
	"and waiting runs first, then a row per run: its figures, plots and thumbnails) and\n"
	"a page per run (OUTDIR/" STATENAME "/pages/ID.html) for every run listed in\n"
	"OUTDIR/" STATENAME "/runs (written by runja-gen), showing what OUTDIR/" STATENAME "/report.json\n"
	"names of a command's results; then, when a run failed, prints how many and which,\n"
	"and exits 1. The build's report step runs it after every run was attempted.\n"
	"\n"
	"  --templates DIR       the templates folder holding report/ [beside the program,\n"
	"                        or the installed one]\n"
	"  -- REGENERATE...      when the runs quarantined are no longer those OUTDIR/" STATENAME "/\n"
	"                        quarantined lists (a run quarantined or freed by this build),\n"
	"                        run this command (runja-gen, as the build file gives it) to\n"
	"                        write the build file again: a quarantined run's edge differs\n"
	"  -h, --help            this text\n"
	"      --version         print the version\n"
	"\n"
	"Exit status: 0 written, 1 a listed run failed (the report is written) or the report\n"
	"could not be written (one line says why), 2 bad usage.\n";

/*
 * Run argv (runja-gen, as the build file regenerates itself), its output dropped, when
 * the runs with a quarantine record are not those runja-gen last wrote the build file
 * with: a build that quarantined or freed a run leaves a build file that says so.
 */
static void
regenerate(const char *outdir, char *const *argv)
{
	char *state = statepath(outdir, STATEDIR, NULL), *list = statepath(outdir, STATEQLIST, NULL);
	struct buf now, then = {0};
	pid_t pid;
	int st, fd;

	statequarantined(state, &now);
	if (readfile(list, &then, NULL, 0) == 0 && strcmp(now.s, then.s) == 0)
		goto out;
	fflush(NULL);
	if ((pid = fork()) == 0) {
		if ((fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) >= 0)
			dup2(fd, 1);
		execvp(argv[0], argv);
		warn("cannot run %s to write the build file again:", argv[0]);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		warn("%s did not write the build file again: the next build does", argv[0]);
out:
	buffree(&now), buffree(&then);
	free(state), free(list);
}

/* "N run(s) WHAT: a, b, c, ..." of the ids in list (one a line), the first 5 named */
static void
saylist(const char *what, const char *list, size_t nlist, const char *after)
{
	struct buf line;
	const char *p = list;
	size_t shown;

	bufinit(&line);
	for (shown = 0; *p && shown < 5; shown++) {
		const char *nl = strchr(p, '\n');

		bufprintf(&line, "%s%.*s", shown ? ", " : "", (int)(nl - p), p);
		p = nl + 1;
	}
	warn("%zu run%s %s: %s%s; %s", nlist, nlist == 1 ? "" : "s", what, line.s, nlist > shown ? ", ..." : "", after);
	buffree(&line);
}

/*
 * Write the report; the exit status: 1 when it could not, or when a run failed that is
 * not quarantined (a line says which). Quarantined runs are named too, but they alone
 * do not fail the build: later builds leave them alone (runja-gen --check still fails).
 */
static int
report1(const char *outdir, const char *templates)
{
	struct buf failed, plain, quar;
	char err[1024], *p, *nl, *lock;
	size_t nplain = 0, nquar = 0;
	bool busy;
	int fd;

	bufinit(&failed), bufinit(&plain), bufinit(&quar);
	/* two builds at once write the report in turn; the kernel drops the lock when this ends */
	lock = statepath(outdir, STATEREPORTLOCK, NULL);
	if ((fd = statelockpath(lock, "report", &busy, err, sizeof(err))) < 0 ||
	    (busy && statelockwait(fd, "report", err, sizeof(err)) < 0))
		fatal(1, "%s", err);
	free(lock);
	if (writereport(outdir, templates, &failed, err, sizeof(err)) < 0) {
		buffree(&failed);
		fatal(1, "%s", err);
	}
	for (p = failed.s; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (*p == '\t')
			bufadd(&quar, p + 1, (size_t)(nl - p)), nquar++;
		else
			bufadd(&plain, p, (size_t)(nl - p + 1)), nplain++;
	}
	if (nquar)
		saylist("quarantined", quar.s, nquar, "later builds leave them alone; why: runja-gen --status; "
		        "to try again: runja-gen --retry RUN");
	if (nplain)
		saylist("failed", plain.s, nplain, "why: runja-gen --status");
	buffree(&failed), buffree(&plain), buffree(&quar);
	return nplain ? 1 : 0;
}

/* ended by a signal while it writes: the temporary file goes too, then the signal ends the report as it would */
static void
ended(int sig)
{
	fsdroptmp();
	signal(sig, SIG_DFL);
	raise(sig);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"templates", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{0},
	};
	const char *templates = NULL;
	char **regen = NULL;
	int opt, k, ret;

	argv0 = "runja-report";
	/* what follows "--" is the regeneration's command line, not the report's */
	for (k = 1; k < argc && strcmp(argv[k], "--") != 0; k++)
		;
	if (k < argc) {
		regen = argv + k + 1;
		argv[k] = NULL;
		argc = k;
	}
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'T': templates = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		case 'V': puts("runja-report " RUNJA_VERSION); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (argc - optind != 1) {
		fputs(usage, stderr);
		return 2;
	}
	fstrackwrites();
	for (k = 0; k < 3; k++) {
		int sig = (int[]){SIGINT, SIGTERM, SIGHUP}[k];

		/* a signal the build ignores (nohup) stays ignored */
		if (signal(sig, SIG_IGN) != SIG_IGN)
			signal(sig, ended);
	}
	ret = report1(argv[optind], templates);
	if (regen && *regen)
		regenerate(argv[optind], regen);
	return ret;
}
