/* broadcast algorithms, any root. b = count*esize.
 *
 * "pull" (seed broadcast, any root): the root stages its buffer into its
 * scratch, barrier (every rank takes part), then every non-root copies the
 * root's scratch; the root copies its own input (nothing in-place).
 *   Within a call: the root's scratch is written before the barrier and read
 *   after it. Across calls: the parity rule (algo.h), one barrier per call.
 *
 * "push": the root puts its buffer into every non-root's scratch, barrier,
 * then each non-root copies its own scratch to recv, purely locally.
 *   Within a call: each window has one writer (the root), whose puts precede
 *   the owner's copy-out through the barrier. Across calls: the parity rule;
 *   a put into d's half in call k follows d's copy-out of that half in call
 *   k-2 (done before d arrived at call k-1's barrier, which the root left
 *   before call k) and precedes d's copy-out in call k (after the barrier). */
#include "collbench/algo.h"

static void pull(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	char *s = comm_scratch(rk);

	if (rk->rank == c->root) {
		cb_copy(s, c->send, b);
		comm_barrier(rk);
		cb_copy(c->recv, c->send, b);
	} else {
		comm_barrier(rk);
		cb_copy(c->recv, comm_get(rk, s, c->root, b), b);
	}
}

static void push(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	int p = rk->nranks, r = rk->rank;
	char *s = comm_scratch(rk);

	if (r == c->root) {
		if (b)
			for (int i = 1; i < p; i++)
				comm_put(rk, (r + i) % p, s, c->send, b);
		cb_copy(c->recv, c->send, b);
		comm_barrier(rk);
	} else {
		comm_barrier(rk);
		cb_copy(c->recv, s, b);
	}
}

const struct cb_algo cb_algo_broadcast_pull = {
	.name = "pull",
	.coll = &cb_coll_broadcast,
	.summary = "root stages, barrier, every rank reads the root's window (seed)",
	.scratch_bytes = cb_scratch_send,
	.run = pull,
};

const struct cb_algo cb_algo_broadcast_push = {
	.name = "push",
	.coll = &cb_coll_broadcast,
	.summary = "root puts into every rank's window, barrier, local copy-out",
	.scratch_bytes = cb_scratch_recv,
	.run = push,
};
