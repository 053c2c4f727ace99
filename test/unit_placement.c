/* unit_placement.c: the policies' invariants on synthetic machines (every
 * rank on an available PU, even load when ranks outnumber PUs, numa
 * round-robin), without binding anything, and re-planning on a topology
 * loaded once. (The grammars of --cpus, --bind, --mem: unit_options.c.) */
#include <stdlib.h>
#include <string.h>

#include "collbench/memplace.h"
#include "collbench/placement.h"
#include "unit.h"

static void plan(struct cb_placement *pl, const char *topo, int bind, int nranks)
{
	struct cb_placement_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.topology = topo;
	cfg.bind = bind;
	cfg.bind_set = true;
	cfg.mem = CB_MEM_LOCAL;
	cb_placement_init(pl, &cfg);
	cb_placement_plan(pl, nranks);
}

static void test_policies(void)
{
	const char *s2 = "synthetic:pack:2 numa:2 core:4 pu:2";
	for (int bind = CB_BIND_SPREAD; bind <= CB_BIND_NUMA; bind++)
		for (int p = 1; p <= 80; p += (p < 8 ? 1 : 9)) {
			struct cb_placement pl;
			int load[32] = { 0 }, ok = 1, lo = 1 << 30, hi = 0;
			plan(&pl, s2, bind, p);
			for (int r = 0; r < p; r++) {
				int pu = pl.ranks[r].pu_os;
				if (pu < 0 || pu >= 32 || pl.ranks[r].numa != pu / 8 ||
				    pl.ranks[r].core != pu / 2)
					ok = 0;
				else
					load[pu]++;
			}
			for (int i = 0; i < 32; i++)
				if (load[i] || p >= 32) {
					lo = load[i] < lo ? load[i] : lo;
					hi = load[i] > hi ? load[i] : hi;
				}
			CHECK(ok && hi - lo <= 1 && (p > 32 || hi == 1),
			      "--bind %s P=%d: PU, core, node consistent; load even (%d-%d per PU)",
			      cb_bind_name(bind), p, lo, hi);
			if (bind == CB_BIND_NUMA) {
				int rr = 1;
				for (int r = 0; r < p; r++)
					rr &= pl.ranks[r].numa == r % 4;
				CHECK(rr, "--bind numa P=%d: rank r on node r mod 4", p);
			}
			cb_placement_fini(&pl);
		}
}

/* A CPU node without memory (test/topo/memless.xml: node 1 has PUs 2-3 and
 * no memory; node 2 has memory, no PU, and is nearer to node 1 than node 0
 * is): --mem local plans the window on the nearest node with memory, and
 * interleave spreads over nodes with memory only. */
static void test_memoryless(void)
{
	struct cb_placement pl;
	char il[32];
	int ok = 1;
	plan(&pl, "test/topo/memless.xml", CB_BIND_SPREAD, 4);
	for (int r = 0; r < 4; r++) {
		const struct cb_rank_place *rp = &pl.ranks[r];
		const char *want = rp->numa == 1 ? "2" : "0";
		if (strcmp(rp->window_nodes, want))
			ok = 0;
	}
	CHECK(ok, "memoryless node 1: windows of its ranks planned on node 2, others on 0");
	CHECK(!cb_mem_has_memory(&pl, 1) && cb_mem_has_memory(&pl, 0) && cb_mem_has_memory(&pl, 2),
	      "node 1 has no memory, nodes 0 and 2 have");
	CHECK(cb_mem_nearest(&pl, 1) == 2 && cb_mem_nearest(&pl, 0) == 0,
	      "nearest node with memory: 1 -> 2 (distance 15, not node 0 at 30), 0 -> 0");
	CHECK(pl.ranks[2].win_node == 2 && pl.ranks[2].distance == 15 && pl.ranks[0].distance == 10,
	      "rank 2: window node 2 at distance 15; rank 0: distance 10 (got %d, %d, %d)",
	      pl.ranks[2].win_node, pl.ranks[2].distance, pl.ranks[0].distance);
	cb_mem_interleave_list(&pl, il, sizeof il);
	CHECK(!strcmp(il, "0,2"), "interleave over nodes with memory: 0,2 (got %s)", il);
	cb_placement_fini(&pl);

	/* No distance matrix (synthetic), no node with memory: no target. */
	plan(&pl, "synthetic:pack:2 [numa(memory=0)] core:2 pu:1", CB_BIND_SPREAD, 2);
	CHECK(pl.ranks[0].win_node == -1 && cb_mem_nearest(&pl, 0) == -1,
	      "no node with memory: no window node planned");
	cb_placement_fini(&pl);
}

/* One topology, planned again for each rank count (as main does for -g
 * sweeps and -N cycles): every map equals the one of a fresh load. */
static void test_replan(void)
{
	const char *s2 = "synthetic:pack:2 numa:2 core:4 pu:2";
	static const int counts[] = { 4, 1, 32, 7, 80, 4 };
	for (int bind = CB_BIND_SPREAD; bind <= CB_BIND_NONE; bind++) {
		struct cb_placement once;
		int same = 1;
		plan(&once, s2, bind, 2);
		for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
			struct cb_placement fresh;
			cb_placement_plan(&once, counts[i]);
			plan(&fresh, s2, bind, counts[i]);
			same &= once.nranks == counts[i];
			for (int r = 0; r < counts[i]; r++)
				same &= once.ranks[r].pu_os == fresh.ranks[r].pu_os &&
					once.ranks[r].numa == fresh.ranks[r].numa &&
					!strcmp(once.ranks[r].window_nodes, fresh.ranks[r].window_nodes);
			cb_placement_fini(&fresh);
		}
		CHECK(same, "--bind %s: re-planning one topology for -g 4,1,32,7,80,4 gives the maps "
		      "of a fresh load each time", cb_bind_name(bind));
		cb_placement_fini(&once);
	}
}

int main(void)
{
	test_policies();
	test_replan();
	test_memoryless();
	UNIT_EXIT();
}
