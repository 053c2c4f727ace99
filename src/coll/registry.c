/* registry.c: the tables of collectives and algorithms. Adding one is adding
 * its descriptor file and one line here. */
#include <string.h>

#include "collbench/coll.h"

extern const struct cb_coll cb_coll_allreduce;

extern const struct cb_algo cb_algo_allreduce_mesh;
extern const struct cb_algo cb_algo_allreduce_twophase;
extern const struct cb_algo cb_algo_allreduce_ring;

const struct cb_coll *const cb_colls[] = {
	&cb_coll_allreduce,
};
const size_t cb_ncolls = CB_ARRAY_LEN(cb_colls);

const struct cb_algo *const cb_algos[] = {
	&cb_algo_allreduce_mesh,
	&cb_algo_allreduce_twophase,
	&cb_algo_allreduce_ring,
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
