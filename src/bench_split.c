/* bench_split.c: --split's groups at run time (split.h). Every group is a
 * comm view over the run's own windows: the group's ranks numbered 0..G-1
 * in rank order, win[] their windows, and signal cells of its own, at the
 * same offset in every window (the end of the user area, which the plan
 * sized: cb_plan.split_bytes). Scratch halves and the user buffers are the
 * windows' own, at the same offsets, so zero-copy algorithms find a peer's
 * buffers as they do without groups; a rank belongs to one group only, so
 * no two groups ever touch the same bytes of a window.
 *
 * Why the protocols stay safe: the group's cells are written only through
 * the group view, with the same one-writer-per-cell rule and epochs (per
 * view, in the group rank's own cb_rank) as any comm; the bench's own
 * barriers (start, checkpoints, the row's closing exchange) use the run's
 * comm and its cells, untouched by the groups. The one shared piece is the
 * window's doorbell: its sleep_cell holds a cell index of whichever view the
 * owner sleeps in, so a notify of the other view's cell with the same index
 * may wake the owner spuriously (it looks again and sleeps); a wake is never
 * lost, since the owner sleeps on one cell at a time and a notifier of that
 * very cell sees its index. A view rank has a state of its own (the view's,
 * in group numbering): the watchdog counts its progress and reports its
 * waits through bench_split_watch (watchdog.h), while phase, point and
 * iteration stay in the run's state, written by the bench.
 *
 * MPI: the same views over the MPI windows (mpi_view below); a shared
 * window's futex doorbell is then shared between processes, as the run
 * comm's is (futex_private copied from it), and RMA ops reach a member
 * through world[], so the one-writer rule and the epochs are the views'
 * as with threads. -A mpi runs on the group's MPI_Comm_split
 * communicator, which only that group's ranks call.
 *
 * Timing: the timed loop's start and checkpoints are the run's barriers,
 * so groups start together and run their iterations side by side; a row's
 * time is the slowest group's (-a combines the ranks of each group). */
#include <stdlib.h>
#include <string.h>

#include "bench_run.h"
#include "collbench/results.h"
#include "collbench/split.h"
#include "collbench/transport.h"

struct split_run {
	struct cb_split s;
	struct cb_comm *comms;   /* [ngroups] the views */
	struct cb_rank *grk;     /* [nranks] each rank's rank in its view */
	struct cb_yield_gate **own_gate; /* [ngroups] the views' gates (comm_init's) */
};

size_t cb_split_cells_bytes(int gsize, int npus)
{
	struct cb_comm c;
	size_t n;
	comm_init(&c, gsize, 0, npus);
	n = PAGE_UP(c.ncells * sizeof(struct cb_cell));
	comm_destroy(&c);
	return n;
}

/* A view of group k: its own cell layout (comm_init for its size), every
 * other offset and the wait policy the run's. The barrier: --barrier's, or
 * auto's choice for the group's size, central whenever the run's auto
 * chose it (oversubscription is the whole run's: every rank competes). */
static void view_init(struct run *run, struct split_run *sp, int k, size_t cells_off)
{
	const struct cb_comm *w = &run->comm;
	struct cb_comm *g = &sp->comms[k];
	comm_init(g, sp->s.size[k], 0, w->npus);
	g->cells_off = cells_off;
	g->data_off = w->data_off;
	g->half_bytes = w->half_bytes;
	g->win_bytes = w->win_bytes;
	g->user_off = w->user_off;
	g->user_bytes = w->user_bytes;
	g->spin_limit = w->spin_limit;
	g->yield_limit = w->yield_limit;
	g->yield_adaptive = w->yield_adaptive;
	g->wait = w->wait;
	g->oversubscribed = w->oversubscribed;
	/* one yield gate per process (comm.h): the run's, rearmed by it */
	sp->own_gate[k] = g->yield_gate;
	g->yield_gate = w->yield_gate;
	/* the plan's kind (plan.c applies this rule): what barrier auto's
	 * rows name as their pick */
	g->barrier = run->plan->barrier;
	g->world = sp->s.member + sp->s.first[k];
}

void bench_split_setup(struct run *run)
{
	struct cb_split_expr e;
	struct split_run *sp;
	const struct cb_plan *p = run->plan;
	if (p->ngroups <= 1 || !cb_split_resolve(run->o, &e))
		return;
	sp = cb_xcalloc(1, sizeof *sp);
	cb_split_groups(&e, p->nranks, &sp->s);
	sp->comms = cb_xcalloc((size_t)sp->s.ngroups, sizeof *sp->comms);
	sp->own_gate = cb_xcalloc((size_t)sp->s.ngroups, sizeof *sp->own_gate);
	sp->grk = cb_xcalloc((size_t)p->nranks, sizeof *sp->grk);
	for (int k = 0; k < sp->s.ngroups; k++)
		view_init(run, sp, k, run->comm.user_off + run->comm.user_bytes - p->split_bytes);
	run->split = sp;
}

/* MPI (one rank per process: this process's only rank thread writes its
 * views): the transport's way of reaching peers is the run comm's, set by
 * cb_mpi_win_create after view_init. Shared windows: the members' bases
 * (every one mapped here); RMA windows: only my own is, and the ops
 * address the members through world[] (their MPI ranks). The MPI
 * library's own collectives (-A mpi) run on the group's communicator,
 * MPI_Comm_split by the group's number (collective, every rank at the
 * same point of its setup). */
static void mpi_view(struct run *run, struct split_run *sp, int k)
{
	const struct cb_comm *w = &run->comm;
	struct cb_comm *g = &sp->comms[k];
	g->direct = w->direct;
	g->futex_private = w->futex_private;
	g->ops = w->ops;
	for (int l = 0; l < sp->s.size[k]; l++)
		g->win[l] = w->win[g->world[l]];
	cb_mpi_group_comm(g, k);
}

/* Rank r's own thread, after comm_rank_init of the run's comm and before
 * the windows are published (the setup exchange): no peer can reach the
 * window yet, so initialising the view's cells (and, again, the doorbell)
 * races with nothing. */
void bench_split_rank_init(struct run *run, struct cb_rank *rk)
{
	struct split_run *sp = run->split;
	struct cb_rank *g;
	int r = rk->rank, k;
	if (!sp)
		return;
	k = sp->s.group[r];
	g = &sp->grk[r];
	if (run->mpi)
		mpi_view(run, sp, k);
	comm_rank_init(g, &sp->comms[k], sp->s.local[r], rk->win);
	sp->comms[k].win[sp->s.local[r]] = rk->win;
	/* MPI shared windows: the peers' bases too, for the hang report, as
	 * rank_setup does for the run's comm */
	for (int l = 0; run->mpi && l < sp->s.size[k]; l++)
		if (l != sp->s.local[r] && sp->comms[k].win[l])
			comm_publish_win(&sp->comms[k], l, sp->comms[k].win[l]);
	/* a seed per group as well, so that groups do not jitter alike */
	comm_jitter_seed(g, (uint64_t)run->o->seed + 7919u * (uint64_t)k, (unsigned)run->o->jitter_us);
}

struct cb_rank *bench_split_rank(struct run *run, struct cb_rank *rk)
{
	struct cb_rank *g;
	if (!run->split)
		return rk;
	g = &run->split->grk[rk->rank];
	g->faults = rk->faults;
	return g;
}

const struct cb_point *bench_split_point(const struct run *run, int r, size_t i)
{
	const struct cb_plan *p = run->plan;
	if (!run->split || !p->nalt)
		return &p->points[i];
	return cb_plan_point(p, i, run->split->s.size[run->split->s.group[r]]);
}

bool bench_split_corrupts(const struct run *run, const struct cb_rank *rk)
{
	/* --inject corrupt: in one group only, the last rank's */
	return !run->split ||
	       run->split->s.group[rk->rank] == run->split->s.group[run->plan->nranks - 1];
}

void bench_split_rank_fini(struct run *run, struct cb_rank *rk)
{
	struct split_run *sp = run->split;
	if (!sp)
		return;
	comm_publish_win(&sp->comms[sp->s.group[rk->rank]], sp->s.local[rk->rank], NULL);
	comm_rank_destroy(&sp->grk[rk->rank]);
	if (run->mpi)   /* collective, as its split was */
		cb_mpi_group_free(&sp->comms[sp->s.group[rk->rank]]);
}

void bench_split_free(struct run *run)
{
	struct split_run *sp = run->split;
	if (!sp)
		return;
	for (int k = 0; k < sp->s.ngroups; k++) {
		/* comm_destroy frees the view's gate: give it its own back */
		sp->comms[k].yield_gate = sp->own_gate[k];
		comm_destroy(&sp->comms[k]);
	}
	free(sp->comms);
	free(sp->own_gate);
	free(sp->grk);
	free(sp);
	run->split = NULL;
}

bool bench_split_watch(const void *ctx, int r, int owner, const struct cb_comm **vc, int *vrank,
		       int *owner_global)
{
	const struct split_run *sp = ((const struct run *)ctx)->split;
	int k;
	if (!sp)
		return false;
	k = sp->s.group[r];
	*vc = &sp->comms[k];
	*vrank = sp->s.local[r];
	*owner_global = owner >= 0 ? sp->s.member[sp->s.first[k] + owner] : -1;
	return true;
}

/* -a over the ranks of group k, half h (combine.c's rule per group). */
static double group_time(const struct run *run, int k, int h)
{
	const struct cb_split *s = &run->split->s;
	double t = 0;
	for (int l = 0; l < s->size[k]; l++) {
		double m = run->slots[2 * s->member[s->first[k] + l] + h].mean_us;
		switch (run->o->average) {
		case 0: t = l == 0 ? m : t; break;
		case 1: t += m / s->size[k]; break;
		case 2: t = (l == 0 || m < t) ? m : t; break;
		default: t = (l == 0 || m > t) ? m : t; break;
		}
	}
	return t;
}

/* Rank 0, after cb_combine_half: the row as groups see it. The time is the
 * slowest group's; bandwidths are one group's bytes over it, busbw with
 * the group's rank count; E's compulsory bytes are every group's. Groups
 * of unequal sizes: the bytes and rank count of group 0 (rank 0's, whose
 * counts the row prints), as nccl-tests' rank 0 prints its own comm's
 * over the time combined across every rank. */
void bench_split_row(const struct run *run, struct cb_result *res)
{
	const struct cb_plan *p = run->plan;
	const struct cb_point *pt = res->pt;
	struct cb_split_expr e;
	res->groups = p->ngroups;
	res->group_ranks = p->group_ranks;
	res->group_sizes = p->group_sizes;
	if (cb_split_resolve(run->o, &e))
		cb_split_format(&e, res->split, sizeof res->split);
	if (!run->split)
		return;
	res->min_bytes = 0;
	for (int k = 0; k < p->ngroups; k++) {
		int n = run->split->s.size[k];
		res->min_bytes += cb_min_traffic(cb_plan_point(p, (size_t)(pt - p->points), n), n);
	}
	for (int h = 0; h < 2; h++) {
		struct cb_half *x = &res->half[h];
		double t = 0;
		if (!x->present)
			continue;
		for (int k = 0; k < p->ngroups; k++) {
			double gt = group_time(run, k, h);
			t = gt > t ? gt : t;
		}
		x->time_us = t;
		x->algbw = t > 0 ? (double)pt->n.algbw_bytes / (t * 1e3) : 0;
		x->busbw = x->algbw * pt->coll->busbw_factor(p->group_ranks);
		x->has_eff = res->copy_bw > 0 && t > 0 && res->min_bytes > 0;
		x->eff = x->has_eff ? res->min_bytes / (t * 1e3 * res->copy_bw) : 0;
	}
}
