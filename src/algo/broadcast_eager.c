/* broadcast "eager": the root sends its buffer to every non-root as an LL
 * message (comm.h) and returns; each non-root consumes the message into its
 * recv buffer. No barrier: the root runs up to NSLOT calls ahead of a slow
 * receiver, the way an MPI library's eager protocol lets small broadcasts
 * overlap (measured before it: every collbench broadcast barriered each
 * call, 2.6 context switches per call against Open MPI's 0.37).
 *
 * Flow control. Calls with root R are numbered m = 0, 1, ... on every rank
 * alike (rk->ll_root_calls[R]); call m uses slot SLOT0 + m % NSLOT of R's
 * slots in each receiver's window. A receiver acks R once every ACK_EVERY
 * consumed calls, so R's ack cell from d counts floor(consumed / ACK_EVERY).
 * Before rewriting a slot in call m >= NSLOT, R needs d to have consumed
 * call m - NSLOT, i.e. consumed >= m - NSLOT + 1: it waits for
 * ceil((m - NSLOT + 1) / ACK_EVERY) acks. That requirement only involves
 * calls up to m - NSLOT + ACK_EVERY - 1 < m, so it never waits on itself. Acks are counts compared
 * with >=, so the unacked tail of a row is harmless, and counting per root
 * keeps the scheme exact when -r changes the root between rows.
 *
 * It applies up to CB_LL_BYTES and CB_LL_MAX_RANKS ranks (cb_ll_applies);
 * elsewhere the plan skips it (it used to run "push" under its own name).
 * Slots 2..33 are
 * this algorithm's; allreduce "ll" owns 0 and 1. 32 slots, acks every 8th:
 * when ranks outnumber PUs a deep queue lets each rank run many calls per
 * time slice (64 B, 2 PUs: P=4 4.8-13 us per call against 17-39 with 8
 * slots acked every 4th; P=8 22-30 against 54-70; one idle-ish VM, noisy). */
#include "collbench/algo.h"

#define SLOT0 2u
#define NSLOT 32u
#define ACK_EVERY 8u

static void run(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	int p = rk->nranks, r = rk->rank, root = c->root;
	uint64_t m;
	unsigned slot;

	if (!rk->comm->ll || b > CB_LL_BYTES)
		cb_algo_misuse(rk, "broadcast eager", b);
	m = rk->ll_root_calls[root]++;
	slot = SLOT0 + (unsigned)(m % NSLOT);
	if (r == root) {
		for (int i = 1; i < p; i++) {
			int d = (r + i) % p;
			if (m >= NSLOT && !cb_fault_skip_acks(rk))
				comm_wait_acks(rk, d, (m - NSLOT + ACK_EVERY) / ACK_EVERY);
			comm_ll_send(rk, d, slot, c->send, b);
		}
		cb_copy(c->recv, c->send, b);
	} else {
		comm_ll_wait(rk, root, slot, b);
		comm_ll_read(rk, root, slot, c->recv, b);
		if ((m + 1) % ACK_EVERY == 0)
			comm_ack(rk, root);
	}
}

const struct cb_algo cb_algo_broadcast_eager = {
	.name = "eager",
	.coll = &cb_coll_broadcast,
	.summary = "root sends inline, no barrier, 32 slots of flow control (<= 448 B, P <= 16)",
	.scratch_bytes = cb_scratch_recv,
	.applies = cb_ll_applies,
	.run = run,
};
