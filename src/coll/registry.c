/* registry.c: the tables of collectives and algorithms, generated from the
 * lists in coll.h (CB_COLL_LIST, CB_ALGO_LIST), and name lookups. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/coll.h"

#define COLL_ENTRY(C) &cb_coll_##C,
#define ALGO_ENTRY(C, A) &cb_algo_##C##_##A,

const struct cb_coll *const cb_colls[] = { CB_COLL_LIST(COLL_ENTRY) };
const size_t cb_ncolls = CB_ARRAY_LEN(cb_colls);

static const struct cb_algo *const builtin_algos[] = { CB_ALGO_LIST(ALGO_ENTRY) };
const struct cb_algo *const *cb_algos = builtin_algos;
size_t cb_nalgos = CB_ARRAY_LEN(builtin_algos);

void cb_registry_append(const struct cb_algo *a)
{
	static const struct cb_algo **table;   /* NULL: cb_algos is the built-in one */
	const struct cb_algo **t = cb_xcalloc(cb_nalgos + 1, sizeof *t);
	memcpy(t, cb_algos, cb_nalgos * sizeof *t);
	t[cb_nalgos] = a;
	free(table);
	table = t;
	cb_algos = t;
	cb_nalgos++;
}

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

bool cb_algo_applies(const struct cb_algo *a, const struct cb_where *w, char *why, size_t cap)
{
	char none[8];
	if (!why) {
		why = none;
		cap = sizeof none;
	}
	why[0] = '\0';
	return !a->applies || a->applies(w, why, cap);
}

const struct cb_algo *cb_algo_resolve(const struct cb_algo *a, const struct cb_where *w,
				      char *why, size_t cap)
{
	const struct cb_algo *r;
	if (!cb_algo_applies(a, w, why, cap))
		return NULL;
	if (!a->pick)
		return a;
	r = a->pick(w);
	if (!r && why)
		snprintf(why, cap, "at %zu B over %d ranks (no candidate applies)", w->n->bytes,
			 w->nranks);
	return r;
}

void cb_registry_print_names(FILE *f)
{
	for (size_t i = 0; i < cb_nalgos; i++)
		fprintf(f, "%s %s\n", cb_algos[i]->coll->name, cb_algos[i]->name);
}
