/* "auto": one descriptor per collective whose pick function chooses one of
 * the collective's algorithms by message size (the size column, bytes), by
 * P, and by whether ranks outnumber PUs (cb_where.oversubscribed). The plan
 * asks once per point and half (cb_algo_resolve), records the pick (the
 * row's "ran": auto:direct in the table) and the timed loop runs the pick
 * itself: no choice is made per call. The choice depends only on values
 * every rank shares, so all ranks of a call run the same algorithm.
 *
 * Only applicable candidates are picked: a rule whose algorithm does not
 * apply at the point (cb_algo_applies: ll above CB_LL_MAX_RANKS ranks,
 * alltoall direct in place) is passed over for the next one, so auto never
 * relies on a candidate's own fallback (there are none).
 *
 * Iteration safety: the chosen algorithm's own argument (its file comment).
 * Every candidate but the LL ones (allreduce ll, broadcast eager) runs at
 * least one comm_barrier per call, so the parity rule of algo.h holds
 * across calls; the LL ones touch no scratch half, and every point ends in
 * the closing barrier, so consecutive points may pick any mix
 * (ring-neighbor is never chosen). Scratch: the largest any candidate
 * needs (the plan sizes windows by what each point runs).
 *
 * Crossovers, measured with bench/run.sh on the 2-core development machine
 * (AMD EPYC, KVM, 2 vCPU, 32 MiB L3; see bench/RESULTS.md), float sum:
 *   allreduce       ll (inputs sent inline with the notify) up to one line
 *                   (56 B) with a PU per rank (2-core Xeon, P=2, 8 B: ll
 *                   0.40 us, mesh 0.56-0.75; 64 B: 0.53 vs 0.57; 128 B:
 *                   0.66 vs 0.67); never oversubscribed, where every
 *                   receiver's P-1 waits each risk a sleep (P=4, 8 B: 15.1
 *                   vs 11.7 us; P=8: 35.4 vs 29.1);
 *                   then mesh (one barrier, every rank reduces all inputs) up to
 *                   2 KiB with a PU per rank, 16 KiB oversubscribed (each
 *                   barrier there costs context switches); direct (two-shot
 *                   from the ranks' own buffers, no staging) above. The
 *                   2-core Xeon: P=2 2 KiB mesh 2.02 us, direct 1.94; 4 KiB
 *                   3.16 vs 2.37; 1 MiB direct 161-173 us, twoshot 309-324;
 *                   P=4 16 KiB mesh 26.1, direct 41.1; 64 KiB 68.5 vs 53.6.
 *   broadcast       eager (root sends inline, no barrier) up to CB_LL_BYTES
 *                   (448 B) at every P <= 16 (8 B: P=2 0.25 us vs push
 *                   0.45; P=4 6.3 vs 8.5; P=8 16.6 vs 37.1), then as below.
 *   broadcast, allgather, reduce_scatter, alltoall:
 *                   push up to 2 KiB with a PU per rank, then direct (zero
 *                   copy from the peers' own buffers; P=2 4 KiB allgather
 *                   0.64 us vs push 1.35, 1 MiB reduce_scatter 38 vs 185
 *                   for pipeline, 16 MiB alltoall 4730 vs 7114);
 *                   oversubscribed pull up to 32 KiB (one barrier against
 *                   direct's two: P=4 allgather 16 KiB pull 15.1 us, direct
 *                   19.1), then direct (64 KiB: 24.0 vs 26.4; 1 MiB
 *                   alltoall 303 vs 482).
 *   reduce, gather, scatter, sendrecv: the first algorithm (pull; not tuned,
 *                   not in the benchmark).
 * A rule table per collective: the first rule whose limit is >= the size
 * wins. */
#include <stdint.h>

#include "collbench/algo.h"

struct rule {
	size_t max_bytes;   /* this rule covers sizes <= max_bytes */
	size_t max_bytes_over; /* the same, when oversubscribed */
	const struct cb_algo *algo;
};

#define ANY SIZE_MAX

static const struct rule allreduce_rules[] = {
	{ CB_LL_LINE_BYTES, 0, &cb_algo_allreduce_ll },
	{ 2048, 16384, &cb_algo_allreduce_mesh },
	{ ANY, ANY, &cb_algo_allreduce_direct },
};
static const struct rule broadcast_rules[] = {
	{ CB_LL_BYTES, CB_LL_BYTES, &cb_algo_broadcast_eager },
	{ 2048, 0, &cb_algo_broadcast_push },
	{ 0, 32768, &cb_algo_broadcast_pull },
	{ ANY, ANY, &cb_algo_broadcast_direct },
};
static const struct rule allgather_rules[] = {
	{ 2048, 0, &cb_algo_allgather_push },
	{ 0, 32768, &cb_algo_allgather_pull },
	{ ANY, ANY, &cb_algo_allgather_direct },
};
static const struct rule reduce_scatter_rules[] = {
	{ 2048, 0, &cb_algo_reduce_scatter_push },
	{ 0, 32768, &cb_algo_reduce_scatter_pull },
	{ ANY, ANY, &cb_algo_reduce_scatter_direct },
};
/* In place direct does not apply: pull, as before the plan said so. */
static const struct rule alltoall_rules[] = {
	{ 2048, 32768, &cb_algo_alltoall_push },
	{ ANY, ANY, &cb_algo_alltoall_direct },
	{ ANY, ANY, &cb_algo_alltoall_pull },
};
static const struct rule reduce_rules[] = { { ANY, ANY, &cb_algo_reduce_pull } };
static const struct rule gather_rules[] = { { ANY, ANY, &cb_algo_gather_pull } };
static const struct rule scatter_rules[] = { { ANY, ANY, &cb_algo_scatter_pull } };
static const struct rule sendrecv_rules[] = { { ANY, ANY, &cb_algo_sendrecv_pull } };
/* The v-collectives (vcoll.h): the plain counterpart's table, algorithm
 * for algorithm, so that at --skew 0 a v-row runs what its plain row runs
 * (bench/vskew0.sh compares them); gatherv and scatterv, whose plain
 * forms have no direct: push up to 2 KiB with a PU per rank, else pull.
 * The crossovers are the plain collective's, not measured per skew. */
static const struct rule alltoallv_rules[] = {
	{ 2048, 32768, &cb_algo_alltoallv_push },
	{ ANY, ANY, &cb_algo_alltoallv_direct },
};
static const struct rule allgatherv_rules[] = {
	{ 2048, 0, &cb_algo_allgatherv_push },
	{ 0, 32768, &cb_algo_allgatherv_pull },
	{ ANY, ANY, &cb_algo_allgatherv_direct },
};
static const struct rule reduce_scatterv_rules[] = {
	{ 2048, 0, &cb_algo_reduce_scatterv_push },
	{ 0, 32768, &cb_algo_reduce_scatterv_pull },
	{ ANY, ANY, &cb_algo_reduce_scatterv_direct },
};
#define VRULES(C) static const struct rule C##_rules[] = { \
	{ 2048, 0, &cb_algo_##C##_push }, { ANY, ANY, &cb_algo_##C##_pull } };
VRULES(gatherv)
VRULES(scatterv)
/* One algorithm: auto is there so that "-A auto" covers every collective. */
static const struct rule reduce_local_rules[] = { { ANY, ANY, &cb_algo_reduce_local_local } };

static const struct cb_algo *pick(const struct rule *rules, size_t nrules, const struct cb_where *w)
{
	for (size_t i = 0; i < nrules; i++)
		if (w->n->bytes <= (w->oversubscribed ? rules[i].max_bytes_over : rules[i].max_bytes) &&
		    cb_algo_applies(rules[i].algo, w, NULL, 0))
			return rules[i].algo;
	return NULL;
}

static size_t scratch_max(const struct rule *rules, size_t nrules, const struct cb_counts *n,
			  size_t es, int p)
{
	size_t m = 0;
	for (size_t i = 0; i < nrules; i++) {
		size_t b = rules[i].algo->scratch_bytes(n, es, p);
		m = b > m ? b : m;
	}
	return m;
}

#define AUTO(COLL)                                                                        \
	static const struct cb_algo *COLL##_pick(const struct cb_where *w)                \
	{                                                                                 \
		return pick(COLL##_rules, CB_ARRAY_LEN(COLL##_rules), w);                 \
	}                                                                                 \
	static size_t COLL##_scratch(const struct cb_counts *n, size_t es, int p)         \
	{                                                                                 \
		return scratch_max(COLL##_rules, CB_ARRAY_LEN(COLL##_rules), n, es, p);   \
	}                                                                                 \
	const struct cb_algo cb_algo_##COLL##_auto = {                                    \
		.name = "auto",                                                           \
		.coll = &cb_coll_##COLL,                                                  \
		.summary = "picks an algorithm by size, P and oversubscription (measured crossovers)", \
		.scratch_bytes = COLL##_scratch,                                          \
		.pick = COLL##_pick,                                                      \
	};

AUTO(allreduce)
AUTO(broadcast)
AUTO(allgather)
AUTO(reduce_scatter)
AUTO(alltoall)
AUTO(reduce)
AUTO(gather)
AUTO(scatter)
AUTO(sendrecv)
AUTO(alltoallv)
AUTO(allgatherv)
AUTO(gatherv)
AUTO(scatterv)
AUTO(reduce_scatterv)
AUTO(reduce_local)
