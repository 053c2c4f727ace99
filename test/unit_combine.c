/* unit_combine.c: rank 0's combination of the ranks' slots and samples into
 * a row half (combine.h), without threads: -a 0..3, per-iteration times
 * from the latest ends (and -z 3's durations), nearest-rank percentiles,
 * the straggler, #wrong of the first failing check iteration, counters
 * summed (unavailable on one rank: unavailable), E. Three ranks, four
 * samples, numbers worked out by hand below. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/coll.h"
#include "collbench/combine.h"
#include "unit.h"

#define P 3
#define NS 4

static bool near(double a, double b)
{
	return fabs(a - b) <= 1e-9 * (fabs(b) > 1 ? fabs(b) : 1);
}

static struct cb_half_slot slots[2 * P];
static double samples[P * 2 * NS];
static double comb[NS], means[P];
static struct cb_point pt;

/* Rank means 2, 4, 3 us; iteration ends (ns) per rank; starts 0, 100, 200.
 * Latest ends: 1500 2600 3500 4500; minus the latest start (200): 1300
 * 1100 900 1000 ns, i.e. 1.3 1.1 0.9 1.0 us. */
static void setup(void)
{
	static const double ends[P][NS] = {
		{ 1000, 2000, 3000, 4000 }, { 1500, 2500, 3500, 4500 }, { 1200, 2600, 3100, 4100 },
	};
	static const double mean[P] = { 2, 4, 3 }, start[P] = { 0, 100, 200 };
	memset(slots, 0, sizeof slots);
	for (int r = 0; r < P; r++) {
		struct cb_half_slot *s = &slots[2 * r];
		s->mean_us = mean[r];
		s->start_ns = start[r];
		s->first_bad = -1;
		s->iters = NS;
		s->yield_slow = (uint64_t)r + 1;   /* 1 + 2 + 3 */
		s->yield_paused = 10;
		memcpy(&samples[(size_t)(2 * r) * NS], ends[r], sizeof ends[r]);
	}
	pt.coll = cb_coll_find("allreduce");
	pt.dt = cb_dtype_find("float");
	pt.coll->counts(1 << 20, 4, P, &pt.n);
}

static struct cb_combine in(long average, long blocking)
{
	return (struct cb_combine){ P, average, blocking, true, NULL, slots, samples, NS, comb, means, 1, 0, false,
				    false };
}

static void test_average(void)
{
	static const double want[] = { 2, 3, 2, 4 };   /* rank 0's, mean, min, max */
	for (long a = 0; a <= 3; a++) {
		struct cb_combine c = in(a, 0);
		struct cb_half h = { 0 };
		cb_combine_half(&c, 0, &pt, 0, 0, &h);
		CHECK(h.present && near(h.time_us, want[a]), "-a %ld: time %g us (want %g)", a,
		      h.time_us, want[a]);
	}
}

static void test_row(void)
{
	struct cb_combine c = in(1, 0);
	struct cb_half h = { 0 };
	double algbw = 1048576.0 / 3000;   /* bytes / (3 us in ns) = GB/s */
	cb_combine_half(&c, 0, &pt, 1e6, 100, &h);
	CHECK(near(h.algbw, algbw) && near(h.busbw, algbw * 2 * (P - 1) / P),
	      "algbw S/t %g, busbw x 2(P-1)/P %g", h.algbw, h.busbw);
	CHECK(near(h.st.min_us, 0.9) && near(h.st.max_us, 1.3) && near(h.st.p50_us, 1.0) &&
	      near(h.st.p99_us, 1.3) && near(h.st.mean_us, 1.075) && h.st.n == NS,
	      "per-iteration times from the latest ends minus the latest start: min %g p50 %g "
	      "p99 %g max %g mean %g", h.st.min_us, h.st.p50_us, h.st.p99_us, h.st.max_us,
	      h.st.mean_us);
	CHECK(h.st.straggler == 1 && near(h.st.straggler_mean_us, 4),
	      "straggler: rank 1 (mean 4 us), got %d", h.st.straggler);
	CHECK(h.wrong == 0 && h.iters == NS && h.yield_slow == 6 && h.yield_paused == 30,
	      "wrong 0, iterations %ld, yields summed (%lld, %lld)", h.iters, h.yield_slow,
	      h.yield_paused);
	CHECK(h.has_eff && near(h.eff, 1e6 / (3e3 * 100)), "E = min bytes / (t x copy bw): %g", h.eff);
	CHECK(h.times_us == NULL && h.rank_means_us == NULL, "without -I 1 no samples are kept");
	h = (struct cb_half){ 0 };
	cb_combine_half(&c, 0, &pt, 1e6, 0, &h);
	CHECK(!h.has_eff, "no copy bandwidth: no E");
	/* -I 1: the times in iteration order (not sorted), each rank's mean */
	h = (struct cb_half){ 0 };
	c.keep_times = true;
	cb_combine_half(&c, 0, &pt, 1e6, 100, &h);
	CHECK(h.times_us && near(h.times_us[0], 1.3) && near(h.times_us[1], 1.1) &&
	      near(h.times_us[2], 0.9) && near(h.times_us[3], 1.0),
	      "-I 1: times_us 1.3 1.1 0.9 1.0 in iteration order");
	CHECK(h.rank_means_us && h.rank_means_us[0] == 2 && h.rank_means_us[1] == 4 &&
	      h.rank_means_us[2] == 3, "-I 1: rank_means_us 2 4 3");
	CHECK(near(h.st.p95_us, 1.3), "p95 of 4 samples is the max, 1.3 (got %g)", h.st.p95_us);
	free(h.times_us);
	free(h.rank_means_us);
}

static void test_blocking3(void)
{
	struct cb_combine c = in(1, 3);
	struct cb_half h = { 0 };
	cb_combine_half(&c, 0, &pt, 0, 0, &h);
	CHECK(near(h.st.min_us, 1.5) && near(h.st.max_us, 4.5),
	      "-z 3: samples are durations, the longest per call (min %g max %g)", h.st.min_us,
	      h.st.max_us);
}

/* MPI (per_process): each rank's own times, ends minus its previous end or
 * its start: rank 0 1000 1000 1000 1000, rank 1 1400 1000 1000 1000, rank 2
 * 1000 1400 500 1000 ns; an iteration's time is their max, 1.4 1.4 1.0 1.0
 * us, and -I 1 keeps the three rows (nccl-tests' per_process_max_times_us). */
static void test_per_process(void)
{
	static const double want[P][NS] = {
		{ 1.0, 1.0, 1.0, 1.0 }, { 1.4, 1.0, 1.0, 1.0 }, { 1.0, 1.4, 0.5, 1.0 },
	};
	struct cb_combine c = in(1, 0);
	struct cb_half h = { 0 };
	bool rows_ok = true;
	c.per_process = true;
	cb_combine_half(&c, 0, &pt, 0, 0, &h);
	CHECK(near(h.st.min_us, 1.0) && near(h.st.max_us, 1.4) && h.proc_times_us == NULL,
	      "per process: the max of the ranks' own times (min %g max %g), no rows without -I 1",
	      h.st.min_us, h.st.max_us);
	h = (struct cb_half){ 0 };
	c.keep_times = true;
	cb_combine_half(&c, 0, &pt, 0, 0, &h);
	for (int r = 0; r < P && h.proc_times_us; r++)
		for (int i = 0; i < NS; i++)
			rows_ok = rows_ok && near(h.proc_times_us[r * NS + i], want[r][i]);
	CHECK(h.proc_times_us && h.nprocs == P && rows_ok, "per process -I 1: each rank's own times");
	CHECK(h.times_us && near(h.times_us[0], 1.4) && near(h.times_us[1], 1.4) &&
	      near(h.times_us[2], 1.0) && near(h.times_us[3], 1.0),
	      "per process -I 1: times_us 1.4 1.4 1.0 1.0, the rows' max per iteration");
	free(h.times_us);
	free(h.rank_means_us);
	free(h.proc_times_us);
}

static void test_wrong(void)
{
	struct cb_combine c = in(1, 0);
	struct cb_half h = { 0 };
	slots[2 * 1].first_bad = 2;
	slots[2 * 1].bad_count = 5;
	slots[2 * 2].first_bad = 1;
	slots[2 * 2].bad_count = 3;
	cb_combine_half(&c, 0, &pt, 0, 0, &h);
	CHECK(h.wrong == 3, "#wrong: the first failing iteration's count only (3, got %lld)", h.wrong);
	slots[2 * 1].first_bad = 1;
	cb_combine_half(&c, 0, &pt, 0, 0, &h);
	CHECK(h.wrong == 8, "#wrong: summed over the ranks failing in it (8, got %lld)", h.wrong);
	c.checked = false;
	cb_combine_half(&c, 0, &pt, 0, 0, &h);
	CHECK(h.wrong == -1, "-c 0: wrong -1 (not checked)");
}

static void test_counters(void)
{
	struct cb_counter_set set = { 1, { 0 } };
	struct cb_combine c = in(1, 0);
	struct cb_half h = { 0 };
	c.ctrs = &set;
	for (int r = 0; r < P; r++) {
		slots[2 * r].ctr_ok[0] = true;
		slots[2 * r].ctr[0] = 10.0 * (r + 1);
	}
	cb_combine_half(&c, 0, &pt, 0, 0, &h);
	CHECK(h.ctr_ok[0] && near(h.ctr_total[0], 60) && near(h.ctr_per_iter[0], 15),
	      "counters summed over ranks, per iteration (60, 15)");
	slots[2 * 2].ctr_ok[0] = false;
	h = (struct cb_half){ 0 };
	cb_combine_half(&c, 0, &pt, 0, 0, &h);
	CHECK(!h.ctr_ok[0] && h.ctr_total[0] == 0, "a counter unavailable on one rank: unavailable");
}

int main(void)
{
	setup();
	test_average();
	test_row();
	test_blocking3();
	test_per_process();
	test_wrong();
	test_counters();
	UNIT_EXIT();
}
