/* allreduce "mesh": one phase. Stage my input into scratch, barrier, then
 * every rank reduces all P scratch copies into its output.
 *
 * Iteration safety: double buffer by call parity. Peers read my scratch only
 * between this call's barrier and their next call's barrier; I rewrite this
 * half two calls later, after passing that next call's barrier. */
#include <string.h>

#include "collbench/algo.h"

static void run(struct cb_rank *rk, const struct cb_call *c)
{
	size_t bytes = c->n->send * c->dt->size;
	void *s = comm_scratch(rk);

	memcpy(s, c->send, bytes);
	comm_barrier(rk);
	cb_reduce_from_peers(rk, c, c->recv, s, 0, c->n->recv);
	cb_reduce_finish(c->dt, c->op, c->recv, c->n->recv, rk->nranks);
}

const struct cb_algo cb_algo_allreduce_mesh = {
	.name = "mesh",
	.coll = &cb_coll_allreduce,
	.summary = "one phase: every rank reduces all P inputs (seed baseline)",
	.scratch_bytes = cb_scratch_send,
	.run = run,
};
