/* bench_run.h: the runner's private state, shared by its modules (not a
 * public header: only src/bench*.c include it). bench.c was one file of
 * about 950 lines doing eight jobs; it is split along its seams:
 *   bench.c           the rank threads, their buffers, each row's record,
 *                     cb_bench_run
 *   bench_timed.c     one row half: warm-up, the timed loop and its
 *                     checkpoints, --perf-ctl, the check iterations
 *   bench_roofline.c  the roofline copy measurement
 *   bench_exchange.c  how rank 0 and the ranks exchange slots and decisions
 *                     (threads, MPI), and the MPI ranks' placement (data
 *                     for the sink)
 *   watchdog.c        the main thread's watchdog and the hang report (watchdog.h)
 *   combine.c         combining the ranks' slots into a row half (pure) */
#ifndef COLLBENCH_BENCH_RUN_H
#define COLLBENCH_BENCH_RUN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "collbench/bench.h"
#include "collbench/combine.h"
#include "collbench/comm.h"

/* Rank 0's decision at a checkpoint of the timed loop (stop, or where the
 * next one is), read by every rank after the checkpoint's barrier. Two slots alternate, so rank 0 never rewrites a
 * slot a rank may still be reading (it can only reach checkpoint c+2 after
 * every rank passed the barrier of c+1, i.e. after they read slot c). */
struct checkpoint {
	_Atomic int stop;
	_Atomic long next;     /* iteration of the next checkpoint */
};

struct run;
struct split_run;

/* How rank 0 learns the ranks' results and every rank learns rank 0's
 * decisions. Rank threads share the run's arrays: a barrier is the whole
 * exchange (each rank wrote its own slots before it, rank 0 reads after it).
 * MPI processes each have their own copy of the run: collectives move the
 * bytes to rank 0 (gathers) or from it (broadcasts). */
struct exchange {
	/* everyone here: windows published, header printed */
	void (*setup)(struct run *run);
	/* the row's slots (and samples of the halves run) reach rank 0 */
	void (*row)(struct run *run, struct cb_rank *rk, int inplace_ok);
	/* rank 0's len bytes at buf reach every rank */
	void (*decide)(struct run *run, struct cb_rank *rk, void *buf, size_t len);
	/* the roofline's cp_t reach rank 0 */
	void (*copy_times)(struct run *run, struct cb_rank *rk);
};

struct run {
	const struct cb_options *o;
	const struct exchange *ex;
	bool mpi;                  /* one rank per MPI process (transport.h) */
	int first, nlocal;         /* the ranks run by this process */
	enum cb_inject inject;
	struct cb_plan *plan;
	struct cb_placement *pl;
	struct cb_comm comm;
	const struct cb_bench_io *io;
	const struct cb_sink *sink;  /* io->sink, or the table sink */
	pthread_barrier_t setup;
	struct cb_half_slot *slots;   /* [nranks][2] */
	double *samples;           /* [nranks][2][nsamples] iteration ends (-z 3:
				    * call durations), ns since base */
	long nsamples;
	int64_t base_ns;
	double *comb, *means;      /* rank 0's scratch: [nsamples], [nranks] */
	/* roofline: distinct copy lengths, ascending, and their bandwidths */
	size_t *cp_len;
	double *cp_bw;             /* [ncp] GB/s */
	int64_t *cp_t;             /* [nranks][2] start and end, ns */
	size_t ncp, *pt_cp;        /* [npoints] index into cp_len, SIZE_MAX none */
	int zeroed;                /* zero-signal fault done (last rank only) */
	struct checkpoint ck[2];   /* timed-loop checkpoints (--duration, signals) */
	_Atomic int stop;          /* rank 0 at a row boundary: SIGINT/SIGTERM seen (the signal) */
	_Atomic int finished;
	struct split_run *split;   /* --split's groups (bench_split.c), NULL: none */
};

/* A rank thread's own profiling state. */
struct rank_prof {
	struct cb_counters ctr;   /* --counters, opened by the thread itself */
	bool has_ctr;
	unsigned long ck;          /* --duration checkpoints passed (slot index) */
};

static inline double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec * 1e-3;
}

/* Integer nanoseconds for samples: differences are exact. */
static inline int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Buffers of one rank, allocated and first-touched by its own thread. The
 * send and recv buffers live in the window's user area (comm_reserve_user),
 * at the same offsets in every window, so zero-copy algorithms can read a
 * peer's buffers in place; exp (the golden) is private. */
struct rank_bufs {
	char *win, *send, *recv, *exp;
	char *premul;   /* mulsum: the premultiplied send buffer (window) */
	char *cold;     /* --cold-cache: set 0 of the rotation (coldcache.h) */
	size_t win_len, send_len, recv_len, exp_len, premul_len;
};

#define PAGE_UP(x) (((x) + 4095) & ~(size_t)4095)

/* bench_timed.c: one row half of point pt on this rank (inplace 0 or 1),
 * leaving its results in slot and its samples in the run's array. */
void bench_run_half(struct run *run, struct cb_rank *rk, const struct cb_point *pt,
		    struct rank_bufs *b, int inplace, struct cb_half_slot *slot,
		    struct rank_prof *prof);

/* bench_roofline.c: the plan's distinct copy lengths (before the ranks
 * start), and the measurement on every rank (rank 0 gets cp_bw). */
void bench_roofline_plan(struct run *run);
void bench_roofline(struct run *run, struct cb_rank *rk, const struct rank_bufs *b);

/* bench_split.c (--split; each a no-op without groups): the group views
 * (cb_bench_run, after the run's comm is set up), each rank's view (its
 * thread, after comm_rank_init; fini before its window is freed), the
 * rank an algorithm call runs as (the view, or rk itself), whether
 * --inject corrupt strikes this rank's group, and the row as groups see it
 * (rank 0, after combining). */
void bench_split_setup(struct run *run);
void bench_split_rank_init(struct run *run, struct cb_rank *rk);
struct cb_rank *bench_split_rank(struct run *run, struct cb_rank *rk);
/* Point i as rank r's group runs it (unequal groups: its size's). */
const struct cb_point *bench_split_point(const struct run *run, int r, size_t i);
bool bench_split_corrupts(const struct run *run, const struct cb_rank *rk);
void bench_split_rank_fini(struct run *run, struct cb_rank *rk);
void bench_split_free(struct run *run);
void bench_split_row(const struct run *run, struct cb_result *res);
/* cb_watch.view (watchdog.h); ctx: the run. */
bool bench_split_watch(const void *ctx, int r, int owner, const struct cb_comm **vc, int *vrank,
		       int *owner_global);

/* bench_exchange.c */
extern const struct exchange bench_threads_exchange, bench_mpi_exchange;
/* MPI: where every rank runs, gathered to rank 0 (which also fills in
 * pl->ranks): rank 0 gets the [nranks] array for the sink (to free), the
 * others NULL. */
struct cb_mpi_rank *bench_mpi_placement(struct run *run, int r);

#endif
