/* placement.h: topology, rank -> PU mapping, binding, NUMA-local memory, and
 * the check of where threads and pages really are.
 *
 * Indexes: PUs and NUMA nodes are named by their OS index everywhere (the
 * numbers numactl, taskset and /proc/cpuinfo use); cores by hwloc's logical
 * index (Linux core ids repeat across packages). */
#ifndef COLLBENCH_PLACEMENT_H
#define COLLBENCH_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "collbench/parse.h"

enum cb_bind {
	CB_BIND_SPREAD,   /* hwloc_distrib: as much private cache per rank as possible */
	CB_BIND_COMPACT,  /* fill PUs in logical (topology) order */
	CB_BIND_NUMA,     /* round-robin over NUMA nodes, spread inside each node */
	CB_BIND_NONE,     /* no binding */
	CB_BIND_LIST,     /* --cpus without --bind: rank r on the r-th listed PU */
};

enum cb_mem {
	CB_MEM_LOCAL,      /* the NUMA node of the rank's PU, or the nearest node
			    * with memory when that node has none */
	CB_MEM_INTERLEAVE, /* pages interleaved over every NUMA node */
	CB_MEM_NODE,       /* every rank's memory on one node (--mem node:N) */
};

/* The placement options, parsed (options.h holds one as o.place); the
 * names of bind and mem are optenum.h's tables. */
struct cb_placement_config {
	enum cb_bind bind;
	bool bind_set;         /* --bind given (else --cpus LIST means ordered) */
	struct cb_cpulist cpus;/* --cpus; n 0: all */
	const char *cpus_arg;  /* --cpus as written (the map's header); NULL: not given */
	enum cb_mem mem;
	int mem_node;          /* --mem node:N */
	bool strict;           /* --strict-placement */
	const char *topology;  /* --topology FILE.xml | synthetic:DESC; NULL: this system */
};

/* The policy's name (CB_BIND_LIST: "list", which is no option value). */
const char *cb_bind_name(int bind);

struct cb_rank_place {
	int pu_os;          /* OS index of the planned PU; -1 none (--bind none) */
	int core;           /* logical index of its core, -1 unknown */
	int numa;           /* OS index of its PU's NUMA node, -1 unknown */
	int bound;          /* 1 binding applied, 0 not applied or failed */
	int bind_errno;     /* errno of a failed binding, 0 */
	int ran_on;         /* sched_getcpu() after setup, -1 not checked */
	int window_numa;    /* node of the window's first page, -1 unknown */
	int win_node;       /* planned window node (--mem local: the nearest node
			     * with memory; node:N: N), -1 interleave or none */
	int distance;       /* hwloc distance, PU's node to win_node, -1 unknown */
	char window_nodes[32]; /* nodes seen in the window's pages (or planned) */
	char page_nodes[64];   /* pages found per node, "0:96,1:32" (every page) */
	int cpu_ok;         /* 1 runs on its PU, 0 mismatch, -1 not checked */
	int mem_ok;         /* 1 pages on intended nodes, 0 mismatch, -1 not checked */
	long pages_checked, pages_wrong; /* every page of every buffer */
	int wrong_node;     /* a node a page was found on although not intended */
	bool checked;       /* cb_placement_check ran for this rank */
	char host[64];      /* MPI: the rank's host ("" with threads: the run's) */
	int pid;            /* MPI: the rank's process, 0 with threads */
};

struct cb_placement {
	void *topo;         /* hwloc_topology_t, loaded once, shared by all ranks */
	bool thissystem;    /* the topology describes the machine we run on */
	bool can_bind;      /* thissystem and thread binding supported */
	bool can_membind;   /* thissystem and hwloc_alloc_membind supported */
	char desc[192];     /* "this system", synthetic "...", XML file ... */
	struct cb_placement_config cfg; /* a copy of the options */
	int bind;           /* enum cb_bind in effect (--cpus alone: CB_BIND_LIST) */
	int mem;            /* enum cb_mem */
	int mem_node;       /* OS index for CB_MEM_NODE */
	void *avail;        /* hwloc_cpuset_t: the PUs ranks may use */
	int npus;           /* weight of avail */
	int nnuma;
	int nranks;
	struct cb_rank_place *ranks;
	void **cpusets;     /* [nranks] hwloc_bitmap_t, NULL with --bind none */
};

/* Load the topology (cfg->topology or this system) and check the placement
 * options against it. Usage errors (nonexistent PU or node, bad XML or
 * synthetic string) print one line naming the option and exit 6; a
 * topology that cannot be loaded otherwise exits 2. */
int cb_placement_init(struct cb_placement *pl, const struct cb_placement_config *cfg);
/* Map nranks ranks onto the PUs by the policy. May be called again for
 * another rank count (or the next cycle): the previous map is dropped, the
 * topology is kept (loading it is the expensive part). */
void cb_placement_plan(struct cb_placement *pl, int nranks);
void cb_placement_fini(struct cb_placement *pl);

/* Called by rank r's own thread, in this order: bind, alloc (then the
 * caller first-touches every buffer), check. */
void cb_placement_bind(struct cb_placement *pl, int rank);
/* Allocate len bytes by the --mem policy for rank; the caller first-touches. */
void *cb_placement_alloc(struct cb_placement *pl, int rank, size_t len);
void cb_placement_free(struct cb_placement *pl, void *p, size_t len);
/* Check where the thread runs and where the (touched) buffers' pages are;
 * bufs[0] is the window. */
void cb_placement_check(struct cb_placement *pl, int rank, void *const *bufs,
			const size_t *lens, int nbufs);

/* On this system: one thread per rank binds, allocates and touches a page
 * by the policy, and checks it (what topo and --show-placement show). */
void cb_placement_probe(struct cb_placement *pl);

/* Showing a placement: take a snapshot and render it (placesnap.h). */

const char *cb_placement_hwloc_version(void);
const char *cb_placement_numa_version(void);

#endif
