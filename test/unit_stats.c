/* unit_stats.c: percentiles (nearest-rank) and the other statistics on
 * known samples, the per-iteration combination across ranks, the -g sweep
 * grammar, the minimum-traffic table, and the JSON writer/reader round trip. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/coll.h"
#include "collbench/json.h"
#include "collbench/plan.h"
#include "collbench/results.h"
#include "collbench/stats.h"
#include "unit.h"

static int near(double a, double b) { return fabs(a - b) <= 1e-9 * (fabs(b) + 1); }

static void test_percentiles(void)
{
	double s10[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	double one[] = { 42 };
	double s100[100], s4[] = { 15, 20, 35, 40 }, s5[] = { 3, 6, 7, 8, 8 };
	for (int i = 0; i < 100; i++)
		s100[i] = i + 1;
	CHECK(cb_percentile_sorted(s10, 10, 50) == 5, "p50 of 1..10 is 5 (nearest rank ceil(5))");
	CHECK(cb_percentile_sorted(s10, 10, 99) == 10, "p99 of 1..10 is 10 (n < 100: the max)");
	CHECK(cb_percentile_sorted(s10, 10, 0) == 1, "p0 is the minimum");
	CHECK(cb_percentile_sorted(s10, 10, 100) == 10, "p100 is the maximum");
	CHECK(cb_percentile_sorted(s10, 10, 51) == 6, "p51 of 1..10 is 6");
	CHECK(cb_percentile_sorted(one, 1, 50) == 42 && cb_percentile_sorted(one, 1, 99) == 42,
	      "one sample: every percentile is that sample");
	CHECK(cb_percentile_sorted(s100, 100, 99) == 99, "p99 of 1..100 is 99");
	CHECK(cb_percentile_sorted(s100, 100, 50) == 50, "p50 of 1..100 is 50");
	CHECK(cb_percentile_sorted(s100, 100, 95) == 95, "p95 of 1..100 is 95");
	/* Wikipedia's nearest-rank examples */
	CHECK(cb_percentile_sorted(s4, 4, 5) == 15 && cb_percentile_sorted(s4, 4, 30) == 20 &&
	      cb_percentile_sorted(s4, 4, 40) == 20 && cb_percentile_sorted(s4, 4, 50) == 20 &&
	      cb_percentile_sorted(s4, 4, 100) == 40,
	      "nearest-rank on {15,20,35,40}: p5 15, p30 20, p40 20, p50 20, p100 40");
	CHECK(cb_percentile_sorted(s5, 5, 25) == 6 && cb_percentile_sorted(s5, 5, 75) == 8,
	      "nearest-rank on {3,6,7,8,8}: p25 6, p75 8");
}

static void test_compute(void)
{
	double v[] = { 4, 2, 9, 7, 5, 5, 4, 4 };   /* mean 5, population stdev 2 */
	double means[] = { 3, 8, 8, 1 };
	struct cb_stats st = { 0 };
	cb_stats_straggler(means, 4, &st);
	CHECK(st.straggler == 1 && st.straggler_mean_us == 8,
	      "straggler: the rank with the largest mean, the first on a tie");
	cb_stats_compute(v, 8, &st);
	CHECK(st.n == 8 && st.min_us == 2 && st.max_us == 9, "min 2, max 9 of 8 samples");
	CHECK(near(st.mean_us, 5) && near(st.stdev_us, 2) && near(st.cv_pct, 40),
	      "mean 5, population stdev 2, cv 40%% (got %g %g %g)", st.mean_us, st.stdev_us, st.cv_pct);
	CHECK(st.p50_us == 4 && st.p99_us == 9, "p50 4, p99 9 (got %g %g)", st.p50_us, st.p99_us);
	CHECK(st.p95_us == 9, "p95 of 8 samples is the 8th (ceil 7.6), 9 (got %g)", st.p95_us);
	CHECK(st.straggler == 1, "compute keeps the straggler");
	cb_stats_compute(v, 0, &st);
	CHECK(st.n == 0 && st.mean_us == 0 && st.cv_pct == 0, "no samples: zeros, no NaN");
	{
		double c[] = { 3, 3, 3 };
		cb_stats_compute(c, 3, &st);
		CHECK(st.cv_pct == 0 && st.p50_us == 3, "constant samples: cv 0");
	}
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Long arrays are radix sorted: the same order as qsort's, bit for bit
 * (ties of -0 and +0 aside, which no time has), over a mix of signs,
 * zeros, infinities, subnormals, duplicates and runs of one exponent. */
static void test_long_sort(void)
{
	enum { N = 50000 };
	static double v[N], w[N];
	struct cb_stats st = { 0 };
	unsigned long x = 12345;
	int same = 1;
	for (int i = 0; i < N; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		switch (x >> 61) {
		case 0: v[i] = -(double)(x >> 20) / 1e3; break;
		case 1: v[i] = (x >> 40) & 1 ? 1.0 / 0.0 : -1.0 / 0.0; break;
		case 2: v[i] = 4.9e-324 * (double)((x >> 30) & 7); break;
		case 3: v[i] = 14.5; break;
		default: v[i] = 14.0 + (double)((x >> 33) & 0xffff) / 65536.0; break;
		}
		w[i] = v[i];
	}
	qsort(w, N, sizeof *w, cmp_d);
	cb_stats_compute(v, N, &st);
	for (int i = 0; i < N; i++)
		same = same && memcmp(&v[i], &w[i], sizeof v[i]) == 0;
	CHECK(same, "%d samples: sorted as qsort sorts them, bit for bit", N);
	CHECK(st.min_us == w[0] && st.max_us == w[N - 1] && st.p50_us == w[N / 2 - 1],
	      "min, max and p50 of the long array");
}

static void test_combine(void)
{
	/* Two ranks' iteration end times (start 0 and 1): the collective's
	 * iteration ends at the later rank's end. */
	double r0[] = { 10, 20, 30, 45 }, r1[] = { 12, 19, 33, 40 };
	double want[] = { 11, 8, 13, 12 };   /* from start 1: 12-1, 20-12, 33-20, 45-33 */
	int ok = 1;
	cb_stats_max_into(r0, r1, 4);
	cb_stats_ends_to_times(r0, 4, 1);
	for (int i = 0; i < 4; i++)
		ok &= r0[i] == want[i];
	CHECK(ok, "per-iteration time = latest end minus the previous latest end");
	CHECK(r0[0] + r0[1] + r0[2] + r0[3] == 45 - 1, "the times add up to the wall time");
}

static void test_sweeps(void)
{
	int c[CB_MAX_RANKS], n;
	const char *why;
	static const struct { const char *s; int n; int v[8]; } good[] = {
		{ "4", 1, { 4 } }, { "auto", 1, { 0 } }, { "2:16", 4, { 2, 4, 8, 16 } },
		{ "3:16", 3, { 3, 6, 12 } }, { "2:5:+1", 4, { 2, 3, 4, 5 } },
		{ "2,3,4,8", 4, { 2, 3, 4, 8 } }, { "8,2", 2, { 8, 2 } },
		{ "1:27:*3", 4, { 1, 3, 9, 27 } }, { "5:5", 1, { 5 } }, { "512", 1, { 512 } },
	};
	static const char *const bad[] = { "4:2", "2:", "0:4", ":4", "0", "513", "2:600",
					   "2,2", "2,", ",2", "2:8:+0", "2:8:*1", "2:8:x2",
					   "a", "2-4", "", "2:8:", "1:512:+1x" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int ok = !cb_rank_sweep_parse(good[i].s, c, &n, &why) && n == good[i].n;
		for (int k = 0; ok && k < n; k++)
			ok = c[k] == good[i].v[k];
		CHECK(ok, "-g %s expands as documented", good[i].s);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(cb_rank_sweep_parse(bad[i], c, &n, &why) == -1, "-g '%s' is rejected", bad[i]);
	CHECK(!cb_rank_sweep_parse("1:512:+1", c, &n, &why) && n == 512 && c[511] == 512,
	      "-g 1:512:+1 gives 512 counts");
}

static void test_traffic(void)
{
	static const struct { const char *coll; double per_ps; } t[] = {
		/* minimum bytes / (P S) for P = 4, with S the size column */
		{ "allreduce", 2.0 }, { "reduce_scatter", 5.0 / 4 }, { "allgather", 5.0 / 4 },
		{ "alltoall", 2.0 }, { "broadcast", 5.0 / 4 }, { "reduce", 5.0 / 4 },
		{ "gather", 2.0 / 4 }, { "scatter", 2.0 / 4 }, { "sendrecv", 2.0 },
	};
	const struct cb_dtype *f = cb_dtype_find("float");
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct cb_point pt = { .coll = cb_coll_find(t[i].coll), .dt = f };
		double m;
		if (!pt.coll) {
			CHECK(0, "collective %s exists", t[i].coll);
			continue;
		}
		pt.coll->counts(4096, f->size, 4, &pt.n);
		m = cb_min_traffic(&pt, 4);
		CHECK(near(m, t[i].per_ps * 4 * (double)pt.n.bytes),
		      "minimum traffic of %s at P=4: %g P S (got %g B for S=%zu)", t[i].coll,
		      t[i].per_ps, m, pt.n.bytes);
	}
}

static void test_json(void)
{
	char *buf = NULL, err[128];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct cb_jw w;
	struct cb_jv v;
	const struct cb_jv *x;
	cb_jw_init(&w, f);
	cb_jw_open(&w, NULL, '{');
	cb_jw_str(&w, "s", "a\"b\\c\n\x01 \xc3\xa9 \xff");
	cb_jw_num(&w, "nan", 0.0 / 0.0);
	cb_jw_num(&w, "x", 0.1);
	cb_jw_int(&w, "i", -7);
	cb_jw_bool(&w, "t", true);
	cb_jw_open(&w, "a", '[');
	cb_jw_close(&w, ']');
	cb_jw_close(&w, '}');
	fclose(f);
	CHECK(!cb_json_parse(buf, &v, err, sizeof err), "writer output parses (%s)", err);
	x = cb_json_get(&v, "s");
	CHECK(x && x->type == CB_JSTR && !strcmp(x->str, "a\"b\\c\n\x01 \xc3\xa9 \xef\xbf\xbd"),
	      "strings round-trip; invalid UTF-8 becomes U+FFFD");
	x = cb_json_get(&v, "nan");
	CHECK(x && x->type == CB_JNULL, "NaN is written as null");
	x = cb_json_get(&v, "x");
	CHECK(x && x->type == CB_JNUM && x->num == 0.1 && strstr(buf, "0.1,"),
	      "0.1 is written as 0.1 and reads back exactly");
	x = cb_json_get(&v, "t");
	CHECK(x && x->type == CB_JBOOL && x->b, "booleans are booleans");
	cb_json_free(&v);
	CHECK(cb_json_parse("{\"a\": [1, 2,]}", &v, err, sizeof err) == -1, "trailing comma rejected");
	CHECK(cb_json_parse("{\"a\": 1} x", &v, err, sizeof err) == -1, "trailing text rejected");
	CHECK(cb_json_parse("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
			    &v, err, sizeof err) == -1, "nesting beyond 64 rejected");
	free(buf);
}

int main(void)
{
	test_percentiles();
	test_compute();
	test_long_sort();
	test_combine();
	test_sweeps();
	test_traffic();
	test_json();
	UNIT_EXIT();
}
