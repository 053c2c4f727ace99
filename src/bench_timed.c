/* bench_timed.c: one row half on one rank (bench_run.h): warm-up,
 * the synchronised start, the timed loop with per-iteration samples and
 * its checkpoints (--duration, signals), --perf-ctl around it, --counters,
 * then the check iterations. Moved from bench.c unchanged; the timed loop
 * runs the algorithm the plan resolved (cb_point.ran), nothing more. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_run.h"
#include "collbench/coldcache.h"

static void corrupt_one(const struct cb_call *c, size_t n)
{
	/* Flip a bit in the most significant byte (little-endian layout):
	 * far outside any ULP tolerance for every type. */
	unsigned char *e = (unsigned char *)c->recv + (n / 2) * c->dt->size;
	e[c->dt->size - 1] ^= 0x40;
}

static double *samples_of(struct run *run, int r, int h)
{
	return run->samples + (size_t)(2 * r + h) * (size_t)run->nsamples;
}

/* --perf-ctl: rank 0 tells perf and waits for its ack; the caller's barrier
 * keeps the other ranks waiting meanwhile. No ack: one line, exit 2. */
static void perf_send(struct run *run, struct cb_rank *rk, const char *cmd)
{
	const char *why;
	/* Within half of -T, so that a missing ack is reported as such and
	 * not as a hang. */
	double ms = run->o->timeout > 0 ? run->o->timeout * 500 : CB_PERF_ACK_MS;
	if (rk->rank != 0)
		return;
	if (cb_perf_ctl_send(run->io->pctl, cmd, ms < CB_PERF_ACK_MS ? (int)ms : CB_PERF_ACK_MS, &why)) {
		cb_progress_hold(run->io->prog);
		fflush(run->io->out);
		cb_die(CB_EXIT_RESOURCE, "--perf-ctl: '%s' failed: %s", cmd, why);
	}
}

/* Checkpoints of the timed loop: rank 0 decides, the barrier after the
 * decision publishes it, and every rank stops at the same iteration. They end
 * --duration's loop and --time-per-size's (which otherwise runs -n
 * iterations: the bound only ever shortens it), and stop the loop at the
 * next checkpoint after SIGINT or
 * SIGTERM (not only at the row's end). Rank 0 spaces them by its measured
 * time per iteration: every twentieth of the duration (or of
 * --time-per-size, if shorter than CK_SPACING_S), else about every
 * CK_SPACING_S seconds, growing at most twofold each time (so a slow start
 * cannot postpone the next one by much). A fixed -n loop shorter than the
 * spacing has no checkpoint at all: nothing extra is timed. */
#define CK_SPACING_S 0.1
#define CK_BLIND_FIRST 1024   /* -w 0: no estimate of the time per iteration */

/* The time bound of the timed loop in ns: --duration's or --time-per-size's
 * (they exclude each other), 0: none. */
static double bound_ns(const struct cb_options *o)
{
	return (o->duration > 0 ? o->duration : o->time_per_size) * 1e9;
}

static long ck_step(const struct run *run, double per_ns, double left_ns, long i)
{
	/* --duration: every twentieth of it; otherwise every CK_SPACING_S, or
	 * a twentieth of --time-per-size where that is shorter */
	double b = bound_ns(run->o), step;
	double target = run->o->duration > 0 || (b > 0 && b / 20 < CK_SPACING_S * 1e9) ?
				b / 20 : CK_SPACING_S * 1e9;
	if (target > left_ns)
		target = left_ns;
	step = per_ns > 0 ? target / per_ns : 2.0 * (double)i;
	if (i > 0 && step > 2.0 * (double)i)
		step = 2.0 * (double)i;
	return step < 1 ? 1 : step > (double)(1L << 40) ? 1L << 40 : (long)step;
}

/* Rank 0 before the timed loop: where the first checkpoint is. --duration
 * needs one after the first iteration (its estimate); otherwise the warm-up's
 * time per iteration places it. A signal already seen: right after the first
 * iteration, so that the row still has one timed iteration. */
static void checkpoint_first(struct run *run, struct checkpoint *k, double warm_ns)
{
	const struct cb_options *o = run->o;
	long first;
	if (o->duration > 0 || cb_bench_stopped() || (o->time_per_size > 0 && o->warmup == 0))
		first = 1;
	else if (o->warmup > 0)
		first = ck_step(run, warm_ns / (double)o->warmup, 1e300, 0);
	else
		first = CK_BLIND_FIRST;
	atomic_store_explicit(&k->stop, 0, memory_order_relaxed);
	atomic_store_explicit(&k->next, first, memory_order_relaxed);
}

/* Rank 0 at checkpoint i (i >= 1 iterations done, started at t0). */
static void checkpoint_decide(struct run *run, struct checkpoint *k, long i, int64_t t0)
{
	double dl = bound_ns(run->o), el = (double)(now_ns() - t0);
	bool bound = dl > 0;
	bool stop = (bound && el >= dl) || cb_bench_stopped() || i >= (1L << 40);
	atomic_store_explicit(&k->stop, stop, memory_order_relaxed);
	atomic_store_explicit(&k->next, i + ck_step(run, el / (double)i, bound ? dl - el : 1e300, i),
			      memory_order_relaxed);
}

/* One call of the algorithm with a (what it is called with). mulsum
 * (premul_src not NULL) first multiplies the rank's input by its scalar
 * into a->send: part of the call and so of its time, as NCCL's
 * premultiplication is part of its reduction. Other ops: one branch. */
static inline void call_once(struct cb_rank *rk, const struct cb_algo *algo,
			     const struct cb_call *a, const void *premul_src)
{
	comm_begin_call(rk);
	if (premul_src)
		cb_premul(a->dt, (void *)a->send, premul_src, a->n->send,
			  cb_mulsum_scalar(a->rank));
	algo->run(rk, a);
}

/* --cold-cache: call number k on buffer set k mod K (coldcache.h), else the
 * ordinary buffers; one predictable branch when off. */
static inline void call_at(struct cb_rank *rk, const struct cb_algo *algo, const struct cb_call *a,
			   const void *premul_src, const struct cb_cold *cc, long k)
{
	struct cb_call t;
	long j;
	if (!cc->slots) {
		call_once(rk, algo, a, premul_src);
		return;
	}
	j = k % cc->slots;
	t = *a;
	t.send = cb_cold_map(cc, j, a->send);
	t.recv = cb_cold_map(cc, j, a->recv);
	call_once(rk, algo, &t, cb_cold_map(cc, j, premul_src));
}

/* Every set gets the half's input (coldcache.c says why). */
static void cold_fill(const struct cb_cold *cc, const struct cb_point *pt, const struct cb_call *c,
		      const struct cb_values *v)
{
	for (long j = 0; j < cc->slots; j++) {
		struct cb_call t = *c;
		t.send = cb_cold_map(cc, j, c->send);
		t.recv = cb_cold_map(cc, j, c->recv);
		cb_coll_fill_input(pt->coll, &t, v);
	}
}

/* mulsum's call: the in-place half premultiplies its input where it is (the
 * call overwrites it anyway); out of place, the send buffer stays the
 * user's and the product goes to the window's premul area, which peers
 * find at the same offset (-u's shift u included, as the send buffer's).
 * Returns the source to premultiply, or NULL. */
static const void *premul_setup(const struct cb_point *pt, const struct rank_bufs *b,
				const struct cb_call *c, struct cb_call *a, int inplace, size_t u)
{
	*a = *c;
	if (!pt->op || pt->op->id != CB_OP_MULSUM)
		return NULL;
	if (!inplace)
		a->send = b->premul + u;
	return c->send;
}

/* -u: the bytes by which send and recv start past their page: nccl-tests'
 * unalign elements of the point's type, the same on every rank, so peers
 * still find each other's buffers at the same window offsets. */
static size_t unalign_bytes(const struct run *run, const struct cb_point *pt)
{
	return run->plan->unalign * pt->dt->size;
}

/* Check iterations run back to back with fresh inputs; each rank checks
 * its own output and remembers its first failing iteration. rk: the rank
 * in its group (--split), grk: in the run. */
static void check_half(struct run *run, struct cb_rank *rk, struct cb_rank *grk,
		       const struct cb_point *pt,
		       const struct rank_bufs *b, const struct cb_algo *algo, struct cb_call *cp,
		       struct cb_half_slot *slot)
{
	const struct cb_options *o = run->o;
	struct cb_rank_state *st = rk->state;
	struct cb_call c = *cp, a;
	struct cb_values v;
	size_t u = unalign_bytes(run, pt);
	const void *premul = premul_setup(pt, b, &c, &a, (const char *)c.send != b->send + u, u);

	atomic_store_explicit(&st->phase, CB_PHASE_CHECK, memory_order_relaxed);
	slot->first_bad = -1;
	slot->bad_count = 0;
	rk->jitter_on = 1;
	/* The fault schedules (comm.h): every rank but the root (else 0). */
	if (rk->rank != (pt->root >= 0 ? pt->root : 0)) {
		rk->stall_pending = (rk->faults & CB_FAULT_SLOW_READER) != 0;
		if (rk->faults & CB_FAULT_SLOW_WRITER)
			comm_fault_stall(rk);
	}
	for (long it = 0, target = -1; it < o->check; it++) {
		size_t n, bad;
		atomic_store_explicit(&st->iteration, (uint64_t)it, memory_order_relaxed);
		if (run->inject == CB_INJECT_ZERO_SIGNAL && rk->rank == rk->nranks - 1 &&
		    rk->rank > 0 && !run->zeroed && bench_split_corrupts(run, grk)) {
			run->zeroed = 1;  /* only this rank's thread touches it */
			comm_zero_own_signals(rk);
		}
		comm_jitter(rk);
		cb_values_init(&v, pt->dt, pt->op, rk->nranks, (unsigned)(it + 1));
		cb_coll_fill_input(pt->coll, &c, &v);
		call_once(rk, algo, &a, premul);
		/* One rank with a non-empty golden (inject.c), before mine is filled. */
		if (run->inject == CB_INJECT_CORRUPT && it == 0)
			target = cb_inject_corrupt_rank(pt->coll, &c, &v, b->exp);
		n = pt->coll->fill_expected(&c, &v, b->exp);
		if (run->inject == CB_INJECT_CORRUPT && it == 0 && n && rk->rank == target &&
		    bench_split_corrupts(run, grk))
			corrupt_one(&c, n);
		bad = cb_values_compare(&v, c.recv, b->exp, n);
		if (bad && slot->first_bad < 0) {
			slot->first_bad = it;
			slot->bad_count = (long long)bad;
		}
		atomic_fetch_add_explicit(&st->progress, 1, memory_order_relaxed);
	}
	rk->jitter_on = 0;
	rk->stall_pending = 0;
}

/* One row half's calls as this rank makes them: the call as the collective
 * sees it (c) and as the algorithm is called (a: mulsum's premultiplied
 * input), the rank it runs as (ark: the --split group's view, else rk), the
 * cold-cache rotation and the calls made so far (rot: the next set). */
struct half {
	struct cb_call c, a;
	const void *premul;
	struct cb_values v;
	struct cb_cold cc;
	long rot;
	const struct cb_algo *algo;   /* what runs (plan.c) */
	struct cb_rank *ark;
};

/* The half's buffers and inputs (-u's shift, the in-place layout, mulsum,
 * every cold set filled). */
static void half_setup(struct run *run, struct cb_rank *rk, const struct cb_point *pt,
		       struct rank_bufs *b, int inplace, struct half *h)
{
	size_t soff = 0, roff = 0, u = unalign_bytes(run, pt);
	struct cb_rank *ark = bench_split_rank(run, rk);
	struct cb_call c = { b->send + u, b->recv + u, &pt->n, pt->dt, pt->op, pt->root,
			     ark->rank, ark->nranks };

	if (inplace) {
		pt->coll->inplace(&pt->n, ark->rank, ark->nranks, &soff, &roff);
		c.send = b->recv + u + soff * pt->dt->size;
		c.recv = b->recv + u + roff * pt->dt->size;
	}
	h->c = c;
	h->ark = ark;
	h->rot = 0;
	h->algo = pt->ran[inplace];
	cb_values_init(&h->v, pt->dt, pt->op, ark->nranks, 0);
	cb_coll_fill_input(pt->coll, &h->c, &h->v);
	h->premul = premul_setup(pt, b, &h->c, &h->a, inplace, u);
	cb_cold_init(&h->cc, run->o, pt, b->cold, b->send, b->recv, b->premul, b->cold);
	cold_fill(&h->cc, pt, &h->c, &h->v);
}

/* The synchronised start after the warm-up: rank 0 publishes the first
 * checkpoint (returned: the iteration of the next one), a barrier starts
 * every rank at once, then drop-notify's arming, --perf-ctl's enable and
 * --counters' start. */
static long half_start(struct run *run, struct cb_rank *rk, struct half *h, int64_t t0,
		       struct rank_prof *prof)
{
	const struct cb_options *o = run->o;
	struct checkpoint *k = &run->ck[prof->ck++ & 1];
	long next_ck;
	if (rk->rank == 0)
		checkpoint_first(run, k, (double)(now_ns() - t0));
	run->ex->decide(run, rk, k, sizeof *k);
	next_ck = atomic_load_explicit(&k->next, memory_order_relaxed);
	comm_barrier(rk);   /* the start (an MPI broadcast above is no barrier) */
	if (run->inject == CB_INJECT_DROP_NOTIFY && rk->rank == rk->nranks - 1 &&
	    h->ark->call_seq == (uint64_t)o->warmup)
		h->ark->drop_notifies = 1;  /* only in the first row half */
	/* --perf-ctl: perf counts from here (rank 0 has its ack before any
	 * rank passes the barrier) ... */
	if (run->io->pctl) {
		perf_send(run, rk, "enable");
		comm_barrier(rk);
	}
	if (prof->has_ctr)
		cb_counters_start(&prof->ctr);
	return next_ck;
}

/* After the timed loop: --counters' stop, perf's disable, and the slot's
 * iteration count, waits and mean time per call. */
static void half_finish(struct run *run, struct cb_rank *rk, const struct half *h,
			struct rank_prof *prof, struct cb_half_slot *slot, long iters,
			int64_t total, uint64_t slow0, uint64_t paused0)
{
	struct cb_rank *ark = h->ark;
	if (prof->has_ctr)
		cb_counters_stop(&prof->ctr, slot->ctr, slot->ctr_ok);
	/* ... to here: every rank's timed loop, then perf stops counting. */
	if (run->io->pctl) {
		comm_barrier(rk);
		perf_send(run, rk, "disable");
		comm_barrier(rk);
	}
	slot->iters = iters;
	slot->yield_slow = rk->yield_slow + (ark != rk ? ark->yield_slow : 0) - slow0;
	slot->yield_paused = rk->yield_paused + (ark != rk ? ark->yield_paused : 0) - paused0;
	slot->mean_us = (double)total / 1e3 / (double)iters / (double)run->o->agg_iters;
}

/* Warm-up, the synchronised start, the timed loop, then the checks. The
 * loop itself stays here, in one frame with its locals: nothing but the
 * calls, the clock and the samples runs between two iterations. */
void bench_run_half(struct run *run, struct cb_rank *rk, const struct cb_point *pt,
		    struct rank_bufs *b, int inplace, struct cb_half_slot *slot,
		    struct rank_prof *prof)
{
	const struct cb_options *o = run->o;
	struct cb_rank_state *st = rk->state;
	struct half h;
	struct cb_rank *ark;
	int64_t t0, prev, base, total = 0;
	uint64_t slow0, paused0;
	double *samp = samples_of(run, rk->rank, inplace);
	bool dur = o->duration > 0;
	long i, next_ck;

	half_setup(run, rk, pt, b, inplace, &h);
	ark = h.ark;
	atomic_store_explicit(&st->phase, CB_PHASE_WARMUP, memory_order_relaxed);
	t0 = now_ns();
	for (long i = 0; i < o->warmup; i++)
		call_at(ark, h.algo, &h.a, h.premul, &h.cc, h.rot++);

	/* Rank 0 publishes the first checkpoint, then a synchronised start; -z 3
	 * re-synchronises before every call and times only the call. */
	atomic_store_explicit(&st->phase, CB_PHASE_TIMED, memory_order_relaxed);
	next_ck = half_start(run, rk, &h, t0, prof);
	/* Samples: every iteration's end time (under -z 3, which excludes the
	 * barrier, the call's duration); combine() turns them into times. */
	/* the group's waits are counted in its view (ark), the run's in rk */
	slow0 = rk->yield_slow + (ark != rk ? ark->yield_slow : 0);
	paused0 = rk->yield_paused + (ark != rk ? ark->yield_paused : 0);
	t0 = prev = now_ns();
	/* Samples are ns since a base all ranks share: in one process the run's
	 * base; across MPI processes (clocks of different hosts are unrelated)
	 * each rank's own start, which all ranks passed at once (the barrier
	 * above), so combine() sees every start at 0. */
	base = run->mpi ? t0 : run->base_ns;
	slot->start_ns = (double)(t0 - base);
	for (i = 0; dur || i < o->iters; i++) {
		int64_t ti = 0, te;
		if (i == next_ck) {
			/* All ranks agree on the count: rank 0 decides, a barrier
			 * publishes it. */
			struct checkpoint *k = &run->ck[prof->ck++ & 1];
			if (rk->rank == 0)
				checkpoint_decide(run, k, i, t0);
			run->ex->decide(run, rk, k, sizeof *k);
			next_ck = atomic_load_explicit(&k->next, memory_order_relaxed);
			if (atomic_load_explicit(&k->stop, memory_order_relaxed))
				break;
		}
		atomic_store_explicit(&st->iteration, (uint64_t)i, memory_order_relaxed);
		if (run->inject == CB_INJECT_DIE && rk->rank == rk->nranks - 1 && i == o->iters / 2) {
			fprintf(stderr, "collbench: rank %d: --inject die: exiting with status 9 in the "
				"timed loop of %s/%s\n", rk->rank, pt->coll->name, pt->algo->name);
			_exit(9);
		}
		if (o->blocking == 3) {
			comm_barrier(ark);
			ti = now_ns();
		}
		/* -m: agg calls make one timed iteration (nccl-tests' -z 1
		 * barrier follows each of them) */
		for (long m = 0; m < o->agg_iters; m++) {
			call_at(ark, h.algo, &h.a, h.premul, &h.cc, h.rot++);
			if (o->blocking == 1)
				comm_barrier(ark);
		}
		te = now_ns();
		if (o->blocking == 3)
			total += te - ti;
		if (i < run->nsamples)
			samp[i] = (double)(o->blocking == 3 ? te - ti : te - base);
		prev = te;
		atomic_fetch_add_explicit(&st->progress, 1, memory_order_relaxed);
	}
	if (o->blocking != 3)
		total = prev - t0;
	half_finish(run, rk, &h, prof, slot, i, total, slow0, paused0);
	check_half(run, ark, rk, pt, b, h.algo, &h.c, slot);
}
