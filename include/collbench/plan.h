/* plan.h: the cartesian sweep of one rank count, with counts derived once */
#ifndef COLLBENCH_PLAN_H
#define COLLBENCH_PLAN_H

#include "collbench/coll.h"
#include "collbench/options.h"

struct cb_point {
	const struct cb_coll *coll;
	const struct cb_algo *algo;
	const struct cb_dtype *dt;
	const struct cb_redop *op; /* NULL for collectives without a reduction */
	int root;                  /* -1 for collectives without a root */
	struct cb_counts n;
};

struct cb_plan {
	int nranks;
	struct cb_point *points;
	size_t npoints;
	size_t max_send_bytes, max_recv_bytes, max_scratch_bytes;
};

/* Resolve the sweep; usage errors (unknown algorithm, root out of range...)
 * print one line and exit 6. */
void cb_plan_build(struct cb_plan *pl, const struct cb_options *o, int nranks);
void cb_plan_free(struct cb_plan *pl);

/* -g grammar: N, auto, A:B (A, 2A, 4A... up to B), A:B:+S (step S),
 * A:B:*F (factor F >= 2), or a list N,N,... Every count in 1..CB_MAX_RANKS,
 * none twice, at most CB_MAX_RANKS counts; auto gives the single count 0.
 * Returns 0, or -1 with *why set (no printing). */
int cb_rank_sweep_parse(const char *s, int *counts, int *n, const char **why);

#endif
