/* "direct" (zero-copy) algorithms of alltoallv, allgatherv and
 * reduce_scatterv: the v-forms of direct.c's, so that at --skew 0 a
 * v-collective has what its plain counterpart has above 2 KiB (pull and
 * push stage every byte once more; bench/vskew0.sh measured plain direct
 * 2-4x faster than v pull/push from 32 KiB). c(k), pre(k), T: vcoll.h.
 *
 * Why it is safe (direct.c's argument, unchanged): the bench keeps every
 * rank's send and recv buffers in its window at the same offsets
 * (comm_reserve_user; the buffers are the largest any rank needs, alike on
 * every rank, so a peer's block lies at the offset I compute from the
 * pattern). Two barriers: B1, every rank's input is ready; then a rank
 * reads peers' send buffers and writes only its own recv; B2, no peer
 * still reads my input when I return (the caller may rewrite it for the
 * next check). Across calls: B2 of this call and B1 of the next; no
 * scratch half is used, so the parity rule has nothing to protect. There
 * is no in-place form (cb_vcoll_applies). Zero-size blocks move nothing;
 * both barriers still run. Reads go in CB_DIRECT_SEG pieces (cb_copy_from,
 * reduce_scatterv by cb_reduce_from_peers per piece), so a transport's
 * staging buffer (pull's scratch, at least one piece) holds each. */
#include "collbench/algo.h"
#include "collbench/vcoll.h"

/* alltoallv: recv block s (at s*c(r)) = c(r) elements at pre(r) of rank
 * s's send, starting with me and going right (as pull). */
static void alltoallv_direct(struct cb_rank *rk, const struct cb_call *c)
{
	size_t C = c->n->count, es = c->dt->size;
	int p = rk->nranks, r = rk->rank;
	size_t b = cb_vcount(C, r, p) * es, off = cb_vprefix(C, r, p) * es;

	cb_need_window(rk, c, c->n->send * es, c->n->recv * es, "alltoallv direct");
	comm_barrier(rk);
	for (int i = 0; b && i < p; i++) {
		int k = (r + i) % p;
		cb_copy_from(rk, (char *)c->recv + (size_t)k * b, (const char *)c->send + off, k, b);
	}
	comm_barrier(rk);
}

/* allgatherv: recv at pre(k) = rank k's c(k) input elements. */
static void allgatherv_direct(struct cb_rank *rk, const struct cb_call *c)
{
	size_t C = c->n->count, es = c->dt->size;
	int p = rk->nranks, r = rk->rank;

	cb_need_window(rk, c, c->n->send * es, c->n->recv * es, "allgatherv direct");
	comm_barrier(rk);
	for (int i = 0; i < p; i++) {
		int k = (r + i) % p;
		size_t b = cb_vcount(C, k, p) * es;
		if (b)
			cb_copy_from(rk, (char *)c->recv + cb_vprefix(C, k, p) * es, c->send, k, b);
	}
	comm_barrier(rk);
}

/* reduce_scatterv: recv = op over ranks k of elements pre(r).. of k's
 * send, in pieces (mine first, then peers ascending: the seed's order). */
static void reduce_scatterv_direct(struct cb_rank *rk, const struct cb_call *c)
{
	size_t C = c->n->count, es = c->dt->size;
	int p = rk->nranks, r = rk->rank;
	size_t n = cb_vcount(C, r, p);
	const char *mine = (const char *)c->send + cb_vprefix(C, r, p) * es;
	char *recv = c->recv;

	cb_need_window(rk, c, c->n->send * es, c->n->recv * es, "reduce_scatterv direct");
	cb_direct_reduce_own(rk, c, recv, mine, n);
}

/* Scratch: none of their own; pull's, never less than one piece. */
#define DSCRATCH(COLL)                                                                \
	static size_t COLL##_direct_scratch(const struct cb_counts *n, size_t es, int p) \
	{                                                                             \
		return cb_algo_##COLL##_pull.scratch_bytes(n, es, p);                 \
	}
DSCRATCH(alltoallv)
DSCRATCH(allgatherv)
DSCRATCH(reduce_scatterv)

VALGO(alltoallv, direct, "barrier, copy my block straight from every rank's send buffer, barrier",
      alltoallv_direct_scratch)
VALGO(allgatherv, direct, "barrier, copy every rank's block straight from its own buffer, barrier",
      allgatherv_direct_scratch)
VALGO(reduce_scatterv, direct, "barrier, reduce my block straight from every rank's send buffer, barrier",
      reduce_scatterv_direct_scratch)
