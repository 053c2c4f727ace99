/* plan.h: the cartesian sweep of one rank count, with counts derived once */
#ifndef COLLBENCH_PLAN_H
#define COLLBENCH_PLAN_H

#include "collbench/coll.h"
#include "collbench/options.h"
#include "collbench/split.h"

/* Why a point or half does not run: the phrase after "not applicable". */
#define CB_WHY_LEN 96

struct cb_point {
	const struct cb_coll *coll;
	const struct cb_algo *algo; /* what was asked for (-A) */
	const struct cb_dtype *dt;
	const struct cb_redop *op; /* NULL for collectives without a reduction */
	int root;                  /* -1 for collectives without a root */
	struct cb_counts n;
	/* What executes per half (0 out-of-place, 1 in-place): algo itself,
	 * auto's pick, or NULL: the half does not run (no in-place form, or
	 * algo does not apply there; why[h] says which). ran[0] NULL: the
	 * point is skipped, reported as a comment line in the table only. */
	const struct cb_algo *ran[2];
	char why[2][CB_WHY_LEN];
	/* Print the in-place note (why[1]) before this row: the first point of
	 * its collective and algorithm in the plan whose in-place half does
	 * not apply. */
	bool note_inplace;
	/* Unequal --split groups whose picks differ from this point's (group
	 * 0's): ";<size>:<ran>" per such size, for the record's "ran" and the
	 * label; "" otherwise. */
	char alt_ran[CB_WHY_LEN];
};

static inline bool cb_point_skipped(const struct cb_point *pt)
{
	return pt->ran[0] == NULL;
}

/* What ran, as the record's "ran" field: the executed algorithm's name, or
 * "<out-of-place>/<in-place>" when the halves ran different ones (auto's
 * alltoall in place). Writes into buf, returns it. */
const char *cb_point_ran(const struct cb_point *pt, char *buf, size_t cap);
/* The table's algo column: the name asked for, and for a chooser its pick
 * after a colon (auto:direct). */
const char *cb_point_label(const struct cb_point *pt, char *buf, size_t cap);

struct cb_plan {
	int nranks;
	/* --split (split.h): points are planned for groups of group_ranks
	 * (counts, roots, applicability, scratch); ngroups of them run at
	 * once. Without a split: nranks and 1. */
	int group_ranks, ngroups;
	/* Unequal groups: the other sizes (split.h), and for each the points
	 * planned for it, index for index with points[] (the same sweep with
	 * that size's counts, picks and scratch). A point runs only where it
	 * applies at every size, each half likewise: points[] carries the
	 * verdict for all (cb_point_skipped, ran[1]). */
	char *group_sizes;   /* "3, 1": every group's size, in group order */
	int least_ranks;     /* the smallest group's size: -r's range */
	int nalt;
	int alt_ranks[CB_SPLIT_MAX_ALT];
	struct cb_point *alt_points[CB_SPLIT_MAX_ALT];
	/* Bytes at the end of every window's user area: --cold-cache's
	 * rotating buffer sets (coldcache.h), then the groups' signal cells. */
	size_t cold_bytes, split_bytes;
	struct cb_point *points;
	size_t npoints;   /* skipped points included (cb_point_skipped) */
	size_t nskipped;
	enum cb_barrier_kind barrier;   /* the kind comm_barrier runs (cb_where) */
	size_t max_send_bytes, max_recv_bytes, max_scratch_bytes;  /* -u's shift included */
	size_t unalign;   /* -u: send and recv start this many elements past their page */
};

/* Point i of group size k: points[] for k = -1, alt_points[k] for k in
 * 0..nalt-1 (a loop from -1 visits every size's points). */
static inline const struct cb_point *cb_plan_size_point(const struct cb_plan *pl, int k, size_t i)
{
	return k < 0 ? &pl->points[i] : &pl->alt_points[k][i];
}

/* Point i as a group of gsize ranks runs it (--split; group_ranks or one
 * of alt_ranks). */
static inline const struct cb_point *cb_plan_point(const struct cb_plan *pl, size_t i, int gsize)
{
	int k = 0;
	while (k < pl->nalt && pl->alt_ranks[k] != gsize)
		k++;
	return cb_plan_size_point(pl, k < pl->nalt ? k : -1, i);
}

/* Resolve the sweep over nranks ranks on npus PUs (auto's crossovers
 * depend on oversubscription); usage errors (unknown algorithm, root out of
 * range...) print one line and exit 6. Every point's algorithm is asked
 * where it applies (cb_algo_resolve); points where it does not are kept,
 * marked skipped, so the table can say so in place. */
void cb_plan_build(struct cb_plan *pl, const struct cb_options *o, int nranks, int npus);
/* Exit 5 (unsupported) with one line when no point of any plan applies. */
void cb_plans_check_runnable(const struct cb_plan *plans, int n);
void cb_plan_free(struct cb_plan *pl);

/* -g grammar: N, auto, A:B (A, 2A, 4A... up to B), A:B:+S (step S),
 * A:B:*F (factor F >= 2), or a list N,N,... Every count in 1..CB_MAX_RANKS,
 * none twice, at most CB_MAX_RANKS counts; auto gives the single count 0.
 * Returns 0, or -1 with *why set (no printing). */
int cb_rank_sweep_parse(const char *s, int *counts, int *n, const char **why);

#endif
