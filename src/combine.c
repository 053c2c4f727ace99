/* combine.c: rank 0's combination of the ranks' slots and samples into one
 * half of a row's record (combine.h); moved out of bench.c so that it is a
 * pure function with unit tests. */
#include <stdlib.h>
#include <string.h>

#include "collbench/combine.h"
#include "collbench/common.h"
#include "collbench/stats.h"

static const double *samples_of(const struct cb_combine *c, int r, int h)
{
	return c->samples + (size_t)(2 * r + h) * (size_t)c->nsamples;
}

/* -a: how the ranks' mean times combine. */
static double combined_time(const struct cb_combine *c, int h)
{
	double t = 0;
	for (int r = 0; r < c->nranks; r++) {
		double m = c->slots[2 * r + h].mean_us;
		if (c->average == 0)
			t = r == 0 ? m : t;
		else if (c->average == 1)
			t += m / c->nranks;
		else if (c->average == 2)
			t = (r == 0 || m < t) ? m : t;
		else
			t = (r == 0 || m > t) ? m : t;
	}
	return t;
}

/* nccl-tests' #wrong: the first check iteration that failed on any rank,
 * and the wrong elements of every rank that failed in that iteration. */
static long long wrong_count(const struct cb_combine *c, int h)
{
	long long first = -1, wrong = 0;
	for (int r = 0; r < c->nranks; r++) {
		const struct cb_half_slot *s = &c->slots[2 * r + h];
		if (s->first_bad >= 0 && (first < 0 || s->first_bad < first))
			first = s->first_bad;
	}
	for (int r = 0; r < c->nranks; r++)
		if (first >= 0 && c->slots[2 * r + h].first_bad == first)
			wrong += c->slots[2 * r + h].bad_count;
	return c->checked ? wrong : -1;
}

static void sums(const struct cb_combine *c, int h, long iters, struct cb_half *out)
{
	for (int r = 0; r < c->nranks; r++) {
		out->yield_slow += (long long)c->slots[2 * r + h].yield_slow;
		out->yield_paused += (long long)c->slots[2 * r + h].yield_paused;
	}
	for (unsigned k = 0; c->ctrs && k < c->ctrs->n; k++) {
		double sum = 0;
		bool ok = true;
		for (int r = 0; r < c->nranks; r++) {
			ok = ok && c->slots[2 * r + h].ctr_ok[k];
			sum += c->slots[2 * r + h].ctr[k];
		}
		out->ctr_ok[k] = ok;
		out->ctr_total[k] = ok ? sum : 0;
		out->ctr_per_iter[k] = ok ? sum / (double)iters : 0;
	}
}

/* ns per iteration of -m's agg calls -> us per call (exact decimals) */
static double per_call_us(const struct cb_combine *c, double ns)
{
	return ns / 1e3 / (double)(c->agg > 1 ? c->agg : 1);
}

/* Rank r's own time of each iteration (its end minus its previous end, or
 * its start; under -z 3 its call's duration), in us per call, into v. */
static void own_times(const struct cb_combine *c, int r, int h, long ns, double *v)
{
	memcpy(v, samples_of(c, r, h), (size_t)ns * sizeof *v);
	if (c->blocking != 3)
		cb_stats_ends_to_times(v, ns, c->slots[2 * r + h].start_ns);
	for (long i = 0; i < ns; i++)
		v[i] = per_call_us(c, v[i]);
}

/* Per process (MPI): an iteration's time is the longest of the ranks' own
 * times of it, as nccl-tests' times_us is the max over its processes' rows;
 * -I 1 keeps every rank's row (per_process_max_times_us). */
static void process_times(const struct cb_combine *c, int h, long ns, struct cb_half *out)
{
	bool keep = c->keep_times && ns > 0 && c->nranks > 1;
	double *rows = cb_xcalloc((size_t)c->nranks * (size_t)(ns > 0 ? ns : 1), sizeof *rows);
	for (int r = 0; r < c->nranks; r++) {
		own_times(c, r, h, ns, rows + (size_t)r * (size_t)ns);
		if (r == 0)
			memcpy(c->comb, rows, (size_t)ns * sizeof *c->comb);
		else
			cb_stats_max_into(c->comb, rows + (size_t)r * (size_t)ns, ns);
	}
	if (keep) {
		out->proc_times_us = rows;
		out->nprocs = c->nranks;
	} else {
		free(rows);
	}
}

/* One process (threads): iteration i of the collective ends when its last
 * rank ends it, so the times add up to the collective's wall time. */
static void collective_times(const struct cb_combine *c, int h, long ns)
{
	memcpy(c->comb, samples_of(c, 0, h), (size_t)ns * sizeof *c->comb);
	for (int r = 1; r < c->nranks; r++)
		cb_stats_max_into(c->comb, samples_of(c, r, h), ns);
	if (c->blocking != 3) {
		double start = 0;
		for (int r = 0; r < c->nranks; r++)
			start = c->slots[2 * r + h].start_ns > start ? c->slots[2 * r + h].start_ns : start;
		cb_stats_ends_to_times(c->comb, ns, start);
	}
	for (long i = 0; i < ns; i++)
		c->comb[i] = per_call_us(c, c->comb[i]);
}

/* Per-iteration times of the collective and their statistics. */
static void iteration_stats(const struct cb_combine *c, int h, long ns, struct cb_half *out)
{
	struct cb_stats *st = &out->st;
	for (int r = 0; r < c->nranks; r++)
		c->means[r] = c->slots[2 * r + h].mean_us;
	if (c->per_process)
		process_times(c, h, ns, out);
	else
		collective_times(c, h, ns);
	if (c->keep_times && ns > 0) {   /* -I 1: before the statistics sort them */
		out->times_us = cb_xcalloc((size_t)ns, sizeof *out->times_us);
		memcpy(out->times_us, c->comb, (size_t)ns * sizeof *c->comb);
		out->ntimes = ns;
		out->rank_means_us = cb_xcalloc((size_t)c->nranks, sizeof *out->rank_means_us);
		memcpy(out->rank_means_us, c->means, (size_t)c->nranks * sizeof *c->means);
	}
	cb_stats_straggler(c->means, c->nranks, st);
	if (c->skip > 0 && c->skip < ns)
		cb_stats_compute(c->comb + c->skip, ns - c->skip, st);
	else
		cb_stats_compute(c->comb, ns, st);
}

void cb_combine_half(const struct cb_combine *c, int h, const struct cb_point *pt,
		     double min_bytes, double copy_bw, struct cb_half *out)
{
	long iters = c->slots[h].iters;   /* the same on every rank */
	long ns = iters < c->nsamples ? iters : c->nsamples;
	double t = combined_time(c, h);

	out->present = true;
	out->time_us = t;
	out->algbw = t > 0 ? (double)pt->n.algbw_bytes / (t * 1e3) : 0;
	out->busbw = out->algbw * pt->coll->busbw_factor(c->nranks);
	out->wrong = wrong_count(c, h);
	out->iters = iters;
	sums(c, h, iters, out);
	iteration_stats(c, h, ns, out);
	/* E = compulsory bytes / (time x measured copy bandwidth) */
	out->has_eff = copy_bw > 0 && t > 0 && min_bytes > 0;
	out->eff = out->has_eff ? min_bytes / (t * 1e3 * copy_bw) : 0;
}
