/* tests of the report's reading of a command's results: CSV files (report/csv.c), command.report's values, plot and images (report/show.c) */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/util.h"
#include "report/csv.h"
#include "report/show.h"
#include "tests/test.h"

/* the temporary directory of this run, from mkdtemp */
static char tmpdir[] = "/tmp/runja-show-XXXXXX";

/* write text to tmpdir/name */
static void
put(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name), err[256];

	if (writefile(path, text, strlen(text), err, sizeof(err)) < 0)
		printf("  %s\n", err);
	free(path);
}

/* the CSV text parsed */
static struct csvtab
parse(const char *text)
{
	struct csvtab t;
	size_t len = strlen(text);
	char *copy = xmalloc(len + 1);

	memcpy(copy, text, len + 1);
	csvparse(&t, copy, len);
	return t;
}

TEST(csv)
{
	struct csvtab t = parse("a,\"b, c\",d\r\n1,\"say \"\"hi\"\"\",3\n\n4,5\n6,7,8,9\nlast,row,");
	char *names;

	EXPECTINT(t.nrows, 5);
	EXPECTINT(t.ncols, 3);
	EXPECTSTR(t.cells[1], "b, c");
	EXPECTSTR(t.cells[2], "d");
	EXPECTSTR(t.cells[4], "say \"hi\"");
	EXPECTSTR(t.cells[2 * 3 + 2], "");       /* a short row */
	EXPECTSTR(t.cells[3 * 3 + 2], "8");      /* a long row: its fourth field dropped */
	EXPECTSTR(t.cells[4 * 3 + 1], "row");    /* no line break at the end */
	EXPECTINT(csvcolumn(&t, "d"), 2);
	EXPECTINT(csvcolumn(&t, "e"), -1);
	EXPECTNEAR(csvnum(&t, 1, 0), 1, 0);
	EXPECT(isnan(csvnum(&t, 1, 1)));
	EXPECT(isnan(csvnum(&t, 2, 2)));
	EXPECT(isnan(csvnum(&t, 9, 0)));
	names = csvnames(&t, 2);
	EXPECTSTR(names, "'a', 'b, c', ...");
	free(names);
	delcsv(&t);
	t = parse("");
	EXPECTINT(t.nrows, 0);
	delcsv(&t);
}

/* command.report as runja-gen writes it, loaded */
static struct show
load(const char *json)
{
	char err[256] = "";
	struct show s;

	put(".runja/report.json", json);
	if (showload(tmpdir, &s, err, sizeof(err)) < 0)
		printf("  %s\n", err);
	return s;
}

TEST(values)
{
	struct show s;
	struct showgot g[10];
	size_t i;

	put("fit.json", "{\"fit\": {\"speed\": 2.5, \"n\": 40, \"list\": [1, {\"x\": \"deep\"}]}, \"ok\": true, \"name\": \"a b\"}");
	put("trace.csv", "t,signal,label\n0,1.5,a\n1,-2,b\n2,4,c\n3,oops,d\n");
	put("bad.json", "{\"x\": ");
	s = load("{\"values\": [{\"name\": \"speed\", \"file\": \"fit.json\", \"key\": \"fit.speed\"},"
	         "{\"name\": \"deep\", \"file\": \"fit.json\", \"key\": \"fit.list.1.x\"},"
	         "{\"name\": \"ok\", \"file\": \"fit.json\", \"key\": \"ok\"},"
	         "{\"name\": \"nokey\", \"file\": \"fit.json\", \"key\": \"fit.nope\"},"
	         "{\"name\": \"obj\", \"file\": \"fit.json\", \"key\": \"fit\"},"
	         "{\"name\": \"max\", \"file\": \"trace.csv\", \"column\": \"signal\", \"row\": \"max\"},"
	         "{\"name\": \"last\", \"file\": \"trace.csv\", \"column\": \"label\"},"
	         "{\"name\": \"r1\", \"file\": \"trace.csv\", \"column\": \"signal\", \"row\": 1},"
	         "{\"name\": \"nocol\", \"file\": \"trace.csv\", \"column\": \"sig\", \"row\": 9},"
	         "{\"name\": \"gone\", \"file\": \"gone.json\", \"key\": \"x\"}], \"overview\": \"max\"}");
	EXPECTINT(s.nvalues, 10);
	EXPECTINT(s.overview, 5);
	showread(&s, tmpdir, g);
	EXPECTNEAR(g[0].v, 2.5, 0);
	EXPECTSTR(g[0].text, "2.5");
	EXPECTSTR(g[1].text, "deep");
	EXPECT(isnan(g[1].v) && !g[1].bad);
	EXPECTSTR(g[2].text, "true");
	EXPECTSTR(g[3].text, "fit.json: no key 'fit.nope'");
	EXPECT(g[3].bad);
	EXPECTSTR(g[4].text, "fit.json: 'fit' is an object, not a value");
	EXPECTNEAR(g[5].v, 4, 0);               /* max of the numbers; "oops" is none */
	EXPECTSTR(g[6].text, "d");
	EXPECTNEAR(g[7].v, -2, 0);
	EXPECTSTR(g[8].text, "trace.csv: no column 'sig' (columns: 't', 'signal', 'label')");
	EXPECTSTR(g[9].text, "gone.json: not written by the program");
	for (i = 0; i < s.nvalues; i++)
		showfree(&g[i]);
	delshow(&s);
	s = load("{\"values\": [{\"name\": \"b\", \"file\": \"bad.json\", \"key\": \"x\"},"
	         "{\"name\": \"far\", \"file\": \"trace.csv\", \"column\": \"t\", \"row\": 7},"
	         "{\"name\": \"mean\", \"file\": \"trace.csv\", \"column\": \"t\", \"row\": \"mean\"}]}");
	showread(&s, tmpdir, g);
	/* jansson's own words after the file and line */
	EXPECT(strncmp(g[0].text, "bad.json:1: ", 12) == 0 && g[0].bad);
	EXPECTSTR(g[1].text, "trace.csv has 4 rows, no row 7");
	EXPECTNEAR(g[2].v, 1.5, 1e-12);
	for (i = 0; i < s.nvalues; i++)
		showfree(&g[i]);
	delshow(&s);
}

TEST(plot)
{
	struct show s = load("{\"plot\": {\"file\": \"trace.csv\", \"x\": \"t\", \"y\": \"signal\"}}");
	double *x, *y;
	size_t n;
	char why[256] = "";

	EXPECTINT(showplot(&s, tmpdir, &x, &y, &n, why, sizeof(why)), 0);
	EXPECTINT(n, 4);
	EXPECTNEAR(x[3], 3, 0);
	EXPECTNEAR(y[1], -2, 0);
	EXPECT(isnan(y[3]));
	free(x), free(y);
	delshow(&s);
	s = load("{\"plot\": {\"file\": \"trace.csv\", \"y\": \"signl\"}}");
	EXPECTINT(showplot(&s, tmpdir, &x, &y, &n, why, sizeof(why)), -1);
	EXPECTSTR(why, "trace.csv: no column 'signl' (columns: 't', 'signal', 'label')");
	delshow(&s);
	s = load("{\"plot\": {\"file\": \"nope.csv\", \"y\": \"v\"}}");
	EXPECTINT(showplot(&s, tmpdir, &x, &y, &n, why, sizeof(why)), -1);
	EXPECTSTR(why, "nope.csv: not written by the program");
	delshow(&s);
}

TEST(images)
{
	json_t *outs = json_pack("[s,s,s,s,s]", "a.png", "figs/b.svg", "figs/c.PNG", "data.csv", "figs/sub/d.png");
	struct show s = {.overview = -1};
	const char **v;
	char *missing;
	size_t n;

	/* none asked for: every PNG */
	n = showimages(&s, outs, 0, &v, &missing);
	EXPECTINT(n, 3);
	EXPECTSTR(v[1], "figs/c.PNG");
	EXPECT(missing == NULL);
	free(v);
	n = showimages(&s, outs, 2, &v, &missing);
	EXPECTINT(n, 2);
	free(v);
	delshow(&s);
	/* globs in their order, '*' within a folder, one that matches nothing named */
	s = load("{\"images\": [\"figs/*\", \"*.png\", \"*.jpg\"]}");
	n = showimages(&s, outs, 0, &v, &missing);
	EXPECTINT(n, 3);
	EXPECTSTR(v[0], "figs/b.svg");
	EXPECTSTR(v[1], "figs/c.PNG");
	EXPECTSTR(v[2], "a.png");
	EXPECTSTR(missing, "no file matches '*.jpg'");
	free(v), free(missing);
	delshow(&s);
	json_decref(outs);
}

int
main(void)
{
	char *dir, err[256];

	TESTTMPDIR(tmpdir);
	dir = xasprintf("%s/.runja", tmpdir);
	if (mkdirp(dir, err, sizeof(err)) < 0)
		printf("  %s\n", err);
	free(dir);
	RUN(csv);
	RUN(values);
	RUN(plot);
	RUN(images);
	EXPECTINT(rmtree(tmpdir, err, sizeof(err)), 0);
	return TESTEXIT();
}
