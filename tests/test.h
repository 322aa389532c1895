#ifndef RUNJA_TEST_H
#define RUNJA_TEST_H

/*
 * A unit test program: TEST(name) { ... } functions listed in main through RUN(name).
 * RUN prints "PASS name" or "FAIL name"; tests/run.sh counts those lines.
 * EXPECT* print the failing file:line and mark the current test failed.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

static int testfailed;
static int testnfail;

#define TEST(name) static void test_##name(void)
#define RUN(name) do { \
	testfailed = 0; \
	test_##name(); \
	printf("%s %s\n", testfailed ? "FAIL" : "PASS", #name); \
	testnfail += testfailed; \
} while (0)
#define TESTEXIT() (testnfail ? 1 : 0)
/* in main: make the temporary folder of the mkdtemp template tmpl, or end the program with status 1 */
#define TESTTMPDIR(tmpl) do { if (!mkdtemp(tmpl)) { perror("mkdtemp"); return 1; } } while (0)

#define EXPECT(c) do { if (!(c)) { \
	printf("  %s:%d: expected %s\n", __FILE__, __LINE__, #c); testfailed = 1; } } while (0)
#define EXPECTINT(a, b) do { long long a_ = (a), b_ = (b); if (a_ != b_) { \
	printf("  %s:%d: %s is %lld, expected %lld\n", __FILE__, __LINE__, #a, a_, b_); testfailed = 1; } } while (0)
#define EXPECTSTR(a, b) do { const char *a_ = (a), *b_ = (b); \
	if (!a_ || !b_ || strcmp(a_, b_)) { \
	printf("  %s:%d: %s is\n    \"%s\"\n  expected\n    \"%s\"\n", __FILE__, __LINE__, #a, \
	       a_ ? a_ : "(null)", b_ ? b_ : "(null)"); testfailed = 1; } } while (0)
#define EXPECTNEAR(a, b, tol) do { double a_ = (a), b_ = (b); if (!(fabs(a_ - b_) <= (tol))) { \
	printf("  %s:%d: %s is %.9g, expected %.9g (tolerance %g)\n", __FILE__, __LINE__, #a, a_, b_, \
	       (double)(tol)); testfailed = 1; } } while (0)

#endif
