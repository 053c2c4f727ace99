/* comm_poll.h: what a waiter does before it sleeps on a futex, for
 * comm.c's wait loops: spin, then, when ranks outnumber PUs, yield while
 * yields stay quick (comm_poll.c says when it stops). */
#ifndef COLLBENCH_COMM_POLL_H
#define COLLBENCH_COMM_POLL_H

#include "collbench/comm.h"

void comm_yield_init(struct cb_comm *c);
void comm_yield_destroy(struct cb_comm *c);
/* Spin and yield per the wait policy: 1 once *v >= want (acquire), 0: go
 * on to sleep. */
int comm_poll(struct cb_rank *rk, _Atomic uint64_t *v, uint64_t want);

#endif
