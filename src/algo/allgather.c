/* allgather algorithms. C = count (elements per rank), b = C*esize.
 *
 * "pull" (seed allgather): stage my block into my scratch, barrier, then
 * copy block k from rank k's scratch for every k (self included), starting
 * at my own rank so that ranks do not all read rank 0 first.
 *   Within a call: scratch is written only before the barrier and read only
 *   after it. Across calls: the parity rule (algo.h), one barrier per call.
 *
 * "push": put my block into slot r of every rank's scratch (self: a local
 * write), barrier ("my puts are done"), then copy my whole scratch to recv,
 * purely locally. Each slot has exactly one writer (rank r writes slot r).
 *   Within a call: all puts into a window precede its owner's copy-out,
 *   since the owner leaves the barrier only after every writer arrived.
 *   Across calls: the parity rule; a put into d's half in call k can race
 *   neither d's reads of that half in call k-2 (finished before d arrived at
 *   the barrier of call k-1, which I left before starting call k) nor d's
 *   copy-out of call k (after the barrier I arrive at only once my puts are
 *   done). In-place (send = recv + r*b): send is read before the barrier,
 *   recv written after it. */
#include "collbench/algo.h"

static void pull(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	char *s = comm_scratch(rk);

	cb_copy(s, c->send, b);
	comm_barrier(rk);
	cb_pull_blocks(rk, c->recv, s, 0, b);
}

static void push(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	int p = rk->nranks;
	char *s = comm_scratch(rk);

	cb_push_blocks(rk, s, c->send, b, 0);
	comm_barrier(rk);
	cb_copy(c->recv, s, (size_t)p * b);
}

const struct cb_algo cb_algo_allgather_pull = {
	.name = "pull",
	.coll = &cb_coll_allgather,
	.summary = "stage my block, barrier, read every rank's block (seed)",
	.scratch_bytes = cb_scratch_send,
	.run = pull,
};

const struct cb_algo cb_algo_allgather_push = {
	.name = "push",
	.coll = &cb_coll_allgather,
	.summary = "put my block into slot r of every window, barrier, local copy-out",
	.scratch_bytes = cb_scratch_recv,
	.run = push,
};
