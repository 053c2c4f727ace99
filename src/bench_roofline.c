/* bench_roofline.c: the --roofline copy measurement (bench_run.h),
 * moved from bench.c unchanged. */
#include <stdlib.h>
#include <string.h>

#include "bench_run.h"
#include "collbench/coldcache.h"

long cb_roofline_reps(size_t len)
{
	long reps = len ? (long)((2u << 20) / len) : 0;
	return reps < 2 ? 2 : reps > 16384 ? 16384 : reps;
}

/* STREAM-style copy bandwidth with this run's placement and rank count:
 * every rank copies between two of its own buffers, the very ones the
 * collective uses (allocated by the --mem policy, first touched by itself;
 * the recv buffer holds max(send, recv), and the send or the expected-value
 * buffer holds any copy length), all ranks at once, at each distinct copy
 * length of the plan; bytes = read + written by all ranks; the time is the
 * region's, from the first rank's start to the last rank's end (ranks that
 * share a PU do not overlap, so per-rank times would overcount). */
void bench_roofline(struct run *run, struct cb_rank *rk, const struct rank_bufs *b)
{
	int r = rk->rank, p = rk->nranks;

	for (size_t j = 0; j < run->ncp; j++) {
		size_t len = run->cp_len[j];
		long reps = cb_roofline_reps(len);
		char *dst = b->recv;
		const char *src = len <= b->send_len ? b->send : b->exp;
		int64_t base;
		memcpy(dst, src, len);   /* warm */
		comm_barrier(rk);
		/* MPI: times since this rank's pass of the barrier (see run_half) */
		base = run->mpi ? now_ns() : 0;
		run->cp_t[2 * r] = now_ns() - base;
		for (long k = 0; k < reps; k++) {
			char *d = dst;
			const char *s = src;
			/* --cold-cache: cold copies, as the rows are */
			if (run->plan->cold_bytes)
				cb_cold_copy(b->cold, run->plan->cold_bytes, len, k, &d, &s);
			memcpy(d, s, len);
			__asm__ __volatile__("" : : "r"(d) : "memory");
			/* Progress for the watchdog, where one copy takes long
			 * enough (>= 1 MiB) that the atomic add is not timed. */
			if (len >= ((size_t)1 << 20))
				atomic_fetch_add_explicit(&rk->state->progress, 1,
							  memory_order_relaxed);
		}
		run->cp_t[2 * r + 1] = now_ns() - base;
		atomic_fetch_add_explicit(&rk->state->progress, 1, memory_order_relaxed);
		run->ex->copy_times(run, rk);
		if (r == 0) {
			int64_t t0 = run->cp_t[0], t1 = run->cp_t[1];
			for (int q = 1; q < p; q++) {
				t0 = run->cp_t[2 * q] < t0 ? run->cp_t[2 * q] : t0;
				t1 = run->cp_t[2 * q + 1] > t1 ? run->cp_t[2 * q + 1] : t1;
			}
			/* bytes / ns = GB/s */
			run->cp_bw[j] = t1 > t0 ? 2.0 * (double)len * (double)reps * p / (double)(t1 - t0) : 0;
		}
	}
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* The distinct copy lengths of the plan (the size column: max(send, recv)
 * bytes per rank), and each point's index among them. */
void bench_roofline_plan(struct run *run)
{
	const struct cb_plan *plan = run->plan;
	size_t n = 0;
	run->pt_cp = cb_xcalloc(plan->npoints, sizeof *run->pt_cp);
	run->cp_len = cb_xcalloc(plan->npoints, sizeof *run->cp_len);
	/* Skipped points (not applicable) have no buffers: the windows are
	 * sized by the points that run (plan.c). */
	for (size_t i = 0; i < plan->npoints; i++) {
		const struct cb_point *pt = &plan->points[i];
		size_t e = pt->n.send > pt->n.recv ? pt->n.send : pt->n.recv;
		if (!cb_point_skipped(pt))
			run->cp_len[n++] = e * pt->dt->size;
	}
	qsort(run->cp_len, n, sizeof *run->cp_len, cmp_size);
	run->ncp = 0;
	for (size_t i = 0; i < n; i++)
		if (run->cp_len[i] && (!run->ncp || run->cp_len[run->ncp - 1] != run->cp_len[i]))
			run->cp_len[run->ncp++] = run->cp_len[i];
	for (size_t i = 0; i < plan->npoints; i++) {
		const struct cb_point *pt = &plan->points[i];
		size_t e = pt->n.send > pt->n.recv ? pt->n.send : pt->n.recv, len = e * pt->dt->size;
		size_t *hit = run->ncp && !cb_point_skipped(pt) ?
			bsearch(&len, run->cp_len, run->ncp, sizeof len, cmp_size) : NULL;
		run->pt_cp[i] = hit ? (size_t)(hit - run->cp_len) : SIZE_MAX;
	}
	run->cp_bw = cb_xcalloc(run->ncp, sizeof *run->cp_bw);
}
