/* align_probe.c: a test plug-in (test/t_nccl.sh) that shows where -u puts
 * the buffers. Its allreduce "align_probe" is a plain, correct reduction
 * (so -c still checks every element), and on each rank's first call of
 * every (element size, half) it prints to stderr
 *
 *     align_probe: rank R esize E inplace I send%4096 S recv%4096 V where_misalign W
 *
 * S and V are measured from the pointers themselves, W is what collbench
 * says through cbp_where_misalign: the test holds both to N x E for -u N.
 * The windows are page-aligned, so without -u S and V are 0. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "collbench/plugin.h"

#define MAX_RANKS 512

/* cbp_where_misalign as applies last saw it (plan time, main thread,
 * before any rank runs); the test runs one datatype, so it is the same for
 * every point. */
static size_t where_mis;
/* Per rank: (esize, half) pairs already printed; each rank's thread
 * touches only its own entry. */
static unsigned printed[MAX_RANKS];

static size_t scratch(const struct cb_counts *n, size_t esize, int nranks)
{
	(void)nranks;
	return cbp_counts_count(n) * esize;
}

static bool applies(const struct cb_where *w, char *why, size_t cap)
{
	(void)why, (void)cap;
	where_mis = cbp_where_misalign(w);
	return true;
}

static void probe(const struct cb_rank *rk, const struct cb_call *c)
{
	int r = cbp_rank(rk);
	size_t es = cbp_esize(c);
	int inplace = (const void *)cbp_send(c) == (const void *)cbp_recv(c);
	unsigned bit = 1u << ((es & 15) * 2 + (unsigned)inplace);
	if (r >= MAX_RANKS || (printed[r] & bit))
		return;
	printed[r] |= bit;
	fprintf(stderr, "align_probe: rank %d esize %zu inplace %d send%%4096 %zu recv%%4096 %zu where_misalign %zu\n",
		r, es, inplace, (size_t)((uintptr_t)cbp_send(c) % 4096),
		(size_t)((uintptr_t)cbp_recv(c) % 4096), where_mis);
}

/* Every rank sums every rank's input in rank order into scratch (reads
 * only, between two barriers), then writes its recv: the same order on
 * every rank, so the result is the same everywhere, in place or not. */
static void run(struct cb_rank *rk, const struct cb_call *c)
{
	int p = cbp_nranks(rk), me = cbp_rank(rk);
	size_t n = cbp_count(c), bytes = n * cbp_esize(c);
	unsigned char *acc = cbp_scratch(rk);
	const void *send = cbp_send(c);

	probe(rk, c);
	cbp_barrier(rk);   /* every rank's input is written */
	for (int q = 0; q < p; q++) {
		const void *in = q == me ? send : cbp_get(rk, send, q, bytes);
		if (q == 0)
			memcpy(acc, in, bytes);
		else
			cbp_reduce(c, acc, acc, in, n);
	}
	cbp_barrier(rk);   /* every rank has read every input */
	memcpy(cbp_recv(c), acc, bytes);
	cbp_reduce_finish(c, cbp_recv(c), n);
}

static const struct cbp_algo algos[] = {
	{ "align_probe", "allreduce", "test: prints where -u put the buffers", scratch,
	  applies, run },
};
CBP_PLUGIN(algos)
