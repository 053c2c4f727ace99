/* reduce_scatter algorithms. C = count (elements each rank receives),
 * b = C*esize; the input has P blocks of C, block d is reduced onto rank d.
 *
 * "pull" (seed reduce_scatter): stage the whole input into my scratch,
 * barrier, then reduce block r of every rank's scratch (mine first, then
 * peers ascending) straight into recv.
 *   Within a call: scratch written before the barrier, only read after it.
 *   Across calls: the parity rule (algo.h), one barrier per call.
 *
 * "ring": the reduce-scatter half of the ring allreduce, P-1 rounds with a
 * barrier before each. In step s rank r adds its left neighbour's block
 * r-s-1 into its own block r-s-1 (reading the neighbour's scratch in place,
 * no exchange buffer: seed hazard 4); after step P-1 block r holds the full
 * reduction, and the last step writes it straight into recv.
 *   Within a call: in a round I write my block r-s-1 while my right
 *   neighbour reads my block r-s; the barrier before each round keeps all
 *   ranks in the same round. Across calls: the parity rule.
 *   Why a second algorithm, and why this one: it is the bandwidth-optimal
 *   schedule (each rank reads (P-1)/P of the input from one neighbour only,
 *   instead of every rank hitting all P windows at once), it has P-1
 *   dependent rounds instead of one, and it reduces in ring order rather
 *   than ascending order, so it tests both the synchronisation of a
 *   pipelined schedule and the order independence of the golden.
 *
 * "push": put block d of my input into slot r of rank d's scratch, barrier,
 * then reduce my P slots locally (ascending slot order) into recv. All
 * remote traffic is writes, the reduction reads only local memory.
 *   Within a call: every slot has one writer, and all puts into a window
 *   precede its owner's reduction (the owner leaves the barrier only after
 *   every writer arrived). Across calls: the parity rule; a put into d's
 *   half in call k cannot race d's reads of it in call k-2 (done before d
 *   arrived at call k-1's barrier, which I left before call k) nor d's
 *   reduction in call k (after the barrier). In-place (recv = send + r*b):
 *   the whole input is read before the barrier, recv written after it. */
#include "collbench/algo.h"

static void pull(struct cb_rank *rk, const struct cb_call *c)
{
	size_t C = c->n->count, es = c->dt->size;
	char *s = comm_scratch(rk);

	cb_copy(s, c->send, c->n->send * es);
	comm_barrier(rk);
	cb_reduce_from_peers(rk, c, c->recv, s, (size_t)rk->rank * C, C);
	cb_reduce_finish(c->dt, c->op, c->recv, C, rk->nranks);
}

static void ring(struct cb_rank *rk, const struct cb_call *c)
{
	cb_reduce_fn add = cb_reduce_kernel(c->dt, c->op);
	size_t C = c->n->count, b = C * c->dt->size;
	int p = rk->nranks, r = rk->rank, left = cb_mod(r - 1, p);
	char *s = comm_scratch(rk);

	cb_copy(s, c->send, (size_t)p * b);
	if (p == 1) {
		/* No barrier is needed with one rank. */
		cb_copy(c->recv, s, b);
	}
	for (int step = 1; step < p; step++) {
		char *mine = s + (size_t)cb_ring_rs_chunk_of(rk, step) * b;
		comm_barrier(rk);
		if (C)
			add(step == p - 1 ? c->recv : mine, mine, comm_get(rk, mine, left, b), C);
	}
	cb_reduce_finish(c->dt, c->op, c->recv, C, p);
}

static void push(struct cb_rank *rk, const struct cb_call *c)
{
	cb_reduce_fn add = cb_reduce_kernel(c->dt, c->op);
	size_t C = c->n->count, b = C * c->dt->size;
	int p = rk->nranks;
	char *s = comm_scratch(rk);

	cb_push_blocks(rk, s, c->send, b, 1);
	comm_barrier(rk);
	if (!C)
		return;
	if (p == 1)
		cb_copy(c->recv, s, b);
	for (int k = 1; k < p; k++)
		add(c->recv, k == 1 ? s : c->recv, s + (size_t)k * b, C);
	cb_reduce_finish(c->dt, c->op, c->recv, C, p);
}

const struct cb_algo cb_algo_reduce_scatter_pull = {
	.name = "pull",
	.coll = &cb_coll_reduce_scatter,
	.summary = "stage all blocks, barrier, reduce my block from every rank (seed)",
	.scratch_bytes = cb_scratch_send,
	.run = pull,
};

const struct cb_algo cb_algo_reduce_scatter_ring = {
	.name = "ring",
	.coll = &cb_coll_reduce_scatter,
	.summary = "ring: P-1 rounds, add the left neighbour's block, barrier per round",
	.scratch_bytes = cb_scratch_send,
	.run = ring,
};

const struct cb_algo cb_algo_reduce_scatter_push = {
	.name = "push",
	.coll = &cb_coll_reduce_scatter,
	.summary = "put block d into slot r of rank d, barrier, reduce my slots locally",
	.scratch_bytes = cb_scratch_send,
	.run = push,
};
