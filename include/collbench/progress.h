/* progress.h: the one-line progress indicator on a terminal's stderr
 * (point k of N, collective, algorithm, size, rank count, ETA), shown once a
 * run has lasted about a second and erased at the end. Lines printed on the
 * same terminal go through hold/release so that they never mix with it. */
#ifndef COLLBENCH_PROGRESS_H
#define COLLBENCH_PROGRESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "collbench/plan.h"

struct cb_progress {
	bool enabled;       /* stderr is a terminal and no -q */
	bool shown;         /* a line is on the screen */
	size_t total;       /* points over every rank count */
	size_t base;        /* points of the rank counts already run */
	double start_us;
	double drawn_us;    /* last redraw */
	size_t drawn;       /* point shown by it */
	pthread_mutex_t lock;
};

void cb_progress_init(struct cb_progress *p, bool enabled, size_t total);
/* Redraw (from the watchdog): point index i of plan is running. */
void cb_progress_tick(struct cb_progress *p, const struct cb_plan *plan, size_t i);
/* Erase the line and keep it erased until release (p may be NULL). */
void cb_progress_hold(struct cb_progress *p);
void cb_progress_release(struct cb_progress *p);
void cb_progress_fini(struct cb_progress *p);

#endif
