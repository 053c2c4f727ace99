/* stats.h: per-iteration latency statistics of one row half.
 *
 * Samples: every rank records when it finished each timed iteration. The
 * samples combine across ranks per iteration: iteration i of the collective
 * is complete when its last rank has finished it, so its time is the
 * latest end of iteration i minus the latest end of iteration i-1 (minus
 * the last rank's start for i = 0); these times add up to the collective's
 * wall time. (Under -z 3, where a barrier starts every call, the ranks
 * record call durations and the time is the longest.) The statistics are
 * taken over those per-iteration times. Percentiles are nearest-rank: the
 * p-th percentile of n sorted samples is the ceil(p/100 * n)-th smallest
 * (the smallest for p = 0), always one of the samples, never interpolated. */
#ifndef COLLBENCH_STATS_H
#define COLLBENCH_STATS_H

#include <stddef.h>

struct cb_stats {
	long n;               /* samples used (the first min(-n, cap) iterations) */
	double min_us, p50_us, p95_us, p99_us, max_us;
	double mean_us;       /* mean of the per-iteration times */
	double stdev_us;      /* population standard deviation */
	double cv_pct;        /* stdev / mean x 100; 0 if the mean is 0 */
	int straggler;        /* rank with the largest mean time; -1 none */
	double straggler_mean_us;
};

/* Nearest-rank percentile of n >= 1 ascending samples, 0 <= p <= 100. */
double cb_percentile_sorted(const double *sorted, long n, double p);
/* dst[i] = max(dst[i], src[i]) for i < n. */
void cb_stats_max_into(double *dst, const double *src, long n);
/* Latest ends -> times: v[i] -= v[i-1] (v[0] -= start), negatives to 0. */
void cb_stats_ends_to_times(double *v, long n, double start);
/* Statistics of n samples; sorts v in place. n = 0 gives all zeros. The
 * straggler fields are left for the caller (cb_stats_straggler). */
void cb_stats_compute(double *v, long n, struct cb_stats *out);
/* The rank with the largest of nranks means (the first on a tie). */
void cb_stats_straggler(const double *means, int nranks, struct cb_stats *out);

#endif
