/* verify.c: closed-form inputs and goldens, exact by construction.
 *
 * Notation: P ranks, rank r, element index idx, check iteration it,
 *     t = idx + 1031*it          (1031 is prime: no modulus below used
 *                                 divides it, so every input changes between
 *                                 consecutive iterations)
 *     j = (r - t) mod P          (the rank's slot: which ranks play which
 *                                 part rotates from element to element)
 * Each dtype has B value bits, the integers it holds exactly (and that a
 * double holds, since cb_value_in() returns one):
 *     int8 8, uint8 8, int32 32, uint32 32, int64 54 (|v| <= 2^53),
 *     uint64 53, half 12 (|v| <= 2^11), float 25 (2^24), double 54 (2^53),
 *     bfloat16 9 (2^8), f8e4m3 5 (2^4 = 16), f8e5m2 4 (2^3 = 8).
 * and L = 2^(B-1) for signed types, 2^B for unsigned ones: every integer in
 * [-L, L] (resp. [0, L]) is exact, and so is every sum of values of one sign
 * whose magnitudes add up to at most L, in any order.
 *
 * sum, avg on int8, uint8, int32, uint32 (wrapping):
 *     in  = (t*K1 + r*K2 + [j == 0] * t*(1 - P*K1)) mod 2^B
 *     sum = (t + K2*P(P-1)/2) mod 2^B
 *   read as the signed or unsigned type. The kernels add in the unsigned
 *   type, i.e. in Z/2^B, which is exact and order independent, so the inputs
 *   use the whole range (K1, K2 odd constants). The rank in slot 0 cancels
 *   the P*t*K1 part of the total, so the sum moves by 1 from element to
 *   element and by 1031 (odd, never 0 mod 2^B) from iteration to iteration
 *   for every P (P*t*K1 alone would stand still for P = 256 on 8 bits).
 *   avg = sum (as the signed/unsigned type) / P in C integer division
 *   (truncating toward zero), NCCL's integer average; for 8-bit types and
 *   P > 128 it is therefore nearly always 0, whatever the inputs.
 *
 * sum, avg on int64, uint64, half, float, double, bfloat16 (bounded):
 *     g = min(P, largest g with g(g-1)/2 <= L'/2)       active ranks
 *     A = largest power of two <= (L' - g(g-1)/2)/g + 1  (A >= 2)
 *     e   = (t*K1) mod A                  element term (K1 odd: e runs
 *                                         through all of 0..A-1 within A
 *                                         elements, so even short buffers
 *                                         reach the edge of the exact range)
 *     in  = s * sgn * (e + j)  if j < g,   0 otherwise
 *     sum = s * sgn * (g*e + g(g-1)/2)
 *   sgn = -1 for odd t on signed types (all inputs of one element share the
 *   sign, so no partial sum exceeds the total), +1 otherwise. For sum s = 1
 *   and L' = L; every partial sum is an integer of magnitude <= L: exact.
 *   For large P only g ranks (rotating with t) are nonzero, like nccl-tests'
 *   few contributors.
 *   avg: integer types: s = 1 and avg = sum / P (C division, exact integer
 *   arithmetic). Floating types: s = o, the odd part of P (P = o*2^k), and
 *   L' = floor(L/o) when L/o >= 8: then sum = o*W and avg = W/2^k is exact
 *   (no rounding at all). Where L/o < 8 (bfloat16 with o > 32, half with
 *   o > 256; for the fp8 types, whose L is 16 and 8, the bound is 4, which
 *   still leaves g = 2 and A = 2: f8e4m3 with o = 3, f8e5m2 only with o =
 *   1) no useful multiple of o fits, so s = 1, L' = L, and the golden
 *   is computed exactly as cb_reduce_finish computes it: (float)sum /
 *   (float)P rounded once to the type (double: sum / P in double). Either
 *   way the golden is bit exact.
 *
 * mulsum (each rank's input times s_r = 1 + (r & 1), nccl-tests' scalar,
 * then summed): integers that wrap: the wrapping inputs above, and
 *     mulsum = sum + sum over odd r of in_r
 *            = sum + (P/2)*t*K1 + K2*(P/2)^2 + [t mod P odd] * t*(1 - P*K1)
 *   (P/2 odd ranks, whose numbers add up to (P/2)^2; the slot-0 rank is
 *   t mod P). Others: the bounded inputs with L' = L/2 (a product is at
 *   most twice its input, so every partial sum of products stays <= L):
 *     mulsum = sgn * (g*e + g(g-1)/2 + X),  X = sum of (e + j) over the
 *   slots j < g whose rank (j + t) mod P is odd: for even P the j of one
 *   parity, for odd P one parity below P - (t mod P) and the other from
 *   there (where (j + t) wraps past P), each a closed form (par_sum).
 *
 * min, max:
 *     M = power of two in [min(64, 2^B), min(1024, 2^B)], >= 2P if that fits
 *     W = min(P, M/2)
 *     x = (t + (r mod W)) mod M           W consecutive residues mod M
 *     in  = (x - M/2) * s   signed, s = max(1, 2^(B-1)/(M/2) - 1)
 *     in  = x * s           unsigned, s = max(1, (2^B - 1)/(M - 1))
 *   so inputs spread over the type's exact range, in is increasing in x,
 *   and the window of x over the ranks gives
 *     x_min = 0 and x_max = M-1          if (t mod M) + W > M (it wraps)
 *     x_min = t mod M, x_max = x_min+W-1 otherwise
 *   Ranks hold distinct values when P <= M/2; W < M keeps the extremes
 *   moving with t even when P outnumbers the values (int8, bfloat16).
 *   min and max select one input: no rounding exists.
 *
 * prod (powers of two, nccl-tests style: few factors != 1):
 *     G = per type: int8 4, uint8 5, int32 20, uint32 21, int64 41,
 *         uint64 42, half 10, float 80, double 512, bfloat16 80, f8e4m3 5,
 *         f8e5m2 10
 *     g = t mod (min(P, G) + 1)           ranks with a factor != 1
 *     in  = c_j * 2^(1 + (j & 1))  if j < g,   1 otherwise
 *     c_j = -1 if the type is signed and (j + t) mod 3 == 0, else +1
 *     prod = (-1)^N * 2^(g + floor(g/2)),  N = #{ j < g : (j + t) mod 3 == 0 }
 *   The exponent stays <= G + G/2: 6 for int8, 7 uint8, 30 int32, 31 uint32,
 *   61 int64, 63 uint64, 15 half, 120 float and bfloat16, 768 double,
 *   7 f8e4m3 (448 < 2^9), 15 f8e5m2 (57344 < 2^16), so
 *   every partial product is an exact power of two (integers multiply in
 *   the unsigned type: no signed overflow).
 *
 * op == NULL (data movement):
 *     h = mix(idx*K1 + (r+1)*K2 + it*K3),  x = top B bits of h
 *     in = x - 2^(B-1) (signed types) or x (unsigned): exact, and distinct
 *     between ranks, elements and iterations as far as B bits allow.
 *
 * Every golden above is O(1) per element (no loop over P). The fill
 * functions compute the same formulas incrementally (no division per
 * element) into a block of doubles and store the block with one typed loop;
 * unit_dtype checks them against cb_value_in/cb_value_reduced.
 *
 * Split (file sizes): this file holds the scheme (parameters per dtype and
 * op) and the one-element formulas' entry points; the block fills, the
 * typed stores and the comparison moved to verify_buf.c, and the small
 * per-element formulas both need to verify_formula.h (static inline, so
 * the fill loops still inline them). */
#include <string.h>

#include "collbench/fp8.h"
#include "collbench/half.h"
#include "collbench/verify.h"
#include "verify_formula.h"

struct dtype_scheme {
	int bits;      /* B */
	int wrap;      /* integer whose sum wraps over its full width */
	unsigned prod; /* G */
};

static const struct dtype_scheme schemes[CB_NDTYPES] = {
	[CB_INT8] = { 8, 1, 4 },
	[CB_UINT8] = { 8, 1, 5 },
	[CB_INT32] = { 32, 1, 20 },
	[CB_UINT32] = { 32, 1, 21 },
	[CB_INT64] = { 54, 0, 41 },
	[CB_UINT64] = { 53, 0, 42 },
	[CB_HALF] = { 12, 0, 10 },
	[CB_FLOAT] = { 25, 0, 80 },
	[CB_DOUBLE] = { 54, 0, 512 },
	[CB_BFLOAT16] = { 9, 0, 80 },
	[CB_F8E4M3] = { 5, 0, 5 },
	[CB_F8E5M2] = { 4, 0, 10 },
};

static uint64_t pow2_floor(uint64_t x)
{
	uint64_t p = 1;
	while (p <= x / 2)
		p *= 2;
	return p;
}

/* The bounded sum's g and A for budget l (l >= 1). */
static void bounded_params(uint64_t p, uint64_t l, uint64_t *g, uint64_t *a)
{
	uint64_t k = 1;
	while (k < p && (k + 1) * k / 2 <= l / 2)
		k++;
	*g = k;
	*a = pow2_floor((l - k * (k - 1) / 2) / k + 1);
}

void cb_values_init(struct cb_values *v, const struct cb_dtype *dt,
		    const struct cb_redop *op, int nranks, unsigned iter)
{
	const struct dtype_scheme *s = &schemes[dt->id];
	uint64_t p = nranks > 0 ? (uint64_t)nranks : 1;
	uint64_t l;

	memset(v, 0, sizeof *v);
	v->dt = dt;
	v->op = op;
	v->nranks = (int)p;
	v->iter = iter;
	v->t0 = (uint64_t)ITER_STEP * iter;
	v->nbits = s->bits;
	v->neg = dt->is_signed;
	v->scale = 1;
	l = v->neg ? 1ull << (s->bits - 1) : 1ull << s->bits;

	if (!op) {
		v->family = FAM_DATA;
		v->span = 1ull << s->bits;
		return;
	}
	switch (op->id) {
	case CB_OP_SUM:
	case CB_OP_AVG:
	case CB_OP_MULSUM:
		if (s->wrap) {
			v->family = FAM_WRAP;
			v->span = 1ull << s->bits;
			break;
		}
		v->family = FAM_BOUNDED;
		if (op->id == CB_OP_MULSUM)
			l /= 2;
		if (op->id == CB_OP_AVG && dt->is_float) {
			uint64_t o = p;
			while (!(o & 1))
				o /= 2;
			if (l / o >= (s->bits < 8 ? 4u : 8u)) {
				v->scale = o;
				l /= o;
				v->avg_exact = 1;
			}
		}
		bounded_params(p, l, &v->active, &v->span);
		break;
	case CB_OP_MIN:
	case CB_OP_MAX: {
		uint64_t cap = s->bits >= 10 ? 1024 : 1ull << s->bits, m = cap < 64 ? cap : 64;
		v->family = FAM_MINMAX;
		while (m < 2 * p && m < cap)
			m *= 2;
		v->span = m;
		if (v->neg) {
			uint64_t k = (1ull << (s->bits - 1)) / (m / 2);
			v->scale = k > 1 ? k - 1 : 1;
		} else {
			uint64_t k = ((1ull << s->bits) - 1) / (m - 1);
			v->scale = k > 1 ? k : 1;
		}
		break;
	}
	case CB_OP_PROD:
	default:
		v->family = FAM_PROD;
		v->active = p < s->prod ? p : s->prod;
		v->span = v->active + 1;
		break;
	}
}

/* --- the formulas, one element ------------------------------------------ */

/* avg of the exact sum S, as cb_reduce_finish computes it. */
double cbv_avg_of(const struct cb_values *v, double s)
{
	int p = v->nranks;
	switch (v->dt->id) {
	case CB_HALF: return cb_half_to_float(cb_float_to_half((float)s / (float)p));
	case CB_BFLOAT16: return cb_bf16_to_float(cb_float_to_bf16((float)s / (float)p));
	case CB_F8E4M3: return cb_f8e4m3_to_float(cb_float_to_f8e4m3((float)s / (float)p));
	case CB_F8E5M2: return cb_f8e5m2_to_float(cb_float_to_f8e5m2((float)s / (float)p));
	case CB_FLOAT: return (float)s / (float)p;
	case CB_DOUBLE: return s / (double)p;
	case CB_UINT8: case CB_UINT32: case CB_UINT64:
		return (double)((uint64_t)s / (uint64_t)p);
	default:
		return (double)((int64_t)s / (int64_t)p);
	}
}

double cb_value_in(const struct cb_values *v, int rank, size_t idx)
{
	uint64_t p = (uint64_t)v->nranks, r = (uint64_t)rank, t = (uint64_t)idx + v->t0;

	switch (v->family) {
	case FAM_DATA:
		return data_value(v, r, idx);
	case FAM_WRAP:
		return wrap_to_value(v, t * K1 + r * K2 + (slot(p, r, t) == 0 ? t * wrap_fix(p) : 0));
	case FAM_BOUNDED: {
		uint64_t j = slot(p, r, t);
		double w;
		if (j >= v->active)
			return 0;
		w = (double)(v->scale * (((t * K1) & (v->span - 1)) + j));
		return v->neg && (t & 1) ? -w : w;
	}
	case FAM_MINMAX:
		return minmax_value(v, (t + r % minmax_window(v)) & (v->span - 1));
	default: {
		uint64_t j = slot(p, r, t), g = t % v->span;
		double f;
		if (j >= g)
			return 1;
		f = (j & 1) ? 4 : 2;
		return v->neg && (j + t) % 3 == 0 ? -f : f;
	}
	}
}

/* sum of (e + j) over the j in [0, x) with j mod 2 == q: c = #such j, and
 * they are q, q+2, ..., so the j add up to c*q + c(c-1). */
static uint64_t par_sum(uint64_t e, uint64_t x, uint64_t q)
{
	uint64_t c = (x + 1 - q) / 2;
	return c * e + c * q + c * (c - 1);
}

/* mulsum, bounded: X, the inputs of the odd ranks among the g active slots. */
static uint64_t odd_extra(const struct cb_values *v, uint64_t t, uint64_t e)
{
	uint64_t p = (uint64_t)v->nranks, g = v->active, tp = t % p, m;
	if (!(p & 1))
		return par_sum(e, g, (1 + tp) & 1);
	m = g < p - tp ? g : p - tp;
	return par_sum(e, m, (1 + tp) & 1) + par_sum(e, g, tp & 1) - par_sum(e, m, tp & 1);
}

static int is_mulsum(const struct cb_values *v)
{
	return v->op && v->op->id == CB_OP_MULSUM;
}

double cbv_sum_value(const struct cb_values *v, uint64_t t)
{
	uint64_t p = (uint64_t)v->nranks, g = v->active, e, w;
	if (v->family == FAM_WRAP) {
		uint64_t h = t + K2 * (p * (p - 1) / 2);
		if (is_mulsum(v))
			h += (p / 2) * t * K1 + K2 * (p / 2) * (p / 2) + ((t % p) & 1 ? t * wrap_fix(p) : 0);
		return wrap_to_value(v, h);
	}
	e = (t * K1) & (v->span - 1);
	w = v->scale * (g * e + g * (g - 1) / 2) + (is_mulsum(v) ? odd_extra(v, t, e) : 0);
	return v->neg && (t & 1) ? -(double)w : (double)w;
}

double cb_value_reduced(const struct cb_values *v, size_t idx)
{
	uint64_t t = (uint64_t)idx + v->t0;

	switch (v->family) {
	case FAM_DATA:
		return data_value(v, 0, idx);
	case FAM_WRAP:
	case FAM_BOUNDED:
		return v->op->id == CB_OP_AVG ? cbv_avg_of(v, cbv_sum_value(v, t)) : cbv_sum_value(v, t);
	case FAM_MINMAX: {
		uint64_t m = v->span, w = minmax_window(v), tm = t & (m - 1), wraps = tm + w > m;
		if (v->op->id == CB_OP_MIN)
			return minmax_value(v, wraps ? 0 : tm);
		return minmax_value(v, wraps ? m - 1 : tm + w - 1);
	}
	default:
		return prod_value(t % v->span, (3 - t % 3) % 3, v->neg);
	}
}

