/* bench.h: run a plan on P rank threads and report each row */
#ifndef COLLBENCH_BENCH_H
#define COLLBENCH_BENCH_H

#include "collbench/inject.h"
#include "collbench/options.h"
#include "collbench/placement.h"
#include "collbench/plan.h"
#include "collbench/report.h"

/* Spawns the rank threads, prints rows to out as they finish, watches for a
 * hang (exits 4 after a report), and adds the rows to s. */
void cb_bench_run(const struct cb_options *o, enum cb_inject inject,
		  struct cb_plan *plan, struct cb_placement *pl, FILE *out,
		  struct cb_summary *s);

#endif
