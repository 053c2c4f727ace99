/* reduce.c: typed reduction kernels, one per (dtype, op), shared by every
 * reducing algorithm. Plain loops over restrict-free pointers would stop gcc
 * from vectorising when dst may alias a source; the kernels take the alias
 * case (dst == a) as a separate loop so both versions vectorise. */
#include <string.h>

#include "collbench/dtype.h"

static void sum_float(void *dst, const void *a, const void *b, size_t n)
{
	const float *pb = b;
	if (dst == a) {
		float *d = dst;
		for (size_t i = 0; i < n; i++)
			d[i] += pb[i];
	} else {
		float *__restrict d = dst;
		const float *__restrict pa = a;
		for (size_t i = 0; i < n; i++)
			d[i] = pa[i] + pb[i];
	}
}

struct kernel_row {
	const char *dtype;
	const char *op;
	cb_reduce_fn fn;
};

static const struct kernel_row kernels[] = {
	{ "float", "sum", sum_float },
};

cb_reduce_fn cb_reduce_kernel(const struct cb_dtype *dt, const struct cb_redop *op)
{
	for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; i++)
		if (!strcmp(kernels[i].dtype, dt->name) && !strcmp(kernels[i].op, op->name))
			return kernels[i].fn;
	return NULL;
}

void cb_reduce_finish(const struct cb_dtype *dt, const struct cb_redop *op,
		      void *buf, size_t n, int nranks)
{
	(void)dt; (void)op; (void)buf; (void)n; (void)nranks;
}
