/* inject.c: the table of deliberate faults: --inject's name <-> value
 * table (optenum.h), whose abouts 'collbench list' prints. */
#include "collbench/coll.h"
#include "collbench/common.h"
#include "collbench/inject.h"
#include "collbench/optenum.h"

static const struct cb_enum_name inject_names[] = {
	{ "corrupt", CB_INJECT_CORRUPT,
	  "flip one element of the output of the root (rooted collectives) or the last rank in the first check iteration; if that output is empty (a v-collective's zero-size block), of the highest rank whose output is not (expect: 1 wrong per row half, exit 7)" },
	{ "drop-notify", CB_INJECT_DROP_NOTIFY,
	  "the last rank skips its first notify of the first timed iteration (expect: hang report, exit 4; needs -g >= 2)" },
	{ "zero-signal", CB_INJECT_ZERO_SIGNAL,
	  "the last rank clears its own signal cells at its first check iteration, after peers could reach them (expect: hang report, exit 4)" },
	{ "stale-epoch", CB_INJECT_STALE_EPOCH,
	  "every wait compares against 1 instead of the expected epoch, so barriers pass early; every rank but the root or 0 stalls 10 ms before its first check call, so peers read its data early in every run (expect: wrong results, exit 7)" },
	{ "no-double-buffer", CB_INJECT_NO_DOUBLE_BUFFER,
	  "every call uses scratch half 0, so a fast rank overwrites scratch a slow peer still reads; every rank but the root or 0 stalls 10 ms after its first barrier or LL message of each row half's checks, so it is caught in every run (expect: wrong results, exit 7)" },
	{ "ring-off-by-one", CB_INJECT_RING_OFF_BY_ONE,
	  "ring algorithms' reduce-scatter reads chunk index + 1 (expect: wrong results in ring rows, exit 7)" },
	{ "no-ack", CB_INJECT_NO_ACK,
	  "barrier-free senders (broadcast eager) reuse a slot without waiting for the receiver's ack, so a fast root overwrites a message not yet read; every receiver stalls 10 ms before its first read of each row's checks, so the root runs 32 calls ahead in every run (expect: wrong results, exit 7; needs -c 33 or more)" },
	{ "die", CB_INJECT_DIE,
	  "MPI transport only: the last rank's process exits (status 9) halfway through its first timed loop (expect: the launcher ends the job with an error, non-zero status; with threads: exit 5)" },
};
const struct cb_enum_table cb_enum_inject = { "--inject", inject_names,
					       CB_ARRAY_LEN(inject_names), 0 };

/* The golden is the one source of what a rank's output holds, so the
 * target is found by asking it (fill_expected for another rank: a pure
 * function of the call, never of its buffers) rather than by a second
 * per-collective rule that could drift from it. Every rank computes the
 * same answer from the same point, without communicating. */
int cb_inject_corrupt_rank(const struct cb_coll *coll, const struct cb_call *c,
			   const struct cb_values *v, void *exp)
{
	struct cb_call k = *c;
	k.rank = c->root >= 0 ? c->root : c->nranks - 1;
	if (coll->fill_expected(&k, v, exp))
		return k.rank;
	/* An empty preferred output (scatterv's root at --skew 1 and more):
	 * the ramp of vcoll.h rises, so rank P-1's block is the last to
	 * empty; counting down finds a non-empty one first in every case. */
	for (k.rank = c->nranks - 1; k.rank >= 0; k.rank--)
		if (coll->fill_expected(&k, v, exp))
			return k.rank;
	return -1;
}
