/* comm_setup.c: windows and ranks set up and torn down (comm_init's
 * layout of cells and data halves, comm_reserve_user, a rank's window
 * initialised and published), and what reads that layout from outside the
 * protocol: the hang report's cell value and description, zeroing a rank's
 * own signals (--inject zero-signal).
 *
 * Moved out of comm.c (file sizes): comm.c keeps the protocol (notify,
 * wait, barriers, LL messages) and the --wait/--barrier settings; the cell
 * layout both need is comm_cells.h. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/comm.h"
#include "comm_cells.h"
#include "comm_poll.h"

void comm_init(struct cb_comm *c, int nranks, size_t half_bytes, int npus)
{
	int rounds = 0;
	while ((1 << rounds) < nranks)
		rounds++;
	memset(c, 0, sizeof *c);
	c->nranks = nranks;
	c->direct = 1;
	c->futex_private = FUTEX_PRIVATE_FLAG;
	c->oversubscribed = nranks > npus;
	c->npus = npus;
	comm_set_wait(c, CB_WAIT_AUTO, npus);
	comm_set_barrier(c, -1);
	c->cells_off = CB_CACHELINE;
	c->diss_cell0 = (size_t)CB_NROWS * (size_t)nranks;
	c->ncells = c->diss_cell0 + (size_t)rounds;
	c->ll = nranks <= CB_LL_MAX_RANKS;
	c->ll_cell0 = c->ack_cell0 = c->ncells;
	if (c->ll) {
		c->ack_cell0 = c->ll_cell0 + (size_t)nranks * CB_LL_SLOTS * CB_LL_LINES;
		c->ncells = c->ack_cell0 + (size_t)nranks;
	}
	c->central_cell0 = c->ncells;
	c->ncells += 2;
	c->data_off = (c->cells_off + c->ncells * sizeof(struct cb_cell) + 4095) & ~(size_t)4095;
	c->half_bytes = (half_bytes + 4095) & ~(size_t)4095;
	c->win_bytes = c->data_off + 2 * c->half_bytes;
	c->win = cb_xcalloc((size_t)nranks, sizeof *c->win);
	if (posix_memalign((void **)&c->state, CB_CACHELINE,
			   (size_t)nranks * sizeof *c->state))
		cb_die(CB_EXIT_RESOURCE, "out of memory for rank state");
	comm_yield_init(c);
	for (int r = 0; r < nranks; r++) {
		atomic_init(&c->state[r].progress, 0);
		atomic_init(&c->state[r].wait_owner, -1);
		atomic_init(&c->state[r].wait_cell, -1);
		atomic_init(&c->state[r].wait_expect, 0);
		atomic_init(&c->state[r].iteration, 0);
		atomic_init(&c->state[r].phase, CB_PHASE_SETUP);
		atomic_init(&c->state[r].point, -1);
		atomic_init(&c->state[r].barrier, 0);
		atomic_init(&c->state[r].win_pub, NULL);
	}
}

void comm_reserve_user(struct cb_comm *c, size_t bytes)
{
	c->user_off = c->win_bytes;   /* page aligned: data_off and half_bytes are */
	c->user_bytes = (bytes + 4095) & ~(size_t)4095;
	c->win_bytes += c->user_bytes;
}

void comm_destroy(struct cb_comm *c)
{
	free(c->win);
	free(c->state);
	comm_yield_destroy(c);
	c->win = NULL;
	c->state = NULL;
}

void comm_rank_init(struct cb_rank *rk, struct cb_comm *c, int rank, char *win)
{
	struct cb_doorbell *db = doorbell(win);
	memset(rk, 0, sizeof *rk);
	rk->comm = c;
	rk->rank = rank;
	rk->nranks = c->nranks;
	rk->win = win;
	rk->state = &c->state[rank];
	rk->expect = cb_xcalloc((size_t)CB_NROWS * (size_t)c->nranks, sizeof *rk->expect);
	rk->ll_expect = cb_xcalloc((size_t)c->nranks * CB_LL_SLOTS, sizeof *rk->ll_expect);
	rk->ll_sent = cb_xcalloc((size_t)c->nranks * CB_LL_SLOTS, sizeof *rk->ll_sent);
	rk->ll_root_calls = cb_xcalloc((size_t)c->nranks, sizeof *rk->ll_root_calls);
	/* The window is zeroed and not yet published to peers: initialising the
	 * atomics here is the one time they are written without a peer able to
	 * reach them. */
	atomic_init(&db->seq, 0);
	atomic_init(&db->sleep_cell, NO_CELL);
	for (size_t i = 0; i < c->ncells; i++)
		atomic_init(&cell_at(c, win, i)->v, 0);
	{
		struct cb_central *rel = (struct cb_central *)cell_at(c, win, c->central_cell0 + 1);
		atomic_init(&rel->seq, 0);
		atomic_init(&rel->sleepers, 0);
	}
	/* Initialised: the hang report may read it (comm_cell_value). */
	comm_publish_win(c, rank, win);
}

void comm_rank_destroy(struct cb_rank *rk)
{
	free(rk->expect);
	free(rk->ll_expect);
	free(rk->ll_sent);
	rk->ll_sent = NULL;
	free(rk->ll_root_calls);
	rk->ll_root_calls = NULL;
	rk->expect = NULL;
	rk->ll_expect = NULL;
}

void comm_publish_win(struct cb_comm *c, int rank, char *win)
{
	atomic_store_explicit(&c->state[rank].win_pub, win, memory_order_release);
}

uint64_t comm_cell_value(const struct cb_comm *c, int owner, size_t cell)
{
	char *w = atomic_load_explicit(&c->state[owner].win_pub, memory_order_acquire);
	return w ? atomic_load_explicit(&cell_at(c, w, cell)->v, memory_order_relaxed) : 0;
}

void comm_cell_describe(const struct cb_comm *c, int owner, size_t cell, char *buf, size_t cap)
{
	static const char *const rows[CB_NROWS] = { "barrier", "algo0", "algo1", "algo2", "algo3" };
	if (cell == c->central_cell0) {
		snprintf(buf, cap, "central barrier arrivals, every rank adds 1");
	} else if (cell == c->central_cell0 + 1) {
		snprintf(buf, cap, "central barrier release, written by the last rank to arrive");
	} else if (c->ll && cell >= c->ack_cell0) {
		snprintf(buf, cap, "ack cell written by rank %zu", cell - c->ack_cell0);
	} else if (c->ll && cell >= c->ll_cell0) {
		size_t i = cell - c->ll_cell0;
		snprintf(buf, cap, "LL slot %zu line %zu, written by rank %zu",
			 i / CB_LL_LINES % CB_LL_SLOTS, i % CB_LL_LINES,
			 i / CB_LL_LINES / CB_LL_SLOTS);
	} else if (cell < c->diss_cell0) {
		size_t row = cell / (size_t)c->nranks;
		snprintf(buf, cap, "%s row, slot written by rank %zu", rows[row],
			 cell % (size_t)c->nranks);
	} else {
		int k = (int)(cell - c->diss_cell0);
		snprintf(buf, cap, "dissemination barrier round %d, written by rank %d", k,
			 cb_mod(owner - (1 << k), c->nranks));
	}
}

void comm_zero_own_signals(struct cb_rank *rk)
{
	for (size_t i = 0; i < rk->comm->ncells; i++)
		atomic_store_explicit(&cell_at(rk->comm, rk->win, i)->v, 0, memory_order_relaxed);
}
