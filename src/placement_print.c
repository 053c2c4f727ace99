/* placement_print.c: the topology summary, the rank map (nccl-tests' rank
 * lines plus PU, core and NUMA facts), the mismatch count and
 * --strict-placement's error, all rendered from snapshots (placesnap.h)
 * without touching hwloc: the table, topo, JSON and CSV show the same
 * data through these functions, so they cannot disagree. Split from
 * placement.c: printing reads a finished plan and check, and shares
 * nothing else with planning. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/memplace.h"
#include "collbench/placesnap.h"

/* ---- a growing string ---- */

struct text {
	char *s;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3))) tx(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (t->len + (size_t)n + 1 > t->cap) {
		t->cap = (t->len + (size_t)n + 1) * 2 + 64;
		t->s = realloc(t->s, t->cap);
		if (!t->s)
			cb_die(CB_EXIT_RESOURCE, "out of memory for the placement");
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

static char *done(struct text *t)
{
	if (!t->s)
		tx(t, "%s", "");
	return t->s;
}

/* Ascending indexes as hwloc writes a set ("0-3,8"), "none" when empty. */
static void list(struct text *t, const int *v, int n)
{
	if (!n)
		tx(t, "none");
	for (int i = 0; i < n;) {
		int j = i;
		while (j + 1 < n && v[j + 1] == v[j] + 1)
			j++;
		tx(t, j > i ? "%s%d-%d" : "%s%d", i ? "," : "", v[i], v[j]);
		i = j + 1;
	}
}

static const char *plural(int n)
{
	return n == 1 ? "" : "s";
}

/* ---- the machine ---- */

char *cb_snap_topology_text(const struct cb_machine_snap *m, bool detail)
{
	static const char *const how[] = {
		[CB_SNAP_PLANNED] = "not this system: placement planned, not applied",
		[CB_SNAP_UNSUPPORTED] = "thread binding unsupported here: not applied",
		[CB_SNAP_UNBOUND] = "ranks not bound (--bind none), pages checked",
		[CB_SNAP_APPLIED] = "binding applied and verified by each rank",
	};
	struct text t = { 0 };
	tx(&t, "Topology: %s; %s\n", m->desc, how[m->binding]);
	tx(&t, "Machine: %d package%s, %d NUMA node%s, %d core%s, %d PU%s; "
	       "for ranks: %d PU%s (OS indexes ", m->packages, plural(m->packages), m->nnodes,
	   plural(m->nnodes), m->cores, plural(m->cores), m->pus, plural(m->pus), m->navail,
	   plural(m->navail));
	list(&t, m->avail, m->navail);
	tx(&t, ")\n");
	for (int i = 0; detail && i < m->nnodes; i++) {
		const struct cb_numa_snap *n = &m->nodes[i];
		tx(&t, "  NUMA %d: %llu MiB, PUs ", n->os_index, n->memory_bytes >> 20);
		list(&t, n->pus, n->npus);
		tx(&t, ", cores ");
		list(&t, n->cores, n->ncores);
		tx(&t, "\n");
	}
	return done(&t);
}

void cb_snap_print(FILE *f, const char *text)
{
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		fprintf(f, "# %.*s\n", (int)n, p);
		p += n + (e != NULL);
	}
}

/* ---- the rank map ---- */

bool cb_snap_checked(const struct cb_machine_snap *m, const struct cb_place_snap *s)
{
	for (int r = 0; r < s->nranks; r++)
		if (!s->ranks[r].checked)
			return false;
	return m->thissystem && s->nranks > 0;
}

/* The nodes --mem interleave spreads over: allowed nodes with memory. */
static void interleave_nodes(struct text *t, const struct cb_machine_snap *m)
{
	int *v = cb_xcalloc((size_t)m->nnodes + 1, sizeof *v), n = 0;
	for (int i = 0; i < m->nnodes; i++)
		if (m->nodes[i].allowed && m->nodes[i].memory_bytes > 0)
			v[n++] = m->nodes[i].os_index;
	list(t, v, n);
	free(v);
}

void cb_snap_mem_policy(char *buf, size_t cap, const struct cb_machine_snap *m,
			const struct cb_place_snap *s)
{
	struct text t = { 0 };
	int n = 0;
	if (s->mem_kind == CB_MEM_NODE) {
		tx(&t, "node:%d", s->mem_node);
	} else if (s->mem_kind == CB_MEM_INTERLEAVE) {
		tx(&t, "interleave (nodes ");
		interleave_nodes(&t, m);
		tx(&t, ")");
	} else {
		tx(&t, "local");
		/* which CPU nodes without memory send their windows where */
		for (int i = 0; i < m->nnodes; i++) {
			int os = m->nodes[i].os_index, to = -1;
			for (int r = 0; r < s->nranks; r++)
				if (s->ranks[r].numa == os && s->ranks[r].win_node >= 0 &&
				    s->ranks[r].win_node != os)
					to = s->ranks[r].win_node;
			if (to >= 0)
				tx(&t, n++ ? ", %d->%d" : " (nearest node with memory: %d->%d", os, to);
		}
		if (n)
			tx(&t, ")");
	}
	snprintf(buf, cap, "%s", t.s);
	free(t.s);
}

static const char *num(char *buf, size_t cap, int v)
{
	if (v < 0)
		snprintf(buf, cap, "-");
	else
		snprintf(buf, cap, "%d", v);
	return buf;
}

static void rank_status(char *buf, size_t cap, bool checked, const struct cb_rank_place *rp)
{
	size_t n = 0;
	if (!checked) {
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
static void describe(char *buf, size_t cap, const struct cb_machine_snap *m,
		     const struct cb_place_snap *s, int r)
{
	const struct cb_rank_place *rp = &s->ranks[r];
	struct text want = { 0 };
	if (s->mem_kind == CB_MEM_INTERLEAVE)
		interleave_nodes(&want, m);
	else
		tx(&want, "%d", rp->win_node);
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
			 rp->wrong_node, want.s, rp->page_nodes);
	else
		snprintf(buf, cap, "rank %d: pages not verified (libnuma unavailable), intended NUMA %s",
			 r, want.s);
	free(want.s);
}

int cb_snap_mismatches(const struct cb_machine_snap *m, const struct cb_place_snap *s,
		       char *first, size_t cap)
{
	int bad = 0;
	if (first && cap)
		first[0] = '\0';
	if (!cb_snap_checked(m, s))
		return 0;
	for (int r = 0; r < s->nranks; r++) {
		const struct cb_rank_place *rp = &s->ranks[r];
		int b = rp->cpu_ok == 0 || rp->mem_ok == 0 || (rp->pu_os >= 0 && rp->cpu_ok < 0);
		/* Memory with a target that could not be checked, on a machine
		 * where the answer is not trivially "node 0". */
		if (m->nnodes > 1 && rp->mem_ok < 0 &&
		    (s->mem_kind != CB_MEM_LOCAL || rp->pu_os >= 0))
			b = 1;
		if (b && !bad++ && first)
			describe(first, cap, m, s, r);
	}
	return bad;
}

/* The verified ranks' pages added up per node: "0:1800,1:1802" (each
 * rank's "node:pages,..." from its check; higher nodes as "other"). */
static void pages_by_node(struct text *t, const struct cb_place_snap *s)
{
	long sum[CB_MEM_MAXNODE + 1] = { 0 };
	int n = 0;
	for (int r = 0; r < s->nranks; r++) {
		const char *p = s->ranks[r].page_nodes;
		if (s->ranks[r].mem_ok != 1)
			continue;
		while (*p) {
			char *end;
			long node = strncmp(p, "other", 5) ? strtol(p, &end, 10) : CB_MEM_MAXNODE;
			if (node == CB_MEM_MAXNODE)
				end = (char *)p + 5;
			if (*end != ':' || node < 0 || node > CB_MEM_MAXNODE)
				break;
			sum[node] += strtol(end + 1, &end, 10);
			p = *end == ',' ? end + 1 : end;
		}
	}
	for (int i = 0; i <= CB_MEM_MAXNODE; i++)
		if (sum[i] && i < CB_MEM_MAXNODE)
			tx(t, "%s%d:%ld", n++ ? "," : "", i, sum[i]);
		else if (sum[i])
			tx(t, "%sother:%ld", n++ ? "," : "", sum[i]);
}

/* The map's last line: planned only, the first mismatch, or what was
 * verified. */
static void verdict(struct text *t, const struct cb_machine_snap *m, const struct cb_place_snap *s)
{
	char first[256];
	long pages = 0, seen = 0;
	int bad, cpus = 0, memok = 0;

	if (!m->thissystem) {
		tx(t, "Placement planned, not applied: the topology is not this system\n");
		return;
	}
	if (!cb_snap_checked(m, s))
		return;
	bad = cb_snap_mismatches(m, s, first, sizeof first);
	if (bad) {
		tx(t, "WARNING: placement not as planned on %d of %d rank%s; first: %s\n", bad,
		   s->nranks, plural(s->nranks), first);
		return;
	}
	for (int r = 0; r < s->nranks; r++) {
		const struct cb_rank_place *rp = &s->ranks[r];
		seen += rp->pages_checked;
		cpus += rp->cpu_ok == 1;
		if (rp->mem_ok == 1) {
			memok++;
			pages += rp->pages_checked;
		}
	}
	if (s->bind_kind == CB_BIND_NONE)
		tx(t, "Placement checked: ranks not bound (--bind none)");
	else
		tx(t, "Placement verified: %d of %d rank%s on %s PU (sched_getcpu)", cpus, s->nranks,
		   plural(s->nranks), s->nranks == 1 ? "its" : "their");
	if (memok) {
		tx(t, ", every page on the intended NUMA node (move_pages: %ld page%s; by node ", pages,
		   pages == 1 ? "" : "s");
		pages_by_node(t, s);
		tx(t, ")\n");
	} else if (!seen) {
		tx(t, ", pages not checked (libnuma unavailable)\n");
	} else {
		tx(t, ", pages placed by first touch (no target node)\n");
	}
}

/* The map's first line: policy, ranks, PUs, and how evenly ranks share
 * PUs when there are more of them. */
static void map_head(struct text *t, const struct cb_machine_snap *m, const struct cb_place_snap *s)
{
	int maxl = 0, minl = INT_MAX;
	char mem[96];
	if (s->bind_kind != CB_BIND_NONE) {
		int maxpu = 0, *load;
		for (int r = 0; r < s->nranks; r++)
			maxpu = s->ranks[r].pu_os > maxpu ? s->ranks[r].pu_os : maxpu;
		load = cb_xcalloc((size_t)maxpu + 1, sizeof *load);
		for (int r = 0; r < s->nranks; r++)
			if (s->ranks[r].pu_os >= 0)
				load[s->ranks[r].pu_os]++;
		for (int i = 0; i <= maxpu; i++)
			if (load[i]) {
				maxl = load[i] > maxl ? load[i] : maxl;
				minl = load[i] < minl ? load[i] : minl;
			}
		free(load);
	}
	cb_snap_mem_policy(mem, sizeof mem, m, s);
	tx(t, "Placement: bind %s%s%s, mem %s; %d rank%s on %d PU%s", s->bind,
	   s->cpus ? " --cpus " : "", s->cpus ? s->cpus : "", mem, s->nranks, plural(s->nranks),
	   s->npus, plural(s->npus));
	if (s->nranks > s->npus && s->bind_kind == CB_BIND_NONE)
		tx(t, " (oversubscribed, unbound)");
	else if (maxl > 1 && maxl == minl)
		tx(t, " (oversubscribed: ranks share PUs evenly, %d per PU)", maxl);
	else if (maxl > 1)
		tx(t, " (oversubscribed: ranks share PUs evenly, %d-%d per PU)", minl, maxl);
	tx(t, "\n");
	if (m->nnodes < 2)
		return;
	/* how many ranks each node has by PU and by window */
	tx(t, "Ranks per NUMA node:");
	for (int i = 0; i < m->nnodes; i++) {
		int os = m->nodes[i].os_index, cpu = 0, win = 0;
		for (int r = 0; r < s->nranks; r++) {
			cpu += s->ranks[r].numa == os;
			win += s->ranks[r].win_node == os;
		}
		tx(t, "%s node %d: %d by PU, %d by window", i ? ";" : "", os, cpu, win);
	}
	tx(t, s->mem_kind == CB_MEM_INTERLEAVE ? " (windows interleaved)\n" : "\n");
}

char *cb_snap_map_text(const struct cb_machine_snap *m, const struct cb_place_snap *s,
		       const char *host, int pid, const int *colors)
{
	struct text t = { 0 };
	char a[16], b[16], c[16], d[16], st[160];
	bool checked = cb_snap_checked(m, s);

	map_head(&t, m, s);
	for (int r = 0; r < s->nranks; r++) {
		const struct cb_rank_place *rp = &s->ranks[r];
		char dist[24] = "";
		rank_status(st, sizeof st, checked, rp);
		/* nccl-tests' rank line up to its device (a rank thread's
		 * index in this process; [cpu] where it prints the PCI id;
		 * Group its --split colour, as nccl-tests prints it),
		 * then collbench's PU and NUMA facts; with several nodes, how
		 * far each rank's window is from its PU */
		if (m->nnodes > 1)
			snprintf(dist, sizeof dist, "dist %2s ", num(d, sizeof d, rp->distance));
		if (host)
			tx(&t, " Rank %2d Group %2d Pid %6d on %10s device %2d [cpu] PU %3s core %3s NUMA %2s window NUMA %-3s %s%s\n",
			   r, colors ? colors[r] : 0, pid, host, r, num(a, sizeof a, rp->pu_os),
			   num(b, sizeof b, rp->core),
			   num(c, sizeof c, rp->numa), rp->window_nodes, dist, st);
		else
			tx(&t, " Rank %2d PU %3s core %3s NUMA %2s window NUMA %-3s %s%s\n", r,
			   num(a, sizeof a, rp->pu_os), num(b, sizeof b, rp->core),
			   num(c, sizeof c, rp->numa), rp->window_nodes, dist, st);
	}
	verdict(&t, m, s);
	return done(&t);
}

char *cb_snap_place_line(const struct cb_place_snap *s)
{
	struct text t = { 0 };
	tx(&t, "bind %s mem %s", s->bind, s->mem);
	for (int r = 0; r < s->nranks; r++)
		tx(&t, "; rank %d PU %d core %d NUMA %d window %s", r, s->ranks[r].pu_os,
		   s->ranks[r].core, s->ranks[r].numa, s->ranks[r].window_nodes);
	return done(&t);
}

void cb_snap_enforce(const struct cb_machine_snap *m, const struct cb_place_snap *s, FILE *flush)
{
	char first[256];
	int bad;
	if (!s->strict)
		return;
	bad = cb_snap_mismatches(m, s, first, sizeof first);
	if (!bad)
		return;
	if (flush)
		fflush(flush);
	cb_die(CB_EXIT_RESOURCE, "placement not as planned on %d of %d rank%s "
	       "(--strict-placement): %s", bad, s->nranks, plural(s->nranks), first);
}
