/* reduce_local (IMB Reduce_local): every rank alone reduces two vectors
 * of its own, out = A op B, with the same kernels the reducing collectives
 * use: the compute roof under them, per datatype and op. No communication.
 * count = bytes/esize elements of the output; size = count*esize; algbw's
 * S = size, busbw factor 1, so busbw = bytes reduced (output bytes) per
 * second, shown next to the roofline's copy bandwidth (copybw) of the same
 * buffers. The send buffer holds A then B (2*count); no in-place form.
 *
 * Values: the scheme of verify.h for two ranks, whatever P is (A = rank
 * 0's input, B = rank 1's, the golden their reduction), so every dtype and
 * op is exact as for a two-rank allreduce; the iteration is the run's. */
#include "collbench/coll.h"

static void counts(size_t bytes, size_t esize, int nranks, struct cb_counts *n)
{
	(void)nranks;
	n->count = bytes / esize;
	n->bytes = n->algbw_bytes = n->count * esize;
	n->send = 2 * n->count;
	n->recv = n->count;
}

static void two(const struct cb_values *v, struct cb_values *v2)
{
	cb_values_init(v2, v->dt, v->op, 2, v->iter);
}

static void fill_input(const struct cb_call *c, const struct cb_values *v)
{
	struct cb_values v2;
	size_t C = c->n->count;
	two(v, &v2);
	cb_values_fill_in(&v2, (void *)c->send, 0, 0, C);
	cb_values_fill_in(&v2, (char *)c->send + C * c->dt->size, 1, 0, C);
}

static size_t fill_expected(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	struct cb_values v2;
	two(v, &v2);
	cb_values_fill_reduced(&v2, exp, 0, c->n->count);
	return c->n->count;
}

const struct cb_coll cb_coll_reduce_local = {
	.name = "reduce_local",
	.alias = NULL,
	.nccl_test = "reduce_local_perf",   /* nccl-tests has none: named alike */
	.summary = "every rank alone: out = A op B (the reduction kernel's throughput)",
	.flags = CB_COLL_REDUCE,
	.busbw_factor = cb_busbw_one,
	.counts = counts,
	.inplace = cb_inplace_none,
	.fill_input = fill_input,
	.fill_expected = fill_expected,
};
