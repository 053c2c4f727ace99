/* unit_core.c: the ring schedule against a brute-force simulation, chunk
 * splitting, the size and number grammars, busbw factors, and the epoch
 * signal protocol (barriers and notify/wait under back-to-back use with
 * random delays, in both barrier kinds and with sleeping waiters), the
 * window layout, and LL messages streamed back to back. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collbench/algo.h"
#include "collbench/coll.h"
#include "collbench/comm.h"
#include "collbench/optenum.h"
#include "collbench/parse.h"
#include "unit.h"

/* --- ring: simulate contributions as bitmasks ------------------------- */
static void test_ring(void)
{
	for (int p = 2; p <= 16; p++) {
		uint32_t st[16][16], next[16][16], all = (p == 32) ? ~0u : (1u << p) - 1;
		int ok = 1, disjoint = 1, no_collision = 1;
		for (int r = 0; r < p; r++)
			for (int k = 0; k < p; k++)
				st[r][k] = 1u << r;
		for (int s = 1; s < p; s++) {
			memcpy(next, st, sizeof st);
			for (int r = 0; r < p; r++) {
				int left = cb_mod(r - 1, p), right = (r + 1) % p;
				int a = cb_ring_rs_chunk(r, s, p);
				/* I write chunk a; my right neighbour reads its
				 * chunk index from me in the same round. */
				if (cb_ring_rs_chunk(right, s, p) == a)
					no_collision = 0;
				if (st[r][a] & st[left][a])
					disjoint = 0;
				next[r][a] = st[r][a] | st[left][a];
			}
			memcpy(st, next, sizeof st);
		}
		for (int r = 0; r < p; r++)
			ok &= st[r][r] == all;
		CHECK(ok && disjoint && no_collision,
		      "ring reduce-scatter P=%d: rank r ends with chunk r from all ranks, each once, "
		      "no write/read collision", p);
		ok = 1;
		no_collision = 1;
		for (int s = 1; s < p; s++) {
			memcpy(next, st, sizeof st);
			for (int r = 0; r < p; r++) {
				int left = cb_mod(r - 1, p), right = (r + 1) % p;
				int b = cb_ring_ag_chunk(r, s, p);
				if (cb_ring_ag_chunk(right, s, p) == b)
					no_collision = 0;
				if (st[left][b] != all)
					ok = 0; /* copying a chunk that is not final */
				next[r][b] = st[left][b];
			}
			memcpy(st, next, sizeof st);
		}
		for (int r = 0; r < p; r++)
			for (int k = 0; k < p; k++)
				ok &= st[r][k] == all;
		CHECK(ok && no_collision, "ring allgather P=%d: every rank ends with every final chunk", p);
	}
}

/* --- balanced chunks ---------------------------------------------------- */
static void test_chunks(void)
{
	int ok = 1;
	for (size_t n = 0; n <= 200; n++)
		for (int p = 1; p <= 17; p++) {
			size_t next = 0, mn = (size_t)-1, mx = 0;
			for (int k = 0; k < p; k++) {
				size_t off, len;
				cb_chunk(n, p, k, &off, &len);
				ok &= off == next;
				next = off + len;
				mn = len < mn ? len : mn;
				mx = len > mx ? len : mx;
			}
			ok &= next == n && mx - mn <= 1;
		}
	CHECK(ok, "cb_chunk: contiguous, covers n, lengths differ by at most 1 (n 0..200, P 1..17)");
	size_t off, len;
	cb_chunk(1000, 3, 2, &off, &len);
	CHECK(off == 667 && len == 333, "cb_chunk(1000, 3, 2) = [667, +333)");
	cb_chunk(1, 8, 0, &off, &len);
	CHECK(off == 0 && len == 1, "cb_chunk(1, 8, 0) = [0, +1)");
	cb_chunk(1, 8, 7, &off, &len);
	CHECK(off == 1 && len == 0, "cb_chunk(1, 8, 7) is empty");
}

/* --- grammars ----------------------------------------------------------- */
static void test_sizes(void)
{
	static const struct { const char *s; int ok; size_t v; } cases[] = {
		{ "0", 1, 0 }, { "64", 1, 64 }, { "8K", 1, 8192 }, { "8k", 1, 8192 },
		{ "1M", 1, 1048576 }, { "2G", 1, 2147483648ull }, { "1MB", 1, 1048576 },
		{ "1X", 0, 0 }, { "-1", 0, 0 }, { "", 0, 0 }, { "K", 0, 0 }, { "1.5M", 0, 0 },
		{ "+4", 0, 0 }, { " 4", 0, 0 }, { "4 ", 0, 0 }, { "1MM", 0, 0 },
		{ "99999999999999999999999", 0, 0 }, { "300000G", 0, 0 }, { "262144G", 1, 1ull << 48 },
	};
	for (size_t i = 0; i < CB_ARRAY_LEN(cases); i++) {
		size_t v = 12345;
		const char *why = NULL;
		int rc = cb_parse_size(cases[i].s, &v, &why);
		if (cases[i].ok)
			CHECK(rc == 0 && v == cases[i].v, "size '%s' = %zu", cases[i].s, cases[i].v);
		else
			CHECK(rc == -1 && why && *why, "size '%s' rejected with a reason", cases[i].s);
	}
	long l;
	const char *why;
	CHECK(cb_parse_long("16", 1, 512, &l, &why) == 0 && l == 16, "integer 16 in 1..512");
	CHECK(cb_parse_long("0", 1, 512, &l, &why) == -1, "integer 0 outside 1..512");
	CHECK(cb_parse_long("abc", 1, 512, &l, &why) == -1, "integer 'abc' rejected");
	CHECK(cb_parse_long("99999999999999999999", 1, 512, &l, &why) == -1, "overflowing integer rejected");
	double d;
	CHECK(cb_parse_double("2.5", 10, &d, &why) == 0 && d == 2.5, "seconds 2.5");
	CHECK(cb_parse_double("nan", 10, &d, &why) == -1, "seconds nan rejected");
	CHECK(cb_parse_double("-1", 10, &d, &why) == -1, "negative seconds rejected");
}

/* --- busbw factors (nccl-tests doc/PERFORMANCE.md) ---------------------- */
static void test_busbw(void)
{
	static const struct { const char *coll; int p; double f; } cases[] = {
		{ "allreduce", 1, 0.0 }, { "allreduce", 2, 1.0 }, { "allreduce", 4, 1.5 },
		{ "allreduce", 8, 1.75 },
		{ "allgather", 4, 0.75 }, { "reduce_scatter", 4, 0.75 }, { "alltoall", 8, 0.875 },
		{ "broadcast", 4, 1.0 }, { "reduce", 4, 1.0 }, { "gather", 4, 0.75 },
		{ "scatter", 4, 0.75 }, { "sendrecv", 4, 1.0 },
	};
	for (size_t i = 0; i < CB_ARRAY_LEN(cases); i++) {
		const struct cb_coll *c = cb_coll_find(cases[i].coll);
		if (!c) {
			printf("ok - busbw %s # SKIP collective not built\n", cases[i].coll);
			continue;
		}
		double f = c->busbw_factor(cases[i].p);
		CHECK(f > cases[i].f - 1e-12 && f < cases[i].f + 1e-12, "busbw factor %s P=%d = %g",
		      cases[i].coll, cases[i].p, cases[i].f);
	}
}

/* --- epoch protocol ------------------------------------------------------ */
struct proto {
	struct cb_comm comm;
	int iters;
	_Atomic int *arrived;  /* [iters] ranks that entered barrier i */
	_Atomic int violations;
	_Atomic uint64_t *data; /* [nranks] per-rank published value */
	pthread_barrier_t start;
};

struct proto_arg {
	struct proto *pr;
	int rank;
};

static void jitter(unsigned *seed)
{
	unsigned r = rand_r(seed) % 64;
	if (r < 4) {
		struct timespec ts = { 0, (long)(rand_r(seed) % 50000) };
		nanosleep(&ts, NULL);
	} else if (r < 8) {
		sched_yield();
	}
}

static void *proto_rank(void *arg)
{
	struct proto_arg *pa = arg;
	struct proto *pr = pa->pr;
	struct cb_rank rk;
	int p = pr->comm.nranks, r = pa->rank;
	unsigned seed = 12345u + (unsigned)r;
	char *win = aligned_alloc(4096, pr->comm.win_bytes);

	memset(win, 0, pr->comm.win_bytes);
	comm_rank_init(&rk, &pr->comm, r, win);
	pr->comm.win[r] = win;
	pthread_barrier_wait(&pr->start);
	for (int i = 0; i < pr->iters; i++) {
		jitter(&seed);
		atomic_fetch_add_explicit(&pr->arrived[i], 1, memory_order_relaxed);
		comm_barrier(&rk);
		/* Nobody passes barrier i before everyone entered it. */
		if (atomic_load_explicit(&pr->arrived[i], memory_order_relaxed) != p)
			atomic_fetch_add(&pr->violations, 1);
		/* Point-to-point: send my iteration to my right neighbour through
		 * a data word plus notify; the left neighbour's word must be
		 * exactly this iteration when its notify is consumed. */
		atomic_store_explicit(&pr->data[r], (uint64_t)i, memory_order_relaxed);
		comm_notify(&rk, (r + 1) % p, CB_ROW_ALGO0);
		comm_wait(&rk, cb_mod(r - 1, p), CB_ROW_ALGO0);
		if (atomic_load_explicit(&pr->data[cb_mod(r - 1, p)], memory_order_relaxed) < (uint64_t)i)
			atomic_fetch_add(&pr->violations, 1);
		/* Closing sync so data[] is not overwritten before it is read. */
		comm_barrier(&rk);
	}
	pthread_barrier_wait(&pr->start);
	comm_rank_destroy(&rk);
	return NULL;   /* the window is read after the join, then freed */
}

/* --barrier's name -> kind, through the option's table (optenum.h). */
static int barrier_kind(const char *name)
{
	int k = CB_BARRIER_AUTO;
	const char *why;
	if (cb_enum_parse(&cb_enum_barrier, name, &k, NULL, &why))
		abort();
	return k;
}

static void run_proto_kind(int p, int npus, int iters, const char *barrier)
{
	struct proto pr;
	pthread_t tid[32];
	struct proto_arg args[32];
	static const char *const kinds[] = { "mesh", "dissemination", "central" };

	memset(&pr, 0, sizeof pr);
	comm_init(&pr.comm, p, 4096, npus);
	if (barrier)
		comm_set_barrier(&pr.comm, barrier_kind(barrier));
	pr.iters = iters;
	pr.arrived = calloc((size_t)iters, sizeof *pr.arrived);
	pr.data = calloc((size_t)p, sizeof *pr.data);
	atomic_init(&pr.violations, 0);
	pthread_barrier_init(&pr.start, NULL, (unsigned)p);
	for (int r = 0; r < p; r++) {
		args[r] = (struct proto_arg){ &pr, r };
		pthread_create(&tid[r], NULL, proto_rank, &args[r]);
	}
	for (int r = 0; r < p; r++)
		pthread_join(tid[r], NULL);
	CHECK(atomic_load(&pr.violations) == 0,
	      "epoch protocol P=%d (%s barrier, %s waits): %d back-to-back barriers with jitter, none passed early",
	      p, kinds[pr.comm.barrier],
	      p > npus ? "futex" : "spinning", iters);
	/* Counters only increase and are exact: after iters barriers and
	 * iters notifies each, every cell holds its writer's count. */
	int exact = 1;
	for (int r = 0; r < p; r++)
		for (int k = 0; k < p; k++)
			if (k != r)
				exact &= comm_cell_value(&pr.comm, r, comm_cell_index(&pr.comm, CB_ROW_ALGO0, k)) ==
					 (k == cb_mod(r - 1, p) ? (uint64_t)iters : 0);
	CHECK(exact, "P=%d: notify cells hold exactly the number of notifies of their one writer", p);
	for (int r = 0; r < p; r++)
		free(pr.comm.win[r]);
	pthread_barrier_destroy(&pr.start);
	comm_destroy(&pr.comm);
	free(pr.arrived);
	free(pr.data);
}

static void run_proto(int p, int npus, int iters)
{
	run_proto_kind(p, npus, iters, NULL);
}

/* --- window layout and LL messages --------------------------------- */
static void test_layout(void)
{
	for (int p = 1; p <= 20; p++) {
		struct cb_comm c;
		struct cb_rank rk;
		size_t before;
		char *win;
		comm_init(&c, p, 5000, 2);
		before = c.win_bytes;
		comm_reserve_user(&c, 10000);
		CHECK(c.ll == (p <= CB_LL_MAX_RANKS), "P=%d: LL slots exactly when P <= %d", p,
		      CB_LL_MAX_RANKS);
		CHECK(c.data_off % 4096 == 0 && c.data_off >= c.cells_off + c.ncells * CB_CACHELINE &&
		      (!c.ll || c.ack_cell0 + (size_t)p == c.central_cell0) &&
		      c.central_cell0 + 2 == c.ncells &&
		      (!c.ll || c.ll_cell0 + (size_t)p * CB_LL_SLOTS * CB_LL_LINES == c.ack_cell0),
		      "P=%d: LL, ack and central barrier cells inside the cell area, data after it", p);
		CHECK(c.user_off == before && c.user_bytes == 12288 && c.win_bytes == before + 12288 &&
		      c.user_off % 4096 == 0, "P=%d: user area page-aligned at the window's end", p);
		win = aligned_alloc(4096, c.win_bytes);
		memset(win, 0, c.win_bytes);
		comm_rank_init(&rk, &c, 0, win);
		CHECK(comm_in_window(&rk, win + c.user_off, 12288) &&
		      comm_in_window(&rk, win + c.user_off + 12287, 1) &&
		      !comm_in_window(&rk, win + c.user_off + 12287, 2) &&
		      !comm_in_window(&rk, win + c.user_off - 1, 1) &&
		      !comm_in_window(&rk, win + c.data_off, 1) &&
		      !comm_in_window(&rk, win + c.user_off, 12289),
		      "P=%d: comm_in_window accepts exactly the user area", p);
		comm_rank_destroy(&rk);
		free(win);
		comm_destroy(&c);
	}
}

/* Two or three ranks stream LL messages of every size 0..CB_LL_BYTES to
 * each other through two slots, back to back with random delays, each
 * message's bytes a function of (sender, sequence): every byte received
 * must be the one sent, and no message may be missed or seen twice. With
 * one PU for all, receivers sleep on the futex: a lost wake-up hangs. */
struct llt {
	struct cb_comm comm;
	int iters;
	pthread_barrier_t start;
	_Atomic int bad;
};

struct llt_arg {
	struct llt *t;
	int rank;
};

static unsigned char llt_byte(int from, int seq, size_t i)
{
	return (unsigned char)(from * 131 + seq * 7 + (int)i * 13 + 1);
}

static void *llt_rank(void *arg)
{
	struct llt_arg *a = arg;
	struct llt *t = a->t;
	struct cb_rank rk;
	int p = t->comm.nranks, r = a->rank;
	unsigned seed = 777u + (unsigned)r;
	unsigned char out[CB_LL_BYTES], in[CB_LL_BYTES];
	char *win = aligned_alloc(4096, t->comm.win_bytes);

	memset(win, 0, t->comm.win_bytes);
	comm_rank_init(&rk, &t->comm, r, win);
	t->comm.win[r] = win;
	pthread_barrier_wait(&t->start);
	for (int i = 0; i < t->iters; i++) {
		size_t n = (size_t)(i * 37) % (CB_LL_BYTES + 1);
		unsigned slot = (unsigned)i & 1;
		jitter(&seed);
		for (size_t k = 0; k < n; k++)
			out[k] = llt_byte(r, i, k);
		for (int d = 1; d < p; d++)
			comm_ll_send(&rk, (r + d) % p, slot, out, n);
		for (int d = 1; d < p; d++) {
			int q = (r + d) % p;
			comm_ll_wait(&rk, q, slot, n);
			if (rand_r(&seed) % 8 == 0)
				jitter(&seed);   /* a slow reader of a filled slot */
			comm_ll_read(&rk, q, slot, in, n);
			for (size_t k = 0; k < n; k++)
				if (in[k] != llt_byte(q, i, k)) {
					atomic_fetch_add(&t->bad, 1);
					break;
				}
		}
	}
	pthread_barrier_wait(&t->start);
	comm_rank_destroy(&rk);
	free(win);
	return NULL;
}

static void run_llt(int p, int npus, int iters)
{
	struct llt t;
	pthread_t tid[4];
	struct llt_arg args[4];

	memset(&t, 0, sizeof t);
	comm_init(&t.comm, p, 4096, npus);
	t.iters = iters;
	atomic_init(&t.bad, 0);
	pthread_barrier_init(&t.start, NULL, (unsigned)p);
	for (int r = 0; r < p; r++) {
		args[r] = (struct llt_arg){ &t, r };
		pthread_create(&tid[r], NULL, llt_rank, &args[r]);
	}
	for (int r = 0; r < p; r++)
		pthread_join(tid[r], NULL);
	CHECK(atomic_load(&t.bad) == 0,
	      "LL messages P=%d (%s waits): %d rounds of 0..%d bytes through two slots with jitter, every byte as sent",
	      p, p > npus ? "futex" : "spinning", iters, (int)CB_LL_BYTES);
	pthread_barrier_destroy(&t.start);
	comm_destroy(&t.comm);
}

int main(void)
{
	test_ring();
	test_chunks();
	test_sizes();
	test_busbw();
	run_proto(2, 2, 3000);
	run_proto(3, 1, 2000);
	run_proto(8, 2, 1000);
	run_proto(13, 2, 500);
	run_proto(4, 64, 200);
	run_proto(8, 2, 500);          /* auto: central (4 ranks per PU) */
	run_proto_kind(3, 2, 1000, "central");
	run_proto_kind(2, 2, 2000, "central");
	run_proto_kind(16, 2, 200, "mesh");
	test_layout();
	run_llt(2, 2, 2000);
	run_llt(3, 1, 1000);
	UNIT_EXIT();
}
