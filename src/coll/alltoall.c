/* alltoall: block d of rank r's input goes to block r of rank d's output.
 * nccl-tests: count = elements per peer, size = P*count*esize, algbw over
 * size, busbw factor (P-1)/P. In-place: send == recv. Golden on rank r:
 * out[k*count + j] = in_k[r*count + j]. */
#include "collbench/coll.h"

static size_t fill_expected(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	size_t C = c->n->count, b = C * c->dt->size;
	for (int k = 0; k < c->nranks; k++)
		cb_values_fill_in(v, (char *)exp + (size_t)k * b, k, (size_t)c->rank * C, C);
	return c->n->recv;
}

const struct cb_coll cb_coll_alltoall = {
	.name = "alltoall",
	.alias = "all_to_all",
	.nccl_test = "alltoall_perf",
	.summary = "block d of every rank's input goes to rank d",
	.flags = 0,
	.busbw_factor = cb_busbw_nm1_over_n,
	.counts = cb_counts_alltoall,
	.inplace = cb_inplace_same,
	.fill_expected = fill_expected,
};
