/* algo.h: helpers shared by algorithm implementations.
 *
 * THE PARITY RULE (iteration safety across calls, seed hazard 3). Call k of
 * a rank touches, in any window (its own by plain access, a peer's through
 * comm_remote/comm_put), only half k%2 of the data area (comm_scratch()).
 * If every call of an algorithm executes at least one comm_barrier on every
 * rank, then every access to a half in call k happens before every access to
 * the same half in call k+2, whoever makes them: rank x's call-k accesses
 * precede x's arrival at a barrier of call k+1, and rank y enters call k+2
 * only after leaving that barrier, which no rank leaves before all have
 * arrived (release notifies, acquire waits). Pushes are covered too: a put
 * into peer d's half in call k+2 comes after d's reads and local copy-out of
 * that half in call k (d finished them before arriving at call k+1's
 * barrier). Within one call, each algorithm argues its own phase order; a
 * rank never reads or writes a peer's send/recv buffers, only windows.
 * The one algorithm without a per-call barrier (allreduce ring-neighbor)
 * states its own argument. */
#ifndef COLLBENCH_ALGO_H
#define COLLBENCH_ALGO_H

#include <string.h>

#include "collbench/coll.h"

/* memcpy that does nothing for dst == src (in-place layouts) or n == 0. */
static inline void cb_copy(void *dst, const void *src, size_t n)
{
	if (n && dst != src)
		memcpy(dst, src, n);
}

/* Pull: block k of dst (b bytes) = the b bytes at src_off in rank k's
 * scratch, for every rank k, starting with me and going right (so ranks do
 * not all read rank 0 first). */
void cb_pull_blocks(const struct cb_rank *rk, void *dst, const char *scratch,
		    size_t src_off, size_t b);
/* Push: put b bytes into slot r (my rank) of every rank d's scratch, from
 * src, or from block d of src when per_dest. */
void cb_push_blocks(const struct cb_rank *rk, char *scratch, const void *src,
		    size_t b, int per_dest);

/* Ring schedule (SEED_ALGORITHMS.md): in reduce-scatter step s (1..P-1) rank
 * r adds its left neighbour's chunk r-s-1 into its own; in allgather step s
 * it copies the left neighbour's chunk r-s. */
static inline int cb_ring_rs_chunk(int rank, int step, int nranks)
{
	return cb_mod(rank - step - 1, nranks);
}

/* The reduce-scatter chunk a rank really uses: shifted by one under
 * --inject ring-off-by-one. */
static inline int cb_ring_rs_chunk_of(const struct cb_rank *rk, int step)
{
	int shift = cb_fault_chunk_shift(rk);
	return cb_mod(cb_ring_rs_chunk(rk->rank, step, rk->nranks) + shift, rk->nranks);
}

static inline int cb_ring_ag_chunk(int rank, int step, int nranks)
{
	return cb_mod(rank - step, nranks);
}

/* dst[0:len] = op over all ranks k of scratch@k[off:off+len], starting with
 * my own and then peers in ascending rank order (the seed's order). */
void cb_reduce_from_peers(struct cb_rank *rk, const struct cb_call *c,
			  void *dst, const void *scratch, size_t off, size_t len);

/* Zero-copy reads (the "direct" algorithms): dst = the n bytes at the
 * offset of local (in my window) in peer's window, fetched in CB_DIRECT_SEG
 * pieces, so that a transport's staging buffer holds one. */
#define CB_DIRECT_SEG ((size_t)64 << 10)
void cb_copy_from(const struct cb_rank *rk, void *dst, const void *local, int peer, size_t n);
/* The direct reduce-scatters' body (plain and v): barrier, dst[0:n] = op
 * over ranks k of the n elements at mine's offset in k's window, in
 * CB_DIRECT_SEG pieces, barrier. The opening barrier: every send is
 * written; the closing one: no rank rewrites its send while a peer reads. */
void cb_direct_reduce_own(struct cb_rank *rk, const struct cb_call *c, char *dst,
			  const char *mine, size_t n);

/* Applicability of the LL algorithms (allreduce ll, broadcast eager):
 * messages up to CB_LL_BYTES, windows with LL slots (P <= CB_LL_MAX_RANKS). */
bool cb_ll_applies(const struct cb_where *w, char *why, size_t cap);

/* A run function called outside its domain (the plan never does that): one
 * line on stderr and abort(), never a silent substitute. */
__attribute__((noreturn)) void cb_algo_misuse(const struct cb_rank *rk, const char *algo,
					      size_t bytes);

/* The zero-copy ("direct") algorithms read peers' send/recv buffers in
 * place: the bench keeps them in the window at the same offsets
 * (comm_reserve_user). Anything else is a caller's bug: cb_algo_misuse. */
static inline void cb_need_window(const struct cb_rank *rk, const struct cb_call *c,
				  size_t send_b, size_t recv_b, const char *algo)
{
	if (!comm_in_window(rk, c->send, send_b) || !comm_in_window(rk, c->recv, recv_b))
		cb_algo_misuse(rk, algo, recv_b);
}

size_t cb_scratch_recv(const struct cb_counts *n, size_t esize, int nranks);
size_t cb_scratch_send(const struct cb_counts *n, size_t esize, int nranks);

#endif
