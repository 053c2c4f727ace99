/* progress.c: the terminal progress line (progress.h). */
#include <stdio.h>
#include <time.h>

#include "collbench/progress.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec * 1e-3;
}

void cb_progress_init(struct cb_progress *p, bool enabled, size_t total)
{
	p->enabled = enabled;
	p->shown = false;
	p->total = total;
	p->base = 0;
	p->start_us = now_us();
	p->drawn_us = 0;
	p->drawn = (size_t)-1;
	pthread_mutex_init(&p->lock, NULL);
}

static void erase(struct cb_progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->shown = false;
	}
}

void cb_progress_tick(struct cb_progress *p, const struct cb_plan *plan, size_t i)
{
	double el, t;
	size_t done;
	char eta[32], label[96];   /* label: auto:<pick> */
	const struct cb_point *pt;

	if (!p || !p->enabled || i >= plan->npoints)
		return;
	t = now_us();
	el = (t - p->start_us) * 1e-6;
	done = p->base + i;
	if (el < 1.0)
		return;
	pthread_mutex_lock(&p->lock);
	/* On a new point, or twice a second. */
	if (done == p->drawn && t - p->drawn_us < 5e5 && p->shown) {
		pthread_mutex_unlock(&p->lock);
		return;
	}
	pt = &plan->points[i];
	if (done)
		snprintf(eta, sizeof eta, "%.0f s", el * (double)(p->total - done) / (double)done);
	else
		snprintf(eta, sizeof eta, "?");
	fprintf(stderr, "\r\033[Kcollbench: point %zu of %zu: %s %s %zu B, %d ranks, ETA %s",
		done + 1, p->total, pt->coll->name, cb_point_label(pt, label, sizeof label), pt->n.bytes,
		plan->nranks, eta);
	fflush(stderr);
	p->shown = true;
	p->drawn = done;
	p->drawn_us = t;
	pthread_mutex_unlock(&p->lock);
}

void cb_progress_hold(struct cb_progress *p)
{
	if (!p || !p->enabled)
		return;
	pthread_mutex_lock(&p->lock);
	erase(p);
}

void cb_progress_release(struct cb_progress *p)
{
	if (!p || !p->enabled)
		return;
	pthread_mutex_unlock(&p->lock);
}

void cb_progress_fini(struct cb_progress *p)
{
	if (!p)
		return;
	if (p->enabled) {
		pthread_mutex_lock(&p->lock);
		erase(p);
		pthread_mutex_unlock(&p->lock);
	}
	pthread_mutex_destroy(&p->lock);
}
