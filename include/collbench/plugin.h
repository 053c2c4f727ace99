/* collbench/plugin.h: the public API for collective algorithms loaded with
 * `collbench --plugin FILE.so`. A plug-in includes this header only (no
 * other collbench header) and is built with
 *
 *     cc -shared -fPIC $(pkg-config --cflags collbench-plugin) algo.c -o algo.so
 *
 * WHAT IS STABLE. Everything declared here is ABI version CBP_ABI_VERSION.
 * collbench refuses (exit 6, one line) a plug-in built for another version,
 * so a plug-in never runs against a layout it was not compiled for. The
 * structs cb_rank, cb_call, cb_counts and cb_where are opaque: only the
 * accessors below read them, so collbench may change them freely. A new
 * ABI version is made only when something below changes incompatibly.
 *
 * THE MODEL (collbench(1), include/collbench/comm.h in the sources). P ranks
 * (threads of one process, or MPI processes) run the same run function for
 * every call. Each rank owns a symmetric window: the same layout at every
 * rank. Its data area has two halves; cbp_scratch() is this call's half
 * (call k uses half k%2). A rank reads a peer's window with cbp_get (and
 * writes into it with cbp_put) at the offset of a pointer into its own
 * window. Signals are counters: cbp_notify(rk, peer, row) adds one to my
 * cell of that row in peer's window, cbp_wait(rk, peer, row) consumes one
 * notify peer sent me on that row. Rows 0..CBP_NROWS-1 are the plug-in's;
 * every notify must be consumed by exactly one wait, in every call.
 *
 * THE PARITY RULE. If every call of an algorithm makes at least one
 * cbp_barrier on every rank, then whatever any rank did to a scratch half in
 * call k happened before anything any rank does to that half in call k+2.
 * An algorithm without a barrier per call must argue its own reuse safety.
 * Within a call, the algorithm must order every write to a location after
 * every earlier read of it (notify/wait, barrier): the verifier's -c,
 * --jitter and --inject no-double-buffer are there to find where it does not.
 *
 * A crash inside a plug-in's run function is the plug-in's: collbench
 * validates descriptors at load and never calls a run function outside its
 * applicability, but cannot recover from a segfault in it. */
#ifndef COLLBENCH_PLUGIN_H
#define COLLBENCH_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CBP_ABI_VERSION 1u
/* Signal rows a plug-in may use (cbp_notify/cbp_wait), 0..CBP_NROWS-1. */
#define CBP_NROWS 4

struct cb_rank;   /* one rank, in one call: opaque */
struct cb_call;   /* the call's buffers, counts, dtype, op, root: opaque */
struct cb_counts; /* element counts of one message size: opaque */
struct cb_where;  /* where a point runs (applicability): opaque */

/* One algorithm. name: 1..31 characters of [a-z0-9_-], unique within its
 * collective (a built-in algorithm's name is refused). coll: "allreduce",
 * "broadcast", "reduce", "allgather", "reduce_scatter", "alltoall",
 * "gather", "scatter" or "sendrecv" (see collbench list). */
struct cbp_algo {
	const char *name;
	const char *coll;
	const char *summary;  /* one line for collbench list (may be NULL) */
	/* Bytes of scratch per window half (cbp_scratch), for a message of
	 * counts n (cbp_counts_*) of esize-byte elements over nranks; NULL: 0. */
	size_t (*scratch_bytes)(const struct cb_counts *n, size_t esize, int nranks);
	/* NULL: applies everywhere. Else true, or false with why set to a
	 * phrase that follows "not applicable" ("at 3 ranks (powers of 2 only)"). */
	bool (*applies)(const struct cb_where *w, char *why, size_t cap);
	/* One collective call on one rank; required. */
	void (*run)(struct cb_rank *rk, const struct cb_call *c);
};

/* What collbench_plugin_register returns: abi first, always. */
struct cbp_plugin {
	uint32_t abi;               /* CBP_ABI_VERSION */
	uint32_t nalgos;
	const struct cbp_algo *algos;
};

/* collbench's side: the functions below call through it. Filled by
 * collbench, never by a plug-in; fields are only ever appended. */
struct cbp_host {
	uint32_t abi;
	uint32_t size;              /* sizeof (struct cbp_host) in collbench */
	int (*rank)(const struct cb_rank *rk);
	int (*nranks)(const struct cb_rank *rk);
	void *(*scratch)(const struct cb_rank *rk);
	void *(*remote)(const struct cb_rank *rk, const void *local, int peer);
	const void *(*get)(const struct cb_rank *rk, const void *local, int peer, size_t n);
	void (*put)(const struct cb_rank *rk, int peer, void *local_dst, const void *src, size_t n);
	void (*notify)(struct cb_rank *rk, int peer, int row);
	void (*wait)(struct cb_rank *rk, int peer, int row);
	void (*barrier)(struct cb_rank *rk);
	void (*phase)(struct cb_rank *rk, const char *name);
	const void *(*send)(const struct cb_call *c);
	void *(*recv)(const struct cb_call *c);
	size_t (*count)(const struct cb_call *c);
	size_t (*send_count)(const struct cb_call *c);
	size_t (*recv_count)(const struct cb_call *c);
	size_t (*esize)(const struct cb_call *c);
	int (*root)(const struct cb_call *c);
	void (*reduce)(const struct cb_call *c, void *dst, const void *a, const void *b, size_t n);
	void (*reduce_finish)(const struct cb_call *c, void *buf, size_t n);
	size_t (*counts_count)(const struct cb_counts *n);
	size_t (*counts_send)(const struct cb_counts *n);
	size_t (*counts_recv)(const struct cb_counts *n);
	size_t (*where_bytes)(const struct cb_where *w);
	int (*where_nranks)(const struct cb_where *w);
	bool (*where_inplace)(const struct cb_where *w);
	bool (*where_mpi)(const struct cb_where *w);
	/* appended after ABI 1's first release: read through cbp_where_misalign */
	size_t (*where_misalign)(const struct cb_where *w);
};

/* Set by CBP_PLUGIN before any algorithm runs; hidden: each plug-in has its
 * own, and several plug-ins may be loaded at once. */
extern const struct cbp_host *cbp_host_ __attribute__((visibility("hidden")));

/* CBP_PLUGIN(algos): in exactly one file of the plug-in, after the array of
 * descriptors. Defines the two symbols collbench looks up: the ABI version
 * (read before anything else is touched) and the registration function. */
#define CBP_PLUGIN(algos_array)                                                   \
	const struct cbp_host *cbp_host_ __attribute__((visibility("hidden")));  \
	const uint32_t collbench_plugin_abi = CBP_ABI_VERSION;                    \
	const struct cbp_plugin *collbench_plugin_register(const struct cbp_host *h); \
	const struct cbp_plugin *collbench_plugin_register(const struct cbp_host *h) \
	{                                                                         \
		static const struct cbp_plugin p = {                              \
			CBP_ABI_VERSION, sizeof(algos_array) / sizeof((algos_array)[0]), \
			algos_array };                                            \
		cbp_host_ = h;                                                    \
		return &p;                                                        \
	}

/* ---- ranks and windows ---- */
/* My rank, 0..P-1, and P. */
static inline int cbp_rank(const struct cb_rank *rk) { return cbp_host_->rank(rk); }
static inline int cbp_nranks(const struct cb_rank *rk) { return cbp_host_->nranks(rk); }
/* This call's scratch half of my window (scratch_bytes long). */
static inline void *cbp_scratch(const struct cb_rank *rk) { return cbp_host_->scratch(rk); }
/* The peer's memory at the offset of local (in my window), for loads and
 * stores; NULL where windows are not mapped here (MPI RMA windows): then
 * use cbp_get and cbp_put, which work everywhere. */
static inline void *cbp_remote(const struct cb_rank *rk, const void *local, int peer)
{ return cbp_host_->remote(rk, local, peer); }
/* Read n bytes at local's offset in peer's window; read-only, valid until
 * my next-but-one cbp_get (two remote blocks may be in use at once). */
static inline const void *cbp_get(const struct cb_rank *rk, const void *local, int peer, size_t n)
{ return cbp_host_->get(rk, local, peer, n); }
/* Copy n bytes from src into peer's window at the offset of local_dst. */
static inline void cbp_put(const struct cb_rank *rk, int peer, void *local_dst, const void *src,
			   size_t n)
{ cbp_host_->put(rk, peer, local_dst, src, n); }
/* Release my earlier writes to peer / acquire peer's (see THE MODEL). */
static inline void cbp_notify(struct cb_rank *rk, int peer, int row)
{ cbp_host_->notify(rk, peer, row); }
static inline void cbp_wait(struct cb_rank *rk, int peer, int row)
{ cbp_host_->wait(rk, peer, row); }
static inline void cbp_barrier(struct cb_rank *rk) { cbp_host_->barrier(rk); }
/* Name what this rank is doing now ("round 2"; a string literal or storage
 * that outlives the run): a -T hang report shows it. Reset at every call. */
static inline void cbp_phase(struct cb_rank *rk, const char *name)
{ cbp_host_->phase(rk, name); }

/* ---- the call ---- */
/* My send and recv buffers (equal, or overlapping, in the in-place half:
 * the collective's in-place layout, as in nccl-tests). */
static inline const void *cbp_send(const struct cb_call *c) { return cbp_host_->send(c); }
static inline void *cbp_recv(const struct cb_call *c) { return cbp_host_->recv(c); }
/* The count column (elements per rank block for gather-like collectives),
 * the elements of my send and recv buffers, and bytes per element. */
static inline size_t cbp_count(const struct cb_call *c) { return cbp_host_->count(c); }
static inline size_t cbp_send_count(const struct cb_call *c) { return cbp_host_->send_count(c); }
static inline size_t cbp_recv_count(const struct cb_call *c) { return cbp_host_->recv_count(c); }
static inline size_t cbp_esize(const struct cb_call *c) { return cbp_host_->esize(c); }
/* The root of rooted collectives, else -1. */
static inline int cbp_root(const struct cb_call *c) { return cbp_host_->root(c); }
/* dst[i] = a[i] OP b[i] for i < n elements, in the call's dtype and op; dst
 * may equal a or b. After the last combination of a fully reduced buffer,
 * cbp_reduce_finish (avg divides by P there; other ops: nothing). */
static inline void cbp_reduce(const struct cb_call *c, void *dst, const void *a, const void *b,
			      size_t n)
{ cbp_host_->reduce(c, dst, a, b, n); }
static inline void cbp_reduce_finish(const struct cb_call *c, void *buf, size_t n)
{ cbp_host_->reduce_finish(c, buf, n); }

/* ---- sizes and applicability ---- */
static inline size_t cbp_counts_count(const struct cb_counts *n) { return cbp_host_->counts_count(n); }
static inline size_t cbp_counts_send(const struct cb_counts *n) { return cbp_host_->counts_send(n); }
static inline size_t cbp_counts_recv(const struct cb_counts *n) { return cbp_host_->counts_recv(n); }
/* The size column in bytes, P, the in-place half, ranks are MPI processes. */
static inline size_t cbp_where_bytes(const struct cb_where *w) { return cbp_host_->where_bytes(w); }
static inline int cbp_where_nranks(const struct cb_where *w) { return cbp_host_->where_nranks(w); }
static inline bool cbp_where_inplace(const struct cb_where *w) { return cbp_host_->where_inplace(w); }
static inline bool cbp_where_mpi(const struct cb_where *w) { return cbp_host_->where_mpi(w); }
/* -u N (nccl-tests' unalign): bytes by which the send and recv buffers (and
 * the in-place layout) start past their page, N x cbp_esize; 0 without -u,
 * and from a collbench whose host table predates it (its size says so). */
static inline size_t cbp_where_misalign(const struct cb_where *w)
{
	return cbp_host_->size > offsetof(struct cbp_host, where_misalign) ?
		cbp_host_->where_misalign(w) : 0;
}

/* Balanced split of n elements over p parts: part k starts at *off, has *len. */
static inline void cbp_chunk(size_t n, int p, int k, size_t *off, size_t *len)
{
	size_t q = n / (size_t)p, rem = n % (size_t)p, uk = (size_t)k;
	*off = uk * q + (uk < rem ? uk : rem);
	*len = q + (uk < rem ? 1 : 0);
}

#endif
