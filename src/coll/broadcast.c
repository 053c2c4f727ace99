/* broadcast: every rank ends with the root's buffer.
 * nccl-tests: count = elements, size = count*esize, algbw over size, busbw
 * factor 1. In-place: send == recv. Every rank fills its send buffer with its
 * own values (non-roots' are ignored, and differ from the root's, so reading
 * the wrong rank shows). Golden: out[i] = in_root[i]. */
#include "collbench/coll.h"

static size_t fill_expected(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	cb_values_fill_in(v, exp, c->root, 0, c->n->recv);
	return c->n->recv;
}

const struct cb_coll cb_coll_broadcast = {
	.name = "broadcast",
	.alias = "bcast",
	.nccl_test = "broadcast_perf",
	.summary = "every rank gets the root's buffer",
	.flags = CB_COLL_ROOT,
	.traffic = CB_TRAFFIC_ROOT_INPUT,
	.busbw_factor = cb_busbw_one,
	.counts = cb_counts_whole,
	.inplace = cb_inplace_same,
	.fill_expected = fill_expected,
};
