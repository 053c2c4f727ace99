/* stats.c: percentiles, mean, coefficient of variation and the straggler of
 * a row half's per-iteration times (definitions in stats.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The percentiles need the times sorted, and a long row has up to
 * CB_SAMPLES_MAX of them per half. Rank 0 sorts them between the row's end
 * and its printing; under Open MPI after Ctrl-C that must fit in the 1 s
 * its launcher leaves between SIGTERM and SIGKILL, and qsort's call per
 * comparison took 90 ms for 280k times (344 ms for 1M) on a loaded machine
 * here. An LSD radix sort of the bit patterns, mapped so that unsigned
 * order is numeric order (negatives: all bits flipped; others: the sign
 * bit set), gives the same array with a few linear passes (a pass whose
 * byte is the same in every key is skipped). Equal doubles have equal bits
 * (but -0 before +0, which qsort leaves in either order; times have no
 * NaN), so the statistics are unchanged. Short arrays, or no memory for
 * the keys: qsort. */
#define RADIX_MIN 4096

static uint64_t sort_key(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	return u >> 63 ? ~u : u | (1ULL << 63);
}

static double sort_value(uint64_t k)
{
	uint64_t u = k >> 63 ? k & ~(1ULL << 63) : ~k;
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}

static void sort_doubles(double *v, long n)
{
	uint64_t *keys, *a, *b;
	if (n < RADIX_MIN || !(keys = malloc(2 * (size_t)n * sizeof *keys))) {
		qsort(v, (size_t)n, sizeof *v, cmp_double);
		return;
	}
	a = keys;
	b = keys + n;
	for (long i = 0; i < n; i++)
		a[i] = sort_key(v[i]);
	for (int sh = 0; sh < 64; sh += 8) {
		size_t cnt[256] = { 0 }, pos = 0;
		uint64_t *t;
		for (long i = 0; i < n; i++)
			cnt[(a[i] >> sh) & 255]++;
		if (cnt[(a[0] >> sh) & 255] == (size_t)n)
			continue;
		for (int k = 0; k < 256; k++) {
			size_t c = cnt[k];
			cnt[k] = pos;
			pos += c;
		}
		for (long i = 0; i < n; i++)   /* stable: earlier passes' order holds */
			b[cnt[(a[i] >> sh) & 255]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	for (long i = 0; i < n; i++)
		v[i] = sort_value(a[i]);
	free(keys);
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
	sort_doubles(v, n);
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
