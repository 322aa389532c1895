#ifndef RUNJA_WORKERS_H
#define RUNJA_WORKERS_H

#include <stddef.h>

#include "img.h"
#include "ops/ops.h"
#include "products.h"

struct cores;

/*
 * A run's frames worked on by several threads and taken in frame order by the thread
 * that calls workrun: frame i is worked on (decoded, the ops the pipeline lets run in
 * parallel) by whichever thread is free, into a slot, and worked on again from there
 * when a take has let more ops run in parallel (a background made) before it is
 * taken; the caller takes the slots in order 0, 1, 2 ... (accumulates the products),
 * so the results are those of one thread. A take may leave the slot's frame to be
 * added in bands of its pixels: each band is then added by whichever thread is free,
 * the bands of one frame at once on several threads, each band's frames in the order
 * taken (several at once when they are there), and the slot is reused once every band
 * has it. At most a window of frames is in flight (common/cores.h coreswindow: twice
 * the threads, and one; on one thread 4 with an add, else 1), so memory does not grow
 * with the number of frames. A thread works on a frame while the window has room and
 * adds bands once it is full; the caller takes before either. With one thread and an
 * add it works on frames i to i + 3, taking each when done, then adds the 4 in one pass
 * over the sums. The
 * threads come and go with the cores (common/cores.h), looked at between frames.
 */

/* what a slot's work found wrong */
enum slotfail {
	SLOTOK,    /* decoded, its ops applied */
	SLOTOPEN,  /* it could not be opened (cause) */
	SLOTREAD,  /* it was opened (w, h set) but could not be decoded (cause) */
	SLOTOP,    /* an op failed on it (cause) */
};

/* one frame in flight */
struct slot {
	struct frame f;       /* its pixels, after the ops [0, done); kept from frame to frame */
	size_t done;          /* ops applied */
	int w, h;             /* its size, from its header */
	enum slotfail fail;   /* what went wrong */
	int errcause;         /* seterrno() of the failure (the thread that worked on it had its own) */
	char cause[512];      /* the failure's cause */
	bool again;           /* set for the work: it holds frame i, worked on up to done with an earlier stop: go on from there */
	struct prodfig fig;   /* the products' figures of the frame, when figured */
	bool figured;         /* the work got it through every op and figured it */
};

/* work on frame i into s (s->again: on from s->done), on any thread, with that thread's scratch images; stop: the pipeline's now */
typedef void workfn(void *ctx, size_t i, size_t stop, struct slot *s, struct opscratch *scratch);
/* take frame i (in order, on the caller's thread); may raise *stop; 0, WORKADD when the slot
   is to be added (addfn; else it is reused at once), or -1 to end the run there */
typedef int takefn(void *ctx, size_t i, struct slot *s, size_t *stop);
enum { WORKADD = 1 };
/* add band band of nbands of the ns slots s, taken in this order, on any thread (other bands at once on others) */
typedef void addfn(void *ctx, struct slot *const *s, int ns, size_t band, size_t nbands);

/*
 * Work on and take frames 0..n-1 with the threads c allows (stop: the pipeline's
 * pipestop before the first frame), adding with add the slots the takes leave (add
 * may be NULL when no take does). Returns 0 once every slot is added, or -1 when a
 * take did (the threads are stopped first). *maxthreads: the most threads it ran at
 * once, its own counted.
 */
int workrun(size_t n, size_t stop, workfn *work, takefn *take, addfn *add, void *ctx, struct cores *c,
            int *maxthreads);

/* one of n tasks: task i on the thread numbered thread (0: the caller's, up to coresmax - 1) */
typedef void eachfn(void *ctx, size_t i, int thread);
/* run fn for every i in [0, n), on as many threads as c allows now (NULL: the caller's alone); returns when all are done */
void workeach(size_t n, eachfn *fn, void *ctx, struct cores *c);
/* one of n tasks that may fail: 0, or -1 with its error in err */
typedef int taskfn(void *ctx, size_t i, char *err, size_t n);
/*
 * workeach of tasks that may fail, all of them tried: 0, or -1 with the error of the
 * first that failed (in the order of i) in err, and its errno taken on this thread
 * (seterrkeep: a full disk or an I/O error is a passing cause whichever thread met it).
 */
int workcheck(size_t n, taskfn *fn, void *ctx, struct cores *c, char *err, size_t errn);

#endif
