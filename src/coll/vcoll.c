/* vcoll.c: the vector collectives' descriptors. Counts follow the pattern
 * of vcoll.h (--skew); C = bytes/esize/P is the count column, the size
 * column is P*C*esize as for the plain collective (the -b/-e value), so a
 * v-row sits beside its plain row.
 *
 * algbw's S (algbw_bytes) is the data the v-collective really moves, the
 * same quantity nccl-tests and OSU divide by for the plain one: T*esize,
 * the concatenated vector (allgatherv, gatherv, scatterv, reduce_scatterv;
 * T = the sum of all blocks), and for alltoallv the mean bytes a rank
 * sends, T*esize (every rank sends the same row sum T). busbw = algbw *
 * (P-1)/P, the factor nccl-tests defines for the plain collective (OSU
 * and IMB report only times for the v-variants). At --skew 0, T = P*C
 * and every figure equals the plain collective's.
 *
 * n->send and n->recv are the largest buffers any rank needs (the windows
 * are alike on every rank); fill_expected returns the rank's own defined
 * length, and the roofline's M (min_traffic) sums every rank's own blocks. No in-place form: cb_inplace_none (the in-place half is N/A).
 *
 * Goldens (values of verify.h, rank r):
 *   alltoallv:   out[s*c(r) + j] = in_s[pre(r) + j]
 *   allgatherv:  out[pre(k) + j] = in_k[j]          (every rank)
 *   gatherv:     the same on the root only
 *   scatterv:    out[j] = in_root[pre(r) + j]
 *   reduce_scatterv: out[j] = reduced(pre(r) + j) */
#include "collbench/vcoll.h"

static void counts_common(size_t bytes, size_t esize, int p, struct cb_counts *n, size_t *T,
			  size_t *cmax)
{
	n->count = bytes / esize / (size_t)p;
	n->bytes = n->count * (size_t)p * esize;
	*T = cb_vprefix(n->count, p, p);
	*cmax = cb_vcount(n->count, p - 1, p);   /* the ramp rises: rank P-1's */
	n->algbw_bytes = *T * esize;
}

/* allgatherv, gatherv: send c(r) (at most cmax), recv T. */
static void counts_gatherv(size_t bytes, size_t esize, int p, struct cb_counts *n)
{
	size_t T, cmax;
	counts_common(bytes, esize, p, n, &T, &cmax);
	n->send = cmax;
	n->recv = T;
}

/* scatterv, reduce_scatterv: send T, recv c(r). */
static void counts_scatterv(size_t bytes, size_t esize, int p, struct cb_counts *n)
{
	size_t T, cmax;
	counts_common(bytes, esize, p, n, &T, &cmax);
	n->send = T;
	n->recv = cmax;
}

/* alltoallv: send T (row sum), recv P*c(r). */
static void counts_alltoallv(size_t bytes, size_t esize, int p, struct cb_counts *n)
{
	size_t T, cmax;
	counts_common(bytes, esize, p, n, &T, &cmax);
	n->send = T;
	n->recv = cmax * (size_t)p;
}

/* Rank k's contribution to allgatherv/gatherv is c(k) of its values. */
static size_t exp_gather(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	size_t C = c->n->count, es = c->dt->size, off = 0;
	for (int k = 0; k < c->nranks; k++) {
		size_t ck = cb_vcount(C, k, c->nranks);
		cb_values_fill_in(v, (char *)exp + off * es, k, 0, ck);
		off += ck;
	}
	return off;
}

static size_t exp_allgatherv(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	return exp_gather(c, v, exp);
}

static size_t exp_gatherv(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	return c->rank == c->root ? exp_gather(c, v, exp) : 0;
}

static size_t exp_scatterv(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	size_t C = c->n->count, cr = cb_vcount(C, c->rank, c->nranks);
	cb_values_fill_in(v, exp, c->root, cb_vprefix(C, c->rank, c->nranks), cr);
	return cr;
}

static size_t exp_reduce_scatterv(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	size_t C = c->n->count, cr = cb_vcount(C, c->rank, c->nranks);
	cb_values_fill_reduced(v, exp, cb_vprefix(C, c->rank, c->nranks), cr);
	return cr;
}

static size_t exp_alltoallv(const struct cb_call *c, const struct cb_values *v, void *exp)
{
	size_t C = c->n->count, cr = cb_vcount(C, c->rank, c->nranks);
	size_t pre = cb_vprefix(C, c->rank, c->nranks), b = cr * c->dt->size;
	for (int s = 0; s < c->nranks; s++)
		cb_values_fill_in(v, (char *)exp + (size_t)s * b, s, pre, cr);
	return cr * (size_t)c->nranks;
}

/* The roofline's M (man page, STATISTICS) from every rank's own blocks:
 * rank r reads io[0] elements of its input that the outputs depend on and
 * writes io[1] of its output. The common counts (n->send, n->recv) are the
 * largest buffers, so traffic from them would overstate M at any skew.
 * Summed: alltoallv 2PT, allgatherv and reduce_scatterv (P+1)T, gatherv
 * and scatterv 2T (times esize); at --skew 0 the plain collective's M. */
typedef void vio_fn(size_t C, size_t T, int r, int p, int root, size_t io[2]);

static void io_alltoallv(size_t C, size_t T, int r, int p, int root, size_t io[2])
{
	(void)root;
	io[0] = T;   /* the row: c(d) to every rank d */
	io[1] = (size_t)p * cb_vcount(C, r, p);
}

static void io_allgatherv(size_t C, size_t T, int r, int p, int root, size_t io[2])
{
	(void)root;
	io[0] = cb_vcount(C, r, p);
	io[1] = T;
}

static void io_gatherv(size_t C, size_t T, int r, int p, int root, size_t io[2])
{
	io[0] = cb_vcount(C, r, p);
	io[1] = r == root ? T : 0;
}

static void io_scatterv(size_t C, size_t T, int r, int p, int root, size_t io[2])
{
	io[0] = r == root ? T : 0;
	io[1] = cb_vcount(C, r, p);
}

static void io_reduce_scatterv(size_t C, size_t T, int r, int p, int root, size_t io[2])
{
	(void)root;
	io[0] = T;   /* every element of the input enters a reduction */
	io[1] = cb_vcount(C, r, p);
}

static double vtraffic(const struct cb_counts *n, size_t esize, int p, int root, vio_fn *io)
{
	size_t T = cb_vprefix(n->count, p, p), rw[2];
	double m = 0;
	for (int r = 0; r < p; r++) {
		io(n->count, T, r, p, root, rw);
		m += (double)rw[0] + (double)rw[1];
	}
	return m * (double)esize;
}

#define VCOLL(NAME, SUMMARY, FLAGS, TRAFFIC, COUNTS)            \
	static double traffic_##NAME(const struct cb_counts *n, size_t es, int p, int root) \
	{                                                       \
		return vtraffic(n, es, p, root, io_##NAME);     \
	}                                                       \
	const struct cb_coll cb_coll_##NAME = {                 \
		.name = #NAME,                                  \
		.nccl_test = #NAME "_perf",                     \
		.summary = SUMMARY,                             \
		.flags = FLAGS,                                 \
		.traffic = TRAFFIC,                             \
		.min_traffic = traffic_##NAME,                  \
		.busbw_factor = cb_busbw_nm1_over_n,            \
		.counts = COUNTS,                               \
		.inplace = cb_inplace_none,                     \
		.fill_expected = exp_##NAME,                    \
	};

VCOLL(alltoallv, "alltoall with a skewed traffic matrix (--skew): c(d) elements to rank d",
      0, CB_TRAFFIC_EVERY_RANK, counts_alltoallv)
VCOLL(allgatherv, "allgather of uneven blocks: rank k contributes c(k) (--skew)",
      0, CB_TRAFFIC_EVERY_RANK, counts_gatherv)
VCOLL(gatherv, "gather of uneven blocks to the root (--skew)",
      CB_COLL_ROOT, CB_TRAFFIC_ROOT_OUTPUT, counts_gatherv)
VCOLL(scatterv, "scatter of uneven blocks from the root (--skew)",
      CB_COLL_ROOT, CB_TRAFFIC_ROOT_INPUT, counts_scatterv)
VCOLL(reduce_scatterv, "reduce_scatter into uneven blocks: rank k gets c(k) (--skew)",
      CB_COLL_REDUCE, CB_TRAFFIC_EVERY_RANK, counts_scatterv)
