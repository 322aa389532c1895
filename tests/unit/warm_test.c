/* tests of process/warm.c's pure part: which runs share a warm server */
#include <stdio.h>

#include "exec/warm.h"
#include "tests/test.h"

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

int
main(void)
{
	RUN(key);
	return TESTEXIT();
}
