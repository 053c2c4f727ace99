/* dtype.h: datatype and reduction-op descriptor tables, typed reduction kernels */
#ifndef COLLBENCH_DTYPE_H
#define COLLBENCH_DTYPE_H

#include <stddef.h>
#include <stdint.h>

/* Row order of cb_dtypes[] and cb_redops[]; the id field of each row. */
enum cb_dtype_id {
	CB_INT8, CB_UINT8, CB_INT32, CB_UINT32, CB_INT64, CB_UINT64,
	CB_HALF, CB_FLOAT, CB_DOUBLE, CB_BFLOAT16, CB_F8E4M3, CB_F8E5M2,
	CB_NDTYPES
};
enum cb_redop_id {
	CB_OP_SUM, CB_OP_PROD, CB_OP_MIN, CB_OP_MAX, CB_OP_AVG, CB_OP_MULSUM, CB_NREDOPS
};

/* half and bfloat16 are stored as uint16_t bit patterns (half.h), f8e4m3 and
 * f8e5m2 as uint8_t bit patterns (fp8.h). */
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
	enum cb_dtype_id id;
	int is_float;  /* half, float, double, bfloat16, f8e4m3, f8e5m2 */
	int is_signed; /* signed integers and the floating types */
};

struct cb_redop {
	const char *name;
	const char *summary;
	enum cb_redop_id id;
};

/* dst[i] = a[i] OP b[i], i < n; dst may be equal to a or b (or both), but
 * must not partly overlap them. avg's kernel is sum's: the division by the
 * rank count is cb_reduce_finish's. mulsum's kernel is sum's too: the
 * premultiplication of each rank's input is cb_premul's. */
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

/* mulsum (NCCL's ncclRedOpCreatePreMulSum, nccl-tests' "mulsum"): each rank
 * multiplies its input by its scalar, then the products are summed. The
 * scalar is nccl-tests' (ncclVerifiablePremulScalar): 1 on even ranks, 2 on
 * odd ranks. */
static inline int cb_mulsum_scalar(int rank) { return 1 + (rank & 1); }
/* dst[i] = src[i] * scalar in the dtype (integers wrap, floats round once
 * to nearest even; fp8 saturates); dst may equal src. */
void cb_premul(const struct cb_dtype *dt, void *dst, const void *src, size_t n, int scalar);

#endif
