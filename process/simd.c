#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simd.h"

static const char *const names[NSIMDPATHS] = {[SIMDBASE] = "baseline", [SIMDAVX2] = "avx2", [SIMDAVX512] = "avx512"};

/* the path in use, set before main and only read after */
static enum simdpath path;

/* the widest path this CPU runs */
static enum simdpath
widest(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
	    __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq"))
		return SIMDAVX512;
	if (__builtin_cpu_supports("avx2"))
		return SIMDAVX2;
#endif
	return SIMDBASE;
}

/* RUNJA_SIMD's path, NSIMDPATHS when it names none (or is unset: then *given is false) */
static enum simdpath
wanted(bool *given)
{
	const char *want = getenv("RUNJA_SIMD");
	enum simdpath p;

	*given = want && *want;
	for (p = SIMDBASE; *given && p < NSIMDPATHS && strcmp(want, names[p]) != 0; p++)
		;
	return *given ? p : NSIMDPATHS;
}

/* choose the path: the widest, or RUNJA_SIMD's when it is narrower (an unknown name is the widest: simdsay warns) */
__attribute__((constructor)) static void
simdinit(void)
{
	bool given;
	enum simdpath p = wanted(&given), w = widest();

	path = given && p <= w ? p : w;
}

void
simdsay(void)
{
	const char *show = getenv("RUNJA_SIMD_SHOW");
	static bool said;
	bool given;
	enum simdpath p = wanted(&given), w = widest();

	if (said)
		return;
	said = true;
	if (given && p == NSIMDPATHS)
		fprintf(stderr, "%s: RUNJA_SIMD=%s is none of baseline, avx2, avx512: using %s\n",
		        program_invocation_short_name, getenv("RUNJA_SIMD"), names[w]);
	else if (given && p > w)
		fprintf(stderr, "%s: RUNJA_SIMD=%s: this CPU lacks it, using %s\n", program_invocation_short_name,
		        getenv("RUNJA_SIMD"), names[w]);
	if (show && *show && strcmp(show, "0") != 0)
		fprintf(stderr, "%s: vector path %s\n", program_invocation_short_name, names[path]);
}

enum simdpath
simdpath(void)
{
	return path;
}

const char *
simdname(enum simdpath p)
{
	return p >= 0 && p < NSIMDPATHS ? names[p] : "?";
}
