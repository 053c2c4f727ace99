/* barrier: every rank waits until all have arrived (OSU osu_barrier, IMB
 * Barrier). No data: count, size and S are 0, so a row is a latency (the
 * time column; algbw and busbw print 0) and the plan makes one row per
 * datatype whatever -b/-e say (CB_COLL_SIZELESS). Nothing to check: the
 * golden is empty (fill_expected defines 0 elements), so --inject corrupt
 * has nothing to corrupt; a broken barrier shows as a hang (drop-notify,
 * exit 4) or as wrong data in the collectives built on it. No in-place
 * form. */
#include "collbench/coll.h"

static void counts(size_t bytes, size_t esize, int nranks, struct cb_counts *n)
{
	(void)bytes, (void)esize, (void)nranks;
	n->count = n->bytes = n->send = n->recv = n->algbw_bytes = 0;
}

static size_t fill_expected(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	(void)c, (void)v, (void)exp;
	return 0;
}

const struct cb_coll cb_coll_barrier = {
	.name = "barrier",
	.alias = NULL,
	.nccl_test = "barrier_perf",   /* nccl-tests has none: named alike */
	.summary = "every rank waits for all (latency only; size 0)",
	.flags = CB_COLL_SIZELESS,
	.busbw_factor = cb_busbw_one,
	.counts = counts,
	.inplace = cb_inplace_none,
	.fill_expected = fill_expected,
};
