/* dtype.c: the datatype and reduction-op tables */
#include <string.h>

#include "collbench/dtype.h"

static void float_store(void *buf, size_t i, double v) { ((float *)buf)[i] = (float)v; }
static double float_load(const void *buf, size_t i) { return ((const float *)buf)[i]; }

/* Distance between two floats counted in representable values: map the sign
 * magnitude bit pattern onto a monotonic unsigned line first. */
static uint64_t float_ulp_dist(const void *a, const void *b, size_t i)
{
	uint32_t x, y;
	memcpy(&x, (const float *)a + i, sizeof x);
	memcpy(&y, (const float *)b + i, sizeof y);
	x = (x & 0x80000000u) ? ~x : x | 0x80000000u;
	y = (y & 0x80000000u) ? ~y : y | 0x80000000u;
	return x > y ? x - y : y - x;
}

const struct cb_dtype cb_dtypes[] = {
	{ "float", 4, float_store, float_load, float_ulp_dist },
};
const size_t cb_ndtypes = sizeof cb_dtypes / sizeof cb_dtypes[0];

const struct cb_redop cb_redops[] = {
	{ "sum", "a + b" },
};
const size_t cb_nredops = sizeof cb_redops / sizeof cb_redops[0];

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
