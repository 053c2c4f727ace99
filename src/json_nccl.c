/* json_nccl.c: nccl-tests' JSON keys (its format version 3, src/util.cu of
 * nccl-tests 2.19) written into collbench's -J object beside collbench's
 * own, so that readers of nccl-tests' JSON (tools/analyze_perf_json.py,
 * health checks reading average_bus_bandwidth.bandwidth) read collbench's
 * file while collbench's format version 1 keys stay as they were (man
 * page, OUTPUT FORMATS: only additions). Both formats call the list of
 * rows "results" with size, count, type, redop and root in each row, so a
 * row object carries both: collbench's out_of_place/in_place objects gain
 * nccl-tests' time, alg_bw, bus_bw and nwrong. Writes values of the
 * records; computes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collbench/json.h"
#include "collbench/report.h"
#include "collbench/split.h"

/* nccl-tests' members of a half object (cb_report_json's half_json). */
void cb_json_nccl_half(struct cb_jw *w, const struct cb_options *o, const struct cb_half *x)
{
	cb_jw_num(w, o->cputime ? "cpu_time" : "time", x->time_us);
	cb_jw_num(w, "alg_bw", x->algbw);
	cb_jw_num(w, "bus_bw", x->busbw);
	if (x->wrong < 0)
		cb_jw_null(w, "nwrong");
	else
		cb_jw_num(w, "nwrong", (double)x->wrong);
}

/* nccl-tests' per_process_max_times_us (MPI, more than one process): a
 * row per process of its own iteration times; a process is one rank, so
 * its row is that rank's times, and times_us is their max per iteration
 * (combine.c), which analyze_perf_json.py's consistency check asks. */
static void proc_times(struct cb_jw *w, const struct cb_half *x)
{
	if (!x->proc_times_us || x->nprocs < 2)
		return;
	cb_jw_open(w, "per_process_max_times_us", '[');
	for (int r = 0; r < x->nprocs; r++) {
		cb_jw_open(w, NULL, '[');
		for (long i = 0; i < x->ntimes; i++)
			cb_jw_num(w, NULL, x->proc_times_us[(size_t)r * (size_t)x->ntimes + (size_t)i]);
		cb_jw_close(w, ']');
	}
	cb_jw_close(w, ']');
}

/* nccl-tests' members of a row: -I 1's per-iteration summaries and times
 * (per call: under threads the collective's, the latest rank's end minus
 * the previous; under MPI the max of the processes' own times, each
 * process's row in per_process_max_times_us as nccl-tests writes it), the
 * timed iterations and the experiment's name. */
void cb_json_nccl_row(struct cb_jw *w, const struct cb_options *o, const struct cb_result *r)
{
	static const char *const keys[2] = { "out_of_place_per_iter", "in_place_per_iter" };
	char label[96];
	for (int h = 0; o->per_iter && h < 2; h++) {
		const struct cb_half *x = &r->half[h];
		if (!x->present) {
			cb_jw_null(w, keys[h]);
			continue;
		}
		cb_jw_open(w, keys[h], '{');
		cb_jw_int(w, "skipped_iterations", o->per_iter_skip);
		cb_jw_num(w, "min_us", x->st.min_us);
		cb_jw_num(w, "max_us", x->st.max_us);
		cb_jw_num(w, "avg_us", x->st.mean_us);
		cb_jw_num(w, "p50_us", x->st.p50_us);
		cb_jw_num(w, "p95_us", x->st.p95_us);
		cb_jw_num(w, "p99_us", x->st.p99_us);
		cb_jw_num(w, "stdev_us", x->st.stdev_us);
		cb_jw_num(w, "cv_pct", x->st.cv_pct);
		cb_jw_open(w, "times_us", '[');
		for (long i = 0; i < x->ntimes; i++)
			cb_jw_num(w, NULL, x->times_us[i]);
		cb_jw_close(w, ']');
		proc_times(w, x);
		cb_jw_close(w, '}');
	}
	/* --nccl-compat: nccl-tests' root, the string its table prints
	 * ("%6i", "    -1" without a root); else collbench's int
	 * (json_report.c), which readers that convert it read alike. */
	if (o->nccl_compat) {
		char root[16];
		snprintf(root, sizeof root, "%6i", r->pt->root);
		cb_jw_str(w, "root", root);
	}
	cb_jw_int(w, "actual_iterations", r->half[0].iters);
	snprintf(label, sizeof label, "%s ", r->pt->coll->nccl_test);
	cb_point_label(r->pt, label + strlen(label), sizeof label - strlen(label));
	cb_jw_str(w, "experiment_name", label);
}

/* nccl-tests' config members (inside collbench's "config"): the sweep,
 * and "devices", a rank per entry as its rank lines say. */
void cb_json_nccl_config(struct cb_jw *w, const struct cb_report *rep)
{
	const struct cb_options *o = rep->o;
	const struct cb_place_snap *sn = rep->nplaces ? &rep->places[0] : NULL;
	int n = sn ? sn->nranks : 0;
	cb_jw_int(w, "nthreads", o->nthreads);
	cb_jw_int(w, "ngpus", o->nthreads > 0 ? n / o->nthreads : n);
	cb_jw_int(w, "minimum_bytes", (long long)o->minbytes);
	cb_jw_int(w, "maximum_bytes", (long long)o->maxbytes);
	if (o->stepfactor > 1)
		cb_jw_int(w, "step_factor", o->stepfactor);
	else
		cb_jw_int(w, "step_bytes", (long long)o->stepbytes);
	cb_jw_int(w, "iterations", o->iters);
	cb_jw_int(w, "aggregated_iterations", o->agg_iters);
	cb_jw_int(w, "validation", o->check);
	cb_jw_int(w, "graph", 0);
	cb_jw_bool(w, "blocking_collectives", o->blocking != 0);
	cb_jw_bool(w, "per_iter_timing", o->per_iter != 0);
	cb_jw_int(w, "per_iter_skip", o->per_iter_skip);
	cb_jw_bool(w, "parallel_init", false);
	int *colors = cb_xcalloc(n > 0 ? (size_t)n : 1, sizeof *colors);
	cb_split_colors(o, n, colors);   /* "group": as the rank lines' Group */
	cb_jw_open(w, "devices", '[');
	for (int r = 0; r < n; r++) {
		const struct cb_rank_place *rp = &sn->ranks[r];
		char info[96];
		snprintf(info, sizeof info, "PU %d core %d NUMA %d", rp->pu_os, rp->core, rp->numa);
		cb_jw_open(w, NULL, '{');
		cb_jw_int(w, "rank", r);
		cb_jw_int(w, "group", colors[r]);
		cb_jw_int(w, "pid", rp->host[0] ? rp->pid : (long long)getpid());
		cb_jw_str(w, "hostname", rp->host[0] ? rp->host : rep->host);
		cb_jw_int(w, "device", r);
		cb_jw_str(w, "device_hex", "cpu");
		cb_jw_str(w, "device_info", info);
		cb_jw_close(w, '}');
	}
	cb_jw_close(w, ']');
	free(colors);
}

/* nccl-tests' top-level members: the version of its layout, the command
 * line, and the footer's two verdicts over the whole run. */
void cb_json_nccl_top(struct cb_jw *w, const struct cb_report *rep)
{
	const struct cb_summary *s = &rep->sum;
	cb_jw_int(w, "version", 3);
	cb_jw_open(w, "args", '[');
	for (int i = 0; i < rep->argc; i++)
		cb_jw_str(w, NULL, rep->argv[i]);
	cb_jw_close(w, ']');
	cb_jw_open(w, "out_of_bounds", '{');
	cb_jw_int(w, "count", s->out_of_bounds);
	cb_jw_bool(w, "okay", s->out_of_bounds == 0);
	cb_jw_close(w, '}');
	cb_jw_open(w, "average_bus_bandwidth", '{');
	cb_jw_num(w, "bandwidth", s->avg_busbw);
	if (rep->o->min_busbw_set)
		cb_jw_bool(w, "okay", !s->min_busbw_failed);
	else
		cb_jw_str(w, "okay", "unchecked");
	cb_jw_close(w, '}');
	cb_jw_open(w, "errors", '[');
	cb_jw_close(w, ']');
}
