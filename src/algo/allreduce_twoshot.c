/* allreduce "twoshot": the two-shot schedule of "twophase" (direct
 * reduce-scatter, then direct allgather), pipelined in segments of SEG bytes
 * through a ring of NB = 3 segment buffers in the window, so that the
 * scratch traffic stays in cache and DRAM sees only the compulsory traffic
 * (read the input, write the output) at any message size.
 *
 * Segment j (elements [j*m, min(n, (j+1)*m)), m = SEG/esize) uses buffer
 * j%3 of my scratch. Iteration j of the loop:
 *   stage seg j of my input into buf[j%3];  barrier B_j;
 *   reduce chunk r of seg j (cb_chunk split, all P buffers) into my own
 *     buf[j%3] chunk r, and copy it into my recv;
 *   copy-out seg j-1: chunk k (k != r) from rank k's buf[(j-1)%3].
 * then a last barrier B_n and the copy-out of seg n-1. One barrier per
 * segment plus one: B_{j+1} both publishes seg j's reduced chunks and seg
 * j+1's staged inputs. A message of at most one segment is exactly
 * "twophase" (two barriers); so is any message under 3 segments, which
 * keeps the scratch within the message size.
 *
 * Within a call (W = write, R = read of rank x's buf[j%3]):
 *  - x writes buf[j%3] (stage) after leaving B_{j-1} and before B_j; peers
 *    read its chunk y (reduce, y = the reader) after B_j and before B_{j+1};
 *    x writes its own chunk x (reduced) between B_j and B_{j+1}, a chunk no
 *    peer reads before B_{j+1}; peers read chunk x (copy-out) after B_{j+1}
 *    and before they arrive at B_{j+2}.
 *  - the buffer is next written by x for segment j+3, after x leaves
 *    B_{j+2}, which needs every peer to have arrived at B_{j+2}, i.e. to have
 *    finished every read of seg j. Hence three buffers (two would let the
 *    stage of j+2, after B_{j+1}, race the copy-out of j).
 *  - in place (send == recv): seg j of the input is staged before any
 *    output of seg j (or of a later segment) is written; earlier segments'
 *    outputs are never read again.
 * Across calls: the parity rule (algo.h); every call runs at least two
 * barriers, and all buffers lie in the call's parity half. */
#include <string.h>

#include "collbench/algo.h"

#define NB 3

/* Segment bytes: big enough that the 2+ barriers per segment stay cheap next
 * to the copy (oversubscribed barriers cost a context switch each, so the
 * segment grows with P), small enough that NB segments of the window plus
 * the in/out working set stay in a 2 MiB L2 (P <= 2 PUs) or the LLC. */
static size_t seg_bytes(int p)
{
	size_t s = (size_t)256 << 10;
	if (p > 2)
		s *= (size_t)(p / 2);
	return s;
}

static size_t seg_elems(size_t es, int p)
{
	size_t m = seg_bytes(p) / es;
	m -= m % ((size_t)p * 16);   /* whole 64-byte lines per chunk, most types */
	return m ? m : (size_t)p;
}

static size_t scratch(const struct cb_counts *n, size_t es, int p)
{
	size_t m = seg_elems(es, p);
	if (n->recv < NB * m)
		return n->recv * es;   /* one segment: never more than the message */
	return NB * m * es;
}

static void run(struct cb_rank *rk, const struct cb_call *c)
{
	size_t es = c->dt->size, n = c->n->recv, m = seg_elems(es, rk->nranks);
	size_t nseg = n < NB * m ? 1 : (n + m - 1) / m, off, len;
	char *s = comm_scratch(rk), *recv = c->recv;
	const char *send = c->send;
	int p = rk->nranks, r = rk->rank;

	if (nseg == 1)
		m = n;
	for (size_t j = 0; j <= nseg; j++) {
		if (j < nseg) {
			size_t base = j * m, sl = n - base < m ? n - base : m;
			char *b = s + (j % NB) * m * es;
			cb_copy(b, send + base * es, sl * es);
			comm_barrier(rk);
			cb_chunk(sl, p, r, &off, &len);
			cb_reduce_from_peers(rk, c, b + off * es, b, off, len);
			cb_reduce_finish(c->dt, c->op, b + off * es, len, p);
			cb_copy(recv + (base + off) * es, b + off * es, len * es);
		} else {
			comm_barrier(rk);
		}
		if (j > 0) {
			size_t pj = j - 1, base = pj * m, sl = n - base < m ? n - base : m;
			const char *b = s + (pj % NB) * m * es;
			for (int i = 1; i < p; i++) {
				int k = (r + i) % p;
				cb_chunk(sl, p, k, &off, &len);
				cb_copy(recv + (base + off) * es, comm_get(rk, b + off * es, k, len * es),
					len * es);
			}
		}
	}
}

const struct cb_algo cb_algo_allreduce_twoshot = {
	.name = "twoshot",
	.coll = &cb_coll_allreduce,
	.summary = "twophase pipelined in cache-sized segments through 3 window buffers",
	.scratch_bytes = scratch,
	.run = run,
};
