/* bench_exchange.c: how rank 0 learns the ranks' results and the ranks
 * learn rank 0's decisions (struct exchange: rank threads share memory, MPI
 * processes use collectives), and the MPI ranks' placement, gathered as
 * data (struct cb_mpi_rank) that the sink prints; moved from bench.c.
 * While a rank is in an exchange its phase says "exchange": a rank stuck
 * there (a peer gone, a lost broadcast) was reported in the phase of the
 * row before, as if the row itself hung. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench_run.h"
#include "collbench/transport.h"

static int enter(struct cb_rank *rk)
{
	int ph = atomic_load_explicit(&rk->state->phase, memory_order_relaxed);
	atomic_store_explicit(&rk->state->phase, CB_PHASE_EXCHANGE, memory_order_relaxed);
	return ph;
}

static void leave(struct cb_rank *rk, int ph)
{
	atomic_store_explicit(&rk->state->phase, ph, memory_order_relaxed);
}

static void th_setup(struct run *run)
{
	pthread_barrier_wait(&run->setup);
}

static void th_row(struct run *run, struct cb_rank *rk, int inplace_ok)
{
	int ph = enter(rk);
	(void)run;
	(void)inplace_ok;
	comm_barrier(rk);   /* slots complete before rank 0 reads them */
	leave(rk, ph);
}

static void th_decide(struct run *run, struct cb_rank *rk, void *buf, size_t len)
{
	int ph = enter(rk);
	(void)run;
	(void)buf;
	(void)len;
	comm_barrier(rk);   /* rank 0 wrote buf before it */
	leave(rk, ph);
}

static void th_copy_times(struct run *run, struct cb_rank *rk)
{
	int ph = enter(rk);
	(void)run;
	comm_barrier(rk);
	leave(rk, ph);
}

const struct exchange bench_threads_exchange = { th_setup, th_row, th_decide, th_copy_times };

static void mpi_setup(struct run *run)
{
	pthread_barrier_wait(&run->setup);   /* this process's one rank thread */
	cb_mpi_barrier();
}

/* Slots are plain bytes: every process runs the same binary. Samples: the
 * iterations actually timed (the same count on every rank), per half. */
static void mpi_row(struct run *run, struct cb_rank *rk, int inplace_ok)
{
	int ph = enter(rk);
	cb_mpi_gather(run->slots, 2 * sizeof *run->slots);
	for (int h = 0; h <= (inplace_ok ? 1 : 0); h++) {
		long it = run->slots[2 * rk->rank + h].iters;
		cb_mpi_gather_doubles(run->samples, 2 * run->nsamples, h * run->nsamples,
				      it < run->nsamples ? it : run->nsamples);
	}
	leave(rk, ph);
}

static void mpi_decide(struct run *run, struct cb_rank *rk, void *buf, size_t len)
{
	int ph = enter(rk);
	(void)run;
	cb_mpi_bcast(buf, len);
	leave(rk, ph);
}

static void mpi_copy_times(struct run *run, struct cb_rank *rk)
{
	int ph = enter(rk);
	cb_mpi_gather(run->cp_t, 2 * sizeof *run->cp_t);
	leave(rk, ph);
}

const struct exchange bench_mpi_exchange = { mpi_setup, mpi_row, mpi_decide, mpi_copy_times };

/* MPI: where every rank runs, gathered to rank 0 as data for the sink
 * (which prints the block: cb_report_mpi_ranks). The launcher binds the
 * processes (collbench does not): the PU each rank ran on at setup and the
 * PUs its binding allows. */
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

struct cb_mpi_rank *bench_mpi_placement(struct run *run, int r)
{
	int p = run->plan->nranks;
	struct cb_mpi_rank *all = cb_xcalloc((size_t)p, sizeof *all), *me = &all[r];
	cpu_set_t set;

	me->pid = (int)getpid();
	me->pu = sched_getcpu();
	gethostname(me->host, sizeof me->host - 1);
	CPU_ZERO(&set);
	if (!sched_getaffinity(0, sizeof set, &set)) {
		me->nallowed = CPU_COUNT(&set);
		cpulist(me->allowed, sizeof me->allowed, &set);
	}
	cb_mpi_gather(all, sizeof *all);
	if (r != 0) {
		free(all);
		return NULL;
	}
	for (int q = 0; q < p; q++) {
		struct cb_rank_place *rp = &run->pl->ranks[q];
		rp->ran_on = all[q].pu;
		rp->pid = all[q].pid;
		snprintf(rp->host, sizeof rp->host, "%s", all[q].host);
	}
	return all;
}
