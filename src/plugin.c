/* plugin.c: --plugin FILE.so. dlopen, check the ABI version before touching
 * anything else, validate every descriptor, and append each algorithm to
 * the registry (cb_algos), so that planning, listing, -A all and every
 * verifier feature see it like a built-in one. The host table here is the
 * only way a plug-in reaches collbench (include/collbench/plugin.h): the
 * internal structs stay opaque to it. Every failure is one line, exit 6. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/algo.h"
#include "collbench/plugin.h"
#include "collbench/plugin_load.h"

static int h_rank(const struct cb_rank *rk) { return rk->rank; }
static int h_nranks(const struct cb_rank *rk) { return rk->nranks; }
static void *h_scratch(const struct cb_rank *rk) { return comm_scratch(rk); }
static const void *h_get(const struct cb_rank *rk, const void *local, int peer, size_t n)
{
	return comm_get(rk, local, peer, n);
}

static void *h_remote(const struct cb_rank *rk, const void *local, int peer)
{
	return rk->comm->direct ? comm_remote(rk, local, peer) : NULL;
}

static void h_put(const struct cb_rank *rk, int peer, void *dst, const void *src, size_t n)
{
	comm_put(rk, peer, dst, src, n);
}

/* Rows outside 0..CBP_NROWS-1 would write the barrier's or another rank's
 * cells: a plug-in's bug, stopped before it corrupts the protocol. */
static enum cb_row row_of(const struct cb_rank *rk, int row)
{
	if (row < 0 || row >= CBP_NROWS || CB_ROW_ALGO0 + row >= CB_NROWS) {
		fprintf(stderr, "collbench: rank %d: plug-in used signal row %d (valid: 0..%d)\n",
			rk->rank, row, CBP_NROWS - 1);
		abort();
	}
	return (enum cb_row)(CB_ROW_ALGO0 + row);
}

static void h_notify(struct cb_rank *rk, int peer, int row) { comm_notify(rk, peer, row_of(rk, row)); }
static void h_wait(struct cb_rank *rk, int peer, int row) { comm_wait(rk, peer, row_of(rk, row)); }
static void h_barrier(struct cb_rank *rk) { comm_barrier(rk); }
static void h_phase(struct cb_rank *rk, const char *name)
{
	atomic_store_explicit(&rk->state->step, name, memory_order_relaxed);
}

static const void *h_send(const struct cb_call *c) { return c->send; }
static void *h_recv(const struct cb_call *c) { return c->recv; }
static size_t h_count(const struct cb_call *c) { return c->n->count; }
static size_t h_send_count(const struct cb_call *c) { return c->n->send; }
static size_t h_recv_count(const struct cb_call *c) { return c->n->recv; }
static size_t h_esize(const struct cb_call *c) { return c->dt->size; }
static int h_root(const struct cb_call *c) { return c->root; }
static void h_reduce(const struct cb_call *c, void *dst, const void *a, const void *b, size_t n)
{
	if (n)
		cb_reduce_kernel(c->dt, c->op)(dst, a, b, n);
}

static void h_reduce_finish(const struct cb_call *c, void *buf, size_t n)
{
	cb_reduce_finish(c->dt, c->op, buf, n, c->nranks);
}

static size_t h_counts_count(const struct cb_counts *n) { return n->count; }
static size_t h_counts_send(const struct cb_counts *n) { return n->send; }
static size_t h_counts_recv(const struct cb_counts *n) { return n->recv; }
static size_t h_where_bytes(const struct cb_where *w) { return w->n->bytes; }
static int h_where_nranks(const struct cb_where *w) { return w->nranks; }
static bool h_where_inplace(const struct cb_where *w) { return w->inplace; }
static bool h_where_mpi(const struct cb_where *w) { return w->mpi; }
static size_t h_where_misalign(const struct cb_where *w) { return w->misalign; }

static const struct cbp_host host = {
	.abi = CBP_ABI_VERSION, .size = sizeof host,
	.rank = h_rank, .nranks = h_nranks, .scratch = h_scratch, .remote = h_remote,
	.get = h_get, .put = h_put, .notify = h_notify, .wait = h_wait,
	.barrier = h_barrier, .phase = h_phase,
	.send = h_send, .recv = h_recv, .count = h_count, .send_count = h_send_count,
	.recv_count = h_recv_count, .esize = h_esize, .root = h_root,
	.reduce = h_reduce, .reduce_finish = h_reduce_finish,
	.counts_count = h_counts_count, .counts_send = h_counts_send,
	.counts_recv = h_counts_recv, .where_bytes = h_where_bytes,
	.where_nranks = h_where_nranks, .where_inplace = h_where_inplace,
	.where_mpi = h_where_mpi, .where_misalign = h_where_misalign,
};

static size_t zero_scratch(const struct cb_counts *n, size_t esize, int nranks)
{
	(void)n, (void)esize, (void)nranks;
	return 0;
}

/* The same characters as built-in names, so every output (table columns,
 * JSON, CSV, -A lists split at commas) can carry it unquoted. */
static const char *bad_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > 31)
		return "a name of 1..31 characters";
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_-", name[i]))
			return "only a-z, 0-9, '_' and '-'";
	return NULL;
}

/* One descriptor -> a registry entry, or exit 6 saying which and why. */
static const struct cb_algo *adopt(const char *path, const struct cbp_algo *d, unsigned i)
{
	const struct cb_coll *coll;
	struct cb_algo *a;
	const char *why = bad_name(d->name);

	if (why)
		cb_die(CB_EXIT_USAGE, "--plugin '%s': algorithm %u: bad name '%s' (%s)", path, i,
		       d->name ? d->name : "(null)", why);
	coll = d->coll ? cb_coll_find(d->coll) : NULL;
	if (!coll)
		cb_die(CB_EXIT_USAGE, "--plugin '%s': algorithm '%s': unknown collective '%s' "
		       "(see collbench list)", path, d->name, d->coll ? d->coll : "(null)");
	if (!d->run)
		cb_die(CB_EXIT_USAGE, "--plugin '%s': algorithm '%s': no run function", path,
		       d->name);
	if (cb_algo_find(coll, d->name))
		cb_die(CB_EXIT_USAGE, "--plugin '%s': algorithm '%s' of %s already exists", path,
		       d->name, coll->name);
	a = cb_xcalloc(1, sizeof *a);
	*a = (struct cb_algo){
		.name = d->name, .coll = coll,
		.summary = d->summary ? d->summary : "(plug-in)",
		.scratch_bytes = d->scratch_bytes ? d->scratch_bytes : zero_scratch,
		.applies = d->applies, .run = d->run, .plugin = path,
	};
	return a;
}

void cb_plugin_load(const char *path)
{
	const struct cbp_plugin *(*reg)(const struct cbp_host *);
	const struct cbp_plugin *p;
	const uint32_t *abi;
	void *h;

	/* dlopen searches the library path for a bare name: "./x.so" is meant. */
	if (!strchr(path, '/'))
		cb_die(CB_EXIT_USAGE, "--plugin '%s': give a path (./%s)", path, path);
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		cb_die(CB_EXIT_USAGE, "--plugin: %s", dlerror());
	abi = dlsym(h, "collbench_plugin_abi");
	if (!abi)
		cb_die(CB_EXIT_USAGE, "--plugin '%s': not a collbench plug-in (no "
		       "collbench_plugin_abi; see CBP_PLUGIN in collbench/plugin.h)", path);
	if (*abi != CBP_ABI_VERSION)
		cb_die(CB_EXIT_USAGE, "--plugin '%s': built for plug-in ABI %u, this collbench "
		       "has ABI %u: rebuild it against this collbench's plugin.h", path, *abi,
		       CBP_ABI_VERSION);
	*(void **)&reg = dlsym(h, "collbench_plugin_register");
	if (!reg)
		cb_die(CB_EXIT_USAGE, "--plugin '%s': no collbench_plugin_register", path);
	p = reg(&host);
	if (!p || p->abi != CBP_ABI_VERSION || (p->nalgos && !p->algos))
		cb_die(CB_EXIT_USAGE, "--plugin '%s': collbench_plugin_register returned no "
		       "valid descriptor table", path);
	if (p->nalgos == 0)
		cb_die(CB_EXIT_USAGE, "--plugin '%s': no algorithms", path);
	for (uint32_t i = 0; i < p->nalgos; i++)
		cb_registry_append(adopt(path, &p->algos[i], i));
	/* Never dlclose: the registry points into the plug-in until exit. */
}
