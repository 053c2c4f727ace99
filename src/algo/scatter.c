/* scatter algorithms (from any root). C = count (elements per rank),
 * b = C*esize; block d of the root's input goes to rank d.
 *
 * "pull": the root stages its whole input into its scratch, barrier, then
 * rank d copies slot d of the root's scratch (the root copies its own block
 * from its input; in-place, recv = send + r*b, that is a no-op).
 *   Within a call: the root's scratch is written before the barrier and
 *   read after it. Across calls: the parity rule (algo.h).
 *
 * "push": the root puts block d into rank d's scratch, barrier, then every
 * non-root copies its scratch to recv, purely locally.
 *   Within a call: one writer (the root) per window, its puts precede the
 *   owner's copy-out through the barrier. Across calls: the parity rule; a
 *   put into d's half in call k follows d's copy-out of it in call k-2 (done
 *   before d arrived at call k-1's barrier, which the root left before
 *   call k). */
#include "collbench/algo.h"

static void pull(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	int p = rk->nranks, r = rk->rank;
	char *s = comm_scratch(rk);

	if (r == c->root) {
		cb_copy(s, c->send, (size_t)p * b);
		comm_barrier(rk);
		cb_copy(c->recv, (const char *)c->send + (size_t)r * b, b);
	} else {
		comm_barrier(rk);
		cb_copy(c->recv, comm_get(rk, s + (size_t)r * b, c->root, b), b);
	}
}

static void push(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	int p = rk->nranks, r = rk->rank;
	char *s = comm_scratch(rk);

	if (r == c->root) {
		if (b)
			for (int i = 1; i < p; i++) {
				int d = (r + i) % p;
				comm_put(rk, d, s, (const char *)c->send + (size_t)d * b, b);
			}
		cb_copy(c->recv, (const char *)c->send + (size_t)r * b, b);
		comm_barrier(rk);
	} else {
		comm_barrier(rk);
		cb_copy(c->recv, s, b);
	}
}

const struct cb_algo cb_algo_scatter_pull = {
	.name = "pull",
	.coll = &cb_coll_scatter,
	.summary = "root stages all blocks, barrier, rank d reads block d",
	.scratch_bytes = cb_scratch_send,
	.run = pull,
};

const struct cb_algo cb_algo_scatter_push = {
	.name = "push",
	.coll = &cb_coll_scatter,
	.summary = "root puts block d into rank d's window, barrier, local copy-out",
	.scratch_bytes = cb_scratch_recv,
	.run = push,
};
