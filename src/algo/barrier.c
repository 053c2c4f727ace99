/* barrier algorithms: the barrier kinds of comm.c (--barrier), one per
 * algorithm, whatever --barrier says for the rest of the run.
 *
 * "mesh": every rank notifies every other, then waits for every other.
 * "dissemination": ceil(log2 P) rounds of one notify and one wait.
 * "central": one arrival counter on rank P-1, the last arrival releases
 *   all (needs mapped windows: threads or MPI shared windows; over MPI RMA
 *   windows it does not apply rather than run as another kind).
 * "auto": a chooser like every auto: it picks the kind comm_barrier runs in
 *   this plan (cb_where.barrier, from comm_barrier_runs: --barrier, whose
 *   auto is central from 4 ranks per PU, else mesh up to 8 ranks,
 *   dissemination above; central without mapped windows runs as mesh or
 *   dissemination), so its row names the kind that ran (auto:central).
 *
 * Why it is safe: the call is one barrier and touches no scratch, so the
 * parity rule (algo.h) has nothing to protect, and back-to-back calls of
 * any mix of kinds cannot confuse each other: each kind counts on its own
 * cells and epochs (mesh: the barrier row's per-peer counters; dissemination:
 * its round cells and barrier_epoch; central: its arrival and release cells
 * and central_epoch), and every rank runs the same kind in the same call
 * (the plan is the same everywhere), so every counter still advances by
 * exactly one per barrier of its kind on every rank. */
#include <stdio.h>

#include "collbench/algo.h"

static void mesh(struct cb_rank *rk, const struct cb_call *c)
{
	(void)c;
	comm_barrier_kind(rk, CB_BARRIER_MESH);
}

static void dissemination(struct cb_rank *rk, const struct cb_call *c)
{
	(void)c;
	comm_barrier_kind(rk, CB_BARRIER_DISSEMINATION);
}

static void central(struct cb_rank *rk, const struct cb_call *c)
{
	(void)c;
	comm_barrier_kind(rk, CB_BARRIER_CENTRAL);
}

static size_t no_scratch(const struct cb_counts *n, size_t es, int p)
{
	(void)n, (void)es, (void)p;
	return 0;
}

static bool everywhere(const struct cb_where *w, char *why, size_t cap)
{
	(void)w, (void)why, (void)cap;
	return true;
}

static bool mapped(const struct cb_where *w, char *why, size_t cap)
{
	if (w->rma) {
		snprintf(why, cap, "over MPI RMA windows (central needs mapped windows)");
		return false;
	}
	return true;
}

#define BARRIER(NAME, FN, APPLIES, PICK, SUMMARY)           \
	const struct cb_algo cb_algo_barrier_##NAME = {     \
		.name = #NAME,                              \
		.coll = &cb_coll_barrier,                   \
		.summary = SUMMARY,                         \
		.scratch_bytes = no_scratch,                \
		.applies = APPLIES,                         \
		.pick = PICK,                               \
		.run = FN,                                  \
	};

static const struct cb_algo *chosen(const struct cb_where *w);

BARRIER(mesh, mesh, everywhere, NULL, "every rank notifies and waits for every other")
BARRIER(dissemination, dissemination, everywhere, NULL, "ceil(log2 P) rounds: notify r+2^k, wait for r-2^k")
BARRIER(central, central, mapped, NULL, "one arrival counter, the last arrival releases all")
BARRIER(auto, NULL, everywhere, chosen, "the kind --barrier picks (auto: central from 4 ranks per PU, else mesh up to 8, dissemination above)")

/* Indexed by enum cb_barrier_kind. */
static const struct cb_algo *const kinds[] = {
	[CB_BARRIER_MESH] = &cb_algo_barrier_mesh,
	[CB_BARRIER_DISSEMINATION] = &cb_algo_barrier_dissemination,
	[CB_BARRIER_CENTRAL] = &cb_algo_barrier_central,
};

static const struct cb_algo *chosen(const struct cb_where *w)
{
	return kinds[w->barrier];
}
