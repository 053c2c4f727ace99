/* verify.h: the closed-form value scheme behind every input and golden */
#ifndef COLLBENCH_VERIFY_H
#define COLLBENCH_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "collbench/dtype.h"

/* Values of one check iteration: element idx of rank r's input is
 * cb_value_in(), and the op over all ranks of element idx is
 * cb_value_reduced(), computed from the formula alone (never from a run), in
 * O(1) per element. Every value is exactly representable in the dtype (and
 * as a double), and so is every partial result of the op in any order, for
 * every dtype and op, 1 <= nranks <= CB_MAX_RANKS, idx < 2^40 and
 * iter < 2^20. op == NULL (data-movement collectives): inputs are
 * distinct-ish exact values; cb_value_reduced() is rank 0's input and the
 * tolerance is 0. */
struct cb_values {
	const struct cb_dtype *dt;
	const struct cb_redop *op; /* NULL: data movement, no reduction */
	int nranks;
	unsigned iter;
	uint64_t span; /* modulus of the element term: A, M, G+1 or 2^B (verify.c) */
	/* Derived once by cb_values_init (the scheme is described in verify.c). */
	int family;      /* which formula: data, wrapping sum, bounded sum, min/max, prod */
	int nbits;       /* value bits of the dtype (exact integer range) */
	int neg;         /* signed dtype: negative values and factors are used */
	int avg_exact;   /* avg: the quotient sum/P is exact by construction */
	uint64_t t0;     /* 1031 * iter, added to every element index */
	uint64_t active; /* bounded sum: ranks with a nonzero input; prod: most
			  * ranks with a factor != 1 */
	uint64_t scale;  /* bounded sum: factor of every input (avg: odd part
			  * of P); min/max: step between adjacent values */
};

void cb_values_init(struct cb_values *v, const struct cb_dtype *dt,
		    const struct cb_redop *op, int nranks, unsigned iter);
double cb_value_in(const struct cb_values *v, int rank, size_t idx);
double cb_value_reduced(const struct cb_values *v, size_t idx);

/* buf[j] = cb_value_in(v, rank, idx0 + j), j < n */
void cb_values_fill_in(const struct cb_values *v, void *buf, int rank,
		       size_t idx0, size_t n);
/* buf[j] = cb_value_reduced(v, idx0 + j), j < n */
void cb_values_fill_reduced(const struct cb_values *v, void *buf, size_t idx0,
			    size_t n);
/* Wrong elements of got against exp, with the (dtype, op) tolerance. */
size_t cb_values_compare(const struct cb_values *v, const void *got,
			 const void *exp, size_t n);
/* Allowed ULP distance for (dtype, op). */
uint64_t cb_values_tolerance(const struct cb_dtype *dt, const struct cb_redop *op);

#endif
