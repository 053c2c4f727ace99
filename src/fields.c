/* fields.c: the one field schema (fields.h). The order of cb_fields[] is the
 * JSON order of a row and of a half; the table takes the fields of each
 * section in this order, the CSV the fields that are not csv_late (format
 * version 1's first layout), then the metadata, then the late ones. The
 * getters only read the record: the values were computed by the runner
 * and results.c before any printer runs. */
#include <stdio.h>
#include <string.h>

#include "collbench/fields.h"

/* A getter: reads one value of the record (h is NULL for a row field). */
#define GET(NAME, BODY)                                                                   \
	static void NAME(const struct cb_result *r, const struct cb_half *h, struct cb_fval *v) \
	{                                                                                 \
		(void)r;                                                                  \
		(void)h;                                                                  \
		BODY;                                                                     \
	}

/* ---- row fields ---- */

GET(get_nranks, v->i = r->nranks)
GET(get_coll, v->s = r->pt->coll->name)
GET(get_algo, v->s = r->pt->algo->name)
GET(get_size, v->i = (long long)r->pt->n.bytes)
GET(get_count, v->i = (long long)r->pt->n.count)
GET(get_type, v->s = r->pt->dt->name)
GET(get_redop, v->s = r->pt->op ? r->pt->op->name : "none")
GET(get_root, v->i = r->pt->root)
/* The table's algo column: auto shows its pick (auto:direct), one word. */
GET(get_label, v->s = cb_point_label(r->pt, v->buf, sizeof v->buf))
GET(get_cycle, v->i = r->cycle)
GET(get_stamp, v->s = r->stamp)
GET(get_min_bytes, v->d = r->min_bytes)
GET(get_copy_bytes, v->i = (long long)r->copy_bytes; v->null = !(r->copy_bw > 0))
GET(get_copy_bw, v->d = r->copy_bw; v->null = !(r->copy_bw > 0))
GET(get_ran, v->s = cb_point_ran(r->pt, v->buf, sizeof v->buf))
/* --split (split.h): 1 group of nranks without one; split null then */
GET(get_groups, v->i = r->groups)
GET(get_group_ranks, v->i = r->group_ranks)
GET(get_group_sizes, v->s = r->group_sizes; v->null = !r->group_sizes)
GET(get_split, v->s = r->split; v->null = !r->split[0])
/* --cold-cache (coldcache.h): slots and bytes null when off */
GET(get_cold, v->i = r->cold_slots > 0)
GET(get_cold_slots, v->i = r->cold_slots; v->null = r->cold_slots <= 0)
GET(get_cold_bytes, v->i = (long long)r->cold_bytes; v->null = r->cold_slots <= 0)

/* ---- half fields ---- */

GET(get_time, v->d = h->time_us)
GET(get_algbw, v->d = h->algbw)
GET(get_busbw, v->d = h->busbw)
GET(get_wrong, v->i = h->wrong; v->null = h->wrong < 0)   /* -c 0 */
GET(get_eff, v->d = h->eff; v->null = !h->has_eff)
GET(get_iters, v->i = h->iters)
GET(get_slow, v->i = h->yield_slow)
GET(get_paused, v->i = h->yield_paused)
GET(get_samples, v->i = h->st.n)
GET(get_min, v->d = h->st.min_us)
GET(get_p50, v->d = h->st.p50_us)
GET(get_p95, v->d = h->st.p95_us)
GET(get_p99, v->d = h->st.p99_us)
GET(get_max, v->d = h->st.max_us)
GET(get_mean, v->d = h->st.mean_us)
GET(get_stdev, v->d = h->st.stdev_us)
GET(get_cv, v->d = h->st.cv_pct)
GET(get_straggler, v->i = h->st.straggler)
GET(get_straggler_mean, v->d = h->st.straggler_mean_us)
/* -I 1 only (kept by combine.c): null otherwise */
GET(get_times, v->a = h->times_us; v->n = h->ntimes; v->null = !h->times_us)
GET(get_rank_means, v->a = h->rank_means_us; v->n = r->nranks; v->null = !h->rank_means_us)

#define INT CB_FK_INT
#define NUM CB_FK_NUM
#define STR CB_FK_STR
#define NUMS CB_FK_NUMS
#define ROW false
#define HALF true
#define LATE true
#define EARLY false

const struct cb_field cb_fields[] = {
	/* name               kind half  formats        csv    section           head      unit          w  get */
	{ "nranks",           INT, ROW,  CB_FMT_DATA,   EARLY, CB_FS_NONE,      NULL,     NULL,          0, get_nranks },
	{ "collective",       STR, ROW,  CB_FMT_DATA,   EARLY, CB_FS_NONE,      NULL,     NULL,          0, get_coll },
	{ "algo",             STR, ROW,  CB_FMT_DATA,   EARLY, CB_FS_NONE,      NULL,     NULL,          0, get_algo },
	{ "size",             INT, ROW,  CB_FMT_ALL,    EARLY, CB_FS_PREFIX,    "size",   "(B)",        12, get_size },
	{ "count",            INT, ROW,  CB_FMT_ALL,    EARLY, CB_FS_PREFIX,    "count",  "(elements)", 12, get_count },
	{ "type",             STR, ROW,  CB_FMT_ALL,    EARLY, CB_FS_PREFIX,    "type",   "",            8, get_type },
	{ "redop",            STR, ROW,  CB_FMT_ALL,    EARLY, CB_FS_PREFIX,    "redop",  "",            6, get_redop },
	{ "root",             INT, ROW,  CB_FMT_ALL,    EARLY, CB_FS_PREFIX,    "root",   "",            6, get_root },
	{ "algo_label",       STR, ROW,  CB_FMT_TABLE,  EARLY, CB_FS_PREFIX,    "algo",   "",           13, get_label },
	{ "cycle",            INT, ROW,  CB_FMT_DATA,   LATE,  CB_FS_NONE,      NULL,     NULL,          0, get_cycle },
	{ "timestamp",        STR, ROW,  CB_FMT_ALL,    LATE,  CB_FS_STAMP,     "timestamp", "(local)", 19, get_stamp },
	{ "min_bytes",        NUM, ROW,  CB_FMT_DATA,   EARLY, CB_FS_NONE,      NULL,     NULL,          0, get_min_bytes },
	{ "copy_bytes",       INT, ROW,  CB_FMT_DATA,   EARLY, CB_FS_NONE,      NULL,     NULL,          0, get_copy_bytes },
	{ "copy_bw",          NUM, ROW,  CB_FMT_ALL,    EARLY, CB_FS_ROOF,      "copybw", "(GB/s)",      7, get_copy_bw },
	{ "ran",              STR, ROW,  CB_FMT_DATA,   LATE,  CB_FS_NONE,      NULL,     NULL,          0, get_ran },
	{ "time_us",          NUM, HALF, CB_FMT_ALL,    EARLY, CB_FS_MAIN,      "time",   "(us)",        7, get_time },
	{ "algbw",            NUM, HALF, CB_FMT_ALL,    EARLY, CB_FS_MAIN,      "algbw",  "(GB/s)",      6, get_algbw },
	{ "busbw",            NUM, HALF, CB_FMT_ALL,    EARLY, CB_FS_MAIN,      "busbw",  "(GB/s)",      6, get_busbw },
	{ "wrong",            INT, HALF, CB_FMT_ALL,    EARLY, CB_FS_MAIN,      "#wrong", "",            6, get_wrong },
	/* table heading E_out / E_in (report.c adds the half) */
	{ "efficiency",       NUM, HALF, CB_FMT_ALL,    EARLY, CB_FS_ROOF_HALF, "E",      "",            6, get_eff },
	/* table heading iters_out / iters_in (report.c adds the half) */
	{ "iterations",       INT, HALF, CB_FMT_ALL,    EARLY, CB_FS_LOOP,      "iters",  "",            9, get_iters },
	{ "slow_yields",      INT, HALF, CB_FMT_DATA,   LATE,  CB_FS_NONE,      NULL,     NULL,          0, get_slow },
	{ "paused_yield_waits", INT, HALF, CB_FMT_DATA, LATE,  CB_FS_NONE,      NULL,     NULL,          0, get_paused },
	{ "samples",          INT, HALF, CB_FMT_DATA,   EARLY, CB_FS_NONE,      NULL,     NULL,          0, get_samples },
	{ "min_us",           NUM, HALF, CB_FMT_ALL,    EARLY, CB_FS_ITER,      "i_min",  "(us)",        7, get_min },
	{ "p50_us",           NUM, HALF, CB_FMT_ALL,    EARLY, CB_FS_ITER,      "i_p50",  "(us)",        7, get_p50 },
	{ "p95_us",           NUM, HALF, CB_FMT_ALL,    LATE,  CB_FS_ITER,      "i_p95",  "(us)",        7, get_p95 },
	{ "p99_us",           NUM, HALF, CB_FMT_ALL,    EARLY, CB_FS_ITER,      "i_p99",  "(us)",        7, get_p99 },
	{ "max_us",           NUM, HALF, CB_FMT_ALL,    EARLY, CB_FS_ITER,      "i_max",  "(us)",        7, get_max },
	{ "mean_us",          NUM, HALF, CB_FMT_DATA,   EARLY, CB_FS_NONE,      NULL,     NULL,          0, get_mean },
	{ "stdev_us",         NUM, HALF, CB_FMT_DATA,   EARLY, CB_FS_NONE,      NULL,     NULL,          0, get_stdev },
	{ "cv_pct",           NUM, HALF, CB_FMT_ALL,    EARLY, CB_FS_ITER,      "i_cv%",  "",            6, get_cv },
	{ "straggler_rank",   INT, HALF, CB_FMT_ALL,    EARLY, CB_FS_ITER,      "slow",   "rank",        4, get_straggler },
	{ "straggler_mean_us", NUM, HALF, CB_FMT_DATA,  EARLY, CB_FS_NONE,      NULL,     NULL,          0, get_straggler_mean },
	/* -I 1: the collective's time of every timed iteration (us, in
	 * iteration order; as many as "samples"), and every rank's mean */
	{ "times_us",         NUMS, HALF, CB_FMT_DATA,  LATE,  CB_FS_NONE,      NULL,     NULL,          0, get_times },
	{ "rank_means_us",    NUMS, HALF, CB_FMT_DATA,  LATE,  CB_FS_NONE,      NULL,     NULL,          0, get_rank_means },
	/* row fields added after the halves' (CSV: after every half column);
	 * --split (split.h) and --cold-cache (coldcache.h) */
	{ "groups",           INT, ROW,  CB_FMT_DATA,   LATE,  CB_FS_NONE,      NULL,     NULL,          0, get_groups },
	{ "group_ranks",      INT, ROW,  CB_FMT_DATA,   LATE,  CB_FS_NONE,      NULL,     NULL,          0, get_group_ranks },
	{ "split",            STR, ROW,  CB_FMT_DATA,   LATE,  CB_FS_NONE,      NULL,     NULL,          0, get_split },
	{ "group_sizes",      STR, ROW,  CB_FMT_DATA,   LATE,  CB_FS_NONE,      NULL,     NULL,          0, get_group_sizes },
	{ "cold_cache",       INT, ROW,  CB_FMT_DATA,   LATE,  CB_FS_NONE,      NULL,     NULL,          0, get_cold },
	{ "cold_slots",       INT, ROW,  CB_FMT_DATA,   LATE,  CB_FS_NONE,      NULL,     NULL,          0, get_cold_slots },
	{ "cold_bytes",       INT, ROW,  CB_FMT_DATA,   LATE,  CB_FS_NONE,      NULL,     NULL,          0, get_cold_bytes },
};
const unsigned cb_nfields = sizeof cb_fields / sizeof cb_fields[0];

void cb_field_value(const struct cb_field *f, const struct cb_result *r, int h,
		    struct cb_fval *v)
{
	const struct cb_half *x = f->half ? &r->half[h] : NULL;
	memset(v, 0, sizeof *v);
	if (x && !x->present) {
		v->null = true;
		return;
	}
	f->get(r, x, v);
}

/* Table headings of the counters (cb_counter_descs order): total, then per
 * iteration. */
static const char *const ctr_short[][2] = {
	{ "tclk", "tclk/it" }, { "csw", "csw/it" }, { "migr", "migr/it" },
	{ "pgflt", "pgflt/it" }, { "cycles", "cyc/it" }, { "instr", "instr/it" },
	{ "cmiss", "cmiss/it" }, { "bmiss", "bmiss/it" },
};

const char *cb_field_counter_name(const struct cb_counter_set *ctrs, unsigned k, int t,
				  char *buf, size_t cap)
{
	snprintf(buf, cap, "%s_%s", cb_counter_descs[ctrs->idx[k]].name, t ? "per_iter" : "total");
	return buf;
}

void cb_field_counter_head(const struct cb_counter_set *ctrs, unsigned k, int t,
			   const char **head, const char **unit)
{
	bool ns = ctrs->idx[k] == 0;   /* task-clock */
	*head = ctr_short[ctrs->idx[k]][t];
	*unit = ns ? "(ns)" : t ? "" : "(total)";
}

void cb_field_counter(const struct cb_result *r, int h, unsigned k, int t, struct cb_fval *v)
{
	const struct cb_half *x = &r->half[h];
	memset(v, 0, sizeof *v);
	v->null = !x->present || !x->ctr_ok[k];
	v->d = t ? x->ctr_per_iter[k] : x->ctr_total[k];
}

const char *cb_half_prefix(int h)
{
	return h ? "ip_" : "oop_";
}

const char *cb_half_key(int h)
{
	return h ? "in_place" : "out_of_place";
}
