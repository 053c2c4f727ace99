/* "direct" algorithms of the data-movement collectives: zero copy. The
 * bench keeps every rank's send and recv buffers in its window at the same
 * offsets (comm_reserve_user), so a rank reads a peer's input where the
 * peer wrote it, and the only copy is into its own output: no staging into
 * scratch (pull) or into the peers' windows (push). Each has two barriers:
 *   B1: every rank's input is ready;  ... reads of peers' inputs ...
 *   B2: no peer still reads my input when I return (the caller may then
 *       rewrite it: the next check's input, an in-place layout).
 * Within a call a rank writes only its own recv, and reads peers' send
 * buffers (or, in place, the part of their recv that holds their input,
 * which their owner does not write in that call). Across calls: B2 of this
 * call and B1 of the next; no scratch half is used. Reads go in SEG pieces
 * (cb_copy_from), so a transport without mapped windows fetches at most SEG
 * at a time. Buffers outside the window are a caller's bug (cb_need_window
 * aborts); in-place alltoall, whose output overwrites the input peers read,
 * is outside the domain (alltoall_applies): the plan reports that half N/A
 * instead of timing "pull" under this name. */
#include <stdio.h>

#include "collbench/algo.h"

/* allgather: block k of my recv = rank k's input; in place (send = recv +
 * r*b) rank k's input is block k of its recv, the same offset as my block k. */
static void allgather(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	int p = rk->nranks, r = rk->rank;
	char *recv = c->recv;
	int inplace = (const char *)c->send == recv + (size_t)r * b;

	cb_need_window(rk, c, b, (size_t)p * b, "allgather direct");
	comm_barrier(rk);
	for (int i = 0; i < p; i++) {
		int k = (r + i) % p;
		cb_copy_from(rk, recv + (size_t)k * b, inplace ? recv + (size_t)k * b : c->send, k, b);
	}
	comm_barrier(rk);
}

/* reduce_scatter: my recv = op over ranks k of block r of k's send (the
 * send buffer is at the same offset in place too: recv = send + r*b). */
static void reduce_scatter(struct cb_rank *rk, const struct cb_call *c)
{
	size_t n = c->n->count, es = c->dt->size, b = n * es;
	int p = rk->nranks, r = rk->rank;
	const char *mine = (const char *)c->send + (size_t)r * b;
	char *recv = c->recv;

	cb_need_window(rk, c, (size_t)p * b, b, "reduce_scatter direct");
	cb_direct_reduce_own(rk, c, recv, mine, n);
}

/* broadcast: my recv = the root's input (send == recv in place, the same
 * offset on every rank). */
static void broadcast(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;

	cb_need_window(rk, c, b, b, "broadcast direct");
	comm_barrier(rk);
	cb_copy_from(rk, c->recv, c->send, c->root, b);
	comm_barrier(rk);
}

/* alltoall: block k of my recv = block r of rank k's send. */
static void alltoall(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	int p = rk->nranks, r = rk->rank;
	char *recv = c->recv;

	cb_need_window(rk, c, (size_t)p * b, (size_t)p * b, "alltoall direct");
	/* (0 bytes: the empty buffers may share an address; nothing moves) */
	if (b && (const void *)c->send == (const void *)c->recv)
		cb_algo_misuse(rk, "alltoall direct (in place)", (size_t)p * b);
	comm_barrier(rk);
	for (int i = 0; i < p; i++) {
		int k = (r + i) % p;
		cb_copy_from(rk, recv + (size_t)k * b, (const char *)c->send + (size_t)r * b, k, b);
	}
	comm_barrier(rk);
}

/* Scratch: none of their own; pull's, which is never less than one piece
 * (at most a block), so a transport's staging buffer (one half) holds
 * every piece. */
#define SCRATCH(NAME, FALLBACK)                                                       \
	static size_t NAME##_scratch(const struct cb_counts *n, size_t es, int p)     \
	{                                                                             \
		return FALLBACK.scratch_bytes(n, es, p);                              \
	}
SCRATCH(allgather, cb_algo_allgather_pull)
SCRATCH(reduce_scatter, cb_algo_reduce_scatter_pull)
SCRATCH(broadcast, cb_algo_broadcast_pull)
SCRATCH(alltoall, cb_algo_alltoall_pull)

static bool alltoall_applies(const struct cb_where *w, char *why, size_t cap)
{
	if (w->inplace) {
		snprintf(why, cap, "in place (its output overwrites the input peers read)");
		return false;
	}
	return true;
}

const struct cb_algo cb_algo_allgather_direct = {
	.name = "direct",
	.coll = &cb_coll_allgather,
	.summary = "barrier, copy every rank's block straight from its own buffer, barrier",
	.scratch_bytes = allgather_scratch,
	.run = allgather,
};

const struct cb_algo cb_algo_reduce_scatter_direct = {
	.name = "direct",
	.coll = &cb_coll_reduce_scatter,
	.summary = "barrier, reduce my block straight from every rank's send buffer, barrier",
	.scratch_bytes = reduce_scatter_scratch,
	.run = reduce_scatter,
};

const struct cb_algo cb_algo_broadcast_direct = {
	.name = "direct",
	.coll = &cb_coll_broadcast,
	.summary = "barrier, copy straight from the root's buffer, barrier",
	.scratch_bytes = broadcast_scratch,
	.run = broadcast,
};

const struct cb_algo cb_algo_alltoall_direct = {
	.name = "direct",
	.coll = &cb_coll_alltoall,
	.summary = "barrier, copy block r straight from every rank's send buffer, barrier",
	.scratch_bytes = alltoall_scratch,
	.applies = alltoall_applies,
	.run = alltoall,
};
