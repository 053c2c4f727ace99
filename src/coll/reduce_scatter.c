/* reduce_scatter: rank d ends with block d of the op over all ranks' inputs.
 * nccl-tests: count = elements each rank receives, size = P*count*esize (the
 * send buffer), algbw over size, busbw factor (P-1)/P. In-place: recv =
 * send + r*count. Golden on rank d: out[j] = reduced(d*count + j), the
 * reduction at the global index. */
#include "collbench/coll.h"

static size_t fill_expected(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	cb_values_fill_reduced(v, exp, (size_t)c->rank * c->n->count, c->n->recv);
	return c->n->recv;
}

const struct cb_coll cb_coll_reduce_scatter = {
	.name = "reduce_scatter",
	.alias = "reducescatter",
	.nccl_test = "reduce_scatter_perf",
	.summary = "rank d gets block d of the reduction of all inputs",
	.flags = CB_COLL_REDUCE,
	.busbw_factor = cb_busbw_nm1_over_n,
	.counts = cb_counts_scatter,
	.inplace = cb_inplace_recv_in_send,
	.fill_expected = fill_expected,
};
