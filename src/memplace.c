/* memplace.c: the memory half of placement. Which node --mem means on this
 * topology (a CPU node without memory gets the nearest node that has some,
 * as the kernel itself would fall back), strict binding with mbind
 * (MPOL_BIND: the kernel never spills to another node, unlike hwloc's
 * non-strict BIND, which Linux turns into MPOL_PREFERRED_MANY), a check of
 * free memory first (under a strict binding a node that runs out ends in
 * the OOM killer, not in a spill), and the page-by-page count of where the
 * pages really are (move_pages in query mode). */
#define _GNU_SOURCE
#include <errno.h>
#include <hwloc.h>
#include <numa.h>
#include <numaif.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "collbench/common.h"
#include "collbench/memplace.h"
#include "collbench/placement.h"
#include "collbench/placesnap.h"

#define MOVE_BATCH 4096   /* pages per move_pages call */

static hwloc_obj_t node_obj(const struct cb_placement *pl, int node)
{
	if (node < 0)
		return NULL;
	return hwloc_get_numanode_obj_by_os_index((hwloc_topology_t)pl->topo, (unsigned)node);
}

int cb_mem_has_memory(const struct cb_placement *pl, int node)
{
	hwloc_obj_t n = node_obj(pl, node);
	return n && n->attr && n->attr->numanode.local_memory > 0;
}

int cb_mem_distance(const struct cb_placement *pl, int a, int b)
{
	hwloc_topology_t t = pl->topo;
	hwloc_obj_t oa = node_obj(pl, a), ob = node_obj(pl, b);
	struct hwloc_distances_s *d[4];
	unsigned nr = 4;
	int v = -1;

	if (!oa || !ob)
		return -1;
	if (hwloc_distances_get_by_type(t, HWLOC_OBJ_NUMANODE, &nr, d, 0, 0))
		return a == b ? 10 : -1;
	/* The first matrix that holds both (the OS's SLIT, usually the only). */
	for (unsigned i = 0; i < nr && i < 4; i++) {
		hwloc_uint64_t ab, ba;
		if (v < 0 && !hwloc_distances_obj_pair_values(d[i], oa, ob, &ab, &ba))
			v = (int)ab;
		hwloc_distances_release(t, d[i]);
	}
	if (v < 0 && a == b)
		v = 10;
	return v;
}

int cb_mem_nearest(const struct cb_placement *pl, int node)
{
	hwloc_topology_t t = pl->topo;
	int best = -1, bestd = 0;
	if (cb_mem_has_memory(pl, node))
		return node;
	/* OS-index order, so ties go to the lowest index. */
	for (hwloc_obj_t n = NULL; (n = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_NUMANODE, n));) {
		int d, i = (int)n->os_index;
		if (!cb_mem_has_memory(pl, i) ||
		    !hwloc_bitmap_isset(hwloc_topology_get_allowed_nodeset(t), n->os_index))
			continue;
		d = cb_mem_distance(pl, node, i);
		if (d < 0)
			d = 1 << 30;   /* no matrix: the first node with memory */
		if (best < 0 || d < bestd || (d == bestd && i < best)) {
			best = i;
			bestd = d;
		}
	}
	return best;
}

/* Allowed nodes with memory. */
static hwloc_bitmap_t memory_nodes(const struct cb_placement *pl)
{
	hwloc_topology_t t = pl->topo;
	hwloc_bitmap_t s = hwloc_bitmap_alloc();
	for (hwloc_obj_t n = NULL; (n = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_NUMANODE, n));)
		if (cb_mem_has_memory(pl, (int)n->os_index) &&
		    hwloc_bitmap_isset(hwloc_topology_get_allowed_nodeset(t), n->os_index))
			hwloc_bitmap_set(s, n->os_index);
	return s;
}

void cb_mem_interleave_list(const struct cb_placement *pl, char *buf, size_t cap)
{
	hwloc_bitmap_t s = memory_nodes(pl);
	if (hwloc_bitmap_iszero(s))
		snprintf(buf, cap, "none");
	else
		hwloc_bitmap_list_snprintf(buf, cap, s);
	hwloc_bitmap_free(s);
}

void cb_mem_check_options(const struct cb_placement *pl)
{
	char with[64];
	if (pl->mem != CB_MEM_NODE || cb_mem_has_memory(pl, pl->mem_node))
		return;
	cb_mem_interleave_list(pl, with, sizeof with);
	cb_die(CB_EXIT_USAGE, "invalid value 'node:%d' for --mem: NUMA node %d has no memory "
	       "(nodes with memory: %s) (see 'collbench --help')", pl->mem_node, pl->mem_node, with);
}

void *cb_mem_intended(const struct cb_placement *pl, int rank, int *interleave)
{
	const struct cb_rank_place *rp = &pl->ranks[rank];
	hwloc_bitmap_t ns;
	*interleave = 0;
	switch (pl->mem) {
	case CB_MEM_INTERLEAVE:
		*interleave = 1;
		return memory_nodes(pl);
	case CB_MEM_NODE:
		ns = hwloc_bitmap_alloc();
		hwloc_bitmap_only(ns, (unsigned)pl->mem_node);
		return ns;
	default:
		if (rp->win_node < 0 || pl->bind == CB_BIND_NONE)
			return NULL;   /* first touch wherever the thread runs */
		ns = hwloc_bitmap_alloc();
		hwloc_bitmap_only(ns, (unsigned)rp->win_node);
		return ns;
	}
}

/* Free bytes of a node as the kernel counts them; -1 unknown. */
static long long node_free(int node)
{
	long long fr = -1;
	if (numa_available() < 0 || numa_node_size64(node, &fr) < 0)
		return -1;
	return fr;
}

void cb_mem_check_free(const struct cb_placement *pl, size_t bytes_per_rank)
{
	double need[CB_MEM_MAXNODE] = { 0 };
	if (!pl->thissystem || !pl->can_membind)
		return;
	for (int r = 0; r < pl->nranks; r++) {
		int il;
		hwloc_bitmap_t ns = cb_mem_intended(pl, r, &il);
		int w;
		unsigned i;
		if (!ns)
			continue;
		w = hwloc_bitmap_weight(ns);
		hwloc_bitmap_foreach_begin(i, ns)
			if (i < CB_MEM_MAXNODE)
				need[i] += (double)bytes_per_rank / (w > 0 ? w : 1);
		hwloc_bitmap_foreach_end();
		hwloc_bitmap_free(ns);
	}
	for (int i = 0; i < CB_MEM_MAXNODE; i++) {
		long long fr, reserve;
		if (need[i] <= 0 || (fr = node_free(i)) < 0)
			continue;
		/* Keep the kernel's own headroom: below its watermarks a bound
		 * allocation reclaims, then kills. */
		reserve = fr / 16 > (16LL << 20) ? fr / 16 : 16LL << 20;
		if (need[i] + (double)reserve > (double)fr) {
			/* the policy as the placement block names it */
			char pol[96];
			struct cb_machine_snap m;
			struct cb_place_snap sn;
			cb_machine_snap_take(&m, pl);
			cb_place_snap_take(&sn, pl);
			cb_snap_mem_policy(pol, sizeof pol, &m, &sn);
			cb_die(CB_EXIT_RESOURCE, "not enough free memory on NUMA node %d for --mem %s "
			       "(bound strictly): the plan puts %.0f MiB there, %lld MiB free, %lld MiB "
			       "kept for the kernel", i, pol, need[i] / 1048576.0, fr >> 20,
			       reserve >> 20);
		}
	}
}

void *cb_mem_alloc(struct cb_placement *pl, int rank, size_t len)
{
	int il;
	/* One node: nothing to choose, and no mbind for a container's seccomp
	 * profile to refuse. */
	hwloc_bitmap_t ns = pl->can_membind && pl->nnuma > 1 ? cb_mem_intended(pl, rank, &il)
							     : NULL;
	void *p;

	if (len == 0)
		len = 1;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		cb_die(CB_EXIT_RESOURCE, "rank %d: cannot allocate %zu bytes", rank, len);
	if (ns) {
		unsigned long mask[(CB_MEM_MAXNODE + 63) / 64] = { 0 };
		unsigned i;
		char list[64];
		hwloc_bitmap_foreach_begin(i, ns)
			if (i < CB_MEM_MAXNODE)
				mask[i / 64] |= 1UL << (i % 64);
		hwloc_bitmap_foreach_end();
		/* Before the first touch, so no page exists yet: MPOL_MF_STRICT
		 * has nothing to fail on, and every fault obeys the policy. */
		if (mbind(p, len, il ? MPOL_INTERLEAVE : MPOL_BIND, mask, CB_MEM_MAXNODE + 1,
			  MPOL_MF_STRICT)) {
			int e = errno;
			hwloc_bitmap_list_snprintf(list, sizeof list, ns);
			cb_die(CB_EXIT_RESOURCE, "rank %d: the kernel refuses to bind memory to NUMA "
			       "node %s (mbind: %s); no placement can satisfy --mem here", rank,
			       list, strerror(e));
		}
		hwloc_bitmap_free(ns);
	}
	return p;
}

void cb_mem_free(void *p, size_t len)
{
	if (p)
		munmap(p, len ? len : 1);
}

long cb_mem_count_pages(const void *buf, size_t len, long *counts)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t base = (uintptr_t)buf & ~(uintptr_t)(pg - 1);
	size_t npg = ((uintptr_t)buf + (len ? len : 1) - base + pg - 1) / pg;
	void *pages[MOVE_BATCH];
	int status[MOVE_BATCH];
	long found = 0;

	for (size_t at = 0; at < npg; at += MOVE_BATCH) {
		size_t m = npg - at < MOVE_BATCH ? npg - at : MOVE_BATCH;
		for (size_t i = 0; i < m; i++) {
			pages[i] = (void *)(base + (at + i) * pg);
			status[i] = -1;
		}
		if (numa_move_pages(0, (unsigned long)m, pages, NULL, status, 0) != 0)
			return -1;
		for (size_t i = 0; i < m; i++) {
			if (status[i] < 0)
				continue;   /* -ENOENT: untouched; not a placement */
			counts[status[i] < CB_MEM_MAXNODE ? status[i] : CB_MEM_MAXNODE]++;
			found++;
		}
	}
	return found;
}
