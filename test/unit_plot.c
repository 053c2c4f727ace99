/* unit_plot.c: the plot's tick labels (sizes base 1024, times with units,
 * small numbers), axis fitting and ticks, and the --baseline rule that
 * compare shares (results.c). */
#include <math.h>
#include <string.h>

#include "collbench/plot.h"
#include "collbench/results.h"
#include "unit.h"

static int label_is(double v, enum cb_tickfmt fmt, const char *want)
{
	char buf[32];
	cb_fmt_value(buf, sizeof buf, v, fmt);
	if (strcmp(buf, want))
		printf("# %g: got '%s', want '%s'\n", v, buf, want);
	return !strcmp(buf, want);
}

static void test_labels(void)
{
	CHECK(label_is(8, CB_FMT_BYTES, "8") && label_is(1024, CB_FMT_BYTES, "1K") &&
	      label_is(65536, CB_FMT_BYTES, "64K") && label_is(1 << 20, CB_FMT_BYTES, "1M") &&
	      label_is(1 << 30, CB_FMT_BYTES, "1G") && label_is(1536, CB_FMT_BYTES, "1.5K"),
	      "sizes: 8, 1K, 64K, 1M, 1G, 1.5K (base 1024)");
	CHECK(label_is(0.01, CB_FMT_US, "10 ns") && label_is(1, CB_FMT_US, "1 us") &&
	      label_is(500, CB_FMT_US, "500 us") && label_is(2000, CB_FMT_US, "2 ms") &&
	      label_is(3e6, CB_FMT_US, "3 s"),
	      "times: 10 ns, 1 us, 500 us, 2 ms, 3 s");
	CHECK(label_is(0.001, CB_FMT_NUM, "0.001") && label_is(1e-4, CB_FMT_NUM, "0.0001") &&
	      label_is(1e-5, CB_FMT_NUM, "1e-5") && label_is(2e-7, CB_FMT_NUM, "2e-7") &&
	      label_is(100, CB_FMT_NUM, "100") && label_is(0, CB_FMT_NUM, "0"),
	      "numbers: 0.001, 0.0001, 1e-5, 2e-7, 100, 0");
}

static void test_axes(void)
{
	struct cb_axis a;
	struct cb_tick t[128];
	size_t n, labels = 0;

	cb_axis_fit(&a, 8, 16 << 20, true, CB_FMT_BYTES);
	CHECK(a.lo == 8 && a.hi == 16 << 20, "size axis 8 .. 16M: powers of two at both ends");
	n = cb_axis_ticks(&a, t, 128);
	for (size_t i = 0; i < n; i++)
		labels += t[i].label;
	CHECK(n == 22 && labels >= 4 && labels <= 8 && t[0].label && !strcmp(t[0].text, "8"),
	      "size ticks: one per power of two, 4 to 8 labelled from 8 (%zu, %zu)", n, labels);
	cb_axis_fit(&a, 100, 100, true, CB_FMT_BYTES);
	CHECK(a.hi > a.lo, "one size: the axis still has a width");
	cb_axis_fit(&a, 0.0031, 17, true, CB_FMT_NUM);
	CHECK(fabs(a.lo - 0.002) < 1e-12 && a.hi == 20, "log values: 1-2-5 bounds outside the data");
	a.p0 = 100;
	a.p1 = 0;
	CHECK(fabs(cb_axis_px(&a, 0.002) - 100) < 1e-9 && fabs(cb_axis_px(&a, 20)) < 1e-9,
	      "log axis maps the bounds to its pixels");
	cb_axis_fit(&a, 0.5, 7.3, false, CB_FMT_NUM);
	n = cb_axis_ticks(&a, t, 128);
	CHECK(a.lo == 0 && a.hi >= 7.3 && n >= 4 && n <= 11 && t[0].v == 0,
	      "linear axis from 0 with 4 to 11 ticks (%zu)", n);
}

static void test_rule(void)
{
	CHECK(cb_time_change_pct(10, 11) > 9.99 && cb_time_change_pct(10, 11) < 10.01,
	      "10 us -> 11 us is +10%%");
	CHECK(!cb_time_regressed(10, 11, 10) && cb_time_regressed(10, 11.01, 10),
	      "--max-regression 10: +10%% passes, more fails");
	CHECK(cb_time_change_pct(0, 5) == 0 && !cb_time_regressed(0, 5, 0),
	      "a base time of 0 never regresses");
}

int main(void)
{
	test_labels();
	test_axes();
	test_rule();
	UNIT_EXIT();
}
