/* coll.h: collective and algorithm descriptors, and the registry tables.
 *
 * A collective says what is computed (counts, busbw factor, inputs and the
 * closed-form golden); an algorithm says how (its run function over the comm
 * API). Listing, --help, "-A all" and the plan all walk the tables. */
#ifndef COLLBENCH_COLL_H
#define COLLBENCH_COLL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "collbench/comm.h"
#include "collbench/dtype.h"
#include "collbench/verify.h"

/* Element counts of one point, as nccl-tests defines them per collective. */
struct cb_counts {
	size_t count;  /* the "count" column (the API count) */
	size_t bytes;  /* the "size" column: count-derived bytes per rank */
	size_t send;   /* elements in each rank's send buffer */
	size_t recv;   /* elements in each rank's recv buffer */
	size_t algbw_bytes; /* S in algbw = S / t */
};

/* One collective call as a rank sees it. */
struct cb_call {
	const void *send;
	void *recv;
	const struct cb_counts *n;
	const struct cb_dtype *dt;
	const struct cb_redop *op;
	int root;      /* -1 for collectives without a root */
	int rank;
	int nranks;
};

enum cb_coll_flags {
	CB_COLL_ROOT = 1 << 0,   /* takes -r */
	CB_COLL_REDUCE = 1 << 1, /* takes -o */
	CB_COLL_SIZELESS = 1 << 2, /* no data (barrier): one row, at the first size */
};

/* Compulsory memory traffic of one call (the roofline's numerator): by
 * default every rank reads its input and writes its output once. */
enum cb_traffic {
	CB_TRAFFIC_EVERY_RANK = 0,
	CB_TRAFFIC_ROOT_INPUT,   /* only the root's input is read (broadcast, scatter) */
	CB_TRAFFIC_ROOT_OUTPUT,  /* only the root's output is written (reduce, gather) */
};

struct cb_coll {
	const char *name;
	const char *alias;      /* NULL or a second accepted name */
	/* nccl-tests' binary of this collective (all_reduce_perf): the name on
	 * the table's "Collective test starting" line, which parsers key on */
	const char *nccl_test;
	const char *summary;
	unsigned flags;
	enum cb_traffic traffic;
	/* M in bytes when the ranks' buffers differ (the v-collectives: each
	 * rank's own blocks, summed over ranks); NULL: from traffic and the
	 * common counts (cb_min_traffic). */
	double (*min_traffic)(const struct cb_counts *n, size_t esize, int nranks, int root);
	/* busbw = algbw * factor(P) */
	double (*busbw_factor)(int nranks);
	void (*counts)(size_t bytes, size_t esize, int nranks, struct cb_counts *n);
	/* In-place layout (nccl-tests'): send and recv as element offsets into
	 * one buffer; false if the collective has no in-place form. */
	bool (*inplace)(const struct cb_counts *n, int rank, int nranks,
			size_t *send_off, size_t *recv_off);
	/* Fill my send buffer for check iteration values v; NULL: the default,
	 * cb_fill_input_default (every collective so far). */
	void (*fill_input)(const struct cb_call *c, const struct cb_values *v);
	/* Write the golden of my recv buffer into exp; return how many leading
	 * elements of recv are defined (and so checked). */
	size_t (*fill_expected)(const struct cb_call *c, const struct cb_values *v, void *exp);
};

/* Where one half of a point runs: what an algorithm's applicability check
 * and auto's pick may look at. Every field is the same on every rank (the
 * plan is built alike everywhere), so all ranks run, skip or pick alike. */
struct cb_where {
	const struct cb_counts *n; /* n->bytes: the size column */
	size_t esize;
	int nranks;
	bool inplace;          /* the in-place half */
	bool oversubscribed;   /* ranks outnumber the PUs (comm.h) */
	bool mpi;              /* ranks are MPI processes (transport.h) */
	const struct cb_dtype *dt; /* the point's datatype, and op (NULL if none) */
	const struct cb_redop *op;
	size_t misalign;       /* -u: bytes send and recv start past their page */
	int root;              /* the point's root, -1 without one */
	bool rma;              /* peers' windows are not mapped here (MPI RMA windows) */
	/* The kind comm_barrier runs in this plan (comm_barrier_runs): the
	 * barrier collective's auto picks it. */
	enum cb_barrier_kind barrier;
};

struct cb_algo {
	const char *name;
	const struct cb_coll *coll;
	const char *summary;
	/* Bytes of scratch per parity half of the window's data area. */
	size_t (*scratch_bytes)(const struct cb_counts *n, size_t esize, int nranks);
	/* Where the algorithm applies; NULL: everywhere. Returns true, or false
	 * with why set to a phrase that follows "not applicable" ("at 1048576
	 * B (at most 448 B)"). The plan asks for every point and half and never
	 * runs an algorithm outside its domain under its own name: there is no
	 * fallback inside a run function. */
	bool (*applies)(const struct cb_where *w, char *why, size_t cap);
	/* A chooser ("auto"): the algorithm that runs at w, one that applies
	 * there (NULL: none). A chooser's run is NULL: the plan resolves the
	 * pick once per point (cb_algo_resolve), the timed loop runs it. */
	const struct cb_algo *(*pick)(const struct cb_where *w);
	void (*run)(struct cb_rank *rk, const struct cb_call *c);
	/* NULL: built in; else the file of the plug-in it came from (plugin.c). */
	const char *plugin;
	/* Not part of "-A all", only run when named (mpi: the MPI library's
	 * own collectives are a reference beside collbench's, not one of them). */
	bool by_name;
};

/* Does a apply at w (why as for cb_algo.applies; why may be NULL)? */
bool cb_algo_applies(const struct cb_algo *a, const struct cb_where *w, char *why, size_t cap);
/* What executes when a is asked for at w: a itself, a chooser's pick, or
 * NULL with why set when nothing applicable would run. */
const struct cb_algo *cb_algo_resolve(const struct cb_algo *a, const struct cb_where *w,
				      char *why, size_t cap);

/* THE REGISTRY: every collective (nccl-tests' order) and every algorithm
 * (listing order), one line each. Adding an algorithm is its descriptor
 * file, defining cb_algo_<coll>_<name> (C identifiers: '-' in the name
 * becomes '_'), plus one line here; the externs below and the tables of
 * registry.c are generated from these lists. */
#define CB_COLL_LIST(X) \
	X(allreduce) X(broadcast) X(reduce) X(allgather) X(reduce_scatter) \
	X(alltoall) X(gather) X(scatter) X(sendrecv) \
	X(alltoallv) X(allgatherv) X(gatherv) X(scatterv) X(reduce_scatterv) X(barrier) \
	X(reduce_local)

#define CB_ALGO_LIST(X)                                                        \
	X(allreduce, mesh) X(allreduce, twophase) X(allreduce, ring)           \
	X(allreduce, ring_neighbor) X(allreduce, twoshot) X(allreduce, ll)     \
	X(allreduce, direct) X(allreduce, auto)                                \
	X(broadcast, pull) X(broadcast, push) X(broadcast, pipeline)           \
	X(broadcast, eager) X(broadcast, direct) X(broadcast, auto)            \
	X(reduce, pull) X(reduce, twophase) X(reduce, auto)                    \
	X(allgather, pull) X(allgather, push) X(allgather, pipeline)           \
	X(allgather, direct) X(allgather, auto)                                \
	X(reduce_scatter, pull) X(reduce_scatter, ring) X(reduce_scatter, push) \
	X(reduce_scatter, pipeline) X(reduce_scatter, direct)                  \
	X(reduce_scatter, auto)                                                \
	X(alltoall, pull) X(alltoall, push) X(alltoall, pipeline)              \
	X(alltoall, direct) X(alltoall, auto)                                  \
	X(gather, pull) X(gather, push) X(gather, auto)                        \
	X(scatter, pull) X(scatter, push) X(scatter, auto)                     \
	X(sendrecv, pull) X(sendrecv, push) X(sendrecv, auto)                  \
	X(alltoallv, pull) X(alltoallv, push) X(alltoallv, direct)             \
	X(alltoallv, auto)                                                     \
	X(allgatherv, pull) X(allgatherv, push) X(allgatherv, direct)          \
	X(allgatherv, auto)                                                    \
	X(gatherv, pull) X(gatherv, push) X(gatherv, auto)                     \
	X(scatterv, pull) X(scatterv, push) X(scatterv, auto)                  \
	X(reduce_scatterv, pull) X(reduce_scatterv, push)                      \
	X(reduce_scatterv, direct) X(reduce_scatterv, auto)                    \
	X(barrier, mesh) X(barrier, dissemination) X(barrier, central) X(barrier, auto) \
	X(reduce_local, local) X(reduce_local, auto)

#define CB_COLL_EXTERN(C) extern const struct cb_coll cb_coll_##C;
#define CB_ALGO_EXTERN(C, A) extern const struct cb_algo cb_algo_##C##_##A;
CB_COLL_LIST(CB_COLL_EXTERN)
CB_ALGO_LIST(CB_ALGO_EXTERN)
#undef CB_COLL_EXTERN
#undef CB_ALGO_EXTERN

extern const struct cb_coll *const cb_colls[];
extern const size_t cb_ncolls;
/* The built-in table, then any plug-ins' algorithms (plugin.c appends). */
extern const struct cb_algo *const *cb_algos;
extern size_t cb_nalgos;

/* Append an algorithm made at run time (plug-ins, the MPI library's rows)
 * to cb_algos; before any plan is built. */
void cb_registry_append(const struct cb_algo *a);

const struct cb_coll *cb_coll_find(const char *name);
/* collbench list --names: "collective algorithm" per line, registry order. */
void cb_registry_print_names(FILE *f);
const struct cb_algo *cb_algo_find(const struct cb_coll *coll, const char *name);

/* The default input: all n->send elements of my send buffer are my values
 * (rank r, element index from 0). */
void cb_fill_input_default(const struct cb_call *c, const struct cb_values *v);

static inline void cb_coll_fill_input(const struct cb_coll *coll, const struct cb_call *c,
				      const struct cb_values *v)
{
	(coll->fill_input ? coll->fill_input : cb_fill_input_default)(c, v);
}

/* Common pieces of collective descriptors. */
double cb_busbw_one(int nranks);
double cb_busbw_allreduce(int nranks);
double cb_busbw_nm1_over_n(int nranks);
bool cb_inplace_same(const struct cb_counts *n, int rank, int nranks,
		     size_t *send_off, size_t *recv_off);
/* No in-place form (sendrecv): the in-place half prints N/A. */
bool cb_inplace_none(const struct cb_counts *n, int rank, int nranks,
		     size_t *send_off, size_t *recv_off);
/* nccl-tests' "P-block" layouts: the big buffer holds P blocks of count
 * elements and the rank's small buffer is block r of it. send_in_recv:
 * send = recv + r*count (allgather, gather); recv_in_send: recv = send +
 * r*count (reduce_scatter, scatter). */
bool cb_inplace_send_in_recv(const struct cb_counts *n, int rank, int nranks,
			     size_t *send_off, size_t *recv_off);
bool cb_inplace_recv_in_send(const struct cb_counts *n, int rank, int nranks,
			     size_t *send_off, size_t *recv_off);

/* Count derivations, without nccl-tests' 16-byte rounding of per-rank blocks
 * (so that counts not divisible by anything still get exercised):
 * whole:   count = bytes/esize; send = recv = count; size = count*esize
 *          (allreduce, broadcast, reduce, sendrecv).
 * gather:  count = bytes/esize/P per rank; send = count, recv = P*count;
 *          size = P*count*esize (allgather, gather).
 * scatter: count = bytes/esize/P per rank; send = P*count, recv = count;
 *          size = P*count*esize (reduce_scatter, scatter).
 * alltoall: count = bytes/esize/P per peer; send = recv = P*count;
 *          size = P*count*esize.
 * In every case algbw's S is the size column (algbw_bytes = bytes). */
void cb_counts_whole(size_t bytes, size_t esize, int nranks, struct cb_counts *n);
void cb_counts_gather(size_t bytes, size_t esize, int nranks, struct cb_counts *n);
void cb_counts_scatter(size_t bytes, size_t esize, int nranks, struct cb_counts *n);
void cb_counts_alltoall(size_t bytes, size_t esize, int nranks, struct cb_counts *n);

#endif
