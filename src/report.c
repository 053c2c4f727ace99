/* report.c: the nccl-tests-style table (preamble, a topology and rank block
 * per rank count, a three-row column header per section, rows, footer) and
 * the OSU-like latency view. Computes nothing: rows arrive finished. The
 * table's columns, headings and cells come from the field schema
 * (fields.h), as JSON's and CSV's do.
 *
 * Column positions of the default view are fixed (nccl-tests' 6 prefix
 * columns plus algo, then time algbw busbw #wrong per half); the roofline
 * and -I columns are appended after them, so scripts that read the first 14
 * columns work with every option. --counters columns (per half, per counter:
 * total and per iteration) and -S's timestamp come last. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collbench/fields.h"
#include "collbench/split.h"
#include "collbench/report.h"
#include "collbench/results.h"
#include "collbench/transport.h"

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

/* The run's facts, once: collbench's own lines. Each section then starts
 * with nccl-tests' lines (cb_report_start). */
void cb_report_preamble(FILE *f, const struct cb_options *o, const int *counts, int ncounts)
{
	fprintf(f, "# collbench version %s hwloc %s libnuma %s\n", CB_VERSION,
		cb_placement_hwloc_version(), cb_placement_numa_version());
	fprintf(f, "# nRanks ");
	for (int i = 0; i < ncounts; i++)
		fprintf(f, "%s%d", i ? "," : "", counts[i]);
	fprintf(f, " (-t %ld) command: %s average: %ld blocking: %ld timeout: %g\n", o->nthreads,
		o->command, o->average, o->blocking, o->timeout);
	if (cb_xport.mpi)
		fprintf(f, "# transport: mpi library: %s hosts: %d window: %s\n", cb_xport.library,
			cb_transport_hosts(), cb_transport_window());
	else
		fprintf(f, "# transport: threads hosts: 1\n");
	if (o->duration > 0 || o->cycles != 1 || o->perf_ctl || o->counters)
		fprintf(f, "# duration: %g s (0: -n iterations) cycles: %ld (0: until interrupted) perf-ctl: %s counters: %s\n",
			o->duration, o->cycles, o->perf_ctl ? "on" : "off",
			o->counters ? o->counters : "none");
	if (o->gpu_only[0])
		fprintf(f, "# Not applicable on CPU ranks (nccl-tests GPU options, accepted, no effect): %s\n",
			o->gpu_only);
	if (o->cputime)
		fprintf(f, "# -C 1: time columns headed cputime; on CPU ranks the time is CPU wall time either way\n");
}

void cb_report_mpi_ranks(FILE *f, const struct cb_mpi_rank *ranks, int n, const int *colors)
{
	int hosts = cb_xport.nhosts;
	fprintf(f, "#\n# Transport: MPI (%s), %d process%s on %d host%s, %s windows, binding by the launcher\n",
		cb_xport.library, n, n == 1 ? "" : "es", hosts, hosts == 1 ? "" : "s",
		cb_xport.window == CB_MPIWIN_SHARED ? "shared (MPI_Win_allocate_shared)"
						     : "rma (MPI_Win_allocate)");
	for (int q = 0; q < n; q++)
		/* nccl-tests' rank line (one rank per process: device 0), then
		 * where the launcher let it run */
		fprintf(f, "#  Rank %2d Group %2d Pid %6d on %10s device %2d [cpu] PU %3d allowed PUs %s (%d)\n",
			q, colors[q], ranks[q].pid, ranks[q].host, 0, ranks[q].pu, ranks[q].allowed,
			ranks[q].nallowed);
	fprintf(f, "#\n");
}

/* nccl-tests' header line, token for token (its writeDeviceReport): parsers
 * read nThread, nGpus, minBytes... from it. nGpus is ranks per thread of
 * this process: the section's ranks / -t, and 1 with MPI (a rank per
 * process, as mpirun -np N ... -t 1 -g 1). */
void cb_report_start(FILE *f, const struct cb_options *o, const struct cb_coll *coll,
		     int nranks, bool mpi)
{
	long ngpus = mpi ? 1 : nranks / (o->nthreads > 0 ? o->nthreads : 1);
	fprintf(f, "# Collective test starting: %s\n", coll->nccl_test);
	fprintf(f, "# nThread %ld nGpus %ld minBytes %zu maxBytes %zu step: ", o->nthreads, ngpus,
		o->minbytes, o->maxbytes);
	if (o->stepfactor > 1)
		fprintf(f, "%ld(factor)", o->stepfactor);
	else
		fprintf(f, "%zu(bytes)", o->stepbytes);
	fprintf(f, " warmup iters: %ld iters: %ld agg iters: %ld validation: %ld graph: 0 unalign: %ld\n",
		o->warmup, o->iters, o->agg_iters, o->check, o->unalign);
	if (o->per_iter)
		fprintf(f, "# Per-Iteration Report: i_* over the iterations' times (latest rank)%s%ld\n",
			"; summary skips first iterations: ", o->per_iter_skip);
	if (coll->inplace == cb_inplace_none)
		fprintf(f, "# %s has no in-place form: the in-place half does not run; its time, algbw and busbw print 0, #wrong N/A\n",
			coll->name);
	fflush(f);
}

void cb_report_header(FILE *f, const struct cb_machine_snap *m, const struct cb_place_snap *s,
		      int k, int n, const int *colors)
{
	char *topo = cb_snap_topology_text(m, false),
	     *map = cb_snap_map_text(m, s, m->host[0] ? m->host : "?", (int)getpid(), colors);
	fprintf(f, "#\n");
	if (n > 1)
		fprintf(f, "# Rank count %d (%d of %d)\n", s->nranks, k + 1, n);
	cb_snap_print(f, topo);
	cb_snap_print(f, map);
	fprintf(f, "#\n");
	fflush(f);
	free(topo);
	free(map);
	/* --strict-placement: the map above shows what went wrong; exit 2. */
	cb_snap_enforce(m, s, f);
}

/* ---- column headers ---- */

struct col {
	const char *name, *unit;
	int width;
	int group;          /* index into the section's group labels, -1 none */
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

/* ---- the table's columns: the schema's table fields (fields.h), section
 * by section in cb_fsection order, a section shown only with its option;
 * per-half sections once per half. ---- */

struct tcol {
	const struct cb_field *f;   /* NULL: counter k (total t = 0, per iteration 1) */
	int h;                      /* half, -1 for a row field */
	unsigned k;
	int t;
	char head[16];
	const char *unit;
	int width, group;           /* group: index into section_table's labels */
};

#define MAX_TCOLS 96

static bool shown(const struct cb_options *o, const struct cb_counter_set *ctrs,
		  enum cb_fsection s)
{
	switch (s) {
	case CB_FS_ROOF: case CB_FS_ROOF_HALF: return o->roofline;
	case CB_FS_ITER: return o->per_iter;
	case CB_FS_COUNTERS: return ctrs != NULL;
	case CB_FS_LOOP: return o->time_per_size > 0;
	case CB_FS_STAMP: return o->timestamps;
	case CB_FS_NONE: return false;
	default: return true;
	}
}

static size_t table_cols(const struct cb_options *o, const struct cb_counter_set *ctrs,
			 struct tcol *c)
{
	static const int group0[] = { [CB_FS_PREFIX] = -1, [CB_FS_MAIN] = 0, [CB_FS_ROOF] = 2,
				      [CB_FS_ROOF_HALF] = 2, [CB_FS_ITER] = 3, [CB_FS_COUNTERS] = 5,
				      [CB_FS_LOOP] = -1, [CB_FS_STAMP] = -1 };
	size_t n = 0;
	for (int s = CB_FS_PREFIX; s < CB_FS_NONE; s++) {
		bool per_half = s == CB_FS_MAIN || s == CB_FS_ROOF_HALF || s == CB_FS_ITER ||
				s == CB_FS_COUNTERS || s == CB_FS_LOOP;
		bool suffix = s == CB_FS_ROOF_HALF || s == CB_FS_LOOP;   /* E_out, iters_in */
		if (!shown(o, ctrs, (enum cb_fsection)s))
			continue;
		for (int h = 0; h < (per_half ? 2 : 1); h++) {
			int g = group0[s] < 0 ? -1 : group0[s] + (s == CB_FS_ROOF_HALF ? 0 : h);
			for (unsigned k = 0; s == CB_FS_COUNTERS && k < ctrs->n; k++)
				for (int t = 0; t < 2 && n < MAX_TCOLS; t++) {
					const char *head;
					struct tcol *x = &c[n++];
					*x = (struct tcol){ NULL, h, k, t, "", NULL, CB_CTR_WIDTH, g };
					cb_field_counter_head(ctrs, k, t, &head, &x->unit);
					snprintf(x->head, sizeof x->head, "%s", head);
				}
			for (unsigned i = 0; i < cb_nfields && n < MAX_TCOLS; i++) {
				const struct cb_field *f = &cb_fields[i];
				struct tcol *x;
				if (!(f->formats & CB_FMT_TABLE) || (int)f->section != s)
					continue;
				x = &c[n++];
				*x = (struct tcol){ f, per_half ? h : -1, 0, 0, "", f->unit, f->width, g };
				snprintf(x->head, sizeof x->head, suffix ? "%s_%s" : "%s",
					 f->head, h ? "in" : "out");
			}
		}
	}
	return n;
}

static void section_table(FILE *f, const struct cb_options *o, const struct cb_counter_set *ctrs)
{
	static const char *const groups[] = { "out-of-place", "in-place", "roofline",
					      "out-of-place per iteration", "in-place per iteration",
					      "out-of-place counters", "in-place counters" };
	struct tcol t[MAX_TCOLS];
	struct col c[MAX_TCOLS];
	size_t n = table_cols(o, ctrs, t);
	for (size_t i = 0; i < n; i++)
		c[i] = (struct col){ t[i].head, t[i].unit, t[i].width, t[i].group };
	head_cols(f, c, n, groups, CB_ARRAY_LEN(groups));
}

static const struct col latency_cols[] = {
	{ "size", "(B)", 12, -1 }, { "type", "", 8, -1 }, { "redop", "", 6, -1 },
	{ "root", "", 6, -1 }, { "algo", "", 13, -1 }, { "place", "", 5, -1 },
	{ "avg", "(us)", 9, 0 }, { "min", "(us)", 9, 0 }, { "max", "(us)", 9, 0 },
	{ "p50", "(us)", 9, 0 }, { "p95", "(us)", 9, 0 }, { "p99", "(us)", 9, 0 },
	{ "iters", "", 8, -1 },
	{ "#wrong", "", 6, -1 },
};

void cb_report_section(FILE *f, const struct cb_options *o, const struct cb_coll *coll,
		       int nranks, const struct cb_counter_set *ctrs)
{
	static const char *const lat_groups[] = { "latency per call" };
	/* "$3" of this line is the collective's name (scripts read it). */
	char groups[96];
	fprintf(f, "# Collective: %s (%d rank%s%s)\n", coll->name, nranks, nranks == 1 ? "" : "s",
		cb_split_describe(o, nranks, groups, sizeof groups));
	if (o->latency)
		head_cols(f, latency_cols, CB_ARRAY_LEN(latency_cols), lat_groups, 1);
	else
		section_table(f, o, ctrs);
}

/* ---- rows ---- */

/* One cell: the value as its column shows it; null is N/A, but n/a for a
 * counter the machine cannot count (the half ran). */
static void cell(FILE *f, const struct tcol *c, const struct cb_result *r, bool first)
{
	struct cb_fval v;
	char buf[96];
	const char *txt;
	if (c->f)
		cb_field_value(c->f, r, c->h, &v);
	else
		cb_field_counter(r, c->h, c->k, c->t, &v);
	/* nccl-tests prints numbers in time, algbw and busbw even for a half
	 * that has no form (parsers float() them): 0 there, #wrong N/A */
	if (v.null && c->f && c->f->section == CB_FS_MAIN && c->f->kind == CB_FK_NUM)
		v = (struct cb_fval){ .d = 0 };
	if (v.null)
		txt = !c->f && r->half[c->h].present ? "n/a" : "N/A";
	else if (c->f && c->f->kind == CB_FK_INT)
		snprintf(buf, sizeof buf, "%lld", v.i), txt = buf;
	else if (!c->f || c->f->kind == CB_FK_NUM)
		txt = fmt_num(buf, sizeof buf, c->width, v.d);
	else
		txt = v.s;
	fprintf(f, first ? "%*s" : "  %*s", c->width, txt);
}

static void latency_row(FILE *f, const struct cb_options *o, const struct cb_result *r)
{
	const struct cb_point *pt = r->pt;
	for (int h = 0; h < 2; h++) {
		const struct cb_half *x = &r->half[h];
		char v[6][32], label[96];
		if (!x->present)
			continue;
		fprintf(f, "%12zu  %8s  %6s  %6d  %13s  %5s  %9s  %9s  %9s  %9s  %9s  %9s  %8ld", pt->n.bytes,
			pt->dt->name, pt->op ? pt->op->name : "none", pt->root,
			cb_point_label(pt, label, sizeof label),
			h ? "in" : "out", fmt_num(v[0], 32, 9, x->time_us),
			fmt_num(v[1], 32, 9, x->st.min_us), fmt_num(v[2], 32, 9, x->st.max_us),
			fmt_num(v[3], 32, 9, x->st.p50_us), fmt_num(v[5], 32, 9, x->st.p95_us),
			fmt_num(v[4], 32, 9, x->st.p99_us),
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
	struct tcol c[MAX_TCOLS];
	size_t n;
	if (o->latency) {
		latency_row(f, o, r);
		fflush(f);
		return;
	}
	n = table_cols(o, r->ctrs, c);
	for (size_t i = 0; i < n; i++)
		cell(f, &c[i], r, i == 0);
	fputc('\n', f);
	fflush(f);
}

void cb_report_note(FILE *f, const struct cb_point *pt)
{
	if (cb_point_skipped(pt))
		fprintf(f, "# %s: not applicable %s\n", pt->algo->name, pt->why[0]);
	else if (pt->note_inplace)
		fprintf(f, "# %s: not applicable %s: in-place half not run (0, #wrong N/A)\n",
			pt->algo->name, pt->why[1]);
	else
		return;
	fflush(f);
}

/* nccl-tests' footer lines (its writeResultFooter). */
static void oob_line(FILE *f, const char *label, long long oob)
{
	fprintf(f, "# %-20s : %lld %s\n", label, oob, oob ? "FAILED" : "OK");
}

static void busbw_line(FILE *f, const char *label, const struct cb_report *rep, double avg,
		       bool gates)
{
	const struct cb_options *o = rep->o;
	if (gates && o->min_busbw_set)
		fprintf(f, "# %-20s : %g %s (--min-busbw %g)\n", label, avg,
			rep->sum.min_busbw_failed ? "FAILED: below" : "OK: not below", o->min_busbw);
	else
		fprintf(f, "# %-20s : %g \n", label, avg);
}

/* The run's verdicts beyond nccl-tests' two lines. */
static void gate_lines(FILE *f, const struct cb_report *rep)
{
	const struct cb_options *o = rep->o;
	const struct cb_summary *s = &rep->sum;
	if (o->memory_report)
		fprintf(f, "# %-20s : send %zu B | recv %zu B | scratch %zu B | Total %zu B\n",
			"Host memory usage", rep->mem_send, rep->mem_recv, rep->mem_scratch,
			rep->mem_send + rep->mem_recv + rep->mem_scratch);
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
}

void cb_report_section_end(FILE *f, const struct cb_report *rep, bool gates)
{
	long long oob;
	double avg;
	oob = rep->sec.oob;
	avg = rep->sec.nbusbw ? rep->sec.busbw_sum / (double)rep->sec.nbusbw : 0;
	oob_line(f, "Out of bounds values", oob);
	busbw_line(f, "Avg bus bandwidth", rep, avg, gates);
	if (gates)
		gate_lines(f, rep);
	fprintf(f, "#\n# Collective test concluded: %s\n#\n",
		rep->sec.coll ? rep->sec.coll->nccl_test : rep->o->command);
	fflush(f);
}

/* One section: its footer is the run's. Several (all, a -g sweep,
 * --nccl-compat's algorithms): each had its own footer, and the run's
 * verdict follows the last under labels of collbench's own, so that a
 * parser that reads nccl-tests' footer lines reads each section's. */
void cb_report_footer(FILE *f, const struct cb_report *rep)
{
	const struct cb_summary *s = &rep->sum;
	if (rep->sec.count <= 1) {
		cb_report_section_end(f, rep, true);
		return;
	}
	if (rep->sec.open)
		cb_report_section_end(f, rep, false);
	fprintf(f, "# collbench %s: %u sections, %zu rows\n", rep->o->command, rep->sec.count,
		rep->nrows);
	oob_line(f, "Overall out of bounds", s->out_of_bounds);
	busbw_line(f, "Overall avg busbw", rep, s->avg_busbw, true);
	gate_lines(f, rep);
	fprintf(f, "#\n");
	fflush(f);
}
