/* inject.h: deliberate faults (--inject) that show the checker at work */
#ifndef COLLBENCH_INJECT_H
#define COLLBENCH_INJECT_H

enum cb_inject {
	CB_INJECT_NONE = 0,
	CB_INJECT_CORRUPT,     /* flip one element of one rank's output, once per row half */
	CB_INJECT_DROP_NOTIFY, /* the last rank skips one notify: a peer waits forever */
	CB_INJECT_ZERO_SIGNAL, /* the last rank clears its reachable signal cells */
	CB_INJECT_STALE_EPOCH, /* waits compare against 1, not the epoch */
	CB_INJECT_NO_DOUBLE_BUFFER, /* every call uses the same scratch half */
	CB_INJECT_RING_OFF_BY_ONE, /* ring reduce-scatter reads chunk index + 1 */
	CB_INJECT_NO_ACK,      /* barrier-free senders ignore their receivers' acks */
	CB_INJECT_DIE,         /* MPI: the last rank's process exits mid-run */
};

/* The names and meanings: cb_enum_inject (optenum.h), parsed by the
 * option parser; collbench list prints them. */

struct cb_coll;
struct cb_call;
struct cb_values;

/* --inject corrupt: the rank whose output is flipped at call c (values v):
 * the root's (rooted collectives), else rank P-1's; if the golden defines
 * no element there (a zero-size block), the highest rank with a non-empty
 * output; -1 if every output is empty (size 0). exp is scratch for the
 * goldens (any rank's golden fits: the exp buffer of bench.c); the caller
 * fills its own golden after this call. */
int cb_inject_corrupt_rank(const struct cb_coll *coll, const struct cb_call *c,
			   const struct cb_values *v, void *exp);

#endif
