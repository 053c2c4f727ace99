/* allgatherv, gatherv and scatterv algorithms. c(k), pre(k) and T are the
 * count pattern of vcoll.h (block k has c(k) elements at element pre(k) of
 * the concatenated vector); es = element size. Every algorithm here runs
 * exactly one comm_barrier per call (also at P = 1, where it is free), so
 * across back-to-back calls the parity rule of algo.h holds (seed hazard 3:
 * a put or staging write into a half in call k+2 cannot overtake a peer's
 * reads of that half in call k). Zero-size blocks move nothing: puts and
 * copies of 0 bytes are skipped, the barrier is not.
 *
 * allgatherv "pull": stage my c(r) into my scratch, barrier, copy c(k) from
 *   rank k's scratch into recv at pre(k), for every k starting with me.
 *   Within a call: scratch written before the barrier, only read after.
 * allgatherv "push": put my c(r) into slot pre(r) of every other rank's
 *   scratch and copy it straight from send to recv at pre(r) (one copy,
 *   not a put to myself and a copy-out: recv is private, no peer reads it,
 *   and v-collectives have no in-place layout, so send and recv never
 *   overlap), barrier, copy the other slots of my scratch (all of T but
 *   my own c(r) at pre(r)) to recv, locally. Slots are disjoint (pre is
 *   strictly a prefix sum): one writer each; every put into a window
 *   precedes its owner's copy-out through the barrier, and follows the
 *   owner's copy-out of the same half two calls ago (done before the
 *   owner arrived at the previous call's barrier). My own slot is no
 *   longer written, and no longer read.
 * gatherv "pull"/"push": the same with the root as the only reader (push:
 *   the root copies its own block straight to recv).
 * scatterv "pull": the root stages its T input elements, barrier, rank k
 *   copies c(k) at pre(k) out of the root's scratch.
 * scatterv "push": the root puts block k into slot 0 of rank k's scratch
 *   (k != root) and copies its own block straight from send to recv (one
 *   copy, not a put and a copy-out: recv is private, no peer reads it),
 *   barrier, every other rank copies c(r) from its own scratch. One
 *   writer (the root) per slot; the same barrier argument as above; the
 *   root's scratch is not used. */
#include "collbench/algo.h"
#include "collbench/vcoll.h"

static void gather_pull(struct cb_rank *rk, const struct cb_call *c, int all)
{
	size_t C = c->n->count, es = c->dt->size;
	int p = rk->nranks, r = rk->rank;
	char *s = comm_scratch(rk);

	cb_copy(s, c->send, cb_vcount(C, r, p) * es);
	comm_barrier(rk);
	if (!all && r != c->root)
		return;
	for (int i = 0; i < p; i++) {
		int k = (r + i) % p;
		size_t b = cb_vcount(C, k, p) * es;
		if (b)
			cb_copy((char *)c->recv + cb_vprefix(C, k, p) * es,
				comm_get(rk, s, k, b), b);
	}
}

static void gather_push(struct cb_rank *rk, const struct cb_call *c, int all)
{
	size_t C = c->n->count, es = c->dt->size;
	int p = rk->nranks, r = rk->rank;
	size_t b = cb_vcount(C, r, p) * es, off = cb_vprefix(C, r, p) * es;
	char *s = comm_scratch(rk);

	char *recv = c->recv;
	int out = all || r == c->root;   /* I copy out: my block goes straight in */
	size_t T = cb_vprefix(C, p, p) * es;

	if (b && out)
		cb_copy(recv + off, c->send, b);
	for (int i = 1; b && i < p; i++) {
		int d = (r + i) % p;
		if (all || d == c->root)
			comm_put(rk, d, s + off, c->send, b);
	}
	comm_barrier(rk);
	if (!out)
		return;
	if (off)
		cb_copy(recv, s, off);
	if (T > off + b)
		cb_copy(recv + off + b, s + off + b, T - off - b);
}

static void allgatherv_pull(struct cb_rank *rk, const struct cb_call *c) { gather_pull(rk, c, 1); }
static void allgatherv_push(struct cb_rank *rk, const struct cb_call *c) { gather_push(rk, c, 1); }
static void gatherv_pull(struct cb_rank *rk, const struct cb_call *c) { gather_pull(rk, c, 0); }
static void gatherv_push(struct cb_rank *rk, const struct cb_call *c) { gather_push(rk, c, 0); }

static void scatterv_pull(struct cb_rank *rk, const struct cb_call *c)
{
	size_t C = c->n->count, es = c->dt->size;
	int p = rk->nranks, r = rk->rank;
	size_t b = cb_vcount(C, r, p) * es;
	char *s = comm_scratch(rk);

	if (r == c->root)
		cb_copy(s, c->send, cb_vprefix(C, p, p) * es);
	comm_barrier(rk);
	if (b)
		cb_copy(c->recv, comm_get(rk, s + cb_vprefix(C, r, p) * es, c->root, b), b);
}

static void scatterv_push(struct cb_rank *rk, const struct cb_call *c)
{
	size_t C = c->n->count, es = c->dt->size;
	int p = rk->nranks, r = rk->rank;
	char *s = comm_scratch(rk);

	if (r == c->root) {
		size_t off = 0;
		for (int k = 0; k < p; k++) {
			size_t b = cb_vcount(C, k, p) * es;
			if (b && k == r)
				cb_copy(c->recv, (const char *)c->send + off, b);
			else if (b)
				comm_put(rk, k, s, (const char *)c->send + off, b);
			off += b;
		}
	}
	comm_barrier(rk);
	if (r != c->root)
		cb_copy(c->recv, s, cb_vcount(C, r, p) * es);
}

VALGO(allgatherv, pull, "stage my block, barrier, read block k from every rank k", cb_scratch_send)
VALGO(allgatherv, push, "put my block at pre(r) of every rank, barrier, local copy-out", cb_scratch_recv)
VALGO(gatherv, pull, "stage my block, barrier, the root reads every rank's block", cb_scratch_send)
VALGO(gatherv, push, "put my block at pre(r) of the root, barrier, root copies out", cb_scratch_recv)
VALGO(scatterv, pull, "root stages its input, barrier, rank k reads block k", cb_scratch_send)
VALGO(scatterv, push, "root puts block k into rank k, barrier, local copy-out", cb_scratch_recv)
