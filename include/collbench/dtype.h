/* dtype.h: datatype and reduction-op descriptor tables, typed reduction kernels */
#ifndef COLLBENCH_DTYPE_H
#define COLLBENCH_DTYPE_H

#include <stddef.h>
#include <stdint.h>

struct cb_dtype {
	const char *name;
	size_t size;
	/* Store an exactly representable value as element i (round to nearest even
	 * where the format needs rounding); read element i back as a double. */
	void (*store)(void *buf, size_t i, double v);
	double (*load)(const void *buf, size_t i);
	/* Distance in units in the last place between element i of a and b (0 if
	 * the bit patterns are equal); integer types: 0 or 1. */
	uint64_t (*ulp_dist)(const void *a, const void *b, size_t i);
};

struct cb_redop {
	const char *name;
	const char *summary;
};

/* dst[i] = a[i] OP b[i]; dst may alias a or b. */
typedef void (*cb_reduce_fn)(void *dst, const void *a, const void *b, size_t n);

extern const struct cb_dtype cb_dtypes[];
extern const size_t cb_ndtypes;
extern const struct cb_redop cb_redops[];
extern const size_t cb_nredops;

const struct cb_dtype *cb_dtype_find(const char *name);
const struct cb_redop *cb_redop_find(const char *name);
const struct cb_dtype *cb_dtype_default(void);
const struct cb_redop *cb_redop_default(void);

/* The kernel for (dtype, op); never NULL for a pair listed in the tables. */
cb_reduce_fn cb_reduce_kernel(const struct cb_dtype *dt, const struct cb_redop *op);
/* Applied once to a fully reduced buffer (avg divides by nranks); no-op for
 * other ops. */
void cb_reduce_finish(const struct cb_dtype *dt, const struct cb_redop *op,
		      void *buf, size_t n, int nranks);

#endif
