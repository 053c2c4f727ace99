/* dtype.c: the datatype and reduction-op tables (nccl-tests names and
 * order), with per-type store, load and ULP distance. half and bfloat16 are
 * uint16_t bit patterns converted in software (half.h), f8e4m3 and f8e5m2
 * uint8_t bit patterns (fp8.h). */
#include <string.h>

#include "collbench/dtype.h"
#include "collbench/fp8.h"
#include "collbench/half.h"

/* Integers: the value is converted through int64 or uint64 so that any value
 * of the type's range (given as a double) is stored without undefined
 * behaviour. Integers differ by 0 or 1 "ULP": equal or not. */
#define INT_TYPE(NAME, T)                                                      \
	static void NAME##_store(void *buf, size_t i, double v)                \
	{                                                                      \
		((T *)buf)[i] = v < 0 ? (T)(int64_t)v : (T)(uint64_t)v;        \
	}                                                                      \
	static double NAME##_load(const void *buf, size_t i)                   \
	{                                                                      \
		return (double)((const T *)buf)[i];                            \
	}                                                                      \
	static uint64_t NAME##_ulp_dist(const void *a, const void *b, size_t i) \
	{                                                                      \
		return ((const T *)a)[i] != ((const T *)b)[i];                 \
	}

INT_TYPE(int8, int8_t)
INT_TYPE(uint8, uint8_t)
INT_TYPE(int32, int32_t)
INT_TYPE(uint32, uint32_t)
INT_TYPE(int64, int64_t)
INT_TYPE(uint64, uint64_t)

/* Floating types: distance counted in representable values. The sign and
 * magnitude bit pattern is mapped onto a monotonic unsigned line first
 * (negative: complement; positive: set the top bit), so -0 and +0 are 1
 * apart and the distance across zero is the sum of both sides. */
#define ULP_DIST(NAME, U, TOP)                                                  \
	static uint64_t NAME##_ulp_dist(const void *a, const void *b, size_t i) \
	{                                                                       \
		U x, y;                                                         \
		memcpy(&x, (const char *)a + i * sizeof(U), sizeof x);          \
		memcpy(&y, (const char *)b + i * sizeof(U), sizeof y);          \
		x = (x & TOP) ? (U)~x : (U)(x | TOP);                           \
		y = (y & TOP) ? (U)~y : (U)(y | TOP);                           \
		return x > y ? (uint64_t)(x - y) : (uint64_t)(y - x);           \
	}

ULP_DIST(half, uint16_t, 0x8000u)
ULP_DIST(bf16, uint16_t, 0x8000u)
ULP_DIST(f8e4m3, uint8_t, 0x80u)
ULP_DIST(f8e5m2, uint8_t, 0x80u)
ULP_DIST(float, uint32_t, 0x80000000u)
ULP_DIST(double, uint64_t, 0x8000000000000000ull)

/* Stores round to nearest even; a double that is not exactly representable
 * in half or bfloat16 is rounded twice (to float, then to the type), which
 * the value scheme never needs: its values are exact in every type. */
static void half_store(void *buf, size_t i, double v) { ((uint16_t *)buf)[i] = cb_float_to_half((float)v); }
static double half_load(const void *buf, size_t i) { return cb_half_to_float(((const uint16_t *)buf)[i]); }
static void bf16_store(void *buf, size_t i, double v) { ((uint16_t *)buf)[i] = cb_float_to_bf16((float)v); }
static double bf16_load(const void *buf, size_t i) { return cb_bf16_to_float(((const uint16_t *)buf)[i]); }
static void f8e4m3_store(void *buf, size_t i, double v) { ((uint8_t *)buf)[i] = cb_float_to_f8e4m3((float)v); }
static double f8e4m3_load(const void *buf, size_t i) { return cb_f8e4m3_to_float(((const uint8_t *)buf)[i]); }
static void f8e5m2_store(void *buf, size_t i, double v) { ((uint8_t *)buf)[i] = cb_float_to_f8e5m2((float)v); }
static double f8e5m2_load(const void *buf, size_t i) { return cb_f8e5m2_to_float(((const uint8_t *)buf)[i]); }
static void float_store(void *buf, size_t i, double v) { ((float *)buf)[i] = (float)v; }
static double float_load(const void *buf, size_t i) { return ((const float *)buf)[i]; }
static void double_store(void *buf, size_t i, double v) { ((double *)buf)[i] = v; }
static double double_load(const void *buf, size_t i) { return ((const double *)buf)[i]; }

#define ROW(NAME, FN, T, ID, F, S) { NAME, sizeof(T), FN##_store, FN##_load, FN##_ulp_dist, ID, F, S }

const struct cb_dtype cb_dtypes[] = {
	ROW("int8", int8, int8_t, CB_INT8, 0, 1),
	ROW("uint8", uint8, uint8_t, CB_UINT8, 0, 0),
	ROW("int32", int32, int32_t, CB_INT32, 0, 1),
	ROW("uint32", uint32, uint32_t, CB_UINT32, 0, 0),
	ROW("int64", int64, int64_t, CB_INT64, 0, 1),
	ROW("uint64", uint64, uint64_t, CB_UINT64, 0, 0),
	ROW("half", half, uint16_t, CB_HALF, 1, 1),
	ROW("float", float, float, CB_FLOAT, 1, 1),
	ROW("double", double, double, CB_DOUBLE, 1, 1),
	ROW("bfloat16", bf16, uint16_t, CB_BFLOAT16, 1, 1),
	ROW("f8e4m3", f8e4m3, uint8_t, CB_F8E4M3, 1, 1),
	ROW("f8e5m2", f8e5m2, uint8_t, CB_F8E5M2, 1, 1),
};
const size_t cb_ndtypes = sizeof cb_dtypes / sizeof cb_dtypes[0];

const struct cb_redop cb_redops[] = {
	{ "sum", "a + b", CB_OP_SUM },
	{ "prod", "a * b", CB_OP_PROD },
	{ "min", "smaller of a and b", CB_OP_MIN },
	{ "max", "larger of a and b", CB_OP_MAX },
	{ "avg", "sum over ranks divided by the rank count", CB_OP_AVG },
	{ "mulsum", "sum of a*s, s = 1 on even ranks, 2 on odd ranks", CB_OP_MULSUM },
};
const size_t cb_nredops = sizeof cb_redops / sizeof cb_redops[0];

_Static_assert(sizeof cb_dtypes / sizeof cb_dtypes[0] == CB_NDTYPES, "one row per dtype id");
_Static_assert(sizeof cb_redops / sizeof cb_redops[0] == CB_NREDOPS, "one row per op id");

const struct cb_dtype *cb_dtype_find(const char *name)
{
	for (size_t i = 0; i < cb_ndtypes; i++)
		if (!strcmp(cb_dtypes[i].name, name))
			return &cb_dtypes[i];
	return NULL;
}

const struct cb_redop *cb_redop_find(const char *name)
{
	for (size_t i = 0; i < cb_nredops; i++)
		if (!strcmp(cb_redops[i].name, name))
			return &cb_redops[i];
	return NULL;
}

const struct cb_dtype *cb_dtype_default(void) { return cb_dtype_find("float"); }
const struct cb_redop *cb_redop_default(void) { return cb_redop_find("sum"); }
