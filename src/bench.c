/* bench.c: the rank threads' main loop (the roofline copy measurement, then
 * per point: warm-up, timed iterations with per-iteration samples, check
 * iterations, for out-of-place then in-place), rank 0's combination of the
 * ranks' slots into a result record; the main thread meanwhile runs the
 * watchdog (watchdog.c, which also draws the progress line). */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collbench/bench.h"
#include "collbench/comm.h"
#include "collbench/results.h"
#include "collbench/stats.h"
#include "collbench/transport.h"
#include "collbench/watchdog.h"

void (*cb_bench_timeout_hook)(void);
_Atomic int cb_bench_stop;

/* What each rank leaves for rank 0 after a row half. */
struct half_slot {
	double mean_us;
	double start_ns;       /* timed loop start, ns since the run's base */
	long long first_bad;   /* first check iteration with a wrong element, -1 none */
	long long bad_count;   /* wrong elements in that iteration */
	long iters;            /* timed iterations run (-n, or --duration's count) */
	uint64_t yield_slow;   /* slow yields in the timed loop (comm.c) */
	uint64_t yield_paused; /* its waits that slept, the yield stage paused */
	bool ctr_ok[CB_MAX_COUNTERS];  /* --counters over the timed loop */
	double ctr[CB_MAX_COUNTERS];
};

/* Rank 0's decision at a checkpoint of the timed loop (stop, or where the
 * next one is), read by every rank after the checkpoint's barrier. Two slots alternate, so rank 0 never rewrites a
 * slot a rank may still be reading (it can only reach checkpoint c+2 after
 * every rank passed the barrier of c+1, i.e. after they read slot c). */
struct checkpoint {
	_Atomic int stop;
	_Atomic long next;     /* iteration of the next checkpoint */
};

struct run;

/* How rank 0 learns the ranks' results and every rank learns rank 0's
 * decisions. Rank threads share the run's arrays: a barrier is the whole
 * exchange (each rank wrote its own slots before it, rank 0 reads after it).
 * MPI processes each have their own copy of the run: collectives move the
 * bytes to rank 0 (gathers) or from it (broadcasts). */
struct exchange {
	/* everyone here: windows published, header printed */
	void (*setup)(struct run *run);
	/* the row's slots (and samples of the halves run) reach rank 0 */
	void (*row)(struct run *run, struct cb_rank *rk, int inplace_ok);
	/* rank 0's len bytes at buf reach every rank */
	void (*decide)(struct run *run, struct cb_rank *rk, void *buf, size_t len);
	/* the roofline's cp_t reach rank 0 */
	void (*copy_times)(struct run *run, struct cb_rank *rk);
};

struct run {
	const struct cb_options *o;
	const struct exchange *ex;
	bool mpi;                  /* one rank per MPI process (transport.h) */
	int first, nlocal;         /* the ranks run by this process */
	enum cb_inject inject;
	struct cb_plan *plan;
	struct cb_placement *pl;
	struct cb_comm comm;
	const struct cb_bench_io *io;
	pthread_barrier_t setup;
	struct half_slot *slots;   /* [nranks][2] */
	double *samples;           /* [nranks][2][nsamples] iteration ends (-z 3:
				    * call durations), ns since base */
	long nsamples;
	int64_t base_ns;
	double *comb, *means;      /* rank 0's scratch: [nsamples], [nranks] */
	/* roofline: distinct copy lengths, ascending, and their bandwidths */
	size_t *cp_len;
	double *cp_bw;             /* [ncp] GB/s */
	int64_t *cp_t;             /* [nranks][2] start and end, ns */
	size_t ncp, *pt_cp;        /* [npoints] index into cp_len, SIZE_MAX none */
	int zeroed;                /* zero-signal fault done (last rank only) */
	struct checkpoint ck[2];   /* timed-loop checkpoints (--duration, signals) */
	_Atomic int stop;          /* rank 0 at a row boundary: SIGINT/SIGTERM seen (the signal) */
	_Atomic int finished;
};

struct rank_arg {
	struct run *run;
	int rank;
};

/* A rank thread's own profiling state. */
struct rank_prof {
	struct cb_counters ctr;   /* --counters, opened by the thread itself */
	bool has_ctr;
	unsigned long ck;          /* --duration checkpoints passed (slot index) */
};

/* Integer nanoseconds for samples: differences are exact. */
static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Buffers of one rank, allocated and first-touched by its own thread. The
 * send and recv buffers live in the window's user area (comm_reserve_user),
 * at the same offsets in every window, so zero-copy algorithms can read a
 * peer's buffers in place; exp (the golden) is private. */
struct rank_bufs {
	char *win, *send, *recv, *exp;
	size_t win_len, send_len, recv_len, exp_len;
};

#define PAGE_UP(x) (((x) + 4095) & ~(size_t)4095)

/* Bytes of the user area for the plan: send, then recv (which also hosts
 * in-place layouts, spanning max(send, recv)), each page-aligned. */
static size_t user_bytes(const struct cb_plan *p, size_t *send_len, size_t *recv_len)
{
	size_t s = p->max_send_bytes;
	size_t r = p->max_recv_bytes > p->max_send_bytes ? p->max_recv_bytes : p->max_send_bytes;
	if (send_len)
		*send_len = s;
	if (recv_len)
		*recv_len = r;
	return PAGE_UP(s) + PAGE_UP(r);
}

/* First touch in steps of 4 MiB, each one progress for the watchdog:
 * touching gigabytes on a busy machine takes seconds and is no hang. */
static void touch(struct run *run, int r, char *p, size_t len)
{
	const size_t step = (size_t)4 << 20;
	for (size_t off = 0; off < len; off += step) {
		memset(p + off, 0, len - off < step ? len - off : step);
		atomic_fetch_add_explicit(&run->comm.state[r].progress, 1, memory_order_relaxed);
	}
}

static void bufs_alloc(struct run *run, int r, struct rank_bufs *b)
{
	const struct cb_plan *p = run->plan;
	b->win_len = run->comm.win_bytes;
	user_bytes(p, &b->send_len, &b->recv_len);
	b->exp_len = p->max_recv_bytes;
	/* MPI: the window comes from the transport (collective). */
	b->win = run->mpi ? cb_mpi_win_create(&run->comm, r)
			  : cb_placement_alloc(run->pl, r, b->win_len);
	b->send = b->win + run->comm.user_off;
	b->recv = b->send + PAGE_UP(b->send_len);
	b->exp = cb_placement_alloc(run->pl, r, b->exp_len);
	touch(run, r, b->win, b->win_len);
	touch(run, r, b->exp, b->exp_len);
}

static void bufs_free(struct run *run, struct rank_bufs *b)
{
	if (run->mpi)
		cb_mpi_win_destroy(&run->comm);
	else
		cb_placement_free(run->pl, b->win, b->win_len);
	cb_placement_free(run->pl, b->exp, b->exp_len);
}

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
 * --duration's loop, and stop the loop at the next checkpoint after SIGINT or
 * SIGTERM (not only at the row's end). Rank 0 spaces them by its measured
 * time per iteration: every twentieth of the duration, else about every
 * CK_SPACING_S seconds, growing at most twofold each time (so a slow start
 * cannot postpone the next one by much). A fixed -n loop shorter than the
 * spacing has no checkpoint at all: nothing extra is timed. */
#define CK_SPACING_S 0.1
#define CK_BLIND_FIRST 1024   /* -w 0: no estimate of the time per iteration */

static long ck_step(const struct run *run, double per_ns, double left_ns, long i)
{
	double target = run->o->duration > 0 ? run->o->duration * 1e9 / 20 : CK_SPACING_S * 1e9;
	double step;
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
	if (o->duration > 0 || cb_bench_stopped())
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
	double dl = run->o->duration * 1e9, el = (double)(now_ns() - t0);
	bool dur = run->o->duration > 0;
	bool stop = (dur && el >= dl) || cb_bench_stopped() || i >= (1L << 40);
	atomic_store_explicit(&k->stop, stop, memory_order_relaxed);
	atomic_store_explicit(&k->next, i + ck_step(run, el / (double)i, dur ? dl - el : 1e300, i),
			      memory_order_relaxed);
}

static void run_half(struct run *run, struct cb_rank *rk, const struct cb_point *pt,
		     struct rank_bufs *b, int inplace, struct half_slot *slot,
		     struct rank_prof *prof)
{
	const struct cb_options *o = run->o;
	struct cb_rank_state *st = rk->state;
	size_t soff = 0, roff = 0;
	struct cb_call c = { b->send, b->recv, &pt->n, pt->dt, pt->op, pt->root,
			     rk->rank, rk->nranks };
	struct cb_values v;
	int64_t t0, prev, base, total = 0;
	uint64_t slow0, paused0;
	double *samp = samples_of(run, rk->rank, inplace);
	bool dur = o->duration > 0;
	long i, next_ck;

	if (inplace) {
		pt->coll->inplace(&pt->n, rk->rank, rk->nranks, &soff, &roff);
		c.send = b->recv + soff * pt->dt->size;
		c.recv = b->recv + roff * pt->dt->size;
	}
	cb_values_init(&v, pt->dt, pt->op, rk->nranks, 0);
	pt->coll->fill_input(&c, &v);

	atomic_store_explicit(&st->phase, CB_PHASE_WARMUP, memory_order_relaxed);
	t0 = now_ns();
	for (long i = 0; i < o->warmup; i++) {
		comm_begin_call(rk);
		pt->algo->run(rk, &c);
	}

	/* Rank 0 publishes the first checkpoint, then a synchronised start; -z 3
	 * re-synchronises before every call and times only the call. */
	atomic_store_explicit(&st->phase, CB_PHASE_TIMED, memory_order_relaxed);
	{
		struct checkpoint *k = &run->ck[prof->ck++ & 1];
		if (rk->rank == 0)
			checkpoint_first(run, k, (double)(now_ns() - t0));
		run->ex->decide(run, rk, k, sizeof *k);
		next_ck = atomic_load_explicit(&k->next, memory_order_relaxed);
	}
	comm_barrier(rk);   /* the start (an MPI broadcast above is no barrier) */
	if (run->inject == CB_INJECT_DROP_NOTIFY && rk->rank == rk->nranks - 1 &&
	    rk->call_seq == (uint64_t)o->warmup)
		rk->drop_notifies = 1;  /* only in the first row half */
	/* --perf-ctl: perf counts from here (rank 0 has its ack before any
	 * rank passes the barrier) ... */
	if (run->io->pctl) {
		perf_send(run, rk, "enable");
		comm_barrier(rk);
	}
	if (prof->has_ctr)
		cb_counters_start(&prof->ctr);
	/* Samples: every iteration's end time (under -z 3, which excludes the
	 * barrier, the call's duration); combine() turns them into times. */
	slow0 = rk->yield_slow;
	paused0 = rk->yield_paused;
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
			comm_barrier(rk);
			ti = now_ns();
		}
		comm_begin_call(rk);
		pt->algo->run(rk, &c);
		if (o->blocking == 1)
			comm_barrier(rk);
		te = now_ns();
		if (o->blocking == 3)
			total += te - ti;
		if (i < run->nsamples)
			samp[i] = (double)(o->blocking == 3 ? te - ti : te - base);
		prev = te;
		atomic_fetch_add_explicit(&st->progress, 1, memory_order_relaxed);
	}
	if (prof->has_ctr)
		cb_counters_stop(&prof->ctr, slot->ctr, slot->ctr_ok);
	/* ... to here: every rank's timed loop, then perf stops counting. */
	if (run->io->pctl) {
		comm_barrier(rk);
		perf_send(run, rk, "disable");
		comm_barrier(rk);
	}
	if (o->blocking != 3)
		total = prev - t0;
	slot->iters = i;
	slot->yield_slow = rk->yield_slow - slow0;
	slot->yield_paused = rk->yield_paused - paused0;
	slot->mean_us = (double)total / 1e3 / (double)i;

	/* Check iterations run back to back with fresh inputs; each rank checks
	 * its own output and remembers its first failing iteration. */
	atomic_store_explicit(&st->phase, CB_PHASE_CHECK, memory_order_relaxed);
	slot->first_bad = -1;
	slot->bad_count = 0;
	rk->jitter_on = 1;
	for (long it = 0; it < o->check; it++) {
		size_t n, bad;
		atomic_store_explicit(&st->iteration, (uint64_t)it, memory_order_relaxed);
		if (run->inject == CB_INJECT_ZERO_SIGNAL && rk->rank == rk->nranks - 1 &&
		    rk->rank > 0 && !run->zeroed) {
			run->zeroed = 1;  /* only this rank's thread touches it */
			comm_zero_own_signals(rk);
		}
		comm_jitter(rk);
		cb_values_init(&v, pt->dt, pt->op, rk->nranks, (unsigned)(it + 1));
		pt->coll->fill_input(&c, &v);
		comm_begin_call(rk);
		pt->algo->run(rk, &c);
		n = pt->coll->fill_expected(&c, &v, b->exp);
		/* The root's output is the one rooted collectives define. */
		if (run->inject == CB_INJECT_CORRUPT && it == 0 && n &&
		    rk->rank == (pt->root >= 0 ? pt->root : rk->nranks - 1))
			corrupt_one(&c, n);
		bad = cb_values_compare(&v, c.recv, b->exp, n);
		if (bad && slot->first_bad < 0) {
			slot->first_bad = it;
			slot->bad_count = (long long)bad;
		}
		atomic_fetch_add_explicit(&st->progress, 1, memory_order_relaxed);
	}
	rk->jitter_on = 0;
}

/* Rank 0, after the closing barrier of a point: combine the ranks' slots
 * and samples into the row's record. Iteration i of the collective is
 * complete when its last rank finishes it: its time is the latest end of
 * iteration i minus the latest end of iteration i-1 (of the start, for the
 * first), so the times add up to the collective's wall time. Under -z 3
 * every call starts at a barrier: the time is the longest call. */
static void combine(struct run *run, size_t pi, int inplace_ok)
{
	const struct cb_options *o = run->o;
	const struct cb_point *pt = &run->plan->points[pi];
	int p = run->plan->nranks;
	struct cb_result res = { .pt = pt, .nranks = p, .ctrs = run->io->ctrs,
				 .cycle = run->io->cycle };
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(res.stamp, sizeof res.stamp, "%Y-%m-%d %H:%M:%S", &tm);

	res.min_bytes = cb_min_traffic(pt, p);
	if (run->pt_cp && run->pt_cp[pi] != SIZE_MAX) {
		res.copy_bw = run->cp_bw[run->pt_cp[pi]];
		res.copy_bytes = run->cp_len[run->pt_cp[pi]];
	}

	for (int h = 0; h < 2; h++) {
		struct cb_half *out = &res.half[h];
		double t = 0;
		long long first = -1, wrong = 0;
		long iters = run->slots[h].iters;   /* the same on every rank */
		long ns = iters < run->nsamples ? iters : run->nsamples;
		if (h == 1 && !inplace_ok)
			continue;
		out->present = true;
		for (int r = 0; r < p; r++) {
			const struct half_slot *s = &run->slots[2 * r + h];
			double m = s->mean_us;
			if (o->average == 0)
				t = r == 0 ? m : t;
			else if (o->average == 1)
				t += m / p;
			else if (o->average == 2)
				t = (r == 0 || m < t) ? m : t;
			else
				t = (r == 0 || m > t) ? m : t;
			if (s->first_bad >= 0 && (first < 0 || s->first_bad < first))
				first = s->first_bad;
		}
		for (int r = 0; r < p; r++)
			if (run->slots[2 * r + h].first_bad == first && first >= 0)
				wrong += run->slots[2 * r + h].bad_count;
		out->time_us = t;
		out->algbw = t > 0 ? (double)pt->n.algbw_bytes / (t * 1e3) : 0;
		out->busbw = out->algbw * pt->coll->busbw_factor(p);
		out->wrong = o->check ? wrong : -1;
		out->iters = iters;
		for (int r = 0; r < p; r++) {
			out->yield_slow += (long long)run->slots[2 * r + h].yield_slow;
			out->yield_paused += (long long)run->slots[2 * r + h].yield_paused;
		}
		for (unsigned k = 0; res.ctrs && k < res.ctrs->n; k++) {
			double sum = 0;
			bool ok = true;
			for (int r = 0; r < p; r++) {
				ok = ok && run->slots[2 * r + h].ctr_ok[k];
				sum += run->slots[2 * r + h].ctr[k];
			}
			out->ctr_ok[k] = ok;
			out->ctr_total[k] = ok ? sum : 0;
			out->ctr_per_iter[k] = ok ? sum / (double)iters : 0;
		}

		for (int r = 0; r < p; r++)
			run->means[r] = run->slots[2 * r + h].mean_us;
		memcpy(run->comb, samples_of(run, 0, h), (size_t)ns * sizeof *run->comb);
		for (int r = 1; r < p; r++)
			cb_stats_max_into(run->comb, samples_of(run, r, h), ns);
		if (o->blocking != 3) {
			double start = 0;
			for (int r = 0; r < p; r++)
				start = run->slots[2 * r + h].start_ns > start ?
					run->slots[2 * r + h].start_ns : start;
			cb_stats_ends_to_times(run->comb, ns, start);
		}
		for (long i = 0; i < ns; i++)
			run->comb[i] /= 1e3;   /* ns -> us (exact decimals) */
		cb_stats_straggler(run->means, p, &out->st);
		cb_stats_compute(run->comb, ns, &out->st);

		/* E = compulsory bytes / (time x measured copy bandwidth) */
		out->has_eff = res.copy_bw > 0 && t > 0 && res.min_bytes > 0;
		out->eff = out->has_eff ? res.min_bytes / (t * 1e3 * res.copy_bw) : 0;
	}
	cb_results_add(run->io->rep, &res);
	cb_progress_hold(run->io->prog);
	cb_report_row(run->io->out, o, &res);
	cb_progress_release(run->io->prog);
}

static unsigned inject_faults(enum cb_inject kind)
{
	switch (kind) {
	case CB_INJECT_STALE_EPOCH: return CB_FAULT_STALE_EPOCH;
	case CB_INJECT_NO_DOUBLE_BUFFER: return CB_FAULT_SINGLE_BUFFER;
	case CB_INJECT_RING_OFF_BY_ONE: return CB_FAULT_RING_OFF_BY_ONE;
	case CB_INJECT_NO_ACK: return CB_FAULT_NO_ACK;
	default: return 0;
	}
}

long cb_roofline_reps(size_t len)
{
	long reps = len ? (long)((2u << 20) / len) : 0;
	return reps < 2 ? 2 : reps > 16384 ? 16384 : reps;
}

/* STREAM-style copy bandwidth with this run's placement and rank count:
 * every rank copies between two of its own buffers, the very ones the
 * collective uses (allocated by the --mem policy, first touched by itself;
 * the recv buffer holds max(send, recv), and the send or the expected-value
 * buffer holds any copy length), all ranks at once, at each distinct copy
 * length of the plan; bytes = read + written by all ranks; the time is the
 * region's, from the first rank's start to the last rank's end (ranks that
 * share a PU do not overlap, so per-rank times would overcount). */
static void roofline(struct run *run, struct cb_rank *rk, const struct rank_bufs *b)
{
	int r = rk->rank, p = rk->nranks;

	for (size_t j = 0; j < run->ncp; j++) {
		size_t len = run->cp_len[j];
		long reps = cb_roofline_reps(len);
		char *dst = b->recv;
		const char *src = len <= b->send_len ? b->send : b->exp;
		int64_t base;
		memcpy(dst, src, len);   /* warm */
		comm_barrier(rk);
		/* MPI: times since this rank's pass of the barrier (see run_half) */
		base = run->mpi ? now_ns() : 0;
		run->cp_t[2 * r] = now_ns() - base;
		for (long k = 0; k < reps; k++) {
			memcpy(dst, src, len);
			__asm__ __volatile__("" : : "r"(dst) : "memory");
			/* Progress for the watchdog, where one copy takes long
			 * enough (>= 1 MiB) that the atomic add is not timed. */
			if (len >= ((size_t)1 << 20))
				atomic_fetch_add_explicit(&rk->state->progress, 1,
							  memory_order_relaxed);
		}
		run->cp_t[2 * r + 1] = now_ns() - base;
		atomic_fetch_add_explicit(&rk->state->progress, 1, memory_order_relaxed);
		run->ex->copy_times(run, rk);
		if (r == 0) {
			int64_t t0 = run->cp_t[0], t1 = run->cp_t[1];
			for (int q = 1; q < p; q++) {
				t0 = run->cp_t[2 * q] < t0 ? run->cp_t[2 * q] : t0;
				t1 = run->cp_t[2 * q + 1] > t1 ? run->cp_t[2 * q + 1] : t1;
			}
			/* bytes / ns = GB/s */
			run->cp_bw[j] = t1 > t0 ? 2.0 * (double)len * (double)reps * p / (double)(t1 - t0) : 0;
		}
	}
}

/* ---- exchanges (struct exchange) ---- */

static void th_setup(struct run *run)
{
	pthread_barrier_wait(&run->setup);
}

static void th_row(struct run *run, struct cb_rank *rk, int inplace_ok)
{
	(void)run;
	(void)inplace_ok;
	comm_barrier(rk);   /* slots complete before rank 0 reads them */
}

static void th_decide(struct run *run, struct cb_rank *rk, void *buf, size_t len)
{
	(void)run;
	(void)buf;
	(void)len;
	comm_barrier(rk);   /* rank 0 wrote buf before it */
}

static void th_copy_times(struct run *run, struct cb_rank *rk)
{
	(void)run;
	comm_barrier(rk);
}

static const struct exchange threads_exchange = { th_setup, th_row, th_decide, th_copy_times };

static void mpi_setup(struct run *run)
{
	pthread_barrier_wait(&run->setup);   /* this process's one rank thread */
	cb_mpi_barrier();
}

/* Slots are plain bytes: every process runs the same binary. Samples: the
 * iterations actually timed (the same count on every rank), per half. */
static void mpi_row(struct run *run, struct cb_rank *rk, int inplace_ok)
{
	cb_mpi_gather(run->slots, 2 * sizeof *run->slots);
	for (int h = 0; h <= (inplace_ok ? 1 : 0); h++) {
		long it = run->slots[2 * rk->rank + h].iters;
		cb_mpi_gather_doubles(run->samples, 2 * run->nsamples, h * run->nsamples,
				      it < run->nsamples ? it : run->nsamples);
	}
}

static void mpi_decide(struct run *run, struct cb_rank *rk, void *buf, size_t len)
{
	(void)run;
	(void)rk;
	cb_mpi_bcast(buf, len);
}

static void mpi_copy_times(struct run *run, struct cb_rank *rk)
{
	(void)rk;
	cb_mpi_gather(run->cp_t, 2 * sizeof *run->cp_t);
}

static const struct exchange mpi_exchange = { mpi_setup, mpi_row, mpi_decide, mpi_copy_times };

/* MPI: where every rank runs, gathered to rank 0 for the placement block.
 * The launcher binds the processes (collbench does not): the block shows
 * the PU each rank ran on at setup and the PUs its binding allows. */
struct mpi_place {
	int pid, pu, nallowed;
	char host[64];
	char allowed[48];
};

static void cpulist(char *out, size_t cap, const cpu_set_t *set)
{
	size_t len = 0;
	out[0] = '\0';
	for (int c = 0; c < CPU_SETSIZE && len + 12 < cap; c++) {
		int e = c;
		if (!CPU_ISSET(c, set))
			continue;
		while (e + 1 < CPU_SETSIZE && CPU_ISSET(e + 1, set))
			e++;
		len += (size_t)snprintf(out + len, cap - len, len ? ",%d" : "%d", c);
		if (e > c)
			len += (size_t)snprintf(out + len, cap - len, "-%d", e);
		c = e;
	}
}

static void mpi_placement(struct run *run, int r)
{
	int p = run->plan->nranks, hosts = cb_xport.nhosts;
	struct mpi_place *all = cb_xcalloc((size_t)p, sizeof *all), *me = &all[r];
	cpu_set_t set;
	FILE *f = run->io->out;

	me->pid = (int)getpid();
	me->pu = sched_getcpu();
	gethostname(me->host, sizeof me->host - 1);
	CPU_ZERO(&set);
	if (!sched_getaffinity(0, sizeof set, &set)) {
		me->nallowed = CPU_COUNT(&set);
		cpulist(me->allowed, sizeof me->allowed, &set);
	}
	cb_mpi_gather(all, sizeof *all);
	if (r == 0) {
		fprintf(f, "#\n# Transport: MPI (%s), %d process%s on %d host%s, %s windows, binding by the launcher\n",
			cb_xport.library, p, p == 1 ? "" : "es", hosts, hosts == 1 ? "" : "s",
			cb_xport.window == CB_MPIWIN_SHARED ? "shared (MPI_Win_allocate_shared)"
							     : "rma (MPI_Win_allocate)");
		for (int q = 0; q < p; q++)
			fprintf(f, "#  Rank %2d Pid %6d on %10s PU %3d allowed PUs %s (%d)\n", q,
				all[q].pid, all[q].host, all[q].pu, all[q].allowed, all[q].nallowed);
		for (int q = 0; q < p; q++) {
			struct cb_rank_place *rp = &run->pl->ranks[q];
			rp->ran_on = all[q].pu;
			rp->pid = all[q].pid;
			snprintf(rp->host, sizeof rp->host, "%s", all[q].host);
		}
		fprintf(f, "#\n");
		fflush(f);
	}
	free(all);
}

static void *rank_main(void *arg)
{
	struct rank_arg *ra = arg;
	struct run *run = ra->run;
	struct cb_rank rk;
	struct rank_bufs b;
	int r = ra->rank;
	const struct cb_coll *section = NULL;
	struct rank_prof prof = { .has_ctr = run->io->ctrs != NULL };

	cb_placement_bind(run->pl, r);
	if (prof.has_ctr)
		cb_counters_open(&prof.ctr, run->io->ctrs);   /* for this thread */
	bufs_alloc(run, r, &b);
	{
		void *const bufs[] = { b.win, b.send, b.recv, b.exp };
		const size_t lens[] = { b.win_len, b.send_len, b.recv_len, b.exp_len };
		cb_placement_check(run->pl, r, bufs, lens, 4);   /* after first touch */
	}
	comm_rank_init(&rk, &run->comm, r, b.win);
	comm_jitter_seed(&rk, (uint64_t)run->o->seed, (unsigned)run->o->jitter_us);
	run->comm.win[r] = b.win;
	/* comm_rank_init published this rank's window for the hang report
	 * (comm_cell_value). MPI: this process's thread also filled in its
	 * peers' bases (cb_mpi_win_create), which no other thread writes. */
	for (int q = 0; run->mpi && q < rk.nranks; q++)
		if (q != r && run->comm.win[q])
			comm_publish_win(&run->comm, q, run->comm.win[q]);
	run->ex->setup(run);   /* windows published */
	if (run->mpi)
		mpi_placement(run, r);
	if (r == 0) {
		cb_progress_hold(run->io->prog);
		if (run->mpi) {
			/* rank 0's machine; the rank map is the block above */
			cb_placement_print_topology(run->io->out, run->pl, false);
			fprintf(run->io->out, "#\n");
			fflush(run->io->out);
		} else {
			cb_report_header(run->io->out, run->o, run->pl, run->io->count_index,
					 run->io->ncounts);
		}
		cb_progress_release(run->io->prog);
		cb_results_place(run->io->rep, run->pl);
	}
	run->ex->setup(run);   /* header before any row */
	roofline(run, &rk, &b);               /* before faults are armed */
	rk.faults = inject_faults(run->inject);

	for (size_t i = 0; i < run->plan->npoints; i++) {
		const struct cb_point *pt = &run->plan->points[i];
		size_t so, ro;
		int inplace_ok = pt->coll->inplace(&pt->n, r, rk.nranks, &so, &ro);
		atomic_store_explicit(&rk.state->point, (int32_t)i, memory_order_relaxed);
		/* A pause of the yield stage caused by the previous row's large
		 * messages (or the setup) must not slow this row's small ones;
		 * a busy machine pauses it again within two slow yields. Each
		 * process has its own gate. */
		if (r == 0 || run->mpi)
			comm_yield_rearm(&run->comm);
		run_half(run, &rk, pt, &b, 0, &run->slots[2 * r], &prof);
		if (inplace_ok)
			run_half(run, &rk, pt, &b, 1, &run->slots[2 * r + 1], &prof);
		run->ex->row(run, &rk, inplace_ok);   /* slots complete before rank 0 reads them */
		if (r == 0) {
			if (pt->coll != section) {
				cb_progress_hold(run->io->prog);
				cb_report_section(run->io->out, run->o, pt->coll, rk.nranks,
						  run->io->ctrs);
				cb_progress_release(run->io->prog);
			}
			section = pt->coll;
			combine(run, i, inplace_ok);
			/* SIGINT/SIGTERM: every rank stops after this row. */
			atomic_store_explicit(&run->stop, cb_bench_stopped(), memory_order_relaxed);
		}
		run->ex->decide(run, &rk, &run->stop, sizeof run->stop);
		if (atomic_load_explicit(&run->stop, memory_order_relaxed))
			break;
	}
	if (prof.has_ctr)
		cb_counters_close(&prof.ctr);
	atomic_store_explicit(&rk.state->phase, CB_PHASE_DONE, memory_order_relaxed);
	/* No rank may free its window while a peer can still read it. */
	comm_barrier(&rk);
	pthread_barrier_wait(&run->setup);
	if (run->mpi) {
		/* -N: every rank starts the next sweep, or none does */
		int stop = cb_bench_stopped();
		run->ex->decide(run, &rk, &stop, sizeof stop);
		atomic_store_explicit(&cb_bench_stop, stop, memory_order_relaxed);
	}
	comm_publish_win(&run->comm, r, NULL);
	comm_rank_destroy(&rk);
	bufs_free(run, &b);
	atomic_fetch_add_explicit(&run->finished, 1, memory_order_release);
	return NULL;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* The distinct copy lengths of the plan (the size column: max(send, recv)
 * bytes per rank), and each point's index among them. */
static void roofline_plan(struct run *run)
{
	const struct cb_plan *plan = run->plan;
	size_t n = 0;
	run->pt_cp = cb_xcalloc(plan->npoints, sizeof *run->pt_cp);
	run->cp_len = cb_xcalloc(plan->npoints, sizeof *run->cp_len);
	for (size_t i = 0; i < plan->npoints; i++) {
		const struct cb_point *pt = &plan->points[i];
		size_t e = pt->n.send > pt->n.recv ? pt->n.send : pt->n.recv;
		run->cp_len[n++] = e * pt->dt->size;
	}
	qsort(run->cp_len, n, sizeof *run->cp_len, cmp_size);
	run->ncp = 0;
	for (size_t i = 0; i < n; i++)
		if (run->cp_len[i] && (!run->ncp || run->cp_len[run->ncp - 1] != run->cp_len[i]))
			run->cp_len[run->ncp++] = run->cp_len[i];
	for (size_t i = 0; i < plan->npoints; i++) {
		const struct cb_point *pt = &plan->points[i];
		size_t e = pt->n.send > pt->n.recv ? pt->n.send : pt->n.recv, len = e * pt->dt->size;
		size_t *hit = run->ncp ? bsearch(&len, run->cp_len, run->ncp, sizeof len, cmp_size) : NULL;
		run->pt_cp[i] = hit ? (size_t)(hit - run->cp_len) : SIZE_MAX;
	}
	run->cp_bw = cb_xcalloc(run->ncp, sizeof *run->cp_bw);
}

/* Samples kept per rank and row half (CB_SAMPLES_MAX, CB_SAMPLES_TOTAL). */
static long samples_per_half(const struct cb_options *o, int p)
{
	long cap = CB_SAMPLES_TOTAL / (2L * p), n;
	n = o->duration > 0 ? cap : o->iters < cap ? o->iters : cap;
	return n > CB_SAMPLES_MAX ? CB_SAMPLES_MAX : n;
}

size_t cb_bench_mem_need(const struct cb_options *o, const struct cb_plan *plan, int npus)
{
	struct cb_comm c;
	int p = plan->nranks, nlocal = cb_xport.mpi ? 1 : p;
	size_t win, need;
	/* The window's layout as the run will make it (comm_init allocates
	 * only the small per-rank arrays). */
	comm_init(&c, p, plan->max_scratch_bytes, npus);
	comm_reserve_user(&c, user_bytes(plan, NULL, NULL));
	win = c.win_bytes;
	comm_destroy(&c);
	need = (size_t)nlocal * (win + PAGE_UP(plan->max_recv_bytes));
	/* --duration's samples are calloc'ed and touched only as far as the
	 * loop runs: not counted. */
	if (o->duration <= 0)
		need += ((size_t)p * 2 + 1) * (size_t)samples_per_half(o, p) * sizeof(double);
	return need;
}

void cb_bench_run(const struct cb_options *o, enum cb_inject inject,
		  struct cb_plan *plan, struct cb_placement *pl, const struct cb_bench_io *io)
{
	int p = plan->nranks;
	struct run run = { .o = o, .inject = inject, .plan = plan, .pl = pl, .io = io,
			   .mpi = cb_xport.mpi, .first = cb_xport.mpi ? cb_xport.rank : 0,
			   .nlocal = cb_xport.mpi ? 1 : p,
			   .ex = cb_xport.mpi ? &mpi_exchange : &threads_exchange };
	pthread_t *tids = cb_xcalloc((size_t)p, sizeof *tids);
	struct rank_arg *args = cb_xcalloc((size_t)p, sizeof *args);
	clockid_t *clk;

	comm_init(&run.comm, p, plan->max_scratch_bytes, pl->npus);
	comm_reserve_user(&run.comm, user_bytes(plan, NULL, NULL));
	comm_set_wait_name(&run.comm, o->wait, pl->npus);
	comm_set_barrier_name(&run.comm, o->barrier);
	run.slots = cb_xcalloc((size_t)p * 2, sizeof *run.slots);
	run.base_ns = now_ns();
	/* --duration: the count is not known; calloc'ed pages that are never
	 * written cost nothing. */
	run.nsamples = samples_per_half(o, p);
	run.samples = cb_xcalloc((size_t)p * 2 * (size_t)run.nsamples, sizeof *run.samples);
	run.comb = cb_xcalloc((size_t)run.nsamples, sizeof *run.comb);
	run.means = cb_xcalloc((size_t)p, sizeof *run.means);
	run.cp_t = cb_xcalloc((size_t)p * 2, sizeof *run.cp_t);
	if (o->roofline)
		roofline_plan(&run);
	atomic_init(&run.finished, 0);
	atomic_init(&run.stop, 0);
	for (int k = 0; k < 2; k++) {
		atomic_init(&run.ck[k].stop, 0);
		atomic_init(&run.ck[k].next, 0);
	}
	pthread_barrier_init(&run.setup, NULL, (unsigned)run.nlocal);
	{
		/* Rank threads never take SIGINT/SIGTERM/SIGHUP (the main
		 * thread's handler sets cb_bench_stop). SIGPIPE stays open: it
		 * is raised in the thread whose write hit the closed pipe (rank
		 * 0 printing a row), and blocked there it would never reach the
		 * handler, so a reader that went away would not stop the run. */
		sigset_t set, old;
		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGHUP);
		pthread_sigmask(SIG_BLOCK, &set, &old);
		for (int i = 0; i < run.nlocal; i++) {
			args[i] = (struct rank_arg){ &run, run.first + i };
			if (pthread_create(&tids[i], NULL, rank_main, &args[i]))
				cb_die(CB_EXIT_RESOURCE, "cannot start rank thread %d", run.first + i);
		}
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	/* The rank threads' CPU clocks (threads only; see computing()). */
	clk = run.mpi ? NULL : cb_xcalloc((size_t)run.nlocal, sizeof *clk);
	for (int i = 0; clk && i < run.nlocal; i++)
		if (pthread_getcpuclockid(tids[i], &clk[i])) {
			free(clk);
			clk = NULL;
		}
	{
		struct cb_watch w = { plan, &run.comm, io->prog, io->out, o->timeout, run.mpi,
				      run.first, run.nlocal, &run.finished, clk };
		cb_watchdog(&w, cb_bench_timeout_hook);
	}
	free(clk);
	for (int i = 0; i < run.nlocal; i++)
		pthread_join(tids[i], NULL);
	pthread_barrier_destroy(&run.setup);
	comm_destroy(&run.comm);
	free(run.slots);
	free(run.samples);
	free(run.comb);
	free(run.means);
	free(run.cp_t);
	free(run.cp_len);
	free(run.cp_bw);
	free(run.pt_cp);
	free(args);
	free(tids);
}
