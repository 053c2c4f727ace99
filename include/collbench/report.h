/* report.h: result records and the printers that render them */
#ifndef COLLBENCH_REPORT_H
#define COLLBENCH_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "collbench/options.h"
#include "collbench/placement.h"
#include "collbench/plan.h"

/* One half (out-of-place or in-place) of a row. */
struct cb_half {
	bool present;       /* false: collective has no such form (N/A) */
	double time_us;     /* combined per -a */
	double algbw, busbw;/* GB/s (1e9) */
	long long wrong;    /* wrong elements summed over ranks; -1: not checked */
};

struct cb_result {
	const struct cb_point *pt;
	int nranks;
	struct cb_half half[2]; /* 0 out-of-place, 1 in-place */
};

struct cb_summary {
	long long out_of_bounds; /* row halves with any wrong element */
	double busbw_sum;
	long nbusbw;
	bool timed_out;
};

void cb_report_header(FILE *f, const struct cb_options *o, const struct cb_placement *pl,
		      int nranks);
void cb_report_section(FILE *f, const struct cb_coll *coll);
void cb_report_row(FILE *f, const struct cb_result *r, struct cb_summary *s);
void cb_report_footer(FILE *f, const struct cb_options *o, const struct cb_summary *s);

#endif
