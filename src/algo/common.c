/* common.c: pieces shared by algorithms */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/algo.h"

void cb_reduce_from_peers(struct cb_rank *rk, const struct cb_call *c,
			  void *dst, const void *scratch, size_t off, size_t len)
{
	cb_reduce_fn fn = cb_reduce_kernel(c->dt, c->op);
	size_t es = c->dt->size;
	const char *mine = (const char *)scratch + off * es;
	int p = rk->nranks, first = 1;

	if (len == 0)
		return;
	if (p == 1) {
		if (dst != mine)
			memcpy(dst, mine, len * es);
		return;
	}
	for (int k = 0; k < p; k++) {
		if (k == rk->rank)
			continue;
		const void *peer = comm_get(rk, mine, k, len * es);
		fn(dst, first ? mine : dst, peer, len);
		first = 0;
	}
}

void cb_direct_reduce_own(struct cb_rank *rk, const struct cb_call *c, char *dst,
			  const char *mine, size_t n)
{
	size_t es = c->dt->size, m = CB_DIRECT_SEG / es;
	comm_barrier(rk);
	for (size_t i = 0; i < n; i += m) {
		size_t k = n - i < m ? n - i : m;
		/* P = 1: a copy (cb_reduce_from_peers) */
		cb_reduce_from_peers(rk, c, dst + i * es, mine, i, k);
		cb_reduce_finish(c->dt, c->op, dst + i * es, k, rk->nranks);
	}
	comm_barrier(rk);
}

size_t cb_scratch_recv(const struct cb_counts *n, size_t esize, int nranks)
{
	(void)nranks;
	return n->recv * esize;
}

size_t cb_scratch_send(const struct cb_counts *n, size_t esize, int nranks)
{
	(void)nranks;
	return n->send * esize;
}

void cb_pull_blocks(const struct cb_rank *rk, void *dst, const char *scratch,
		    size_t src_off, size_t b)
{
	int p = rk->nranks;
	for (int i = 0; i < p; i++) {
		int k = (rk->rank + i) % p;
		cb_copy((char *)dst + (size_t)k * b, comm_get(rk, scratch + src_off, k, b), b);
	}
}

void cb_push_blocks(const struct cb_rank *rk, char *scratch, const void *src,
		    size_t b, int per_dest)
{
	int p = rk->nranks;
	if (!b)
		return;
	for (int i = 0; i < p; i++) {
		int d = (rk->rank + i) % p;
		comm_put(rk, d, scratch + (size_t)rk->rank * b,
			 (const char *)src + (per_dest ? (size_t)d * b : 0), b);
	}
}

void cb_copy_from(const struct cb_rank *rk, void *dst, const void *local, int peer, size_t n)
{
	for (size_t i = 0; i < n; i += CB_DIRECT_SEG) {
		size_t k = n - i < CB_DIRECT_SEG ? n - i : CB_DIRECT_SEG;
		cb_copy((char *)dst + i, comm_get(rk, (const char *)local + i, peer, k), k);
	}
}

bool cb_ll_applies(const struct cb_where *w, char *why, size_t cap)
{
	if (w->n->bytes > CB_LL_BYTES) {
		snprintf(why, cap, "at %zu B (at most %zu B)", w->n->bytes, (size_t)CB_LL_BYTES);
		return false;
	}
	if (w->nranks > CB_LL_MAX_RANKS) {
		snprintf(why, cap, "at %d ranks (at most %d)", w->nranks, CB_LL_MAX_RANKS);
		return false;
	}
	return true;
}

void cb_algo_misuse(const struct cb_rank *rk, const char *algo, size_t bytes)
{
	fprintf(stderr, "collbench: rank %d: %s called outside its domain (%zu B, %d ranks): "
		"a bug in the caller, not a result\n", rk->rank, algo, bytes, rk->nranks);
	abort();
}
