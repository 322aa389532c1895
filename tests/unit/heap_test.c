/* tests of common/heap.c: large blocks from a heap on huge pages */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/heap.h"
#include "tests/test.h"

/* the kernel's count of name in /proc/vmstat, or -1 */
static long long
vmstat(const char *name)
{
	FILE *f = fopen("/proc/vmstat", "r");
	char key[128];
	long long v, found = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%127s %lld", key, &v) == 2)
		if (strcmp(key, name) == 0)
			found = v;
	fclose(f);
	return found;
}

/* kB of huge pages backing the mapping that holds p (from /proc/self/smaps), or -1 */
static long long
hugekb(const void *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	uintptr_t a = (uintptr_t)p, lo, hi;
	bool in = false;
	long long kb = -1, v;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
			in = a >= lo && a < hi;
		else if (in && sscanf(line, "AnonHugePages: %lld kB", &v) == 1)
			kb = v;
	}
	fclose(f);
	return kb;
}

/* with a limit on the data segment, nothing is changed (run in a child: the process's heap is set once) */
TEST(limited)
{
	struct rlimit l = {1LL << 32, 1LL << 32};
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (setrlimit(RLIMIT_DATA, &l) != 0)
			_exit(2);
		_exit(heaphuge() ? 1 : 0);
	}
	EXPECT(pid > 0 && waitpid(pid, &status, 0) == pid);
	EXPECTINT(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
}

/* why huge could not be checked here, else empty */
static char skipped[128];

/* a block of 24 MiB comes from the heap, backed by huge pages once touched */
TEST(huge)
{
	size_t n = 24 << 20;
	long long fallback = vmstat("thp_fault_fallback"), kb;
	char *block, *top;

	EXPECT(heaphuge());
	block = malloc(n);
	top = sbrk(0);
	/* from the heap (below its break), not a mapping of its own */
	EXPECT(block && block < top);
	memset(block, 1, n);
	/* (the heap's first 2 MiB may be a mapping of its own, not advised: look at the end) */
	kb = hugekb(block + n - 1);
	if (kb == 0 && vmstat("thp_fault_fallback") > fallback)
		snprintf(skipped, sizeof(skipped), "the kernel had no free huge page (it fell back to small pages)");
	else
		EXPECT(kb >= 16 << 10);
	free(block);
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
static const bool sanitized = true;
#else
static const bool sanitized = false;
#endif

int
main(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	char mode[128] = "";
	struct rlimit d, as;

	if (f) {
		if (!fgets(mode, sizeof(mode), f))
			mode[0] = '\0';
		fclose(f);
	}
	RUN(limited);
	getrlimit(RLIMIT_DATA, &d);
	getrlimit(RLIMIT_AS, &as);
	if (!strstr(mode, "[always]") && !strstr(mode, "[madvise]"))
		printf("SKIP huge: this kernel has no transparent huge pages (%s)\n", f ? "never" : "no /sys/kernel/mm/transparent_hugepage");
	else if (d.rlim_cur != RLIM_INFINITY || as.rlim_cur != RLIM_INFINITY)
		printf("SKIP huge: a data or address space limit is set (ulimit -d, -v)\n");
	else if (sanitized)
		printf("SKIP huge: a sanitizer's malloc replaces glibc's\n");
	else {
		testfailed = 0;
		test_huge();
		if (*skipped && !testfailed)
			printf("SKIP huge: %s\n", skipped);
		else
			printf("%s huge\n", testfailed ? "FAIL" : "PASS");
		testnfail += testfailed;
	}
	return TESTEXIT();
}
