/* placement_check.c: per rank, on the rank's own thread: bind, allocate
 * by the --mem policy, and check where the thread runs and where every
 * page is; and the probe that does the same with one page for topo and
 * --show-placement. Split from placement.c (which plans) because this half
 * runs on the rank threads and the other before them. */
#define _GNU_SOURCE
#include <errno.h>
#include <hwloc.h>
#include <numa.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collbench/common.h"
#include "collbench/memplace.h"
#include "collbench/placement.h"

#include "placement_int.h"

/* ---- per rank: bind, allocate, check ---- */

void cb_placement_bind(struct cb_placement *pl, int rank)
{
	struct cb_rank_place *rp = &pl->ranks[rank];
	rp->bound = 0;
	rp->bind_errno = 0;
	if (!pl->cpusets[rank] || !pl->can_bind)
		return;
	if (hwloc_set_cpubind(pl->topo, pl->cpusets[rank], HWLOC_CPUBIND_THREAD) == 0)
		rp->bound = 1;
	else
		rp->bind_errno = errno;
}

void *cb_placement_alloc(struct cb_placement *pl, int rank, size_t len)
{
	/* Unbound memory is placed by first touch, which the caller does
	 * after binding; the check below reports where it landed. */
	return cb_mem_alloc(pl, rank, len);
}

void cb_placement_free(struct cb_placement *pl, void *p, size_t len)
{
	(void)pl;
	cb_mem_free(p, len);
}

static void check_cpu(struct cb_placement *pl, int rank)
{
	struct cb_rank_place *rp = &pl->ranks[rank];
	rp->ran_on = sched_getcpu();
	if (!pl->cpusets[rank] || !pl->can_bind) {
		rp->cpu_ok = -1;
		return;
	}
	if (!rp->bound) {
		rp->cpu_ok = 0;
		return;
	}
	rp->cpu_ok = rp->ran_on == rp->pu_os;
	if (rp->cpu_ok) {
		/* And the kernel's mask is the one we asked for. */
		hwloc_bitmap_t cur = hwloc_bitmap_alloc();
		if (!hwloc_get_cpubind(pl->topo, cur, HWLOC_CPUBIND_THREAD) &&
		    !hwloc_bitmap_isequal(cur, pl->cpusets[rank]))
			rp->cpu_ok = 0;
		hwloc_bitmap_free(cur);
	}
}

void cb_placement_check(struct cb_placement *pl, int rank, void *const *bufs,
			const size_t *lens, int nbufs)
{
	struct cb_rank_place *rp = &pl->ranks[rank];
	long win[CB_MEM_MAXNODE + 1] = { 0 }, all[CB_MEM_MAXNODE + 1] = { 0 };
	hwloc_bitmap_t want;
	int il;
	size_t n = 0;

	check_cpu(pl, rank);
	rp->pages_checked = rp->pages_wrong = 0;
	rp->mem_ok = -1;
	rp->window_numa = -1;
	rp->page_nodes[0] = '\0';
	snprintf(rp->window_nodes, sizeof rp->window_nodes, "?");
	rp->checked = true;
	if (!pl->thissystem || numa_available() < 0)
		return;
	/* Every page of every buffer: a spill between sample points would
	 * otherwise pass as verified. */
	for (int b = 0; b < nbufs; b++) {
		long c[CB_MEM_MAXNODE + 1] = { 0 };
		if (!bufs[b] || cb_mem_count_pages(bufs[b], lens[b], c) < 0)
			continue;
		for (int i = 0; i <= CB_MEM_MAXNODE; i++) {
			all[i] += c[i];
			if (b == 0)
				win[i] += c[i];
		}
	}
	want = cb_mem_intended(pl, rank, &il);
	for (int i = 0; i <= CB_MEM_MAXNODE; i++) {
		if (!all[i])
			continue;
		rp->pages_checked += all[i];
		if (n < sizeof rp->page_nodes && i < CB_MEM_MAXNODE)
			n += (size_t)snprintf(rp->page_nodes + n, sizeof rp->page_nodes - n, "%s%d:%ld",
					      n ? "," : "", i, all[i]);
		else if (n < sizeof rp->page_nodes)
			n += (size_t)snprintf(rp->page_nodes + n, sizeof rp->page_nodes - n,
					      "%sother:%ld", n ? "," : "", all[i]);
		if (want && (i == CB_MEM_MAXNODE || !hwloc_bitmap_isset(want, (unsigned)i))) {
			rp->pages_wrong += all[i];
			rp->wrong_node = i;
		}
	}
	{
		hwloc_bitmap_t seen = hwloc_bitmap_alloc();
		for (int i = 0; i < CB_MEM_MAXNODE; i++)
			if (win[i]) {
				hwloc_bitmap_set(seen, (unsigned)i);
				if (rp->window_numa < 0)
					rp->window_numa = i;
			}
		if (!hwloc_bitmap_iszero(seen))
			list_str(rp->window_nodes, sizeof rp->window_nodes, seen);
		hwloc_bitmap_free(seen);
	}
	if (want && rp->pages_checked)
		rp->mem_ok = rp->pages_wrong == 0;
	if (want)
		hwloc_bitmap_free(want);
}

struct probe_arg {
	struct cb_placement *pl;
	int rank;
};

static void *probe_main(void *arg)
{
	struct probe_arg *a = arg;
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	void *p;
	/* One page shows one node; interleave's spread needs a page per node
	 * (twice over: the kernel's interleave starts at any node). */
	if (a->pl->mem == CB_MEM_INTERLEAVE)
		pg *= 2 * (size_t)(a->pl->nnuma > 0 ? a->pl->nnuma : 1);
	cb_placement_bind(a->pl, a->rank);
	p = cb_placement_alloc(a->pl, a->rank, pg);
	memset(p, 0, pg);
	cb_placement_check(a->pl, a->rank, &p, &pg, 1);
	cb_placement_free(a->pl, p, pg);
	return NULL;
}

void cb_placement_probe(struct cb_placement *pl)
{
	pthread_t *tids;
	struct probe_arg *args;
	if (!pl->thissystem)
		return;
	tids = cb_xcalloc((size_t)pl->nranks, sizeof *tids);
	args = cb_xcalloc((size_t)pl->nranks, sizeof *args);
	/* One at a time: the probe shows placement, not contention. */
	for (int r = 0; r < pl->nranks; r++) {
		args[r] = (struct probe_arg){ pl, r };
		if (pthread_create(&tids[r], NULL, probe_main, &args[r]))
			cb_die(CB_EXIT_RESOURCE, "cannot start a probe thread for rank %d", r);
		pthread_join(tids[r], NULL);
	}
	free(args);
	free(tids);
}

