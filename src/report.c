/* report.c: the nccl-tests-style table (preamble, a topology and rank block
 * per rank count, a three-row column header per section, rows, footer) and
 * the OSU-like latency view. Computes nothing: rows arrive finished.
 *
 * Column positions of the default view are fixed (nccl-tests' 6 prefix
 * columns plus algo, then time algbw busbw #wrong per half); the roofline
 * and -I columns are appended after them, so scripts that read the first 14
 * columns work with every option. --counters columns (per half, per counter:
 * total and per iteration) and -S's timestamp come last. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "collbench/report.h"

/* nccl-tests' getFloatStr: the widest precision that fits the column. */
static const char *fmt_num(char *buf, size_t cap, int width, double v)
{
	static const char *const fmts[] = { "%.2f", "%.1f", "%.0f" };
	for (size_t i = 0; i < 3; i++)
		if (snprintf(buf, cap, fmts[i], v) <= width)
			return buf;
	snprintf(buf, cap, "%.1e", v);
	return buf;
}

void cb_report_preamble(FILE *f, const struct cb_options *o, const int *counts, int ncounts)
{
	fprintf(f, "# collbench version %s hwloc %s libnuma %s\n", CB_VERSION,
		cb_placement_hwloc_version(), cb_placement_numa_version());
	fprintf(f, "# Collective test starting: %s\n", o->command);
	fprintf(f, "# nRanks ");
	for (int i = 0; i < ncounts; i++)
		fprintf(f, "%s%d", i ? "," : "", counts[i]);
	fprintf(f, " minBytes %zu maxBytes %zu step: ", o->minbytes, o->maxbytes);
	if (o->stepfactor > 1)
		fprintf(f, "%ld(factor)", o->stepfactor);
	else
		fprintf(f, "%zu(bytes)", o->stepbytes);
	fprintf(f, " warmup iters: %ld iters: %ld validation: %ld average: %ld blocking: %ld timeout: %g\n",
		o->warmup, o->iters, o->check, o->average, o->blocking, o->timeout);
	if (o->duration > 0 || o->cycles != 1 || o->perf_ctl || o->counters)
		fprintf(f, "# duration: %g s (0: -n iterations) cycles: %ld (0: until interrupted) perf-ctl: %s counters: %s\n",
			o->duration, o->cycles, o->perf_ctl ? "on" : "off",
			o->counters ? o->counters : "none");
}

void cb_report_header(FILE *f, const struct cb_options *o, const struct cb_placement *pl,
		      int k, int n)
{
	char host[256] = "?";
	(void)o;
	gethostname(host, sizeof host - 1);
	fprintf(f, "#\n");
	if (n > 1)
		fprintf(f, "# Rank count %d (%d of %d)\n", pl->nranks, k + 1, n);
	cb_placement_print_topology(f, pl, false);
	cb_placement_print_map(f, pl, host, (int)getpid());
	fprintf(f, "#\n");
	fflush(f);
	/* --strict-placement: the map above shows what went wrong; exit 2. */
	cb_placement_enforce(pl, f);
}

/* ---- column headers ---- */

struct col {
	const char *name, *unit;
	int width;
	int group;          /* index into the section's group labels, -1 none */
};

static const struct col prefix_cols[] = {
	{ "size", "(B)", 12, -1 }, { "count", "(elements)", 12, -1 }, { "type", "", 8, -1 },
	{ "redop", "", 6, -1 }, { "root", "", 6, -1 }, { "algo", "", 13, -1 },
};

static void head_cols(FILE *f, const struct col *c, size_t n, const char *const *groups,
		      size_t ngroups)
{
	char line[3][2048];
	size_t len = 0;
	int start[16] = { 0 }, stop[16] = { 0 };

	for (int l = 0; l < 3; l++)
		line[l][0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = c[i].width - (i == 0);   /* the row's first column holds the '#' */
		int at = (int)len + (i ? 2 : 1);
		if (c[i].group >= 0) {
			if (!stop[c[i].group])
				start[c[i].group] = at;
			stop[c[i].group] = at + w;
		}
		snprintf(line[1] + len, sizeof line[1] - len, "%s%*s", i ? "  " : "#", w, c[i].name);
		snprintf(line[2] + len, sizeof line[2] - len, "%s%*s", i ? "  " : "#", w, c[i].unit);
		len = strlen(line[1]);
	}
	memset(line[0], ' ', len);
	line[0][0] = '#';
	line[0][len] = '\0';
	for (size_t g = 0; g < ngroups; g++) {
		int glen = (int)strlen(groups[g]), at;
		if (!stop[g])
			continue;
		at = start[g] + (stop[g] - start[g] - glen) / 2;
		if (at < 1)
			at = 1;
		if (at + glen <= (int)len)
			memcpy(line[0] + at, groups[g], (size_t)glen);
	}
	for (int l = 0; l < 3; l++) {
		/* no trailing blanks */
		size_t e = strlen(line[l]);
		while (e > 1 && line[l][e - 1] == ' ')
			e--;
		line[l][e] = '\0';
		fprintf(f, "%s\n", line[l]);
	}
}

/* Table headings of the counters (cb_counter_descs order): total, then
 * per iteration. */
static const char *const ctr_short[][2] = {
	{ "tclk", "tclk/it" }, { "csw", "csw/it" }, { "migr", "migr/it" },
	{ "pgflt", "pgflt/it" }, { "cycles", "cyc/it" }, { "instr", "instr/it" },
	{ "cmiss", "cmiss/it" }, { "bmiss", "bmiss/it" },
};
#define CTR_W 9

static void section_table(FILE *f, const struct cb_options *o, const struct cb_counter_set *ctrs)
{
	static const char *const groups[] = { "out-of-place", "in-place", "roofline",
					      "out-of-place per iteration", "in-place per iteration",
					      "out-of-place counters", "in-place counters" };
	struct col c[96];
	size_t n = 0;
	for (size_t i = 0; i < CB_ARRAY_LEN(prefix_cols); i++)
		c[n++] = prefix_cols[i];
	for (int h = 0; h < 2; h++) {
		c[n++] = (struct col){ "time", "(us)", 7, h };
		c[n++] = (struct col){ "algbw", "(GB/s)", 6, h };
		c[n++] = (struct col){ "busbw", "(GB/s)", 6, h };
		c[n++] = (struct col){ "#wrong", "", 6, h };
	}
	if (o->roofline) {
		c[n++] = (struct col){ "copybw", "(GB/s)", 7, 2 };
		c[n++] = (struct col){ "E_out", "", 6, 2 };
		c[n++] = (struct col){ "E_in", "", 6, 2 };
	}
	for (int h = 0; o->per_iter && h < 2; h++) {
		c[n++] = (struct col){ "i_min", "(us)", 7, 3 + h };
		c[n++] = (struct col){ "i_p50", "(us)", 7, 3 + h };
		c[n++] = (struct col){ "i_p99", "(us)", 7, 3 + h };
		c[n++] = (struct col){ "i_max", "(us)", 7, 3 + h };
		c[n++] = (struct col){ "i_cv%", "", 6, 3 + h };
		c[n++] = (struct col){ "slow", "rank", 4, 3 + h };
	}
	for (int h = 0; ctrs && h < 2; h++)
		for (unsigned k = 0; k < ctrs->n; k++) {
			bool ns = ctrs->idx[k] == 0;   /* task-clock */
			c[n++] = (struct col){ ctr_short[ctrs->idx[k]][0], ns ? "(ns)" : "(total)", CTR_W, 5 + h };
			c[n++] = (struct col){ ctr_short[ctrs->idx[k]][1], ns ? "(ns)" : "", CTR_W, 5 + h };
		}
	if (o->timestamps)
		c[n++] = (struct col){ "timestamp", "(local)", 19, -1 };
	head_cols(f, c, n, groups, CB_ARRAY_LEN(groups));
}

static const struct col latency_cols[] = {
	{ "size", "(B)", 12, -1 }, { "type", "", 8, -1 }, { "redop", "", 6, -1 },
	{ "root", "", 6, -1 }, { "algo", "", 13, -1 }, { "place", "", 5, -1 },
	{ "avg", "(us)", 9, 0 }, { "min", "(us)", 9, 0 }, { "max", "(us)", 9, 0 },
	{ "p50", "(us)", 9, 0 }, { "p99", "(us)", 9, 0 }, { "iters", "", 8, -1 },
	{ "#wrong", "", 6, -1 },
};

void cb_report_section(FILE *f, const struct cb_options *o, const struct cb_coll *coll,
		       int nranks, const struct cb_counter_set *ctrs)
{
	static const char *const lat_groups[] = { "latency per call" };
	/* "$3" of this line is the collective's name (scripts read it). */
	fprintf(f, "# Collective: %s (%d rank%s)\n", coll->name, nranks, nranks == 1 ? "" : "s");
	if (o->latency)
		head_cols(f, latency_cols, CB_ARRAY_LEN(latency_cols), lat_groups, 1);
	else
		section_table(f, o, ctrs);
}

/* ---- rows ---- */

static void half(FILE *f, const struct cb_half *h)
{
	char t[32], a[32], b[32];
	if (!h->present) {
		fprintf(f, "  %7s  %6s  %6s  %6s", "N/A", "N/A", "N/A", "N/A");
		return;
	}
	fprintf(f, "  %7s  %6s  %6s", fmt_num(t, sizeof t, 7, h->time_us),
		fmt_num(a, sizeof a, 6, h->algbw), fmt_num(b, sizeof b, 6, h->busbw));
	if (h->wrong < 0)
		fprintf(f, "  %6s", "N/A");
	else
		fprintf(f, "  %6lld", h->wrong);
}

static void eff(FILE *f, const struct cb_half *h)
{
	char e[32];
	fprintf(f, "  %6s", h->present && h->has_eff ? fmt_num(e, sizeof e, 6, h->eff) : "N/A");
}

static void per_iter(FILE *f, const struct cb_half *h)
{
	char a[32], b[32], c[32], d[32], e[32];
	if (!h->present) {
		fprintf(f, "  %7s  %7s  %7s  %7s  %6s  %4s", "N/A", "N/A", "N/A", "N/A", "N/A", "N/A");
		return;
	}
	fprintf(f, "  %7s  %7s  %7s  %7s  %6s  %4d", fmt_num(a, sizeof a, 7, h->st.min_us),
		fmt_num(b, sizeof b, 7, h->st.p50_us), fmt_num(c, sizeof c, 7, h->st.p99_us),
		fmt_num(d, sizeof d, 7, h->st.max_us), fmt_num(e, sizeof e, 6, h->st.cv_pct),
		h->st.straggler);
}

static void counters(FILE *f, const struct cb_result *r, const struct cb_half *h)
{
	char a[32], b[32];
	for (unsigned k = 0; k < r->ctrs->n; k++) {
		if (!h->present)
			fprintf(f, "  %*s  %*s", CTR_W, "N/A", CTR_W, "N/A");
		else if (!h->ctr_ok[k])
			fprintf(f, "  %*s  %*s", CTR_W, "n/a", CTR_W, "n/a");
		else
			fprintf(f, "  %*s  %*s", CTR_W, fmt_num(a, sizeof a, CTR_W, h->ctr_total[k]),
				CTR_W, fmt_num(b, sizeof b, CTR_W, h->ctr_per_iter[k]));
	}
}

static void latency_row(FILE *f, const struct cb_options *o, const struct cb_result *r)
{
	const struct cb_point *pt = r->pt;
	for (int h = 0; h < 2; h++) {
		const struct cb_half *x = &r->half[h];
		char v[5][32];
		if (!x->present)
			continue;
		fprintf(f, "%12zu  %8s  %6s  %6d  %13s  %5s  %9s  %9s  %9s  %9s  %9s  %8ld", pt->n.bytes,
			pt->dt->name, pt->op ? pt->op->name : "none", pt->root, pt->algo->name,
			h ? "in" : "out", fmt_num(v[0], 32, 9, x->time_us),
			fmt_num(v[1], 32, 9, x->st.min_us), fmt_num(v[2], 32, 9, x->st.max_us),
			fmt_num(v[3], 32, 9, x->st.p50_us), fmt_num(v[4], 32, 9, x->st.p99_us),
			x->iters);
		if (x->wrong < 0)
			fprintf(f, "  %6s", "N/A");
		else
			fprintf(f, "  %6lld", x->wrong);
		if (o->timestamps)
			fprintf(f, "  %19s", r->stamp);
		fputc('\n', f);
	}
}

void cb_report_row(FILE *f, const struct cb_options *o, const struct cb_result *r)
{
	const struct cb_point *pt = r->pt;
	if (o->latency) {
		latency_row(f, o, r);
		fflush(f);
		return;
	}
	fprintf(f, "%12zu  %12zu  %8s  %6s  %6d  %13s", pt->n.bytes, pt->n.count, pt->dt->name,
		pt->op ? pt->op->name : "none", pt->root, pt->algo->name);
	half(f, &r->half[0]);
	half(f, &r->half[1]);
	if (o->roofline) {
		char b[32];
		fprintf(f, "  %7s", r->copy_bw > 0 ? fmt_num(b, sizeof b, 7, r->copy_bw) : "N/A");
		eff(f, &r->half[0]);
		eff(f, &r->half[1]);
	}
	if (o->per_iter) {
		per_iter(f, &r->half[0]);
		per_iter(f, &r->half[1]);
	}
	if (r->ctrs) {
		counters(f, r, &r->half[0]);
		counters(f, r, &r->half[1]);
	}
	if (o->timestamps)
		fprintf(f, "  %19s", r->stamp);
	fputc('\n', f);
	fflush(f);
}

void cb_report_footer(FILE *f, const struct cb_report *rep)
{
	const struct cb_options *o = rep->o;
	const struct cb_summary *s = &rep->sum;
	fprintf(f, "# Out of bounds values : %lld %s\n", s->out_of_bounds,
		s->out_of_bounds ? "FAILED" : "OK");
	if (o->min_busbw_set)
		fprintf(f, "# Avg bus bandwidth    : %g %s (--min-busbw %g)\n", s->avg_busbw,
			s->min_busbw_failed ? "FAILED: below" : "OK: not below", o->min_busbw);
	else
		fprintf(f, "# Avg bus bandwidth    : %g \n", s->avg_busbw);
	if (o->baseline) {
		fprintf(f, "# Baseline %s: %ld row halves compared, %zu slower by more than %g%%: %s\n",
			o->baseline, s->baseline_compared, s->nregs, o->max_regression,
			!s->baseline_compared ? "FAILED (no row matches)" : s->nregs ? "FAILED" : "OK");
		for (size_t i = 0; i < s->nregs; i++) {
			const struct cb_regression *g = &s->regs[i];
			const struct cb_result *r = &rep->rows[g->row];
			const struct cb_point *pt = r->pt;
			fprintf(f, "#  REGRESSED: %s %s size %zu %s %s root %d nranks %d %s: "
				"%.2f us, baseline %.2f us (%+.1f%%)\n",
				pt->coll->name, pt->algo->name, pt->n.bytes, pt->dt->name,
				pt->op ? pt->op->name : "none", pt->root, r->nranks,
				g->half ? "in-place" : "out-of-place", r->half[g->half].time_us,
				g->base_time_us, g->change_pct);
		}
	}
	if (s->interrupted)
		fprintf(f, "# Interrupted          : %s after %zu rows (exit status %d)\n",
			cb_signal_name(s->interrupted), rep->nrows, s->exit_status);
	fprintf(f, "#\n# Collective test concluded: %s\n#\n", o->command);
	fflush(f);
}
