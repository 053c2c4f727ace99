/* bench.c: the runner: spawns the rank threads (cb_bench_run), each of
 * which binds itself, allocates and first-touches its buffers, measures the
 * roofline, and runs every point of the plan (bench_timed.c), skipping the
 * points where the asked algorithm does not apply (plan.c); rank 0
 * assembles each row's record (combine.c does the arithmetic) and hands it
 * to the results and the table. The other jobs this file used to have are
 * in bench_timed.c, bench_roofline.c and bench_exchange.c (bench_run.h
 * lists them) and watchdog.c (the main thread's watch while ranks run).
 * A rank thread is three named steps (rank_setup, rank_points,
 * rank_teardown) and cb_bench_run four (run_init, start_ranks,
 * watch_ranks, run_free), each under the 80-line rule; the timed loop
 * itself is bench_timed.c's, unchanged. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_run.h"
#include "collbench/coldcache.h"
#include "collbench/memplace.h"
#include "collbench/results.h"
#include "collbench/stats.h"
#include "collbench/transport.h"
#include "collbench/watchdog.h"

void (*cb_bench_timeout_hook)(void);
_Atomic int cb_bench_stop;

struct rank_arg {
	struct run *run;
	int rank;
};


/* Bytes of the user area for the plan: send, then recv (which also hosts
 * in-place layouts, spanning max(send, recv)), then, if any point reduces
 * with mulsum, the premultiplied copy of an out-of-place send buffer (in
 * the window, so that peers find it at the same offset as the send buffer's
 * role), each page-aligned. */
static size_t user_bytes(const struct cb_plan *p, size_t *send_len, size_t *recv_len,
			 size_t *premul_len)
{
	size_t s = p->max_send_bytes, m = 0;
	size_t r = p->max_recv_bytes > p->max_send_bytes ? p->max_recv_bytes : p->max_send_bytes;
	for (int k = -1; k < p->nalt; k++)   /* every group size's points */
		for (size_t i = 0; i < p->npoints; i++) {
			const struct cb_point *pt = cb_plan_size_point(p, k, i);
			size_t b = (pt->n.send + p->unalign) * pt->dt->size;  /* -u: shifted too */
			if (pt->op && pt->op->id == CB_OP_MULSUM && b > m)
				m = b;
		}
	if (send_len)
		*send_len = s;
	if (recv_len)
		*recv_len = r;
	if (premul_len)
		*premul_len = m;
	/* then --cold-cache's sets and --split's group cells (plan.h) */
	return PAGE_UP(s) + PAGE_UP(r) + PAGE_UP(m) + p->cold_bytes + p->split_bytes;
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
	user_bytes(p, &b->send_len, &b->recv_len, &b->premul_len);
	b->exp_len = p->max_recv_bytes;
	/* MPI: the window comes from the transport (collective). */
	b->win = run->mpi ? cb_mpi_win_create(&run->comm, r)
			  : cb_placement_alloc(run->pl, r, b->win_len);
	b->send = b->win + run->comm.user_off;
	b->recv = b->send + PAGE_UP(b->send_len);
	b->premul = b->recv + PAGE_UP(b->recv_len);
	b->cold = b->premul + PAGE_UP(b->premul_len);
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
	const struct cb_combine comb = { p, o->average, o->blocking, o->check > 0, run->io->ctrs,
					 run->slots, run->samples, run->nsamples, run->comb,
					 run->means, o->agg_iters, o->per_iter_skip,
					 o->per_iter != 0, run->mpi != 0 };
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(res.stamp, sizeof res.stamp, "%Y-%m-%d %H:%M:%S", &tm);

	res.min_bytes = cb_min_traffic(pt, p);
	if (run->pt_cp && run->pt_cp[pi] != SIZE_MAX) {
		res.copy_bw = run->cp_bw[run->pt_cp[pi]];
		res.copy_bytes = run->cp_len[run->pt_cp[pi]];
	}

	for (int h = 0; h < 2; h++)
		if (h == 0 || inplace_ok)
			cb_combine_half(&comb, h, pt, res.min_bytes, res.copy_bw, &res.half[h]);
	bench_split_row(run, &res);
	cb_cold_row(o, pt, &res.cold_slots, &res.cold_bytes);
	run->sink->row(run->io, o, &res);
}

static unsigned inject_faults(enum cb_inject kind)
{
	switch (kind) {
	case CB_INJECT_STALE_EPOCH: return CB_FAULT_STALE_EPOCH | CB_FAULT_SLOW_WRITER;
	case CB_INJECT_NO_DOUBLE_BUFFER: return CB_FAULT_SINGLE_BUFFER | CB_FAULT_SLOW_READER;
	case CB_INJECT_RING_OFF_BY_ONE: return CB_FAULT_RING_OFF_BY_ONE;
	case CB_INJECT_NO_ACK: return CB_FAULT_NO_ACK | CB_FAULT_SLOW_READER;
	default: return 0;
	}
}

/* Rank 0 before a point's row (or in its place if skipped). */
static void notes(struct run *run, const struct cb_point *pt, const struct cb_coll **section)
{
	run->sink->point(run->io, run->o, pt, *section, run->plan->nranks);
	*section = pt->coll;
}

/* A rank's setup, before its first point: bound, its buffers allocated,
 * first-touched and checked, its window initialised and published, the
 * placement handed to the sink (rank 0), the roofline measured, then the
 * faults armed. */
static void rank_setup(struct run *run, int r, struct cb_rank *rk, struct rank_bufs *b,
		       struct rank_prof *prof)
{
	cb_placement_bind(run->pl, r);
	if (prof->has_ctr)
		cb_counters_open(&prof->ctr, run->io->ctrs);   /* for this thread */
	bufs_alloc(run, r, b);
	{
		/* send and recv live in the window: checked with it, once */
		void *const bufs[] = { b->win, b->exp };
		const size_t lens[] = { b->win_len, b->exp_len };
		cb_placement_check(run->pl, r, bufs, lens, 2);   /* after first touch */
	}
	comm_rank_init(rk, &run->comm, r, b->win);
	comm_jitter_seed(rk, (uint64_t)run->o->seed, (unsigned)run->o->jitter_us);
	run->comm.win[r] = b->win;
	bench_split_rank_init(run, rk);
	/* comm_rank_init published this rank's window for the hang report
	 * (comm_cell_value). MPI: this process's thread also filled in its
	 * peers' bases (cb_mpi_win_create), which no other thread writes. */
	for (int q = 0; run->mpi && q < rk->nranks; q++)
		if (q != r && run->comm.win[q])
			comm_publish_win(&run->comm, q, run->comm.win[q]);
	run->ex->setup(run);   /* windows published */
	{
		struct cb_mpi_rank *where = run->mpi ? bench_mpi_placement(run, r) : NULL;
		if (r == 0)
			run->sink->placed(run->io, run->o, run->pl, where, &run->plan->points[0]);
		free(where);
	}
	run->ex->setup(run);   /* header before any row */
	bench_roofline(run, rk, b);               /* before faults are armed */
	rk->faults = inject_faults(run->inject);
}

/* Every point of the plan on this rank, until the plan ends or rank 0
 * decides to stop (a signal). */
static void rank_points(struct run *run, int r, struct cb_rank *rk, struct rank_bufs *b,
			struct rank_prof *prof)
{
	const struct cb_coll *section = NULL;
	for (size_t i = 0; i < run->plan->npoints; i++) {
		const struct cb_point *pt = &run->plan->points[i];
		/* the point as this rank's --split group runs it (its size's
		 * counts and pick); pt is group 0's, which every rank's loop
		 * follows: whether it runs, each half, the row */
		const struct cb_point *mine = bench_split_point(run, r, i);
		int inplace_ok = pt->ran[1] != NULL;
		atomic_store_explicit(&rk->state->point, (int32_t)i, memory_order_relaxed);
		/* Not applicable here (plan.c): every rank skips it alike; the
		 * table says so in place, JSON and CSV have no record of it. */
		if (cb_point_skipped(pt)) {
			if (r == 0)
				notes(run, pt, &section);
			continue;
		}
		/* A pause of the yield stage caused by the previous row's large
		 * messages (or the setup) must not slow this row's small ones;
		 * a busy machine pauses it again within two slow yields. Each
		 * process has its own gate. */
		if (r == 0 || run->mpi)
			comm_yield_rearm(&run->comm);
		bench_run_half(run, rk, mine, b, 0, &run->slots[2 * r], prof);
		if (inplace_ok)
			bench_run_half(run, rk, mine, b, 1, &run->slots[2 * r + 1], prof);
		run->ex->row(run, rk, inplace_ok);   /* slots complete before rank 0 reads them */
		if (r == 0) {
			notes(run, pt, &section);
			combine(run, i, inplace_ok);
			/* SIGINT/SIGTERM: every rank stops after this row. */
			atomic_store_explicit(&run->stop, cb_bench_stopped(), memory_order_relaxed);
		}
		run->ex->decide(run, rk, &run->stop, sizeof run->stop);
		if (atomic_load_explicit(&run->stop, memory_order_relaxed))
			break;
	}
}

/* After the last point: no rank frees its window while a peer can still
 * read it; MPI ranks agree whether -N's next sweep starts. */
static void rank_teardown(struct run *run, int r, struct cb_rank *rk, struct rank_bufs *b,
			  struct rank_prof *prof)
{
	if (prof->has_ctr)
		cb_counters_close(&prof->ctr);
	atomic_store_explicit(&rk->state->phase, CB_PHASE_DONE, memory_order_relaxed);
	comm_barrier(rk);
	pthread_barrier_wait(&run->setup);
	if (run->mpi) {
		/* -N: every rank starts the next sweep, or none does */
		int stop = cb_bench_stopped();
		run->ex->decide(run, rk, &stop, sizeof stop);
		atomic_store_explicit(&cb_bench_stop, stop, memory_order_relaxed);
	}
	comm_publish_win(&run->comm, r, NULL);
	bench_split_rank_fini(run, rk);
	comm_rank_destroy(rk);
	bufs_free(run, b);
	atomic_fetch_add_explicit(&run->finished, 1, memory_order_release);
}

static void *rank_main(void *arg)
{
	struct rank_arg *ra = arg;
	struct run *run = ra->run;
	struct cb_rank rk;
	struct rank_bufs b;
	struct rank_prof prof = { .has_ctr = run->io->ctrs != NULL };

	rank_setup(run, ra->rank, &rk, &b, &prof);
	rank_points(run, ra->rank, &rk, &b, &prof);
	rank_teardown(run, ra->rank, &rk, &b, &prof);
	return NULL;
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
	comm_reserve_user(&c, user_bytes(plan, NULL, NULL, NULL));
	win = c.win_bytes;
	comm_destroy(&c);
	need = (size_t)nlocal * (win + PAGE_UP(plan->max_recv_bytes));
	/* --duration's samples are calloc'ed and touched only as far as the
	 * loop runs: not counted. */
	if (o->duration <= 0)
		need += ((size_t)p * 2 + 1) * (size_t)samples_per_half(o, p) * sizeof(double);
	return need;
}

/* The run's shared state: the comm and its settings, the slots and
 * sample arrays, the roofline's plan, the checkpoints. */
static void run_init(struct run *run)
{
	const struct cb_options *o = run->o;
	const struct cb_plan *plan = run->plan;
	int p = plan->nranks;

	comm_init(&run->comm, p, plan->max_scratch_bytes, run->pl->npus);
	comm_reserve_user(&run->comm, user_bytes(plan, NULL, NULL, NULL));
	comm_set_wait(&run->comm, o->wait, run->pl->npus);
	/* Memory is bound strictly: every node must hold what the plan puts
	 * there before any rank allocates (each: its window, its golden).
	 * MPI: the plan spans hosts and MPI allocates the windows; not here. */
	if (!run->mpi)
		cb_mem_check_free(run->pl, run->comm.win_bytes + plan->max_recv_bytes);
	comm_set_barrier(&run->comm, o->barrier);
	bench_split_setup(run);
	run->slots = cb_xcalloc((size_t)p * 2, sizeof *run->slots);
	run->base_ns = now_ns();
	/* --duration: the count is not known; calloc'ed pages that are never
	 * written cost nothing. */
	run->nsamples = samples_per_half(o, p);
	run->samples = cb_xcalloc((size_t)p * 2 * (size_t)run->nsamples, sizeof *run->samples);
	run->comb = cb_xcalloc((size_t)run->nsamples, sizeof *run->comb);
	run->means = cb_xcalloc((size_t)p, sizeof *run->means);
	run->cp_t = cb_xcalloc((size_t)p * 2, sizeof *run->cp_t);
	if (o->roofline)
		bench_roofline_plan(run);
	atomic_init(&run->finished, 0);
	atomic_init(&run->stop, 0);
	for (int k = 0; k < 2; k++) {
		atomic_init(&run->ck[k].stop, 0);
		atomic_init(&run->ck[k].next, 0);
	}
	pthread_barrier_init(&run->setup, NULL, (unsigned)run->nlocal);
}

static void run_free(struct run *run)
{
	pthread_barrier_destroy(&run->setup);
	bench_split_free(run);
	comm_destroy(&run->comm);
	free(run->slots);
	free(run->samples);
	free(run->comb);
	free(run->means);
	free(run->cp_t);
	free(run->cp_len);
	free(run->cp_bw);
	free(run->pt_cp);
}

/* This process's rank threads. They never take SIGINT/SIGTERM/SIGHUP (the
 * main thread's handler sets cb_bench_stop). SIGPIPE stays open: it is
 * raised in the thread whose write hit the closed pipe (rank 0 printing a
 * row), and blocked there it would never reach the handler, so a reader
 * that went away would not stop the run. */
static void start_ranks(struct run *run, pthread_t *tids, struct rank_arg *args)
{
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	for (int i = 0; i < run->nlocal; i++) {
		args[i] = (struct rank_arg){ run, run->first + i };
		if (pthread_create(&tids[i], NULL, rank_main, &args[i]))
			cb_die(CB_EXIT_RESOURCE, "cannot start rank thread %d", run->first + i);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* The main thread watches the ranks until they finish (watchdog.c). */
static void watch_ranks(struct run *run, const pthread_t *tids)
{
	/* The rank threads' CPU clocks (threads only; see computing()). */
	clockid_t *clk = run->mpi ? NULL : cb_xcalloc((size_t)run->nlocal, sizeof *clk);
	for (int i = 0; clk && i < run->nlocal; i++)
		if (pthread_getcpuclockid(tids[i], &clk[i])) {
			free(clk);
			clk = NULL;
		}
	{
		struct cb_watch w = { run->plan, &run->comm, run->io->prog, run->io->out,
				      run->o->timeout, run->mpi, run->first, run->nlocal,
				      &run->finished, clk, bench_split_watch, run };
		cb_watchdog(&w, cb_bench_timeout_hook);
	}
	free(clk);
}

void cb_bench_run(const struct cb_options *o, enum cb_inject inject,
		  struct cb_plan *plan, struct cb_placement *pl, const struct cb_bench_io *io)
{
	int p = plan->nranks;
	struct run run = { .o = o, .inject = inject, .plan = plan, .pl = pl, .io = io,
			   .mpi = cb_xport.mpi, .first = cb_xport.mpi ? cb_xport.rank : 0,
			   .nlocal = cb_xport.mpi ? 1 : p,
			   .ex = cb_xport.mpi ? &bench_mpi_exchange : &bench_threads_exchange,
			   .sink = io->sink ? io->sink : &cb_table_sink };
	pthread_t *tids = cb_xcalloc((size_t)p, sizeof *tids);
	struct rank_arg *args = cb_xcalloc((size_t)p, sizeof *args);

	run_init(&run);
	start_ranks(&run, tids, args);
	watch_ranks(&run, tids);
	for (int i = 0; i < run.nlocal; i++)
		pthread_join(tids[i], NULL);
	run_free(&run);
	free(args);
	free(tids);
}
