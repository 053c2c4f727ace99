/* verify_buf.c: the block fills and the comparison of the value scheme
 * (verify.c): the same formulas computed incrementally, a block of doubles
 * at a time, stored with one typed loop, and checked bit for bit.
 *
 * Moved out of verify.c (file sizes): these are the loops over buffers;
 * verify.c keeps the scheme and the one-element formulas they must agree
 * with (unit_dtype checks them against each other). */
#include <string.h>

#include "collbench/fp8.h"
#include "collbench/half.h"
#include "collbench/verify.h"
#include "verify_formula.h"

/* --- fills: the same formulas, incrementally, a block at a time ---------- */

static void gen_in(const struct cb_values *v, double *out, uint64_t r, uint64_t idx, size_t n)
{
	uint64_t p = (uint64_t)v->nranks, t = idx + v->t0;

	switch (v->family) {
	case FAM_DATA:
		for (size_t i = 0; i < n; i++)
			out[i] = data_value(v, r, idx + i);
		break;
	case FAM_WRAP: {
		uint64_t h = t * K1 + r * K2, j = slot(p, r, t), fix = wrap_fix(p);
		for (size_t i = 0; i < n; i++, h += K1, t++) {
			out[i] = wrap_to_value(v, j ? h : h + t * fix);
			j = j ? j - 1 : p - 1;
		}
		break;
	}
	case FAM_BOUNDED: {
		uint64_t j = slot(p, r, t), mask = v->span - 1, g = v->active, s = v->scale;
		for (size_t i = 0; i < n; i++, t++) {
			double w = (double)(s * (((t * K1) & mask) + j));
			out[i] = j >= g ? 0 : v->neg && (t & 1) ? -w : w;
			j = j ? j - 1 : p - 1;
		}
		break;
	}
	case FAM_MINMAX: {
		uint64_t x = t + r % minmax_window(v), mask = v->span - 1;
		for (size_t i = 0; i < n; i++, x++)
			out[i] = minmax_value(v, x & mask);
		break;
	}
	default: {
		uint64_t j = slot(p, r, t), g = t % v->span, m3 = (j + t) % 3;
		for (size_t i = 0; i < n; i++) {
			double f = j < g ? ((j & 1) ? 4 : 2) : 1;
			out[i] = v->neg && j < g && m3 == 0 ? -f : f;
			/* t + 1: j - 1 (mod P), g + 1 (mod G+1), j + t unchanged
			 * unless j wraps from 0 to P-1 (then + P). */
			if (j) {
				j--;
			} else {
				j = p - 1;
				m3 = (m3 + p) % 3;
			}
			g = g + 1 == v->span ? 0 : g + 1;
		}
		break;
	}
	}
}

static void gen_reduced(const struct cb_values *v, double *out, uint64_t idx, size_t n)
{
	uint64_t t = idx + v->t0;
	int avg = v->op && v->op->id == CB_OP_AVG;

	switch (v->family) {
	case FAM_DATA:
		gen_in(v, out, 0, idx, n);
		break;
	case FAM_WRAP:
	case FAM_BOUNDED:
		for (size_t i = 0; i < n; i++, t++)
			out[i] = cbv_sum_value(v, t);
		if (avg)
			for (size_t i = 0; i < n; i++)
				out[i] = cbv_avg_of(v, out[i]);
		break;
	case FAM_MINMAX: {
		uint64_t m = v->span, w = minmax_window(v);
		int min = v->op->id == CB_OP_MIN;
		for (size_t i = 0; i < n; i++, t++) {
			uint64_t tm = t & (m - 1), wraps = tm + w > m;
			uint64_t x = min ? (wraps ? 0 : tm) : (wraps ? m - 1 : tm + w - 1);
			out[i] = minmax_value(v, x);
		}
		break;
	}
	default: {
		uint64_t g = t % v->span, c = (3 - t % 3) % 3;
		for (size_t i = 0; i < n; i++) {
			out[i] = prod_value(g, c, v->neg);
			g = g + 1 == v->span ? 0 : g + 1;
			c = c ? c - 1 : 2;
		}
		break;
	}
	}
}

/* buf[off + i] = src[i] in the dtype; every src value is exact in it. */
static void store_block(const struct cb_dtype *dt, void *buf, size_t off,
			const double *src, size_t n)
{
	switch (dt->id) {
#define STORE(T, EXPR)                                      \
	do {                                                \
		T *d = (T *)buf + off;                      \
		for (size_t i = 0; i < n; i++)              \
			d[i] = EXPR;                        \
	} while (0)
	case CB_INT8: STORE(int8_t, (int8_t)src[i]); break;
	case CB_UINT8: STORE(uint8_t, (uint8_t)src[i]); break;
	case CB_INT32: STORE(int32_t, (int32_t)src[i]); break;
	case CB_UINT32: STORE(uint32_t, (uint32_t)src[i]); break;
	case CB_INT64: STORE(int64_t, (int64_t)src[i]); break;
	case CB_UINT64: STORE(uint64_t, (uint64_t)src[i]); break;
	case CB_HALF: STORE(uint16_t, cb_float_to_half((float)src[i])); break;
	case CB_FLOAT: STORE(float, (float)src[i]); break;
	case CB_DOUBLE: STORE(double, src[i]); break;
	case CB_BFLOAT16: STORE(uint16_t, cb_float_to_bf16((float)src[i])); break;
	case CB_F8E4M3: STORE(uint8_t, cb_float_to_f8e4m3((float)src[i])); break;
	case CB_F8E5M2: STORE(uint8_t, cb_float_to_f8e5m2((float)src[i])); break;
	default:
		for (size_t i = 0; i < n; i++)
			dt->store(buf, off + i, src[i]);
		break;
#undef STORE
	}
}

void cb_values_fill_in(const struct cb_values *v, void *buf, int rank,
		       size_t idx0, size_t n)
{
	double tmp[BLOCK];
	for (size_t off = 0; off < n; off += BLOCK) {
		size_t m = n - off < BLOCK ? n - off : BLOCK;
		gen_in(v, tmp, (uint64_t)rank, (uint64_t)(idx0 + off), m);
		store_block(v->dt, buf, off, tmp, m);
	}
}

void cb_values_fill_reduced(const struct cb_values *v, void *buf, size_t idx0,
			    size_t n)
{
	double tmp[BLOCK];
	for (size_t off = 0; off < n; off += BLOCK) {
		size_t m = n - off < BLOCK ? n - off : BLOCK;
		gen_reduced(v, tmp, (uint64_t)(idx0 + off), m);
		store_block(v->dt, buf, off, tmp, m);
	}
}

/* Allowed ULP distance: 0 for every (dtype, op). The inputs keep every
 * partial result exact and cb_reduce_finish divides an exact sum once, the
 * way the golden is computed, so nothing is ever rounded differently.
 * (nccl-tests needs 2 ULP for float avg only because NCCL pre-multiplies
 * each input by 1/P; collbench does not.) */
uint64_t cb_values_tolerance(const struct cb_dtype *dt, const struct cb_redop *op)
{
	(void)dt;
	(void)op;
	return 0;
}

size_t cb_values_compare(const struct cb_values *v, const void *got,
			 const void *exp, size_t n)
{
	uint64_t tol = cb_values_tolerance(v->dt, v->op);
	size_t wrong = 0;

	if (tol == 0) {
		/* Bit patterns must be equal (also tells -0 from +0). */
		switch (v->dt->size) {
#define CMP(T)                                                           \
	do {                                                             \
		const T *g = got, *e = exp;                              \
		for (size_t i = 0; i < n; i++)                           \
			wrong += g[i] != e[i];                           \
	} while (0)
		case 1: CMP(uint8_t); return wrong;
		case 2: CMP(uint16_t); return wrong;
		case 4: CMP(uint32_t); return wrong;
		case 8: CMP(uint64_t); return wrong;
		default: break;
#undef CMP
		}
	}
	for (size_t i = 0; i < n; i++)
		wrong += v->dt->ulp_dist(got, exp, i) > tol;
	return wrong;
}
