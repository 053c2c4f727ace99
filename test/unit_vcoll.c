/* unit_vcoll.c: the vector collectives' count pattern and goldens (vcoll.h)
 * against references written out here independently: the block counts of a
 * few cases worked by hand from the man page's formula, and for every rank
 * of every v-collective the (source rank, source element) of each output
 * element, derived from an explicit traffic matrix, compared with what
 * fill_expected writes. */
#include <stdlib.h>
#include <string.h>

#include "collbench/algo.h"
#include "collbench/inject.h"
#include "collbench/plan.h"
#include "collbench/results.h"
#include "collbench/vcoll.h"
#include "unit.h"

/* Hand-worked: c(k) = max(0, floor(C*(1+F*(2k-P+1)/(P-1)))). */
static const struct {
	int p;
	long skew_milli;
	size_t C;
	size_t c[5];
} hand[] = {
	{ 3, 1500, 100, { 0, 100, 250 } },   /* weights -0.5, 1, 2.5 */
	{ 5, 2000, 10, { 0, 0, 10, 20, 30 } }, /* -1, 0, 1, 2, 3 */
	{ 4, 500, 7, { 3, 5, 8, 10 } },      /* 3.5, 5.83, 8.17, 10.5 */
	{ 4, 0, 7, { 7, 7, 7, 7 } },
	{ 1, 8000, 9, { 9 } },
	{ 2, 1000, 3, { 0, 6 } },
};

static void test_counts(void)
{
	for (size_t i = 0; i < CB_ARRAY_LEN(hand); i++) {
		int bad = 0;
		cb_skew_milli = hand[i].skew_milli;
		for (int k = 0; k < hand[i].p; k++)
			bad += cb_vcount(hand[i].C, k, hand[i].p) != hand[i].c[k];
		CHECK(!bad, "P=%d skew %.3f C=%zu: counts as worked by hand", hand[i].p,
		      hand[i].skew_milli / 1000.0, hand[i].C);
	}
}

/* The reference: M[s][d] elements travel from rank s to rank d. */
enum kind { A2A, ALLG, GATH, SCAT, RS };
static const struct {
	const char *name;
	enum kind kind;
} colls[] = {
	{ "alltoallv", A2A }, { "allgatherv", ALLG }, { "gatherv", GATH },
	{ "scatterv", SCAT }, { "reduce_scatterv", RS },
};

/* Every output of the cases above fits with a wide margin. */
#define ROOM 4096

static size_t hand_count(int i, int k) { return hand[i].c[k]; }

/* Fill src[]/idx[] with where each of rank r's output elements comes from
 * (idx: the element of the source's input; for RS the global element of
 * the reduction). Returns the number of defined elements. */
static size_t reference(int hi, enum kind kind, int r, int root, int *src, size_t *idx)
{
	int p = hand[hi].p;
	size_t n = 0, off;
	switch (kind) {
	case A2A:   /* rank s sends its elements [pre(r), pre(r)+c(r)) to r */
		off = 0;
		for (int k = 0; k < r; k++)
			off += hand_count(hi, k);
		for (int s = 0; s < p; s++)
			for (size_t j = 0; j < hand_count(hi, r); j++, n++)
				src[n] = s, idx[n] = off + j;
		return n;
	case GATH:
		if (r != root)
			return 0;
		/* fall through */
	case ALLG:
		for (int k = 0; k < p; k++)
			for (size_t j = 0; j < hand_count(hi, k); j++, n++)
				src[n] = k, idx[n] = j;
		return n;
	case SCAT:
	case RS:
		off = 0;
		for (int k = 0; k < r; k++)
			off += hand_count(hi, k);
		for (size_t j = 0; j < hand_count(hi, r); j++, n++)
			src[n] = kind == SCAT ? root : -1, idx[n] = off + j;
		return n;
	}
	return 0;
}

static void test_goldens(void)
{
	const struct cb_dtype *dt = cb_dtype_find("double");
	for (size_t ci = 0; ci < CB_ARRAY_LEN(colls); ci++) {
		const struct cb_coll *coll = cb_coll_find(colls[ci].name);
		const struct cb_redop *op = colls[ci].kind == RS ? cb_redop_find("sum") : NULL;
		int bad = 0, cases = 0;
		if (!coll) {
			CHECK(0, "%s registered", colls[ci].name);
			continue;
		}
		for (size_t hi = 0; hi < CB_ARRAY_LEN(hand); hi++) {
			int p = hand[hi].p, root = p - 1;
			size_t T = 0, cmax = 0;
			struct cb_counts n;
			struct cb_values v;
			cb_skew_milli = hand[hi].skew_milli;
			for (int k = 0; k < p; k++) {
				T += hand[hi].c[k];
				cmax = hand[hi].c[k] > cmax ? hand[hi].c[k] : cmax;
			}
			coll->counts(hand[hi].C * (size_t)p * 8, 8, p, &n);
			bad += n.count != hand[hi].C || n.bytes != hand[hi].C * (size_t)p * 8 ||
			       n.algbw_bytes != T * 8;
			bad += colls[ci].kind == A2A ? n.recv != cmax * (size_t)p || n.send != T
			       : colls[ci].kind <= GATH ? n.recv != T || n.send != cmax
						       : n.send != T || n.recv != cmax;
			cb_values_init(&v, dt, op, p, 3);
			for (int r = 0; r < p; r++) {
				double *exp = calloc(ROOM, sizeof *exp);  /* room for a wrong count too */
				int *src = calloc(ROOM, sizeof *src);
				size_t *idx = calloc(ROOM, sizeof *idx);
				struct cb_call c = { NULL, NULL, &n, dt, op, root, r, p };
				size_t want = reference((int)hi, colls[ci].kind, r, root, src, idx);
				size_t got = coll->fill_expected(&c, &v, exp);
				bad += got != want;
				for (size_t j = 0; j < want && j < got; j++)
					bad += exp[j] != (src[j] < 0 ? cb_value_reduced(&v, idx[j])
								     : cb_value_in(&v, src[j], idx[j]));
				cases++;
				free(exp), free(src), free(idx);
			}
		}
		CHECK(!bad, "%s: counts and goldens of %d rank cases match the reference",
		      colls[ci].name, cases);
	}
	cb_skew_milli = 0;
}

/* The roofline's M from every rank's own blocks, against its closed form
 * in T worked out from the hand counts (man page, STATISTICS): alltoallv
 * 2PT, allgatherv and reduce_scatterv (P+1)T, gatherv and scatterv 2T.
 * At --skew 0 also against the plain collective's M at the same size. */
static void test_min_traffic(void)
{
	static const char *const plain[] = { "alltoall", "allgather", "gather", "scatter",
					     "reduce_scatter" };
	const struct cb_dtype *dt = cb_dtype_find("float");
	for (size_t ci = 0; ci < CB_ARRAY_LEN(colls); ci++) {
		const struct cb_coll *coll = cb_coll_find(colls[ci].name);
		const struct cb_coll *pc = cb_coll_find(plain[ci]);
		int bad = 0, badp = 0;
		for (size_t hi = 0; coll && pc && hi < CB_ARRAY_LEN(hand); hi++) {
			int p = hand[hi].p;
			double T = 0, want;
			struct cb_point pt = { .coll = coll, .dt = dt, .root = 0 };
			cb_skew_milli = hand[hi].skew_milli;
			for (int k = 0; k < p; k++)
				T += (double)hand[hi].c[k];
			want = (colls[ci].kind == A2A ? 2.0 * p : colls[ci].kind == ALLG ||
				colls[ci].kind == RS ? p + 1.0 : 2.0) * T * 4;
			for (pt.root = 0; pt.root < p; pt.root++) {
				coll->counts(hand[hi].C * (size_t)p * 4, 4, p, &pt.n);
				bad += cb_min_traffic(&pt, p) != want;
			}
			if (hand[hi].skew_milli == 0) {
				struct cb_point pp = { .coll = pc, .dt = dt, .root = 0 };
				pc->counts(hand[hi].C * (size_t)p * 4, 4, p, &pp.n);
				badp += cb_min_traffic(&pp, p) != want;
			}
		}
		CHECK(coll && pc && !bad, "%s: M from every rank's own blocks, every root",
		      colls[ci].name);
		CHECK(coll && pc && !badp, "%s: M at --skew 0 is %s's", colls[ci].name, plain[ci]);
	}
	cb_skew_milli = 0;
}

/* reduce_local: every rank alone reads A and B and writes out, so M counts
 * each rank's own 3S (man page: P(s+r) = 3PS), not one rank's. */
static void test_min_traffic_reduce_local(void)
{
	const struct cb_coll *coll = cb_coll_find("reduce_local");
	struct cb_point pt = { .coll = coll, .dt = cb_dtype_find("float"), .root = -1 };
	int bad = !coll;
	for (int p = 1; coll && p <= 5; p++) {
		coll->counts(4096, 4, p, &pt.n);
		bad += cb_min_traffic(&pt, p) != 3.0 * p * 4096;
	}
	CHECK(!bad, "reduce_local: M = 3PS, every rank's own A, B and out");
}

/* --inject corrupt lands on a rank whose golden is not empty: the root's
 * (rank P-1's without one), else the highest rank with a non-empty block
 * (hand cases with zero-size blocks: rank 0 and 1 empty at P=5 skew 2). */
static void test_corrupt_rank(void)
{
	const struct cb_dtype *dt = cb_dtype_find("double");
	void *exp = calloc(ROOM, sizeof(double));
	for (size_t ci = 0; ci < CB_ARRAY_LEN(colls); ci++) {
		const struct cb_coll *coll = cb_coll_find(colls[ci].name);
		const struct cb_redop *op = colls[ci].kind == RS ? cb_redop_find("sum") : NULL;
		int bad = 0;
		for (size_t hi = 0; coll && hi < CB_ARRAY_LEN(hand); hi++) {
			int p = hand[hi].p;
			struct cb_counts n;
			struct cb_values v;
			cb_skew_milli = hand[hi].skew_milli;
			coll->counts(hand[hi].C * (size_t)p * 8, 8, p, &n);
			cb_values_init(&v, dt, op, p, 1);
			for (int root = 0; root < p; root++) {
				bool rooted = colls[ci].kind == GATH || colls[ci].kind == SCAT;
				int pref = rooted ? root : p - 1, want = pref;
				/* only scatterv's root output is a block c(root) */
				if (colls[ci].kind == SCAT && !hand[hi].c[root])
					want = p - 1;
				struct cb_call c = { NULL, NULL, &n, dt, op, rooted ? root : -1, 0, p };
				bad += cb_inject_corrupt_rank(coll, &c, &v, exp) != want;
			}
		}
		CHECK(coll && !bad, "%s: --inject corrupt picks a rank with a non-empty output",
		      colls[ci].name);
	}
	free(exp);
	cb_skew_milli = 0;
}

int main(void)
{
	test_counts();
	test_goldens();
	test_min_traffic();
	test_min_traffic_reduce_local();
	test_corrupt_rank();
	UNIT_EXIT();
}
