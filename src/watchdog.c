/* watchdog.c: progress and hang detection over a run's rank threads
 * (watchdog.h). Moved out of bench.c, which runs the ranks. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "collbench/common.h"
#include "collbench/transport.h"
#include "collbench/watchdog.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec * 1e-3;
}

static const char *phase_name(int ph)
{
	static const char *const names[] = { "setup", "warmup", "timed", "check", "done",
						     "exchange" };
	return ph >= 0 && ph < (int)CB_ARRAY_LEN(names) ? names[ph] : "?";
}

/* A line of the hang report, built whole and written with one write(2):
 * under MPI every rank's watchdog reports at once to the same stderr (the
 * launcher's pipe), and stdio writes a long line in pieces that interleave
 * with other ranks' (finding 7 of issue 19). */
struct line {
	char buf[1024];
	size_t len;
};

static void add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (l->len >= sizeof l->buf - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, sizeof l->buf - 1 - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < sizeof l->buf - 1 - l->len ? (size_t)n : sizeof l->buf - 2 - l->len;
}

static void emit(struct line *l)
{
	const char *p = l->buf;
	l->buf[l->len++] = '\n';   /* add() keeps a byte for it */
	while (l->len) {
		ssize_t k = write(STDERR_FILENO, p, l->len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		p += k;
		l->len -= (size_t)k;
	}
	l->len = 0;
}

/* Rank r's state in its --split group view, NULL: none; *vc, *vrank. */
static const struct cb_rank_state *view_state(const struct cb_watch *w, int r,
					      const struct cb_comm **vc, int *vrank)
{
	int og;
	if (!w->view || !w->view(w->view_ctx, r, -1, vc, vrank, &og))
		return NULL;
	return &(*vc)->state[*vrank];
}

/* A wait inside a group's call: its view's cells and rank numbers; false
 * when r waits in no view. */
static bool report_view_wait(struct line *l, const struct cb_watch *w, int r)
{
	const struct cb_comm *vc;
	int vr, og;
	const struct cb_rank_state *vs = view_state(w, r, &vc, &vr);
	int owner = vs ? atomic_load_explicit(&vs->wait_owner, memory_order_relaxed) : -1;
	size_t cell;
	char what[96];
	if (owner < 0)
		return false;
	w->view(w->view_ctx, r, owner, &vc, &vr, &og);
	cell = (size_t)atomic_load_explicit(&vs->wait_cell, memory_order_relaxed);
	comm_cell_describe(vc, owner, cell, what, sizeof what);
	add(l, " barrier %d of the call: waits (as rank %d of its --split group) on cell %zu (%s, "
	    "group ranks) of rank %d's window, expected epoch %llu, seen %llu",
	    (int)atomic_load_explicit(&vs->barrier, memory_order_relaxed), vr, cell, what, og,
	    (unsigned long long)atomic_load_explicit(&vs->wait_expect, memory_order_relaxed),
	    (unsigned long long)comm_cell_value(vc, owner, cell));
	return true;
}

/* The hang report: what every rank is doing and which cell it waits on. */
static void report_hang(const struct cb_watch *w)
{
	struct cb_comm *c = w->comm;
	struct line l = { .len = 0 };
	cb_progress_hold(w->prog);
	fflush(w->out);
	fflush(stderr);
	if (w->mpi)
		add(&l, "collbench: timeout: MPI rank %d (pid %d) made no progress for %g s",
		    w->first, (int)getpid(), w->timeout);
	else
		add(&l, "collbench: timeout: no rank made progress for %g s", w->timeout);
	emit(&l);
	for (int r = w->first; r < w->first + w->nlocal; r++) {
		struct cb_rank_state *st = &c->state[r];
		int pi = atomic_load_explicit(&st->point, memory_order_relaxed);
		int owner = atomic_load_explicit(&st->wait_owner, memory_order_relaxed);
		char label[96];   /* auto:<pick>: what runs */
		const struct cb_point *pt = pi >= 0 ? &w->plan->points[pi] : NULL;
		int ph = atomic_load_explicit(&st->phase, memory_order_relaxed);
		add(&l, "collbench:   rank %d: %s/%s size %zu phase %s iteration %llu",
		    r, pt ? pt->coll->name : "-", pt ? cb_point_label(pt, label, sizeof label) : "-",
		    pt ? pt->n.bytes : 0,
		    phase_name(ph),
		    (unsigned long long)atomic_load_explicit(&st->iteration, memory_order_relaxed));
		/* Inside a call: which of its barriers (a ring's round). */
		if (!report_view_wait(&l, w, r) &&
		    (ph == CB_PHASE_WARMUP || ph == CB_PHASE_TIMED || ph == CB_PHASE_CHECK))
			add(&l, " barrier %d of the call",
			    (int)atomic_load_explicit(&st->barrier, memory_order_relaxed));
		if (ph == CB_PHASE_WARMUP || ph == CB_PHASE_TIMED || ph == CB_PHASE_CHECK) {
			const char *step = atomic_load_explicit(&st->step, memory_order_relaxed);
			if (step)   /* a plug-in's phase (cbp_phase) */
				add(&l, " in '%s'", step);
		}
		if (owner >= 0) {
			size_t cell = (size_t)atomic_load_explicit(&st->wait_cell, memory_order_relaxed);
			char what[96];
			comm_cell_describe(c, owner, cell, what, sizeof what);
			add(&l, ": waits on cell %zu (%s) of rank %d's window, expected epoch %llu, seen %llu",
			    cell, what, owner,
			    (unsigned long long)atomic_load_explicit(&st->wait_expect, memory_order_relaxed),
			    (unsigned long long)comm_cell_value(c, owner, cell));
		}
		emit(&l);
	}
}

/* Whether a rank thread that is in no wait used CPU time since the last
 * look: it computes (first touch, filling inputs, expected values and
 * comparing them for a large check iteration) and is no hang however long
 * that takes on a busy machine. A rank blocked in a pthread barrier uses
 * none; a rank spinning in a wait is in a wait. Threads only: an MPI rank
 * blocked in an MPI call may spin inside it, in no wait of ours. */
static bool computing(const struct cb_watch *w, int64_t *cpu)
{
	bool busy = false;
	for (int i = 0; w->clk && i < w->nlocal; i++) {
		struct cb_rank_state *st = &w->comm->state[w->first + i];
		struct timespec ts;
		int64_t t;
		if (clock_gettime(w->clk[i], &ts))
			continue;   /* the thread has ended */
		const struct cb_comm *vc;
		int vr;
		const struct cb_rank_state *vs = view_state(w, w->first + i, &vc, &vr);
		t = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
		if (t != cpu[i] &&
		    atomic_load_explicit(&st->wait_owner, memory_order_relaxed) < 0 &&
		    (!vs || atomic_load_explicit(&vs->wait_owner, memory_order_relaxed) < 0) &&
		    atomic_load_explicit(&st->phase, memory_order_relaxed) != CB_PHASE_DONE)
			busy = true;
		cpu[i] = t;
	}
	return busy;
}

void cb_watchdog(const struct cb_watch *w, void (*hook)(void))
{
	uint64_t last = UINT64_MAX;
	double since = now_us();
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	int64_t *cpu = cb_xcalloc((size_t)w->nlocal, sizeof *cpu);

	while (atomic_load_explicit(w->finished, memory_order_acquire) < w->nlocal) {
		uint64_t sum = 0;
		bool busy;
		nanosleep(&tick, NULL);
		for (int r = w->first; r < w->first + w->nlocal; r++) {
			const struct cb_comm *vc;
			int vr;
			const struct cb_rank_state *vs = view_state(w, r, &vc, &vr);
			sum += atomic_load_explicit(&w->comm->state[r].progress, memory_order_relaxed);
			if (vs)   /* waits inside a --split group's calls */
				sum += atomic_load_explicit(&vs->progress, memory_order_relaxed);
		}
		busy = computing(w, cpu);
		if (sum != last || busy) {
			last = sum;
			since = now_us();
		} else if (w->timeout > 0 && now_us() - since > w->timeout * 1e6) {
			report_hang(w);
			if (hook)
				hook();
			/* Rank threads may be blocked forever: leave without joining
			 * (MPI: the launcher then ends the other processes; leaving
			 * PMI first keeps MPICH's proxy from reporting 1 for 4). */
			if (w->mpi)
				cb_mpi_leave(CB_EXIT_TIMEOUT);
			_exit(CB_EXIT_TIMEOUT);
		}
		cb_progress_tick(w->prog, w->plan,
				 (size_t)atomic_load_explicit(&w->comm->state[0].point,
							      memory_order_relaxed));
	}
	free(cpu);
}
