/* report_nccl.c: --nccl-compat's table, exactly in nccl-tests' column
 * layout (its writeResultHeader and writeBenchmarkLine* of nccl-tests
 * 2.19): size count type redop root, then per half time algbw busbw
 * #wrong (and with -I 1 i_min i_max i_p99 i_cv%), then -S's timestamp.
 * No algo or roofline column: what collbench adds is on '#' lines only, so
 * positional and regex parsers of nccl-tests logs read every row. The
 * cells come from the field schema (fields.h) by name, as every other
 * format's do; this file only knows nccl-tests' order and widths. */
#include <string.h>

#include "collbench/fields.h"
#include "collbench/report.h"

/* nccl-tests' columns, by schema name, in its order. */
static const char *const prefix_cols[] = { "size", "count", "type", "redop", "root" };
static const char *const half_cols[] = { "time_us", "algbw", "busbw", "wrong" };
static const char *const iter_cols[] = { "min_us", "max_us", "p99_us", "cv_pct" };

static const struct cb_field *field(const char *name)
{
	for (unsigned i = 0; i < cb_nfields; i++)
		if (!strcmp(cb_fields[i].name, name))
			return &cb_fields[i];
	cb_die(CB_EXIT_RESOURCE, "internal: no field '%s' in the schema", name);
	return NULL;
}

/* nccl-tests' getFloatStr: the widest precision that fits the width. */
static const char *num(char *buf, size_t cap, int width, double v)
{
	static const char *const fmts[] = { "%.2f", "%.1f", "%.0f" };
	for (size_t i = 0; i < 3; i++)
		if (snprintf(buf, cap, fmts[i], v) <= width)
			return buf;
	snprintf(buf, cap, width >= 7 ? "%.1e" : "%.0e", v);
	return buf;
}

/* One cell. A half without a form prints numbers (0) as nccl-tests'
 * always-numeric columns do, and N/A under #wrong; -c 0 prints N/A there
 * too, as nccl-tests does without a check. */
static void cell(FILE *f, const char *name, int width, const struct cb_result *r, int h)
{
	const struct cb_field *fd = field(name);
	struct cb_fval v;
	char buf[64];
	cb_field_value(fd, r, h, &v);
	if (fd->kind == CB_FK_INT && !strcmp(name, "wrong"))
		fprintf(f, "  %*s", width, v.null ? "N/A" : (snprintf(buf, sizeof buf, "%lld", v.i), buf));
	else if (fd->kind == CB_FK_INT)
		fprintf(f, "%*lld", width, v.null ? 0 : v.i);
	else if (fd->kind == CB_FK_NUM)
		fprintf(f, "  %*s", width, num(buf, sizeof buf, width, v.null ? 0 : v.d));
	else
		fprintf(f, "%*s", width, v.s);
}

void cb_nccl_row(FILE *f, const struct cb_options *o, const struct cb_result *r)
{
	static const int pw[] = { 12, 12, 8, 6, 6 }, hw[] = { 7, 6, 6, 6 };
	for (size_t i = 0; i < CB_ARRAY_LEN(prefix_cols); i++) {
		if (i)
			fputs("  ", f);
		cell(f, prefix_cols[i], pw[i], r, -1);
	}
	for (int h = 0; h < 2; h++) {
		for (size_t i = 0; i < CB_ARRAY_LEN(half_cols); i++)
			cell(f, half_cols[i], hw[i], r, h);
		for (size_t i = 0; o->per_iter && i < CB_ARRAY_LEN(iter_cols); i++)
			cell(f, iter_cols[i], 7, r, h);
	}
	if (o->timestamps)
		fprintf(f, "%21s", r->stamp);
	fputc('\n', f);
	fflush(f);
}

void cb_nccl_head(FILE *f, const struct cb_options *o, const struct cb_point *pt, int nranks)
{
	const char *t = o->cputime ? "cputime" : "time";
	const char *ts = o->timestamps ? "timestamp" : "", *tsf = o->timestamps ? "%Y-%m-%d %H:%M:%S" : "";
	int tw = o->timestamps ? 19 : 0;
	fprintf(f, "# collbench: %s, algorithm %s, %d rank%s (one section per algorithm)\n",
		pt->coll->name, pt->algo->name, nranks, nranks == 1 ? "" : "s");
	fprintf(f, "#\n");
	if (o->per_iter) {
		fprintf(f, "# %10s  %12s  %8s  %6s  %6s              out-of-place (+ per-iteration)                                in-place (+ per-iteration)\n", "", "", "", "", "");
		fprintf(f, "# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s  %6s  %7s  %7s  %7s  %7s  %7s  %6s  %6s  %6s  %7s  %7s  %7s  %7s %*s\n",
			"size", "count", "type", "redop", "root", t, "algbw", "busbw", "#wrong", "i_min",
			"i_max", "i_p99", "i_cv%", t, "algbw", "busbw", "#wrong", "i_min", "i_max",
			"i_p99", "i_cv%", tw, ts);
		fprintf(f, "# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s  %6s  %7s  %7s  %7s  %7s  %7s  %6s  %6s  %6s  %7s  %7s  %7s  %7s %*s\n",
			"(B)", "(elements)", "", "", "", "(us)", "(GB/s)", "(GB/s)", "", "(us)", "(us)",
			"(us)", "(%)", "(us)", "(GB/s)", "(GB/s)", "", "(us)", "(us)", "(us)", "(%)", tw, tsf);
	} else {
		fprintf(f, "# %10s  %12s  %8s  %6s  %6s           out-of-place                       in-place          \n", "", "", "", "", "");
		fprintf(f, "# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s  %6s  %7s  %6s  %6s  %6s %*s\n",
			"size", "count", "type", "redop", "root", t, "algbw", "busbw", "#wrong", t,
			"algbw", "busbw", "#wrong", tw, ts);
		fprintf(f, "# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s  %6s  %7s  %6s  %6s  %6s %*s\n",
			"(B)", "(elements)", "", "", "", "(us)", "(GB/s)", "(GB/s)", "", "(us)", "(GB/s)",
			"(GB/s)", "", tw, tsf);
	}
	fflush(f);
}
