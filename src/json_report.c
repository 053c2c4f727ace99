/* json_report.c: the -J printer: a report as one JSON object (man page,
 * OUTPUT FORMATS). A row's members and its halves' come from the field
 * schema (fields.h); the run's configuration, machine, placements and
 * summary are written here. Computes nothing. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/fields.h"
#include "collbench/json.h"
#include "collbench/report.h"
#include "collbench/transport.h"

static void tri(struct cb_jw *w, const char *key, int v)
{
	if (v < 0)
		cb_jw_null(w, key);
	else
		cb_jw_bool(w, key, v);
}

/* One schema field's value (fields.h). */
static void value_json(struct cb_jw *w, const struct cb_field *f, const struct cb_fval *v)
{
	if (v->null)
		cb_jw_null(w, f->name);
	else if (f->kind == CB_FK_INT)
		cb_jw_int(w, f->name, v->i);
	else if (f->kind == CB_FK_NUM)
		cb_jw_num(w, f->name, v->d);
	else if (f->kind == CB_FK_NUMS)
		cb_jw_nums(w, f->name, v->a, v->n);
	else
		cb_jw_str(w, f->name, v->s);
}

/* The row's (h < 0) or a half's schema fields, but the one named skip
 * (NULL: none), which another writer gives in its own form. */
static void fields_json(struct cb_jw *w, const struct cb_result *r, int h, const char *skip)
{
	for (unsigned i = 0; i < cb_nfields; i++) {
		const struct cb_field *f = &cb_fields[i];
		struct cb_fval v;
		if (!(f->formats & CB_FMT_JSON) || f->half != (h >= 0) ||
		    (skip && !strcmp(f->name, skip)))
			continue;
		cb_field_value(f, r, h, &v);
		value_json(w, f, &v);
	}
}

static void half_json(struct cb_jw *w, const struct cb_options *rep_opts,
		      const struct cb_result *r, int h)
{
	if (!r->half[h].present) {
		cb_jw_null(w, cb_half_key(h));
		return;
	}
	cb_jw_open(w, cb_half_key(h), '{');
	fields_json(w, r, h, NULL);
	cb_json_nccl_half(w, rep_opts, &r->half[h]);
	/* --counters: summed over ranks, and that divided by "iterations";
	 * null where unavailable. */
	if (!r->ctrs) {
		cb_jw_null(w, "counters");
	} else {
		cb_jw_open(w, "counters", '{');
		for (unsigned k = 0; k < r->ctrs->n; k++) {
			cb_jw_open(w, cb_counter_descs[r->ctrs->idx[k]].name, '{');
			for (int t = 0; t < 2; t++) {
				struct cb_fval v;
				cb_field_counter(r, h, k, t, &v);
				if (v.null)
					cb_jw_null(w, t ? "per_iter" : "total");
				else
					cb_jw_num(w, t ? "per_iter" : "total", v.d);
			}
			cb_jw_close(w, '}');
		}
		cb_jw_close(w, '}');
	}
	cb_jw_close(w, '}');
}

/* The keys that name a row (--baseline's regressed entries). */
static void row_keys(struct cb_jw *w, const struct cb_result *r)
{
	const struct cb_point *pt = r->pt;
	char ran[64];
	cb_jw_int(w, "nranks", r->nranks);
	cb_jw_str(w, "collective", pt->coll->name);
	cb_jw_str(w, "algo", pt->algo->name);
	cb_jw_str(w, "ran", cb_point_ran(pt, ran, sizeof ran));
	cb_jw_int(w, "size", (long long)pt->n.bytes);
	cb_jw_int(w, "count", (long long)pt->n.count);
	cb_jw_str(w, "type", pt->dt->name);
	cb_jw_str(w, "redop", pt->op ? pt->op->name : "none");
	cb_jw_int(w, "root", pt->root);
}

static void config_json(struct cb_jw *w, const struct cb_report *rep)
{
	const struct cb_options *o = rep->o;
	cb_jw_open(w, "config", '{');
	cb_jw_str(w, "command", o->command);
	cb_jw_open(w, "nranks", '[');
	for (int i = 0; i < rep->nplaces; i++)
		cb_jw_int(w, NULL, rep->places[i].nranks);
	cb_jw_close(w, ']');
	cb_jw_int(w, "minbytes", (long long)o->minbytes);
	cb_jw_int(w, "maxbytes", (long long)o->maxbytes);
	cb_jw_int(w, "stepfactor", o->stepfactor);
	cb_jw_int(w, "stepbytes", (long long)o->stepbytes);
	cb_jw_int(w, "iters", o->iters);
	cb_jw_int(w, "warmup_iters", o->warmup);
	cb_jw_int(w, "check", o->check);
	cb_jw_int(w, "average", o->average);
	cb_jw_int(w, "blocking", o->blocking);
	cb_jw_num(w, "timeout", o->timeout);
	cb_jw_str(w, "algo", o->algos);
	cb_jw_str(w, "datatype", o->dtypes);
	cb_jw_str(w, "op", o->ops);
	cb_jw_str(w, "root", o->root);
	cb_jw_bool(w, "roofline", o->roofline);
	cb_jw_int(w, "run_cycles", o->cycles);
	if (o->duration > 0)
		cb_jw_num(w, "duration", o->duration);
	else
		cb_jw_null(w, "duration");
	cb_jw_str(w, "counters", o->counters);
	cb_jw_bool(w, "perf_ctl", o->perf_ctl != NULL);
	cb_json_nccl_config(w, rep);
	/* -b/-e as a list (minbytes/maxbytes are then its extremes) */
	if (o->nsizes) {
		cb_jw_open(w, "sizes", '[');
		for (int i = 0; i < o->nsizes; i++)
			cb_jw_int(w, NULL, (long long)o->sizes[i]);
		cb_jw_close(w, ']');
	} else {
		cb_jw_null(w, "sizes");
	}
	if (o->time_per_size > 0)
		cb_jw_num(w, "time_per_size", o->time_per_size);
	else
		cb_jw_null(w, "time_per_size");
	cb_jw_close(w, '}');
}

static void transport_json(struct cb_jw *w)
{
	cb_jw_open(w, "transport", '{');
	cb_jw_str(w, "kind", cb_transport_kind());
	if (cb_xport.mpi) {
		cb_jw_str(w, "library", cb_xport.library);
		cb_jw_str(w, "window", cb_transport_window());
	} else {
		cb_jw_null(w, "library");
		cb_jw_null(w, "window");
	}
	cb_jw_int(w, "hosts", cb_transport_hosts());
	cb_jw_close(w, '}');
}

static void ints_json(struct cb_jw *w, const char *key, const int *v, int n)
{
	cb_jw_open(w, key, '[');
	for (int i = 0; i < n; i++)
		cb_jw_int(w, NULL, v[i]);
	cb_jw_close(w, ']');
}

/* The machine snapshot's fields; summary: the table's topology lines, made
 * from the same snapshot (null when no rank count was placed). */
static void machine_json(struct cb_jw *w, const struct cb_report *rep)
{
	static const char *const binding[] = {
		[CB_SNAP_PLANNED] = "planned", [CB_SNAP_UNSUPPORTED] = "unsupported",
		[CB_SNAP_UNBOUND] = "unbound", [CB_SNAP_APPLIED] = "applied",
	};
	const struct cb_machine_snap *m = &rep->machine;
	char *text = m->taken ? cb_snap_topology_text(m, false) : NULL;
	cb_jw_open(w, "machine", '{');
	cb_jw_str(w, "host", rep->host);
	cb_jw_str(w, "summary", text);
	cb_jw_int(w, "pus_for_ranks", m->navail);
	cb_jw_int(w, "numa_nodes", m->nnodes);
	cb_jw_str(w, "topology", m->taken ? m->desc : NULL);
	cb_jw_str(w, "binding", m->taken ? binding[m->binding] : NULL);
	cb_jw_int(w, "packages", m->packages);
	cb_jw_int(w, "cores", m->cores);
	cb_jw_int(w, "pus", m->pus);
	ints_json(w, "pu_list_for_ranks", m->avail, m->navail);
	if (m->llc_bytes)
		cb_jw_int(w, "llc_bytes", (long long)m->llc_bytes);
	else
		cb_jw_null(w, "llc_bytes");
	cb_jw_open(w, "nodes", '[');
	for (int i = 0; i < m->nnodes; i++) {
		const struct cb_numa_snap *n = &m->nodes[i];
		cb_jw_open(w, NULL, '{');
		cb_jw_int(w, "os_index", n->os_index);
		cb_jw_int(w, "memory_bytes", (long long)n->memory_bytes);
		cb_jw_bool(w, "has_memory", n->memory_bytes > 0);
		ints_json(w, "pus", n->pus, n->npus);
		ints_json(w, "cores", n->cores, n->ncores);
		cb_jw_close(w, '}');
	}
	cb_jw_close(w, ']');
	cb_jw_close(w, '}');
	free(text);
}

/* One rank count's snapshot; map: the table's rank map (no host or pid),
 * made from the same snapshot. */
static void place_json(struct cb_jw *w, const struct cb_machine_snap *m,
		       const struct cb_place_snap *sn)
{
	char *map = cb_snap_map_text(m, sn, NULL, 0, NULL);
	bool checked = cb_snap_checked(m, sn);
	cb_jw_open(w, NULL, '{');
	cb_jw_int(w, "nranks", sn->nranks);
	cb_jw_str(w, "bind", sn->bind);
	cb_jw_str(w, "mem", sn->mem);
	cb_jw_str(w, "cpus", sn->cpus);
	cb_jw_bool(w, "checked", checked);
	if (checked)
		cb_jw_int(w, "mismatches", cb_snap_mismatches(m, sn, NULL, 0));
	else
		cb_jw_null(w, "mismatches");
	cb_jw_open(w, "ranks", '[');
	for (int r = 0; r < sn->nranks; r++) {
		const struct cb_rank_place *rp = &sn->ranks[r];
		cb_jw_open(w, NULL, '{');
		cb_jw_int(w, "rank", r);
		cb_jw_int(w, "pu", rp->pu_os);
		cb_jw_int(w, "core", rp->core);
		cb_jw_int(w, "numa", rp->numa);
		cb_jw_int(w, "ran_on", rp->ran_on);
		if (rp->host[0]) {
			cb_jw_str(w, "host", rp->host);
			cb_jw_int(w, "pid", rp->pid);
		} else {
			cb_jw_null(w, "host");
			cb_jw_null(w, "pid");
		}
		cb_jw_str(w, "window_numa", rp->window_nodes);
		/* NUMA: the planned window node (-1 interleave or none), its
		 * hwloc distance from the PU's node, pages found per node. */
		cb_jw_int(w, "window_node", rp->win_node);
		if (rp->distance >= 0)
			cb_jw_int(w, "numa_distance", rp->distance);
		else
			cb_jw_null(w, "numa_distance");
		cb_jw_str(w, "pages_per_node", rp->page_nodes);
		tri(w, "cpu_ok", rp->cpu_ok);
		tri(w, "mem_ok", rp->mem_ok);
		cb_jw_bool(w, "bound", rp->bound == 1);
		cb_jw_int(w, "pages_checked", rp->pages_checked);
		cb_jw_int(w, "pages_wrong", rp->pages_wrong);
		cb_jw_close(w, '}');
	}
	cb_jw_close(w, ']');
	cb_jw_str(w, "map", map);
	cb_jw_close(w, '}');
	free(map);
}

static void places_json(struct cb_jw *w, const struct cb_report *rep)
{
	machine_json(w, rep);
	cb_jw_open(w, "placements", '[');
	for (int i = 0; i < rep->nplaces; i++)
		place_json(w, &rep->machine, &rep->places[i]);
	cb_jw_close(w, ']');
}

static void summary_json(struct cb_jw *w, const struct cb_report *rep)
{
	const struct cb_summary *s = &rep->sum;
	const struct cb_options *o = rep->o;
	cb_jw_open(w, "summary", '{');
	cb_jw_int(w, "rows", (long long)rep->nrows);
	cb_jw_int(w, "out_of_bounds", s->out_of_bounds);
	cb_jw_bool(w, "okay", s->out_of_bounds == 0);
	cb_jw_num(w, "avg_busbw", s->avg_busbw);
	cb_jw_int(w, "slow_yields", s->yield_slow);
	cb_jw_int(w, "paused_yield_waits", s->yield_paused);
	if (o->min_busbw_set) {
		cb_jw_num(w, "min_busbw", o->min_busbw);
		cb_jw_bool(w, "min_busbw_okay", !s->min_busbw_failed);
	} else {
		cb_jw_null(w, "min_busbw");
		cb_jw_null(w, "min_busbw_okay");
	}
	if (!o->baseline) {
		cb_jw_null(w, "baseline");
	} else {
		cb_jw_open(w, "baseline", '{');
		cb_jw_str(w, "file", o->baseline);
		cb_jw_num(w, "max_regression_pct", o->max_regression);
		cb_jw_int(w, "compared", s->baseline_compared);
		cb_jw_bool(w, "okay", !s->nregs && s->baseline_compared);
		cb_jw_open(w, "regressed", '[');
		for (size_t i = 0; i < s->nregs; i++) {
			const struct cb_regression *g = &s->regs[i];
			const struct cb_result *r = &rep->rows[g->row];
			cb_jw_open(w, NULL, '{');
			row_keys(w, r);
			cb_jw_bool(w, "in_place", g->half == 1);
			cb_jw_num(w, "base_time_us", g->base_time_us);
			cb_jw_num(w, "time_us", r->half[g->half].time_us);
			cb_jw_num(w, "change_pct", g->change_pct);
			cb_jw_close(w, '}');
		}
		cb_jw_close(w, ']');
		cb_jw_close(w, '}');
	}
	if (s->interrupted)
		cb_jw_str(w, "interrupted", cb_signal_name(s->interrupted));
	else
		cb_jw_null(w, "interrupted");
	cb_jw_int(w, "exit_status", s->exit_status);
	cb_jw_close(w, '}');
}

void cb_report_json(FILE *f, const struct cb_report *rep)
{
	struct cb_jw w;
	cb_jw_init(&w, f);
	cb_jw_open(&w, NULL, '{');
	cb_jw_str(&w, "format", "collbench-results");
	cb_jw_int(&w, "format_version", CB_FORMAT_VERSION);
	cb_jw_str(&w, "collbench_version", CB_VERSION);
	cb_jw_str(&w, "hwloc_version", cb_placement_hwloc_version());
	cb_jw_str(&w, "libnuma_version", cb_placement_numa_version());
	cb_jw_open(&w, "command_line", '[');
	for (int i = 0; i < rep->argc; i++)
		cb_jw_str(&w, NULL, rep->argv[i]);
	cb_jw_close(&w, ']');
	cb_jw_str(&w, "start_time", rep->start_time);
	cb_jw_str(&w, "end_time", rep->end_time);
	config_json(&w, rep);
	transport_json(&w);
	places_json(&w, rep);
	cb_jw_open(&w, "results", '[');
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cb_result *r = cb_results_row(rep, i);
		cb_jw_open(&w, NULL, '{');
		/* --nccl-compat: root in nccl-tests' form (json_nccl.c) */
		fields_json(&w, r, -1, rep->o->nccl_compat ? "root" : NULL);
		half_json(&w, rep->o, r, 0);
		half_json(&w, rep->o, r, 1);
		cb_json_nccl_row(&w, rep->o, r);
		cb_jw_close(&w, '}');
	}
	cb_jw_close(&w, ']');
	summary_json(&w, rep);
	cb_json_nccl_top(&w, rep);
	cb_jw_close(&w, '}');
}
