/* plot_axis.c: scales and ticks (plot.h). Sizes are powers of two in the
 * usual sweeps, so the size axis is log2 with ticks on powers of two;
 * values use 1-2-5 steps, decades on a log axis. */
#include <math.h>
#include <stdio.h>

#include "collbench/plot.h"

/* The 1-2-5 value at or below (down) or above (!down) v > 0. */
static double nice125(double v, bool down)
{
	static const double m[] = { 1, 2, 5, 10 };
	double e = pow(10, floor(log10(v)));
	if (down) {
		for (int i = 3; i >= 0; i--)
			if (m[i] * e <= v * (1 + 1e-9))
				return m[i] * e;
		return e;
	}
	for (int i = 0; i < 4; i++)
		if (m[i] * e >= v * (1 - 1e-9))
			return m[i] * e;
	return 10 * e;
}

void cb_axis_fit(struct cb_axis *a, double lo, double hi, bool log, enum cb_tickfmt fmt)
{
	a->log = log;
	a->fmt = fmt;
	if (fmt == CB_FMT_BYTES) {
		/* whole powers of two around the sizes */
		a->lo = exp2(floor(log2(lo)));
		a->hi = exp2(ceil(log2(hi)));
		if (a->hi <= a->lo)
			a->hi = a->lo * 2;
		return;
	}
	if (log) {
		a->lo = nice125(lo, true);
		a->hi = nice125(hi, false);
		if (a->hi <= a->lo)
			a->hi = nice125(a->lo * 1.01, false);
		return;
	}
	a->lo = 0;
	a->hi = hi > 0 ? nice125(hi * 1.02, false) : 1;
}

double cb_axis_px(const struct cb_axis *a, double v)
{
	double t = a->log ? (log(v) - log(a->lo)) / (log(a->hi) - log(a->lo))
			  : (v - a->lo) / (a->hi - a->lo);
	return a->p0 + t * (a->p1 - a->p0);
}

void cb_fmt_value(char *buf, size_t cap, double v, enum cb_tickfmt fmt)
{
	static const char *const bin[] = { "", "K", "M", "G", "T" };
	static const struct { double scale; const char *unit; } us[] = {
		{ 1e6, "s" }, { 1e3, "ms" }, { 1, "us" }, { 1e-3, "ns" },
	};
	switch (fmt) {
	case CB_FMT_BYTES: {
		int k = 0;
		while (k < 4 && v >= 1024) {
			v /= 1024;
			k++;
		}
		snprintf(buf, cap, "%g%s", v, bin[k]);
		return;
	}
	case CB_FMT_US:
		for (size_t i = 0; i < sizeof us / sizeof us[0]; i++)
			if (v >= us[i].scale * (1 - 1e-9) || i + 1 == sizeof us / sizeof us[0]) {
				snprintf(buf, cap, "%g %s", v / us[i].scale, us[i].unit);
				return;
			}
		return;
	case CB_FMT_NUM:
		/* 1e-5, not %g's 1e-05; 0.0001 and up as decimals */
		if (v > 0 && v < 0.99e-4)
			snprintf(buf, cap, "%.3ge%d", v / pow(10, floor(log10(v))), (int)floor(log10(v)));
		else
			snprintf(buf, cap, "%g", fabs(v) < 1e-12 ? 0 : v);
		return;
	}
}

static size_t add(struct cb_tick *t, size_t n, size_t cap, const struct cb_axis *a, double v,
		  bool label)
{
	if (n >= cap || v < a->lo * (1 - 1e-9) || v > a->hi * (1 + 1e-9))
		return n;
	t[n].v = v;
	t[n].label = label;
	cb_fmt_value(t[n].text, sizeof t[n].text, v, a->fmt);
	return n + 1;
}

/* Sizes: every power of two a minor tick; a label every k-th, at most 8. */
static size_t ticks_bytes(const struct cb_axis *a, struct cb_tick *t, size_t cap)
{
	int e0 = (int)lround(log2(a->lo)), e1 = (int)lround(log2(a->hi)), k = 1, n = 0;
	while ((e1 - e0) / k > 7)
		k++;
	for (int e = e0; e <= e1; e++)
		n = (int)add(t, (size_t)n, cap, a, exp2(e), (e - e0) % k == 0);
	return (size_t)n;
}

size_t cb_axis_ticks(const struct cb_axis *a, struct cb_tick *t, size_t cap)
{
	size_t n = 0;
	if (a->fmt == CB_FMT_BYTES)
		return ticks_bytes(a, t, cap);
	if (a->log) {
		/* decades labelled; 2 and 5 labelled too when few decades show */
		double span = log10(a->hi / a->lo);
		for (double d = pow(10, floor(log10(a->lo))); d <= a->hi * 1.0001; d *= 10)
			for (int m = 1; m <= 9; m++)
				n = add(t, n, cap, a, m * d,
					m == 1 || (span <= 2.5 && (m == 2 || m == 5)));
		return n;
	}
	{
		double step = nice125((a->hi - a->lo) / 5, true);
		for (double v = a->lo; v <= a->hi * (1 + 1e-9); v += step)
			n = add(t, n, cap, a, v, true);
	}
	return n;
}
