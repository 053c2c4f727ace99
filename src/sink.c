/* sink.c: the table sink (bench.h: struct cb_sink), where the runner hands
 * placements, points and finished records: the table on io->out through
 * report.c's printers, every record into the report (results.c) for the
 * footer, JSON and CSV after the run; the progress line is held while the
 * table is written. Moved out of bench.c so that the runner never calls a
 * printer. */
#include "collbench/bench.h"
#include "collbench/results.h"

static void placed(const struct cb_bench_io *io, const struct cb_options *o,
		   const struct cb_placement *pl, bool mpi)
{
	cb_progress_hold(io->prog);
	if (mpi) {
		/* rank 0's machine; the rank map is the block the MPI exchange
		 * printed */
		cb_placement_print_topology(io->out, pl, false);
		fprintf(io->out, "#\n");
		fflush(io->out);
	} else {
		cb_report_header(io->out, o, pl, io->count_index, io->ncounts);
	}
	cb_progress_release(io->prog);
	cb_results_place(io->rep, pl);
}

/* The section header when the collective changes, and the point's
 * not-applicable note. */
static void point(const struct cb_bench_io *io, const struct cb_options *o,
		  const struct cb_point *pt, const struct cb_coll *prev, int nranks)
{
	cb_progress_hold(io->prog);
	if (pt->coll != prev)
		cb_report_section(io->out, o, pt->coll, nranks, io->ctrs);
	cb_report_note(io->out, pt);
	cb_progress_release(io->prog);
}

static void row(const struct cb_bench_io *io, const struct cb_options *o,
		const struct cb_result *r)
{
	cb_results_add(io->rep, r);
	cb_progress_hold(io->prog);
	cb_report_row(io->out, o, r);
	cb_progress_release(io->prog);
}

const struct cb_sink cb_table_sink = { placed, point, row };
