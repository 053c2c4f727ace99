/* common.c: pieces shared by algorithms */
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
		const void *peer = comm_remote(rk, mine, k);
		fn(dst, first ? mine : dst, peer, len);
		first = 0;
	}
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
