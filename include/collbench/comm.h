/* comm.h: the runtime every algorithm is written against.
 *
 * P rank threads each own a symmetric window: the same layout at a different
 * base address. A window holds a doorbell (for sleeping waiters), signal rows
 * and a data area. Algorithms use only the calls below: remote pointer, put,
 * notify, wait, barrier, and the per-call scratch area.
 *
 * Signals (DESIGN.md, protocol 1): a cell is a 64-bit counter alone on its
 * cache line. Cell c of a row in rank i's window is written by exactly one
 * rank (in P-wide rows, rank c). Counters only increase and are never reset
 * once reachable; a wait compares against an expected epoch, so windows serve
 * any number of iterations. Notify is a release RMW; wait an acquire load. */
#ifndef COLLBENCH_COMM_H
#define COLLBENCH_COMM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collbench/common.h"

/* Rows of signal cells. Each P-wide row gives every peer one cell. */
enum cb_row {
	CB_ROW_BARRIER = 0, /* mesh barrier */
	CB_ROW_ALGO0,       /* free for algorithms, one notify per use */
	CB_ROW_ALGO1,
	CB_ROW_ALGO2,
	CB_ROW_ALGO3,
	CB_NROWS,
};

struct cb_cell {
	_Atomic uint64_t v;
	char pad[CB_CACHELINE - sizeof(uint64_t)];
};

/* What a rank is doing, written only by that rank, read by the watchdog. */
struct cb_rank_state {
	_Atomic uint64_t progress;    /* bumped at every wait entry and exit */
	_Atomic int32_t wait_owner;   /* -1: not waiting */
	_Atomic int32_t wait_cell;    /* cell index in the owner's window */
	_Atomic uint64_t wait_expect;
	_Atomic uint64_t iteration;
	_Atomic int32_t phase;        /* enum cb_phase */
	_Atomic int32_t point;        /* index of the plan point being run */
	_Atomic int32_t barrier;      /* barriers entered in the current call: the
				       * round of a ring, the phase of others */
	/* The rank's window base as the hang report may read it (NULL:
	 * not yet, or no longer): comm_publish_win, comm_cell_value. */
	_Atomic(char *) win_pub;
	_Atomic(const char *) step;   /* a plug-in's own name for what it does
				       * (cbp_phase), NULL at every call's start */
} __attribute__((aligned(CB_CACHELINE)));

/* EXCHANGE: in the results/decisions exchange with rank 0 (bench_exchange.c:
 * after a row, at a checkpoint); the phase before it is restored after. */
enum cb_phase { CB_PHASE_SETUP, CB_PHASE_WARMUP, CB_PHASE_TIMED, CB_PHASE_CHECK, CB_PHASE_DONE,
		CB_PHASE_EXCHANGE };

/* --barrier. mesh: every rank notifies every other (the seed's; the default
 * up to 8 ranks); dissemination: log2 P rounds (above 8); central: every
 * rank adds 1 to one arrival counter, the last one stores the release
 * epoch and wakes every sleeper with one futex call, so a rank sleeps at
 * most once per barrier (the default from 4 ranks per PU, where each sleep
 * and wake is a context switch). central needs mapped windows; over
 * MPI RMA windows it runs as mesh or dissemination. */
enum cb_barrier_kind { CB_BARRIER_MESH, CB_BARRIER_DISSEMINATION, CB_BARRIER_CENTRAL };

/* How a waiter waits (--wait). auto: with a PU per rank, spin with pause
 * 2^16 times, then sleep on the window's futex doorbell; when ranks outnumber
 * PUs, spin 64 times, then sched_yield() while yields return quickly, then
 * sleep (comm.c says when it stops yielding).
 * spin: pause loop only (after 2^32 spins it falls back to the futex, so a
 * hang still ends in the watchdog's report). yield: sched_yield() between
 * looks (2^32 of them before the futex). futex: look once, then sleep. */
enum cb_wait { CB_WAIT_AUTO, CB_WAIT_SPIN, CB_WAIT_YIELD, CB_WAIT_FUTEX };

/* Deliberate protocol breakage (--inject), per rank. */
enum cb_fault {
	CB_FAULT_STALE_EPOCH = 1 << 0,   /* waits compare against 1 */
	CB_FAULT_SINGLE_BUFFER = 1 << 1, /* no double buffering */
	CB_FAULT_RING_OFF_BY_ONE = 1 << 2, /* ring algorithms read chunk + 1 */
	CB_FAULT_NO_ACK = 1 << 3,          /* LL senders do not wait for acks */
	/* The schedules that expose the faults above in every run, not only
	 * when the scheduler happens to delay a rank: in each row half's check
	 * iterations every rank but one (the root, else rank 0) stalls
	 * CB_FAULT_STALL_NS once while that rank runs on. Without the fault a
	 * stall is harmless: every protocol waits for the stalled rank.
	 * SLOW_READER: right after its first LL message has arrived or its
	 * first barrier has released it, before the reads that follow, so the
	 * running rank's next writes overwrite what it has not read yet (a lost
	 * double buffer, a sender ignoring acks). SLOW_WRITER: before its first
	 * call, so peers whose waits pass early (a stale epoch) read its data
	 * before it is written. */
	CB_FAULT_SLOW_READER = 1 << 4,
	CB_FAULT_SLOW_WRITER = 1 << 5,
};
#define CB_FAULT_STALL_NS 10000000L

struct cb_rank;

/* A transport whose peers' windows are not mapped here (MPI_Win_allocate,
 * across machines) implements the data movement and signalling; offsets are
 * byte offsets inside the target's window. put and get complete before they
 * return; notify publishes my earlier stores to my own window first (a peer
 * may read them with get once notified); wait returns once my own cell at
 * off holds at least expect, with acquire semantics. */
struct cb_comm_ops {
	void (*put)(const struct cb_rank *rk, int peer, size_t off, const void *src, size_t n);
	const void *(*get)(const struct cb_rank *rk, int peer, size_t off, size_t n);
	void (*notify)(struct cb_rank *rk, int peer, size_t off);
	void (*wait)(struct cb_rank *rk, size_t off, uint64_t expect);
};

/* Inline messages (the "LL" protocol of fast shared-memory collectives): a
 * message of up to CB_LL_BYTES goes straight into a slot of the receiver's
 * window that only the sender writes. A slot is CB_LL_LINES signal cells;
 * each carries CB_LL_LINE_BYTES of the message in its own cache line, next
 * to the counter that says the line is there, so a receiver polls exactly
 * the lines that hold data: a small message costs it one cache-line
 * transfer, not a notify line plus data lines. Every window has CB_LL_SLOTS
 * slots per writer (algorithms use disjoint ranges of them) and one ack cell
 * per writer; only windows of at most CB_LL_MAX_RANKS ranks have them
 * (comm->ll), since their memory grows as P^2. */
#define CB_LL_SLOTS 34
#define CB_LL_LINES 8
#define CB_LL_LINE_BYTES (CB_CACHELINE - sizeof(uint64_t))
#define CB_LL_BYTES (CB_LL_LINES * CB_LL_LINE_BYTES)
#define CB_LL_MAX_RANKS 16

/* When ranks of this process see slow yields (comm.c), every rank skips
 * the yield stage until off_until (CLOCK_MONOTONIC ns). A hint, read by
 * every wait and written rarely, on its own line. */
struct cb_yield_gate {
	_Atomic uint64_t off_until;
	_Atomic uint64_t off_ns;      /* length of that pause */
	_Atomic uint64_t last_slow;   /* when the last slow yield ended */
	char pad[CB_CACHELINE - 3 * sizeof(uint64_t)];
};

struct cb_comm {
	int nranks;
	int ll;                       /* windows have LL slots and ack cells */
	size_t ll_cell0;              /* first LL cell: + (writer*SLOTS + slot)*LINES + line */
	size_t ack_cell0;             /* first ack cell: + writer */
	size_t central_cell0;         /* central barrier: arrivals, then release
				       * (in the last rank's window) */
	unsigned spin_limit;          /* pause spins before a waiter yields/sleeps */
	unsigned yield_limit;         /* then sched_yield() looks before it sleeps */
	int yield_adaptive;           /* auto, oversubscribed: yield while yields are quick */
	enum cb_wait wait;            /* --wait */
	int oversubscribed;           /* ranks outnumber PUs (for -A auto) */
	int npus;                     /* PUs the ranks run on */
	int direct;                   /* every peer's window is mapped here */
	int futex_private;            /* FUTEX_PRIVATE_FLAG: waiters and notifiers share
				       * one process (threads); 0: several processes
				       * map the windows (MPI shared windows) */
	const struct cb_comm_ops *ops;/* NULL: shared memory (win[] holds every peer) */
	void *xp;                     /* the transport's own state (MPI: a --split
				       * group's communicator, NULL: the world's) */
	const int *world;             /* [nranks] each rank's rank in the run (a
				       * --split group's view), NULL: the same */
	enum cb_barrier_kind barrier;
	size_t cells_off;             /* byte offsets inside every window */
	size_t diss_cell0;            /* first dissemination cell index */
	size_t ncells;
	size_t data_off;
	size_t half_bytes;            /* one parity half of the data area */
	size_t win_bytes;
	size_t user_off;              /* the caller's buffers (comm_reserve_user) */
	size_t user_bytes;
	char **win;                   /* [nranks] window bases */
	struct cb_rank_state *state;  /* [nranks] */
	struct cb_yield_gate *yield_gate; /* shared by this process's ranks */
};

struct cb_rank {
	struct cb_comm *comm;
	int rank;
	int nranks;
	char *win;
	uint64_t *expect;             /* [CB_NROWS * nranks] notifies consumed */
	uint64_t *ll_expect;          /* [nranks * CB_LL_SLOTS] LL messages consumed */
	uint64_t *ll_sent;            /* [nranks * CB_LL_SLOTS] LL messages sent */
	uint64_t *ll_root_calls;      /* [nranks] calls of barrier-free rooted LL
				       * algorithms per root (the same on every rank) */
	uint64_t barrier_epoch;       /* dissemination barriers entered */
	uint64_t central_epoch;       /* central barriers entered (their own count, so
				       * that kinds may alternate: the barrier collective) */
	uint64_t call_seq;            /* collective calls started */
	int drop_notifies;            /* fault injection: notifies left to skip */
	unsigned faults;              /* enum cb_fault bits */
	unsigned jitter_us;           /* --jitter: max delay at a barrier boundary */
	int jitter_on;                /* only in check iterations */
	int stall_pending;            /* CB_FAULT_SLOW_READER: stall at the next arrival */
	uint64_t rng;                 /* --seed derived, per rank */
	uint64_t yield_slow;          /* slow yields seen (another process ran) */
	uint64_t yield_paused;        /* waits that slept: the yield stage was paused */
	struct cb_rank_state *state;
};

/* Fault hooks: where each deliberate fault (--inject, enum cb_fault) enters
 * the protocols. comm.c and the algorithms call these and test no fault
 * bits themselves; without its fault each hook is the identity (or false).
 * They are the only code that reads rk->faults outside the bench. */
void comm_fault_stall(struct cb_rank *rk);

/* stale-epoch: the epoch a wait compares against. */
static inline uint64_t cb_fault_epoch(const struct cb_rank *rk, uint64_t want)
{
	return (rk->faults & CB_FAULT_STALE_EPOCH) ? 1 : want;
}

/* drop-notify: true when this notify is to be skipped (counts it down). */
static inline int cb_fault_drop_notify(struct cb_rank *rk)
{
	if (rk->drop_notifies <= 0)
		return 0;
	rk->drop_notifies--;
	return 1;
}

/* no-double-buffer: the buffer (scratch half, LL slot) a call uses. */
static inline uint64_t cb_fault_parity(const struct cb_rank *rk, uint64_t parity)
{
	return (rk->faults & CB_FAULT_SINGLE_BUFFER) ? 0 : parity;
}

/* ring-off-by-one: the shift added to a ring's reduce-scatter chunk. */
static inline int cb_fault_chunk_shift(const struct cb_rank *rk)
{
	return (rk->faults & CB_FAULT_RING_OFF_BY_ONE) ? 1 : 0;
}

/* no-ack: true when a barrier-free sender skips its wait for acks. */
static inline int cb_fault_skip_acks(const struct cb_rank *rk)
{
	return (rk->faults & CB_FAULT_NO_ACK) != 0;
}

/* The slow-reader schedule: a message or a barrier has just let me go. */
static inline void cb_fault_arrived(struct cb_rank *rk)
{
	if (rk->stall_pending)
		comm_fault_stall(rk);
}

/* Layout of every window for nranks ranks and data area of 2*half_bytes. */
void comm_init(struct cb_comm *c, int nranks, size_t half_bytes, int npus);
void comm_destroy(struct cb_comm *c);
/* Room for the caller's own buffers at the end of every window, at the same
 * offset in each, after comm_init: the bench keeps every rank's send and
 * recv buffers there, so an algorithm may read a peer's input or output
 * where it is (comm_get with a pointer into my own buffers) instead of
 * staging it through scratch. */
void comm_reserve_user(struct cb_comm *c, size_t bytes);
/* Whether [p, p+n) lies in my window's user area, so that the same offset
 * in a peer's window holds the peer's buffer of the same role. An empty
 * range addresses nothing: always (-b 0 plans reserve no user area). */
static inline int comm_in_window(const struct cb_rank *rk, const void *p, size_t n)
{
	const char *q = p, *u = rk->win + rk->comm->user_off;
	if (n == 0)
		return 1;
	return rk->comm->user_bytes && q >= u && n <= rk->comm->user_bytes &&
	       (size_t)(q - u) <= rk->comm->user_bytes - n;
}

/* Wait policy, after comm_init (npus as given to comm_init); comm_init
 * starts from auto. */
void comm_set_wait(struct cb_comm *c, enum cb_wait w, int npus);
/* --barrier's value, after comm_init: a kind (enum cb_barrier_kind), or -1
 * (optenum.h's CB_BARRIER_AUTO) to choose by the rank and PU counts; the
 * option parser turned the name into it. */
void comm_set_barrier(struct cb_comm *c, int kind);
/* The kind a barrier asked as `asked` (enum cb_barrier_kind, -1: auto)
 * runs over nranks ranks on npus PUs, where every peer's window is mapped
 * here (threads, MPI shared windows) or not (MPI RMA windows): what the
 * barrier collective's auto row names as its pick. */
enum cb_barrier_kind comm_barrier_runs(int asked, int nranks, int npus, bool mapped);
/* End any pause of the yield stage (comm.c): one rank, then a barrier. */
void comm_yield_rearm(struct cb_comm *c);
/* Run by the owning thread once its window is allocated and zeroed. */
void comm_rank_init(struct cb_rank *rk, struct cb_comm *c, int rank, char *win);
void comm_rank_destroy(struct cb_rank *rk);

/* Start a collective call: flips the scratch parity. */
static inline void comm_begin_call(struct cb_rank *rk)
{
	rk->call_seq++;
	atomic_store_explicit(&rk->state->barrier, 0, memory_order_relaxed);
	atomic_store_explicit(&rk->state->step, NULL, memory_order_relaxed);
}

/* This call's half of my data area. Double buffering by call parity: call k
 * uses half k%2, so a rank rewrites a half only two calls later, after a
 * barrier of the call in between that every peer passes only once it has
 * finished reading the half (each algorithm's comment says which barrier). */
static inline void *comm_scratch(const struct cb_rank *rk)
{
	uint64_t half = cb_fault_parity(rk, rk->call_seq & 1);
	return rk->win + rk->comm->data_off + half * rk->comm->half_bytes;
}

/* The address at the same offset as local (inside my window) in peer's.
 * Only for transports whose windows are all mapped here (comm->direct). */
static inline void *comm_remote(const struct cb_rank *rk, const void *local, int peer)
{
	return rk->comm->win[peer] + ((const char *)local - rk->win);
}

/* Remote read, the one way algorithms read a peer's window: the n bytes at
 * the offset of local (inside my window) in peer's window. Where windows are
 * shared memory (threads, MPI shared windows) this is the peer's memory
 * itself, no copy; otherwise (MPI windows across machines) the bytes are
 * fetched into a per-rank staging buffer, and the pointer stays valid until
 * the next-but-one comm_get of this rank (so two remote blocks may be in use
 * at once). Either way the result is read-only. */
const void *comm_get_copy(const struct cb_rank *rk, const void *local, int peer, size_t n);
static inline const void *comm_get(const struct cb_rank *rk, const void *local, int peer,
				   size_t n)
{
	if (__builtin_expect(rk->comm->direct, 1))
		return comm_remote(rk, local, peer);
	return comm_get_copy(rk, local, peer, n);
}

/* Copy n bytes into peer's window at the offset of local_dst. */
void comm_put(const struct cb_rank *rk, int peer, void *local_dst,
	      const void *src, size_t n);

/* Add 1 to my cell of row in peer's window (release). */
void comm_notify(struct cb_rank *rk, int peer, enum cb_row row);
/* Consume one notify from peer on row: wait until my cell for peer reaches
 * the next expected epoch (acquire). */
void comm_wait(struct cb_rank *rk, int peer, enum cb_row row);
/* Barrier over all ranks, of the run's kind (--barrier; its auto resolved
 * by comm_barrier_runs: what the barrier collective's auto row names). */
void comm_barrier(struct cb_rank *rk);
/* One barrier of the given kind, whatever --barrier says (the barrier
 * collective's algorithms); kinds may alternate between calls: each kind
 * keeps its own cells and epoch. central without mapped windows runs as
 * comm_barrier would (mesh up to 8 ranks, else dissemination). */
void comm_barrier_kind(struct cb_rank *rk, enum cb_barrier_kind kind);

/* LL messages (see CB_LL_SLOTS). comm_ll_send: n <= CB_LL_BYTES bytes into
 * my slot of peer's window, each line published by its own counter; the
 * caller has made sure peer consumed the slot's previous message.
 * comm_ll_wait: consume the next n-byte message of writer's slot in my
 * window (acquire, line by line); comm_ll_read then copies it out (valid
 * until the writer may reuse the slot). */
void comm_ll_send(struct cb_rank *rk, int peer, unsigned slot, const void *src, size_t n);
void comm_ll_wait(struct cb_rank *rk, int writer, unsigned slot, size_t n);
void comm_ll_read(const struct cb_rank *rk, int writer, unsigned slot, void *dst, size_t n);
/* Flow control for LL senders: comm_ack bumps my ack cell in peer's window;
 * comm_wait_acks waits until the ack cell peer writes in my window is at
 * least n (a count, not a consumption: acks never need to be drained). */
void comm_ack(struct cb_rank *rk, int peer);
void comm_wait_acks(struct cb_rank *rk, int peer, uint64_t n);

/* Race shaking: seed the per-rank generator; comm_jitter() sleeps a random
 * 0..jitter_us microseconds at half of the calls while jitter_on. */
void comm_jitter_seed(struct cb_rank *rk, uint64_t seed, unsigned jitter_us);
void comm_jitter(struct cb_rank *rk);
/* Fault injection only: clear my own signal cells although peers can reach
 * them (seed hazard 1). */
void comm_zero_own_signals(struct cb_rank *rk);

/* Low level, for the barrier and tests: index of a cell, and waiting until a
 * cell of my own window is >= expect. */
static inline size_t comm_cell_index(const struct cb_comm *c, enum cb_row row, int col)
{
	return (size_t)row * (size_t)c->nranks + (size_t)col;
}
void comm_notify_cell(struct cb_rank *rk, int peer, size_t cell);
void comm_wait_cell(struct cb_rank *rk, size_t cell, uint64_t expect);
/* The watchdog's view of a window: comm_rank_init publishes the rank's
 * base (release, after its cells are initialised), and the owner withdraws
 * it (NULL) before freeing the window; comm_cell_value reads a published window only
 * (acquire), and 0 where none is. c->win[] itself is written by the rank
 * threads in no order the watchdog thread could rely on. */
void comm_publish_win(struct cb_comm *c, int rank, char *win);
uint64_t comm_cell_value(const struct cb_comm *c, int owner, size_t cell);
/* "barrier row, slot written by rank 2" and the like, for hang reports. */
void comm_cell_describe(const struct cb_comm *c, int owner, size_t cell, char *buf, size_t cap);

#endif
