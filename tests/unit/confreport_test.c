/* tests of gen/confreport.c: command.report, what the report shows of a command's results, and every error word for word */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/conf.h"
#include "tests/test.h"

/* the message of the last parse */
static char err[512];

/* the lines before command.report: it is on line 4 */
#define HEAD "version = 1;\nruns = { match = \"run_*\"; };\ncommand = { run = [\"python3\", \"a.py\", \"{run}\", \"{out}\"];\n"

/* command.report = TEXT as compact JSON (NULL: an error, in err) */
static char *
reportjson(const char *report)
{
	char *text = NULL, *s = NULL;
	struct conf c;

	strcpy(err, "");
	if (asprintf(&text, HEAD "report = %s;\n};\n", report) < 0)
		return NULL;
	if (confparse(&c, text, "runja.cfg", false, err, sizeof(err)) == 0)
		s = json_dumps(c.cmd.report, JSON_COMPACT);
	delconf(&c);
	free(text);
	return s;
}

/* command.report = report must fail with exactly msg */
#define BAD(report, msg) do { char *s_ = reportjson(report); EXPECT(s_ == NULL); free(s_); EXPECTSTR(err, msg); } while (0)
/* command.report = report must read as the JSON want */
#define GOOD(report, want) do { char *s_ = reportjson(report); EXPECTSTR(s_, want); EXPECTSTR(err, ""); free(s_); } while (0)

TEST(report)
{
	GOOD("{ images = [\"*.png\", \"figs/*.svg\"]; plot = { file = \"trace.csv\"; x = \"t\"; y = \"signal\"; };\n"
	     "  values = ( { name = \"speed\"; file = \"fit.json\"; key = \"fit.speed\"; },\n"
	     "             { name = \"peak\"; file = \"trace.csv\"; column = \"signal\"; row = \"max\"; },\n"
	     "             { name = \"third\"; file = \"trace.csv\"; column = \"signal\"; row = 2; } );\n"
	     "  overview = \"peak\"; }",
	     "{\"images\":[\"*.png\",\"figs/*.svg\"],\"plot\":{\"file\":\"trace.csv\",\"x\":\"t\",\"y\":\"signal\"},"
	     "\"values\":[{\"name\":\"speed\",\"file\":\"fit.json\",\"key\":\"fit.speed\"},"
	     "{\"name\":\"peak\",\"file\":\"trace.csv\",\"column\":\"signal\",\"row\":\"max\"},"
	     "{\"name\":\"third\",\"file\":\"trace.csv\",\"column\":\"signal\",\"row\":2}],\"overview\":\"peak\"}");
	/* one image glob as a string; a plot without x (the row number); nothing at all */
	GOOD("{ images = \"out/*.png\"; plot = { file = \"a.csv\"; y = \"v\"; }; }",
	     "{\"images\":[\"out/*.png\"],\"plot\":{\"file\":\"a.csv\",\"y\":\"v\"}}");
	GOOD("{ }", "{}");
}

TEST(errors)
{
	BAD("3", "runja.cfg:4: 'command.report' must be a group { images = [...]; plot = {...}; values = (...); }");
	BAD("{ image = \"*.png\"; }", "runja.cfg:4: unknown key 'image' in 'command.report' (did you mean 'images'?)");
	BAD("{ images = [\"../x.png\"]; }", "runja.cfg:4: 'command.report.images' has an empty, '.' or '..' component in '../x.png'");
	BAD("{ images = \"/abs/*.png\"; }", "runja.cfg:4: 'command.report.images' must be a relative path pattern, not '/abs/*.png'");
	BAD("{ images = [1]; }", "runja.cfg:4: 'command.report.images' must be a string or a list of strings");
	BAD("{ plot = \"a.csv\"; }",
	    "runja.cfg:4: 'command.report.plot' must be a group { file = \"trace.csv\"; x = \"time\"; y = \"signal\"; }");
	BAD("{ plot = { file = \"a.csv\"; }; }", "runja.cfg:4: missing required key 'command.report.plot.y'");
	BAD("{ plot = { y = \"v\"; }; }", "runja.cfg:4: missing required key 'command.report.plot.file'");
	BAD("{ plot = { file = \"*.csv\"; y = \"v\"; }; }",
	    "runja.cfg:4: 'command.report.plot.file' names one file, not a pattern: '*.csv'");
	BAD("{ plot = { file = \"a.csv\"; y = \"\"; }; }", "runja.cfg:4: 'command.report.plot.y' must be one line, not empty");
	BAD("{ plot = { file = \"a.csv\"; y = \"v\"; z = 1; }; }",
	    "runja.cfg:4: unknown key 'z' in 'command.report.plot'");
	BAD("{ values = { name = \"a\"; }; }",
	    "runja.cfg:4: 'command.report.values' must be a list of groups ( { name = ...; file = ...; key = ...; }, ... )");
	BAD("{ values = ( \"a\" ); }",
	    "runja.cfg:4: 'command.report.values[0]' must be a group { name = \"speed\"; file = \"fit.json\"; key = \"speed\"; }");
	BAD("{ values = ( { file = \"a.json\"; key = \"k\"; } ); }", "runja.cfg:4: missing required key 'command.report.values[0].name'");
	BAD("{ values = ( { name = \"a b\"; file = \"a.json\"; key = \"k\"; } ); }",
	    "runja.cfg:4: 'a b' is no column name for summary.csv: letters, digits, '_', '-' and '.' only");
	BAD("{ values = ( { name = \"mean\"; file = \"a.json\"; key = \"k\"; } ); }",
	    "runja.cfg:4: 'mean' is no column name for summary.csv: a column summary.csv has already");
	BAD("{ values = ( { name = \"a\"; file = \"a.json\"; key = \"k\"; }, { name = \"a\"; file = \"b.json\"; key = \"k\"; } ); }",
	    "runja.cfg:4: two values named 'a' in command.report.values");
	BAD("{ values = ( { name = \"a\"; file = \"a.json\"; } ); }",
	    "runja.cfg:4: 'command.report.values[0]' needs key (a JSON file's) or column (a CSV file's), one of them");
	BAD("{ values = ( { name = \"a\"; file = \"a.json\"; key = \"k\"; column = \"c\"; } ); }",
	    "runja.cfg:4: 'command.report.values[0]' needs key (a JSON file's) or column (a CSV file's), one of them");
	BAD("{ values = ( { name = \"a\"; file = \"a.json\"; key = \"k\"; row = 1; } ); }",
	    "runja.cfg:4: 'command.report.values[0].row' goes with column, for a CSV file");
	BAD("{ values = ( { name = \"a\"; file = \"a.csv\"; column = \"c\"; row = \"median\"; } ); }",
	    "runja.cfg:4: 'command.report.values[0].row' must be a row number from 0, or \"last\", \"first\", \"min\", \"max\", \"mean\"");
	BAD("{ values = ( { name = \"a\"; file = \"a.csv\"; column = \"c\"; row = -1; } ); }",
	    "runja.cfg:4: 'command.report.values[0].row' must be a row number from 0, or \"last\", \"first\", \"min\", \"max\", \"mean\"");
	BAD("{ values = ( { name = \"a\"; file = \"a.csv\"; column = \"c\"; } ); overview = \"b\"; }",
	    "runja.cfg:4: command.report.overview 'b' is none of the names of command.report.values");
	BAD("{ overview = \"b\"; }", "runja.cfg:4: command.report.overview 'b' is none of the names of command.report.values");
}

int
main(void)
{
	RUN(report);
	RUN(errors);
	return TESTEXIT();
}
