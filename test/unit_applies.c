/* unit_applies.c: algorithms declare where they apply, and nothing runs
 * outside its domain under its own name (issue 16). Over a grid of sizes,
 * rank counts, in-place and oversubscription: cb_algo_resolve gives either
 * NULL with a reason, or an algorithm of the same collective that has a run
 * function and applies there; a non-chooser resolves to itself; auto's pick
 * applies. The registry's tables hold every listed algorithm once. */
#include <string.h>

#include "collbench/algo.h"
#include "collbench/plan.h"
#include "unit.h"

static const size_t sizes[] = { 0, 8, 56, 64, 448, 449, 512, 4096, 65536, 1 << 20 };
static const int ranks[] = { 1, 2, 3, 16, 17, 64 };

/* Every algorithm over the grid; returns the number of bad resolutions. */
static int grid(const struct cb_algo *a, char *first_bad, size_t cap)
{
	int bad = 0;
	for (size_t si = 0; si < CB_ARRAY_LEN(sizes); si++)
		for (size_t pi = 0; pi < CB_ARRAY_LEN(ranks); pi++)
			for (int ip = 0; ip < 2; ip++)
				for (int over = 0; over < 2; over++) {
					struct cb_counts n;
					struct cb_where w = { &n, 4, ranks[pi], ip, over, false, NULL, NULL, 0, -1,
							      false, CB_BARRIER_MESH };
					char why[CB_WHY_LEN] = "";
					const struct cb_algo *r;
					bool ok;
					a->coll->counts(sizes[si], 4, ranks[pi], &n);
					r = cb_algo_resolve(a, &w, why, sizeof why);
					if (!r)
						ok = why[0] != '\0';
					else
						ok = r->run && r->coll == a->coll && !r->pick &&
						     cb_algo_applies(r, &w, NULL, 0) &&
						     (a->pick || r == a);
					if (!ok && !bad++)
						snprintf(first_bad, cap, "%zu B, P=%d, %s, %s: %s",
							 n.bytes, ranks[pi], ip ? "in place" : "out of place",
							 over ? "oversubscribed" : "a PU per rank",
							 r ? r->name : why[0] ? why : "NULL, no reason");
				}
	return bad;
}

static void test_resolve(void)
{
	for (size_t i = 0; i < cb_nalgos; i++) {
		const struct cb_algo *a = cb_algos[i];
		char where[160] = "";
		int bad = grid(a, where, sizeof where);
		CHECK(!bad, "%s/%s: runs only where it applies, under its own name or as a pick "
		      "(%d bad%s%s)", a->coll->name, a->name, bad, bad ? ": " : "", where);
		CHECK(!a->run != !a->pick, "%s/%s: exactly one of run and pick", a->coll->name,
		      a->name);
	}
}

static void test_ll(void)
{
	const struct cb_coll *ar = cb_coll_find("allreduce"), *bc = cb_coll_find("broadcast");
	const struct cb_algo *ll = cb_algo_find(ar, "ll"), *eager = cb_algo_find(bc, "eager");
	const struct cb_algo *aauto = cb_algo_find(ar, "auto"), *bauto = cb_algo_find(bc, "auto");
	const struct cb_algo *a2a = cb_algo_find(cb_coll_find("alltoall"), "direct");
	const struct cb_algo *a2auto = cb_algo_find(cb_coll_find("alltoall"), "auto");
	struct cb_counts n;
	struct cb_where w = { &n, 4, 2, false, false, false, NULL, NULL, 0, -1, false, CB_BARRIER_MESH };
	char why[CB_WHY_LEN];

	ar->counts(1 << 20, 4, 2, &n);
	CHECK(!cb_algo_resolve(ll, &w, why, sizeof why) &&
	      !strcmp(why, "at 1048576 B (at most 448 B)"),
	      "allreduce ll at 1 MiB: not applicable, at most 448 B (%s)", why);
	bc->counts(1 << 20, 4, 2, &n);
	CHECK(!cb_algo_resolve(eager, &w, why, sizeof why), "broadcast eager at 1 MiB: not applicable");
	ar->counts(448, 4, 2, &n);
	CHECK(cb_algo_resolve(ll, &w, why, sizeof why) == ll, "allreduce ll at 448 B: applies");
	w.nranks = 17;
	ar->counts(8, 4, 17, &n);
	CHECK(!cb_algo_resolve(ll, &w, why, sizeof why) && !strcmp(why, "at 17 ranks (at most 16)"),
	      "allreduce ll at 17 ranks: not applicable (%s)", why);
	CHECK(cb_algo_resolve(aauto, &w, why, sizeof why) != ll,
	      "allreduce auto at 8 B, 17 ranks: does not pick ll");
	CHECK(cb_algo_resolve(bauto, &w, why, sizeof why) != eager,
	      "broadcast auto at 8 B, 17 ranks: does not pick eager");
	w.nranks = 2;
	cb_coll_find("alltoall")->counts(1 << 20, 4, 2, &n);
	w.inplace = true;
	CHECK(!cb_algo_resolve(a2a, &w, why, sizeof why) && strstr(why, "in place"),
	      "alltoall direct in place: not applicable (%s)", why);
	CHECK(cb_algo_resolve(a2auto, &w, why, sizeof why) == cb_algo_find(a2a->coll, "pull"),
	      "alltoall auto at 1 MiB in place: pull (direct does not apply)");
	w.inplace = false;
	CHECK(cb_algo_resolve(a2auto, &w, why, sizeof why) == a2a,
	      "alltoall auto at 1 MiB out of place: direct");
}

/* Barrier's auto names the kind comm_barrier runs (comm_barrier_runs, the
 * same function comm_barrier_kind uses), never itself; central applies
 * wherever windows are mapped (threads, MPI shared), not over MPI RMA. */
static void test_barrier(void)
{
	static const struct { int asked, p, npus; bool mapped; enum cb_barrier_kind k; } runs[] = {
		{ -1, 2, 2, true, CB_BARRIER_MESH },
		{ -1, 8, 2, true, CB_BARRIER_CENTRAL },     /* 4 ranks per PU */
		{ -1, 8, 2, false, CB_BARRIER_MESH },       /* central, unmapped: mesh */
		{ -1, 9, 4, true, CB_BARRIER_DISSEMINATION },
		{ CB_BARRIER_CENTRAL, 4, 4, false, CB_BARRIER_MESH },
		{ CB_BARRIER_CENTRAL, 9, 4, false, CB_BARRIER_DISSEMINATION },
		{ CB_BARRIER_CENTRAL, 9, 4, true, CB_BARRIER_CENTRAL },
		{ CB_BARRIER_MESH, 64, 2, true, CB_BARRIER_MESH },
	};
	const struct cb_coll *b = cb_coll_find("barrier");
	const struct cb_algo *bauto = cb_algo_find(b, "auto"), *central = cb_algo_find(b, "central");
	static const char *const names[] = { "mesh", "dissemination", "central" };
	struct cb_counts n;
	struct cb_where w = { &n, 4, 8, false, false, true, NULL, NULL, 0, -1, false, CB_BARRIER_MESH };
	char why[CB_WHY_LEN];

	for (size_t i = 0; i < CB_ARRAY_LEN(runs); i++)
		CHECK(comm_barrier_runs(runs[i].asked, runs[i].p, runs[i].npus, runs[i].mapped) ==
		      runs[i].k, "comm_barrier_runs(%d, P=%d, %d PUs, %s) = %s", runs[i].asked,
		      runs[i].p, runs[i].npus, runs[i].mapped ? "mapped" : "unmapped",
		      names[runs[i].k]);
	b->counts(0, 4, 8, &n);
	for (int k = 0; k < 3; k++) {
		const struct cb_algo *r;
		w.barrier = (enum cb_barrier_kind)k;
		r = cb_algo_resolve(bauto, &w, why, sizeof why);
		CHECK(r && !strcmp(r->name, names[k]), "barrier auto, comm_barrier runs %s: picks %s",
		      names[k], r ? r->name : "nothing");
	}
	CHECK(cb_algo_resolve(central, &w, why, sizeof why) == central,
	      "barrier central over MPI shared windows: applies");
	w.rma = true;
	CHECK(!cb_algo_resolve(central, &w, why, sizeof why) && strstr(why, "RMA"),
	      "barrier central over MPI RMA windows: not applicable (%s)", why);
}

static void test_registry(void)
{
	size_t dup = 0;
	for (size_t i = 0; i < cb_nalgos; i++)
		for (size_t k = 0; k < i; k++)
			dup += cb_algos[i]->coll == cb_algos[k]->coll &&
			       !strcmp(cb_algos[i]->name, cb_algos[k]->name);
	CHECK(!dup, "no collective lists an algorithm name twice (%zu)", dup);
	for (size_t i = 0; i < cb_nalgos; i++)
		if (cb_algo_find(cb_algos[i]->coll, cb_algos[i]->name) != cb_algos[i])
			CHECK(0, "%s/%s found by name", cb_algos[i]->coll->name, cb_algos[i]->name);
	CHECK(cb_ncolls == 16 && cb_nalgos >= 63, "registry: 16 collectives, %zu algorithms", cb_nalgos);
}

int main(void)
{
	test_resolve();
	test_ll();
	test_barrier();
	test_registry();
	UNIT_EXIT();
}
