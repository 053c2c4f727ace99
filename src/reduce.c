/* reduce.c: typed reduction kernels, one per (dtype, op), shared by every
 * reducing algorithm.
 *
 * Aliasing: algorithms call dst == a (accumulate in place). With plain
 * pointers gcc would have to version every loop for overlap, so each kernel
 * picks one of four loops whose pointers are all restrict-qualified: dst
 * distinct from both sources, dst == a, dst == b, dst == a == b.
 *
 * Vectorisation: the Makefile builds with -O2, where gcc 12 uses the
 * "very cheap" vectoriser cost model: it vectorises a loop only when the
 * vector code replaces the scalar code entirely, i.e. when the trip count is
 * a known multiple of the vector width. So every loop runs in blocks of
 * BLOCK elements (a constant trip count gcc vectorises at -O2 as well as at
 * -O3) followed by a scalar tail of fewer than BLOCK elements.
 *
 * Semantics per type:
 *  - integers: sum and prod are computed in the unsigned type of the same
 *    width, i.e. modulo 2^bits (no signed overflow, which C leaves
 *    undefined; gcc converts back to the signed type modulo 2^bits). min and
 *    max compare in the type itself. avg's finish is C division by the rank
 *    count (truncating toward zero), as NCCL's integer average: sum, then
 *    divide once.
 *  - float, double: one IEEE operation per pair, round to nearest even.
 *    min is (a < b ? a : b) and max (a > b ? a : b), which map onto the SSE
 *    min/max instructions (NaN and -0 handling as those: b is returned when
 *    the operands are unordered or equal).
 *  - half, bfloat16: each pairwise op converts both operands to float
 *    (exact), does the float op, and rounds the result once back to the
 *    16-bit type (round to nearest even; see half.h for why this equals the
 *    correctly rounded 16-bit operation); min and max return the selected
 *    operand's bits unchanged. Partial results are stored in the
 *    16-bit type between kernel calls, so a chain over P ranks rounds after
 *    every step, exactly like a native 16-bit reduction would. avg's finish
 *    is: to float, divide by (float)nranks, round once. The value scheme in
 *    verify.c keeps every partial result exact, so none of this rounding
 *    ever happens in a check. */
#include <string.h>

#include "collbench/dtype.h"
#include "collbench/fp8.h"
#include "collbench/half.h"

#define BLOCK 64

/* Function multiversioning: every loop is compiled for plain x86-64 (SSE2,
 * the existing path), AVX2 and AVX-512 (BW, for the 8/16-bit types); the
 * dynamic loader picks the best clone for this CPU once (ifunc), so the
 * binary still runs on any x86-64. Exactness is unchanged: the clones do the
 * same IEEE operations elementwise (no reassociation, no FMA contraction:
 * each element is one op of two values). CB_NO_CLONES=1 at build time turns
 * it off (e.g. for toolchains without ifunc); sanitizer builds leave it off
 * (TSAN crashes in ifunc resolvers that run before its runtime is up). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(CB_NO_CLONES) && \
	!defined(__SANITIZE_THREAD__) && !defined(__SANITIZE_ADDRESS__)
#define CLONES __attribute__((target_clones("default", "avx2", "arch=x86-64-v4")))
#else
#define CLONES
#endif

/* One kernel: OP(x, y) is an expression over two values of type T. */
#define KERNEL(NAME, T, OP)                                                          \
	static inline T NAME##_op(T x, T y) { return OP; }                           \
	CLONES static void NAME##_3(T *__restrict d, const T *__restrict a,                 \
			     const T *__restrict b, size_t n)                        \
	{                                                                            \
		size_t i = 0;                                                        \
		for (; i + BLOCK <= n; i += BLOCK)                                   \
			for (size_t k = 0; k < BLOCK; k++)                           \
				d[i + k] = NAME##_op(a[i + k], b[i + k]);            \
		for (; i < n; i++)                                                   \
			d[i] = NAME##_op(a[i], b[i]);                                \
	}                                                                            \
	CLONES static void NAME##_da(T *__restrict d, const T *__restrict b, size_t n)      \
	{                                                                            \
		size_t i = 0;                                                        \
		for (; i + BLOCK <= n; i += BLOCK)                                   \
			for (size_t k = 0; k < BLOCK; k++)                           \
				d[i + k] = NAME##_op(d[i + k], b[i + k]);            \
		for (; i < n; i++)                                                   \
			d[i] = NAME##_op(d[i], b[i]);                                \
	}                                                                            \
	CLONES static void NAME##_db(T *__restrict d, const T *__restrict a, size_t n)      \
	{                                                                            \
		size_t i = 0;                                                        \
		for (; i + BLOCK <= n; i += BLOCK)                                   \
			for (size_t k = 0; k < BLOCK; k++)                           \
				d[i + k] = NAME##_op(a[i + k], d[i + k]);            \
		for (; i < n; i++)                                                   \
			d[i] = NAME##_op(a[i], d[i]);                                \
	}                                                                            \
	CLONES static void NAME##_dd(T *__restrict d, size_t n)                             \
	{                                                                            \
		size_t i = 0;                                                        \
		for (; i + BLOCK <= n; i += BLOCK)                                   \
			for (size_t k = 0; k < BLOCK; k++)                           \
				d[i + k] = NAME##_op(d[i + k], d[i + k]);            \
		for (; i < n; i++)                                                   \
			d[i] = NAME##_op(d[i], d[i]);                                \
	}                                                                            \
	static void NAME(void *dst, const void *a, const void *b, size_t n)          \
	{                                                                            \
		if (dst != a && dst != b)                                            \
			NAME##_3(dst, a, b, n);                                      \
		else if (dst != b)                                                   \
			NAME##_da(dst, b, n);                                        \
		else if (dst != a)                                                   \
			NAME##_db(dst, a, n);                                        \
		else                                                                 \
			NAME##_dd(dst, n);                                           \
	}

/* Integers: wrapping sum and product in the unsigned type U. */
#define INT_KERNELS(N, T, U)                                      \
	KERNEL(sum_##N, T, (T)(U)((U)x + (U)y))                   \
	KERNEL(prod_##N, T, (T)(U)((U)x * (U)y))                  \
	KERNEL(min_##N, T, x < y ? x : y)                         \
	KERNEL(max_##N, T, x > y ? x : y)

INT_KERNELS(int8, int8_t, uint8_t)
INT_KERNELS(uint8, uint8_t, uint8_t)
INT_KERNELS(int32, int32_t, uint32_t)
INT_KERNELS(uint32, uint32_t, uint32_t)
INT_KERNELS(int64, int64_t, uint64_t)
INT_KERNELS(uint64, uint64_t, uint64_t)

#define FLOAT_KERNELS(N, T)                     \
	KERNEL(sum_##N, T, x + y)               \
	KERNEL(prod_##N, T, x * y)              \
	KERNEL(min_##N, T, x < y ? x : y)       \
	KERNEL(max_##N, T, x > y ? x : y)

FLOAT_KERNELS(float, float)
FLOAT_KERNELS(double, double)

/* 16-bit floats: widen (exact), one float op, round once (half.h). min and
 * max compare in float and return one operand's bit pattern, as float's
 * (a < b ? a : b) does. */
#define H16_KERNELS(N, TOF, FROMF)                                                      \
	KERNEL(sum_##N, uint16_t, FROMF(TOF(x) + TOF(y)))                               \
	KERNEL(prod_##N, uint16_t, FROMF(TOF(x) * TOF(y)))                              \
	KERNEL(min_##N, uint16_t, (uint16_t)cb_sel32(TOF(x) < TOF(y), x, y))             \
	KERNEL(max_##N, uint16_t, (uint16_t)cb_sel32(TOF(x) > TOF(y), x, y))

H16_KERNELS(half, cb_half_to_float, cb_float_to_half)
H16_KERNELS(bf16, cb_bf16_to_float, cb_float_to_bf16)

/* fp8 (fp8.h) as the 16-bit floats: widen, one float op, round once
 * (saturating, as NCCL's fp8 arithmetic does). Float's 24 bits are far more
 * than 2*4 + 2, so + and * round as a correctly rounded fp8 op would. */
#define F8_KERNELS(N, TOF, FROMF)                                                       \
	KERNEL(sum_##N, uint8_t, FROMF(TOF(x) + TOF(y)))                                \
	KERNEL(prod_##N, uint8_t, FROMF(TOF(x) * TOF(y)))                               \
	KERNEL(min_##N, uint8_t, (uint8_t)cb_sel32(TOF(x) < TOF(y), x, y))               \
	KERNEL(max_##N, uint8_t, (uint8_t)cb_sel32(TOF(x) > TOF(y), x, y))

F8_KERNELS(f8e4m3, cb_f8e4m3_to_float, cb_float_to_f8e4m3)
F8_KERNELS(f8e5m2, cb_f8e5m2_to_float, cb_float_to_f8e5m2)

/* [dtype id][op id]; avg and mulsum reduce with sum. */
#define ROW(N) { sum_##N, prod_##N, min_##N, max_##N, sum_##N, sum_##N }
static const cb_reduce_fn kernels[CB_NDTYPES][CB_NREDOPS] = {
	[CB_INT8] = ROW(int8),
	[CB_UINT8] = ROW(uint8),
	[CB_INT32] = ROW(int32),
	[CB_UINT32] = ROW(uint32),
	[CB_INT64] = ROW(int64),
	[CB_UINT64] = ROW(uint64),
	[CB_HALF] = ROW(half),
	[CB_FLOAT] = ROW(float),
	[CB_DOUBLE] = ROW(double),
	[CB_BFLOAT16] = ROW(bf16),
	[CB_F8E4M3] = ROW(f8e4m3),
	[CB_F8E5M2] = ROW(f8e5m2),
};

cb_reduce_fn cb_reduce_kernel(const struct cb_dtype *dt, const struct cb_redop *op)
{
	if (!dt || !op || (unsigned)dt->id >= CB_NDTYPES || (unsigned)op->id >= CB_NREDOPS)
		return NULL;
	return kernels[dt->id][op->id];
}

/* MAP_LOOP: buf[i] = EXPR(buf[i]), elementwise, in blocks (vectorisable).
 * avg: buf[i] = buf[i] / nranks, elementwise, so it can be applied to any
 * fully reduced part of a buffer (a whole output or one rank's chunk). */
#define MAP_LOOP(T, EXPR)                                           \
	do {                                                        \
		T *__restrict d = buf;                              \
		size_t i = 0;                                       \
		for (; i + BLOCK <= n; i += BLOCK)                  \
			for (size_t k = 0; k < BLOCK; k++) {        \
				T x = d[i + k];                     \
				d[i + k] = EXPR;                    \
			}                                           \
		for (; i < n; i++) {                                \
			T x = d[i];                                 \
			d[i] = EXPR;                                \
		}                                                   \
	} while (0)

void cb_reduce_finish(const struct cb_dtype *dt, const struct cb_redop *op,
		      void *buf, size_t n, int nranks)
{
	if (!op || op->id != CB_OP_AVG || nranks <= 1)
		return;
	float pf = (float)nranks;
	switch (dt->id) {
	case CB_INT8: MAP_LOOP(int8_t, (int8_t)(x / nranks)); break;
	case CB_UINT8: MAP_LOOP(uint8_t, (uint8_t)(x / nranks)); break;
	case CB_INT32: MAP_LOOP(int32_t, x / (int32_t)nranks); break;
	case CB_UINT32: MAP_LOOP(uint32_t, x / (uint32_t)nranks); break;
	case CB_INT64: MAP_LOOP(int64_t, x / (int64_t)nranks); break;
	case CB_UINT64: MAP_LOOP(uint64_t, x / (uint64_t)nranks); break;
	case CB_HALF: MAP_LOOP(uint16_t, cb_float_to_half(cb_half_to_float(x) / pf)); break;
	case CB_FLOAT: MAP_LOOP(float, x / pf); break;
	case CB_DOUBLE: MAP_LOOP(double, x / (double)nranks); break;
	case CB_BFLOAT16: MAP_LOOP(uint16_t, cb_float_to_bf16(cb_bf16_to_float(x) / pf)); break;
	case CB_F8E4M3: MAP_LOOP(uint8_t, cb_float_to_f8e4m3(cb_f8e4m3_to_float(x) / pf)); break;
	case CB_F8E5M2: MAP_LOOP(uint8_t, cb_float_to_f8e5m2(cb_f8e5m2_to_float(x) / pf)); break;
	default: break;
	}
}

/* mulsum's premultiplication: one pass over the rank's input before the
 * reduction (NCCL fuses it into the reduction's loads; here it is a
 * separate local pass, part of the timed call). The same loops as avg's
 * finish, with the scalar in place of the divisor. */
void cb_premul(const struct cb_dtype *dt, void *dst, const void *src, size_t n, int scalar)
{
	float sf = (float)scalar;
	if (dst != src)
		memcpy(dst, src, n * dt->size);
	void *buf = dst;
	switch (dt->id) {
	case CB_INT8: MAP_LOOP(int8_t, (int8_t)(uint8_t)((uint8_t)x * (uint8_t)scalar)); break;
	case CB_UINT8: MAP_LOOP(uint8_t, (uint8_t)(x * (unsigned)scalar)); break;
	case CB_INT32: MAP_LOOP(int32_t, (int32_t)((uint32_t)x * (uint32_t)scalar)); break;
	case CB_UINT32: MAP_LOOP(uint32_t, x * (uint32_t)scalar); break;
	case CB_INT64: MAP_LOOP(int64_t, (int64_t)((uint64_t)x * (uint64_t)scalar)); break;
	case CB_UINT64: MAP_LOOP(uint64_t, x * (uint64_t)scalar); break;
	case CB_HALF: MAP_LOOP(uint16_t, cb_float_to_half(cb_half_to_float(x) * sf)); break;
	case CB_FLOAT: MAP_LOOP(float, x * sf); break;
	case CB_DOUBLE: MAP_LOOP(double, x * (double)scalar); break;
	case CB_BFLOAT16: MAP_LOOP(uint16_t, cb_float_to_bf16(cb_bf16_to_float(x) * sf)); break;
	case CB_F8E4M3: MAP_LOOP(uint8_t, cb_float_to_f8e4m3(cb_f8e4m3_to_float(x) * sf)); break;
	case CB_F8E5M2: MAP_LOOP(uint8_t, cb_float_to_f8e5m2(cb_f8e5m2_to_float(x) * sf)); break;
	default: break;
	}
}
