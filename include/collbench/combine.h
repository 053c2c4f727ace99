/* combine.h: rank 0's combination of what every rank left after a row half
 * into that half of the row's record. A pure function of its inputs (no
 * threads, no clocks, no I/O), so the arithmetic of -a 0..3, the
 * per-iteration times, percentiles, the straggler, #wrong and E is unit
 * tested without running ranks (test/unit_combine.c). The runner
 * (bench.c) fills the slots and samples and calls it after the row's
 * closing exchange. */
#ifndef COLLBENCH_COMBINE_H
#define COLLBENCH_COMBINE_H

#include <stdbool.h>
#include <stdint.h>

#include "collbench/report.h"

/* What each rank leaves for rank 0 after a row half. Plain bytes: the MPI
 * exchange gathers them as such (every process runs the same binary). */
struct cb_half_slot {
	double mean_us;
	double start_ns;       /* timed loop start, ns since the run's base */
	long long first_bad;   /* first check iteration with a wrong element, -1 none */
	long long bad_count;   /* wrong elements in that iteration */
	long iters;            /* timed iterations run (-n, or --duration's count) */
	uint64_t yield_slow;   /* slow yields in the timed loop (comm.c) */
	uint64_t yield_paused; /* its waits that slept, the yield stage paused */
	bool ctr_ok[CB_MAX_COUNTERS];  /* --counters over the timed loop */
	double ctr[CB_MAX_COUNTERS];
};

struct cb_combine {
	int nranks;
	long average;          /* -a: 0 rank 0's mean, 1 average, 2 min, 3 max */
	long blocking;         /* -z: 3 = samples are call durations, not ends */
	bool checked;          /* -c > 0 (else wrong is -1: not checked) */
	const struct cb_counter_set *ctrs;  /* --counters, NULL: none */
	const struct cb_half_slot *slots;   /* [nranks][2]: slots[2 r + h] */
	const double *samples; /* [nranks][2][nsamples]: iteration ends (ns
				* since a base every rank shares), or call
				* durations under -z 3 */
	long nsamples;
	double *comb, *means;  /* scratch: [nsamples], [nranks] */
	long agg;              /* -m: calls per timed iteration (0 taken as 1) */
	long skip;             /* -K: leading samples left out of the statistics */
	bool keep_times;       /* -I 1: copy the per-iteration times into the half */
	bool per_process;      /* ranks are processes (MPI): an iteration's time
				* is the longest of the ranks' own times of it */
};

/* Half h of a row: time (per -a), bandwidths, #wrong (the wrong elements
 * of the first failing check iteration, summed over the ranks that failed
 * in it), busy-machine counts and counters summed over ranks, the
 * per-iteration statistics and the straggler, and E from min_bytes and
 * copy_bw (0: not measured). Iteration i of the collective is complete
 * when its last rank finishes it: its time is the latest end of i minus
 * the latest end of i-1 (the latest start for i = 0); under -z 3 the
 * longest call. With per_process (MPI) it is the longest of the ranks' own
 * times of i (nccl-tests' rule; -I 1 keeps every rank's times in
 * proc_times_us). Sets out->present. */
void cb_combine_half(const struct cb_combine *c, int h, const struct cb_point *pt,
		     double min_bytes, double copy_bw, struct cb_half *out);

#endif
