/* bench_watchdog.c: the main thread's watchdog while the ranks run:
 * the progress line, and the hang report (what every rank is doing and
 * which cell it waits on) with exit 4 when no rank progresses for -T
 * seconds. Moved from bench.c unchanged. */
#include <stdio.h>
#include <unistd.h>

#include "bench_run.h"

static const char *phase_name(int ph)
{
	static const char *const names[] = { "setup", "warmup", "timed", "check", "done" };
	return ph >= 0 && ph < (int)CB_ARRAY_LEN(names) ? names[ph] : "?";
}

/* The hang report: what every rank is doing and which cell it waits on. */
static void report_hang(struct run *run)
{
	struct cb_comm *c = &run->comm;
	cb_progress_hold(run->io->prog);
	fflush(run->io->out);
	if (run->mpi)
		fprintf(stderr, "collbench: timeout: MPI rank %d (pid %d) made no progress for %g s\n",
			run->first, (int)getpid(), run->o->timeout);
	else
		fprintf(stderr, "collbench: timeout: no rank made progress for %g s\n", run->o->timeout);
	for (int r = run->first; r < run->first + run->nlocal; r++) {
		struct cb_rank_state *st = &c->state[r];
		int pi = atomic_load_explicit(&st->point, memory_order_relaxed);
		int owner = atomic_load_explicit(&st->wait_owner, memory_order_relaxed);
		char label[96];   /* auto:<pick>: what runs */
		const struct cb_point *pt = pi >= 0 ? &run->plan->points[pi] : NULL;
		int ph = atomic_load_explicit(&st->phase, memory_order_relaxed);
		fprintf(stderr, "collbench:   rank %d: %s/%s size %zu phase %s iteration %llu",
			r, pt ? pt->coll->name : "-", pt ? cb_point_label(pt, label, sizeof label) : "-",
			pt ? pt->n.bytes : 0,
			phase_name(ph),
			(unsigned long long)atomic_load_explicit(&st->iteration, memory_order_relaxed));
		/* Inside a call: which of its barriers (a ring's round). */
		if (ph == CB_PHASE_WARMUP || ph == CB_PHASE_TIMED || ph == CB_PHASE_CHECK)
			fprintf(stderr, " barrier %d of the call",
				(int)atomic_load_explicit(&st->barrier, memory_order_relaxed));
		if (ph == CB_PHASE_WARMUP || ph == CB_PHASE_TIMED || ph == CB_PHASE_CHECK) {
			const char *step = atomic_load_explicit(&st->step, memory_order_relaxed);
			if (step)   /* a plug-in's phase (cbp_phase) */
				fprintf(stderr, " in '%s'", step);
		}
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

void bench_watchdog(struct run *run)
{
	uint64_t last = UINT64_MAX;
	double since = now_us();
	struct timespec tick = { 0, 20 * 1000 * 1000 };

	while (atomic_load_explicit(&run->finished, memory_order_acquire) < run->nlocal) {
		uint64_t sum = 0;
		nanosleep(&tick, NULL);
		for (int r = run->first; r < run->first + run->nlocal; r++)
			sum += atomic_load_explicit(&run->comm.state[r].progress, memory_order_relaxed);
		if (sum != last) {
			last = sum;
			since = now_us();
		} else if (run->o->timeout > 0 && now_us() - since > run->o->timeout * 1e6) {
			report_hang(run);
			if (cb_bench_timeout_hook)
				cb_bench_timeout_hook();
			/* Rank threads may be blocked forever: leave without joining
			 * (MPI: the launcher then ends the other processes). */
			_exit(CB_EXIT_TIMEOUT);
		}
		cb_progress_tick(run->io->prog, run->plan,
				 (size_t)atomic_load_explicit(&run->comm.state[0].point,
							      memory_order_relaxed));
	}
}
