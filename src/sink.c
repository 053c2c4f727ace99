/* sink.c: the table sinks (bench.h: struct cb_sink), where the runner hands
 * placements (with MPI, the ranks' block: data gathered by the runner,
 * printed here), points and finished records: the table on io->out, every
 * record into the report (results.c) for the footers, JSON and CSV after
 * the run; the progress line is held while the table is written. Moved out
 * of bench.c so that the runner never calls a printer.
 *
 * Both sinks cut the table into sections as nccl-tests' logs are cut: one
 * per collective and rank count, and with --nccl-compat one per algorithm
 * too (report.h: struct cb_section). They differ only in the column
 * header and the rows: collbench's table (report.c) or nccl-tests' exact
 * layout (report_nccl.c). */
#include <stdlib.h>

#include "collbench/bench.h"
#include "collbench/results.h"
#include "collbench/split.h"

struct style {
	bool per_algo;
	void (*head)(const struct cb_bench_io *io, const struct cb_options *o,
		     const struct cb_point *pt, int nranks);
	void (*row)(FILE *f, const struct cb_options *o, const struct cb_result *r);
};

static void end_section(const struct cb_bench_io *io)
{
	struct cb_section *sec = &io->rep->sec;
	if (!sec->open)
		return;
	cb_report_section_end(io->out, io->rep, false);
	sec->open = false;
}

static void open_section(const struct cb_bench_io *io, const struct style *sty,
			 const struct cb_point *pt, int nranks)
{
	struct cb_section *sec = &io->rep->sec;
	end_section(io);
	sec->open = true;
	sec->coll = pt->coll;
	sec->algo = sty->per_algo ? pt->algo : NULL;
	sec->nranks = nranks;
	sec->oob = 0;
	sec->busbw_sum = 0;
	sec->nbusbw = 0;
	sec->count++;
	cb_report_start(io->out, io->rep->o, pt->coll, nranks, sec->mpi);
}

/* A new rank count starts a section with its first point's collective;
 * the placement block follows nccl-tests' header lines as its device
 * list does. */
static void placed(const struct cb_bench_io *io, const struct style *sty,
		   const struct cb_options *o, const struct cb_placement *pl,
		   const struct cb_mpi_rank *mpi, const struct cb_point *first)
{
	const struct cb_machine_snap *m;
	struct cb_place_snap sn;
	/* each rank line's Group: its --split colour (nccl-tests') */
	int *colors = cb_xcalloc((size_t)pl->nranks, sizeof *colors);
	cb_split_colors(o, pl->nranks, colors);
	cb_progress_hold(io->prog);
	io->rep->sec.mpi = mpi != NULL;
	if (mpi)
		cb_report_mpi_ranks(io->out, mpi, pl->nranks, colors);
	open_section(io, sty, first, pl->nranks);
	/* The header shows the snapshots the report keeps for JSON and CSV. */
	m = cb_results_machine(io->rep, pl);
	cb_place_snap_take(&sn, pl);
	if (mpi) {
		/* rank 0's machine; the rank map is the MPI block above */
		char *topo = cb_snap_topology_text(m, false);
		cb_snap_print(io->out, topo);
		free(topo);
		fprintf(io->out, "#\n");
		fflush(io->out);
	} else {
		cb_report_header(io->out, m, &sn, io->count_index, io->ncounts, colors);
	}
	sty->head(io, o, first, pl->nranks);
	cb_progress_release(io->prog);
	cb_results_place(io->rep, &sn);
	free(colors);
}

/* A new section when the collective (or algorithm) changes, and the
 * point's not-applicable note. */
static void point(const struct cb_bench_io *io, const struct style *sty,
		  const struct cb_options *o, const struct cb_point *pt, int nranks)
{
	const struct cb_section *sec = &io->rep->sec;
	cb_progress_hold(io->prog);
	if (pt->coll != sec->coll || (sty->per_algo && pt->algo != sec->algo)) {
		open_section(io, sty, pt, nranks);
		sty->head(io, o, pt, nranks);
	}
	cb_report_note(io->out, pt);
	cb_progress_release(io->prog);
}

static void row(const struct cb_bench_io *io, const struct style *sty,
		const struct cb_options *o, const struct cb_result *r)
{
	cb_results_add(io->rep, r);
	cb_progress_hold(io->prog);
	sty->row(io->out, o, r);
	cb_progress_release(io->prog);
}

/* A sink per style: cb_sink's functions take no context, so each style
 * gets its three one-line entry points, generated alike. */
#define STYLE_SINK(NAME, STYLE)                                                          \
	static void NAME##_placed(const struct cb_bench_io *io, const struct cb_options *o, \
				  const struct cb_placement *pl,                           \
				  const struct cb_mpi_rank *mpi, const struct cb_point *first) \
	{                                                                                \
		placed(io, &STYLE, o, pl, mpi, first);                                   \
	}                                                                                \
	static void NAME##_point(const struct cb_bench_io *io, const struct cb_options *o,  \
				 const struct cb_point *pt, const struct cb_coll *prev,     \
				 int nranks)                                                \
	{                                                                                \
		(void)prev;                                                              \
		point(io, &STYLE, o, pt, nranks);                                        \
	}                                                                                \
	static void NAME##_row(const struct cb_bench_io *io, const struct cb_options *o,    \
			       const struct cb_result *r)                                   \
	{                                                                                \
		row(io, &STYLE, o, r);                                                   \
	}                                                                                \
	const struct cb_sink cb_##NAME##_sink = { NAME##_placed, NAME##_point, NAME##_row };

/* ---- collbench's table ---- */

static void table_head(const struct cb_bench_io *io, const struct cb_options *o,
		       const struct cb_point *pt, int nranks)
{
	cb_report_section(io->out, o, pt->coll, nranks, io->ctrs);
}

static const struct style table_style = { false, table_head, cb_report_row };
STYLE_SINK(table, table_style)

/* ---- --nccl-compat: nccl-tests' table, a section per algorithm ---- */

static void nccl_head(const struct cb_bench_io *io, const struct cb_options *o,
		      const struct cb_point *pt, int nranks)
{
	cb_nccl_head(io->out, o, pt, nranks);
}

static const struct style nccl_style = { true, nccl_head, cb_nccl_row };
STYLE_SINK(nccl, nccl_style)
