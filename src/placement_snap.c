/* placement_snap.c: the machine and a rank count's placement taken out of
 * hwloc and the plan as plain data (placesnap.h).
 *
 * Why it exists: the report used to keep the topology lines and the rank
 * map as printer output captured into strings, so JSON and CSV carried text
 * a reader had to parse, and the table, the JSON and the CSV each reached
 * placement through a different path. Now this file is the only reader of
 * hwloc for reporting; the table, topo, JSON and CSV all render its
 * snapshots (placement_print.c, json_report.c, csv.c). */
#define _GNU_SOURCE
#include <hwloc.h>
#include <numa.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/coldcache.h"
#include "collbench/common.h"
#include "collbench/placesnap.h"

/* A bitmap's set bits as an array (ascending); *n their count. */
static int *bits(hwloc_const_bitmap_t set, int *n)
{
	int w = set ? hwloc_bitmap_weight(set) : 0, *v, k = 0;
	unsigned i;
	*n = w > 0 ? w : 0;
	v = cb_xcalloc((size_t)*n + 1, sizeof *v);
	if (*n)
		hwloc_bitmap_foreach_begin(i, set) {
			v[k++] = (int)i;
		} hwloc_bitmap_foreach_end();
	return v;
}

static void take_node(struct cb_numa_snap *ns, hwloc_topology_t t, hwloc_obj_t n)
{
	hwloc_bitmap_t cores = hwloc_bitmap_alloc();
	if (!cores)
		cb_die(CB_EXIT_RESOURCE, "out of memory for the placement");
	ns->os_index = (int)n->os_index;
	ns->memory_bytes = n->attr ? n->attr->numanode.local_memory : 0;
	ns->allowed = hwloc_bitmap_isset(hwloc_topology_get_allowed_nodeset(t), n->os_index);
	for (hwloc_obj_t c = NULL; (c = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_CORE, c));)
		if (n->cpuset && c->cpuset && hwloc_bitmap_isincluded(c->cpuset, n->cpuset))
			hwloc_bitmap_set(cores, c->logical_index);
	ns->pus = bits(n->cpuset, &ns->npus);
	ns->cores = bits(cores, &ns->ncores);
	hwloc_bitmap_free(cores);
}

void cb_machine_snap_take(struct cb_machine_snap *m, const struct cb_placement *pl)
{
	hwloc_topology_t t = pl->topo;
	int k = 0;

	memset(m, 0, sizeof *m);
	m->taken = true;
	snprintf(m->desc, sizeof m->desc, "%s", pl->desc);
	m->thissystem = pl->thissystem;
	m->binding = !pl->thissystem ? CB_SNAP_PLANNED
		     : !pl->can_bind ? CB_SNAP_UNSUPPORTED
		     : pl->bind == CB_BIND_NONE ? CB_SNAP_UNBOUND : CB_SNAP_APPLIED;
	m->packages = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PACKAGE);
	m->cores = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE);
	m->pus = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU);
	m->avail = bits(pl->avail, &m->navail);
	m->llc_bytes = cb_cold_llc(t);
	m->nnodes = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_NUMANODE);
	m->nodes = cb_xcalloc((size_t)m->nnodes + 1, sizeof *m->nodes);
	for (hwloc_obj_t n = NULL;
	     k < m->nnodes && (n = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_NUMANODE, n)); k++)
		take_node(&m->nodes[k], t, n);
}

void cb_machine_snap_free(struct cb_machine_snap *m)
{
	for (int i = 0; i < m->nnodes; i++) {
		free(m->nodes[i].pus);
		free(m->nodes[i].cores);
	}
	free(m->nodes);
	free(m->avail);
	memset(m, 0, sizeof *m);
}

void cb_place_snap_take(struct cb_place_snap *s, const struct cb_placement *pl)
{
	memset(s, 0, sizeof *s);
	s->nranks = pl->nranks;
	s->bind_kind = pl->bind;
	snprintf(s->bind, sizeof s->bind, "%s", cb_bind_name(pl->bind));
	s->mem_kind = pl->mem;
	s->mem_node = pl->mem_node;
	if (pl->mem == CB_MEM_NODE)
		snprintf(s->mem, sizeof s->mem, "node:%d", pl->mem_node);
	else
		snprintf(s->mem, sizeof s->mem, "%s",
			 pl->mem == CB_MEM_INTERLEAVE ? "interleave" : "local");
	if (pl->cfg.cpus_arg) {
		s->cpus = strdup(pl->cfg.cpus_arg);
		if (!s->cpus)
			cb_die(CB_EXIT_RESOURCE, "out of memory for the placement");
	}
	s->strict = pl->cfg.strict;
	s->npus = pl->npus;
	s->ranks = cb_xcalloc((size_t)pl->nranks + 1, sizeof *s->ranks);
	memcpy(s->ranks, pl->ranks, (size_t)pl->nranks * sizeof *s->ranks);
}

void cb_place_snap_free(struct cb_place_snap *s)
{
	free(s->ranks);
	free(s->cpus);
	memset(s, 0, sizeof *s);
}

const char *cb_placement_hwloc_version(void)
{
	return HWLOC_VERSION;
}

const char *cb_placement_numa_version(void)
{
	return LIBNUMA_API_VERSION == 2 ? "API 2" : "API 1";
}
