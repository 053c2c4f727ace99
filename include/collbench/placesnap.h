/* placesnap.h: the machine and a rank count's placement as data.
 *
 * A snapshot is taken from the loaded topology and the plan (with each
 * rank's check) once, and everything that shows a placement renders the
 * snapshot: the table's topology lines and rank map, topo and
 * --show-placement, the JSON's machine and placements, the CSV's machine
 * and placement columns, and --strict-placement's verdict. So the formats
 * cannot disagree, and the report keeps data, not printed text. */
#ifndef COLLBENCH_PLACESNAP_H
#define COLLBENCH_PLACESNAP_H

#include <stdbool.h>
#include <stdio.h>

#include "collbench/placement.h"

/* One NUMA node, in hwloc's logical order. */
struct cb_numa_snap {
	int os_index;
	unsigned long long memory_bytes; /* hwloc's local memory; 0: none */
	bool allowed;       /* in the allowed nodeset (--mem interleave's nodes) */
	int *pus, npus;     /* OS indexes of its cpuset: the PUs local to it (a
			     * memory-only node has its parent's, as hwloc says) */
	int *cores, ncores; /* logical indexes of the cores inside that cpuset */
};

/* How the run applies placements on this topology (the "Topology:" line). */
enum cb_snap_binding {
	CB_SNAP_PLANNED,     /* not this system: planned, not applied */
	CB_SNAP_UNSUPPORTED, /* thread binding unsupported here */
	CB_SNAP_UNBOUND,     /* --bind none: pages checked */
	CB_SNAP_APPLIED,     /* bound and verified by each rank */
};

struct cb_machine_snap {
	bool taken;
	char host[256];     /* filled by the report (gethostname), "" otherwise */
	char desc[192];     /* "this system", synthetic "...", XML file ... */
	bool thissystem;
	enum cb_snap_binding binding;
	int packages, cores, pus; /* the whole topology */
	int *avail, navail; /* OS indexes of the PUs ranks may use */
	unsigned long long llc_bytes; /* the largest cache level hwloc reports; 0: none */
	struct cb_numa_snap *nodes;
	int nnodes;
};

/* The placement of one rank count. */
struct cb_place_snap {
	int nranks;
	int bind_kind;      /* enum cb_bind in effect */
	char bind[16];      /* its name */
	int mem_kind, mem_node; /* enum cb_mem, --mem node:N */
	char mem[32];       /* "local", "interleave", "node:N" */
	char *cpus;         /* --cpus as written, NULL: not given */
	bool strict;        /* --strict-placement */
	int npus;           /* PUs ranks may use */
	struct cb_rank_place *ranks; /* [nranks], as planned and checked */
};

/* Take (hwloc and the plan) and free (placement_snap.c). */
void cb_machine_snap_take(struct cb_machine_snap *m, const struct cb_placement *pl);
void cb_machine_snap_free(struct cb_machine_snap *m);
void cb_place_snap_take(struct cb_place_snap *s, const struct cb_placement *pl);
void cb_place_snap_free(struct cb_place_snap *s);

/* Pure renderings (placement_print.c). The texts are lines ending in '\n'
 * without the table's "# " (the caller frees them); cb_snap_print writes
 * one with "# " before every line. */
char *cb_snap_topology_text(const struct cb_machine_snap *m, bool detail);
/* host NULL: no Pid/host columns (deterministic: topo, JSON); else
 * nccl-tests' rank line with each rank's Group from colors (NULL: 0). */
char *cb_snap_map_text(const struct cb_machine_snap *m, const struct cb_place_snap *s,
		       const char *host, int pid, const int *colors);
void cb_snap_print(FILE *f, const char *text);
/* The CSV's placement column: "bind B mem M; rank 0 PU p core c NUMA n
 * window w; ..." on one line. */
char *cb_snap_place_line(const struct cb_place_snap *s);
/* --mem as planned; local names the nodes without memory it sends
 * elsewhere ("local (nearest node with memory: 1->2)"). */
void cb_snap_mem_policy(char *buf, size_t cap, const struct cb_machine_snap *m,
			const struct cb_place_snap *s);
/* Every rank's check ran on this system (else the verdict is "planned"). */
bool cb_snap_checked(const struct cb_machine_snap *m, const struct cb_place_snap *s);
/* Ranks whose placement is wrong or could not be verified when it should;
 * first (may be NULL) describes the first. */
int cb_snap_mismatches(const struct cb_machine_snap *m, const struct cb_place_snap *s,
		       char *first, size_t cap);
/* With --strict-placement and a mismatch: one line on stderr, exit 2. */
void cb_snap_enforce(const struct cb_machine_snap *m, const struct cb_place_snap *s, FILE *flush);

#endif
