/* alltoall algorithms. C = count (elements per peer), b = C*esize; block d
 * of the input is meant for rank d.
 *
 * "pull" (seed 000, 3 phases): stage the whole input into my scratch
 * (block d at slot d), barrier, then copy slot r of every rank k's scratch
 * into block k of recv (self included).
 *   Within a call: scratch written before the barrier, only read after it.
 *   Across calls: the parity rule (algo.h), one barrier per call. In-place
 *   (send == recv): the whole input is staged before recv is written.
 *
 * "push" (seed 003, 2 phases): put block d of my input into slot r of rank
 * d's scratch (self: a local write), barrier, then copy my scratch to recv,
 * purely locally. Each slot has exactly one writer.
 *   Within a call: all puts into a window precede its owner's copy-out (the
 *   owner leaves the barrier only after every writer arrived), and the input
 *   is only read. Across calls (seed hazard 3, which the seed kernel had):
 *   the parity rule; a put into d's half in call k follows d's copy-out of
 *   it in call k-2 (done before d arrived at call k-1's barrier, which I
 *   left before call k) and precedes d's copy-out of call k (after call k's
 *   barrier, which d leaves only once my puts are done). In-place: every
 *   put reads the input before the barrier, recv is written after it. */
#include "collbench/algo.h"

static void pull(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	int p = rk->nranks, r = rk->rank;
	char *s = comm_scratch(rk);

	cb_copy(s, c->send, (size_t)p * b);
	comm_barrier(rk);
	cb_pull_blocks(rk, c->recv, s, (size_t)r * b, b);
}

static void push(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	int p = rk->nranks;
	char *s = comm_scratch(rk);

	cb_push_blocks(rk, s, c->send, b, 1);
	comm_barrier(rk);
	cb_copy(c->recv, s, (size_t)p * b);
}

const struct cb_algo cb_algo_alltoall_pull = {
	.name = "pull",
	.coll = &cb_coll_alltoall,
	.summary = "3 phases: stage by destination, barrier, read slot r everywhere (seed 000)",
	.scratch_bytes = cb_scratch_send,
	.run = pull,
};

const struct cb_algo cb_algo_alltoall_push = {
	.name = "push",
	.coll = &cb_coll_alltoall,
	.summary = "2 phases: put block d into slot r of rank d, barrier, local copy-out (seed 003)",
	.scratch_bytes = cb_scratch_recv,
	.run = push,
};
