/* verify.h: the closed-form value scheme behind every input and golden */
#ifndef COLLBENCH_VERIFY_H
#define COLLBENCH_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "collbench/dtype.h"

/* Values of one check iteration: element idx of rank r's input is
 * cb_value_in(), and the op over all ranks of element idx is
 * cb_value_reduced(), computed from the formula alone (never from a run). */
struct cb_values {
	const struct cb_dtype *dt;
	const struct cb_redop *op;
	int nranks;
	unsigned iter;
	uint64_t span; /* index values wrap modulo span to stay exact */
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
