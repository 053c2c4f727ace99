/* allreduce "ring-neighbor": the ring schedule of "ring" (chunked
 * reduce-scatter then allgather, reading the left neighbour's chunk in
 * place), but each round waits only on the left neighbour: notify right on
 * CB_ROW_ALGO0 when a round's chunk is ready, wait left before reading. No
 * barrier at all, so the parity rule of algo.h does not apply as such; the
 * flow control is the ring itself, plus the parity double buffer.
 *
 * Steps. Per call R = 2(P-1) notifies and R waits: notify after stage-in,
 * then for each of the R rounds: wait left, work, notify right (except after
 * the last round). Number a rank's waits over the whole point g = 0,1,2,...
 * (call k holds g = kR .. kR+R-1) and let W(g) be the work between wait g
 * and the next notify (the last round of a call also covers its stage-out
 * and the next call's stage-in).
 *
 * Chain lemma. If rank x has passed wait g, its left neighbour has issued
 * notify g, so it finished W(g-1); it started W(g-1) after its own wait g-1,
 * so rank x-2 finished W(g-2), and so on round the ring: rank x-j finished
 * W(g-j) for j = 1..P-1, and x-(P-1) is x's RIGHT neighbour. So a rank can be
 * at most P-1 rounds ahead of its right neighbour: that is the flow control
 * that the reverse direction ("consumed" acks) would otherwise provide.
 *
 * Only the right neighbour reads my scratch. Read-after-write is the wait
 * itself (the chunk it reads in round j I wrote in round j-1 or earlier).
 * Write-after-read (seed hazards 3 and 4), chunk c of my scratch, call k:
 * - right reads c = r-s in RS step s (round s-1); I next write c in AG step
 *   s (round P-2+s): P-1 rounds later, so by the lemma right has finished
 *   that read when I start it (tight, and enough).
 * - right reads c = r+1-s in AG step s (round P-2+s <= R-1); I never write c
 *   again in call k. The next write is the stage-in of call k+2 (the parity
 *   double buffer: call k+1 stages into the other half), which is W(kR+2R-1),
 *   at least R >= P-1 rounds after the read. Without the double buffer, the
 *   stage-in of call k+1 is W(kR+R-1), only P-1-s rounds after the read: a
 *   real race (hazard 3), which is why the parity halves are needed here.
 * - the avg finish on my chunk r happens in round P-2 before its notify;
 *   right first reads chunk r in AG step 1 (round P-1), after that notify.
 * Every notify of a call is consumed by the matching wait in the same call,
 * so the epochs of the row stay paired across calls and points. */
#include "collbench/algo.h"

static void run(struct cb_rank *rk, const struct cb_call *c)
{
	cb_reduce_fn add = cb_reduce_kernel(c->dt, c->op);
	size_t es = c->dt->size, n = c->n->recv, off, len;
	int p = rk->nranks, r = rk->rank, left = cb_mod(r - 1, p), right = (r + 1) % p;
	char *s = comm_scratch(rk);

	cb_copy(s, c->send, n * es);
	if (p > 1)
		comm_notify(rk, right, CB_ROW_ALGO0);
	for (int step = 1; step < p; step++) {
		cb_chunk(n, p, cb_ring_rs_chunk_of(rk, step), &off, &len);
		comm_wait(rk, left, CB_ROW_ALGO0);
		if (len)
			add(s + off * es, s + off * es, comm_get(rk, s + off * es, left, len * es), len);
		if (step == p - 1)
			cb_reduce_finish(c->dt, c->op, s + off * es, len, p);
		comm_notify(rk, right, CB_ROW_ALGO0);
	}
	if (p == 1)
		cb_reduce_finish(c->dt, c->op, s, n, p);
	for (int step = 1; step < p; step++) {
		cb_chunk(n, p, cb_ring_ag_chunk(r, step, p), &off, &len);
		comm_wait(rk, left, CB_ROW_ALGO0);
		cb_copy(s + off * es, comm_get(rk, s + off * es, left, len * es), len * es);
		if (step < p - 1)
			comm_notify(rk, right, CB_ROW_ALGO0);
	}
	cb_copy(c->recv, s, n * es);
}

const struct cb_algo cb_algo_allreduce_ring_neighbor = {
	.name = "ring-neighbor",
	.coll = &cb_coll_allreduce,
	.summary = "ring schedule, each round waits on the left neighbour only (no barrier)",
	.scratch_bytes = cb_scratch_send,
	.run = run,
};
