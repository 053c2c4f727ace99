/* unit_colls.c: collective descriptors (counts, sizes and in-place layouts as
 * nccl-tests defines them) and a model check of the allreduce ring-neighbor
 * flow-control argument (src/algo/allreduce_ring_neighbor.c): P ranks run the
 * algorithm's exact notify/wait schedule as atomic steps under random
 * interleavings, over many back-to-back calls, on integer chunks; every output
 * must equal the sum, and the same schedule without the parity double buffer
 * must be caught. */
#include <stdlib.h>
#include <string.h>

#include "collbench/algo.h"
#include "unit.h"

/* --- counts, sizes, in-place layouts --------------------------------------- */
static void test_counts(void)
{
	/* 1000 B of 4-byte elements over 3 ranks: 250 elements, 83 per rank. */
	static const struct {
		const char *coll;
		size_t count, bytes, send, recv;
		int inplace;                   /* -1: none */
		size_t send_off_r2, recv_off_r2; /* rank 2 */
	} cases[] = {
		{ "allreduce", 250, 1000, 250, 250, 1, 0, 0 },
		{ "broadcast", 250, 1000, 250, 250, 1, 0, 0 },
		{ "reduce", 250, 1000, 250, 250, 1, 0, 0 },
		{ "sendrecv", 250, 1000, 250, 250, -1, 0, 0 },
		{ "allgather", 83, 996, 83, 249, 1, 166, 0 },
		{ "gather", 83, 996, 83, 249, 1, 166, 0 },
		{ "reduce_scatter", 83, 996, 249, 83, 1, 0, 166 },
		{ "scatter", 83, 996, 249, 83, 1, 0, 166 },
		{ "alltoall", 83, 996, 249, 249, 1, 0, 0 },
	};
	for (size_t i = 0; i < CB_ARRAY_LEN(cases); i++) {
		const struct cb_coll *c = cb_coll_find(cases[i].coll);
		struct cb_counts n;
		size_t so = 99, ro = 99;
		if (!c) {
			CHECK(0, "collective %s registered", cases[i].coll);
			continue;
		}
		c->counts(1000, 4, 3, &n);
		CHECK(n.count == cases[i].count && n.bytes == cases[i].bytes &&
		      n.send == cases[i].send && n.recv == cases[i].recv &&
		      n.algbw_bytes == n.bytes,
		      "%s 1000 B P=3: count %zu size %zu send %zu recv %zu, algbw over size",
		      cases[i].coll, cases[i].count, cases[i].bytes, cases[i].send, cases[i].recv);
		bool ip = c->inplace(&n, 2, 3, &so, &ro);
		if (cases[i].inplace < 0)
			CHECK(!ip, "%s has no in-place form", cases[i].coll);
		else
			CHECK(ip && so == cases[i].send_off_r2 && ro == cases[i].recv_off_r2,
			      "%s in-place rank 2: send at %zu, recv at %zu", cases[i].coll,
			      cases[i].send_off_r2, cases[i].recv_off_r2);
		/* 8 B = 2 elements over 4 ranks: per-rank counts round down to 0. */
		size_t want = cases[i].bytes == 1000 ? 2 : 0;
		c->counts(8, 4, 4, &n);
		CHECK(n.count == want && n.bytes == (cases[i].bytes == 1000 ? 8u : 0u),
		      "%s 8 B P=4: count %zu", cases[i].coll, want);
	}
	CHECK(cb_coll_find("reducescatter") == cb_coll_find("reduce_scatter") &&
	      cb_coll_find("bcast") == cb_coll_find("broadcast") &&
	      cb_coll_find("all_gather") == cb_coll_find("allgather"),
	      "aliases reducescatter, bcast, all_gather");
	/* Every algorithm's scratch fits the largest of send and recv, and
	 * holds at least one block. */
	for (size_t i = 0; i < cb_nalgos; i++) {
		const struct cb_algo *a = cb_algos[i];
		struct cb_counts n;
		a->coll->counts(4096, 4, 5, &n);
		size_t s = a->scratch_bytes(&n, 4, 5);
		/* (reduce_local reads and writes its own buffers only: no scratch.) */
		CHECK(s <= 4 * (n.send > n.recv ? n.send : n.recv) &&
		      (s >= 4 * n.count || a->coll == cb_coll_find("reduce_local")),
		      "%s/%s scratch %zu B for send %zu recv %zu", a->coll->name, a->name, s,
		      n.send, n.recv);
	}
}

/* --- ring-neighbor model ------------------------------------------------- */
enum op { STAGE, NOTIFY, WAIT, ADD, COPY, CHECK_OUT };
struct step { enum op op; int call, chunk; };

#define MAXP 8
#define CALLS 6

struct model {
	int p, parity;
	long s[MAXP][2][MAXP];          /* scratch: rank, half, chunk */
	long notified[MAXP], consumed[MAXP]; /* notifies received from the left */
	struct step *prog[MAXP];
	int len[MAXP], pc[MAXP];
	int wrong;
};

static long in_val(int r, int call, int c) { return 1 + 1000L * r + 37L * call + c; }

static long sum_val(int p, int call, int c)
{
	long t = 0;
	for (int r = 0; r < p; r++)
		t += in_val(r, call, c);
	return t;
}

/* The schedule of allreduce_ring_neighbor.c, one element per chunk. */
static int program(int p, int r, struct step *out)
{
	int n = 0;
	for (int k = 0; k < CALLS; k++) {
		for (int c = 0; c < p; c++)
			out[n++] = (struct step){ STAGE, k, c };
		if (p > 1)
			out[n++] = (struct step){ NOTIFY, k, 0 };
		for (int s = 1; s < p; s++) {
			out[n++] = (struct step){ WAIT, k, 0 };
			out[n++] = (struct step){ ADD, k, cb_ring_rs_chunk(r, s, p) };
			out[n++] = (struct step){ NOTIFY, k, 0 };
		}
		for (int s = 1; s < p; s++) {
			out[n++] = (struct step){ WAIT, k, 0 };
			out[n++] = (struct step){ COPY, k, cb_ring_ag_chunk(r, s, p) };
			if (s < p - 1)
				out[n++] = (struct step){ NOTIFY, k, 0 };
		}
		for (int c = 0; c < p; c++)
			out[n++] = (struct step){ CHECK_OUT, k, c };
	}
	return n;
}

/* Run one step of rank r; 0 if it is blocked in a wait. */
static int exec(struct model *m, int r)
{
	const struct step *st = &m->prog[r][m->pc[r]];
	int p = m->p, left = cb_mod(r - 1, p), right = (r + 1) % p;
	int h = m->parity ? st->call & 1 : 0;
	switch (st->op) {
	case STAGE: m->s[r][h][st->chunk] = in_val(r, st->call, st->chunk); break;
	case NOTIFY: m->notified[right]++; break;
	case WAIT:
		if (m->notified[r] <= m->consumed[r])
			return 0;
		m->consumed[r]++;
		break;
	case ADD: m->s[r][h][st->chunk] += m->s[left][h][st->chunk]; break;
	case COPY: m->s[r][h][st->chunk] = m->s[left][h][st->chunk]; break;
	case CHECK_OUT:
		m->wrong += m->s[r][h][st->chunk] != sum_val(p, st->call, st->chunk);
		break;
	}
	m->pc[r]++;
	return 1;
}

/* Random interleavings; returns the number of runs with a wrong output. */
static int model_runs(int p, int parity, int runs, unsigned seed)
{
	static struct step progs[MAXP][CALLS * 10 * MAXP];
	struct model m;
	int bad = 0, hung = 0;
	srand(seed);
	for (int run = 0; run < runs; run++) {
		memset(&m, 0, sizeof m);
		m.p = p;
		m.parity = parity;
		for (int r = 0; r < p; r++) {
			m.prog[r] = progs[r];
			m.len[r] = program(p, r, progs[r]);
		}
		for (;;) {
			int live[MAXP], nl = 0;
			for (int r = 0; r < p; r++)
				if (m.pc[r] < m.len[r])
					live[nl++] = r;
			if (!nl)
				break;
			/* Favour one rank for a while: fast ranks running ahead are
			 * what the races need. */
			int r = live[rand() % nl], burst = 1 + rand() % 8, progressed = 0;
			for (int i = 0; i < burst && m.pc[r] < m.len[r]; i++)
				progressed |= exec(&m, r);
			if (!progressed) {
				int any = 0;
				for (int i = 0; i < nl; i++) {
					const struct step *st = &m.prog[live[i]][m.pc[live[i]]];
					any |= st->op != WAIT || m.notified[live[i]] > m.consumed[live[i]];
				}
				if (!any) {
					hung++;
					break;
				}
			}
		}
		bad += m.wrong != 0;
	}
	return bad + hung * 1000000;
}

static void test_ring_neighbor_model(void)
{
	for (int p = 2; p <= MAXP; p++) {
		int bad = model_runs(p, 1, 3000, 1234u + (unsigned)p);
		CHECK(bad == 0, "ring-neighbor model P=%d: 3000 random interleavings of %d calls, "
		      "all outputs exact, no deadlock (%d bad)", p, CALLS, bad);
	}
	for (int p = 2; p <= MAXP; p++) {
		int bad = model_runs(p, 0, 3000, 99u + (unsigned)p);
		CHECK(bad > 0 && bad < 1000000,
		      "ring-neighbor model P=%d without the parity double buffer: race caught (%d of 3000 runs wrong)",
		      p, bad);
	}
}

int main(void)
{
	test_counts();
	test_ring_neighbor_model();
	UNIT_EXIT();
}
