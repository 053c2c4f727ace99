/* mpi_native.c: algorithm "mpi" of every collective, in MPI builds: the MPI
 * library's own collective (MPI_Allreduce, MPI_Bcast, ...) on the same
 * send and recv buffers as collbench's algorithms, timed by the same loop
 * and checked against the same goldens. So the library's choice is a row
 * beside collbench's, and its output is verified like theirs.
 *
 * Applicability: only under the MPI transport (a rank thread is not an MPI
 * process); only datatypes and ops MPI has (half, bfloat16 and avg are not
 * MPI's: not applicable, never emulated); counts that fit MPI's int.
 *
 * In place: MPI_IN_PLACE where MPI has it, in the places collbench's
 * in-place layouts put the data (coll.h), so the same buffers are checked.
 * MPI_Reduce_scatter_block in place leaves the result at the start of the
 * buffer, collbench's layout has it at block r: the block is moved there
 * (part of the timed call, as a user of that MPI call would have to).
 * The v-collectives have no in-place layout in collbench (vcoll.h), so
 * their MPI_IN_PLACE forms have no half to run in.
 *
 * The v-collectives' count and displacement arrays (MPI's int vectors) are
 * made once per (count column, P, --skew) and kept, not per call: a user of
 * MPI_Alltoallv would have them ready, and collbench's own v-algorithms'
 * cb_vcount per block costs less than filling 4 arrays of P.
 *
 * Why it is safe: MPI's collectives are blocking and complete on return
 * (the send buffer may be reused, the recv buffer holds the result); they
 * touch only the call's buffers, never the window's signal cells or
 * scratch, so they cannot race collbench's own protocol around them. All
 * ranks make the same calls in the same order (the plan is the same
 * everywhere), as MPI requires of collectives on one communicator; with
 * --split each group's ranks call on their group's communicator (COMM), the
 * same calls in the same order within the group. */
#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/algo.h"
#include "collbench/transport.h"
#include "collbench/vcoll.h"

static MPI_Datatype mpi_type(const struct cb_dtype *dt)
{
	switch (dt->id) {
	case CB_INT8: return MPI_INT8_T;
	case CB_UINT8: return MPI_UINT8_T;
	case CB_INT32: return MPI_INT32_T;
	case CB_UINT32: return MPI_UINT32_T;
	case CB_INT64: return MPI_INT64_T;
	case CB_UINT64: return MPI_UINT64_T;
	case CB_FLOAT: return MPI_FLOAT;
	case CB_DOUBLE: return MPI_DOUBLE;
	default: return MPI_DATATYPE_NULL;   /* half, bfloat16: not MPI types */
	}
}

static MPI_Op mpi_op(const struct cb_redop *op)
{
	switch (op->id) {
	case CB_OP_SUM: return MPI_SUM;
	case CB_OP_PROD: return MPI_PROD;
	case CB_OP_MIN: return MPI_MIN;
	case CB_OP_MAX: return MPI_MAX;
	default: return MPI_OP_NULL;         /* avg: MPI has none */
	}
}

static bool applies(const struct cb_where *w, char *why, size_t cap)
{
	size_t count = w->n->send > w->n->recv ? w->n->send : w->n->recv;
	if (!w->mpi) {
		snprintf(why, cap, "with the thread transport (the MPI library's collectives "
			 "run under mpirun)");
		return false;
	}
	if (w->dt && mpi_type(w->dt) == MPI_DATATYPE_NULL) {
		snprintf(why, cap, "for %s (not an MPI datatype)", w->dt->name);
		return false;
	}
	if (w->op && mpi_op(w->op) == MPI_OP_NULL) {
		snprintf(why, cap, "for op %s (not an MPI reduction)", w->op->name);
		return false;
	}
	if (count > INT_MAX) {
		snprintf(why, cap, "at %zu elements (MPI counts are int)", count);
		return false;
	}
	return true;
}

/* The v-collectives: as every mpi row, and no in-place half (vcoll.h). */
static bool applies_v(const struct cb_where *w, char *why, size_t cap)
{
	return applies(w, why, cap) && cb_vcoll_applies(w, why, cap);
}

/* MPI_Barrier has no data: whatever the point's datatype, only the
 * transport matters. */
static bool applies_barrier(const struct cb_where *w, char *why, size_t cap)
{
	if (!w->mpi) {
		snprintf(why, cap, "with the thread transport (the MPI library's collectives "
			 "run under mpirun)");
		return false;
	}
	return true;
}

/* MPICH 4.0 and 4.1 crash (SIGSEGV in a local copy) in MPI_Reduce with
 * MPI_IN_PLACE at a root other than 0, above the short-message size
 * (pmodels/mpich#6540, reported on 4.0.2 and 4.1.1, fixed by #6543 in May
 * 2023). The library would take the whole run down, so that half is not
 * applicable there, at every size (the threshold is a library variable). */
static bool mpich_reduce_crashes(void)
{
	return !strncmp(cb_xport.library, "MPICH 4.0", 9) ||
	       !strncmp(cb_xport.library, "MPICH 4.1", 9);
}

static bool applies_reduce(const struct cb_where *w, char *why, size_t cap)
{
	if (!applies(w, why, cap))
		return false;
	if (w->inplace && w->root > 0 && mpich_reduce_crashes()) {
		snprintf(why, cap, "in place at root %d (%s's MPI_Reduce crashes there: "
			 "pmodels/mpich#6540)", w->root, cb_xport.library);
		return false;
	}
	return true;
}

static size_t no_scratch(const struct cb_counts *n, size_t esize, int nranks)
{
	(void)n, (void)esize, (void)nranks;
	return 0;
}

/* Does this call run in place (send inside recv or the other way round)? */
static bool inplace(const struct cb_call *c)
{
	const char *s = c->send, *r = c->recv;
	size_t es = c->dt->size;
	return s < r + c->n->recv * es && r < s + c->n->send * es;
}

/* The rank's communicator: its --split group's (MPI_Comm_split by the
 * group's colour, cb_mpi_group_comm, kept in the view's comm), else the
 * world's; rk->rank and rk->nranks are already the group's. */
#define COMM(rk) ((rk)->comm->xp ? *(const MPI_Comm *)(rk)->comm->xp : MPI_COMM_WORLD)
#define T(c) mpi_type((c)->dt)
#define N(x) ((int)(x))
#define IN(c, p) (inplace(c) ? MPI_IN_PLACE : (p))

static void allreduce(struct cb_rank *rk, const struct cb_call *c)
{
	MPI_Allreduce(IN(c, c->send), c->recv, N(c->n->count), T(c), mpi_op(c->op), COMM(rk));
}

static void broadcast(struct cb_rank *rk, const struct cb_call *c)
{
	/* MPI_Bcast has one buffer: the root's output is its input. */
	if (rk->rank == c->root)
		cb_copy(c->recv, c->send, c->n->count * c->dt->size);
	MPI_Bcast(c->recv, N(c->n->count), T(c), c->root, COMM(rk));
}

static void reduce(struct cb_rank *rk, const struct cb_call *c)
{
	const void *s = rk->rank == c->root ? IN(c, c->send) : c->send;
	MPI_Reduce(s, c->recv, N(c->n->count), T(c), mpi_op(c->op), c->root, COMM(rk));
}

static void allgather(struct cb_rank *rk, const struct cb_call *c)
{
	MPI_Allgather(IN(c, c->send), N(c->n->count), T(c), c->recv, N(c->n->count), T(c),
		      COMM(rk));
}

static void reduce_scatter(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	if (!inplace(c)) {
		MPI_Reduce_scatter_block(c->send, c->recv, N(c->n->count), T(c), mpi_op(c->op),
					 COMM(rk));
		return;
	}
	/* In place, recv = send + r*count; MPI leaves the result at send. */
	MPI_Reduce_scatter_block(MPI_IN_PLACE, (void *)c->send, N(c->n->count), T(c),
				 mpi_op(c->op), COMM(rk));
	if (b && c->recv != c->send)
		memmove(c->recv, c->send, b);
}

static void alltoall(struct cb_rank *rk, const struct cb_call *c)
{
	MPI_Alltoall(IN(c, c->send), N(c->n->count), T(c), c->recv, N(c->n->count), T(c),
		     COMM(rk));
}

static void gather(struct cb_rank *rk, const struct cb_call *c)
{
	const void *s = rk->rank == c->root ? IN(c, c->send) : c->send;
	MPI_Gather(s, N(c->n->count), T(c), c->recv, N(c->n->count), T(c), c->root,
		   COMM(rk));
}

static void scatter(struct cb_rank *rk, const struct cb_call *c)
{
	void *r = rk->rank == c->root && inplace(c) ? MPI_IN_PLACE : c->recv;
	MPI_Scatter(c->send, N(c->n->count), T(c), r, N(c->n->count), T(c), c->root,
		    COMM(rk));
}

static void sendrecv(struct cb_rank *rk, const struct cb_call *c)
{
	int p = rk->nranks;
	MPI_Sendrecv(c->send, N(c->n->count), T(c), (rk->rank + 1) % p, 0, c->recv,
		     N(c->n->count), T(c), (rk->rank + p - 1) % p, 0, COMM(rk),
		     MPI_STATUS_IGNORE);
}

/* The v-collectives' int vectors for count column C at P ranks (rank r):
 * cnt[k] = c(k) and dsp[k] = pre(k) (vcoll.h); for alltoallv's receive
 * side rcnt[s] = c(r) and rdsp[s] = s*c(r). Kept per process (one rank per
 * MPI process: only that rank's thread runs these). Every value fits int:
 * applies() bounds the buffers, T and P*c(r), by INT_MAX. */
struct vvec {
	size_t C;
	int nranks, rank, cap;
	long skew;
	int *cnt, *dsp, *rcnt, *rdsp;
};
static struct vvec vv = { .nranks = -1 };

static const struct vvec *vvec(const struct cb_rank *rk, const struct cb_call *c)
{
	int p = rk->nranks;
	size_t C = c->n->count, cr = cb_vcount(C, rk->rank, p);
	if (vv.C == C && vv.nranks == p && vv.rank == rk->rank && vv.skew == cb_skew_milli)
		return &vv;
	if (p > vv.cap) {
		int *a = realloc(vv.cnt, 4 * sizeof(int) * (size_t)p);
		if (!a)
			cb_die(CB_EXIT_RESOURCE, "out of memory for %d MPI counts", 4 * p);
		vv.cnt = a, vv.dsp = a + p, vv.rcnt = a + 2 * p, vv.rdsp = a + 3 * p, vv.cap = p;
	}
	for (int k = 0; k < p; k++) {
		vv.cnt[k] = N(cb_vcount(C, k, p));
		vv.dsp[k] = N(cb_vprefix(C, k, p));
		vv.rcnt[k] = N(cr);
		vv.rdsp[k] = N((size_t)k * cr);
	}
	vv.C = C, vv.nranks = p, vv.rank = rk->rank, vv.skew = cb_skew_milli;
	return &vv;
}

static void alltoallv(struct cb_rank *rk, const struct cb_call *c)
{
	const struct vvec *v = vvec(rk, c);
	MPI_Alltoallv(c->send, v->cnt, v->dsp, T(c), c->recv, v->rcnt, v->rdsp, T(c),
		      COMM(rk));
}

static void allgatherv(struct cb_rank *rk, const struct cb_call *c)
{
	const struct vvec *v = vvec(rk, c);
	MPI_Allgatherv(c->send, v->cnt[rk->rank], T(c), c->recv, v->cnt, v->dsp, T(c),
		       COMM(rk));
}

static void gatherv(struct cb_rank *rk, const struct cb_call *c)
{
	const struct vvec *v = vvec(rk, c);
	MPI_Gatherv(c->send, v->cnt[rk->rank], T(c), c->recv, v->cnt, v->dsp, T(c), c->root,
		    COMM(rk));
}

static void scatterv(struct cb_rank *rk, const struct cb_call *c)
{
	const struct vvec *v = vvec(rk, c);
	MPI_Scatterv(c->send, v->cnt, v->dsp, T(c), c->recv, v->cnt[rk->rank], T(c), c->root,
		     COMM(rk));
}

/* MPI_Reduce_scatter splits the reduced vector into blocks of recvcounts
 * in rank order: block k at pre(k), as collbench's layout has it. */
static void reduce_scatterv(struct cb_rank *rk, const struct cb_call *c)
{
	const struct vvec *v = vvec(rk, c);
	MPI_Reduce_scatter(c->send, c->recv, v->cnt, T(c), mpi_op(c->op), COMM(rk));
}

static void barrier(struct cb_rank *rk, const struct cb_call *c)
{
	(void)c;
	MPI_Barrier(COMM(rk));
}

/* out = A op B (send holds A then B). MPI_Reduce_local computes inoutbuf
 * = inbuf op inoutbuf and has no MPI_IN_PLACE: B is copied into recv first
 * (part of the timed call, as for a user of MPI_Reduce_local who must keep
 * B), then recv = A op recv. */
static void reduce_local(struct cb_rank *rk, const struct cb_call *c)
{
	size_t C = c->n->count, b = C * c->dt->size;
	(void)rk;
	cb_copy(c->recv, (const char *)c->send + b, b);
	MPI_Reduce_local(c->send, c->recv, N(C), T(c), mpi_op(c->op));
}

#define MPI_ALGO_IF(C, FN, APPLIES, SUMMARY)                                            \
	{ .name = "mpi", .coll = &cb_coll_##C, .summary = SUMMARY,                      \
	  .scratch_bytes = no_scratch, .applies = APPLIES, .run = FN, .by_name = true }
#define MPI_ALGO(C, FN, SUMMARY) MPI_ALGO_IF(C, FN, applies, SUMMARY)

static const struct cb_algo algos[] = {
	MPI_ALGO(allreduce, allreduce, "the MPI library's MPI_Allreduce (by name only)"),
	MPI_ALGO(broadcast, broadcast, "the MPI library's MPI_Bcast (by name only)"),
	MPI_ALGO_IF(reduce, reduce, applies_reduce, "the MPI library's MPI_Reduce (by name only)"),
	MPI_ALGO(allgather, allgather, "the MPI library's MPI_Allgather (by name only)"),
	MPI_ALGO(reduce_scatter, reduce_scatter,
		 "the MPI library's MPI_Reduce_scatter_block (by name only)"),
	MPI_ALGO(alltoall, alltoall, "the MPI library's MPI_Alltoall (by name only)"),
	MPI_ALGO(gather, gather, "the MPI library's MPI_Gather (by name only)"),
	MPI_ALGO(scatter, scatter, "the MPI library's MPI_Scatter (by name only)"),
	MPI_ALGO(sendrecv, sendrecv, "the MPI library's MPI_Sendrecv, ring shift (by name only)"),
	MPI_ALGO_IF(alltoallv, alltoallv, applies_v, "the MPI library's MPI_Alltoallv (by name only)"),
	MPI_ALGO_IF(allgatherv, allgatherv, applies_v,
		    "the MPI library's MPI_Allgatherv (by name only)"),
	MPI_ALGO_IF(gatherv, gatherv, applies_v, "the MPI library's MPI_Gatherv (by name only)"),
	MPI_ALGO_IF(scatterv, scatterv, applies_v, "the MPI library's MPI_Scatterv (by name only)"),
	MPI_ALGO_IF(reduce_scatterv, reduce_scatterv, applies_v,
		    "the MPI library's MPI_Reduce_scatter, uneven counts (by name only)"),
	MPI_ALGO_IF(barrier, barrier, applies_barrier, "the MPI library's MPI_Barrier (by name only)"),
	MPI_ALGO(reduce_local, reduce_local, "the MPI library's MPI_Reduce_local (by name only)"),
};

void cb_mpi_native_register(void)
{
	for (size_t i = 0; i < CB_ARRAY_LEN(algos); i++)
		cb_registry_append(&algos[i]);
}
