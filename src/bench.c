/* bench.c: the rank threads' main loop (per point: warm-up, timed
 * iterations, check iterations, for out-of-place then in-place) and the
 * main thread's watchdog. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collbench/bench.h"
#include "collbench/comm.h"

/* What each rank leaves for rank 0 after a row half. */
struct half_slot {
	double mean_us;
	long long first_bad;   /* first check iteration with a wrong element, -1 none */
	long long bad_count;   /* wrong elements in that iteration */
};

struct run {
	const struct cb_options *o;
	enum cb_inject inject;
	struct cb_plan *plan;
	struct cb_placement *pl;
	struct cb_comm comm;
	FILE *out;
	struct cb_summary *summary;
	pthread_barrier_t setup;
	struct half_slot *slots;   /* [nranks][2] */
	int zeroed;                /* zero-signal fault done (last rank only) */
	_Atomic int finished;
};

struct rank_arg {
	struct run *run;
	int rank;
};

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec * 1e-3;
}

/* Buffers of one rank, allocated and first-touched by its own thread. */
struct rank_bufs {
	char *win, *send, *recv, *exp;
	size_t win_len, send_len, recv_len, exp_len;
};

static void bufs_alloc(struct run *run, int r, struct rank_bufs *b)
{
	const struct cb_plan *p = run->plan;
	b->win_len = run->comm.win_bytes;
	b->send_len = p->max_send_bytes;
	/* The recv buffer also hosts in-place layouts, which span max(send, recv). */
	b->recv_len = p->max_recv_bytes > p->max_send_bytes ? p->max_recv_bytes : p->max_send_bytes;
	b->exp_len = p->max_recv_bytes;
	b->win = cb_placement_alloc(run->pl, r, b->win_len);
	b->send = cb_placement_alloc(run->pl, r, b->send_len);
	b->recv = cb_placement_alloc(run->pl, r, b->recv_len);
	b->exp = cb_placement_alloc(run->pl, r, b->exp_len);
	memset(b->win, 0, b->win_len);
	memset(b->send, 0, b->send_len);
	memset(b->recv, 0, b->recv_len);
	memset(b->exp, 0, b->exp_len);
}

static void bufs_free(struct run *run, struct rank_bufs *b)
{
	cb_placement_free(run->pl, b->win, b->win_len);
	cb_placement_free(run->pl, b->send, b->send_len);
	cb_placement_free(run->pl, b->recv, b->recv_len);
	cb_placement_free(run->pl, b->exp, b->exp_len);
}

static void corrupt_one(const struct cb_call *c, size_t n)
{
	/* Flip a bit in the most significant byte (little-endian layout):
	 * far outside any ULP tolerance for every type. */
	unsigned char *e = (unsigned char *)c->recv + (n / 2) * c->dt->size;
	e[c->dt->size - 1] ^= 0x40;
}

static void run_half(struct run *run, struct cb_rank *rk, const struct cb_point *pt,
		     struct rank_bufs *b, int inplace, struct half_slot *slot)
{
	const struct cb_options *o = run->o;
	struct cb_rank_state *st = rk->state;
	size_t soff = 0, roff = 0;
	struct cb_call c = { b->send, b->recv, &pt->n, pt->dt, pt->op, pt->root,
			     rk->rank, rk->nranks };
	struct cb_values v;
	double t0, total = 0;

	if (inplace) {
		pt->coll->inplace(&pt->n, rk->rank, rk->nranks, &soff, &roff);
		c.send = b->recv + soff * pt->dt->size;
		c.recv = b->recv + roff * pt->dt->size;
	}
	cb_values_init(&v, pt->dt, pt->op, rk->nranks, 0);
	pt->coll->fill_input(&c, &v);

	atomic_store_explicit(&st->phase, CB_PHASE_WARMUP, memory_order_relaxed);
	for (long i = 0; i < o->warmup; i++) {
		comm_begin_call(rk);
		pt->algo->run(rk, &c);
	}

	/* Synchronised start; -z 3 re-synchronises before every call and times
	 * only the call. */
	atomic_store_explicit(&st->phase, CB_PHASE_TIMED, memory_order_relaxed);
	comm_barrier(rk);
	if (run->inject == CB_INJECT_DROP_NOTIFY && rk->rank == rk->nranks - 1 &&
	    rk->call_seq == (uint64_t)o->warmup)
		rk->drop_notifies = 1;  /* only in the first row half */
	t0 = now_us();
	for (long i = 0; i < o->iters; i++) {
		double ti = 0;
		atomic_store_explicit(&st->iteration, (uint64_t)i, memory_order_relaxed);
		if (o->blocking == 3) {
			comm_barrier(rk);
			ti = now_us();
		}
		comm_begin_call(rk);
		pt->algo->run(rk, &c);
		if (o->blocking == 1)
			comm_barrier(rk);
		if (o->blocking == 3)
			total += now_us() - ti;
		atomic_fetch_add_explicit(&st->progress, 1, memory_order_relaxed);
	}
	if (o->blocking != 3)
		total = now_us() - t0;
	slot->mean_us = total / (double)o->iters;

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

/* Rank 0, after the closing barrier of a point: combine the ranks' slots. */
static void combine(struct run *run, const struct cb_point *pt, int inplace_ok)
{
	const struct cb_options *o = run->o;
	int p = run->plan->nranks;
	struct cb_result res = { pt, p, { { 0 } } };

	for (int h = 0; h < 2; h++) {
		struct cb_half *out = &res.half[h];
		double t = 0;
		long long first = -1, wrong = 0;
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
	}
	cb_report_row(run->out, &res, run->summary);
}

static unsigned inject_faults(enum cb_inject kind)
{
	switch (kind) {
	case CB_INJECT_STALE_EPOCH: return CB_FAULT_STALE_EPOCH;
	case CB_INJECT_NO_DOUBLE_BUFFER: return CB_FAULT_SINGLE_BUFFER;
	case CB_INJECT_RING_OFF_BY_ONE: return CB_FAULT_RING_OFF_BY_ONE;
	default: return 0;
	}
}

static void *rank_main(void *arg)
{
	struct rank_arg *ra = arg;
	struct run *run = ra->run;
	struct cb_rank rk;
	struct rank_bufs b;
	int r = ra->rank;
	const struct cb_coll *section = NULL;

	cb_placement_bind(run->pl, r);
	bufs_alloc(run, r, &b);
	{
		void *const bufs[] = { b.win, b.send, b.recv, b.exp };
		const size_t lens[] = { b.win_len, b.send_len, b.recv_len, b.exp_len };
		cb_placement_check(run->pl, r, bufs, lens, 4);   /* after first touch */
	}
	comm_rank_init(&rk, &run->comm, r, b.win);
	comm_jitter_seed(&rk, (uint64_t)run->o->seed, (unsigned)run->o->jitter_us);
	rk.faults = inject_faults(run->inject);
	run->comm.win[r] = b.win;
	pthread_barrier_wait(&run->setup);   /* windows published */
	if (r == 0)
		cb_report_header(run->out, run->o, run->pl, rk.nranks);
	pthread_barrier_wait(&run->setup);   /* header before any row */

	for (size_t i = 0; i < run->plan->npoints; i++) {
		const struct cb_point *pt = &run->plan->points[i];
		size_t so, ro;
		int inplace_ok = pt->coll->inplace(&pt->n, r, rk.nranks, &so, &ro);
		atomic_store_explicit(&rk.state->point, (int32_t)i, memory_order_relaxed);
		run_half(run, &rk, pt, &b, 0, &run->slots[2 * r]);
		if (inplace_ok)
			run_half(run, &rk, pt, &b, 1, &run->slots[2 * r + 1]);
		comm_barrier(&rk);   /* slots complete before rank 0 reads them */
		if (r == 0) {
			if (pt->coll != section)
				cb_report_section(run->out, pt->coll);
			section = pt->coll;
			combine(run, pt, inplace_ok);
		}
	}
	atomic_store_explicit(&rk.state->phase, CB_PHASE_DONE, memory_order_relaxed);
	/* No rank may free its window while a peer can still read it. */
	comm_barrier(&rk);
	pthread_barrier_wait(&run->setup);
	comm_rank_destroy(&rk);
	bufs_free(run, &b);
	atomic_fetch_add_explicit(&run->finished, 1, memory_order_release);
	return NULL;
}

static const char *phase_name(int ph)
{
	static const char *const names[] = { "setup", "warmup", "timed", "check", "done" };
	return ph >= 0 && ph < (int)CB_ARRAY_LEN(names) ? names[ph] : "?";
}

/* The hang report: what every rank is doing and which cell it waits on. */
static void report_hang(struct run *run)
{
	struct cb_comm *c = &run->comm;
	fflush(run->out);
	fprintf(stderr, "collbench: timeout: no rank made progress for %g s\n", run->o->timeout);
	for (int r = 0; r < c->nranks; r++) {
		struct cb_rank_state *st = &c->state[r];
		int pi = atomic_load_explicit(&st->point, memory_order_relaxed);
		int owner = atomic_load_explicit(&st->wait_owner, memory_order_relaxed);
		const struct cb_point *pt = pi >= 0 ? &run->plan->points[pi] : NULL;
		fprintf(stderr, "collbench:   rank %d: %s/%s size %zu phase %s iteration %llu",
			r, pt ? pt->coll->name : "-", pt ? pt->algo->name : "-", pt ? pt->n.bytes : 0,
			phase_name(atomic_load_explicit(&st->phase, memory_order_relaxed)),
			(unsigned long long)atomic_load_explicit(&st->iteration, memory_order_relaxed));
		if (owner >= 0) {
			size_t cell = (size_t)atomic_load_explicit(&st->wait_cell, memory_order_relaxed);
			char what[96];
			comm_cell_describe(c, owner, cell, what, sizeof what);
			fprintf(stderr, ": waits on cell %zu (%s) of rank %d's window, expected epoch %llu, seen %llu",
				cell, what, owner,
				(unsigned long long)atomic_load_explicit(&st->wait_expect, memory_order_relaxed),
				(unsigned long long)comm_cell_value(c, owner, cell));
		}
		fputc('\n', stderr);
	}
}

static void watchdog(struct run *run)
{
	uint64_t last = UINT64_MAX;
	double since = now_us();
	struct timespec tick = { 0, 20 * 1000 * 1000 };

	while (atomic_load_explicit(&run->finished, memory_order_acquire) < run->plan->nranks) {
		uint64_t sum = 0;
		nanosleep(&tick, NULL);
		for (int r = 0; r < run->plan->nranks; r++)
			sum += atomic_load_explicit(&run->comm.state[r].progress, memory_order_relaxed);
		if (sum != last) {
			last = sum;
			since = now_us();
		} else if (run->o->timeout > 0 && now_us() - since > run->o->timeout * 1e6) {
			report_hang(run);
			/* Rank threads may be blocked forever: leave without joining. */
			_exit(CB_EXIT_TIMEOUT);
		}
	}
}

void cb_bench_run(const struct cb_options *o, enum cb_inject inject,
		  struct cb_plan *plan, struct cb_placement *pl, FILE *out,
		  struct cb_summary *s)
{
	int p = plan->nranks;
	struct run run = { .o = o, .inject = inject, .plan = plan, .pl = pl, .out = out,
			   .summary = s };
	pthread_t *tids = cb_xcalloc((size_t)p, sizeof *tids);
	struct rank_arg *args = cb_xcalloc((size_t)p, sizeof *args);

	comm_init(&run.comm, p, plan->max_scratch_bytes, pl->npus);
	run.slots = cb_xcalloc((size_t)p * 2, sizeof *run.slots);
	atomic_init(&run.finished, 0);
	pthread_barrier_init(&run.setup, NULL, (unsigned)p);
	for (int r = 0; r < p; r++) {
		args[r] = (struct rank_arg){ &run, r };
		if (pthread_create(&tids[r], NULL, rank_main, &args[r]))
			cb_die(CB_EXIT_RESOURCE, "cannot start rank thread %d", r);
	}
	watchdog(&run);
	for (int r = 0; r < p; r++)
		pthread_join(tids[r], NULL);
	pthread_barrier_destroy(&run.setup);
	comm_destroy(&run.comm);
	free(run.slots);
	free(args);
	free(tids);
}
