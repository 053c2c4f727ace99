/* stats.c: percentiles, mean, coefficient of variation and the straggler of
 * a row half's per-iteration times (definitions in stats.h). */
#include <stdlib.h>
#include <string.h>

#include "collbench/stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The build links no libm: ceil and sqrt by hand. */
static long ceil_pos(double x)
{
	long k = (long)x;
	return (double)k < x ? k + 1 : k;
}

static double sqrt_pos(double v)
{
	double x = v > 1 ? v : 1;
	if (v <= 0)
		return 0;
	for (int i = 0; i < 200; i++) {
		double nx = 0.5 * (x + v / x);
		if (nx == x)
			break;
		x = nx;
	}
	return x;
}

double cb_percentile_sorted(const double *sorted, long n, double p)
{
	long k;
	if (n <= 0)
		return 0;
	k = ceil_pos(p / 100.0 * (double)n);   /* 1-based rank */
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return sorted[k - 1];
}

void cb_stats_max_into(double *dst, const double *src, long n)
{
	for (long i = 0; i < n; i++)
		if (src[i] > dst[i])
			dst[i] = src[i];
}

void cb_stats_ends_to_times(double *v, long n, double start)
{
	double prev = start;
	for (long i = 0; i < n; i++) {
		double end = v[i];
		v[i] = end > prev ? end - prev : 0;
		prev = end > prev ? end : prev;
	}
}

void cb_stats_compute(double *v, long n, struct cb_stats *out)
{
	double sum = 0, sq = 0;
	int straggler = out->straggler;
	double smean = out->straggler_mean_us;

	memset(out, 0, sizeof *out);
	out->straggler = straggler;
	out->straggler_mean_us = smean;
	if (n <= 0)
		return;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	for (long i = 0; i < n; i++)
		sum += v[i];
	out->n = n;
	out->mean_us = sum / (double)n;
	for (long i = 0; i < n; i++)
		sq += (v[i] - out->mean_us) * (v[i] - out->mean_us);
	out->stdev_us = sqrt_pos(sq / (double)n);
	out->cv_pct = out->mean_us > 0 ? 100.0 * out->stdev_us / out->mean_us : 0;
	out->min_us = v[0];
	out->max_us = v[n - 1];
	out->p50_us = cb_percentile_sorted(v, n, 50);
	out->p95_us = cb_percentile_sorted(v, n, 95);
	out->p99_us = cb_percentile_sorted(v, n, 99);
}

void cb_stats_straggler(const double *means, int nranks, struct cb_stats *out)
{
	out->straggler = -1;
	out->straggler_mean_us = 0;
	for (int r = 0; r < nranks; r++)
		if (out->straggler < 0 || means[r] > out->straggler_mean_us) {
			out->straggler = r;
			out->straggler_mean_us = means[r];
		}
}
