/* common.c: pieces shared by collective descriptors */
#include "collbench/coll.h"

double cb_busbw_one(int nranks)
{
	(void)nranks;
	return 1.0;
}

double cb_busbw_allreduce(int nranks)
{
	return 2.0 * (nranks - 1) / nranks;
}

double cb_busbw_nm1_over_n(int nranks)
{
	return (double)(nranks - 1) / nranks;
}

bool cb_inplace_same(const struct cb_counts *n, int rank, int nranks,
		     size_t *send_off, size_t *recv_off)
{
	(void)n; (void)rank; (void)nranks;
	*send_off = *recv_off = 0;
	return true;
}

bool cb_inplace_none(const struct cb_counts *n, int rank, int nranks,
		     size_t *send_off, size_t *recv_off)
{
	(void)n; (void)rank; (void)nranks;
	*send_off = *recv_off = 0;
	return false;
}

bool cb_inplace_send_in_recv(const struct cb_counts *n, int rank, int nranks,
			     size_t *send_off, size_t *recv_off)
{
	(void)nranks;
	*send_off = (size_t)rank * n->count;
	*recv_off = 0;
	return true;
}

bool cb_inplace_recv_in_send(const struct cb_counts *n, int rank, int nranks,
			     size_t *send_off, size_t *recv_off)
{
	(void)nranks;
	*send_off = 0;
	*recv_off = (size_t)rank * n->count;
	return true;
}

void cb_counts_whole(size_t bytes, size_t esize, int nranks, struct cb_counts *n)
{
	(void)nranks;
	n->count = bytes / esize;
	n->send = n->recv = n->count;
	n->bytes = n->algbw_bytes = n->count * esize;
}

static size_t per_rank(size_t bytes, size_t esize, int nranks)
{
	return bytes / esize / (size_t)nranks;
}

void cb_counts_gather(size_t bytes, size_t esize, int nranks, struct cb_counts *n)
{
	n->count = per_rank(bytes, esize, nranks);
	n->send = n->count;
	n->recv = n->count * (size_t)nranks;
	n->bytes = n->algbw_bytes = n->recv * esize;
}

void cb_counts_scatter(size_t bytes, size_t esize, int nranks, struct cb_counts *n)
{
	n->count = per_rank(bytes, esize, nranks);
	n->send = n->count * (size_t)nranks;
	n->recv = n->count;
	n->bytes = n->algbw_bytes = n->send * esize;
}

void cb_counts_alltoall(size_t bytes, size_t esize, int nranks, struct cb_counts *n)
{
	n->count = per_rank(bytes, esize, nranks);
	n->send = n->recv = n->count * (size_t)nranks;
	n->bytes = n->algbw_bytes = n->send * esize;
}

void cb_fill_input_default(const struct cb_call *c, const struct cb_values *v)
{
	cb_values_fill_in(v, (void *)c->send, c->rank, 0, c->n->send);
}
