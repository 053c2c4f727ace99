/* allreduce "twophase": mesh reduce-scatter, then mesh allgather. Rank r
 * reduces chunk r (balanced split, so any count and any P) from every peer's
 * scratch into its own scratch, barrier, then every rank copies chunk k from
 * rank k.
 *
 * Within a call: in the reduce phase peers read chunk k != r of my scratch
 * while I write only chunk r. Iteration safety: double buffer by call parity;
 * every peer has finished reading this half before it passes the first
 * barrier of the next call, which I must pass before I rewrite the half. */
#include <string.h>

#include "collbench/algo.h"

static void run(struct cb_rank *rk, const struct cb_call *c)
{
	size_t es = c->dt->size, n = c->n->recv, off, len;
	char *s = comm_scratch(rk);
	int p = rk->nranks;

	memcpy(s, c->send, n * es);
	comm_barrier(rk);
	cb_chunk(n, p, rk->rank, &off, &len);
	cb_reduce_from_peers(rk, c, s + off * es, s, off, len);
	cb_reduce_finish(c->dt, c->op, s + off * es, len, p);
	comm_barrier(rk);
	for (int k = 0; k < p; k++) {
		cb_chunk(n, p, k, &off, &len);
		memcpy((char *)c->recv + off * es, comm_get(rk, s + off * es, k, len * es), len * es);
	}
}

const struct cb_algo cb_algo_allreduce_twophase = {
	.name = "twophase",
	.coll = &cb_coll_allreduce,
	.summary = "mesh reduce-scatter then mesh allgather (two barriers)",
	.scratch_bytes = cb_scratch_send,
	.run = run,
};
