/* allreduce "ll": one shot over LL messages (comm.h), for small messages.
 * Every rank sends its whole input to every peer as an LL message (the
 * first 56 bytes ride on the notify's own cache line), consumes its P-1
 * peers' messages and reduces them with its own input in the seed's order
 * (mine, then peers ascending). Against "mesh" (stage, barrier, read every
 * peer's scratch) a receiver waits for one line per peer instead of a
 * barrier line and then the data lines: at P = 2 and 8 B the critical path
 * is one cache-line transfer each way instead of two.
 *
 * It applies up to CB_LL_BYTES and CB_LL_MAX_RANKS ranks (windows have LL
 * slots only then): elsewhere the plan skips it (cb_ll_applies), it does not
 * run "mesh" under its own name.
 *
 * Iteration safety, without a barrier: call k uses slot k % 2 (slots 0 and
 * 1; --inject no-double-buffer forces slot 0). Rank a writes b's slot for
 * call k again in call k+2. a starts call k+2 only after consuming b's
 * message of call k+1, which b sends only after it has finished call k,
 * including its reads of that slot. Across rows the closing barrier of
 * every point orders everything, as for any algorithm; nothing here touches
 * the scratch halves, so the parity rule of algo.h is unaffected. */
#include <string.h>

#include "collbench/algo.h"

static void run(struct cb_rank *rk, const struct cb_call *c)
{
	size_t es = c->dt->size, n = c->n->count, bytes = n * es;
	int p = rk->nranks, r = rk->rank;
	unsigned slot = (unsigned)cb_fault_parity(rk, rk->call_seq & 1);
	cb_reduce_fn fn;
	unsigned char in[CB_LL_BYTES] __attribute__((aligned(64)));
	const void *acc = c->send;

	if (!rk->comm->ll || bytes > CB_LL_BYTES)
		cb_algo_misuse(rk, "allreduce ll", bytes);   /* in[] would overflow */
	if (p == 1) {
		cb_copy(c->recv, c->send, bytes);
		return;
	}
	for (int i = 1; i < p; i++)
		comm_ll_send(rk, (r + i) % p, slot, c->send, bytes);
	fn = cb_reduce_kernel(c->dt, c->op);
	for (int k = 0; k < p; k++) {
		if (k == r)
			continue;
		comm_ll_wait(rk, k, slot, bytes);
		comm_ll_read(rk, k, slot, in, bytes);
		fn(c->recv, acc, in, n);
		acc = c->recv;
	}
	cb_reduce_finish(c->dt, c->op, c->recv, n, p);
}

const struct cb_algo cb_algo_allreduce_ll = {
	.name = "ll",
	.coll = &cb_coll_allreduce,
	.summary = "one shot, inputs sent inline with the notify (<= 448 B, P <= 16)",
	.scratch_bytes = cb_scratch_send,
	.applies = cb_ll_applies,
	.run = run,
};
