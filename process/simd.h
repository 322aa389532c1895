#ifndef RUNJA_SIMD_H
#define RUNJA_SIMD_H

/*
 * The vector paths of the pixel loops. Each hot loop is written once, as a plain loop
 * in an always-inline NAMEbody function, and compiled for each path by SIMDCLONES; the
 * loops only vectorise across pixels (every pixel's own arithmetic stays in its order,
 * and -ffp-contract=off keeps multiply and add apart), so every path writes the same
 * bytes. The path is chosen once, before main: the widest the CPU has, or a narrower
 * one the environment asks for (RUNJA_SIMD=baseline, avx2 or avx512; RUNJA_SIMD_SHOW=1
 * prints the choice on stderr, by simdsay).
 */
enum simdpath {
	SIMDBASE,   /* x86-64's baseline (SSE2), or any other CPU */
	SIMDAVX2,   /* AVX2 */
	SIMDAVX512, /* AVX-512 F, VL, BW, DQ */
	NSIMDPATHS
};

/* the path in use (fixed before main) */
enum simdpath simdpath(void);
/* its name: "baseline", "avx2" or "avx512" */
const char *simdname(enum simdpath p);
/* once, by the process that does the work: on stderr, a RUNJA_SIMD it could not take, and the path with RUNJA_SIMD_SHOW */
void simdsay(void);

#define SIMDINLINE static inline __attribute__((always_inline))
#if defined(__x86_64__) && defined(__GNUC__)
#define SIMDTARGET2 __attribute__((target("avx2")))
#define SIMDTARGET512 __attribute__((target("avx2,avx512f,avx512vl,avx512bw,avx512dq")))
#else
#define SIMDTARGET2
#define SIMDTARGET512
#endif

/*
 * SIMDCLONES(name, (params), (args)): static void name(params), which calls
 * namebody(args) compiled for the path in use. namebody returns nothing (its results
 * go through its pointers).
 */
#define SIMDCLONES(name, params, args)                                   \
	static void name##base params { name##body args; }               \
	static SIMDTARGET2 void name##avx2 params { name##body args; }   \
	static SIMDTARGET512 void name##avx512 params { name##body args; } \
	static void name params                                          \
	{                                                                \
		switch (simdpath()) {                                    \
		case SIMDAVX512: name##avx512 args; return;             \
		case SIMDAVX2: name##avx2 args; return;                 \
		default: name##base args; return;                       \
		}                                                        \
	}

#endif
