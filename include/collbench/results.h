/* results.h: collecting the records of a run, the derived quantities that
 * are not timing (compulsory traffic), the summary, and the CI gates
 * (--min-busbw, --baseline/--max-regression). */
#ifndef COLLBENCH_RESULTS_H
#define COLLBENCH_RESULTS_H

#include "collbench/report.h"

void cb_results_init(struct cb_report *rep, const struct cb_options *o, int argc, char **argv);
/* Copy the record and add it to the summary (rank 0's thread, as rows finish). */
void cb_results_add(struct cb_report *rep, const struct cb_result *r);
/* The machine's snapshot: taken on the first call (the topology is loaded
 * once), the report's own afterwards. */
const struct cb_machine_snap *cb_results_machine(struct cb_report *rep,
						 const struct cb_placement *pl);
/* Keep a rank count's placement snapshot: the report owns sn's arrays from
 * now on (-N's later sweeps: freed; the first sweep's placements are kept). */
void cb_results_place(struct cb_report *rep, struct cb_place_snap *sn);
void cb_results_free(struct cb_report *rep);
/* -M: the largest buffer bytes of any plan, over all its ranks. */
void cb_results_memory(struct cb_report *rep, const struct cb_plan *plans, int n);

/* Minimum bytes one call must read plus write over all ranks, STREAM
 * convention (man page, STATISTICS): every input byte the outputs depend on
 * read once, every output byte written once. */
double cb_min_traffic(const struct cb_point *pt, int nranks);

/* A previous -J file's rows, for --baseline. */
struct cb_base_row {
	int nranks, root;
	char *coll, *algo, *type, *redop;
	size_t size;
	bool present[2];
	double time_us[2];
};
struct cb_baseline {
	const char *path;
	struct cb_base_row *rows;
	size_t nrows;
};
/* Read and check the file; a missing or malformed file exits 6 (one line). */
void cb_baseline_load(struct cb_baseline *b, const char *path);
/* The same from the file's text (path names it in messages); a usage
 * error exits 6 (through cb_die_hook if set: fuzz/fuzz_baseline.c). */
void cb_baseline_parse(struct cb_baseline *b, const char *text, const char *path);
void cb_baseline_free(struct cb_baseline *b);

/* --baseline's rule, which collbench compare applies too: the change of a
 * row half's time in percent (positive: slower; 0 when was_us is 0), and
 * whether it is a regression beyond max_pct. */
double cb_time_change_pct(double was_us, double now_us);
bool cb_time_regressed(double was_us, double now_us, double max_pct);

/* Average busbw, --min-busbw, the baseline comparison (b may be NULL) and
 * the exit status: 7 for wrong results or a failed gate, else 0. */
void cb_results_finish(struct cb_report *rep, const struct cb_baseline *b);

#endif
