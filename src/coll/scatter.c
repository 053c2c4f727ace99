/* scatter: rank d ends with block d of the root's buffer.
 * nccl-tests: count = elements each rank receives, size = P*count*esize,
 * algbw over size, busbw factor (P-1)/P. In-place: recv = send + r*count
 * (every rank has a P*count send buffer; non-roots' is ignored). Golden on
 * rank d: out[j] = in_root[d*count + j]. */
#include "collbench/coll.h"

static size_t fill_expected(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	cb_values_fill_in(v, exp, c->root, (size_t)c->rank * c->n->count, c->n->recv);
	return c->n->recv;
}

const struct cb_coll cb_coll_scatter = {
	.name = "scatter",
	.alias = NULL,
	.nccl_test = "scatter_perf",
	.summary = "rank d gets block d of the root's buffer",
	.flags = CB_COLL_ROOT,
	.traffic = CB_TRAFFIC_ROOT_INPUT,
	.busbw_factor = cb_busbw_nm1_over_n,
	.counts = cb_counts_scatter,
	.inplace = cb_inplace_recv_in_send,
	.fill_expected = fill_expected,
};
