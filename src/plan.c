/* plan.c: expand options into points: collective x datatype x op x root x
 * size x algorithm (nccl-tests' loop order, with algorithms innermost so the
 * rows of one size sit together for comparison). */
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/coldcache.h"
#include "collbench/plan.h"
#include "collbench/split.h"
#include "collbench/transport.h"

static void *grow(void *p, size_t n)
{
	if (!(p = realloc(p, n)))
		cb_die(CB_EXIT_RESOURCE, "out of memory for the plan");
	return p;
}

/* pt into points[], alt[k] into alt_points[k] (unequal groups). */
static void push(struct cb_plan *pl, size_t *cap, const struct cb_point *pt,
		 const struct cb_point *alt)
{
	if (pl->npoints == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		pl->points = grow(pl->points, *cap * sizeof *pl->points);
		for (int k = 0; k < pl->nalt; k++)
			pl->alt_points[k] = grow(pl->alt_points[k], *cap * sizeof *pl->points);
	}
	for (int k = 0; k < pl->nalt; k++)
		pl->alt_points[k][pl->npoints] = alt[k];
	pl->points[pl->npoints++] = *pt;
}

/* Does the comma-separated list name s (or is it "all")? */
static int in_list(const char *list, const char *s)
{
	size_t n = strlen(s);
	if (!strcmp(list, "all"))
		return 1;
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && !strncmp(p, s, n))
			return 1;
		p += len + (e ? 1 : 0);
	}
	return 0;
}

/* Every name of a comma list must be accepted by known(); else exit 6. */
static void check_list(const char *list, const char *opt, const char *what,
		       int (*known)(const char *name, const void *ctx), const void *ctx,
		       const char *valid)
{
	char buf[256];
	if (!strcmp(list, "all"))
		return;
	for (const char *p = list;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 0 || len >= sizeof buf)
			cb_die(CB_EXIT_USAGE, "empty or overlong name in %s '%s'", opt, list);
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (!known(buf, ctx))
			cb_die(CB_EXIT_USAGE, "unknown %s '%s' for %s (valid: %s)", what, buf, opt, valid);
		if (!e)
			break;
		p = e + 1;
	}
}

static int known_dtype(const char *n, const void *ctx) { (void)ctx; return cb_dtype_find(n) != NULL; }
static int known_op(const char *n, const void *ctx) { (void)ctx; return cb_redop_find(n) != NULL; }

static int known_algo(const char *n, const void *ctx)
{
	const struct cb_coll *const *colls = ctx;
	for (; *colls; colls++)
		if (cb_algo_find(*colls, n))
			return 1;
	return 0;
}

static void names(char *buf, size_t cap, const char *(*name)(size_t), size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", name(i));
}

static const char *dtype_name(size_t i) { return cb_dtypes[i].name; }
static const char *op_name(size_t i) { return cb_redops[i].name; }

static void sizes_next(const struct cb_options *o, size_t *s)
{
	if (o->stepfactor > 1) {
		size_t next = *s * (size_t)o->stepfactor;
		/* 0 never grows and an overflow wraps: both end the sweep. */
		*s = (*s == 0 || next / (size_t)o->stepfactor != *s) ? SIZE_MAX : next;
	} else {
		*s = *s > SIZE_MAX - o->stepbytes ? SIZE_MAX : *s + o->stepbytes;
	}
}

/* More sizes than anyone can read is a typo (-i 1 with -e 1G), not a plan. */
#define MAX_SIZES 4096

/* The sizes of the sweep into out[MAX_SIZES], in order: -b/-e's list as
 * given (options.c checked it), or -b to -e by -i/-f. */
static size_t sweep_sizes(const struct cb_options *o, size_t *out)
{
	size_t n = 0;
	if (o->nsizes > 0) {
		memcpy(out, o->sizes, (size_t)o->nsizes * sizeof *out);
		return (size_t)o->nsizes;
	}
	for (size_t s = o->minbytes; s <= o->maxbytes; sizes_next(o, &s)) {
		if (n == MAX_SIZES)
			cb_die(CB_EXIT_USAGE, "-b/-e/-i/-f give more than %d sizes; use a larger -i/--stepbytes or -f/--stepfactor",
			       MAX_SIZES);
		out[n++] = s;
		if (s == SIZE_MAX)
			break;
	}
	return n;
}

/* Algorithms whose in-place note the plan has (at most one note each). */
struct noted {
	const struct cb_algo *algo[64];
	size_t n;
};

/* Peers' windows are not mapped here: MPI RMA windows (the transport has
 * resolved --mpi-window before plans are built). */
static bool plan_rma(void)
{
	return cb_xport.mpi && cb_xport.window != CB_MPIWIN_SHARED;
}

/* What runs at pt, per half, in groups of nranks, and the window it
 * needs. Whether ranks are MPI processes is the transport's (started
 * before plans are built). */
static void resolve(struct cb_plan *pl, struct cb_point *pt, int nranks, int npus)
{
	size_t so, ro, es = pt->dt->size;
	struct cb_where w = { &pt->n, es, nranks, false, pl->nranks > npus, cb_xport.mpi,
			      pt->dt, pt->op, pl->unalign * es, pt->root, plan_rma(), pl->barrier };
	bool has_ip = pt->coll->inplace(&pt->n, 0, nranks, &so, &ro);

	pt->ran[0] = cb_algo_resolve(pt->algo, &w, pt->why[0], sizeof pt->why[0]);
	w.inplace = true;
	pt->ran[1] = pt->ran[0] && has_ip ?
		cb_algo_resolve(pt->algo, &w, pt->why[1], sizeof pt->why[1]) : NULL;
	if (!pt->ran[0])
		return;
	for (int h = 0; h < 2; h++) {
		size_t scratch = pt->ran[h] ? pt->ran[h]->scratch_bytes(&pt->n, es, nranks) : 0;
		if (scratch > pl->max_scratch_bytes)
			pl->max_scratch_bytes = scratch;
	}
	/* -u: the buffers run unalign elements past their page (bench_timed.c) */
	if ((pt->n.send + pl->unalign) * es > pl->max_send_bytes)
		pl->max_send_bytes = (pt->n.send + pl->unalign) * es;
	if ((pt->n.recv + pl->unalign) * es > pl->max_recv_bytes)
		pl->max_recv_bytes = (pt->n.recv + pl->unalign) * es;
}

/* Unequal groups: the point runs (per half) only where it applies in
 * groups of every size; q is the point as groups of size ranks see it. */
static void merge(struct cb_point *pt, const struct cb_point *q, int size)
{
	for (int h = 0; h < 2; h++) {
		if (!pt->ran[h] || q->ran[h])
			continue;
		if (q->why[h][0])
			snprintf(pt->why[h], sizeof pt->why[h], "%.60s in groups of %d", q->why[h], size);
		else
			snprintf(pt->why[h], sizeof pt->why[h], "in groups of %d (no in-place form)", size);
		pt->ran[h] = NULL;
		if (h == 0)
			pt->ran[1] = NULL;
	}
}

/* After merge: the alt points take the verdict, and pt's alt_ran names
 * the picks that differ from its own. */
static void settle(struct cb_point *pt, struct cb_point *alt, const int *sizes, int nalt)
{
	size_t used = 0;
	char ran[64];
	pt->alt_ran[0] = '\0';
	for (int k = 0; k < nalt; k++) {
		struct cb_point *q = &alt[k];
		if (!pt->ran[0]) {
			q->ran[0] = q->ran[1] = NULL;
			continue;
		}
		if (!pt->ran[1])
			q->ran[1] = NULL;
		if ((q->ran[0] != pt->ran[0] || q->ran[1] != pt->ran[1]) && used < sizeof pt->alt_ran)
			used += (size_t)snprintf(pt->alt_ran + used, sizeof pt->alt_ran - used, ";%d:%s",
						 sizes[k], cb_point_ran(q, ran, sizeof ran));
	}
}

/* The in-place note once per collective and algorithm. */
static void note(struct cb_point *pt, struct noted *nt)
{
	/* why[1] is written only where a half with an in-place form does not
	 * apply (resolve leaves it empty for collectives without one) */
	if (!pt->ran[0] || pt->ran[1] || !*pt->why[1])
		return;
	pt->note_inplace = nt->n < CB_ARRAY_LEN(nt->algo);
	for (size_t i = 0; i < nt->n; i++)
		pt->note_inplace = pt->note_inplace && nt->algo[i] != pt->algo;
	if (pt->note_inplace)
		nt->algo[nt->n++] = pt->algo;
}

const char *cb_point_ran(const struct cb_point *pt, char *buf, size_t cap)
{
	if (!pt->ran[0])
		snprintf(buf, cap, "none");
	else if (pt->ran[1] && pt->ran[1] != pt->ran[0])
		snprintf(buf, cap, "%s/%s%s", pt->ran[0]->name, pt->ran[1]->name, pt->alt_ran);
	else
		snprintf(buf, cap, "%s%s", pt->ran[0]->name, pt->alt_ran);
	return buf;
}

const char *cb_point_label(const struct cb_point *pt, char *buf, size_t cap)
{
	char ran[160];
	if (pt->algo->pick && pt->ran[0])
		snprintf(buf, cap, "%s:%s", pt->algo->name, cb_point_ran(pt, ran, sizeof ran));
	else
		snprintf(buf, cap, "%s", pt->algo->name);
	return buf;
}

void cb_plans_check_runnable(const struct cb_plan *plans, int n)
{
	const struct cb_point *first = NULL;
	size_t npoints = 0;
	for (int i = 0; i < n; i++) {
		npoints += plans[i].npoints;
		if (plans[i].nskipped < plans[i].npoints)
			return;
		if (!first && plans[i].npoints)
			first = &plans[i].points[0];
	}
	if (first)
		cb_die(CB_EXIT_UNSUPPORTED, "nothing to run: %s %s: not applicable %s%s",
		       first->coll->name, first->algo->name, first->why[0],
		       npoints > 1 ? ", nor anything else asked for" : "");
}

/* The collectives of the command (NULL-terminated), after checking every
 * name list of the options against them; usage errors exit 6. */
static size_t check_names(const struct cb_options *o, const struct cb_coll **colls)
{
	size_t ncoll = 0;
	char valid[1024];

	if (!strcmp(o->command, "all")) {
		for (size_t i = 0; i < cb_ncolls && ncoll < 64; i++)
			colls[ncoll++] = cb_colls[i];
	} else {
		const struct cb_coll *c = cb_coll_find(o->command);
		if (!c) {
			size_t used = 0;
			for (size_t i = 0; i < cb_ncolls; i++)
				used += (size_t)snprintf(valid + used, sizeof valid - used, "%s, ",
							 cb_colls[i]->name);
			cb_die(CB_EXIT_USAGE, "unknown collective '%s' (valid: %sall, list)",
			       o->command, valid);
		}
		colls[ncoll++] = c;
	}
	colls[ncoll] = NULL;

	{
		size_t used = 0;
		valid[0] = '\0';
		for (size_t i = 0; i < cb_nalgos; i++)
			for (size_t k = 0; k < ncoll; k++)
				if (cb_algos[i]->coll == colls[k])
					used += (size_t)snprintf(valid + used, sizeof valid - used,
								 "%s%s", used ? ", " : "", cb_algos[i]->name);
		check_list(o->algos, "-A/--algo", "algorithm", known_algo, colls, valid);
	}
	names(valid, sizeof valid, dtype_name, cb_ndtypes);
	check_list(o->dtypes, "-d/--datatype", "datatype", known_dtype, NULL, valid);
	names(valid, sizeof valid, op_name, cb_nredops);
	check_list(o->ops, "-o/--op", "op", known_op, NULL, valid);
	return ncoll;
}

/* The points of one collective in sweep order (datatype, op, root, size,
 * algorithm); only algorithm only_algo (an index into cb_algos) if >= 0. */
static void add_points(struct cb_plan *pl, size_t *cap, struct noted *noted,
		       const struct cb_options *o, const struct cb_coll *coll, int only_algo,
		       int root_all, int root, int npus, const size_t *sizes, size_t nsizes)
{
	int reduces = !!(coll->flags & CB_COLL_REDUCE);
	int rooted = !!(coll->flags & CB_COLL_ROOT);
	int nranks = pl->group_ranks;   /* a collective runs in each group */
	struct cb_point alt[CB_SPLIT_MAX_ALT];
	for (size_t di = 0; di < cb_ndtypes; di++) {
		const struct cb_dtype *dt = &cb_dtypes[di];
		if (!in_list(o->dtypes, dt->name))
			continue;
		for (size_t oi = 0; oi < (reduces ? cb_nredops : 1); oi++) {
			const struct cb_redop *op = reduces ? &cb_redops[oi] : NULL;
			if (op && !in_list(o->ops, op->name))
				continue;
			int r0 = rooted ? (root_all ? 0 : root) : -1;
			/* -r all: the roots every group has */
			int r1 = rooted ? (root_all ? pl->least_ranks - 1 : root) : -1;
			for (int rt = r0; rt <= r1; rt++) {
				for (size_t si = 0; si < nsizes; si++) {
					size_t s = sizes[si];
					for (size_t ai = 0; ai < cb_nalgos; ai++) {
						const struct cb_algo *a = cb_algos[ai];
						struct cb_point pt = { .coll = coll, .algo = a, .dt = dt,
								       .op = op, .root = rt };
						if (a->coll != coll || !in_list(o->algos, a->name) ||
						    (a->by_name && !strcmp(o->algos, "all")) ||
						    (only_algo >= 0 && (int)ai != only_algo))
							continue;
						coll->counts(s, dt->size, nranks, &pt.n);
						resolve(pl, &pt, nranks, npus);
						for (int k = 0; k < pl->nalt; k++) {
							alt[k] = pt;
							coll->counts(s, dt->size, pl->alt_ranks[k], &alt[k].n);
							resolve(pl, &alt[k], pl->alt_ranks[k], npus);
							merge(&pt, &alt[k], pl->alt_ranks[k]);
						}
						settle(&pt, alt, pl->alt_ranks, pl->nalt);
						note(&pt, noted);
						pl->nskipped += cb_point_skipped(&pt);
						push(pl, cap, &pt, alt);
					}
					if (coll->flags & CB_COLL_SIZELESS)
						break;   /* no data: the first size only */
				}
			}
		}
	}
}

void cb_plan_build(struct cb_plan *pl, const struct cb_options *o, int nranks, int npus)
{
	const struct cb_coll *colls[64 + 1];
	size_t ncoll, cap = 0;
	struct noted noted = { { NULL }, 0 };
	int root_all = 0;
	long root = 0;
	static size_t sizes[MAX_SIZES];   /* one plan at a time (main thread) */
	size_t nsizes;

	memset(pl, 0, sizeof *pl);
	pl->nranks = nranks;
	{
		static char sizes[CB_MAX_RANKS * 5];   /* main thread, one plan at a time */
		pl->group_ranks = cb_split_plan(o, nranks, &pl->ngroups, pl->alt_ranks, &pl->nalt,
						sizes, sizeof sizes);
		if (sizes[0] && !(pl->group_sizes = strdup(sizes)))
			cb_die(CB_EXIT_RESOURCE, "out of memory for the plan");
		pl->least_ranks = pl->group_ranks;
		for (int k = 0; k < pl->nalt; k++)
			if (pl->alt_ranks[k] < pl->least_ranks)
				pl->least_ranks = pl->alt_ranks[k];
	}
	pl->unalign = (size_t)o->unalign;
	{
		/* What comm_barrier runs inside a collective, what barrier auto's
		 * rows name: --barrier's kind (o->barrier, CB_BARRIER_AUTO or a
		 * kind), or auto's for the run (bench.c's comm_set_barrier
		 * resolves it alike); in --split groups auto's for the group's
		 * size, unless the run's auto chose central (oversubscription is
		 * the whole run's): the views of bench_split.c take it from here. */
		int k = o->barrier;
		pl->barrier = comm_barrier_runs(k, nranks, npus, !plan_rma());
		if (pl->ngroups > 1 && k < 0 && pl->barrier != CB_BARRIER_CENTRAL)
			pl->barrier = comm_barrier_runs(-1, pl->group_ranks, npus, !plan_rma());
	}
	nsizes = sweep_sizes(o, sizes);
	ncoll = check_names(o, colls);
	if (!strcmp(o->root, "all")) {
		root_all = 1;
	} else {
		char *end;
		root = strtol(o->root, &end, 10);
		if (*end || end == o->root || root < 0 || root >= pl->least_ranks)
			cb_die(CB_EXIT_USAGE, "invalid value '%s' for -r/--root: expected a rank in 0..%d or all%s",
			       o->root, pl->least_ranks - 1, pl->ngroups > 1 ? " (a rank of each --split group)" : "");
	}

	for (size_t ci = 0; ci < ncoll; ci++) {
		/* --nccl-compat: a section per algorithm, so the algorithm is
		 * the outer loop; else the algorithms of a size are side by side */
		for (size_t ai = 0; ai < (o->nccl_compat ? cb_nalgos : 1); ai++)
			add_points(pl, &cap, &noted, o, colls[ci], o->nccl_compat ? (int)ai : -1,
				   root_all, (int)root, npus, sizes, nsizes);
	}
	pl->split_bytes = pl->ngroups > 1 ? cb_split_cells_bytes(pl->group_ranks, npus) : 0;
	for (int k = 0; k < pl->nalt; k++) {   /* one offset for every group's cells */
		size_t b = cb_split_cells_bytes(pl->alt_ranks[k], npus);
		pl->split_bytes = b > pl->split_bytes ? b : pl->split_bytes;
	}
	pl->cold_bytes = cb_cold_plan_bytes(o, pl);
	if (pl->npoints == 0)
		cb_die(CB_EXIT_USAGE, "nothing to run: -A/--algo '%s' names no algorithm of '%s'",
		       o->algos, o->command);
}

void cb_plan_free(struct cb_plan *pl)
{
	free(pl->points);
	pl->points = NULL;
	free(pl->group_sizes);
	pl->group_sizes = NULL;
	for (int k = 0; k < pl->nalt; k++) {
		free(pl->alt_points[k]);
		pl->alt_points[k] = NULL;
	}
}
