/* gather: the root ends with every rank's block, in rank order.
 * nccl-tests: count = elements each rank sends, size = P*count*esize, algbw
 * over size, busbw factor (P-1)/P. In-place: send = recv + r*count (every
 * rank has a P*count recv buffer). Golden on the root: out[k*count + j] =
 * in_k[j]; other ranks' output is undefined and not checked. */
#include "collbench/coll.h"

static size_t fill_expected(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	size_t b = c->n->count * c->dt->size;
	if (c->rank != c->root)
		return 0;
	for (int k = 0; k < c->nranks; k++)
		cb_values_fill_in(v, (char *)exp + (size_t)k * b, k, 0, c->n->count);
	return c->n->recv;
}

const struct cb_coll cb_coll_gather = {
	.name = "gather",
	.alias = NULL,
	.nccl_test = "gather_perf",
	.summary = "the root gets every rank's block, in rank order",
	.flags = CB_COLL_ROOT,
	.traffic = CB_TRAFFIC_ROOT_OUTPUT,
	.busbw_factor = cb_busbw_nm1_over_n,
	.counts = cb_counts_gather,
	.inplace = cb_inplace_send_in_recv,
	.fill_expected = fill_expected,
};
