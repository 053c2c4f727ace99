/* allreduce "ring": chunked reduce-scatter then allgather, 2(P-1) rounds,
 * a barrier before each round, reading the left neighbour's chunk in place
 * (no exchange buffer: seed hazard 4).
 *
 * Within a call: in a round I write chunk r-s-1 (RS) or r-s (AG) of my
 * scratch while my right neighbour reads chunk r-s (RS) or r-s+1 (AG) of it;
 * the barrier before the next round keeps us in the same round.
 * Iteration safety: double buffer by call parity; a peer's last read of my
 * half precedes its first barrier of the next call, which I pass before I
 * rewrite the half two calls later. */
#include <string.h>

#include "collbench/algo.h"

static void run(struct cb_rank *rk, const struct cb_call *c)
{
	cb_reduce_fn add = cb_reduce_kernel(c->dt, c->op);
	size_t es = c->dt->size, n = c->n->recv, off, len;
	int p = rk->nranks, r = rk->rank, left = cb_mod(r - 1, p);
	char *s = comm_scratch(rk);

	memcpy(s, c->send, n * es);
	for (int step = 1; step < p; step++) {
		cb_chunk(n, p, cb_ring_rs_chunk_of(rk, step), &off, &len);
		comm_barrier(rk);
		add(s + off * es, s + off * es, comm_get(rk, s + off * es, left, len * es), len);
	}
	cb_chunk(n, p, r, &off, &len);
	cb_reduce_finish(c->dt, c->op, s + off * es, len, p);
	for (int step = 1; step < p; step++) {
		cb_chunk(n, p, cb_ring_ag_chunk(r, step, p), &off, &len);
		comm_barrier(rk);
		memcpy(s + off * es, comm_get(rk, s + off * es, left, len * es), len * es);
	}
	memcpy(c->recv, s, n * es);
}

const struct cb_algo cb_algo_allreduce_ring = {
	.name = "ring",
	.coll = &cb_coll_allreduce,
	.summary = "ring reduce-scatter + allgather, 2(P-1) rounds, barrier per round",
	.scratch_bytes = cb_scratch_send,
	.run = run,
};
