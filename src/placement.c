/* placement.c: hwloc topology (this system, an XML file or a synthetic
 * description), the placement options checked against it, and the rank ->
 * PU policies. It was one file of 880 lines; what moved, and why:
 *   placement_check.c  binding, allocation and the check of where threads
 *                      and pages really are (runs on the rank threads)
 *   placement_snap.c   the machine and a placement taken out as data
 *                      (placesnap.h) for everything that shows them
 *   placement_print.c  the topology and map texts, mismatches, strict,
 *                      rendered from those snapshots (no hwloc)
 *   parse.c, optenum.c the option grammars (--cpus, --bind, --mem names):
 *                      the option parser owns them, so a bad value is a
 *                      usage error before anything runs
 * The memory half (target nodes, strict binding, move_pages) is
 * memplace.c's.
 *
 * hwloc's XML and synthetic backends bind nothing and report success, so
 * everything that binds or checks is gated on hwloc_topology_is_thissystem()
 * and the support bits; on a described machine the placement is only
 * planned.
 *
 * The topology is loaded once (cb_placement_init); cb_placement_plan maps
 * any number of ranks onto it, again and again (one map per -g count and
 * -N cycle), without reloading. */
#define _GNU_SOURCE
#include <errno.h>
#include <hwloc.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/memplace.h"
#include "collbench/optenum.h"
#include "collbench/placement.h"

#include "placement_int.h"

/* The names of the option values are optenum.c's; "list" is the policy
 * --cpus alone implies, which no option spells. */
const char *cb_bind_name(int bind)
{
	return bind == CB_BIND_LIST ? "list" : cb_enum_name(&cb_enum_bind, bind);
}

/* ---- topology ---- */

/* One line on stderr naming the option, exit 6, as options.c does. */
static void __attribute__((noreturn, format(printf, 3, 4)))
usage(const char *opt, const char *val, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	cb_die(CB_EXIT_USAGE, "invalid value '%s' for %s: %s (see 'collbench --help')", val, opt,
	       why);
}

static void load_topology(struct cb_placement *pl, hwloc_topology_t t, const char *spec)
{
	static const char synth[] = "synthetic:";
	if (!spec) {
		if (hwloc_topology_load(t))
			cb_die(CB_EXIT_RESOURCE, "cannot load the hwloc topology of this system");
		return;
	}
	if (!strncmp(spec, synth, sizeof synth - 1)) {
		char desc[160];
		size_t n;
		snprintf(desc, sizeof desc, "%s", spec + sizeof synth - 1);
		n = strlen(desc);
		/* Tolerate quotes that survived the shell. */
		if (n >= 2 && desc[0] == '"' && desc[n - 1] == '"') {
			memmove(desc, desc + 1, n - 2);
			desc[n - 2] = '\0';
		}
		if (!*desc || hwloc_topology_set_synthetic(t, desc) || hwloc_topology_load(t))
			usage("--topology", spec, "invalid synthetic description "
			      "(hwloc syntax, e.g. synthetic:\"pack:2 numa:2 core:4 pu:2\")");
		snprintf(pl->desc, sizeof pl->desc, "synthetic \"%s\"", desc);
	} else {
		FILE *fp = fopen(spec, "r");
		if (!fp)
			usage("--topology", spec, "cannot read the file: %s", strerror(errno));
		fclose(fp);
		if (hwloc_topology_set_xml(t, spec) || hwloc_topology_load(t))
			usage("--topology", spec, "not a valid hwloc XML topology "
			      "(or use synthetic:DESCRIPTION)");
		snprintf(pl->desc, sizeof pl->desc, "XML %s", spec);
	}
}

/* --cpus against the topology: every PU must exist and be available. */
static void check_cpus(hwloc_topology_t t, const struct cb_placement_config *cfg,
		       hwloc_const_bitmap_t avail)
{
	const char *arg = cfg->cpus_arg;
	char all[256];
	list_str(all, sizeof all, avail);
	for (int i = 0; i < cfg->cpus.n; i++) {
		int c = cfg->cpus.pu[i];
		/* A PU a cpuset or cgroup excludes is gone from the tree
		 * but still in the complete cpuset: it exists. */
		if (!hwloc_get_pu_obj_by_os_index(t, (unsigned)c) &&
		    hwloc_bitmap_isset(hwloc_topology_get_complete_cpuset(t), (unsigned)c))
			usage("--cpus", arg, "PU %d is not allowed to this process (a "
			      "cpuset or cgroup excludes it; available: %s)", c, all);
		if (!hwloc_get_pu_obj_by_os_index(t, (unsigned)c))
			usage("--cpus", arg, "PU %d does not exist (PUs by OS index: %s)", c, all);
		if (!hwloc_bitmap_isset(avail, (unsigned)c))
			usage("--cpus", arg, "PU %d is not available to this process "
			      "(available: %s)", c, all);
	}
}

/* The PUs ranks may use: allowed by the OS (cgroups), within the process's
 * binding (taskset) on this system, then --cpus. */
static hwloc_bitmap_t available_pus(struct cb_placement *pl)
{
	hwloc_topology_t t = pl->topo;
	hwloc_bitmap_t avail = hwloc_bitmap_dup(hwloc_topology_get_allowed_cpuset(t));
	if (pl->thissystem) {
		hwloc_bitmap_t proc = hwloc_bitmap_alloc();
		if (!hwloc_get_cpubind(t, proc, HWLOC_CPUBIND_PROCESS) &&
		    hwloc_bitmap_intersects(proc, avail))
			hwloc_bitmap_and(avail, avail, proc);
		hwloc_bitmap_free(proc);
	}
	if (pl->cfg.cpus.n) {
		check_cpus(t, &pl->cfg, avail);
		hwloc_bitmap_zero(avail);
		for (int i = 0; i < pl->cfg.cpus.n; i++)
			hwloc_bitmap_set(avail, (unsigned)pl->cfg.cpus.pu[i]);
		if (!pl->cfg.bind_set)
			pl->bind = CB_BIND_LIST;
	}
	return avail;
}

int cb_placement_init(struct cb_placement *pl, const struct cb_placement_config *cfg)
{
	hwloc_topology_t t;
	const struct hwloc_topology_support *sup;

	memset(pl, 0, sizeof *pl);
	pl->cfg = *cfg;
	if ((hwloc_get_api_version() >> 16) != (HWLOC_API_VERSION >> 16))
		cb_die(CB_EXIT_RESOURCE, "hwloc library %x does not match the headers %x",
		       hwloc_get_api_version(), HWLOC_API_VERSION);
	if (hwloc_topology_init(&t))
		cb_die(CB_EXIT_RESOURCE, "cannot initialise hwloc");
	snprintf(pl->desc, sizeof pl->desc, "this system");
	load_topology(pl, t, cfg->topology);
	pl->topo = t;
	pl->thissystem = hwloc_topology_is_thissystem(t);
	if (!pl->thissystem && !cfg->topology)
		snprintf(pl->desc, sizeof pl->desc, "from HWLOC_XMLFILE/HWLOC_SYNTHETIC");
	sup = hwloc_topology_get_support(t);
	pl->can_bind = pl->thissystem && sup->cpubind->set_thisthread_cpubind;
	pl->can_membind = pl->thissystem && sup->membind->alloc_membind;
	pl->bind = cfg->bind;
	pl->mem = cfg->mem;
	pl->mem_node = cfg->mem_node;
	pl->nnuma = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_NUMANODE);
	pl->avail = available_pus(pl);
	pl->npus = hwloc_bitmap_weight(pl->avail);
	if (pl->npus < 1)
		cb_die(CB_EXIT_RESOURCE, "no PU is available to run ranks on");
	if (pl->mem == CB_MEM_NODE &&
	    !hwloc_get_numanode_obj_by_os_index(t, (unsigned)pl->mem_node)) {
		char nodes[128], val[32];
		list_str(nodes, sizeof nodes, hwloc_topology_get_topology_nodeset(t));
		snprintf(val, sizeof val, "node:%d", pl->mem_node);
		usage("--mem", val, "NUMA node %d does not exist (nodes: %s)", pl->mem_node, nodes);
	}
	cb_mem_check_options(pl);
	return 0;
}

/* The first NUMA node (logical order) local to a PU. */
static hwloc_obj_t pu_numa(hwloc_topology_t t, hwloc_obj_t pu)
{
	hwloc_obj_t n = NULL;
	while ((n = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_NUMANODE, n)))
		if (n->cpuset && hwloc_bitmap_isset(n->cpuset, pu->os_index))
			return n;
	return NULL;
}

/* hwloc_distrib over the PUs of set: out[i] gets the i-th PU. */
static void distrib(hwloc_topology_t t, hwloc_const_cpuset_t set, int n, hwloc_obj_t *out)
{
	hwloc_topology_t u = t;
	hwloc_bitmap_t *sets = cb_xcalloc((size_t)n, sizeof *sets);
	hwloc_obj_t root;

	if (!hwloc_bitmap_isequal(set, hwloc_topology_get_topology_cpuset(t)) &&
	    (hwloc_topology_dup(&u, t) || hwloc_topology_restrict(u, set, 0)))
		cb_die(CB_EXIT_RESOURCE, "cannot restrict the hwloc topology to the available PUs");
	root = hwloc_get_root_obj(u);
	/* As much private cache per rank as possible; with more ranks than PUs
	 * hwloc_distrib hands out PUs evenly, neighbouring ranks together. It
	 * allocates sets[i] itself (hwloc_bitmap_dup). */
	hwloc_distrib(u, &root, 1, sets, (unsigned)n, INT_MAX, 0);
	for (int i = 0; i < n; i++) {
		hwloc_bitmap_singlify(sets[i]);
		out[i] = hwloc_get_pu_obj_by_os_index(t, (unsigned)hwloc_bitmap_first(sets[i]));
		hwloc_bitmap_free(sets[i]);
	}
	free(sets);
	if (u != t)
		hwloc_topology_destroy(u);
}

/* Slot of rank r among n slots: in order while r < n, else evenly. */
static int slot(int r, int nranks, int n)
{
	return nranks <= n ? r : (int)((long)r * n / nranks);
}

static void plan_pus(struct cb_placement *pl, hwloc_obj_t *pus)
{
	hwloc_topology_t t = pl->topo;
	hwloc_const_bitmap_t avail = pl->avail;
	int p = pl->nranks, n = 0;

	switch (pl->bind) {
	case CB_BIND_NONE:
		break;
	case CB_BIND_LIST:
		for (int r = 0; r < p; r++)
			pus[r] = hwloc_get_pu_obj_by_os_index(
				t, (unsigned)pl->cfg.cpus.pu[slot(r, p, pl->cfg.cpus.n)]);
		break;
	case CB_BIND_COMPACT: {
		hwloc_obj_t *order = cb_xcalloc((size_t)pl->npus, sizeof *order);
		hwloc_obj_t pu = NULL;
		while ((pu = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_PU, pu)))
			if (hwloc_bitmap_isset(avail, pu->os_index) && n < pl->npus)
				order[n++] = pu;
		for (int r = 0; r < p; r++)
			pus[r] = order[slot(r, p, n)];
		free(order);
		break;
	}
	case CB_BIND_NUMA: {
		/* Nodes with available PUs, logical order; a node whose PUs an
		 * earlier node already covers (e.g. HBM beside DRAM) is skipped. */
		int nn = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_NUMANODE), k = 0;
		hwloc_bitmap_t *sets = cb_xcalloc((size_t)nn + 1, sizeof *sets);
		hwloc_bitmap_t covered = hwloc_bitmap_alloc();
		hwloc_obj_t node = NULL;
		while ((node = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_NUMANODE, node))) {
			hwloc_bitmap_t s = hwloc_bitmap_alloc();
			if (node->cpuset)
				hwloc_bitmap_and(s, node->cpuset, avail);
			if (hwloc_bitmap_iszero(s) || hwloc_bitmap_isincluded(s, covered)) {
				hwloc_bitmap_free(s);
				continue;
			}
			hwloc_bitmap_or(covered, covered, s);
			sets[k++] = s;
		}
		if (!hwloc_bitmap_isequal(covered, avail)) /* PUs without a node */
			sets[k++] = hwloc_bitmap_dup(avail);
		for (int i = 0; i < k; i++) {
			int cnt = p / k + (i < p % k);
			hwloc_obj_t *tmp;
			if (!cnt)
				continue;
			tmp = cb_xcalloc((size_t)cnt, sizeof *tmp);
			distrib(t, sets[i], cnt, tmp);
			for (int j = 0; j < cnt; j++)
				pus[i + j * k] = tmp[j];
			free(tmp);
		}
		for (int i = 0; i < k; i++)
			hwloc_bitmap_free(sets[i]);
		hwloc_bitmap_free(covered);
		free(sets);
		break;
	}
	default: /* CB_BIND_SPREAD */
		distrib(t, avail, p, pus);
		break;
	}
}

/* Drop the map of the last plan; the topology stays. */
static void unplan(struct cb_placement *pl)
{
	for (int r = 0; pl->cpusets && r < pl->nranks; r++)
		if (pl->cpusets[r])
			hwloc_bitmap_free(pl->cpusets[r]);
	free(pl->cpusets);
	free(pl->ranks);
	pl->cpusets = NULL;
	pl->ranks = NULL;
	pl->nranks = 0;
}

void cb_placement_plan(struct cb_placement *pl, int nranks)
{
	hwloc_topology_t t = pl->topo;
	hwloc_obj_t *pus = cb_xcalloc((size_t)nranks, sizeof *pus);
	hwloc_bitmap_t *sets = cb_xcalloc((size_t)nranks, sizeof *sets);
	char il[32];

	unplan(pl);
	cb_mem_interleave_list(pl, il, sizeof il);
	pl->nranks = nranks;
	pl->ranks = cb_xcalloc((size_t)nranks, sizeof *pl->ranks);
	plan_pus(pl, pus);
	for (int r = 0; r < nranks; r++) {
		struct cb_rank_place *rp = &pl->ranks[r];
		hwloc_obj_t pu = pus[r], core, numa;
		core = pu ? hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_CORE, pu) : NULL;
		numa = pu ? pu_numa(t, pu) : NULL;
		rp->pu_os = pu ? (int)pu->os_index : -1;
		rp->core = core ? (int)core->logical_index : -1;
		rp->numa = numa ? (int)numa->os_index : -1;
		rp->ran_on = -1;
		rp->window_numa = -1;
		rp->cpu_ok = rp->mem_ok = -1;
		rp->wrong_node = -1;
		rp->win_node = pl->mem == CB_MEM_NODE ? pl->mem_node
			       : pl->mem == CB_MEM_LOCAL && rp->numa >= 0 ? cb_mem_nearest(pl, rp->numa)
			       : -1;
		rp->distance = rp->numa >= 0 && rp->win_node >= 0
			       ? cb_mem_distance(pl, rp->numa, rp->win_node) : -1;
		if (pu)
			sets[r] = hwloc_bitmap_dup(pu->cpuset);
		/* The planned window node, until a check replaces it. */
		if (pl->mem == CB_MEM_NODE)
			snprintf(rp->window_nodes, sizeof rp->window_nodes, "%d", pl->mem_node);
		else if (pl->mem == CB_MEM_INTERLEAVE)
			snprintf(rp->window_nodes, sizeof rp->window_nodes, "%s", il);
		else if (rp->win_node >= 0)
			snprintf(rp->window_nodes, sizeof rp->window_nodes, "%d", rp->win_node);
		else
			snprintf(rp->window_nodes, sizeof rp->window_nodes, "-");
	}
	free(pus);
	pl->cpusets = (void **)sets;
}

void cb_placement_fini(struct cb_placement *pl)
{
	unplan(pl);
	if (pl->avail)
		hwloc_bitmap_free(pl->avail);
	if (pl->topo)
		hwloc_topology_destroy(pl->topo);
	memset(pl, 0, sizeof *pl);
}

