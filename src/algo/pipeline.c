/* "pipeline" algorithms of allgather, alltoall, reduce_scatter and
 * broadcast: the "pull" schedule (stage, barrier, read peers' windows) run
 * in segments through two segment buffers of the window, so that the staged
 * copy stays in cache and large messages cost about the compulsory DRAM
 * traffic instead of a full extra copy through memory.
 *
 * C = elements per block (count); a block is cut into pieces of m elements
 * (m chosen so that the P pieces of a segment are about SEG bytes). Segment
 * j holds piece j of every block the rank contributes:
 *   allgather:      my one block;          buf slot 0
 *   alltoall:       block d of my input;   buf slot d (piece of m elements)
 *   reduce_scatter: block d of my input;   buf slot d
 *   broadcast:      the root's buffer, pieces of about SEG bytes, slot 0
 * Iteration j: stage segment j into buf[j%2]; barrier B_j; read (copy or
 * reduce) what I need of segment j from every rank's buf[j%2] into recv.
 *
 * Within a call: rank x writes buf[j%2] after leaving B_{j-1} and before
 * arriving at B_j; peers read it after leaving B_j and before arriving at
 * B_{j+1}; x next writes it (segment j+2) after leaving B_{j+1}, which no
 * rank leaves before every peer arrived, i.e. finished its reads of j. Two
 * buffers suffice because every segment has its own barrier. In place
 * (allgather send = recv + r*C, alltoall send = recv, reduce_scatter recv =
 * send + r*C, broadcast root send = recv): the output written in iteration
 * j is piece j of blocks whose piece j was staged before B_j; later pieces
 * are neither read from recv nor written before their own stage.
 * Across calls: the parity rule (algo.h): at least one barrier per call
 * (a zero count still runs one segment), all buffers in the call's half. */
#include "collbench/algo.h"

#define SEG ((size_t)256 << 10)

static size_t nsegs(size_t C, size_t m)
{
	return C ? (C + m - 1) / m : 1;
}

/* Piece length in elements for P pieces per segment: a block shorter than
 * two pieces goes in one segment, so the two buffers never exceed the
 * message (2*m <= C whenever there are two segments or more). */
static size_t piece(size_t es, int p, size_t C)
{
	size_t m = SEG / es / (size_t)p;
	m -= m % 16;
	if (!m)
		m = 1;
	return C < 2 * m ? (C ? C : 1) : m;
}

static size_t scratch_blocks(const struct cb_counts *n, size_t es, int p)
{
	size_t m = piece(es, p, n->count);
	return (nsegs(n->count, m) > 1 ? 2 : 1) * (size_t)p * m * es;
}

/* Broadcast: pieces of the whole buffer, about SEG bytes. */
static size_t piece_bcast(size_t es, size_t N)
{
	return piece(es, 1, N);
}

static size_t scratch_bcast(const struct cb_counts *n, size_t es, int p)
{
	size_t m = piece_bcast(es, n->count);
	(void)p;
	return (nsegs(n->count, m) > 1 ? 2 : 1) * m * es;
}

#define PIECE(j, m, C) ((C) - (j) * (m) < (m) ? (C) - (j) * (m) : (m))

static void allgather(struct cb_rank *rk, const struct cb_call *c)
{
	size_t es = c->dt->size, C = c->n->count, m = piece(es, rk->nranks, C);
	size_t ns = nsegs(C, m);
	char *s = comm_scratch(rk), *recv = c->recv;
	const char *send = c->send;
	int p = rk->nranks;

	for (size_t j = 0; j < ns; j++) {
		size_t pl = C ? PIECE(j, m, C) : 0;
		char *b = s + (j & 1) * (size_t)p * m * es;
		cb_copy(b, send + j * m * es, pl * es);
		comm_barrier(rk);
		for (int i = 0; i < p; i++) {
			int k = (rk->rank + i) % p;
			cb_copy(recv + ((size_t)k * C + j * m) * es, comm_get(rk, b, k, pl * es), pl * es);
		}
	}
}

/* Stage piece j of each of the P blocks of send into slots of b. */
static void stage_blocks(const struct cb_rank *rk, char *b, const char *send, size_t C,
			 size_t j, size_t m, size_t pl, size_t es)
{
	for (int d = 0; d < rk->nranks; d++)
		cb_copy(b + (size_t)d * m * es, send + ((size_t)d * C + j * m) * es, pl * es);
}

static void alltoall(struct cb_rank *rk, const struct cb_call *c)
{
	size_t es = c->dt->size, C = c->n->count, m = piece(es, rk->nranks, C);
	size_t ns = nsegs(C, m);
	char *s = comm_scratch(rk), *recv = c->recv;
	int p = rk->nranks, r = rk->rank;

	for (size_t j = 0; j < ns; j++) {
		size_t pl = C ? PIECE(j, m, C) : 0;
		char *b = s + (j & 1) * (size_t)p * m * es;
		stage_blocks(rk, b, c->send, C, j, m, pl, es);
		comm_barrier(rk);
		for (int i = 0; i < p; i++) {
			int k = (r + i) % p;
			cb_copy(recv + ((size_t)k * C + j * m) * es,
				comm_get(rk, b + (size_t)r * m * es, k, pl * es), pl * es);
		}
	}
}

static void reduce_scatter(struct cb_rank *rk, const struct cb_call *c)
{
	size_t es = c->dt->size, C = c->n->count, m = piece(es, rk->nranks, C);
	size_t ns = nsegs(C, m);
	char *s = comm_scratch(rk), *recv = c->recv;
	int p = rk->nranks, r = rk->rank;

	for (size_t j = 0; j < ns; j++) {
		size_t pl = C ? PIECE(j, m, C) : 0;
		char *b = s + (j & 1) * (size_t)p * m * es;
		stage_blocks(rk, b, c->send, C, j, m, pl, es);
		comm_barrier(rk);
		cb_reduce_from_peers(rk, c, recv + j * m * es, b, (size_t)r * m, pl);
		cb_reduce_finish(c->dt, c->op, recv + j * m * es, pl, p);
	}
}

static void broadcast(struct cb_rank *rk, const struct cb_call *c)
{
	size_t es = c->dt->size, N = c->n->count, m = piece_bcast(es, N), ns = nsegs(N, m);
	char *s = comm_scratch(rk), *recv = c->recv;
	const char *send = c->send;
	int root = c->root, me = rk->rank == root;

	for (size_t j = 0; j < ns; j++) {
		size_t pl = N ? PIECE(j, m, N) : 0;
		char *b = s + (j & 1) * m * es;
		if (me)
			cb_copy(b, send + j * m * es, pl * es);
		comm_barrier(rk);
		cb_copy(recv + j * m * es, me ? send + j * m * es : comm_get(rk, b, root, pl * es),
			pl * es);
	}
}

const struct cb_algo cb_algo_allgather_pipeline = {
	.name = "pipeline",
	.coll = &cb_coll_allgather,
	.summary = "pull in 256 KiB segments through two window buffers (cache-resident staging)",
	.scratch_bytes = scratch_blocks,
	.run = allgather,
};

const struct cb_algo cb_algo_alltoall_pipeline = {
	.name = "pipeline",
	.coll = &cb_coll_alltoall,
	.summary = "pull in 256 KiB segments through two window buffers (cache-resident staging)",
	.scratch_bytes = scratch_blocks,
	.run = alltoall,
};

const struct cb_algo cb_algo_reduce_scatter_pipeline = {
	.name = "pipeline",
	.coll = &cb_coll_reduce_scatter,
	.summary = "pull in 256 KiB segments through two window buffers (cache-resident staging)",
	.scratch_bytes = scratch_blocks,
	.run = reduce_scatter,
};

const struct cb_algo cb_algo_broadcast_pipeline = {
	.name = "pipeline",
	.coll = &cb_coll_broadcast,
	.summary = "pull in 256 KiB segments through two window buffers (cache-resident staging)",
	.scratch_bytes = scratch_bcast,
	.run = broadcast,
};
