/* sendrecv: rank r sends its buffer to r+1 and receives from r-1 (mod P).
 * nccl-tests: count = elements, size = count*esize, algbw over size, busbw
 * factor 1. No in-place form (the in-place half prints N/A). Golden on rank
 * r: out[i] = in_{r-1}[i]. */
#include "collbench/coll.h"

static size_t fill_expected(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	cb_values_fill_in(v, exp, cb_mod(c->rank - 1, c->nranks), 0, c->n->recv);
	return c->n->recv;
}

const struct cb_coll cb_coll_sendrecv = {
	.name = "sendrecv",
	.alias = NULL,
	.nccl_test = "sendrecv_perf",
	.summary = "rank r sends to r+1 and receives from r-1 (a ring shift)",
	.flags = 0,
	.busbw_factor = cb_busbw_one,
	.counts = cb_counts_whole,
	.inplace = cb_inplace_none,
	.fill_expected = fill_expected,
};
