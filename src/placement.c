/* placement.c: hwloc topology (this system, an XML file or a synthetic
 * description), the rank -> PU policies, binding, and a check of where
 * threads and pages really are (sched_getcpu, and every page through
 * memplace.c, which owns the memory half: target nodes, strict binding,
 * move_pages).
 *
 * hwloc's XML and synthetic backends bind nothing and report success, so
 * everything that binds or checks is gated on hwloc_topology_is_thissystem()
 * and the support bits; on a described machine the placement is only
 * planned. */
#define _GNU_SOURCE
#include <errno.h>
#include <hwloc.h>
#include <limits.h>
#include <numa.h>
#include <numaif.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collbench/common.h"
#include "collbench/memplace.h"
#include "collbench/options.h"
#include "collbench/placement.h"

#define MAX_PU_INDEX (1 << 20)

/* ---- option grammars ---- */

static const char *const bind_names[] = { "spread", "compact", "numa", "none", "list" };

int cb_bind_parse(const char *s, int *bind, const char **why)
{
	for (int i = 0; i < CB_BIND_LIST; i++)
		if (!strcmp(s, bind_names[i])) {
			*bind = i;
			return 0;
		}
	*why = "unknown policy (valid: spread, compact, numa, none)";
	return -1;
}

const char *cb_bind_name(int bind)
{
	return bind >= 0 && bind <= CB_BIND_LIST ? bind_names[bind] : "?";
}

static int parse_index(const char **sp, long max, long *out)
{
	const char *s = *sp;
	long v = 0;
	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (*s++ - '0');
		if (v > max)
			return -2;
	}
	*sp = s;
	*out = v;
	return 0;
}

int cb_mem_parse(const char *s, int *mem, long *node, const char **why)
{
	*node = -1;
	if (!strcmp(s, "local")) {
		*mem = CB_MEM_LOCAL;
		return 0;
	}
	if (!strcmp(s, "interleave")) {
		*mem = CB_MEM_INTERLEAVE;
		return 0;
	}
	if (!strncmp(s, "node:", 5)) {
		const char *p = s + 5;
		int rc = parse_index(&p, INT_MAX, node);
		if (rc == 0 && !*p) {
			*mem = CB_MEM_NODE;
			return 0;
		}
		*why = rc == -2 ? "node index too large" : "expected node:N with N a NUMA node number";
		return -1;
	}
	*why = "unknown policy (valid: local, interleave, node:N)";
	return -1;
}

int cb_cpulist_parse(const char *s, int **out, int *n, const char **why)
{
	static char msg[96];
	hwloc_bitmap_t seen;
	int cap = 16, cnt = 0, *v;

	*out = NULL;
	*n = 0;
	if (!*s) {
		*why = "empty list";
		return -1;
	}
	if (!strcmp(s, "all"))
		return 0;
	seen = hwloc_bitmap_alloc();
	v = cb_xcalloc((size_t)cap, sizeof *v);
	for (;;) {
		long a = 0, b;
		int rc = parse_index(&s, MAX_PU_INDEX, &a);
		b = a;
		if (!rc && *s == '-') {
			s++;
			rc = parse_index(&s, MAX_PU_INDEX, &b);
		}
		if (rc) {
			*why = rc == -2 ? "PU index too large"
					: "malformed list (expected e.g. 0,2,4-7)";
			goto fail;
		}
		if (b < a) {
			snprintf(msg, sizeof msg, "descending range %ld-%ld", a, b);
			*why = msg;
			goto fail;
		}
		for (long i = a; i <= b; i++) {
			if (hwloc_bitmap_isset(seen, (unsigned)i)) {
				snprintf(msg, sizeof msg, "PU %ld listed twice", i);
				*why = msg;
				goto fail;
			}
			hwloc_bitmap_set(seen, (unsigned)i);
			if (cnt == cap) {
				int *w = realloc(v, 2 * (size_t)cap * sizeof *v);
				if (!w)
					cb_die(CB_EXIT_RESOURCE, "out of memory");
				v = w;
				cap *= 2;
			}
			v[cnt++] = (int)i;
		}
		if (!*s)
			break;
		if (*s != ',') {
			*why = "malformed list (expected e.g. 0,2,4-7)";
			goto fail;
		}
		s++;
	}
	hwloc_bitmap_free(seen);
	*out = v;
	*n = cnt;
	return 0;
fail:
	hwloc_bitmap_free(seen);
	free(v);
	return -1;
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

static void list_str(char *buf, size_t cap, hwloc_const_bitmap_t set)
{
	if (hwloc_bitmap_iszero(set))
		snprintf(buf, cap, "none");
	else
		hwloc_bitmap_list_snprintf(buf, cap, set);
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

int cb_placement_init(struct cb_placement *pl, const struct cb_options *o)
{
	hwloc_topology_t t;
	const struct hwloc_topology_support *sup;
	hwloc_bitmap_t avail;

	memset(pl, 0, sizeof *pl);
	if ((hwloc_get_api_version() >> 16) != (HWLOC_API_VERSION >> 16))
		cb_die(CB_EXIT_RESOURCE, "hwloc library %x does not match the headers %x",
		       hwloc_get_api_version(), HWLOC_API_VERSION);
	if (hwloc_topology_init(&t))
		cb_die(CB_EXIT_RESOURCE, "cannot initialise hwloc");
	snprintf(pl->desc, sizeof pl->desc, "this system");
	load_topology(pl, t, o->topology);
	pl->topo = t;
	pl->topo_opt = o->topology;
	pl->thissystem = hwloc_topology_is_thissystem(t);
	if (!pl->thissystem && !o->topology)
		snprintf(pl->desc, sizeof pl->desc, "from HWLOC_XMLFILE/HWLOC_SYNTHETIC");
	sup = hwloc_topology_get_support(t);
	pl->can_bind = pl->thissystem && sup->cpubind->set_thisthread_cpubind;
	pl->can_membind = pl->thissystem && sup->membind->alloc_membind;
	pl->bind = o->bind;
	pl->mem = o->mem;
	pl->mem_node = (int)o->mem_node;
	pl->strict = o->strict_placement;
	pl->cpus_arg = o->cpus;
	pl->nnuma = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_NUMANODE);

	/* The PUs ranks may use: allowed by the OS (cgroups), within the
	 * process's binding (taskset) on this system, then --cpus. */
	avail = hwloc_bitmap_dup(hwloc_topology_get_allowed_cpuset(t));
	if (pl->thissystem) {
		hwloc_bitmap_t proc = hwloc_bitmap_alloc();
		if (!hwloc_get_cpubind(t, proc, HWLOC_CPUBIND_PROCESS) &&
		    hwloc_bitmap_intersects(proc, avail))
			hwloc_bitmap_and(avail, avail, proc);
		hwloc_bitmap_free(proc);
	}
	if (o->cpus) {
		const char *why;
		char all[256];
		list_str(all, sizeof all, avail);
		if (cb_cpulist_parse(o->cpus, &pl->cpus, &pl->ncpus, &why))
			usage("--cpus", o->cpus, "%s", why);
		for (int i = 0; i < pl->ncpus; i++) {
			int c = pl->cpus[i];
			/* A PU a cpuset or cgroup excludes is gone from the tree
			 * but still in the complete cpuset: it exists. */
			if (!hwloc_get_pu_obj_by_os_index(t, (unsigned)c) &&
			    hwloc_bitmap_isset(hwloc_topology_get_complete_cpuset(t), (unsigned)c))
				usage("--cpus", o->cpus, "PU %d is not allowed to this process (a "
				      "cpuset or cgroup excludes it; available: %s)", c, all);
			if (!hwloc_get_pu_obj_by_os_index(t, (unsigned)c))
				usage("--cpus", o->cpus, "PU %d does not exist (PUs by OS index: %s)",
				      c, all);
			if (!hwloc_bitmap_isset(avail, (unsigned)c))
				usage("--cpus", o->cpus, "PU %d is not available to this process "
				      "(available: %s)", c, all);
		}
		if (pl->cpus) {
			hwloc_bitmap_zero(avail);
			for (int i = 0; i < pl->ncpus; i++)
				hwloc_bitmap_set(avail, (unsigned)pl->cpus[i]);
		}
		if (!o->bind_set && pl->cpus)
			pl->bind = CB_BIND_LIST;
	}
	pl->avail = avail;
	pl->npus = hwloc_bitmap_weight(avail);
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
				t, (unsigned)pl->cpus[slot(r, p, pl->ncpus)]);
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

void cb_placement_plan(struct cb_placement *pl, int nranks)
{
	hwloc_topology_t t = pl->topo;
	hwloc_obj_t *pus = cb_xcalloc((size_t)nranks, sizeof *pus);
	hwloc_bitmap_t *sets = cb_xcalloc((size_t)nranks, sizeof *sets);
	char il[32];

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
	for (int r = 0; pl->cpusets && r < pl->nranks; r++)
		if (pl->cpusets[r])
			hwloc_bitmap_free(pl->cpusets[r]);
	free(pl->cpusets);
	free(pl->ranks);
	free(pl->cpus);
	if (pl->avail)
		hwloc_bitmap_free(pl->avail);
	if (pl->topo)
		hwloc_topology_destroy(pl->topo);
	memset(pl, 0, sizeof *pl);
}

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

void cb_placement_print_map(FILE *f, const struct cb_placement *pl, const char *host, int pid)
{
	int *load = NULL, maxl = 0, minl = INT_MAX;
	char mem[96], a[16], b[16], c[16], d[16], st[160], first[256];
	bool multi = pl->nnuma > 1;
	int bad;

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
		pl->cpus_arg ? " --cpus " : "", pl->cpus_arg ? pl->cpus_arg : "", mem, pl->nranks,
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

void cb_placement_enforce(const struct cb_placement *pl, FILE *flush)
{
	char first[256];
	int bad;
	if (!pl->strict)
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
