#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/state.h"
#include "common/util.h"
#include "report.h"

static const char usage[] =
	"usage: runja-report [--templates DIR] OUTDIR\n"
	"\n"
	"Writes OUTDIR/summary.csv and OUTDIR/index.html (thumbnails, front plots; failed\n"
	"and waiting runs say so) for every run listed in OUTDIR/" STATENAME "/runs (written by\n"
	"runja-gen); then, when a run failed, prints how many and which, and exits 1. The\n"
	"build's report step runs it after every run was attempted.\n"
	"\n"
	"  --templates DIR       the templates folder holding report/ [beside the program,\n"
	"                        or the installed one]\n"
	"  -h, --help            this text\n"
	"\n"
	"Exit status: 0 written, 1 a listed run failed (the report is written) or the report\n"
	"could not be written (one line says why), 2 bad usage.\n";

/* write the report; the exit status: 1 when it could not, or when a run failed (then a line says which) */
static int
report1(const char *outdir, const char *templates)
{
	struct buf failed;
	char err[1024], *p;
	size_t nfailed = 0, shown = 0;
	int ret;

	bufinit(&failed);
	if (writereport(outdir, templates, &failed, err, sizeof(err)) < 0) {
		buffree(&failed);
		fatal(1, "%s", err);
	}
	for (p = failed.s; *p; p++)
		nfailed += *p == '\n';
	if (nfailed) {
		struct buf line;

		bufinit(&line);
		for (p = failed.s; *p && shown < 5; shown++) {
			char *nl = strchr(p, '\n');

			bufprintf(&line, "%s%.*s", shown ? ", " : "", (int)(nl - p), p);
			p = nl + 1;
		}
		warn("%zu run%s failed: %s%s; why: runja-gen --status", nfailed, nfailed == 1 ? "" : "s", line.s,
		     nfailed > shown ? ", ..." : "");
		buffree(&line);
	}
	ret = nfailed ? 1 : 0;
	buffree(&failed);
	return ret;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"templates", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *templates = NULL;
	int opt;

	argv0 = "runja-report";
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'T': templates = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (argc - optind != 1) {
		fputs(usage, stderr);
		return 2;
	}
	return report1(argv[optind], templates);
}
