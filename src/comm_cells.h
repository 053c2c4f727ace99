/* comm_cells.h: private to comm.c and comm_setup.c: the layout of the
 * signal cells in a window (the doorbell at its start, the central
 * barrier's release line) and how to reach a cell. Split out of comm.c
 * with the window setup (comm_setup.c), which initialises what comm.c's
 * protocol then uses. */
#ifndef COLLBENCH_COMM_CELLS_H
#define COLLBENCH_COMM_CELLS_H

#include "collbench/comm.h"

struct cb_doorbell {
	_Atomic uint32_t seq;       /* futex word: bumped by each wake */
	_Atomic int32_t sleep_cell; /* cell the owner sleeps on, -1: awake */
};

/* The central barrier's release line, in the last rank's window: the epoch
 * of the last barrier released, and a futex word with a count of sleepers.
 * Sleepers and the releaser form the doorbell's Dekker pair: a sleeper
 * counts itself then re-reads the epoch, the releaser stores the epoch then
 * reads the count, all seq_cst; the futex word moves on every wake-up, so a
 * sleeper that read it before the release never sleeps through it. */
struct cb_central {
	_Atomic uint64_t v;
	_Atomic uint32_t seq;
	_Atomic int32_t sleepers;
	char pad[CB_CACHELINE - 16];
};
_Static_assert(sizeof(struct cb_central) == sizeof(struct cb_cell), "central line is a cell");

#define NO_CELL (-1)   /* sleep_cell: the owner is awake */

static inline struct cb_doorbell *doorbell(char *win)
{
	return (struct cb_doorbell *)win;
}

static inline struct cb_cell *cell_at(const struct cb_comm *c, char *win, size_t cell)
{
	return (struct cb_cell *)(win + c->cells_off) + cell;
}

#endif
