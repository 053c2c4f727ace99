/* bench.h: run a plan on P rank threads and report each row */
#ifndef COLLBENCH_BENCH_H
#define COLLBENCH_BENCH_H

#include <signal.h>
#include <stdatomic.h>

#include "collbench/inject.h"
#include "collbench/perf.h"
#include "collbench/options.h"
#include "collbench/placement.h"
#include "collbench/plan.h"
#include "collbench/progress.h"
#include "collbench/report.h"

struct cb_bench_io;

/* Where the runner hands what it produces: it calls these (rank 0's
 * thread) and never a printer. cb_bench_io.sink NULL: cb_table_sink
 * (sink.c: the table on io->out, every record into io->rep, the progress
 * line held meanwhile). */
struct cb_sink {
	/* this rank count's placement is final (threads: verified by each
	 * rank; MPI: pl->ranks filled in from mpi); mpi: NULL for threads,
	 * else where each of the pl->nranks MPI ranks runs (gathered to rank
	 * 0); first: the plan's first point (its section opens here) */
	void (*placed)(const struct cb_bench_io *io, const struct cb_options *o,
		       const struct cb_placement *pl, const struct cb_mpi_rank *mpi,
		       const struct cb_point *first);
	/* before point pt's row, or in its place when it is skipped (plan.c);
	 * prev: the previous point's collective, NULL at the first */
	void (*point)(const struct cb_bench_io *io, const struct cb_options *o,
		      const struct cb_point *pt, const struct cb_coll *prev, int nranks);
	/* a finished row's record (copied by the sink if it keeps it) */
	void (*row)(const struct cb_bench_io *io, const struct cb_options *o,
		    const struct cb_result *r);
};
extern const struct cb_sink cb_table_sink;
/* --nccl-compat: nccl-tests' table layout, one section per algorithm */
extern const struct cb_sink cb_nccl_sink;

/* Where one rank count's run reports. */
struct cb_bench_io {
	FILE *out;                 /* the table */
	struct cb_report *rep;     /* every finished row is added here */
	struct cb_progress *prog;  /* NULL: no progress line */
	int count_index, ncounts;  /* this rank count in the -g sweep */
	long cycle;                /* -N: sweep number */
	struct cb_perf_ctl *pctl;  /* --perf-ctl, NULL: none */
	const struct cb_counter_set *ctrs; /* --counters, NULL: none */
	const struct cb_sink *sink; /* NULL: cb_table_sink */
};

/* Set (to the signal number) by main's SIGINT/SIGTERM/SIGHUP/SIGPIPE
 * handler. Rank 0 reads it at the timed loop's checkpoints (about every
 * 0.1 s of a long loop) and at every row boundary; all ranks stop together
 * at the same iteration, run the row's check iterations, and cb_bench_run
 * returns after that row. An atomic (lock-free int: a signal handler may
 * store to it) read with relaxed order: it is a flag that carries no other
 * data, and rank 0's decision reaches the ranks through the barriers. */
extern _Atomic int cb_bench_stop;

static inline int cb_bench_stopped(void)
{
	return atomic_load_explicit(&cb_bench_stop, memory_order_relaxed);
}

/* perf's ack must arrive within this or half of -T, whichever is shorter
 * (else exit CB_EXIT_RESOURCE). */
#define CB_PERF_ACK_MS 10000

/* Per rank and row half, samples of at most this many timed iterations are
 * kept (statistics use the first ones); fewer with many ranks, so that the
 * samples of a run stay below CB_SAMPLES_TOTAL doubles. */
#define CB_SAMPLES_MAX (1L << 20)
#define CB_SAMPLES_TOTAL (1L << 24)

/* Spawns the rank threads; with --roofline measures the copy bandwidth at
 * every size of the plan; prints rows to io->out as they finish and adds
 * them to io->rep; watches for a hang (exits 4 after a report, calling
 * cb_bench_timeout_hook first if set). */
void cb_bench_run(const struct cb_options *o, enum cb_inject inject,
		  struct cb_plan *plan, struct cb_placement *pl, const struct cb_bench_io *io);
extern void (*cb_bench_timeout_hook)(void);

/* The bytes a run of plan allocates and touches in this process: every
 * local rank's window (signal cells, scratch, send and recv buffers) and
 * expected values, and the samples (memcheck.h compares it with what the
 * machine has, before anything is allocated). */
size_t cb_bench_mem_need(const struct cb_options *o, const struct cb_plan *plan, int npus);

/* Copies per rank of the roofline measurement at copy length len. */
long cb_roofline_reps(size_t len);

#endif
