/* unit_placesnap.c: the -J file's machine and placements of described
 * machines, checked against facts that do not come from collbench or hwloc:
 * the XML files' own objects (counted and read here as text) and the
 * arithmetic of a synthetic description. The report is written by
 * cb_report_json from the snapshots a run keeps (results.c), so what is
 * checked is the JSON a user reads. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "collbench/json.h"
#include "collbench/placesnap.h"
#include "collbench/report.h"
#include "collbench/results.h"
#include "unit.h"

#define MAXN 8
#define MAXPU 64

/* What the XML says, read as text. */
struct facts {
	int packages, cores, pus, nnodes;
	int pu[MAXPU], npu;                      /* PU OS indexes, in file order */
	int node[MAXN];                          /* NUMA os_index */
	unsigned long long mem[MAXN];            /* local_memory, 0 if absent */
	int node_pu[MAXN][MAXPU], node_npu[MAXN];/* the cpuset's bits */
	unsigned long long llc;
};

static long attr(const char *tag, const char *name, const char **val)
{
	char key[48];
	const char *p, *end = strchr(tag, '>');
	snprintf(key, sizeof key, " %s=\"", name);
	p = strstr(tag, key);
	if (!p || (end && p > end))
		return -1;
	*val = p + strlen(key);
	return strtol(*val, NULL, 10);
}

/* A cpuset "0x0000000f" or "0x000000ff,0x0000000f" (most significant word
 * first) as its set bits. */
static void cpuset_bits(const char *v, int *out, int *n)
{
	unsigned long words[8];
	int nw = 0;
	while (nw < 8 && !strncmp(v, "0x", 2)) {
		char *e;
		words[nw++] = strtoul(v + 2, &e, 16);
		v = *e == ',' ? e + 1 : e;
	}
	*n = 0;
	for (int w = 0; w < nw; w++)
		for (int b = 0; b < 32; b++)
			if (words[nw - 1 - w] >> b & 1)
				out[(*n)++] = w * 32 + b;
}

static void read_facts(struct facts *f, const char *path)
{
	FILE *fp = fopen(path, "r");
	static char text[1 << 16];
	size_t len = fp ? fread(text, 1, sizeof text - 1, fp) : 0;
	const char *val;
	memset(f, 0, sizeof *f);
	text[len] = '\0';
	if (fp)
		fclose(fp);
	for (const char *p = text; (p = strstr(p, "<object type=\"")); p++) {
		const char *type = p + 14;
		if (!strncmp(type, "Package\"", 8))
			f->packages++;
		else if (!strncmp(type, "Core\"", 5))
			f->cores++;
		else if (!strncmp(type, "PU\"", 3) && f->npu < MAXPU)
			f->pu[f->npu++] = (int)attr(p, "os_index", &val), f->pus++;
		else if (!strncmp(type, "NUMANode\"", 9) && f->nnodes < MAXN) {
			int k = f->nnodes++;
			f->node[k] = (int)attr(p, "os_index", &val);
			if (attr(p, "local_memory", &val) >= 0)
				f->mem[k] = strtoull(val, NULL, 10);
			if (attr(p, "cpuset", &val) >= 0)
				cpuset_bits(val, f->node_pu[k], &f->node_npu[k]);
		}
	}
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The JSON array arr equals v[0..n). */
static int same_ints(const struct cb_jv *arr, const int *v, int n)
{
	if (!arr || arr->type != CB_JARR || (int)arr->n != n)
		return 0;
	for (int i = 0; i < n; i++)
		if (arr->items[i].type != CB_JNUM || arr->items[i].num != v[i])
			return 0;
	return 1;
}

static double numf(const struct cb_jv *o, const char *k)
{
	const struct cb_jv *v = cb_json_get(o, k);
	return v && v->type == CB_JNUM ? v->num : -12345;
}

/* The -J text of a run that placed nranks ranks on topo (nothing run). */
static char *report_json(const char *topo, int nranks)
{
	static struct cb_options o;
	struct cb_placement_config cfg;
	struct cb_placement pl;
	struct cb_report rep;
	struct cb_place_snap sn;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	memset(&cfg, 0, sizeof cfg);
	cfg.topology = topo;
	cfg.mem = CB_MEM_LOCAL;
	cb_placement_init(&pl, &cfg);
	cb_placement_plan(&pl, nranks);
	cb_results_init(&rep, &o, 0, NULL);
	cb_results_machine(&rep, &pl);
	cb_place_snap_take(&sn, &pl);
	cb_results_place(&rep, &sn);
	cb_report_json(f, &rep);
	fclose(f);
	cb_results_free(&rep);
	cb_placement_fini(&pl);
	return buf;
}

static void check_xml(const char *path)
{
	struct facts x;
	struct cb_jv root;
	char err[128], want[256];
	char *text;
	const struct cb_jv *m, *nodes, *pl, *map;
	int ok = 1, sorted[MAXPU];

	read_facts(&x, path);
	text = report_json(path, 4);
	if (cb_json_parse(text, &root, err, sizeof err)) {
		CHECK(0, "%s: the report is JSON (%s)", path, err);
		free(text);
		return;
	}
	m = cb_json_get(&root, "machine");
	CHECK(numf(m, "packages") == x.packages && numf(m, "cores") == x.cores &&
	      numf(m, "pus") == x.pus && numf(m, "numa_nodes") == x.nnodes,
	      "%s: machine packages, cores, pus, numa_nodes as the XML's objects (%d, %d, %d, %d)",
	      path, x.packages, x.cores, x.pus, x.nnodes);
	memcpy(sorted, x.pu, sizeof sorted);
	qsort(sorted, (size_t)x.npu, sizeof *sorted, cmp_int);
	CHECK(numf(m, "pus_for_ranks") == x.npu &&
	      same_ints(cb_json_get(m, "pu_list_for_ranks"), sorted, x.npu),
	      "%s: pus_for_ranks and pu_list_for_ranks: the XML's PU OS indexes", path);
	nodes = cb_json_get(m, "nodes");
	ok = nodes && nodes->type == CB_JARR && (int)nodes->n == x.nnodes;
	for (int k = 0; ok && k < x.nnodes; k++) {
		const struct cb_jv *n = NULL, *hm;
		for (size_t i = 0; i < nodes->n; i++)
			if (numf(&nodes->items[i], "os_index") == x.node[k])
				n = &nodes->items[i];
		hm = n ? cb_json_get(n, "has_memory") : NULL;
		ok = n && numf(n, "memory_bytes") == (double)x.mem[k] && hm &&
		     hm->type == CB_JBOOL && hm->b == (x.mem[k] > 0) &&
		     /* a memory-only node's cpuset is 0x0 in the file; hwloc
		      * gives it its parent's (the man page says so) */
		     (!x.node_npu[k] || same_ints(cb_json_get(n, "pus"), x.node_pu[k], x.node_npu[k]));
	}
	CHECK(ok, "%s: nodes[]: each NUMANode's os_index, memory_bytes, has_memory and PUs "
	      "as its local_memory and cpuset say", path);
	snprintf(want, sizeof want, "XML %s", path);
	CHECK(cb_json_get(m, "topology") && !strcmp(cb_json_get(m, "topology")->str, want) &&
	      !strcmp(cb_json_get(m, "binding")->str, "planned"),
	      "%s: topology \"%s\", binding \"planned\" (not this system)", path, want);
	pl = cb_json_get(&root, "placements");
	pl = pl && pl->n == 1 ? &pl->items[0] : NULL;
	map = pl ? cb_json_get(pl, "map") : NULL;
	CHECK(pl && numf(pl, "nranks") == 4 && cb_json_get(pl, "checked")->type == CB_JBOOL &&
	      !cb_json_get(pl, "checked")->b && cb_json_get(pl, "mismatches")->type == CB_JNULL &&
	      map && strstr(map->str, "Placement planned, not applied"),
	      "%s: placement of 4 ranks: not checked, mismatches null, map says planned", path);
	cb_json_free(&root);
	free(text);
}

/* "pack:2 l3:1(size=8388608) numa:2 core:2 pu:2": 2 packages, 4 nodes of 4
 * PUs each (OS indexes in order), 8 cores, an 8 MiB last-level cache. */
static void check_synthetic(void)
{
	struct cb_jv root;
	char err[128];
	char *text = report_json("synthetic:pack:2 l3:1(size=8388608) numa:2 core:2 pu:2", 3);
	const struct cb_jv *m, *nodes;
	int ok;
	if (cb_json_parse(text, &root, err, sizeof err)) {
		CHECK(0, "synthetic: the report is JSON (%s)", err);
		free(text);
		return;
	}
	m = cb_json_get(&root, "machine");
	nodes = cb_json_get(m, "nodes");
	CHECK(numf(m, "packages") == 2 && numf(m, "numa_nodes") == 4 && numf(m, "cores") == 8 &&
	      numf(m, "pus") == 16 && numf(m, "pus_for_ranks") == 16 &&
	      numf(m, "llc_bytes") == 8388608,
	      "synthetic: 2 packages, 4 nodes, 8 cores, 16 PUs, all for ranks, llc_bytes 8 MiB");
	ok = nodes && nodes->n == 4;
	for (int k = 0; ok && k < 4; k++) {
		int pus[4] = { 4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3 }, cores[2] = { 2 * k, 2 * k + 1 };
		ok = numf(&nodes->items[k], "os_index") == k &&
		     same_ints(cb_json_get(&nodes->items[k], "pus"), pus, 4) &&
		     same_ints(cb_json_get(&nodes->items[k], "cores"), cores, 2);
	}
	CHECK(ok, "synthetic: node k has PUs 4k..4k+3 and cores 2k, 2k+1");
	cb_json_free(&root);
	free(text);
}

int main(void)
{
	check_xml("test/topo/memless.xml");
	check_xml("test/topo/ht2numa.xml");
	check_synthetic();
	UNIT_EXIT();
}
