/* reduce_local's algorithm. "local": recv = A op B with the (dtype, op)
 * kernel, then cb_reduce_finish for two operands (avg halves).
 *
 * Why it is safe: a rank touches only its own send and recv buffers, no
 * window, no scratch and no peer, so there is nothing for back-to-back
 * calls to race on (the parity rule of algo.h has no half to protect and
 * seed hazard 3 cannot arise); ranks run concurrently and contend only for
 * memory bandwidth, which is what the row measures. The row's time is the
 * ranks' combined mean as for every collective (-a). */
#include <stdio.h>

#include "collbench/algo.h"

static void local(struct cb_rank *rk, const struct cb_call *c)
{
	size_t C = c->n->count;
	(void)rk;
	if (!C)
		return;
	cb_reduce_kernel(c->dt, c->op)(c->recv, c->send,
				       (const char *)c->send + C * c->dt->size, C);
	cb_reduce_finish(c->dt, c->op, c->recv, C, 2);
}

static size_t no_scratch(const struct cb_counts *n, size_t es, int p)
{
	(void)n, (void)es, (void)p;
	return 0;
}

/* mulsum premultiplies each rank's whole input by the rank's scalar (the
 * bench does, as part of the call): here both operands are one rank's, so
 * the result would be s*(A+B), not the scheme's 1*A + 2*B. */
static bool not_mulsum(const struct cb_where *w, char *why, size_t cap)
{
	if (w->op && w->op->id == CB_OP_MULSUM) {
		snprintf(why, cap, "with mulsum (a per-rank premultiplication; both operands are one rank's)");
		return false;
	}
	return true;
}

const struct cb_algo cb_algo_reduce_local_local = {
	.name = "local",
	.coll = &cb_coll_reduce_local,
	.summary = "every rank: recv = A op B with the reduction kernel, no communication",
	.scratch_bytes = no_scratch,
	.applies = not_mulsum,
	.run = local,
};
