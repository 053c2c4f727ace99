/* allreduce "direct": the two-shot schedule read straight out of the ranks'
 * own buffers, no staging. The bench keeps every rank's send and recv
 * buffers inside its window at the same offsets (comm_in_window), so:
 *   barrier B1 (every input is ready);
 *   reduce-scatter: chunk r (cb_chunk) of my recv = op over every rank k of
 *     chunk r of k's send, mine first, then peers ascending;
 *   barrier B2 (every chunk is reduced);
 *   allgather: chunk k of my recv = chunk k of rank k's recv, for k != r;
 *   barrier B3 (no peer still reads my recv when I return, since the caller
 *     may then overwrite it: the next in-place input, a check).
 * Per rank that is 1.5 x S read and 1 x S written against twoshot's
 * staging (about 2.5 x S each way): half the memory traffic for messages
 * that do not fit in cache. Both phases go in SEG-byte pieces, so the
 * accumulating destination stays in L1/L2 while P sources stream past it,
 * and a transport without mapped windows fetches at most SEG per get.
 *
 * Within a call: rank k's send chunk r is read only between B1 and B2, and
 * in place (send == recv) k writes only its own chunk k in that phase, which
 * no peer reads then; k's recv chunk k is read only between B2 and B3, and k
 * writes its other chunks then. Across calls: B1 of the next call and B3 of
 * this one; no scratch half is used. Buffers not in the window (a caller
 * other than the bench, or an offset layout) are a caller's bug
 * (cb_need_window aborts): it never runs "twoshot" under its own name. */
#include "collbench/algo.h"

#define SEG CB_DIRECT_SEG

static size_t seg_elems(size_t es)
{
	return SEG / es;
}

static size_t scratch(const struct cb_counts *n, size_t es, int p)
{
	/* none of its own; twoshot's, which is never less than a piece
	 * (min(SEG, the message)), so a transport's staging buffer (one
	 * half) holds every piece */
	return cb_algo_allreduce_twoshot.scratch_bytes(n, es, p);
}

static void run(struct cb_rank *rk, const struct cb_call *c)
{
	size_t es = c->dt->size, n = c->n->recv, bytes = n * es, m = seg_elems(es), off, len;
	int p = rk->nranks, r = rk->rank;
	const char *send = c->send;
	char *recv = c->recv;

	cb_need_window(rk, c, bytes, bytes, "allreduce direct");
	if (p == 1) {
		cb_copy(recv, send, bytes);
		return;
	}
	comm_barrier(rk);
	cb_chunk(n, p, r, &off, &len);
	for (size_t i = 0; i < len; i += m) {
		size_t e = off + i, k = len - i < m ? len - i : m;
		cb_reduce_from_peers(rk, c, recv + e * es, send, e, k);
		cb_reduce_finish(c->dt, c->op, recv + e * es, k, p);
	}
	comm_barrier(rk);
	for (int d = 1; d < p; d++) {
		int q = (r + d) % p;
		cb_chunk(n, p, q, &off, &len);
		for (size_t i = 0; i < len; i += m) {
			size_t k = len - i < m ? len - i : m;
			char *dst = recv + (off + i) * es;
			cb_copy(dst, comm_get(rk, dst, q, k * es), k * es);
		}
	}
	comm_barrier(rk);
}

const struct cb_algo cb_algo_allreduce_direct = {
	.name = "direct",
	.coll = &cb_coll_allreduce,
	.summary = "two-shot straight from the ranks' own buffers in the window, no staging copy",
	.scratch_bytes = scratch,
	.run = run,
};
