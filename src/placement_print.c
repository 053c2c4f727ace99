/* placement_print.c: the topology summary, the rank map (nccl-tests' rank
 * lines plus PU, core and NUMA facts), the mismatch count and
 * --strict-placement's error. Split from placement.c: printing reads a
 * finished plan and check, and shares nothing else with planning. */
#define _GNU_SOURCE
#include <errno.h>
#include <hwloc.h>
#include <limits.h>
#include <numa.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/memplace.h"
#include "collbench/placement.h"

#include "placement_int.h"

/* ---- printers ---- */

/* Every rank ran its check (read after the ranks' setup barrier or join). */
static bool all_checked(const struct cb_placement *pl)
{
	for (int r = 0; r < pl->nranks; r++)
		if (!pl->ranks[r].checked)
			return false;
	return pl->nranks > 0;
}

static const char *num(char *buf, size_t cap, int v)
{
	if (v < 0)
		snprintf(buf, cap, "-");
	else
		snprintf(buf, cap, "%d", v);
	return buf;
}

void cb_placement_print_topology(FILE *f, const struct cb_placement *pl, bool detail)
{
	hwloc_topology_t t = pl->topo;
	char buf[512];
	int npk = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PACKAGE);
	int ncore = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE);
	int npu = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU);

	if (!pl->thissystem)
		fprintf(f, "# Topology: %s; not this system: placement planned, not applied\n",
			pl->desc);
	else if (!pl->can_bind)
		fprintf(f, "# Topology: %s; thread binding unsupported here: not applied\n",
			pl->desc);
	else if (pl->bind == CB_BIND_NONE)
		fprintf(f, "# Topology: %s; ranks not bound (--bind none), pages checked\n", pl->desc);
	else
		fprintf(f, "# Topology: %s; binding applied and verified by each rank\n", pl->desc);
	list_str(buf, sizeof buf, pl->avail);
	fprintf(f, "# Machine: %d package%s, %d NUMA node%s, %d core%s, %d PU%s; "
		   "for ranks: %d PU%s (OS indexes %s)\n",
		npk, npk == 1 ? "" : "s", pl->nnuma, pl->nnuma == 1 ? "" : "s",
		ncore, ncore == 1 ? "" : "s", npu, npu == 1 ? "" : "s",
		pl->npus, pl->npus == 1 ? "" : "s", buf);
	if (!detail)
		return;
	for (hwloc_obj_t n = NULL; (n = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_NUMANODE, n));) {
		hwloc_bitmap_t cores = hwloc_bitmap_alloc();
		char pus[256], cs[256];
		for (hwloc_obj_t c = NULL; (c = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_CORE, c));)
			if (n->cpuset && c->cpuset && hwloc_bitmap_isincluded(c->cpuset, n->cpuset))
				hwloc_bitmap_set(cores, c->logical_index);
		list_str(pus, sizeof pus, n->cpuset ? n->cpuset : cores);
		list_str(cs, sizeof cs, cores);
		fprintf(f, "#   NUMA %u: %llu MiB, PUs %s, cores %s\n", n->os_index,
			(unsigned long long)(n->attr->numanode.local_memory >> 20), pus, cs);
		hwloc_bitmap_free(cores);
	}
}

static void rank_status(char *buf, size_t cap, const struct cb_placement *pl,
			const struct cb_rank_place *rp)
{
	size_t n = 0;
	if (!pl->thissystem || !all_checked(pl)) {
		snprintf(buf, cap, "planned");
		return;
	}
	buf[0] = '\0';
	if (rp->cpu_ok == 0) {
		if (!rp->bound)
			n += (size_t)snprintf(buf + n, cap - n, "MISMATCH: binding failed (%s)",
					      strerror(rp->bind_errno ? rp->bind_errno : EINVAL));
		else
			n += (size_t)snprintf(buf + n, cap - n, "MISMATCH: runs on PU %d", rp->ran_on);
	} else if (rp->pu_os < 0) {
		n += (size_t)snprintf(buf + n, cap - n, "unbound, ran on PU %d", rp->ran_on);
	} else if (rp->cpu_ok < 0) {
		n += (size_t)snprintf(buf + n, cap - n, "NOT BOUND (unsupported)");
	}
	if (n >= cap)
		return;
	if (rp->mem_ok == 0)
		n += (size_t)snprintf(buf + n, cap - n, "%sMISMATCH: pages on NUMA %d (%ld of %ld)",
				      n ? ", " : "", rp->wrong_node, rp->pages_wrong,
				      rp->pages_checked);
	if (n >= cap)
		return;
	if (!n)
		snprintf(buf, cap, rp->mem_ok == 1 ? "verified" : "bound, pages not checked");
}

/* What is wrong with rank r, for the warning and the strict error. */
static void describe(char *buf, size_t cap, const struct cb_placement *pl, int r)
{
	const struct cb_rank_place *rp = &pl->ranks[r];
	char want[32];
	if (pl->mem == CB_MEM_INTERLEAVE)
		cb_mem_interleave_list(pl, want, sizeof want);
	else
		snprintf(want, sizeof want, "%d", rp->win_node);
	if (rp->cpu_ok == 0 && rp->bound)
		snprintf(buf, cap, "rank %d runs on PU %d, bound to PU %d", r, rp->ran_on, rp->pu_os);
	else if (rp->cpu_ok == 0)
		snprintf(buf, cap, "rank %d: binding to PU %d failed (%s)", r, rp->pu_os,
			 strerror(rp->bind_errno ? rp->bind_errno : EINVAL));
	else if (rp->cpu_ok < 0 && rp->pu_os >= 0)
		snprintf(buf, cap, "rank %d: not bound to PU %d (thread binding unsupported)", r,
			 rp->pu_os);
	else if (rp->mem_ok == 0)
		snprintf(buf, cap, "rank %d: %ld of %ld pages on NUMA %d, intended NUMA %s "
			 "(pages per node %s)", r, rp->pages_wrong, rp->pages_checked,
			 rp->wrong_node, want, rp->page_nodes);
	else
		snprintf(buf, cap, "rank %d: pages not verified (libnuma unavailable), intended NUMA %s",
			 r, want);
}

int cb_placement_mismatches(const struct cb_placement *pl, char *first, size_t cap)
{
	int bad = 0;
	if (first && cap)
		first[0] = '\0';
	if (!pl->thissystem || !all_checked(pl))
		return 0;
	for (int r = 0; r < pl->nranks; r++) {
		const struct cb_rank_place *rp = &pl->ranks[r];
		int b = rp->cpu_ok == 0 || rp->mem_ok == 0 || (rp->pu_os >= 0 && rp->cpu_ok < 0);
		/* Memory with a target that could not be checked, on a machine
		 * where the answer is not trivially "node 0". */
		if (pl->nnuma > 1 && rp->mem_ok < 0 &&
		    (pl->mem != CB_MEM_LOCAL || rp->pu_os >= 0))
			b = 1;
		if (b && !bad++ && first)
			describe(first, cap, pl, r);
	}
	return bad;
}

/* The map's last line: planned only, the first mismatch, or what was
 * verified. */
static void print_verdict(FILE *f, const struct cb_placement *pl)
{
	char first[256];
	int bad;

	if (!pl->thissystem) {
		fprintf(f, "# Placement planned, not applied: the topology is not this system\n");
		return;
	}
	if (!all_checked(pl))
		return;
	bad = cb_placement_mismatches(pl, first, sizeof first);
	if (bad) {
		fprintf(f, "# WARNING: placement not as planned on %d of %d rank%s; first: %s\n", bad,
			pl->nranks, pl->nranks == 1 ? "" : "s", first);
	} else {
		long pages = 0, seen = 0;
		int cpus = 0, memok = 0;
		for (int r = 0; r < pl->nranks; r++) {
			const struct cb_rank_place *rp = &pl->ranks[r];
			seen += rp->pages_checked;
			cpus += rp->cpu_ok == 1;
			if (rp->mem_ok == 1) {
				memok++;
				pages += rp->pages_checked;
			}
		}
		if (pl->bind == CB_BIND_NONE)
			fprintf(f, "# Placement checked: ranks not bound (--bind none)");
		else
			fprintf(f, "# Placement verified: %d of %d rank%s on %s PU (sched_getcpu)", cpus,
				pl->nranks, pl->nranks == 1 ? "" : "s", pl->nranks == 1 ? "its" : "their");
		if (memok) {
			char by[128];
			cb_mem_pages_by_node(pl, by, sizeof by);
			fprintf(f, ", every page on the intended NUMA node (move_pages: %ld page%s; "
				"by node %s)\n", pages, pages == 1 ? "" : "s", by);
		}
		else if (!seen)
			fprintf(f, ", pages not checked (libnuma unavailable)\n");
		else
			fprintf(f, ", pages placed by first touch (no target node)\n");
	}
}

void cb_placement_print_map(FILE *f, const struct cb_placement *pl, const char *host, int pid)
{
	int *load = NULL, maxl = 0, minl = INT_MAX;
	char mem[96], a[16], b[16], c[16], d[16], st[160];
	bool multi = pl->nnuma > 1;

	if (pl->bind != CB_BIND_NONE) {
		int maxpu = 0;
		for (int r = 0; r < pl->nranks; r++)
			maxpu = pl->ranks[r].pu_os > maxpu ? pl->ranks[r].pu_os : maxpu;
		load = cb_xcalloc((size_t)maxpu + 1, sizeof *load);
		for (int r = 0; r < pl->nranks; r++)
			if (pl->ranks[r].pu_os >= 0)
				load[pl->ranks[r].pu_os]++;
		for (int i = 0; i <= maxpu; i++)
			if (load[i]) {
				maxl = load[i] > maxl ? load[i] : maxl;
				minl = load[i] < minl ? load[i] : minl;
			}
		free(load);
	}
	cb_mem_policy_name(mem, sizeof mem, pl);
	fprintf(f, "# Placement: bind %s%s%s, mem %s; %d rank%s on %d PU%s", cb_bind_name(pl->bind),
		pl->cfg.cpus_arg ? " --cpus " : "", pl->cfg.cpus_arg ? pl->cfg.cpus_arg : "", mem, pl->nranks,
		pl->nranks == 1 ? "" : "s", pl->npus, pl->npus == 1 ? "" : "s");
	if (pl->nranks > pl->npus && pl->bind == CB_BIND_NONE)
		fprintf(f, " (oversubscribed, unbound)");
	else if (maxl > 1 && maxl == minl)
		fprintf(f, " (oversubscribed: ranks share PUs evenly, %d per PU)", maxl);
	else if (maxl > 1)
		fprintf(f, " (oversubscribed: ranks share PUs evenly, %d-%d per PU)", minl, maxl);
	fprintf(f, "\n");
	if (multi)
		cb_mem_print_node_load(f, pl);
	for (int r = 0; r < pl->nranks; r++) {
		const struct cb_rank_place *rp = &pl->ranks[r];
		char dist[24] = "";
		rank_status(st, sizeof st, pl, rp);
		/* nccl-tests' rank line up to its device (a rank thread's
		 * index in this process; [cpu] where it prints the PCI id),
		 * then collbench's PU and NUMA facts; with several nodes, how
		 * far each rank's window is from its PU */
		if (multi)
			snprintf(dist, sizeof dist, "dist %2s ", num(d, sizeof d, rp->distance));
		if (host)
			fprintf(f, "#  Rank %2d Group %2d Pid %6d on %10s device %2d [cpu] PU %3s core %3s NUMA %2s window NUMA %-3s %s%s\n",
				r, 0, pid, host, r, num(a, sizeof a, rp->pu_os), num(b, sizeof b, rp->core),
				num(c, sizeof c, rp->numa), rp->window_nodes, dist, st);
		else
			fprintf(f, "#  Rank %2d PU %3s core %3s NUMA %2s window NUMA %-3s %s%s\n", r,
				num(a, sizeof a, rp->pu_os), num(b, sizeof b, rp->core),
				num(c, sizeof c, rp->numa), rp->window_nodes, dist, st);
	}
	print_verdict(f, pl);
}

void cb_placement_enforce(const struct cb_placement *pl, FILE *flush)
{
	char first[256];
	int bad;
	if (!pl->cfg.strict)
		return;
	bad = cb_placement_mismatches(pl, first, sizeof first);
	if (!bad)
		return;
	if (flush)
		fflush(flush);
	cb_die(CB_EXIT_RESOURCE, "placement not as planned on %d of %d rank%s "
	       "(--strict-placement): %s", bad, pl->nranks, pl->nranks == 1 ? "" : "s", first);
}

const char *cb_placement_hwloc_version(void)
{
	return HWLOC_VERSION;
}

const char *cb_placement_numa_version(void)
{
	return LIBNUMA_API_VERSION == 2 ? "API 2" : "API 1";
}
