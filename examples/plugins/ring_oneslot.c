/* ring_oneslot.c: a DELIBERATELY BROKEN ring allgather, a collbench plug-in
 * for showing the verifier catch a write-after-read race. Do not copy it.
 *
 * Ring allgather: in step s (1..P-1) rank r puts the block it got last
 * (its own in step 1) into its right neighbour's scratch, notifies it,
 * waits for its left neighbour's notify and copies the block it was given
 * into recv block r - s.
 *
 * WHY IT IS NOT SAFE. Every step puts into the same single slot of the
 * right neighbour's scratch: no parity within the call (one slot per step,
 * or two used alternately), and no ack that the neighbour has read the
 * slot before it is rewritten. Rank r's put of step s + 1 needs only r's
 * own wait of step s, not the neighbour's read of step s, so a neighbour
 * that is slow between its wait and its copy reads the block of step s + 1
 * instead: wrong output (exit 7). The correct version uses slot s in step s
 * (P-1 slots), or waits for an ack before rewriting the slot.
 *
 * THE SCHEDULE THAT FORCES IT. A race that needs an unlucky preemption is
 * caught only sometimes; to make the example fail in every run, every
 * rank but rank 0 sleeps 20 ms in step 1 between its wait and its copy (a
 * stand-in for a descheduled reader). Rank 0 does not: it runs into step 2
 * and overwrites rank 1's slot while rank 1 sleeps. At P = 2 there is one
 * step only and the ring cannot race (the cross-call reuse is covered by
 * the barrier at the end of each call): use P >= 3. */
#include <string.h>
#include <time.h>

#include <collbench/plugin.h>

static size_t scratch(const struct cb_counts *n, size_t esize, int nranks)
{
	(void)nranks;
	return cbp_counts_count(n) * esize;   /* ONE block: the bug */
}

static void ring_oneslot(struct cb_rank *rk, const struct cb_call *c)
{
	int r = cbp_rank(rk), p = cbp_nranks(rk);
	int right = (r + 1) % p, left = (r + p - 1) % p;
	size_t b = cbp_count(c) * cbp_esize(c);
	char *slot = cbp_scratch(rk), *recv = cbp_recv(c);

	memmove(recv + (size_t)r * b, cbp_send(c), b);
	for (int s = 1; s < p; s++) {
		cbp_phase(rk, "ring step");
		cbp_put(rk, right, slot, recv + (size_t)((r - s + 1 + p) % p) * b, b);
		cbp_notify(rk, right, 0);
		cbp_wait(rk, left, 0);
		if (s == 1 && r != 0) {
			struct timespec ts = { 0, 20 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		memcpy(recv + (size_t)((r - s + p) % p) * b, slot, b);
	}
	cbp_barrier(rk);
}

static const struct cbp_algo algos[] = {
	{ .name = "ring-oneslot", .coll = "allgather",
	  .summary = "BROKEN on purpose: ring allgather reusing one slot without an ack",
	  .scratch_bytes = scratch, .run = ring_oneslot },
};

CBP_PLUGIN(algos)
