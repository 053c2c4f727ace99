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
					struct cb_where w = { &n, 4, ranks[pi], ip, over, false, NULL, NULL, 0, -1 };
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
	struct cb_where w = { &n, 4, 2, false, false, false, NULL, NULL, 0, -1 };
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
	test_registry();
	UNIT_EXIT();
}
