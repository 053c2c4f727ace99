/* placement.c: hwloc topology and binding, NUMA-local windows, and a check of
 * where threads and pages really are (libnuma's move_pages in query mode). */
#define _GNU_SOURCE
#include <hwloc.h>
#include <limits.h>
#include <numa.h>
#include <numaif.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/placement.h"

int cb_placement_init(struct cb_placement *pl)
{
	hwloc_topology_t t;
	hwloc_const_cpuset_t allowed;

	memset(pl, 0, sizeof *pl);
	if ((hwloc_get_api_version() >> 16) != (HWLOC_API_VERSION >> 16))
		cb_die(CB_EXIT_RESOURCE, "hwloc library %x does not match the headers %x",
		       hwloc_get_api_version(), HWLOC_API_VERSION);
	if (hwloc_topology_init(&t) || hwloc_topology_load(t))
		cb_die(CB_EXIT_RESOURCE, "cannot load the hwloc topology");
	pl->topo = t;
	allowed = hwloc_topology_get_allowed_cpuset(t);
	pl->npus = hwloc_bitmap_weight(allowed);
	if (pl->npus < 1)
		pl->npus = 1;
	pl->nnuma = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_NUMANODE);
	return 0;
}

void cb_placement_plan(struct cb_placement *pl, int nranks)
{
	hwloc_topology_t t = pl->topo;
	hwloc_obj_t root = hwloc_get_root_obj(t);
	hwloc_bitmap_t *sets = cb_xcalloc((size_t)nranks, sizeof *sets);

	pl->nranks = nranks;
	pl->ranks = cb_xcalloc((size_t)nranks, sizeof *pl->ranks);
	for (int r = 0; r < nranks; r++)
		sets[r] = hwloc_bitmap_alloc();
	/* As much private cache per rank as possible; with more ranks than PUs
	 * hwloc_distrib hands out PUs evenly. */
	hwloc_distrib(t, &root, 1, sets, (unsigned)nranks, INT_MAX, 0);
	for (int r = 0; r < nranks; r++) {
		struct cb_rank_place *rp = &pl->ranks[r];
		hwloc_obj_t pu, core, numa = NULL;
		hwloc_bitmap_singlify(sets[r]);
		pu = hwloc_get_obj_inside_cpuset_by_type(t, sets[r], HWLOC_OBJ_PU, 0);
		rp->pu_os = pu ? (int)pu->os_index : -1;
		core = pu ? hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_CORE, pu) : NULL;
		rp->core = core ? (int)core->logical_index : -1;
		if (pu) {
			hwloc_bitmap_t ns = hwloc_bitmap_alloc();
			hwloc_cpuset_to_nodeset(t, pu->cpuset, ns);
			numa = hwloc_get_obj_by_type(t, HWLOC_OBJ_NUMANODE, 0);
			while (numa && !hwloc_bitmap_isset(ns, numa->os_index))
				numa = numa->next_cousin;
			hwloc_bitmap_free(ns);
		}
		rp->numa = numa ? (int)numa->os_index : -1;
		rp->ran_on = -1;
		rp->window_numa = -1;
	}
	pl->cpusets = (void **)sets;
}

void cb_placement_fini(struct cb_placement *pl)
{
	for (int r = 0; pl->cpusets && r < pl->nranks; r++)
		hwloc_bitmap_free(pl->cpusets[r]);
	free(pl->cpusets);
	free(pl->ranks);
	pl->cpusets = NULL;
	pl->ranks = NULL;
	if (pl->topo)
		hwloc_topology_destroy(pl->topo);
	pl->topo = NULL;
}

void cb_placement_bind(struct cb_placement *pl, int rank)
{
	struct cb_rank_place *rp = &pl->ranks[rank];
	rp->bound = hwloc_set_cpubind(pl->topo, pl->cpusets[rank], HWLOC_CPUBIND_THREAD) == 0;
	rp->ran_on = sched_getcpu();
}

void *cb_placement_alloc(struct cb_placement *pl, int rank, size_t len)
{
	struct cb_rank_place *rp = &pl->ranks[rank];
	void *p = NULL;

	if (len == 0)
		len = 1;
	if (rp->numa >= 0) {
		hwloc_bitmap_t ns = hwloc_bitmap_alloc();
		hwloc_bitmap_only(ns, (unsigned)rp->numa);
		p = hwloc_alloc_membind(pl->topo, len, ns, HWLOC_MEMBIND_BIND,
					HWLOC_MEMBIND_BYNODESET);
		hwloc_bitmap_free(ns);
	}
	if (!p)
		p = hwloc_alloc(pl->topo, len);
	if (!p)
		cb_die(CB_EXIT_RESOURCE, "rank %d: cannot allocate %zu bytes", rank, len);
	return p;
}

void cb_placement_free(struct cb_placement *pl, void *p, size_t len)
{
	if (p)
		hwloc_free(pl->topo, p, len ? len : 1);
}

void cb_placement_check_window(struct cb_placement *pl, int rank, void *win)
{
	int status = -1;
	void *page = win;
	if (numa_available() >= 0 && numa_move_pages(0, 1, &page, NULL, &status, 0) == 0 &&
	    status >= 0)
		pl->ranks[rank].window_numa = status;
}

const char *cb_placement_hwloc_version(void)
{
	return HWLOC_VERSION;
}

const char *cb_placement_numa_version(void)
{
	return LIBNUMA_API_VERSION == 2 ? "API 2" : "API 1";
}
