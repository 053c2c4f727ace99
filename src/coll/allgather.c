/* allgather: every rank ends with every rank's block, in rank order.
 * nccl-tests: count = elements each rank sends, size = P*count*esize (the
 * recv buffer), algbw over size, busbw factor (P-1)/P. In-place: send =
 * recv + r*count. Golden: out[k*count + j] = in_k[j] on every rank. */
#include "collbench/coll.h"

static size_t fill_expected(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	size_t b = c->n->count * c->dt->size;
	for (int k = 0; k < c->nranks; k++)
		cb_values_fill_in(v, (char *)exp + (size_t)k * b, k, 0, c->n->count);
	return c->n->recv;
}

const struct cb_coll cb_coll_allgather = {
	.name = "allgather",
	.alias = "all_gather",
	.nccl_test = "all_gather_perf",
	.summary = "every rank gets every rank's block, in rank order",
	.flags = 0,
	.busbw_factor = cb_busbw_nm1_over_n,
	.counts = cb_counts_gather,
	.inplace = cb_inplace_send_in_recv,
	.fill_expected = fill_expected,
};
