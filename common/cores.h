#ifndef RUNJA_CORES_H
#define RUNJA_CORES_H

#include <stdbool.h>

/*
 * The cores a run's frames may be processed on. Ninja hands its children neither a
 * jobserver nor its -j, so the runs of one tree share tokens of their own: one lock
 * file per CPU of the process's CPU set (sched_getaffinity: what taskset or a SLURM
 * step allows), OUT/.runja/cores/HOST/CPU, taken with flock(LOCK_EX | LOCK_NB) and freed
 * by the kernel when the process ends. A run always works on its own thread, with a
 * token when one is free; it runs one more thread for each further token it holds. A
 * run that found no token holds a shared lock on OUT/.runja/cores/HOST/want, and while
 * one does, the runs holding several tokens give them back one at a time.
 */

/* the tokens one run holds and may take (defined in cores.c) */
struct cores;

/* how many CPUs this process may run on (its affinity set), >= 1 */
int corescpus(void);
/*
 * The cores of a run allowed at most cap >= 1 threads. dir: the tokens' folder (made
 * when missing; the host's name is added), or NULL for none: then the run uses cap
 * threads whatever other processes do. When dir cannot be used the run stays on one
 * thread. Caller frees with delcores.
 */
struct cores *mkcores(const char *dir, int cap);
/* the most threads c ever gives */
int coresmax(const struct cores *c);
/*
 * As a run starts, then between frames: take a token for the run's own thread when one
 * is free; take more for extra threads while no other run waits for one (at the first
 * look, or once they have been free for a moment: a run that ends frees its token a
 * little before ninja's next run takes it); give extra ones back, one a look, while a
 * run waits; hold no more than want (>= 1). Returns how many threads to run now,
 * 1..want. Looks at the tokens at most every few milliseconds.
 */
int coresadjust(struct cores *c, int want);
/*
 * The frames a run of at most threads threads has in flight (process/workers.c): twice
 * its threads and one; on one thread 4 when its products have sums over the pixels
 * (sums: mean, std, min, max), so that it adds 4 frames in one pass over them, else 1.
 */
int coreswindow(int threads, bool sums);
/* give every token back and free c (c may be NULL) */
void delcores(struct cores *c);

#endif
