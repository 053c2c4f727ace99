/* report.h: result records and the printers that render them.
 *
 * One record (struct cb_result) per table row; the table, the latency view,
 * JSON and CSV all render the same records, and none of them computes
 * anything: times, bandwidths, statistics, efficiency, the summary and the
 * gates' verdicts are filled in before a printer sees them (bench.c,
 * results.c). Which fields a row has, and how each format shows them, is
 * the one schema of fields.h. */
#ifndef COLLBENCH_REPORT_H
#define COLLBENCH_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "collbench/options.h"
#include "collbench/perf.h"
#include "collbench/placement.h"
#include "collbench/placesnap.h"
#include "collbench/plan.h"
#include "collbench/stats.h"

/* Version of the JSON and CSV layouts (man page, OUTPUT FORMATS). */
#define CB_FORMAT_VERSION 1

/* One half (out-of-place or in-place) of a row. */
struct cb_half {
	bool present;       /* false: collective has no such form (N/A) */
	double time_us;     /* combined per -a */
	double algbw, busbw;/* GB/s (1e9) */
	long long wrong;    /* wrong elements summed over ranks; -1: not checked */
	long iters;         /* timed iterations */
	/* Signs of a busy machine in the timed loop, summed over ranks
	 * (comm.c): yields that took over 0.25 ms, and waits that slept
	 * because those paused the yield stage. */
	long long yield_slow, yield_paused;
	struct cb_stats st; /* per-iteration statistics and the straggler */
	/* -I 1: every sample, owned by the record (cb_results_free): the
	 * collective's per-iteration times (us per call, iteration order, -K's
	 * skipped ones included; ntimes of them) and each rank's mean time per
	 * iteration (nranks of them); NULL otherwise. Every array owned by the
	 * record is also written and read back by rowspool.c (-J/--csv rows
	 * leave memory): a new one must be added there too. */
	double *times_us, *rank_means_us;
	long ntimes;
	/* -I 1 under MPI (more than one process): each rank's own time of each
	 * iteration, nprocs rows of ntimes (us per call); times_us[i] is the
	 * max of column i. NULL otherwise. */
	double *proc_times_us;
	int nprocs;
	bool has_eff;       /* eff valid (roofline measured, time > 0) */
	double eff;         /* E = min_bytes / (time x copy_bw) */
	/* --counters (cb_result.ctrs): over the timed iterations, summed over
	 * ranks; per_iter = total / iters. ctr_ok false: unavailable (on some
	 * rank), printed n/a / null / empty, never 0. task-clock in ns. */
	bool ctr_ok[CB_MAX_COUNTERS];
	double ctr_total[CB_MAX_COUNTERS], ctr_per_iter[CB_MAX_COUNTERS];
};

struct cb_result {
	const struct cb_point *pt;
	int nranks;
	double min_bytes;   /* compulsory bytes read + written by one call, all ranks */
	double copy_bw;     /* GB/s over all ranks, copying copy_bytes each; 0: not measured */
	size_t copy_bytes;
	struct cb_half half[2]; /* 0 out-of-place, 1 in-place */
	const struct cb_counter_set *ctrs; /* --counters, NULL: none */
	long cycle;         /* -N: sweep number, from 0 */
	/* --split (split.h): groups that ran at once, ranks in each, the
	 * expression ("%2"; "" without one) */
	int groups, group_ranks;
	char split[32];
	/* every group's size in group order ("3,1"; the plan's string, alive
	 * as the plan is); NULL without a split */
	const char *group_sizes;
	/* --cold-cache (coldcache.h): buffer sets rotated over, and the bytes
	 * they span per rank; 0: off */
	long cold_slots;
	size_t cold_bytes;
	char stamp[24];     /* local time the row finished, %Y-%m-%d %H:%M:%S */
};

/* A row half that ran slower than --baseline allows. */
struct cb_regression {
	size_t row;         /* index into cb_report.rows */
	int half;
	double base_time_us, change_pct;
};

struct cb_summary {
	long long out_of_bounds; /* row halves with any wrong element */
	double busbw_sum;
	long nbusbw;
	double avg_busbw;
	bool min_busbw_failed;   /* --min-busbw given and avg_busbw below it */
	long baseline_compared;  /* row halves matched in the baseline */
	long long yield_slow, yield_paused; /* cb_half's, summed over the run */
	int interrupted;         /* the signal that ended the run early, else 0 */
	struct cb_regression *regs;
	size_t nregs;
	int exit_status;
};

/* "SIGINT", "SIGTERM", "SIGHUP", "SIGPIPE": cb_summary's interrupted as the
 * footer and the JSON name it (results.c). */
const char *cb_signal_name(int sig);

/* The table's open section (sink.c). A section is what one nccl-tests run
 * prints: its "Collective test starting" line, header, table, footer and
 * "concluded" line; one per collective and rank count (and, with
 * --nccl-compat, per algorithm), so that parsers that split a log on those
 * lines find one test in each. */
struct cb_section {
	bool open;
	const struct cb_coll *coll;
	const struct cb_algo *algo;   /* --nccl-compat only, else NULL */
	int nranks;
	bool mpi;
	/* Its footer's figures, summed as rows arrive (cb_results_add; rows
	 * themselves are kept only for -J, --csv and --baseline). */
	long long oob;                /* row halves with a wrong element */
	double busbw_sum;
	long nbusbw;
	unsigned count;               /* sections opened so far */
};

/* Everything one invocation produced. */
struct cb_report {
	const struct cb_options *o;
	int argc;
	char **argv;
	char start_time[32], end_time[32]; /* ISO 8601, UTC */
	char host[256];
	/* The machine (taken once) and each rank count's placement, as data
	 * (placesnap.h): the table, JSON and CSV render these. */
	struct cb_machine_snap machine;
	struct cb_place_snap *places;
	int nplaces;
	/* Every row when kept (keep_rows: --baseline needs them at the end);
	 * else NULL and only counted, so that -N 0 runs for days in constant
	 * memory (the summary is kept as running sums). -J and --csv without
	 * --baseline read them back from spool, an unnamed file (rowspool.h);
	 * cb_results_row hands out either. */
	struct cb_result *rows;
	size_t nrows, cap;
	bool keep_rows;
	struct cb_spool *spool;
	long cycle;         /* -N: the sweep now running (placements kept from 0 only) */
	const struct cb_counter_set *ctrs; /* --counters (CSV header), NULL: none */
	struct cb_summary sum;
	struct cb_section sec;
	/* -M: the largest buffer memory of any rank count, all ranks (main.c) */
	size_t mem_send, mem_recv, mem_scratch;
};

/* MPI: where one rank runs, as its process saw it at setup (the launcher
 * binds the processes, collbench does not): gathered to rank 0 by the
 * runner, printed by the sink (cb_report_mpi_ranks). */
struct cb_mpi_rank {
	int pid, pu, nallowed;   /* pu: sched_getcpu; nallowed: PUs of its binding */
	char host[64];
	char allowed[48];        /* those PUs as a list, "0-3,8" */
};

/* The table (stdout, or stderr when JSON/CSV go to stdout). */
void cb_report_preamble(FILE *f, const struct cb_options *o, const int *counts, int ncounts);
/* Per rank count: topology and rank map (count k of n), from the
 * snapshots the report keeps; with --strict-placement a mismatch exits 2.
 * colors: each rank's nccl-tests "Group" (cb_split_colors). */
void cb_report_header(FILE *f, const struct cb_machine_snap *m, const struct cb_place_snap *s,
		      int k, int n, const int *colors);
/* MPI: the transport line and nccl-tests' rank line per rank (n ranks,
 * their Group from colors), each followed by where the launcher let it
 * run. */
void cb_report_mpi_ranks(FILE *f, const struct cb_mpi_rank *ranks, int n, const int *colors);
/* A section's first lines: nccl-tests' start line with its test name
 * (all_reduce_perf) and its header tokens (nThread .. unalign). */
void cb_report_start(FILE *f, const struct cb_options *o, const struct cb_coll *coll,
		     int nranks, bool mpi);
/* The open section's footer (its rows' out-of-bounds count and average
 * busbw) and "concluded" line; gates is true for the run's only section,
 * whose footer carries the run's verdicts. */
void cb_report_section_end(FILE *f, const struct cb_report *rep, bool gates);
/* --nccl-compat (report_nccl.c): nccl-tests' column header and rows. */
void cb_nccl_head(FILE *f, const struct cb_options *o, const struct cb_point *pt, int nranks);
void cb_nccl_row(FILE *f, const struct cb_options *o, const struct cb_result *r);
/* ctrs: --counters (extra columns), NULL: none. */
void cb_report_section(FILE *f, const struct cb_options *o, const struct cb_coll *coll,
		       int nranks, const struct cb_counter_set *ctrs);
void cb_report_row(FILE *f, const struct cb_options *o, const struct cb_result *r);
/* Before a point's row (or in its place, if skipped): one comment line per
 * not-applicable part ("# ll: not applicable at 1048576 B (at most 448 B)"),
 * nothing when everything applies. */
void cb_report_note(FILE *f, const struct cb_point *pt);
/* The last section's footer; after several sections, the run's verdict. */
void cb_report_footer(FILE *f, const struct cb_report *rep);

/* json_nccl.c: nccl-tests' v3 keys inside collbench's -J object (the
 * half's members, the row's, config's, the top level's). */
struct cb_jw;
void cb_json_nccl_half(struct cb_jw *w, const struct cb_options *o, const struct cb_half *x);
void cb_json_nccl_row(struct cb_jw *w, const struct cb_options *o, const struct cb_result *r);
void cb_json_nccl_config(struct cb_jw *w, const struct cb_report *rep);
void cb_json_nccl_top(struct cb_jw *w, const struct cb_report *rep);

/* Machine-readable renderings of the same records. */
/* Row i of a kept or spooled run, read in order from 0 (results.c):
 * valid until the next call. */
const struct cb_result *cb_results_row(const struct cb_report *rep, size_t i);
void cb_report_json(FILE *f, const struct cb_report *rep);
void cb_report_csv(FILE *f, const struct cb_report *rep);

#endif
