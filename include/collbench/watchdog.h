/* watchdog.h: the main thread's watch over the rank threads of one run
 * (bench.c): the progress line, and after -T seconds without progress a
 * hang report on stderr and exit CB_EXIT_TIMEOUT. */
#ifndef COLLBENCH_WATCHDOG_H
#define COLLBENCH_WATCHDOG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "collbench/comm.h"
#include "collbench/plan.h"
#include "collbench/progress.h"

struct cb_watch {
	const struct cb_plan *plan;
	struct cb_comm *comm;       /* the ranks' states and windows */
	struct cb_progress *prog;   /* NULL: no progress line */
	FILE *out;                  /* the table: flushed before a hang report */
	double timeout;             /* -T seconds, 0: no hang detection */
	bool mpi;                   /* one rank per process (transport.h) */
	int first, nlocal;          /* the ranks this process runs */
	_Atomic int *finished;      /* ranks done (each adds 1, release) */
	const clockid_t *clk;       /* [nlocal] the rank threads' CPU clocks; NULL under MPI */
	/* --split (bench_split.c), NULL: none. Rank r's group view (*vc) and
	 * its rank there (*vrank), whose own state records the waits inside
	 * the group's calls (they count as progress and are reported), and
	 * the global rank of the view's rank owner (-1: none). False: r is in
	 * no view. */
	bool (*view)(const void *ctx, int r, int owner, const struct cb_comm **vc, int *vrank,
		     int *owner_global);
	const void *view_ctx;
};

/* Returns when every local rank finished. Progress is a rank's progress
 * counter moving (waits, iterations, first touch, roofline copies), or a
 * rank thread in none of its waits using CPU time (it computes). A hang:
 * the report, then hook (if set), then _exit(CB_EXIT_TIMEOUT) without
 * joining threads that may be blocked forever. */
void cb_watchdog(const struct cb_watch *w, void (*hook)(void));

#endif
