/* coll.h: collective and algorithm descriptors, and the registry tables.
 *
 * A collective says what is computed (counts, busbw factor, inputs and the
 * closed-form golden); an algorithm says how (its run function over the comm
 * API). Listing, --help, "-A all" and the plan all walk the tables. */
#ifndef COLLBENCH_COLL_H
#define COLLBENCH_COLL_H

#include <stdbool.h>
#include <stddef.h>

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
	const char *summary;
	unsigned flags;
	enum cb_traffic traffic;
	/* busbw = algbw * factor(P) */
	double (*busbw_factor)(int nranks);
	void (*counts)(size_t bytes, size_t esize, int nranks, struct cb_counts *n);
	/* In-place layout (nccl-tests'): send and recv as element offsets into
	 * one buffer; false if the collective has no in-place form. */
	bool (*inplace)(const struct cb_counts *n, int rank, int nranks,
			size_t *send_off, size_t *recv_off);
	/* Fill my send buffer for check iteration values v. */
	void (*fill_input)(const struct cb_call *c, const struct cb_values *v);
	/* Write the golden of my recv buffer into exp; return how many leading
	 * elements of recv are defined (and so checked). */
	size_t (*fill_expected)(const struct cb_call *c, const struct cb_values *v, void *exp);
};

struct cb_algo {
	const char *name;
	const struct cb_coll *coll;
	const char *summary;
	/* Bytes of scratch per parity half of the window's data area. */
	size_t (*scratch_bytes)(const struct cb_counts *n, size_t esize, int nranks);
	void (*run)(struct cb_rank *rk, const struct cb_call *c);
};

extern const struct cb_coll *const cb_colls[];
extern const size_t cb_ncolls;
extern const struct cb_algo *const cb_algos[];
extern const size_t cb_nalgos;

const struct cb_coll *cb_coll_find(const char *name);
const struct cb_algo *cb_algo_find(const struct cb_coll *coll, const char *name);

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
