/* comm_poll.c: what a waiter does before it sleeps: spin, then (when ranks
 * outnumber PUs) yield (comm_poll.h).
 *
 * When ranks outnumber PUs, --wait auto yields between the spin and the
 * futex (comm.c's wait loops) while yields stay cheap: a rank that waits hands
 * its PU to a sibling rank that has work instead of going idle, so no
 * wake-up (a futex call and, in a VM, an IPI to a halted vCPU) is paid on
 * the critical path. 64 B allreduce on 2 PUs, idle machine: P=4 4.7 us
 * yielding against 9.4-11 sleeping, P=8 14 against 31, P=16 31 against 68.
 * But a yield hands the PU to any runnable process, and a foreign CPU hog
 * keeps it a whole timeslice (P=4 with two busy processes: 2285 us per call
 * yielding, 19 sleeping, where the futex wake-up preempts the hog). So two
 * yields within YIELD_STRIKE_NS that each took longer than YIELD_SLOW_NS
 * turn yielding off for every rank of the process for a while (100 ms,
 * doubled up to 3.2 s while slow yields keep coming), and a wait that has
 * yielded for YIELD_BUDGET_NS sleeps (a long wait gains nothing from
 * polling). A sibling rank's long computation (a large reduction, the
 * first touch of a large window) makes yields slow too; sleeping then costs
 * nothing, since such waits are long anyway, and the bench rearms the
 * yield stage at every row (comm_yield_rearm) so that a pause does not
 * outlive the large messages that caused it. (The process's CPU-time clock
 * cannot tell whether my PU or another one went to another process; the
 * sibling ranks' thread clocks could, at a system call per sibling.)
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <time.h>

#include "collbench/comm.h"
#include "comm_poll.h"

/* Slow: a yield that lasted longer than a CPU hog's timeslice is short
 * (hog beside P=4 on 2 PUs: 1.1-4 ms), longer than the hypervisor's usual
 * descheduling of an idle guest's vCPU (0.3-0.7 ms, once 1.5 ms). */
#define YIELD_SLOW_NS 1000000
#define YIELD_BUDGET_NS 2000000
#define YIELD_STRIKE_NS 50000000ull
#define YIELD_OFF_MIN_NS 100000000ull
#define YIELD_OFF_MAX_NS 3200000000ull

void comm_yield_init(struct cb_comm *c)
{
	if (posix_memalign((void **)&c->yield_gate, CB_CACHELINE, sizeof *c->yield_gate))
		cb_die(CB_EXIT_RESOURCE, "out of memory for rank state");
	atomic_init(&c->yield_gate->off_until, 0);
	atomic_init(&c->yield_gate->off_ns, 0);
	atomic_init(&c->yield_gate->last_slow, 0);
}

void comm_yield_destroy(struct cb_comm *c)
{
	free(c->yield_gate);
	c->yield_gate = NULL;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A yield took more than YIELD_SLOW_NS, ending at t. 1: pause the yield
 * stage (this wait goes on to sleep). Two such yields within
 * YIELD_STRIKE_NS pause it: one alone may be the hypervisor running another
 * guest on this vCPU (steal time, which sleeping does not avoid either). A
 * pause that starts within a second of the end of the last one is twice as
 * long; a quiet second starts over. Every rank of the process pauses: one
 * that kept yielding would keep competing with the other process for its
 * PU. (Two ranks may update the gate at once; either result is a valid
 * pause.) */
static int slow_yield(struct cb_rank *rk, struct cb_yield_gate *g, uint64_t t)
{
	uint64_t until = atomic_load_explicit(&g->off_until, memory_order_relaxed);
	uint64_t off = atomic_load_explicit(&g->off_ns, memory_order_relaxed);
	uint64_t last = atomic_exchange_explicit(&g->last_slow, t, memory_order_relaxed);

	rk->yield_slow++;
	if (t < until)   /* another rank paused it meanwhile */
		return 1;
	if (!last || t - last > YIELD_STRIKE_NS)
		return 0;
	off = until && t - until < 1000000000ull ? off * 2 : YIELD_OFF_MIN_NS;
	if (off > YIELD_OFF_MAX_NS)
		off = YIELD_OFF_MAX_NS;
	atomic_store_explicit(&g->off_ns, off, memory_order_relaxed);
	atomic_store_explicit(&g->off_until, t + off, memory_order_relaxed);
	return 1;
}

void comm_yield_rearm(struct cb_comm *c)
{
	atomic_store_explicit(&c->yield_gate->off_until, 0, memory_order_relaxed);
	atomic_store_explicit(&c->yield_gate->off_ns, 0, memory_order_relaxed);
	atomic_store_explicit(&c->yield_gate->last_slow, 0, memory_order_relaxed);
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

/* The yield stage (this file's header says why), from t0; 1 once
 * *v >= want. */
static int yield_until(struct cb_rank *rk, _Atomic uint64_t *v, uint64_t want, uint64_t t0)
{
	struct cb_yield_gate *g = rk->comm->yield_gate;
	uint64_t prev = t0;

	for (;;) {
		uint64_t t;
		int there;
		sched_yield();
		there = atomic_load_explicit(v, memory_order_acquire) >= want;
		t = now_ns();
		/* A slow yield counts even when it ends with the value there:
		 * beside a hog, the yield that hands the PU over is the one
		 * after which the peers have run too. */
		if (t - prev > YIELD_SLOW_NS && slow_yield(rk, g, t))
			return there;
		if (there)
			return 1;
		if (t - t0 > YIELD_BUDGET_NS)
			return 0;
		prev = t;
	}
}

/* While the yield stage is paused a waiter does not spin either: beside a
 * CPU hog, the less CPU time a rank burns, the sooner its futex wake-up
 * preempts the hog (P=8 on 2 PUs beside CPU hogs, 64 B allreduce, auto
 * and futex alternated: spinning 64 times before each sleep, auto 250-320
 * us per call against futex's 70-90; not spinning, in another run, 77-78
 * against 64-70). */
int comm_poll(struct cb_rank *rk, _Atomic uint64_t *v, uint64_t want)
{
	const struct cb_comm *c = rk->comm;
	uint64_t t0 = 0;

	if (c->yield_adaptive) {
		t0 = now_ns();
		if (t0 < atomic_load_explicit(&c->yield_gate->off_until, memory_order_relaxed)) {
			rk->yield_paused++;
			return 0;
		}
	}
	for (unsigned i = 0; i < c->spin_limit; i++) {
		cpu_relax();
		if (atomic_load_explicit(v, memory_order_acquire) >= want)
			return 1;
	}
	for (unsigned i = 0; i < c->yield_limit; i++) {   /* --wait yield */
		sched_yield();
		if (atomic_load_explicit(v, memory_order_acquire) >= want)
			return 1;
	}
	return c->yield_adaptive && yield_until(rk, v, want, t0);
}
