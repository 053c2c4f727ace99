/* gather algorithms (to any root). C = count (elements per rank), b = C*esize.
 *
 * "pull": every rank stages its block into its scratch, barrier, then the
 * root copies block k from rank k's scratch (self included).
 *   Within a call: scratch written before the barrier, only read after it.
 *   Across calls: the parity rule (algo.h), one barrier per call.
 *
 * "push": every rank puts its block into slot r of the root's scratch,
 * barrier, then the root copies its scratch to recv, purely locally.
 *   Within a call: one writer per slot, all puts precede the root's
 *   copy-out through the barrier. Across calls: the parity rule; a put into
 *   the root's half in call k follows the root's copy-out of it in call k-2
 *   (done before the root arrived at call k-1's barrier, which I left before
 *   call k). In-place (send = recv + r*b): send is read before the barrier,
 *   the root writes recv after it. */
#include "collbench/algo.h"

static void pull(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	int r = rk->rank;
	char *s = comm_scratch(rk);

	cb_copy(s, c->send, b);
	comm_barrier(rk);
	if (r != c->root)
		return;
	cb_pull_blocks(rk, c->recv, s, 0, b);
}

static void push(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	int p = rk->nranks, r = rk->rank;
	char *s = comm_scratch(rk);

	if (b)
		comm_put(rk, c->root, s + (size_t)r * b, c->send, b);
	comm_barrier(rk);
	if (r == c->root)
		cb_copy(c->recv, s, (size_t)p * b);
}

const struct cb_algo cb_algo_gather_pull = {
	.name = "pull",
	.coll = &cb_coll_gather,
	.summary = "stage my block, barrier, the root reads every rank's block",
	.scratch_bytes = cb_scratch_send,
	.run = pull,
};

const struct cb_algo cb_algo_gather_push = {
	.name = "push",
	.coll = &cb_coll_gather,
	.summary = "put my block into slot r of the root's window, barrier, root copies out",
	.scratch_bytes = cb_scratch_recv,
	.run = push,
};
