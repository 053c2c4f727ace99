/* fp8.h: the two 8-bit float formats of NCCL (ncclFloat8e4m3,
 * ncclFloat8e5m2) and of the OCP 8-bit floating point specification (OFP8),
 * stored as uint8_t bit patterns, with conversions to and from float in
 * plain C. Branch-free (selects only, as half.h) so the reduction kernels
 * that call them can still be vectorised.
 *
 *   f8e4m3: 1 sign, 4 exponent (bias 7), 3 mantissa bits. No infinity; the
 *           two patterns S.1111.111 (0x7f, 0xff) are NaN, so the largest
 *           finite value is S.1111.110 = 448. Subnormals m * 2^-9.
 *   f8e5m2: 1 sign, 5 exponent (bias 15), 2 mantissa bits, IEEE-like:
 *           S.11111.00 is infinity, S.11111.{01,10,11} NaN; largest finite
 *           57344 (0x7b). Subnormals m * 2^-16.
 *
 * Widening (fp8 -> float) is exact. Narrowing (float -> fp8) rounds to
 * nearest, ties to even, including into and out of the subnormal range,
 * and follows NCCL's conversions: NCCL builds its fp8 values with CUDA's
 * __nv_fp8_e4m3 / __nv_fp8_e5m2 constructors, which convert with
 * __NV_SATFINITE. So:
 *   - a finite value beyond the largest finite one, and +-infinity, become
 *     +-448 (0x7e/0xfe) or +-57344 (0x7b/0xfb): saturation, also for e5m2,
 *     which has an infinity it could have produced (OCP leaves the choice
 *     between saturating and non-saturating conversion to the
 *     implementation; CUDA's __NV_SATFINITE saturates infinities too);
 *   - any NaN becomes 0x7f (CUDA first makes a float NaN canonical and
 *     positive, so the sign is not kept);
 *   - magnitudes at or below half the smallest subnormal become a zero of
 *     the input's sign.
 * fp8 -> float of a NaN pattern gives a quiet NaN with the pattern's sign. */
#ifndef COLLBENCH_FP8_H
#define COLLBENCH_FP8_H

#include <stdint.h>

#include "collbench/half.h"

/* f8e4m3 -> float. Normal: the 7 exponent+mantissa bits shifted into
 * float's place and rebiased (7 -> 127); subnormal and zero: m * 2^-9
 * (exact). NaN (em == 0x7f): a quiet float NaN. */
static inline float cb_f8e4m3_to_float(uint8_t b)
{
	uint32_t em = b & 0x7fu;
	uint32_t sign = (uint32_t)(b & 0x80u) << 24;
	uint32_t norm = (em << 20) + ((127u - 7u) << 23);
	uint32_t sub = cb_f32_bits((float)(int32_t)em * 0x1p-9f);
	uint32_t o = cb_sel32(em == 0x7fu, 0x7fc00000u, cb_sel32(em < 0x08u, sub, norm));
	return cb_f32_from_bits(o | sign);
}

/* f8e5m2 -> float: the same with bias 15 and 2 mantissa bits; exponent 31
 * is infinity (mantissa 0) or NaN. */
static inline float cb_f8e5m2_to_float(uint8_t b)
{
	uint32_t em = b & 0x7fu;
	uint32_t sign = (uint32_t)(b & 0x80u) << 24;
	uint32_t norm = (em << 21) + ((127u - 15u) << 23);
	uint32_t sub = cb_f32_bits((float)(int32_t)em * 0x1p-16f);
	uint32_t special = cb_sel32(em == 0x7cu, 0x7f800000u, 0x7fc00000u);
	uint32_t o = cb_sel32(em >= 0x7cu, special, cb_sel32(em < 0x04u, sub, norm));
	return cb_f32_from_bits(o | sign);
}

/* float -> f8e4m3, round to nearest even, saturating (see the top).
 * |x| < 2^-6 (subnormal or zero): adding 2^14 puts the fp8 quantum 2^-9 at
 * float's last place, so the float adder rounds (ties to even); the low
 * bits of the sum are the result (8, the smallest normal, when it rounds
 * up to it). 2^-6 <= |x| < 448: round the 20 dropped mantissa bits to
 * nearest even, then rebias; a carry out of the mantissa bumps the
 * exponent (up to 448 at most, since |x| < 448). |x| >= 448: 448 (values
 * in (448, 464] round to 448 anyway, the rest saturate). */
static inline uint8_t cb_float_to_f8e4m3(float f)
{
	uint32_t x = cb_f32_bits(f);
	uint32_t sign = (x >> 24) & 0x80u;
	uint32_t a = x & 0x7fffffffu;
	uint32_t sub = cb_f32_bits(cb_f32_from_bits(a) + 0x1p14f) - 0x46800000u;
	uint32_t norm = ((a + 0x7ffffu + ((a >> 20) & 1u)) >> 20) - ((127u - 7u) << 3);
	uint32_t o = cb_sel32(a < 0x3c800000u, sub, cb_sel32(a >= 0x43e00000u, 0x7eu, norm));
	return (uint8_t)cb_sel32(a > 0x7f800000u, 0x7fu, o | sign);
}

/* float -> f8e5m2: as e4m3 with quantum 2^-16 (add 2^7), 21 dropped bits,
 * bias 15; |x| >= 57344 (0x7b; values up to the next tie, 61440, round to
 * it, the rest saturate) and infinities: 57344. */
static inline uint8_t cb_float_to_f8e5m2(float f)
{
	uint32_t x = cb_f32_bits(f);
	uint32_t sign = (x >> 24) & 0x80u;
	uint32_t a = x & 0x7fffffffu;
	uint32_t sub = cb_f32_bits(cb_f32_from_bits(a) + 0x1p7f) - 0x43000000u;
	uint32_t norm = ((a + 0xfffffu + ((a >> 21) & 1u)) >> 21) - ((127u - 15u) << 2);
	uint32_t o = cb_sel32(a < 0x38800000u, sub, cb_sel32(a >= 0x47600000u, 0x7bu, norm));
	return (uint8_t)cb_sel32(a > 0x7f800000u, 0x7fu, o | sign);
}

#endif
