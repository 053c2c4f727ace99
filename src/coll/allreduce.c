/* allreduce: every rank ends with the op over all ranks' inputs.
 * nccl-tests: count = elements per rank, size = count * esize, algbw over
 * size, busbw factor 2(P-1)/P. In-place: send == recv. */
#include "collbench/coll.h"

static size_t fill_expected(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	cb_values_fill_reduced(v, exp, 0, c->n->recv);
	return c->n->recv;
}

const struct cb_coll cb_coll_allreduce = {
	.name = "allreduce",
	.alias = "all_reduce",
	.nccl_test = "all_reduce_perf",
	.summary = "every rank gets the reduction of all inputs",
	.flags = CB_COLL_REDUCE,
	.busbw_factor = cb_busbw_allreduce,
	.counts = cb_counts_whole,
	.inplace = cb_inplace_same,
	.fill_expected = fill_expected,
};
