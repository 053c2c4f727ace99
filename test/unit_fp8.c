/* unit_fp8.c: the f8e4m3 and f8e5m2 conversions (fp8.h) against every bit
 * pattern, with expectations derived here from the formats' definitions
 * (OCP 8-bit floating point spec, NCCL/CUDA __NV_SATFINITE conversion) in
 * plain double arithmetic, not from the code under test:
 *  - fp8 -> float for all 256 patterns of each: value, sign of zero, NaN
 *    (e4m3: S.1111.111 only), infinity (e5m2: S.11111.00);
 *  - float -> fp8 for every finite pattern's value (round trip), every
 *    midpoint between neighbours (ties to even) and the floats just either
 *    side of it, below half the smallest subnormal (signed zero), beyond the
 *    largest finite value, infinities (saturate) and NaNs (0x7f). */
#include <math.h> /* macros only: isnan, isinf, signbit, INFINITY, NAN (no -lm) */
#include <string.h>

#include "collbench/fp8.h"
#include "unit.h"

struct fmt {
	const char *name;
	int ebits, mbits, bias;
	int e4m3;   /* OCP E4M3: no infinity, NaN only at mantissa all ones */
	uint8_t maxfin;
	float (*to_float)(uint8_t);
	uint8_t (*from_float)(float);
};

static double pow2(int k)
{
	double r = 1;
	for (; k > 0; k--)
		r *= 2;
	for (; k < 0; k++)
		r /= 2;
	return r;
}

/* The definition: (-1)^s * 2^(1-bias) * m/2^M for exponent 0, else
 * (-1)^s * 2^(e-bias) * (1 + m/2^M); specials as the format says.
 * kind: 0 finite, 1 infinity, 2 NaN. */
static double ref_value(const struct fmt *f, unsigned b, int *kind)
{
	unsigned s = b >> 7, e = (b >> f->mbits) & ((1u << f->ebits) - 1), m = b & ((1u << f->mbits) - 1);
	double v;
	*kind = 0;
	if (f->e4m3 && e == 15 && m == 7)
		*kind = 2;
	else if (!f->e4m3 && e == 31)
		*kind = m ? 2 : 1;
	if (*kind)
		return 0;
	if (e == 0)
		v = pow2(1 - f->bias) * m / (double)(1u << f->mbits);
	else
		v = pow2((int)e - f->bias) * (1.0 + m / (double)(1u << f->mbits));
	return s ? -v : v;
}

static int same_float(float a, float b)
{
	uint32_t x, y;
	memcpy(&x, &a, 4);
	memcpy(&y, &b, 4);
	return x == y;
}

static float next_after_up(float f) /* f >= 0 finite */
{
	uint32_t u;
	memcpy(&u, &f, 4);
	u++;
	memcpy(&f, &u, 4);
	return f;
}

static float next_after_down(float f) /* f > 0 */
{
	uint32_t u;
	memcpy(&u, &f, 4);
	u--;
	memcpy(&f, &u, 4);
	return f;
}

static void test_decode(const struct fmt *f)
{
	int ok = 1, nnan = 0, ninf = 0;
	for (unsigned b = 0; b < 256; b++) {
		int kind;
		double want = ref_value(f, b, &kind);
		float got = f->to_float((uint8_t)b);
		if (kind == 2) {
			ok &= isnan(got) && !!signbit(got) == !!(b & 0x80);
			nnan++;
		} else if (kind == 1) {
			ok &= isinf(got) && !!signbit(got) == !!(b & 0x80);
			ninf++;
		} else {
			ok &= same_float(got, (float)want) && (double)got == want &&
			      !!signbit(got) == !!(b & 0x80);
		}
		if (!ok) {
			printf("# %s: 0x%02x -> %a, want %a (kind %d)\n", f->name, b, got, want, kind);
			break;
		}
	}
	CHECK(ok, "%s -> float: all 256 patterns (value, sign of zero, %d NaN, %d infinities)",
	      f->name, nnan, ninf);
	CHECK(f->e4m3 ? nnan == 2 && ninf == 0 : nnan == 6 && ninf == 2,
	      "%s: %s", f->name, f->e4m3 ? "2 NaN patterns, no infinity" : "6 NaN patterns, 2 infinities");
}

/* Expected float -> fp8 of x, from the ordered positive finite values:
 * round to nearest, ties to the pattern with an even mantissa (the even
 * pattern), beyond the largest finite value saturate. */
static uint8_t ref_round(const struct fmt *f, double x)
{
	uint8_t sign = signbit(x) ? 0x80 : 0;
	double a = x < 0 ? -x : x, lo_v, hi_v;
	int kind;
	unsigned lo = 0;
	if (isnan(x))
		return 0x7f;
	if (a >= ref_value(f, f->maxfin, &kind))
		return sign | f->maxfin;
	while (lo < f->maxfin && ref_value(f, lo + 1, &kind) <= a)
		lo++;
	lo_v = ref_value(f, lo, &kind);
	hi_v = ref_value(f, lo + 1, &kind);
	if (a - lo_v < hi_v - a || (a - lo_v == hi_v - a && !(lo & 1)))
		return sign | (uint8_t)lo;
	return sign | (uint8_t)(lo + 1);
}

static void test_encode(const struct fmt *f)
{
	int rt = 1, ties = 1, near = 1, edge = 1, nties = 0;
	double maxv, minsub;
	int kind;

	for (unsigned b = 0; b < 256; b++) {
		double v = ref_value(f, b, &kind);
		if (kind == 0)
			rt &= f->from_float((float)v) == b;
		if (kind == 0 && (b & 0x7f) < f->maxfin) {
			/* the midpoint to the next larger magnitude, exact in float */
			double w = ref_value(f, b + 1, &kind), mid = (v + w) / 2;
			float fm = (float)mid, fa = fm < 0 ? -fm : fm;
			uint8_t even = (b & 1) ? (uint8_t)(b + 1) : (uint8_t)b;
			ties &= (double)fm == mid && f->from_float(fm) == even &&
				f->from_float(fm) == ref_round(f, mid);
			nties++;
			/* one float either side of the tie */
			if (fa > 0) {
				float up = next_after_up(fa), dn = next_after_down(fa);
				uint8_t s = b & 0x80;
				near &= f->from_float(s ? -up : up) == (uint8_t)((b & 0x80) | ((b & 0x7f) + 1));
				near &= f->from_float(s ? -dn : dn) == (uint8_t)b;
				near &= f->from_float(s ? -up : up) == ref_round(f, s ? -up : up);
			}
		}
	}
	CHECK(rt, "float -> %s: every finite pattern's value maps back to the pattern (254 or 248)", f->name);
	CHECK(ties, "float -> %s: all %d midpoints between neighbours round to the even pattern", f->name, nties);
	CHECK(near, "float -> %s: one float above / below every midpoint rounds up / down", f->name);

	maxv = ref_value(f, f->maxfin, &kind);
	minsub = ref_value(f, 1, &kind);
	/* beyond the largest finite value: saturation (CUDA __NV_SATFINITE) */
	edge &= f->from_float((float)(maxv * 1.0625)) == f->maxfin;     /* below the next tie */
	edge &= f->from_float((float)(maxv * 1.125)) == f->maxfin;      /* the tie past max */
	edge &= f->from_float((float)(maxv * 4)) == f->maxfin;
	edge &= f->from_float(-(float)(maxv * 4)) == (0x80 | f->maxfin);
	edge &= f->from_float(3.4028234663852886e38f) == f->maxfin;
	edge &= f->from_float(INFINITY) == f->maxfin;
	edge &= f->from_float(-INFINITY) == (0x80 | f->maxfin);
	CHECK(edge, "float -> %s: beyond %g and +-infinity saturate to 0x%02x / 0x%02x", f->name, maxv,
	      f->maxfin, 0x80 | f->maxfin);
	edge = f->from_float(NAN) == 0x7f && f->from_float(-NAN) == 0x7f;
	{
		uint32_t u = 0x7f800001u;
		float n;
		memcpy(&n, &u, 4);
		edge &= f->from_float(n) == 0x7f;
	}
	CHECK(edge, "float -> %s: NaN (quiet, negative, signalling payload) -> 0x7f", f->name);
	edge = f->from_float((float)(minsub / 2)) == 0x00 && f->from_float(-(float)(minsub / 2)) == 0x80;
	edge &= f->from_float(next_after_up((float)(minsub / 2))) == 0x01;
	edge &= f->from_float(0x1p-149f) == 0x00 && f->from_float(-0.0f) == 0x80 && f->from_float(0.0f) == 0;
	edge &= f->from_float((float)(minsub * 1.5)) == 0x02;   /* tie 1 -> 2 */
	edge &= f->from_float((float)(minsub * 2.5)) == 0x02;   /* tie 2 stays */
	CHECK(edge, "float -> %s: half the smallest subnormal -> signed zero, just above -> 0x01, subnormal ties",
	      f->name);
	/* a dense sample of floats against the reference rounding */
	edge = 1;
	for (uint32_t u = 0; u < 0x7f800000u && edge; u += 65599) {
		float x;
		memcpy(&x, &u, 4);
		edge &= f->from_float(x) == ref_round(f, x);
		edge &= f->from_float(-x) == ref_round(f, -(double)x);
	}
	CHECK(edge, "float -> %s: 32K floats over the whole range match the reference rounding", f->name);
}

int main(void)
{
	static const struct fmt fmts[] = {
		{ "f8e4m3", 4, 3, 7, 1, 0x7e, cb_f8e4m3_to_float, cb_float_to_f8e4m3 },
		{ "f8e5m2", 5, 2, 15, 0, 0x7b, cb_f8e5m2_to_float, cb_float_to_f8e5m2 },
	};
	int kind;
	CHECK(ref_value(&fmts[0], 0x7e, &kind) == 448 && ref_value(&fmts[1], 0x7b, &kind) == 57344 &&
	      ref_value(&fmts[0], 0x01, &kind) == 0x1p-9 && ref_value(&fmts[1], 0x01, &kind) == 0x1p-16,
	      "reference: largest finite 448 / 57344, smallest subnormal 2^-9 / 2^-16 (OCP)");
	for (size_t i = 0; i < 2; i++) {
		test_decode(&fmts[i]);
		test_encode(&fmts[i]);
	}
	UNIT_EXIT();
}
