/* verify.c: closed-form inputs and goldens.
 *
 * Scheme (float, sum): element idx of rank r in check iteration it is
 *     in(r, idx)  = ((idx + 7*it) mod A) + 100*r
 * which is the seed's "i + 100r" for it = 0 and idx < A. The sum over all P
 * ranks is, in closed form,
 *     red(idx)    = P*((idx + 7*it) mod A) + 100*P*(P-1)/2.
 * A is the largest power of two with P*(A-1) + 100*P*(P-1)/2 < 2^24, so every
 * input, every partial sum in any order, and the result are integers below
 * 2^24 and therefore exact in float32: the golden is bit-exact. The shift by
 * 7*it changes every element between check iterations, so stale data from an
 * earlier iteration never matches. */
#include "collbench/verify.h"

#define RANK_STRIDE 100u

static unsigned mantissa_bits(const struct cb_dtype *dt)
{
	(void)dt;
	return 24;
}

void cb_values_init(struct cb_values *v, const struct cb_dtype *dt,
		    const struct cb_redop *op, int nranks, unsigned iter)
{
	uint64_t p = (uint64_t)nranks, limit = 1ull << mantissa_bits(dt);
	uint64_t rank_part = RANK_STRIDE * p * (p - 1) / 2;
	v->dt = dt;
	v->op = op;
	v->nranks = nranks;
	v->iter = iter;
	v->span = 1;
	while (p * (2 * v->span - 1) + rank_part < limit)
		v->span *= 2;
}

static uint64_t base(const struct cb_values *v, size_t idx)
{
	return ((uint64_t)idx + 7ull * v->iter) & (v->span - 1);
}

double cb_value_in(const struct cb_values *v, int rank, size_t idx)
{
	return (double)(base(v, idx) + RANK_STRIDE * (uint64_t)rank);
}

double cb_value_reduced(const struct cb_values *v, size_t idx)
{
	uint64_t p = (uint64_t)v->nranks;
	return (double)(p * base(v, idx) + RANK_STRIDE * p * (p - 1) / 2);
}

void cb_values_fill_in(const struct cb_values *v, void *buf, int rank,
		       size_t idx0, size_t n)
{
	for (size_t j = 0; j < n; j++)
		v->dt->store(buf, j, cb_value_in(v, rank, idx0 + j));
}

void cb_values_fill_reduced(const struct cb_values *v, void *buf, size_t idx0,
			    size_t n)
{
	for (size_t j = 0; j < n; j++)
		v->dt->store(buf, j, cb_value_reduced(v, idx0 + j));
}

uint64_t cb_values_tolerance(const struct cb_dtype *dt, const struct cb_redop *op)
{
	(void)dt; (void)op;
	return 0;
}

size_t cb_values_compare(const struct cb_values *v, const void *got,
			 const void *exp, size_t n)
{
	uint64_t tol = cb_values_tolerance(v->dt, v->op);
	size_t wrong = 0;
	for (size_t i = 0; i < n; i++)
		wrong += v->dt->ulp_dist(got, exp, i) > tol;
	return wrong;
}
