/* unit_dtype.c: datatypes, reduction kernels and the value scheme.
 *  - half and bfloat16 conversions: known bit patterns (zeros, subnormals,
 *    smallest/largest normal, infinities, NaN, overflow, ties to even both
 *    ways), every half pattern round-tripping, and a dense sample of floats
 *    (plus every tie and its neighbours) against a reference rounding that
 *    searches the sorted 16-bit values;
 *  - every kernel (dtype x op) on hand-written vectors (the expected values
 *    were computed independently with Python integers, struct 'e' and
 *    Fractions; fp8 with Fractions over the enumerated values), mulsum's
 *    premultiplication, at lengths that are and are not multiples of the vector
 *    width and the block, with dst separate, dst == a, dst == b, dst == a == b;
 *    avg's finish;
 *  - the value scheme, for every dtype x op (and op == NULL) and P in
 *    {1,2,3,5,8,16,512} (and every P in 1..512 at a few indices): golden ==
 *    a brute-force fold over ranks in exact arithmetic, inputs and goldens
 *    exactly representable, partial results in range in any order, fills ==
 *    the closed forms, a 1-ULP error is counted, outputs change between
 *    check iterations. */
#include <math.h> /* macros only: isnan, signbit, INFINITY, NAN (no -lm) */
#include <stdlib.h>
#include <string.h>

#include "collbench/dtype.h"
#include "collbench/fp8.h"
#include "collbench/half.h"
#include "collbench/verify.h"
#include "unit.h"

static uint64_t fbits(float f) { return cb_f32_bits(f); }
static float bitsf(uint32_t u) { return cb_f32_from_bits(u); }

/* The few libm functions needed, without libm (the Makefile links none). */
static double fabs_(double x) { return x < 0 ? -x : x; }
static double pow2_(int k)
{
	double r = 1;
	for (; k > 0; k--)
		r *= 2;
	for (; k < 0; k++)
		r /= 2;
	return r;
}
static double ldexp_(double m, int k) { return m * pow2_(k); }
/* x = +-2^k exactly? then *k */
static int is_pow2(double x, int *k)
{
	uint64_t u;
	x = fabs_(x);
	memcpy(&u, &x, sizeof u);
	if (u & 0x000fffffffffffffull || !(u >> 52))
		return 0;
	*k = (int)(u >> 52) - 1023;
	return 1;
}
static float next_up(float f) { return bitsf(cb_f32_bits(f) + 1); }   /* f > 0 */
static float next_down(float f) { return bitsf(cb_f32_bits(f) - 1); } /* f > 0 */

/* --- reference rounding to a 16-bit float ------------------------------- */

static double half_val(uint16_t h) { return cb_half_to_float(h); }
static double bf16_val(uint16_t h) { return cb_bf16_to_float(h); }

/* Round |x| (finite double) to nearest even among the positive patterns
 * 0..maxfin of a monotonic 16-bit format; inf at or beyond max + ulp/2. */
static uint16_t ref_round16(double x, double (*val)(uint16_t), uint16_t maxfin, double ovf)
{
	uint16_t sign = signbit(x) ? 0x8000 : 0;
	double a = fabs_(x);
	unsigned lo = 0, hi = maxfin;
	if (isnan(x))
		return 0x7fff;
	if (a >= ovf)
		return sign | (uint16_t)(maxfin + 1);
	while (lo < hi) {
		unsigned mid = (lo + hi + 1) / 2;
		if (val((uint16_t)mid) <= a)
			lo = mid;
		else
			hi = mid - 1;
	}
	if (val((uint16_t)lo) == a || lo == maxfin)
		return sign | (uint16_t)lo;
	double d0 = a - val((uint16_t)lo), d1 = val((uint16_t)(lo + 1)) - a;
	if (d0 < d1 || (d0 == d1 && !(lo & 1)))
		return sign | (uint16_t)lo;
	return sign | (uint16_t)(lo + 1);
}
static uint16_t ref_half(double x) { return ref_round16(x, half_val, 0x7bff, 65520.0); }
static uint16_t ref_bf16(double x) { return ref_round16(x, bf16_val, 0x7f7f, ldexp_(255.5, 120)); }

/* Round x (finite, |x| <= max) to nearest even among the 8-bit patterns
 * 0..maxfin (monotonic), by search. */
static uint8_t ref_f8(double x, float (*val)(uint8_t), uint8_t maxfin)
{
	uint8_t sign = signbit(x) ? 0x80 : 0, lo = 0;
	double a = fabs_(x);
	while (lo < maxfin && val((uint8_t)(lo + 1)) <= a)
		lo++;
	if (val(lo) == a || lo == maxfin)
		return sign | lo;
	double d0 = a - val(lo), d1 = val((uint8_t)(lo + 1)) - a;
	return sign | (d0 < d1 || (d0 == d1 && !(lo & 1)) ? lo : (uint8_t)(lo + 1));
}

static int same16(uint16_t a, uint16_t b, int is_bf16)
{
	uint16_t inf = is_bf16 ? 0x7f80 : 0x7c00;
	int na = (a & 0x7fff) > inf, nb = (b & 0x7fff) > inf;
	return na || nb ? na && nb : a == b;
}

static void test_conversions(void)
{
	static const struct { float f; uint16_t h; } f2h[] = {
		{ 0.0f, 0x0000 }, { -0.0f, 0x8000 }, { 1.0f, 0x3c00 }, { -2.0f, 0xc000 },
		{ 65504.0f, 0x7bff }, { 65519.0f, 0x7bff }, { 65520.0f, 0x7c00 }, /* tie: up to inf */
		{ 1e6f, 0x7c00 }, { -1e6f, 0xfc00 }, { INFINITY, 0x7c00 }, { -INFINITY, 0xfc00 },
		{ 0x1p-14f, 0x0400 }, { 0x1.ffcp-15f, 0x0400 }, /* largest subnormal + half ulp: tie to even (up) */
		{ 0x1.ff0p-15f, 0x03fe }, { 0x1.ff4p-15f, 0x03fe }, /* tie: stays 1022 */ { 0x1.ff8p-15f, 0x03ff },
		{ 0x1.ffcp-15f - 0x1p-38f, 0x03ff },
		{ 0x1p-24f, 0x0001 }, { -0x1p-24f, 0x8001 }, { 0x1p-25f, 0x0000 }, /* tie to even: 0 */
		{ 0x1.000002p-25f, 0x0001 }, { 0x3p-25f, 0x0002 }, /* tie: 1 -> 2 */ { 0x5p-25f, 0x0002 }, /* tie: stays 2 */
		{ 0x1p-30f, 0x0000 }, { -0x1p-30f, 0x8000 }, { 0x1p-149f, 0x0000 },
		{ 1.0f + 0x1p-11f, 0x3c00 }, /* tie down to even */ { 1.0f + 0x3p-11f, 0x3c02 }, /* tie up to even */
		{ 1.0f + 0x1p-11f + 0x1p-20f, 0x3c01 }, { 2049.0f, 0x6800 }, { 2051.0f, 0x6802 }, { -2049.0f, 0xe800 },
		{ 0.333333343f, 0x3555 }, { 3.4028234663852886e38f, 0x7c00 },
	};
	static const struct { uint16_t h; float f; } h2f[] = {
		{ 0x0001, 0x1p-24f }, { 0x03ff, 0x1.ff8p-15f }, { 0x0400, 0x1p-14f }, { 0x7bff, 65504.0f },
		{ 0x3c00, 1.0f }, { 0xc000, -2.0f }, { 0x3555, 0.333251953125f }, { 0x7c00, INFINITY },
		{ 0xfc00, -INFINITY }, { 0x8001, -0x1p-24f },
	};
	static const struct { uint32_t f; uint16_t b; } f2b[] = {
		{ 0x3f800000, 0x3f80 }, { 0x80000000, 0x8000 }, { 0x3f808000, 0x3f80 }, /* tie down */
		{ 0x3f818000, 0x3f82 }, /* tie up */ { 0x3f808001, 0x3f81 }, { 0x7f7fffff, 0x7f80 }, /* overflow */
		{ 0x7f7f7fff, 0x7f7f }, { 0x7f7f8000, 0x7f80 }, /* tie up to inf */ { 0xff7f8000, 0xff80 },
		{ 0x7f800000, 0x7f80 }, { 0xff800000, 0xff80 }, { 0x00000001, 0x0000 }, { 0x00008000, 0x0000 },
		{ 0x00018000, 0x0002 }, { 0x00008001, 0x0001 }, { 0x007fffff, 0x0080 }, /* subnormal up to normal */
		{ 0x00800000, 0x0080 }, { 0x807f0000, 0x807f },
	};
	int ok;

	ok = 1;
	for (size_t i = 0; i < sizeof f2h / sizeof f2h[0]; i++)
		if (cb_float_to_half(f2h[i].f) != f2h[i].h) {
			ok = 0;
			printf("# float->half %a: got 0x%04x want 0x%04x\n", f2h[i].f,
			       cb_float_to_half(f2h[i].f), f2h[i].h);
		}
	CHECK(ok, "float->half: %zu known patterns (subnormals, normal limits, inf, overflow, ties)",
	      sizeof f2h / sizeof f2h[0]);
	ok = 1;
	for (size_t i = 0; i < sizeof h2f / sizeof h2f[0]; i++)
		ok &= fbits(cb_half_to_float(h2f[i].h)) == fbits(h2f[i].f);
	ok &= fbits(cb_half_to_float(0x8000)) == 0x80000000u;
	ok &= isnan(cb_half_to_float(0x7e00)) && isnan(cb_half_to_float(0x7c01)) && isnan(cb_half_to_float(0xfe00));
	CHECK(ok, "half->float: known patterns, -0, NaN");
	CHECK((cb_float_to_half(NAN) & 0x7c00) == 0x7c00 && (cb_float_to_half(NAN) & 0x3ff) &&
	      (cb_float_to_half(bitsf(0x7f800001)) & 0x3ff) && (cb_float_to_half(-NAN) & 0x8000),
	      "float->half: NaN (also signalling) stays NaN with its sign");

	ok = 1;
	for (uint32_t h = 0; h < 0x10000; h++) {
		uint16_t back = cb_float_to_half(cb_half_to_float((uint16_t)h));
		ok &= same16(back, (uint16_t)h, 0);
		ok &= (h & 0x7fff) > 0x7c00 || cb_half_to_float((uint16_t)h) == (float)half_val((uint16_t)h);
	}
	CHECK(ok, "half: every one of the 65536 patterns round-trips through float");

	/* Every tie between adjacent halves, one float ulp either side, and a
	 * dense sweep over all float exponents, against the reference. */
	ok = 1;
	for (uint32_t h = 0; h < 0x7c00 && ok; h++) {
		double lo = half_val((uint16_t)h), hi = h + 1 == 0x7c00 ? 65536.0 : half_val((uint16_t)(h + 1));
		float mid = (float)((lo + hi) / 2);
		float cand[3] = { next_down(mid), mid, next_up(mid) };
		for (int k = 0; k < 3; k++) {
			ok &= cb_float_to_half(cand[k]) == ref_half(cand[k]);
			ok &= cb_float_to_half(-cand[k]) == ref_half(-cand[k]);
		}
	}
	for (uint32_t u = 0; u < 0x7f800000u && ok; u += 997) {
		ok &= cb_float_to_half(bitsf(u)) == ref_half(bitsf(u));
		ok &= cb_float_to_half(bitsf(u | 0x80000000u)) == ref_half(bitsf(u | 0x80000000u));
		if (!ok)
			printf("# float->half 0x%08x: got 0x%04x want 0x%04x\n", u,
			       cb_float_to_half(bitsf(u)), ref_half(bitsf(u)));
	}
	CHECK(ok, "float->half: every tie (+-1 ulp) and 2.1M floats over all exponents match round-to-nearest-even");

	ok = 1;
	for (size_t i = 0; i < sizeof f2b / sizeof f2b[0]; i++)
		if (cb_float_to_bf16(bitsf(f2b[i].f)) != f2b[i].b) {
			ok = 0;
			printf("# float->bf16 0x%08x: got 0x%04x want 0x%04x\n", f2b[i].f,
			       cb_float_to_bf16(bitsf(f2b[i].f)), f2b[i].b);
		}
	CHECK(ok, "float->bfloat16: %zu known patterns (ties both ways, overflow, subnormals, inf)",
	      sizeof f2b / sizeof f2b[0]);
	CHECK((cb_float_to_bf16(bitsf(0x7f800001)) & 0x7fff) > 0x7f80 &&
	      (cb_float_to_bf16(bitsf(0xffc00000)) & 0x8000) && (cb_float_to_bf16(bitsf(0x7fffffff)) & 0x7fff) > 0x7f80,
	      "float->bfloat16: NaN stays NaN with its sign (no carry into the sign)");
	ok = 1;
	for (uint32_t h = 0; h < 0x10000; h++) {
		ok &= fbits(cb_bf16_to_float((uint16_t)h)) == h << 16;
		ok &= same16(cb_float_to_bf16(cb_bf16_to_float((uint16_t)h)), (uint16_t)h, 1);
	}
	for (uint32_t u = 0; u < 0x7f800000u && ok; u += 997) {
		ok &= cb_float_to_bf16(bitsf(u)) == ref_bf16(bitsf(u));
		ok &= cb_float_to_bf16(bitsf(u | 0x80000000u)) == ref_bf16(bitsf(u | 0x80000000u));
	}
	for (uint32_t h = 0; h < 0x7f80 && ok; h++) {
		uint32_t mid = (h << 16) | 0x8000u;
		for (uint32_t m = mid - 1; m <= mid + 1; m++)
			ok &= cb_float_to_bf16(bitsf(m)) == ref_bf16(bitsf(m));
	}
	CHECK(ok, "bfloat16: every pattern round-trips; every tie (+-1 ulp) and 2.1M floats match round-to-nearest-even");
}

/* --- kernels ------------------------------------------------------------- */

static const int8_t int8_a[8] = { 1, -2, 100, -128, 127, 5, 0, -7 };
static const int8_t int8_b[8] = { 2, -3, 100, -1, 1, -5, 9, 3 };
static const int8_t int8_sum[8] = { 3, -5, -56, 127, -128, 0, 9, -4 };
static const int8_t int8_prod[8] = { 2, 6, 16, -128, 127, -25, 0, -21 };
static const int8_t int8_min[8] = { 1, -3, 100, -128, 1, -5, 0, -7 };
static const int8_t int8_max[8] = { 2, -2, 100, -1, 127, 5, 9, 3 };
static const int8_t int8_avg3[8] = { 1, -1, -18, 42, -42, 0, 3, -1 };
static const uint8_t uint8_a[8] = { 1, 200, 255, 0, 16, 7, 128, 3 };
static const uint8_t uint8_b[8] = { 2, 100, 1, 0, 16, 9, 2, 250 };
static const uint8_t uint8_sum[8] = { 3, 44, 0, 0, 32, 16, 130, 253 };
static const uint8_t uint8_prod[8] = { 2, 32, 255, 0, 0, 63, 0, 238 };
static const uint8_t uint8_min[8] = { 1, 100, 1, 0, 16, 7, 2, 3 };
static const uint8_t uint8_max[8] = { 2, 200, 255, 0, 16, 9, 128, 250 };
static const uint8_t uint8_avg3[8] = { 1, 14, 0, 0, 10, 5, 43, 84 };
static const int32_t int32_a[8] = { 1, -2, 2147483647, (-2147483647 - 1), 65536, -7, 0, 123456 };
static const int32_t int32_b[8] = { 2, -3, 1, -1, 65536, 7, 5, -1000 };
static const int32_t int32_sum[8] = { 3, -5, (-2147483647 - 1), 2147483647, 131072, 0, 5, 122456 };
static const int32_t int32_prod[8] = { 2, 6, 2147483647, (-2147483647 - 1), 0, -49, 0, -123456000 };
static const int32_t int32_min[8] = { 1, -3, 1, (-2147483647 - 1), 65536, -7, 0, -1000 };
static const int32_t int32_max[8] = { 2, -2, 2147483647, -1, 65536, 7, 5, 123456 };
static const int32_t int32_avg3[8] = { 1, -1, -715827882, 715827882, 43690, 0, 1, 40818 };
static const uint32_t uint32_a[8] = { 1u, 4000000000u, 4294967295u, 0u, 65536u, 7u, 2147483648u, 3u };
static const uint32_t uint32_b[8] = { 2u, 500000000u, 1u, 9u, 65536u, 9u, 2u, 1431655765u };
static const uint32_t uint32_sum[8] = { 3u, 205032704u, 0u, 9u, 131072u, 16u, 2147483650u, 1431655768u };
static const uint32_t uint32_prod[8] = { 2u, 1321730048u, 4294967295u, 0u, 0u, 63u, 0u, 4294967295u };
static const uint32_t uint32_min[8] = { 1u, 500000000u, 1u, 0u, 65536u, 7u, 2u, 3u };
static const uint32_t uint32_max[8] = { 2u, 4000000000u, 4294967295u, 9u, 65536u, 9u, 2147483648u, 1431655765u };
static const uint32_t uint32_avg3[8] = { 1u, 68344234u, 0u, 3u, 43690u, 5u, 715827883u, 477218589u };
static const int64_t int64_a[8] = { 1ll, -2ll, 9223372036854775807ll, (-0x7fffffffffffffffll - 1), 4294967296ll, -7ll, 0ll, 9007199254740993ll };
static const int64_t int64_b[8] = { 2ll, -3ll, 1ll, -1ll, 4294967296ll, 7ll, 5ll, -1000ll };
static const int64_t int64_sum[8] = { 3ll, -5ll, (-0x7fffffffffffffffll - 1), 9223372036854775807ll, 8589934592ll, 0ll, 5ll, 9007199254739993ll };
static const int64_t int64_prod[8] = { 2ll, 6ll, 9223372036854775807ll, (-0x7fffffffffffffffll - 1), 0ll, -49ll, 0ll, -9007199254740993000ll };
static const int64_t int64_min[8] = { 1ll, -3ll, 1ll, (-0x7fffffffffffffffll - 1), 4294967296ll, -7ll, 0ll, -1000ll };
static const int64_t int64_max[8] = { 2ll, -2ll, 9223372036854775807ll, -1ll, 4294967296ll, 7ll, 5ll, 9007199254740993ll };
static const int64_t int64_avg3[8] = { 1ll, -1ll, -3074457345618258602ll, 3074457345618258602ll, 2863311530ll, 0ll, 1ll, 3002399751579997ll };
static const uint64_t uint64_a[8] = { 1ull, 18446744073709551615ull, 9223372036854775808ull, 0ull, 4294967296ull, 7ull, 12345678901234567ull, 3ull };
static const uint64_t uint64_b[8] = { 2ull, 1ull, 2ull, 9ull, 4294967296ull, 9ull, 1000ull, 9223372036854775809ull };
static const uint64_t uint64_sum[8] = { 3ull, 0ull, 9223372036854775810ull, 9ull, 8589934592ull, 16ull, 12345678901235567ull, 9223372036854775812ull };
static const uint64_t uint64_prod[8] = { 2ull, 18446744073709551615ull, 0ull, 0ull, 0ull, 63ull, 12345678901234567000ull, 9223372036854775811ull };
static const uint64_t uint64_min[8] = { 1ull, 1ull, 2ull, 0ull, 4294967296ull, 7ull, 1000ull, 3ull };
static const uint64_t uint64_max[8] = { 2ull, 18446744073709551615ull, 9223372036854775808ull, 9ull, 4294967296ull, 9ull, 12345678901234567ull, 9223372036854775809ull };
static const uint64_t uint64_avg3[8] = { 1ull, 0ull, 3074457345618258603ull, 3ull, 2863311530ull, 5ull, 4115226300411855ull, 3074457345618258604ull };
/* half: a = [1.0, -2.5, 65504.0, 0.333251953125, 6.103515625e-05, 5.960464477539063e-08, 2048.0, 3.0], b = [2.0, 1.25, 32.0, 3.0, -5.960464477539063e-08, 5.960464477539063e-08, 1.0, 0.00048828125] */
static const uint16_t half_a[8] = { 0x3c00, 0xc100, 0x7bff, 0x3555, 0x0400, 0x0001, 0x6800, 0x4200 };
static const uint16_t half_b[8] = { 0x4000, 0x3d00, 0x5000, 0x4200, 0x8001, 0x0001, 0x3c00, 0x1000 };
static const uint16_t half_sum[8] = { 0x4200, 0xbd00, 0x7c00, 0x42ab, 0x03ff, 0x0002, 0x6800, 0x4200 };
static const uint16_t half_prod[8] = { 0x4000, 0xc240, 0x7c00, 0x3c00, 0x8000, 0x0000, 0x6800, 0x1600 };
static const uint16_t half_min[8] = { 0x3c00, 0xc100, 0x5000, 0x3555, 0x8001, 0x0001, 0x3c00, 0x1000 };
static const uint16_t half_max[8] = { 0x4000, 0x3d00, 0x7bff, 0x4200, 0x0400, 0x0001, 0x6800, 0x4200 };
static const uint16_t half_avg3[8] = { 0x3c00, 0xb6ab, 0x7c00, 0x3c72, 0x0155, 0x0001, 0x6155, 0x3c00 };
/* bfloat16: a = [1.0, -2.5, 3.3895313892515355e+38, 1.0078125, 1.1754943508222875e-38, 9.183549615799121e-41, 256.0, 3.0], b = [2.0, 1.25, 3.3895313892515355e+38, 3.0, -9.183549615799121e-41, 9.183549615799121e-41, 1.0, 0.00390625] */
static const uint16_t bf16_a[8] = { 0x3f80, 0xc020, 0x7f7f, 0x3f81, 0x0080, 0x0001, 0x4380, 0x4040 };
static const uint16_t bf16_b[8] = { 0x4000, 0x3fa0, 0x7f7f, 0x4040, 0x8001, 0x0001, 0x3f80, 0x3b80 };
static const uint16_t bf16_sum[8] = { 0x4040, 0xbfa0, 0x7f80, 0x4080, 0x007f, 0x0002, 0x4380, 0x4040 };
static const uint16_t bf16_prod[8] = { 0x4000, 0xc048, 0x7f80, 0x4042, 0x8000, 0x0000, 0x4380, 0x3c40 };
static const uint16_t bf16_min[8] = { 0x3f80, 0xc020, 0x7f7f, 0x3f81, 0x8001, 0x0001, 0x3f80, 0x3b80 };
static const uint16_t bf16_max[8] = { 0x4000, 0x3fa0, 0x7f7f, 0x4040, 0x0080, 0x0001, 0x4380, 0x4040 };
static const uint16_t bf16_avg3[8] = { 0x3f80, 0xbed5, 0x7f80, 0x3fab, 0x002a, 0x0001, 0x42ab, 0x3f80 };
/* float: a = [1.0, -2.5, 3.4028234663852886e+38, 16777216.0, 1.1754943508222875e-38, 1.401298464324817e-45, 0.10000000149011612, 3.0], b = [2.0, 1.25, 3.4028234663852886e+38, 1.0, -1.401298464324817e-45, 1.401298464324817e-45, 0.20000000298023224, -0.5] */
static const float float_a[8] = { 0x1.0000000000000p+0f, -0x1.4000000000000p+1f, 0x1.fffffe0000000p+127f, 0x1.0000000000000p+24f, 0x1.0000000000000p-126f, 0x1.0000000000000p-149f, 0x1.99999a0000000p-4f, 0x1.8000000000000p+1f };
static const float float_b[8] = { 0x1.0000000000000p+1f, 0x1.4000000000000p+0f, 0x1.fffffe0000000p+127f, 0x1.0000000000000p+0f, -0x1.0000000000000p-149f, 0x1.0000000000000p-149f, 0x1.99999a0000000p-3f, -0x1.0000000000000p-1f };
static const float float_sum[8] = { 0x1.8000000000000p+1f, -0x1.4000000000000p+0f, INFINITY, 0x1.0000000000000p+24f, 0x1.fffffc0000000p-127f, 0x1.0000000000000p-148f, 0x1.3333340000000p-2f, 0x1.4000000000000p+1f };
static const float float_prod[8] = { 0x1.0000000000000p+1f, -0x1.9000000000000p+1f, INFINITY, 0x1.0000000000000p+24f, -0x0.0p+0f, 0x0.0p+0f, 0x1.47ae160000000p-6f, -0x1.8000000000000p+0f };
static const float float_min[8] = { 0x1.0000000000000p+0f, -0x1.4000000000000p+1f, 0x1.fffffe0000000p+127f, 0x1.0000000000000p+0f, -0x1.0000000000000p-149f, 0x1.0000000000000p-149f, 0x1.99999a0000000p-4f, -0x1.0000000000000p-1f };
static const float float_max[8] = { 0x1.0000000000000p+1f, 0x1.4000000000000p+0f, 0x1.fffffe0000000p+127f, 0x1.0000000000000p+24f, 0x1.0000000000000p-126f, 0x1.0000000000000p-149f, 0x1.99999a0000000p-3f, 0x1.8000000000000p+1f };
static const float float_avg3[8] = { 0x1.0000000000000p+0f, -0x1.aaaaaa0000000p-2f, INFINITY, 0x1.5555560000000p+22f, 0x1.5555500000000p-128f, 0x1.0000000000000p-149f, 0x1.99999a0000000p-4f, 0x1.aaaaaa0000000p-1f };
static const double double_a[8] = { 0x1.0000000000000p+0, -0x1.4000000000000p+1, 0x1.fffffffffffffp+1023, 0x1.0000000000000p+53, 0x1.0000000000000p-1022, 0x0.0000000000001p-1022, 0x1.999999999999ap-4, 0x1.8000000000000p+1 };
static const double double_b[8] = { 0x1.0000000000000p+1, 0x1.4000000000000p+0, 0x1.fffffffffffffp+1023, 0x1.0000000000000p+0, -0x0.0000000000001p-1022, 0x0.0000000000001p-1022, 0x1.999999999999ap-3, -0x1.0000000000000p-1 };
static const double double_sum[8] = { 0x1.8000000000000p+1, -0x1.4000000000000p+0, INFINITY, 0x1.0000000000000p+53, 0x0.fffffffffffffp-1022, 0x0.0000000000002p-1022, 0x1.3333333333334p-2, 0x1.4000000000000p+1 };
static const double double_prod[8] = { 0x1.0000000000000p+1, -0x1.9000000000000p+1, INFINITY, 0x1.0000000000000p+53, -0x0.0p+0, 0x0.0p+0, 0x1.47ae147ae147cp-6, -0x1.8000000000000p+0 };
static const double double_min[8] = { 0x1.0000000000000p+0, -0x1.4000000000000p+1, 0x1.fffffffffffffp+1023, 0x1.0000000000000p+0, -0x0.0000000000001p-1022, 0x0.0000000000001p-1022, 0x1.999999999999ap-4, -0x1.0000000000000p-1 };
static const double double_max[8] = { 0x1.0000000000000p+1, 0x1.4000000000000p+0, 0x1.fffffffffffffp+1023, 0x1.0000000000000p+53, 0x1.0000000000000p-1022, 0x0.0000000000001p-1022, 0x1.999999999999ap-3, 0x1.8000000000000p+1 };
static const double double_avg3[8] = { 0x1.0000000000000p+0, -0x1.aaaaaaaaaaaabp-2, INFINITY, 0x1.5555555555555p+51, 0x0.5555555555555p-1022, 0x0.0000000000001p-1022, 0x1.999999999999bp-4, 0x1.aaaaaaaaaaaabp-1 };

/* fp8 (values computed independently with Python Fractions: every finite
 * value enumerated, round to nearest even, saturation at the largest finite;
 * avg3: the float quotient rounded to float32 first, as the finish does) */
/* f8e4m3: a = [1, -2.5, 448, 0.3125, 2^-6, 2^-9, 16, 3], b = [2, 1.25, 32, 3, -2^-9, 2^-9, 1, 2^-6] */
static const uint8_t f8e4m3_a[8] = { 0x38, 0xc2, 0x7e, 0x2a, 0x08, 0x01, 0x58, 0x44 };
static const uint8_t f8e4m3_b[8] = { 0x40, 0x3a, 0x60, 0x44, 0x81, 0x01, 0x38, 0x08 };
static const uint8_t f8e4m3_sum[8] = { 0x44, 0xba, 0x7e, 0x45, 0x07, 0x02, 0x58, 0x44 };
static const uint8_t f8e4m3_prod[8] = { 0x40, 0xc4, 0x7e, 0x37, 0x80, 0x00, 0x58, 0x14 };
static const uint8_t f8e4m3_min[8] = { 0x38, 0xc2, 0x60, 0x2a, 0x81, 0x01, 0x38, 0x08 };
static const uint8_t f8e4m3_max[8] = { 0x40, 0x3a, 0x7e, 0x44, 0x08, 0x01, 0x58, 0x44 };
static const uint8_t f8e4m3_avg3[8] = { 0x38, 0xad, 0x71, 0x39, 0x02, 0x01, 0x4b, 0x38 };
/* f8e5m2: a = [1, -2.5, 57344, 0.3125, 2^-14, 2^-16, 8, 3], b = [2, 1.25, 4096, 3, -2^-16, 2^-16, 1, 2^-14] */
static const uint8_t f8e5m2_a[8] = { 0x3c, 0xc1, 0x7b, 0x35, 0x04, 0x01, 0x48, 0x42 };
static const uint8_t f8e5m2_b[8] = { 0x40, 0x3d, 0x6c, 0x42, 0x81, 0x01, 0x3c, 0x04 };
static const uint8_t f8e5m2_sum[8] = { 0x42, 0xbd, 0x7b, 0x43, 0x03, 0x02, 0x48, 0x42 };
static const uint8_t f8e5m2_prod[8] = { 0x40, 0xc2, 0x7b, 0x3c, 0x80, 0x00, 0x48, 0x0a };
static const uint8_t f8e5m2_min[8] = { 0x3c, 0xc1, 0x6c, 0x35, 0x81, 0x01, 0x3c, 0x04 };
static const uint8_t f8e5m2_max[8] = { 0x40, 0x3d, 0x7b, 0x42, 0x04, 0x01, 0x48, 0x42 };
static const uint8_t f8e5m2_avg3[8] = { 0x3c, 0xb7, 0x75, 0x3d, 0x01, 0x01, 0x41, 0x3c };


struct kcase {
	const char *dtype;
	const void *a, *b, *exp[CB_NREDOPS], *avg3;
};
/* avg and mulsum reduce with sum's kernel */
#define KC(NAME, P) { NAME, P##_a, P##_b, { P##_sum, P##_prod, P##_min, P##_max, P##_sum, P##_sum }, P##_avg3 }
static const struct kcase kcases[] = {
	KC("int8", int8), KC("uint8", uint8), KC("int32", int32), KC("uint32", uint32),
	KC("int64", int64), KC("uint64", uint64), KC("half", half), KC("float", float),
	KC("double", double), KC("bfloat16", bf16), KC("f8e4m3", f8e4m3), KC("f8e5m2", f8e5m2),
};

/* element i of a long vector uses hand-written case (5i + i/8) mod 8 */
static void spread(void *dst, const void *src8, size_t es, size_t n)
{
	for (size_t i = 0; i < n; i++)
		memcpy((char *)dst + i * es, (const char *)src8 + ((5 * i + i / 8) % 8) * es, es);
}

static void test_kernels(void)
{
	static const size_t lens[] = { 0, 1, 3, 8, 15, 63, 64, 65, 129, 200, 1031 };
	enum { MAXN = 1031 };
	static unsigned char a[MAXN * 8], b[MAXN * 8], d[MAXN * 8 + 8], e[MAXN * 8], a2[MAXN * 8];

	CHECK(cb_ndtypes == 12 && cb_nredops == 6, "12 datatypes, 6 ops");
	for (size_t t = 0; t < cb_ndtypes; t++) {
		const struct cb_dtype *dt = &cb_dtypes[t];
		const struct kcase *kc = &kcases[t];
		size_t es = dt->size;
		int row_ok = !strcmp(kc->dtype, dt->name) && dt->id == (enum cb_dtype_id)t &&
			     cb_dtype_find(dt->name) == dt;
		CHECK(row_ok, "%s: row %zu of cb_dtypes[], id and lookup agree", dt->name, t);
		for (size_t o = 0; o < cb_nredops; o++) {
			const struct cb_redop *op = &cb_redops[o];
			cb_reduce_fn fn = cb_reduce_kernel(dt, op);
			int ok = fn != NULL && op->id == (enum cb_redop_id)o;
			if (!fn) {
				CHECK(0, "%s %s: kernel exists", dt->name, op->name);
				continue;
			}
			for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
				size_t n = lens[li];
				spread(a, kc->a, es, n);
				spread(b, kc->b, es, n);
				spread(e, kc->exp[o], es, n);
				/* dst separate */
				memset(d, 0xa5, sizeof d);
				fn(d, a, b, n);
				ok &= !memcmp(d, e, n * es);
				ok &= d[n * es] == 0xa5; /* nothing past n */
				/* dst == a */
				memcpy(d, a, n * es);
				fn(d, d, b, n);
				ok &= !memcmp(d, e, n * es);
				/* dst == b */
				memcpy(d, b, n * es);
				fn(d, a, d, n);
				ok &= !memcmp(d, e, n * es);
				/* dst == a == b equals the separate kernel on (a, a) */
				fn(a2, a, a, n);
				memcpy(d, a, n * es);
				fn(d, d, d, n);
				ok &= !memcmp(d, a2, n * es);
			}
			CHECK(ok, "%s %s kernel: hand-written values, 11 lengths (0..1031), dst separate / == a / == b / == a == b",
			      dt->name, op->name);
		}
		/* avg: sum, then finish divides by 3, elementwise, on any part */
		{
			const struct cb_redop *avg = cb_redop_find("avg");
			int ok = 1;
			size_t n = 1031;
			spread(d, kc->exp[CB_OP_SUM], es, n);
			spread(e, kc->avg3, es, n);
			cb_reduce_finish(dt, avg, d, 500, 3);
			cb_reduce_finish(dt, avg, d + 500 * es, n - 500, 3);
			ok &= !memcmp(d, e, n * es);
			for (size_t o = 0; o < cb_nredops; o++) {
				if (o == CB_OP_AVG)
					continue;
				/* mulsum's premultiplication: by 1 a copy, by 2 a + a */
				cb_premul(dt, a2, kc->a, 8, 1);
				ok &= !memcmp(a2, kc->a, 8 * es);
				spread(a, kc->a, es, n);
				cb_premul(dt, d, a, n, 2);
				cb_reduce_kernel(dt, &cb_redops[CB_OP_SUM])(e, a, a, n);
				ok &= !memcmp(d, e, n * es);
				cb_premul(dt, a, a, n, 2);
				ok &= !memcmp(a, e, n * es);
				spread(d, kc->exp[CB_OP_SUM], es, n);
				cb_reduce_finish(dt, &cb_redops[o], d, n, 3);
				spread(e, kc->exp[CB_OP_SUM], es, n);
				ok &= !memcmp(d, e, n * es);
			}
			cb_reduce_finish(dt, avg, d, n, 1);
			ok &= !memcmp(d, e, n * es);
			ok &= cb_reduce_kernel(dt, avg) == cb_reduce_kernel(dt, cb_redop_find("sum"));
			CHECK(ok, "%s avg: kernel is sum; finish divides by P (hand-written), in two parts; other ops and P=1 untouched; premul by 1 and 2 (in place too)",
			      dt->name);
		}
	}
}

/* --- the value scheme ---------------------------------------------------- */

static int is_float(const struct cb_dtype *dt) { return dt->is_float; }

/* Exact-integer limit of each type (largest L with all of 0..L exact), and
 * the largest power-of-two exponent an exact integer product may reach. */
static double int_limit(const struct cb_dtype *dt)
{
	switch (dt->id) {
	case CB_HALF: return 2048;
	case CB_BFLOAT16: return 256;
	case CB_F8E4M3: return 16;
	case CB_F8E5M2: return 8;
	case CB_FLOAT: return 16777216.0;
	case CB_DOUBLE: return 9007199254740992.0;
	case CB_INT8: return 127;
	case CB_UINT8: return 255;
	case CB_INT32: return 2147483647.0;
	case CB_UINT32: return 4294967295.0;
	case CB_INT64: return 9223372036854775807.0;
	default: return 18446744073709551615.0;
	}
}
static int exp_limit(const struct cb_dtype *dt)
{
	switch (dt->id) {
	case CB_HALF: return 15;
	case CB_F8E4M3: return 8;
	case CB_F8E5M2: return 15;
	case CB_BFLOAT16: case CB_FLOAT: return 127;
	case CB_DOUBLE: return 1023;
	case CB_INT8: return 6;
	case CB_UINT8: return 7;
	case CB_INT32: return 30;
	case CB_UINT32: return 31;
	case CB_INT64: return 62;
	default: return 63;
	}
}
static int bits_of(const struct cb_dtype *dt) { return (int)dt->size * 8; }
static int wraps(const struct cb_dtype *dt) { return !dt->is_float && dt->size <= 4; }

/* x stored in the dtype and loaded back is x (same sign of zero too). */
static int representable(const struct cb_dtype *dt, double x)
{
	unsigned char buf[8];
	double y;
	if (!dt->is_float && dt->is_signed &&
	    (x < -pow2_(bits_of(dt) - 1) || x >= pow2_(bits_of(dt) - 1) || x != (double)(int64_t)x))
		return 0;
	if (!dt->is_float && !dt->is_signed &&
	    (x < 0 || x >= pow2_(bits_of(dt)) || x != (double)(uint64_t)x))
		return 0;
	dt->store(buf, 0, x);
	y = dt->load(buf, 0);
	return y == x && signbit(y) == signbit(x);
}

/* Wrap an exact integer into the type's range modulo 2^bits. */
static double wrap_int(const struct cb_dtype *dt, uint64_t u)
{
	int b = bits_of(dt);
	uint64_t m = b == 64 ? ~0ull : (1ull << b) - 1;
	u &= m;
	if (dt->is_signed && (u >> (b - 1)) & 1)
		return -(double)((~u & m) + 1);
	return (double)u;
}

static int odd_part(int p)
{
	while (!(p & 1))
		p /= 2;
	return p;
}

/* The golden of one element against a fold over ranks; returns 0 on a
 * mismatch and says why. */
static int check_element(const struct cb_values *v, size_t idx, int *exact_avg)
{
	const struct cb_dtype *dt = v->dt;
	int p = v->nranks;
	double gold = cb_value_reduced(v, idx), want;

	for (int r = 0; r < p; r++)
		if (!representable(dt, cb_value_in(v, r, idx))) {
			printf("# %s %s P=%d idx=%zu rank %d: input %.17g not exact\n", dt->name,
			       v->op ? v->op->name : "none", p, idx, r, cb_value_in(v, r, idx));
			return 0;
		}
	if (!v->op) {
		want = cb_value_in(v, 0, idx);
	} else if (v->op->id == CB_OP_SUM || v->op->id == CB_OP_AVG || v->op->id == CB_OP_MULSUM) {
		/* mulsum: nccl-tests' scalar, 1 on even and 2 on odd ranks */
		int mul = v->op->id == CB_OP_MULSUM;
		if (wraps(dt)) {
			uint64_t s = 0;
			for (int r = 0; r < p; r++)
				s += (uint64_t)(int64_t)cb_value_in(v, r, idx) * (mul ? 1 + (r % 2) : 1);
			want = wrap_int(dt, s);
		} else {
			/* exact in int64 (|values| <= 2^53, P <= 512 would still fit
			 * 2^62); every order is exact when sum |v| <= limit */
			int64_t s = 0, mag = 0;
			for (int r = 0; r < p; r++) {
				double x = cb_value_in(v, r, idx) * (mul ? 1 + (r % 2) : 1);
				if (!representable(dt, x)) {
					printf("# %s mulsum P=%d idx=%zu rank %d: product %.17g not exact\n",
					       dt->name, p, idx, r, x);
					return 0;
				}
				s += (int64_t)x;
				mag += (int64_t)fabs_(x);
			}
			if ((double)mag > int_limit(dt)) {
				printf("# %s %s P=%d idx=%zu: sum of |inputs| %lld beyond the exact range\n",
				       dt->name, v->op->name, p, idx, (long long)mag);
				return 0;
			}
			want = (double)s;
		}
		if (v->op->id == CB_OP_AVG) {
			double s = want;
			if (!is_float(dt)) {
				want = dt->is_signed ? (double)((int64_t)s / p) : (double)((uint64_t)s / (uint64_t)p);
			} else {
				double q = s / p;
				switch (dt->id) {
				case CB_HALF: want = half_val(ref_half(q)); break;
				case CB_BFLOAT16: want = bf16_val(ref_bf16(q)); break;
				case CB_F8E4M3: want = cb_f8e4m3_to_float(ref_f8(q, cb_f8e4m3_to_float, 0x7e)); break;
				case CB_F8E5M2: want = cb_f8e5m2_to_float(ref_f8(q, cb_f8e5m2_to_float, 0x7b)); break;
				case CB_FLOAT: want = (float)q; break;
				default: want = q; break;
				}
				/* exact by construction wherever L/odd(P) >= 8 (>= 4
				 * for the fp8 types) */
				if (int_limit(dt) / odd_part(p) >= (dt->size == 1 ? 4 : 8)) {
					if (!(representable(dt, q) && (int64_t)s % odd_part(p) == 0)) {
						printf("# %s avg P=%d idx=%zu: quotient %.17g/%d not exact\n",
						       dt->name, p, idx, s, p);
						return 0;
					}
					++*exact_avg;
				}
			}
		}
	} else if (v->op->id == CB_OP_PROD) {
		int k = 0, neg = 0;
		for (int r = 0; r < p; r++) {
			int e;
			double x = cb_value_in(v, r, idx);
			if (!is_pow2(x, &e)) {
				printf("# %s prod: input %g is not +-2^k\n", dt->name, x);
				return 0;
			}
			k += e;
			neg ^= x < 0;
		}
		if (k > exp_limit(dt)) {
			printf("# %s prod P=%d idx=%zu: 2^%d beyond the exact range\n", dt->name, p, idx, k);
			return 0;
		}
		want = ldexp_(neg ? -1 : 1, k);
	} else {
		want = cb_value_in(v, 0, idx);
		for (int r = 1; r < p; r++) {
			double x = cb_value_in(v, r, idx);
			if (v->op->id == CB_OP_MIN ? x < want : x > want)
				want = x;
		}
	}
	if (gold != want || signbit(gold) != signbit(want) || !representable(dt, gold)) {
		printf("# %s %s P=%d iter=%u idx=%zu: golden %.17g, fold %.17g\n", dt->name,
		       v->op ? v->op->name : "none", p, v->iter, idx, gold, want);
		return 0;
	}
	return 1;
}

static const size_t sample_idx[] = {
	0, 1, 2, 3, 63, 64, 255, 256, 1000, 123457, 4294967295ull, 4294967296ull,
	(1ull << 40) - 2, (1ull << 40) - 1,
};
static const unsigned sample_iter[] = { 0, 1, 7, (1u << 20) - 1 };
static const int sample_p[] = { 1, 2, 3, 5, 8, 16, 512 };

/* op index CB_NREDOPS stands for op == NULL */
static const struct cb_redop *op_at(size_t o) { return o < cb_nredops ? &cb_redops[o] : NULL; }

static void test_golden(void)
{
	for (size_t t = 0; t < cb_ndtypes; t++) {
		const struct cb_dtype *dt = &cb_dtypes[t];
		for (size_t o = 0; o <= cb_nredops; o++) {
			const struct cb_redop *op = op_at(o);
			int ok = 1, exact = 0;
			for (size_t pi = 0; pi < sizeof sample_p / sizeof sample_p[0] && ok; pi++)
				for (size_t it = 0; it < sizeof sample_iter / sizeof sample_iter[0] && ok; it++) {
					struct cb_values v;
					cb_values_init(&v, dt, op, sample_p[pi], sample_iter[it]);
					for (size_t k = 0; k < sizeof sample_idx / sizeof sample_idx[0] && ok; k++)
						ok &= check_element(&v, sample_idx[k], &exact);
				}
			/* every P in 1..512 at a few elements */
			for (int p = 1; p <= 512 && ok; p++) {
				struct cb_values v;
				cb_values_init(&v, dt, op, p, (unsigned)p * 977u);
				ok &= check_element(&v, (size_t)p * 65537u, &exact);
				ok &= check_element(&v, (1ull << 40) - 1 - (size_t)p, &exact);
			}
			CHECK(ok, "%s %s: golden == exact fold over ranks, inputs/partials/golden exact (P 1..512, idx < 2^40, iter < 2^20)%s",
			      dt->name, op ? op->name : "(none)",
			      op && op->id == CB_OP_AVG && dt->is_float ? " (exact quotients checked)" : "");
			if (op && op->id == CB_OP_AVG && dt->is_float)
				CHECK(exact > 0, "%s avg: %d exact quotients", dt->name, exact);
		}
	}
}

/* fills == closed forms, compare counts a 1-ULP error, iterations differ */
static void test_fill_compare(void)
{
	enum { N = 1100 };
	static unsigned char buf[N * 8], ref[N * 8], exp2[N * 8];
	static const size_t idx0s[] = { 0, 12345, (1ull << 40) - N };

	for (size_t t = 0; t < cb_ndtypes; t++) {
		const struct cb_dtype *dt = &cb_dtypes[t];
		size_t es = dt->size;
		for (size_t o = 0; o <= cb_nredops; o++) {
			const struct cb_redop *op = op_at(o);
			int fill_ok = 1, cmp_ok = 1, iter_ok = 1;
			uint64_t tol = cb_values_tolerance(dt, op);
			for (size_t pi = 0; pi < sizeof sample_p / sizeof sample_p[0]; pi++) {
				int p = sample_p[pi];
				for (size_t k = 0; k < sizeof idx0s / sizeof idx0s[0]; k++) {
					struct cb_values v, w;
					size_t idx0 = idx0s[k], changed;
					int ranks[3] = { 0, p / 2, p - 1 };
					cb_values_init(&v, dt, op, p, 5);
					cb_values_init(&w, dt, op, p, 6);
					for (int ri = 0; ri < 3; ri++) {
						cb_values_fill_in(&v, buf, ranks[ri], idx0, N);
						for (size_t i = 0; i < N; i++)
							dt->store(ref, i, cb_value_in(&v, ranks[ri], idx0 + i));
						fill_ok &= !memcmp(buf, ref, N * es);
						/* inputs change from one check iteration to the next */
						cb_values_fill_in(&w, exp2, ranks[ri], idx0, N);
						changed = 0;
						for (size_t i = 0; i < N; i++)
							changed += memcmp(buf + i * es, exp2 + i * es, es) != 0;
						iter_ok &= changed > 0;
						if (!op)
							iter_ok &= changed >= N / 2;
					}
					cb_values_fill_reduced(&v, buf, idx0, N);
					for (size_t i = 0; i < N; i++)
						dt->store(ref, i, cb_value_reduced(&v, idx0 + i));
					fill_ok &= !memcmp(buf, ref, N * es);
					/* outputs change too (except where no information fits:
					 * 8-bit avg over > 128 ranks is 0 whatever the inputs) */
					cb_values_fill_reduced(&w, exp2, idx0, N);
					changed = 0;
					for (size_t i = 0; i < N; i++)
						changed += memcmp(buf + i * es, exp2 + i * es, es) != 0;
					if (!(op && op->id == CB_OP_AVG && es == 1 && p > 128))
						iter_ok &= changed >= N / 4;
					/* compare: exact copy 0 wrong; 1 ULP off at one element,
					 * and at every element */
					memcpy(ref, buf, N * es);
					cmp_ok &= cb_values_compare(&v, ref, buf, N) == 0;
					ref[(N / 2) * es] ^= 1; /* lowest bit: 1 ULP (or 1) away */
					cmp_ok &= cb_values_compare(&v, ref, buf, N) == (tol >= 1 ? 0 : 1);
					ref[(N / 2) * es] ^= 1;
					for (size_t i = 0; i < N; i++)
						ref[i * es] ^= 1;
					cmp_ok &= cb_values_compare(&v, ref, buf, N) == (tol >= 1 ? 0 : N);
					cmp_ok &= cb_values_compare(&v, ref, buf, 0) == 0;
				}
			}
			CHECK(fill_ok, "%s %s: fill_in/fill_reduced == cb_value_in/cb_value_reduced (3 ranks, 3 offsets up to 2^40, 7 P)",
			      dt->name, op ? op->name : "(none)");
			CHECK(iter_ok, "%s %s: inputs and outputs change between check iterations", dt->name,
			      op ? op->name : "(none)");
			CHECK(cmp_ok && tol == 0, "%s %s: tolerance %llu; a 1-ULP error is counted at one and at every element",
			      dt->name, op ? op->name : "(none)", (unsigned long long)tol);
		}
	}
	/* -0 against +0 is wrong for floats (bit patterns differ) */
	{
		struct cb_values v;
		float z[2] = { 0.0f, -0.0f }, pz[2] = { 0.0f, 0.0f };
		cb_values_init(&v, cb_dtype_find("float"), cb_redop_find("sum"), 2, 0);
		CHECK(cb_values_compare(&v, z, pz, 2) == 1, "float: -0 against +0 counts as wrong");
	}
	/* op == NULL: ranks hold distinct values (wide types) */
	{
		int ok = 1;
		for (size_t t = 0; t < cb_ndtypes; t++) {
			const struct cb_dtype *dt = &cb_dtypes[t];
			struct cb_values v;
			if (dt->size < 4)
				continue;
			cb_values_init(&v, dt, NULL, 16, 3);
			for (int r = 0; r < 16; r++)
				for (int q = 0; q < r; q++)
					ok &= cb_value_in(&v, r, 77) != cb_value_in(&v, q, 77);
		}
		CHECK(ok, "op == NULL: 16 ranks hold 16 distinct values (32/64-bit types)");
	}
}

int main(void)
{
	test_conversions();
	test_kernels();
	test_golden();
	test_fill_compare();
	UNIT_EXIT();
}
