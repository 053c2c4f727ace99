/* registry.c: the tables of collectives and algorithms. Adding one is adding
 * its descriptor file and one line here. */
#include <string.h>

#include "collbench/coll.h"

extern const struct cb_coll cb_coll_allreduce;
extern const struct cb_coll cb_coll_broadcast;
extern const struct cb_coll cb_coll_reduce;
extern const struct cb_coll cb_coll_allgather;
extern const struct cb_coll cb_coll_reduce_scatter;
extern const struct cb_coll cb_coll_alltoall;
extern const struct cb_coll cb_coll_gather;
extern const struct cb_coll cb_coll_scatter;
extern const struct cb_coll cb_coll_sendrecv;

extern const struct cb_algo cb_algo_allreduce_mesh;
extern const struct cb_algo cb_algo_allreduce_twophase;
extern const struct cb_algo cb_algo_allreduce_ring;
extern const struct cb_algo cb_algo_allreduce_ring_neighbor;
extern const struct cb_algo cb_algo_allreduce_twoshot;
extern const struct cb_algo cb_algo_allreduce_ll;
extern const struct cb_algo cb_algo_allreduce_direct;
extern const struct cb_algo cb_algo_allgather_direct;
extern const struct cb_algo cb_algo_reduce_scatter_direct;
extern const struct cb_algo cb_algo_broadcast_direct;
extern const struct cb_algo cb_algo_alltoall_direct;
extern const struct cb_algo cb_algo_broadcast_eager;
extern const struct cb_algo cb_algo_broadcast_pull;
extern const struct cb_algo cb_algo_broadcast_push;
extern const struct cb_algo cb_algo_reduce_pull;
extern const struct cb_algo cb_algo_reduce_twophase;
extern const struct cb_algo cb_algo_allgather_pull;
extern const struct cb_algo cb_algo_allgather_push;
extern const struct cb_algo cb_algo_reduce_scatter_pull;
extern const struct cb_algo cb_algo_reduce_scatter_ring;
extern const struct cb_algo cb_algo_reduce_scatter_push;
extern const struct cb_algo cb_algo_alltoall_pull;
extern const struct cb_algo cb_algo_alltoall_push;
extern const struct cb_algo cb_algo_gather_pull;
extern const struct cb_algo cb_algo_gather_push;
extern const struct cb_algo cb_algo_scatter_pull;
extern const struct cb_algo cb_algo_scatter_push;
extern const struct cb_algo cb_algo_sendrecv_pull;
extern const struct cb_algo cb_algo_sendrecv_push;
extern const struct cb_algo cb_algo_allreduce_auto;
extern const struct cb_algo cb_algo_broadcast_pipeline;
extern const struct cb_algo cb_algo_broadcast_auto;
extern const struct cb_algo cb_algo_reduce_auto;
extern const struct cb_algo cb_algo_allgather_pipeline;
extern const struct cb_algo cb_algo_allgather_auto;
extern const struct cb_algo cb_algo_reduce_scatter_pipeline;
extern const struct cb_algo cb_algo_reduce_scatter_auto;
extern const struct cb_algo cb_algo_alltoall_pipeline;
extern const struct cb_algo cb_algo_alltoall_auto;
extern const struct cb_algo cb_algo_gather_auto;
extern const struct cb_algo cb_algo_scatter_auto;
extern const struct cb_algo cb_algo_sendrecv_auto;

/* nccl-tests' order of collectives. */
const struct cb_coll *const cb_colls[] = {
	&cb_coll_allreduce,
	&cb_coll_broadcast,
	&cb_coll_reduce,
	&cb_coll_allgather,
	&cb_coll_reduce_scatter,
	&cb_coll_alltoall,
	&cb_coll_gather,
	&cb_coll_scatter,
	&cb_coll_sendrecv,
};
const size_t cb_ncolls = CB_ARRAY_LEN(cb_colls);

const struct cb_algo *const cb_algos[] = {
	&cb_algo_allreduce_mesh,
	&cb_algo_allreduce_twophase,
	&cb_algo_allreduce_ring,
	&cb_algo_allreduce_ring_neighbor,
	&cb_algo_allreduce_twoshot,
	&cb_algo_allreduce_ll,
	&cb_algo_allreduce_direct,
	&cb_algo_allreduce_auto,
	&cb_algo_broadcast_pull,
	&cb_algo_broadcast_push,
	&cb_algo_broadcast_pipeline,
	&cb_algo_broadcast_eager,
	&cb_algo_broadcast_direct,
	&cb_algo_broadcast_auto,
	&cb_algo_reduce_pull,
	&cb_algo_reduce_twophase,
	&cb_algo_reduce_auto,
	&cb_algo_allgather_pull,
	&cb_algo_allgather_push,
	&cb_algo_allgather_pipeline,
	&cb_algo_allgather_direct,
	&cb_algo_allgather_auto,
	&cb_algo_reduce_scatter_pull,
	&cb_algo_reduce_scatter_ring,
	&cb_algo_reduce_scatter_push,
	&cb_algo_reduce_scatter_pipeline,
	&cb_algo_reduce_scatter_direct,
	&cb_algo_reduce_scatter_auto,
	&cb_algo_alltoall_pull,
	&cb_algo_alltoall_push,
	&cb_algo_alltoall_pipeline,
	&cb_algo_alltoall_direct,
	&cb_algo_alltoall_auto,
	&cb_algo_gather_pull,
	&cb_algo_gather_push,
	&cb_algo_gather_auto,
	&cb_algo_scatter_pull,
	&cb_algo_scatter_push,
	&cb_algo_scatter_auto,
	&cb_algo_sendrecv_pull,
	&cb_algo_sendrecv_push,
	&cb_algo_sendrecv_auto,
};
const size_t cb_nalgos = CB_ARRAY_LEN(cb_algos);

const struct cb_coll *cb_coll_find(const char *name)
{
	for (size_t i = 0; i < cb_ncolls; i++)
		if (!strcmp(cb_colls[i]->name, name) ||
		    (cb_colls[i]->alias && !strcmp(cb_colls[i]->alias, name)))
			return cb_colls[i];
	return NULL;
}

const struct cb_algo *cb_algo_find(const struct cb_coll *coll, const char *name)
{
	for (size_t i = 0; i < cb_nalgos; i++)
		if (cb_algos[i]->coll == coll && !strcmp(cb_algos[i]->name, name))
			return cb_algos[i];
	return NULL;
}
