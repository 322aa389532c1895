/* tests of exec/warm.c's pure parts: which runs share a warm server, where warm.py is found, how long a server idles */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/fs.h"
#include "exec/warm.h"
#include "tests/test.h"

/* the temporary directory of this run, from mkdtemp */
static char tmpdir[] = "/tmp/runja-warm-XXXXXX";

#include "tests/unit/tmptree.h"

TEST(key)
{
	char *a[] = {"python3", "analyse.py", "data/run_1", NULL}, *b[] = {"python3", "analyse.py", "data/run_2", NULL};
	char *other[] = {"python3", "other.py", "data/run_1", NULL}, *py2[] = {"python3.11", "analyse.py", NULL};
	char *env[] = {"HOME=/root", "RUNJA_ID=run_1", NULL}, *env2[] = {"HOME=/tmp", "RUNJA_ID=run_2", NULL};
	char *pp[] = {"PYTHONPATH=/opt/lib", NULL}, *ph[] = {"PYTHONHOME=/opt/py", NULL};
	unsigned long long k = warmkey(a, "/data", env);

	/* the runs of one command in one folder share one server, whatever their arguments */
	EXPECT(warmkey(b, "/data", env2) == k);
	/* another script, interpreter, folder, PYTHONPATH or PYTHONHOME: another server */
	EXPECT(warmkey(other, "/data", env) != k);
	EXPECT(warmkey(py2, "/data", env) != k);
	EXPECT(warmkey(a, "/data2", env) != k);
	EXPECT(warmkey(a, "/data", pp) != k);
	EXPECT(warmkey(a, "/data", ph) != k);
	EXPECT(warmkey(a, "/data", pp) != warmkey(a, "/data", ph));
}

TEST(find)
{
	char *path = tpath("warm.py"), *p, err[256];

	/* none beside the test program (tests/unit/exec/warm.py), none in the folder given */
	EXPECT(warmfind(tmpdir) == NULL);
	EXPECTINT(writefile(path, "", 0, err, sizeof(err)), 0);
	p = warmfind(tmpdir);
	EXPECTSTR(p, path);
	free(p);
	unlink(path);
	free(path);
}

TEST(idle)
{
	EXPECTNEAR(warmidle(NULL), 20, 0);
	EXPECTNEAR(warmidle("5"), 5, 0);
	EXPECTNEAR(warmidle("0.5"), 0.5, 0);
	/* not a number above 0: the default */
	EXPECTNEAR(warmidle("0"), 20, 0);
	EXPECTNEAR(warmidle("-3"), 20, 0);
	EXPECTNEAR(warmidle("5s"), 20, 0);
	EXPECTNEAR(warmidle(""), 20, 0);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(key);
	RUN(find);
	RUN(idle);
	if (rmdir(tmpdir) != 0)
		perror(tmpdir);
	return TESTEXIT();
}
