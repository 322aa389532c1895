/* tests of common/natsort.c: natural order of run ids and frame names */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/natsort.h"
#include "tests/test.h"

/* a < b, checked both ways */
#define LESS(a, b) do { EXPECTINT(natcmp(a, b), -1); EXPECTINT(natcmp(b, a), 1); } while (0)

TEST(numbers)
{
	LESS("img_2", "img_10");
	LESS("img_2.png", "img_10.png");
	LESS("img_9", "img_10");
	LESS("img_99", "img_100");
	LESS("1", "2");
	LESS("9", "10");
	LESS("run_1/img_10", "run_2/img_1");
	LESS("a1b2", "a1b10");
	LESS("a2b1", "a10b1");
}

TEST(text)
{
	LESS("a", "b");
	LESS("abc", "abd");
	LESS("run", "run_1");
	LESS("", "a");
	LESS("", "0");
	LESS("run_1", "run_1a");
	LESS("run_1", "run_1_b");
	/* text is compared byte by byte: upper case first, digits before letters */
	LESS("B", "a");
	LESS("a_1", "b_0");
	LESS("2026-03/run_5", "run_1");
	LESS("x1", "xa");
	/* non-ASCII bytes after ASCII */
	LESS("run_z", "run_\xc3\xbc");
}

TEST(equal)
{
	EXPECTINT(natcmp("", ""), 0);
	EXPECTINT(natcmp("img_10.png", "img_10.png"), 0);
	EXPECTINT(natcmp("007", "007"), 0);
	EXPECTINT(natcmp("a0", "a0"), 0);
}

TEST(leadingzeros)
{
	/* equal by value, so the bytes decide: a total, deterministic order */
	LESS("img_02", "img_2");
	LESS("img_002", "img_02");
	LESS("img_0", "img_00");
	LESS("img_01", "img_2");
	LESS("img_2", "img_03");
	LESS("img_010", "img_11");
	LESS("a01b", "a1c");
	LESS("a1b", "a01c");
	LESS("a0", "a1");
	LESS("a00", "a1");
}

TEST(longdigits)
{
	/* longer than any 64-bit integer: compared by length, then digit by digit */
	LESS("f_99999999999999999999999", "f_100000000000000000000000");
	LESS("f_123456789012345678901234567890", "f_123456789012345678901234567891");
	LESS("f_18446744073709551615", "f_18446744073709551616");
	LESS("f_18446744073709551616a", "f_18446744073709551616b");
	LESS("f_000000000000000000000000000000000000001", "f_2");
	EXPECTINT(natcmp("f_123456789012345678901234567890x", "f_123456789012345678901234567890x"), 0);
}

TEST(sort)
{
	char *v[] = {
		"img_10.png", "img_2.png", "img_1.png", "img_02.png", "img_100.png",
		"img.png", "img_9.png", "IMG_5.png", "img_10a.png", "img_1.png",
	};
	const char *want[] = {
		"IMG_5.png", "img.png", "img_1.png", "img_1.png", "img_02.png",
		"img_2.png", "img_9.png", "img_10.png", "img_10a.png", "img_100.png",
	};
	size_t i, n = sizeof(v) / sizeof(v[0]);

	natsort(v, n);
	for (i = 0; i < n; i++)
		EXPECTSTR(v[i], want[i]);
	natsort(v, 0);
	natsort(v, 1);
	EXPECTSTR(v[0], "IMG_5.png");
}

TEST(consistent)
{
	/* antisymmetric and transitive over a mixed set: sorting agrees with every pair */
	char *v[] = {
		"a", "a0", "a00", "a01", "a1", "a1b", "a01b", "a1b0", "a1b00", "a10", "a010", "a2",
		"a_", "b", "0", "00", "1", "", "a9", "a09", "a9x", "a99999999999999999999",
	};
	size_t i, j, n = sizeof(v) / sizeof(v[0]);

	natsort(v, n);
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			int c = natcmp(v[i], v[j]);

			if (i < j && c != -1)
				printf("  %s !< %s\n", v[i], v[j]);
			EXPECTINT(c, i < j ? -1 : i > j ? 1 : 0);
		}
}

int
main(void)
{
	RUN(numbers);
	RUN(text);
	RUN(equal);
	RUN(leadingzeros);
	RUN(longdigits);
	RUN(sort);
	RUN(consistent);
	return TESTEXIT();
}
