/* algo.h: helpers shared by algorithm implementations */
#ifndef COLLBENCH_ALGO_H
#define COLLBENCH_ALGO_H

#include "collbench/coll.h"

/* Ring schedule (SEED_ALGORITHMS.md): in reduce-scatter step s (1..P-1) rank
 * r adds its left neighbour's chunk r-s-1 into its own; in allgather step s
 * it copies the left neighbour's chunk r-s. */
static inline int cb_ring_rs_chunk(int rank, int step, int nranks)
{
	return cb_mod(rank - step - 1, nranks);
}

static inline int cb_ring_ag_chunk(int rank, int step, int nranks)
{
	return cb_mod(rank - step, nranks);
}

/* dst[0:len] = op over all ranks k of scratch@k[off:off+len], starting with
 * my own and then peers in ascending rank order (the seed's order). */
void cb_reduce_from_peers(struct cb_rank *rk, const struct cb_call *c,
			  void *dst, const void *scratch, size_t off, size_t len);

size_t cb_scratch_recv(const struct cb_counts *n, size_t esize, int nranks);
size_t cb_scratch_send(const struct cb_counts *n, size_t esize, int nranks);

#endif
