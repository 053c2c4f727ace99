/* compare.h: collbench compare BASE.json NEW.json (compare.c: matching and
 * verdicts; compare_out.c: the table, the summary, JSON and CSV). */
#ifndef COLLBENCH_COMPARE_H
#define COLLBENCH_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "collbench/runfile.h"

/* collbench compare ...: argv[0] is "compare". Returns the exit status:
 * 7 when a matched row half is slower than --max-regression allows. */
int cb_compare_main(int argc, char **argv);

/* One row half (key and half) of either file, matched or in one only.
 * Repeats of a key (-N cycles) are averaged. */
struct cb_cmp_row {
	const struct cb_run_row *key;   /* the row naming it, from either file */
	int half;                       /* 0 out-of-place, 1 in-place */
	bool in[2];                     /* in BASE, in NEW */
	double time_us[2], busbw[2];    /* BASE, NEW */
	const char *ran[2];             /* what auto picked in each (NULL: not said) */
	double ratio;                   /* NEW time / BASE time (matched only) */
	double change_pct;              /* --baseline's rule: time growth, percent */
	bool regressed;
};
struct cb_cmp {
	const struct cb_run *run[2];    /* BASE, NEW */
	double max_regression;
	struct cb_cmp_row *rows;
	size_t n, nmatched, nregressed, nonly[2];
	int status;                     /* the exit status */
};

/* Match c->run[0] (BASE) with c->run[1] (NEW): rows, counts, status. */
void cb_compare_build(struct cb_cmp *c);
void cb_compare_table(FILE *f, const struct cb_cmp *c);
void cb_compare_json(FILE *f, const struct cb_cmp *c);
void cb_compare_csv(FILE *f, const struct cb_cmp *c);

#endif
