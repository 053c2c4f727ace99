/* rdouble.c: recursive-doubling allreduce, a collbench plug-in.
 *
 *   cc -shared -fPIC $(pkg-config --cflags collbench-plugin) rdouble.c -o rdouble.so
 *   collbench allreduce --plugin ./rdouble.so -A rdouble -g 5 -c 50 --jitter 20
 *
 * P2 = the largest power of two <= P, E = P - P2 extra ranks. Every rank
 * starts with recv = its input.
 *   fold:    of the first 2E ranks, each even rank r sends its vector to
 *            r + 1, which combines it; the odd ones and ranks >= 2E are the
 *            P2 "doublers", numbered v = r/2 (r < 2E) or r - E.
 *   round j: (j = 0..log2(P2)-1) doubler v exchanges its vector with doubler
 *            v ^ 2^j and combines: after the last round every doubler holds
 *            the reduction of all P inputs.
 *   unfold:  each odd r < 2E sends the result back to r - 1.
 * An exchange is: copy my vector to a slot of my scratch, notify the peer,
 * wait for its notify, read its slot (cbp_get), combine into recv.
 *
 * WHY IT IS SAFE.
 *   Within a call: every slot of a scratch is written once per call, by its
 *   owner (slot 0: the fold, slot 1 + j: round j, slot 1 + log2(P2): the
 *   unfold), before the notify that lets exactly one peer read it; no slot
 *   is rewritten in the call, so there is no write-after-read to order. The
 *   reader reads only after consuming that notify (acquire), so it sees the
 *   whole slot. recv is only mine (peers never read it: they read slots).
 *   Notifies pair up exactly: each exchange is one notify and one wait on
 *   row 0 per direction, so the epochs stay in step for any number of calls.
 *   Across calls: one cbp_barrier at the end of every call, so the parity
 *   rule (plugin.h) holds: my slots in call k+2 (the same half) are written
 *   only after every peer left call k+1's barrier, long after it read them.
 *   In place: recv == send; my input is read (copied into recv) before
 *   anything else.
 * Every combination is a op b of exact values (collbench's goldens are
 * exact in any order), and both sides of an exchange combine the same two
 * vectors, so every rank ends with the same bits. */
#include <string.h>

#include <collbench/plugin.h>

static int pow2_floor(int p)
{
	int q = 1;
	while (q * 2 <= p)
		q *= 2;
	return q;
}

static int log2_int(int q)
{
	int l = 0;
	while ((1 << l) < q)
		l++;
	return l;
}

static size_t scratch(const struct cb_counts *n, size_t esize, int nranks)
{
	return (size_t)(log2_int(pow2_floor(nranks)) + 2) * cbp_counts_recv(n) * esize;
}

/* Publish v in my slot, let peer read it, read peer's slot, combine. */
static void exchange(struct cb_rank *rk, const struct cb_call *c, int peer, char *slot)
{
	size_t n = cbp_recv_count(c), b = n * cbp_esize(c);
	void *recv = cbp_recv(c);

	memcpy(slot, recv, b);
	cbp_notify(rk, peer, 0);
	cbp_wait(rk, peer, 0);
	cbp_reduce(c, recv, recv, cbp_get(rk, slot, peer, b), n);
}

static void rdouble(struct cb_rank *rk, const struct cb_call *c)
{
	int r = cbp_rank(rk), p = cbp_nranks(rk);
	int p2 = pow2_floor(p), extra = p - p2, rounds = log2_int(p2);
	size_t n = cbp_recv_count(c), b = n * cbp_esize(c);
	char *s = cbp_scratch(rk), *recv = cbp_recv(c);

	if (recv != (const char *)cbp_send(c))
		memcpy(recv, cbp_send(c), b);
	if (r < 2 * extra) {
		cbp_phase(rk, "fold");
		if (r % 2 == 0) {   /* give my vector to r + 1, get the result back */
			memcpy(s, recv, b);
			cbp_notify(rk, r + 1, 0);
			cbp_phase(rk, "unfold");
			cbp_wait(rk, r + 1, 0);
			memcpy(recv, cbp_get(rk, s + (size_t)(rounds + 1) * b, r + 1, b), b);
			cbp_barrier(rk);
			return;
		}
		cbp_wait(rk, r - 1, 0);
		cbp_reduce(c, recv, recv, cbp_get(rk, s, r - 1, b), n);
	}
	{
		static const char *const names[] = { "round 0", "round 1", "round 2", "round 3",
						     "round 4", "round 5", "round 6", "round 7",
						     "round 8", "round 9" };
		int v = r < 2 * extra ? r / 2 : r - extra;
		for (int j = 0; j < rounds; j++) {
			int pv = v ^ (1 << j);
			int peer = pv < extra ? 2 * pv + 1 : pv + extra;
			cbp_phase(rk, j < 10 ? names[j] : "round");
			exchange(rk, c, peer, s + (size_t)(1 + j) * b);
		}
	}
	cbp_reduce_finish(c, recv, n);
	if (r < 2 * extra) {   /* odd: hand the result to r - 1 */
		cbp_phase(rk, "unfold");
		memcpy(s + (size_t)(rounds + 1) * b, recv, b);
		cbp_notify(rk, r - 1, 0);
	}
	cbp_phase(rk, "final barrier");
	cbp_barrier(rk);
}

static const struct cbp_algo algos[] = {
	{ .name = "rdouble", .coll = "allreduce",
	  .summary = "recursive doubling, log2 P exchanges (odd P: fold/unfold the extra ranks)",
	  .scratch_bytes = scratch, .run = rdouble },
};

CBP_PLUGIN(algos)
