/* reduce algorithms (to any root). N = count.
 *
 * "pull": every rank stages its input into its scratch, barrier, then the
 * root reduces all P scratch copies (its own first, then peers ascending)
 * into recv. Non-roots leave recv alone (undefined output).
 *   Within a call: scratch written before the barrier, only read after it.
 *   Across calls: the parity rule (algo.h), one barrier per call.
 *
 * "twophase": mesh reduce-scatter then gather to the root. Stage, barrier;
 * rank k reduces chunk k (balanced split, cb_chunk) of every scratch into
 * chunk k of its own scratch; barrier; the root copies chunk k from rank k.
 * The reduction work is spread over all ranks instead of the root alone.
 *   Within a call: in the reduce phase peers read chunk j != k of rank k's
 *   scratch while rank k writes only chunk k; the second barrier orders
 *   those writes before the root's reads. Across calls: the parity rule
 *   (two barriers per call, the first one suffices). */
#include "collbench/algo.h"

static void pull(struct cb_rank *rk, const struct cb_call *c)
{
	size_t n = c->n->count;
	char *s = comm_scratch(rk);

	cb_copy(s, c->send, n * c->dt->size);
	comm_barrier(rk);
	if (rk->rank == c->root) {
		cb_reduce_from_peers(rk, c, c->recv, s, 0, n);
		cb_reduce_finish(c->dt, c->op, c->recv, n, rk->nranks);
	}
}

static void twophase(struct cb_rank *rk, const struct cb_call *c)
{
	size_t es = c->dt->size, n = c->n->count, off, len;
	int p = rk->nranks;
	char *s = comm_scratch(rk);

	cb_copy(s, c->send, n * es);
	comm_barrier(rk);
	cb_chunk(n, p, rk->rank, &off, &len);
	cb_reduce_from_peers(rk, c, s + off * es, s, off, len);
	cb_reduce_finish(c->dt, c->op, s + off * es, len, p);
	comm_barrier(rk);
	if (rk->rank != c->root)
		return;
	for (int i = 0; i < p; i++) {
		int k = (rk->rank + i) % p;
		cb_chunk(n, p, k, &off, &len);
		cb_copy((char *)c->recv + off * es, comm_get(rk, s + off * es, k, len * es), len * es);
	}
}

const struct cb_algo cb_algo_reduce_pull = {
	.name = "pull",
	.coll = &cb_coll_reduce,
	.summary = "stage, barrier, the root reduces all P inputs",
	.scratch_bytes = cb_scratch_send,
	.run = pull,
};

const struct cb_algo cb_algo_reduce_twophase = {
	.name = "twophase",
	.coll = &cb_coll_reduce,
	.summary = "mesh reduce-scatter, barrier, the root gathers the reduced chunks",
	.scratch_bytes = cb_scratch_send,
	.run = twophase,
};
