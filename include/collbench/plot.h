/* plot.h: collbench plot (plot.c: the command and the data; plot_draw.c:
 * panels, legends, titles; plot_axis.c: scales and tick labels). */
#ifndef COLLBENCH_PLOT_H
#define COLLBENCH_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "collbench/runfile.h"

/* collbench plot ...: argv[0] is "plot". Returns the exit status. */
int cb_plot_main(int argc, char **argv);

/* ---- axes ---- */
enum cb_tickfmt { CB_FMT_BYTES, CB_FMT_NUM, CB_FMT_US };
struct cb_axis {
	bool log;
	double lo, hi;     /* the domain, rounded outwards to tick values */
	double p0, p1;     /* pixels of lo and hi */
	enum cb_tickfmt fmt;
};
struct cb_tick {
	double v;
	bool label;        /* labelled (and gridded), else a minor tick */
	char text[16];
};
/* Set the domain around the data [lo, hi] (log: both > 0; x of sizes: log2). */
void cb_axis_fit(struct cb_axis *a, double lo, double hi, bool log, enum cb_tickfmt fmt);
double cb_axis_px(const struct cb_axis *a, double v);
size_t cb_axis_ticks(const struct cb_axis *a, struct cb_tick *t, size_t cap);
/* 1K, 64M (base 1024, as -b/-e take them); 2.5 ms; 0.01 */
void cb_fmt_value(char *buf, size_t cap, double v, enum cb_tickfmt fmt);

/* ---- what a figure holds ---- */
struct cb_plot_pt {
	double x, y;
};
struct cb_plot_series {
	int run;                 /* index into the runs */
	const char *algo;        /* NULL: the roofline of this run */
	const char *type, *redop;
	int root;
	struct cb_plot_pt *pts;
	size_t n, cap;
	int colour, shape;       /* palette and marker indexes */
};
struct cb_plot_panel {
	const char *coll;
	int nranks;
	int order;                   /* the collective's place in the runs */
	struct cb_plot_series *s;
	size_t ns;
	bool vary_type, vary_root;   /* labels then say which */
};
struct cb_plot_metric {
	const char *name, *axis_label, *what;
	enum cb_tickfmt fmt;
	int kind;                    /* 0 bandwidth, 1 time, 2 efficiency */
	size_t off;                  /* field in struct cb_run_half */
};
struct cb_plot_fig {
	const char *heading;
	const struct cb_plot_metric *m;
	struct cb_plot_panel *p;
	size_t np;
	double xlo, xhi;             /* sizes present */
	bool linear_y;
};
struct cb_plot_doc {
	const struct cb_run *runs;
	int nruns;
	bool in_place;
	struct cb_plot_fig fig[2];   /* bandwidth (or the metric), latency */
	int nfig;
	int ncols;                   /* panels per row */
};

/* Height of the whole document, and the document itself (svg: standalone). */
void cb_plot_draw(FILE *f, const struct cb_plot_doc *d, bool standalone);

#endif
