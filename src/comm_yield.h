/* comm_yield.h: the yield stage between a waiter's spin and its futex
 * sleep, for comm.c (comm_yield.c says when it yields and when it stops). */
#ifndef COLLBENCH_COMM_YIELD_H
#define COLLBENCH_COMM_YIELD_H

#include "collbench/comm.h"

void comm_yield_init(struct cb_comm *c);
void comm_yield_destroy(struct cb_comm *c);
/* Pause spins before a wait yields or sleeps: comm->spin_limit, or 0 while
 * the yield stage is paused. */
unsigned comm_spin_count(const struct cb_comm *c);
/* The yield stage: 1 once *v >= want, 0: go on to sleep. */
int comm_yield_until(struct cb_rank *rk, _Atomic uint64_t *v, uint64_t want);

#endif
