/* comm.c: windows, signal cells, notify/wait, barriers.
 *
 * Waiting (DESIGN.md, protocol 3): spin on the cell (briefly when ranks
 * outnumber PUs), then sleep on a futex; --wait selects other policies
 * (comm.h, enum cb_wait). When ranks outnumber PUs, auto yields between
 * the spin and the futex while yields stay cheap (comm_poll.c).
 * Only the owner of a window ever waits on its cells, so each window has one
 * doorbell: a futex word plus the index of the cell its owner sleeps on. A
 * notifier wakes the owner only when the owner sleeps on the very cell it just
 * bumped, so a wait costs at most about one wake-up even when P-1 peers
 * notify. The sleep/wake handshake is a Dekker pair: the waiter publishes
 * sleep_cell then re-reads the cell, the notifier bumps the cell then reads
 * sleep_cell, both seq_cst, so at least one of them sees the other.
 *
 * Transports (transport.h): with threads and with MPI shared windows every
 * window is mapped here and everything below applies as is; MPI shared
 * windows only clear futex_private, since waiter and notifier are then
 * different processes. A transport without mapped peers (MPI RMA windows)
 * sets comm->ops, and put, remote reads, notify and the wait loop go through
 * it; the epoch protocol, double buffering and barriers stay the same.
 *
 * Split (file sizes): window and rank setup, teardown and the hang
 * report's view of the cells moved to comm_setup.c; the cell layout both
 * files use (doorbell, central line, cell_at) is comm_cells.h. The
 * --wait/--barrier settings stay here, beside the rules they select. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "collbench/comm.h"
#include "comm_cells.h"
#include "comm_poll.h"

#define SPIN_DEDICATED (1u << 16)
#define SPIN_OVERSUBSCRIBED 64u
#define MESH_BARRIER_MAX_RANKS 8
/* auto picks the central barrier from 4 ranks per PU: 64 B mesh allreduce
 * on 2 PUs, --wait futex, P=4: mesh barrier 10.1-13.7 us, central
 * 15.5-19.6; P=8: mesh 35.5-40.8, central 33.2-33.7; P=16: dissemination
 * 178, mesh 140-158, central 77-78 (a rank sleeps at most once per barrier,
 * one futex call wakes all). With auto's yield stage, central wins from 2
 * ranks per PU, but only just (P=4: mesh 4.0-4.6 us, central 3.8-4.0), and
 * when the yield stage pauses (a CPU hog on the machine, comm.c) P=4 is
 * back to sleeping waits: mesh 20-27 us, central 62-110. The barrier cannot
 * change with the pause (every rank must run the same one), so P=4 keeps
 * mesh. Yielding at P=8: mesh 13.4-14.7, central 12.6-13.0; P=16: mesh
 * 36.5-38.8, central 31.8-33.1, dissemination 51-60. */
#define CENTRAL_MIN_RANKS_PER_PU 4

/* The kind a barrier of `asked` (-1, CB_BARRIER_AUTO: auto) really runs:
 * auto by the rule above; central needs every window mapped here (threads,
 * MPI shared windows), else the kind for its size (mesh up to 8 ranks, else
 * dissemination). One function for comm_barrier_kind and for the labels
 * (comm_barrier_runs), so a row never names a kind that did not run. */
static inline enum cb_barrier_kind barrier_runs(int asked, int nranks, int npus, bool mapped)
{
	enum cb_barrier_kind k = asked >= 0 ? (enum cb_barrier_kind)asked
		: nranks >= CENTRAL_MIN_RANKS_PER_PU * npus ? CB_BARRIER_CENTRAL
		: nranks > MESH_BARRIER_MAX_RANKS ? CB_BARRIER_DISSEMINATION
		: CB_BARRIER_MESH;
	if (k == CB_BARRIER_CENTRAL && !mapped)
		k = nranks <= MESH_BARRIER_MAX_RANKS ? CB_BARRIER_MESH : CB_BARRIER_DISSEMINATION;
	return k;
}

enum cb_barrier_kind comm_barrier_runs(int asked, int nranks, int npus, bool mapped)
{
	return barrier_runs(asked, nranks, npus, mapped);
}

/* --barrier's value (optenum.h): a kind, or CB_BARRIER_AUTO (-1) to choose
 * by the rank and PU counts. */
void comm_set_barrier(struct cb_comm *c, int kind)
{
	/* auto resolved now; central's fallback where windows are not mapped
	 * (known once they are made) in comm_barrier_kind */
	c->barrier = barrier_runs(kind, c->nranks, c->npus, true);
}

void comm_set_wait(struct cb_comm *c, enum cb_wait w, int npus)
{
	int over = c->nranks > npus;
	c->wait = w;
	c->yield_limit = 0;
	c->yield_adaptive = 0;
	switch (w) {
	case CB_WAIT_SPIN: c->spin_limit = UINT_MAX; break;
	case CB_WAIT_YIELD: c->spin_limit = SPIN_OVERSUBSCRIBED; c->yield_limit = UINT_MAX; break;
	case CB_WAIT_FUTEX: c->spin_limit = 0; break;
	default:
		c->spin_limit = over ? SPIN_OVERSUBSCRIBED : SPIN_DEDICATED;
		c->yield_adaptive = over;
		break;
	}
}

void comm_put(const struct cb_rank *rk, int peer, void *local_dst,
	      const void *src, size_t n)
{
	if (rk->comm->ops)
		rk->comm->ops->put(rk, peer, (size_t)((char *)local_dst - rk->win), src, n);
	else
		memcpy(comm_remote(rk, local_dst, peer), src, n);
}

const void *comm_get_copy(const struct cb_rank *rk, const void *local, int peer, size_t n)
{
	if (rk->comm->ops)
		return rk->comm->ops->get(rk, peer, (size_t)((const char *)local - rk->win), n);
	return comm_remote(rk, local, peer);
}

static long futex(_Atomic uint32_t *addr, int op, uint32_t val)
{
	return syscall(SYS_futex, (uint32_t *)addr, op, val, NULL, NULL, 0);
}

void comm_notify_cell(struct cb_rank *rk, int peer, size_t cell)
{
	char *win = rk->comm->win[peer];
	struct cb_doorbell *db;
	if (cb_fault_drop_notify(rk))
		return;
	if (rk->comm->ops) {
		rk->comm->ops->notify(rk, peer, rk->comm->cells_off + cell * sizeof(struct cb_cell));
		return;
	}
	db = doorbell(win);
	/* seq_cst (a release RMW plus the Dekker order with sleep_cell). */
	atomic_fetch_add_explicit(&cell_at(rk->comm, win, cell)->v, 1, memory_order_seq_cst);
	if (atomic_load_explicit(&db->sleep_cell, memory_order_seq_cst) == (int32_t)cell) {
		atomic_fetch_add_explicit(&db->seq, 1, memory_order_release);
		futex(&db->seq, FUTEX_WAKE | rk->comm->futex_private, 1);
	}
}

/* What the watchdog's hang report shows of a wait: whose window, which
 * cell, the epoch awaited; progress moves at both ends. */
static void wait_begin(struct cb_rank_state *st, int owner, size_t cell, uint64_t expect)
{
	atomic_store_explicit(&st->wait_owner, owner, memory_order_relaxed);
	atomic_store_explicit(&st->wait_cell, (int32_t)cell, memory_order_relaxed);
	atomic_store_explicit(&st->wait_expect, expect, memory_order_relaxed);
	atomic_fetch_add_explicit(&st->progress, 1, memory_order_relaxed);
}

static void wait_end(struct cb_rank_state *st)
{
	atomic_store_explicit(&st->wait_owner, -1, memory_order_relaxed);
	atomic_fetch_add_explicit(&st->progress, 1, memory_order_relaxed);
}

void comm_wait_cell(struct cb_rank *rk, size_t cell, uint64_t expect)
{
	struct cb_cell *cl = cell_at(rk->comm, rk->win, cell);
	struct cb_doorbell *db = doorbell(rk->win);
	struct cb_rank_state *st = rk->state;

	if (!rk->comm->ops && atomic_load_explicit(&cl->v, memory_order_acquire) >= expect)
		return;
	wait_begin(st, rk->rank, cell, expect);

	if (rk->comm->ops) {
		rk->comm->ops->wait(rk, (size_t)((char *)cl - rk->win), expect);
		goto done;
	}
	if (comm_poll(rk, &cl->v, expect))
		goto done;
	for (;;) {
		uint32_t seq = atomic_load_explicit(&db->seq, memory_order_acquire);
		atomic_store_explicit(&db->sleep_cell, (int32_t)cell, memory_order_seq_cst);
		if (atomic_load_explicit(&cl->v, memory_order_seq_cst) >= expect)
			break;
		/* EAGAIN (seq moved) and EINTR both mean: look again. */
		futex(&db->seq, FUTEX_WAIT | rk->comm->futex_private, seq);
	}
	atomic_store_explicit(&db->sleep_cell, NO_CELL, memory_order_relaxed);
done:
	wait_end(st);
}

void comm_jitter_seed(struct cb_rank *rk, uint64_t seed, unsigned jitter_us)
{
	rk->rng = seed * 0x9E3779B97F4A7C15ull + (uint64_t)rk->rank + 1;
	rk->jitter_us = jitter_us;
}

void comm_jitter(struct cb_rank *rk)
{
	uint64_t x;
	if (!rk->jitter_on || !rk->jitter_us)
		return;
	/* xorshift64*: reproducible per (seed, rank) */
	x = rk->rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rk->rng = x;
	x *= 0x2545F4914F6CDD1Dull;
	if (x & 1) {
		uint64_t us = (x >> 1) % ((uint64_t)rk->jitter_us + 1);
		struct timespec ts = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000 };
		nanosleep(&ts, NULL);
	}
}

void comm_notify(struct cb_rank *rk, int peer, enum cb_row row)
{
	comm_notify_cell(rk, peer, comm_cell_index(rk->comm, row, rk->rank));
}

void comm_wait(struct cb_rank *rk, int peer, enum cb_row row)
{
	size_t cell = comm_cell_index(rk->comm, row, peer);
	++rk->expect[cell];
	comm_wait_cell(rk, cell, cb_fault_epoch(rk, rk->expect[cell]));
}

/* Seed barrier: notify every peer, then wait for every peer. Peers are
 * visited starting at my right neighbour so that ranks do not all hit rank 0's
 * window first. */
static void barrier_mesh(struct cb_rank *rk)
{
	int p = rk->nranks;
	for (int d = 1; d < p; d++)
		comm_notify(rk, (rk->rank + d) % p, CB_ROW_BARRIER);
	for (int d = 1; d < p; d++)
		comm_wait(rk, (rk->rank + d) % p, CB_ROW_BARRIER);
}

/* Dissemination barrier: ceil(log2 P) rounds; in round k rank r notifies
 * r+2^k and waits for r-2^k. Cell k of rank t is written only by t-2^k. Epochs
 * count barriers: passing epoch e on a cell also implies every earlier epoch
 * of that writer, so a fast writer already in barrier e+1 is harmless. */
static void barrier_dissemination(struct cb_rank *rk)
{
	const struct cb_comm *c = rk->comm;
	uint64_t epoch = ++rk->barrier_epoch;
	int p = rk->nranks;
	size_t k = 0;
	for (int d = 1; d < p; d <<= 1, k++) {
		comm_notify_cell(rk, (rk->rank + d) % p, c->diss_cell0 + k);
		comm_wait_cell(rk, c->diss_cell0 + k,
			       cb_fault_epoch(rk, epoch));
	}
}

static void central_wait(struct cb_rank *rk, struct cb_central *rel, int host, uint64_t want)
{
	struct cb_rank_state *st = rk->state;
	const struct cb_comm *c = rk->comm;

	if (atomic_load_explicit(&rel->v, memory_order_acquire) >= want)
		return;
	wait_begin(st, host, c->central_cell0 + 1, want);
	if (comm_poll(rk, &rel->v, want))
		goto done;
	for (;;) {
		uint32_t seq = atomic_load_explicit(&rel->seq, memory_order_acquire);
		int released;
		atomic_fetch_add_explicit(&rel->sleepers, 1, memory_order_seq_cst);
		released = atomic_load_explicit(&rel->v, memory_order_seq_cst) >= want;
		if (!released)
			futex(&rel->seq, FUTEX_WAIT | c->futex_private, seq);
		atomic_fetch_sub_explicit(&rel->sleepers, 1, memory_order_relaxed);
		if (released || atomic_load_explicit(&rel->v, memory_order_acquire) >= want)
			break;
	}
done:
	wait_end(st);
}

/* Central barrier: the arrivals counter reaches epoch * P exactly when the
 * last rank of barrier `epoch` adds its 1 (every rank adds one per barrier
 * and no rank enters barrier e+1 before barrier e is released). Its acq_rel
 * RMW reads every earlier arrival (one release sequence), and its release
 * store then publishes them all to the waiters' acquire loads. A dropped
 * notify (fault injection) leaves the counter one short: everyone hangs,
 * and the hang report names the release cell. */
static void barrier_central(struct cb_rank *rk)
{
	struct cb_comm *c = rk->comm;
	int host = c->nranks - 1;
	char *hw = c->win[host];
	struct cb_cell *arrive = cell_at(c, hw, c->central_cell0);
	struct cb_central *rel = (struct cb_central *)cell_at(c, hw, c->central_cell0 + 1);
	uint64_t epoch = ++rk->central_epoch;

	if (cb_fault_drop_notify(rk)) {
		/* the arrival is lost: everyone waits on the release cell */
	} else if (atomic_fetch_add_explicit(&arrive->v, 1, memory_order_acq_rel) + 1 ==
		   epoch * (uint64_t)c->nranks) {
		atomic_store_explicit(&rel->v, epoch, memory_order_seq_cst);
		if (atomic_load_explicit(&rel->sleepers, memory_order_seq_cst) > 0) {
			atomic_fetch_add_explicit(&rel->seq, 1, memory_order_release);
			futex(&rel->seq, FUTEX_WAKE | c->futex_private, INT_MAX);
		}
		return;
	}
	central_wait(rk, rel, host, cb_fault_epoch(rk, epoch));
}

void comm_fault_stall(struct cb_rank *rk)
{
	struct timespec ts = { 0, CB_FAULT_STALL_NS };
	rk->stall_pending = 0;
	nanosleep(&ts, NULL);
}

void comm_barrier(struct cb_rank *rk)
{
	comm_barrier_kind(rk, rk->comm->barrier);
}

void comm_barrier_kind(struct cb_rank *rk, enum cb_barrier_kind kind)
{
	if (rk->nranks == 1)
		return;
	/* Only this rank writes its state: a plain increment is enough. */
	atomic_store_explicit(&rk->state->barrier,
			      atomic_load_explicit(&rk->state->barrier, memory_order_relaxed) + 1,
			      memory_order_relaxed);
	comm_jitter(rk);
	switch (barrier_runs((int)kind, rk->nranks, 0, !rk->comm->ops)) {
	case CB_BARRIER_CENTRAL: barrier_central(rk); break;
	case CB_BARRIER_MESH: barrier_mesh(rk); break;
	default: barrier_dissemination(rk); break;
	}
	cb_fault_arrived(rk);
	comm_jitter(rk);
}

/* First cell of writer w's slot; its lines follow. */
static size_t ll_cell(const struct cb_comm *c, int w, unsigned slot)
{
	return c->ll_cell0 + ((size_t)w * CB_LL_SLOTS + slot) * CB_LL_LINES;
}

static size_t ll_lines(size_t n)
{
	return n ? (n + CB_LL_LINE_BYTES - 1) / CB_LL_LINE_BYTES : 1;
}

/* Every line of the message is published by its own counter, set to the
 * message's number (messages sent to this slot so far): the receiver sees
 * each line as it lands, and no line waits for a read-modify-write. The
 * wake-up handshake is the doorbell's Dekker pair (see the top of this
 * file) with a fence standing for the seq_cst RMW: counters stored, fence,
 * then sleep_cell read; the receiver stores sleep_cell, then re-reads the
 * line, both seq_cst. */
void comm_ll_send(struct cb_rank *rk, int peer, unsigned slot, const void *src, size_t n)
{
	const struct cb_comm *c = rk->comm;
	size_t c0 = ll_cell(c, rk->rank, slot), lines = ll_lines(n);
	uint64_t e = ++rk->ll_sent[(size_t)peer * CB_LL_SLOTS + slot];
	struct cb_doorbell *db;
	int32_t sc;

	if (cb_fault_drop_notify(rk))
		return;
	if (c->ops) {
		/* Without mapped windows a counter moves only by the transport's
		 * notify (+1): the payloads are put (complete on return), then
		 * line 0 alone is notified, and receivers wait on it alone. */
		for (size_t l = 0; l < lines && l * CB_LL_LINE_BYTES < n; l++) {
			size_t k = l * CB_LL_LINE_BYTES;
			comm_put(rk, peer, cell_at(c, rk->win, c0 + l)->pad, (const char *)src + k,
				 n - k < CB_LL_LINE_BYTES ? n - k : CB_LL_LINE_BYTES);
		}
		c->ops->notify(rk, peer, c->cells_off + c0 * sizeof(struct cb_cell));
		return;
	}
	for (size_t l = 0; l < lines; l++) {
		struct cb_cell *cl = cell_at(c, c->win[peer], c0 + l);
		size_t k = l * CB_LL_LINE_BYTES;
		if (k < n)
			memcpy(cl->pad, (const char *)src + k,
			       n - k < CB_LL_LINE_BYTES ? n - k : CB_LL_LINE_BYTES);
		atomic_store_explicit(&cl->v, e, memory_order_release);
	}
	db = doorbell(c->win[peer]);
	atomic_thread_fence(memory_order_seq_cst);
	sc = atomic_load_explicit(&db->sleep_cell, memory_order_seq_cst);
	if (sc >= (int32_t)c0 && sc < (int32_t)(c0 + lines)) {
		atomic_fetch_add_explicit(&db->seq, 1, memory_order_release);
		futex(&db->seq, FUTEX_WAKE | c->futex_private, 1);
	}
}

void comm_ll_wait(struct cb_rank *rk, int writer, unsigned slot, size_t n)
{
	size_t c0 = ll_cell(rk->comm, writer, slot), lines = rk->comm->ops ? 1 : ll_lines(n);
	uint64_t *e = &rk->ll_expect[(size_t)writer * CB_LL_SLOTS + slot];
	++*e;
	for (size_t l = 0; l < lines; l++)
		comm_wait_cell(rk, c0 + l, cb_fault_epoch(rk, *e));
	cb_fault_arrived(rk);
}

void comm_ll_read(const struct cb_rank *rk, int writer, unsigned slot, void *dst, size_t n)
{
	const struct cb_comm *c = rk->comm;
	size_t c0 = ll_cell(c, writer, slot);
	for (size_t k = 0, l = 0; k < n; k += CB_LL_LINE_BYTES, l++)
		memcpy((char *)dst + k, cell_at(c, rk->win, c0 + l)->pad,
		       n - k < CB_LL_LINE_BYTES ? n - k : CB_LL_LINE_BYTES);
}

void comm_ack(struct cb_rank *rk, int peer)
{
	comm_notify_cell(rk, peer, rk->comm->ack_cell0 + (size_t)rk->rank);
}

void comm_wait_acks(struct cb_rank *rk, int peer, uint64_t n)
{
	if (n)
		comm_wait_cell(rk, rk->comm->ack_cell0 + (size_t)peer,
			       cb_fault_epoch(rk, n));
}
