/* verify_formula.h: private to verify.c and verify_buf.c: the value
 * scheme's constants and its small per-element formulas (verify.c's opening
 * comment defines them), shared by the one-element functions (verify.c) and
 * the block fills (verify_buf.c). static inline: the fill loops inline them
 * as they did when both lived in one file. */
#ifndef COLLBENCH_VERIFY_FORMULA_H
#define COLLBENCH_VERIFY_FORMULA_H

#include <string.h>

#include "collbench/verify.h"

enum { FAM_DATA, FAM_WRAP, FAM_BOUNDED, FAM_MINMAX, FAM_PROD };

#define ITER_STEP 1031u
#define K1 0x9e3779b97f4a7c15ull
#define K2 0xc2b2ae3d27d4eb4full
#define K3 0x165667b19e3779f9ull
#define K4 0xd6e8feb86659fd93ull
#define BLOCK 256   /* elements per block of the fills */

/* h mod 2^B, as the type reads it (two's complement for signed types). */
static inline double wrap_to_value(const struct cb_values *v, uint64_t h)
{
	if (v->nbits == 8)
		return v->neg ? (double)(int8_t)(uint8_t)h : (double)(uint8_t)h;
	return v->neg ? (double)(int32_t)(uint32_t)h : (double)(uint32_t)h;
}

static inline double data_value(const struct cb_values *v, uint64_t r, uint64_t idx)
{
	uint64_t h = idx * K1 + (r + 1) * K2 + (uint64_t)v->iter * K3;
	h ^= h >> 31;
	h *= K4;
	h >>= 64 - v->nbits;
	return v->neg ? (double)((int64_t)h - (int64_t)(1ull << (v->nbits - 1))) : (double)h;
}

static inline double minmax_value(const struct cb_values *v, uint64_t x)
{
	if (v->neg)
		return (double)(((int64_t)x - (int64_t)(v->span / 2)) * (int64_t)v->scale);
	return (double)(x * v->scale);
}

static inline double pow2(unsigned k)
{
	uint64_t bits = (uint64_t)(1023 + k) << 52;
	double d;
	memcpy(&d, &bits, sizeof d);
	return d;
}

/* prod: the golden from g = t mod (G+1) and c = (-t) mod 3. */
static inline double prod_value(uint64_t g, uint64_t c, int neg)
{
	uint64_t n = neg && g > c ? (g - 1 - c) / 3 + 1 : 0;
	double m = pow2((unsigned)(g + g / 2));
	return (n & 1) ? -m : m;
}

static inline uint64_t slot(uint64_t p, uint64_t r, uint64_t t)
{
	return (r % p + p - t % p) % p;
}

/* wrapping sum: slot 0 adds t * (1 - P*K1) */
static inline uint64_t wrap_fix(uint64_t p)
{
	return 1 - p * K1;
}

/* min/max: W */
static inline uint64_t minmax_window(const struct cb_values *v)
{
	uint64_t p = (uint64_t)v->nranks;
	return p < v->span / 2 ? p : v->span / 2;
}

/* avg of the exact sum S, as cb_reduce_finish computes it (verify.c). */
double cbv_avg_of(const struct cb_values *v, double s);
/* sum and mulsum's golden at t (verify.c). */
double cbv_sum_value(const struct cb_values *v, uint64_t t);

#endif
