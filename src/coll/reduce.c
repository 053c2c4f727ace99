/* reduce: the root ends with the op over all ranks' inputs.
 * nccl-tests: count = elements, size = count*esize, algbw over size, busbw
 * factor 1. In-place: send == recv. Golden on the root: out[i] = reduced(i);
 * other ranks' output is undefined and not checked. */
#include "collbench/coll.h"

static size_t fill_expected(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	if (c->rank != c->root)
		return 0;
	cb_values_fill_reduced(v, exp, 0, c->n->recv);
	return c->n->recv;
}

const struct cb_coll cb_coll_reduce = {
	.name = "reduce",
	.alias = NULL,
	.nccl_test = "reduce_perf",
	.summary = "the root gets the reduction of all inputs",
	.flags = CB_COLL_ROOT | CB_COLL_REDUCE,
	.traffic = CB_TRAFFIC_ROOT_OUTPUT,
	.busbw_factor = cb_busbw_one,
	.counts = cb_counts_whole,
	.inplace = cb_inplace_same,
	.fill_expected = fill_expected,
};
