/* sendrecv algorithms: rank r sends to r+1, receives from r-1 (mod P).
 * b = count*esize.
 *
 * "pull": stage my buffer into my scratch, barrier, copy my left
 * neighbour's scratch to recv.
 *   Within a call: scratch written before the barrier, read after it.
 *   Across calls: the parity rule (algo.h), one barrier per call.
 *
 * "push": put my buffer into my right neighbour's scratch, barrier, copy my
 * own scratch to recv, purely locally.
 *   Within a call: one writer (the left neighbour) per window, whose put
 *   precedes the owner's copy-out through the barrier. Across calls: the
 *   parity rule; a put into the right neighbour's half in call k follows its
 *   copy-out of that half in call k-2 (done before it arrived at call k-1's
 *   barrier, which I left before call k).
 *
 * Why a full barrier and not only notify-right/wait-left: with one round per
 * call, the neighbour chain (each rank waits on its left) only guarantees
 * that when I start call k my right neighbour has finished call k-P, while
 * the parity double buffer needs it to have finished call k-2 (its reads of
 * the half I am about to rewrite): that holds for P <= 2 only. The barrier
 * gives the parity rule for any P. */
#include "collbench/algo.h"

static void pull(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	char *s = comm_scratch(rk);

	cb_copy(s, c->send, b);
	comm_barrier(rk);
	cb_copy(c->recv, comm_get(rk, s, cb_mod(rk->rank - 1, rk->nranks), b), b);
}

static void push(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	char *s = comm_scratch(rk);

	if (b)
		comm_put(rk, (rk->rank + 1) % rk->nranks, s, c->send, b);
	comm_barrier(rk);
	cb_copy(c->recv, s, b);
}

const struct cb_algo cb_algo_sendrecv_pull = {
	.name = "pull",
	.coll = &cb_coll_sendrecv,
	.summary = "stage, barrier, read the left neighbour's window",
	.scratch_bytes = cb_scratch_send,
	.run = pull,
};

const struct cb_algo cb_algo_sendrecv_push = {
	.name = "push",
	.coll = &cb_coll_sendrecv,
	.summary = "put into the right neighbour's window, barrier, local copy-out",
	.scratch_bytes = cb_scratch_recv,
	.run = push,
};
