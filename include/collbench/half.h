/* half.h: IEEE binary16 ("half") and bfloat16 stored as uint16_t bit
 * patterns, with conversions to and from float in plain C (no hardware half
 * arithmetic, no _Float16). Every function is branch-free (selects only) so
 * that gcc can vectorise the reduction kernels that call it.
 *
 * Rounding: float -> half and float -> bfloat16 round to nearest, ties to
 * even, including results in the subnormal range; values at or above the
 * largest finite value plus half an ULP become infinity; NaN stays NaN (made
 * quiet). half -> float and bfloat16 -> float are exact.
 *
 * Arithmetic on these types (reduce.c) converts each operand to float, does
 * one float operation and rounds the result once back to the 16-bit type.
 * Float has p = 24 >= 2*11 + 2 significand bits, so for + and * this
 * double rounding equals a correctly rounded half operation (for bfloat16,
 * p = 8 and 24 >= 18 likewise, except where a float result is itself
 * subnormal). The value scheme in verify.c never needs rounding at all. */
#ifndef COLLBENCH_HALF_H
#define COLLBENCH_HALF_H

#include <stdint.h>
#include <string.h>

static inline uint32_t cb_f32_bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	return u;
}

static inline float cb_f32_from_bits(uint32_t u)
{
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

/* cond ? a : b as bit masks: gcc -O2 would turn a ?: over values computed
 * with float operations back into a branch, which stops vectorisation. */
static inline uint32_t cb_sel32(int cond, uint32_t a, uint32_t b)
{
	uint32_t m = (uint32_t)0 - (uint32_t)(cond != 0);
	return (a & m) | (b & ~m);
}

/* binary16 -> float, exact. Normal and inf/NaN inputs rebias the exponent
 * (15 -> 127, and once more for exponent 31 so it becomes 255); zero and
 * subnormal inputs are m * 2^-24 with m < 1024, exact in float. */
static inline float cb_half_to_float(uint16_t h)
{
	uint32_t em = h & 0x7fffu;
	uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
	uint32_t norm = (em << 13) + 0x38000000u;
	uint32_t infnan = norm + 0x38000000u;
	uint32_t sub = cb_f32_bits((float)(int32_t)em * 0x1p-24f);
	uint32_t o = cb_sel32(em >= 0x7c00u, infnan, cb_sel32(em < 0x0400u, sub, norm));
	return cb_f32_from_bits(o | sign);
}

/* float -> binary16, round to nearest even.
 * |x| < 2^-14 (half subnormal or zero): adding 0.5f puts the half quantum
 * 2^-24 at float's last place, so the float adder does the rounding (ties to
 * even, the default rounding mode); the low bits of the sum are the result
 * (0x400 when it rounds up to the smallest normal).
 * 2^-14 <= |x| < 2^16: rebias the exponent and round the 13 dropped bits to
 * nearest even by adding 0xfff plus the lowest kept bit; a carry out of the
 * mantissa bumps the exponent, up to 0x7c00 (infinity) from 65520 on.
 * |x| >= 2^16 or inf: infinity. NaN: the quiet NaN 0x7e00. */
static inline uint16_t cb_float_to_half(float f)
{
	uint32_t x = cb_f32_bits(f);
	uint32_t sign = (x >> 16) & 0x8000u;
	uint32_t a = x & 0x7fffffffu;
	uint32_t sub = cb_f32_bits(cb_f32_from_bits(a) + 0.5f) - 0x3f000000u;
	uint32_t norm = (a - 0x38000000u + 0x0fffu + ((a >> 13) & 1u)) >> 13;
	uint32_t big = cb_sel32(a > 0x7f800000u, 0x7e00u, 0x7c00u);
	uint32_t o = cb_sel32(a < 0x38800000u, sub, cb_sel32(a >= 0x47800000u, big, norm));
	return (uint16_t)(o | sign);
}

/* bfloat16 is the upper half of a float: widening is exact. */
static inline float cb_bf16_to_float(uint16_t h)
{
	return cb_f32_from_bits((uint32_t)h << 16);
}

/* float -> bfloat16, round to nearest even on the 16 dropped bits (this also
 * rounds subnormals correctly and carries into infinity at the top);
 * NaN: keep sign and payload, set the quiet bit. */
static inline uint16_t cb_float_to_bf16(float f)
{
	uint32_t x = cb_f32_bits(f);
	uint32_t rounded = (x + 0x7fffu + ((x >> 16) & 1u)) >> 16;
	uint32_t nan = (x >> 16) | 0x0040u;
	return (uint16_t)cb_sel32((x & 0x7fffffffu) > 0x7f800000u, nan, rounded);
}

#endif
