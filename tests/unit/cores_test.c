/* tests of common/cores.c: the core tokens two runs of one tree share */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common/cores.h"
#include "common/fs.h"
#include "common/util.h"
#include "tests/test.h"

static char tmpdir[] = "/tmp/runja-cores-XXXXXX";

#include "tests/unit/tmptree.h"
static char err[1024];

/* let ms milliseconds pass (the tokens are looked at every 10 ms at most) */
static void
pause(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000};

	nanosleep(&t, NULL);
}

TEST(share)
{
	char *dir = tpath("cores");
	struct cores *a = mkcores(dir, 2), *b;

	/* alone: both tokens at the first look */
	EXPECTINT(coresmax(a), 2);
	EXPECTINT(coresadjust(a, 2), 2);
	/* a second run finds none: its own thread, and it waits */
	b = mkcores(dir, 2);
	EXPECTINT(coresadjust(b, 2), 1);
	/* the first gives one back at its next look, the second takes it at its own */
	pause(15);
	EXPECTINT(coresadjust(a, 2), 1);
	pause(15);
	EXPECTINT(coresadjust(b, 2), 1);
	/* neither takes more while the other holds its token */
	pause(15);
	EXPECTINT(coresadjust(a, 2), 1);
	/* the second ends: its token is taken again once it has stayed free 50 ms, not at once */
	delcores(b);
	pause(15);
	EXPECTINT(coresadjust(a, 2), 1);
	pause(70);
	EXPECTINT(coresadjust(a, 2), 2);
	/* fewer wanted: given back at the next look */
	pause(15);
	EXPECTINT(coresadjust(a, 1), 1);
	delcores(a);
	/* no folder: exactly the cap, whatever the CPUs */
	a = mkcores(NULL, 7);
	EXPECTINT(coresadjust(a, 9), 7);
	EXPECTINT(coresadjust(a, 3), 3);
	delcores(a);
	free(dir);
}

/* the frames in flight: twice the threads and one; on one thread 4 with sums over the pixels, else 1 */
TEST(window)
{
	EXPECTINT(coreswindow(1, true), 4);
	EXPECTINT(coreswindow(1, false), 1);
	EXPECTINT(coreswindow(2, true), 5);
	EXPECTINT(coreswindow(2, false), 5);
	EXPECTINT(coreswindow(7, true), 15);
}

int
main(void)
{
	TESTTMPDIR(tmpdir);
	RUN(window);
	if (corescpus() < 2)
		printf("SKIP share: this process may run on one CPU only\n");
	else
		RUN(share);
	if (rmtree(tmpdir, err, sizeof(err)) < 0)
		printf("FAIL cleanup: %s\n", err);
	return TESTEXIT();
}
