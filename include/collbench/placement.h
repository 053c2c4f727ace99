/* placement.h: topology, rank -> PU mapping, binding, NUMA-local memory */
#ifndef COLLBENCH_PLACEMENT_H
#define COLLBENCH_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>

struct cb_rank_place {
	int pu_os;          /* OS index of the PU the rank is bound to */
	int core;           /* logical index of its core, -1 unknown */
	int numa;           /* OS index of its NUMA node, -1 unknown */
	int bound;          /* 1 bound, 0 binding failed */
	int ran_on;         /* sched_getcpu() after binding */
	int window_numa;    /* node of the window's first page, -1 unknown */
};

struct cb_placement {
	void *topo;         /* hwloc_topology_t */
	int npus;           /* PUs this process may run on */
	int nnuma;
	int nranks;
	struct cb_rank_place *ranks;
	void **cpusets;     /* [nranks] hwloc_bitmap_t */
};

int cb_placement_init(struct cb_placement *pl);
/* Map nranks ranks onto the PUs (spread: hwloc_distrib). */
void cb_placement_plan(struct cb_placement *pl, int nranks);
void cb_placement_fini(struct cb_placement *pl);

/* Called by rank r's own thread. */
void cb_placement_bind(struct cb_placement *pl, int rank);
/* Allocate len bytes on rank's NUMA node; the caller first-touches them. */
void *cb_placement_alloc(struct cb_placement *pl, int rank, size_t len);
void cb_placement_free(struct cb_placement *pl, void *p, size_t len);
/* Record where the (touched) window page really is. */
void cb_placement_check_window(struct cb_placement *pl, int rank, void *win);

const char *cb_placement_hwloc_version(void);
const char *cb_placement_numa_version(void);

#endif
