/* alltoallv and reduce_scatterv algorithms. c(k), pre(k) and T are the
 * count pattern of vcoll.h; rank s's input has T elements, block d (c(d)
 * elements at pre(d)) is meant for rank d. Every algorithm runs exactly one
 * comm_barrier per call, so the parity rule of algo.h holds across
 * back-to-back calls (seed hazard 3). Zero-size blocks move nothing.
 *
 * alltoallv "pull": stage my whole input into my scratch, barrier, copy
 *   c(r) elements at pre(r) of every rank s's scratch into recv block s
 *   (at s*c(r)), starting with me and going right.
 *   Within a call: scratch written before the barrier, only read after it.
 * alltoallv "push": put block d of my input into slot r (at r*c(d)) of rank
 *   d's scratch, d != r; my own block r goes straight from send to recv
 *   slot r (one copy, not a put to myself and a copy-out: recv is private,
 *   no peer reads it, and v-collectives have no in-place layout, so send
 *   and recv never overlap); barrier, copy my other P-1 scratch slots of
 *   c(r) elements to recv locally (my own slot is neither written nor read).
 *   One writer per slot; every put into d's half precedes d's copy-out
 *   (d leaves the barrier only after every writer arrived) and follows d's
 *   copy-out of the same half in call k-2 (done before d arrived at call
 *   k-1's barrier, which I left before call k).
 * reduce_scatterv "pull": stage my whole input, barrier, reduce c(r)
 *   elements at pre(r) of every rank's scratch (mine first, then peers
 *   ascending) into recv: the pull argument above.
 * reduce_scatterv "push": put block d into slot r (at r*cmax, cmax the
 *   largest block, so the slots of a window never overlap whatever d) of
 *   rank d's scratch, barrier, reduce my P slots locally in ascending slot
 *   order: the push argument above. */
#include "collbench/algo.h"
#include "collbench/vcoll.h"

static void alltoallv_pull(struct cb_rank *rk, const struct cb_call *c)
{
	size_t C = c->n->count, es = c->dt->size;
	int p = rk->nranks, r = rk->rank;
	size_t b = cb_vcount(C, r, p) * es, off = cb_vprefix(C, r, p) * es;
	char *s = comm_scratch(rk);

	cb_copy(s, c->send, cb_vprefix(C, p, p) * es);
	comm_barrier(rk);
	for (int i = 0; b && i < p; i++) {
		int k = (r + i) % p;
		cb_copy((char *)c->recv + (size_t)k * b, comm_get(rk, s + off, k, b), b);
	}
}

static void alltoallv_push(struct cb_rank *rk, const struct cb_call *c)
{
	size_t C = c->n->count, es = c->dt->size;
	int p = rk->nranks, r = rk->rank;
	char *s = comm_scratch(rk);

	char *recv = c->recv;
	size_t br = cb_vcount(C, r, p) * es, mine = (size_t)r * br;

	if (br)
		cb_copy(recv + mine, (const char *)c->send + cb_vprefix(C, r, p) * es, br);
	for (int i = 1; i < p; i++) {
		int d = (r + i) % p;
		size_t b = cb_vcount(C, d, p) * es;
		if (b)
			comm_put(rk, d, s + (size_t)r * b,
				 (const char *)c->send + cb_vprefix(C, d, p) * es, b);
	}
	comm_barrier(rk);
	if (mine)
		cb_copy(recv, s, mine);
	if ((size_t)p * br > mine + br)
		cb_copy(recv + mine + br, s + mine + br, (size_t)p * br - mine - br);
}

static void reduce_scatterv_pull(struct cb_rank *rk, const struct cb_call *c)
{
	size_t C = c->n->count, es = c->dt->size;
	int p = rk->nranks, r = rk->rank;
	size_t cr = cb_vcount(C, r, p);
	char *s = comm_scratch(rk);

	cb_copy(s, c->send, cb_vprefix(C, p, p) * es);
	comm_barrier(rk);
	cb_reduce_from_peers(rk, c, c->recv, s, cb_vprefix(C, r, p), cr);
	cb_reduce_finish(c->dt, c->op, c->recv, cr, p);
}

static void reduce_scatterv_push(struct cb_rank *rk, const struct cb_call *c)
{
	cb_reduce_fn add = cb_reduce_kernel(c->dt, c->op);
	size_t C = c->n->count, es = c->dt->size, slot = c->n->recv * es;
	int p = rk->nranks, r = rk->rank;
	size_t cr = cb_vcount(C, r, p);
	char *s = comm_scratch(rk);

	for (int i = 0; i < p; i++) {
		int d = (r + i) % p;
		size_t b = cb_vcount(C, d, p) * es;
		if (b)
			comm_put(rk, d, s + (size_t)r * slot,
				 (const char *)c->send + cb_vprefix(C, d, p) * es, b);
	}
	comm_barrier(rk);
	if (!cr)
		return;
	if (p == 1)
		cb_copy(c->recv, s, cr * es);
	for (int k = 1; k < p; k++)
		add(c->recv, k == 1 ? s : c->recv, s + (size_t)k * slot, cr);
	cb_reduce_finish(c->dt, c->op, c->recv, cr, p);
}

/* P slots of the largest block. */
static size_t scratch_slots(const struct cb_counts *n, size_t es, int p)
{
	return (size_t)p * n->recv * es;
}

VALGO(alltoallv, pull, "stage by destination, barrier, read my block from every rank", cb_scratch_send)
VALGO(alltoallv, push, "put block d into slot r of rank d, barrier, local copy-out", cb_scratch_recv)
VALGO(reduce_scatterv, pull, "stage all blocks, barrier, reduce my block from every rank", cb_scratch_send)
VALGO(reduce_scatterv, push, "put block d into slot r of rank d, barrier, reduce my slots locally", scratch_slots)
