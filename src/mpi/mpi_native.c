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
 *
 * Why it is safe: MPI's collectives are blocking and complete on return
 * (the send buffer may be reused, the recv buffer holds the result); they
 * touch only the call's buffers, never the window's signal cells or
 * scratch, so they cannot race collbench's own protocol around them. All
 * ranks make the same calls in the same order (the plan is the same
 * everywhere), as MPI requires of collectives on one communicator. */
#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <string.h>

#include "collbench/algo.h"
#include "collbench/transport.h"

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

#define T(c) mpi_type((c)->dt)
#define N(x) ((int)(x))
#define IN(c, p) (inplace(c) ? MPI_IN_PLACE : (p))

static void allreduce(struct cb_rank *rk, const struct cb_call *c)
{
	(void)rk;
	MPI_Allreduce(IN(c, c->send), c->recv, N(c->n->count), T(c), mpi_op(c->op), MPI_COMM_WORLD);
}

static void broadcast(struct cb_rank *rk, const struct cb_call *c)
{
	/* MPI_Bcast has one buffer: the root's output is its input. */
	if (rk->rank == c->root)
		cb_copy(c->recv, c->send, c->n->count * c->dt->size);
	MPI_Bcast(c->recv, N(c->n->count), T(c), c->root, MPI_COMM_WORLD);
}

static void reduce(struct cb_rank *rk, const struct cb_call *c)
{
	const void *s = rk->rank == c->root ? IN(c, c->send) : c->send;
	MPI_Reduce(s, c->recv, N(c->n->count), T(c), mpi_op(c->op), c->root, MPI_COMM_WORLD);
}

static void allgather(struct cb_rank *rk, const struct cb_call *c)
{
	(void)rk;
	MPI_Allgather(IN(c, c->send), N(c->n->count), T(c), c->recv, N(c->n->count), T(c),
		      MPI_COMM_WORLD);
}

static void reduce_scatter(struct cb_rank *rk, const struct cb_call *c)
{
	size_t b = c->n->count * c->dt->size;
	if (!inplace(c)) {
		MPI_Reduce_scatter_block(c->send, c->recv, N(c->n->count), T(c), mpi_op(c->op),
					 MPI_COMM_WORLD);
		return;
	}
	/* In place, recv = send + r*count; MPI leaves the result at send. */
	MPI_Reduce_scatter_block(MPI_IN_PLACE, (void *)c->send, N(c->n->count), T(c),
				 mpi_op(c->op), MPI_COMM_WORLD);
	if (b && c->recv != c->send)
		memmove(c->recv, c->send, b);
	(void)rk;
}

static void alltoall(struct cb_rank *rk, const struct cb_call *c)
{
	(void)rk;
	MPI_Alltoall(IN(c, c->send), N(c->n->count), T(c), c->recv, N(c->n->count), T(c),
		     MPI_COMM_WORLD);
}

static void gather(struct cb_rank *rk, const struct cb_call *c)
{
	const void *s = rk->rank == c->root ? IN(c, c->send) : c->send;
	MPI_Gather(s, N(c->n->count), T(c), c->recv, N(c->n->count), T(c), c->root,
		   MPI_COMM_WORLD);
}

static void scatter(struct cb_rank *rk, const struct cb_call *c)
{
	void *r = rk->rank == c->root && inplace(c) ? MPI_IN_PLACE : c->recv;
	MPI_Scatter(c->send, N(c->n->count), T(c), r, N(c->n->count), T(c), c->root,
		    MPI_COMM_WORLD);
}

static void sendrecv(struct cb_rank *rk, const struct cb_call *c)
{
	int p = rk->nranks;
	MPI_Sendrecv(c->send, N(c->n->count), T(c), (rk->rank + 1) % p, 0, c->recv,
		     N(c->n->count), T(c), (rk->rank + p - 1) % p, 0, MPI_COMM_WORLD,
		     MPI_STATUS_IGNORE);
}

#define MPI_ALGO(C, FN, SUMMARY)                                                        \
	{ .name = "mpi", .coll = &cb_coll_##C, .summary = SUMMARY,                      \
	  .scratch_bytes = no_scratch, .applies = applies, .run = FN, .by_name = true }

static const struct cb_algo algos[] = {
	MPI_ALGO(allreduce, allreduce, "the MPI library's MPI_Allreduce (by name only)"),
	MPI_ALGO(broadcast, broadcast, "the MPI library's MPI_Bcast (by name only)"),
	MPI_ALGO(reduce, reduce, "the MPI library's MPI_Reduce (by name only)"),
	MPI_ALGO(allgather, allgather, "the MPI library's MPI_Allgather (by name only)"),
	MPI_ALGO(reduce_scatter, reduce_scatter,
		 "the MPI library's MPI_Reduce_scatter_block (by name only)"),
	MPI_ALGO(alltoall, alltoall, "the MPI library's MPI_Alltoall (by name only)"),
	MPI_ALGO(gather, gather, "the MPI library's MPI_Gather (by name only)"),
	MPI_ALGO(scatter, scatter, "the MPI library's MPI_Scatter (by name only)"),
	MPI_ALGO(sendrecv, sendrecv, "the MPI library's MPI_Sendrecv, ring shift (by name only)"),
};

void cb_mpi_native_register(void)
{
	for (size_t i = 0; i < CB_ARRAY_LEN(algos); i++)
		cb_registry_append(&algos[i]);
}
