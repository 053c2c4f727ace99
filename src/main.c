/* main.c: argv -> options -> plans (one per rank count) -> placement ->
 * runs -> records -> printers (table | JSON | CSV) -> gates -> status */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collbench/bench.h"
#include "collbench/coll.h"
#include "collbench/comm.h"
#include "collbench/common.h"
#include "collbench/inject.h"
#include "collbench/options.h"
#include "collbench/perf.h"
#include "collbench/placement.h"
#include "collbench/plan.h"
#include "collbench/report.h"
#include "collbench/results.h"
#include "collbench/transport.h"

static void list(FILE *f)
{
	fprintf(f, "Collectives and their algorithms:\n");
	for (size_t i = 0; i < cb_ncolls; i++) {
		const struct cb_coll *c = cb_colls[i];
		fprintf(f, "  %-16s %s%s%s\n", c->name, c->summary,
			c->alias ? "; alias " : "", c->alias ? c->alias : "");
		for (size_t k = 0; k < cb_nalgos; k++)
			if (cb_algos[k]->coll == c)
				fprintf(f, "      %-14s %s\n", cb_algos[k]->name, cb_algos[k]->summary);
	}
	fprintf(f, "Datatypes:");
	for (size_t i = 0; i < cb_ndtypes; i++)
		fprintf(f, " %s", cb_dtypes[i].name);
	fprintf(f, "\nReduction ops:");
	for (size_t i = 0; i < cb_nredops; i++)
		fprintf(f, " %s", cb_redops[i].name);
	fprintf(f, "\nFaults for --inject:\n");
	for (unsigned i = 0; i < cb_ninjects; i++)
		fprintf(f, "  %-16s %s\n", cb_injects[i].name, cb_injects[i].summary);
}

/* collbench topo, --show-placement: the topology and the rank map (verified
 * by a probe thread per rank on this system; planned on a described one).
 * No pid or host name: the output of a described machine is deterministic. */
static void show_placement(FILE *f, const struct cb_placement *pl)
{
	fprintf(f, "# collbench version %s hwloc %s libnuma %s\n", CB_VERSION,
		cb_placement_hwloc_version(), cb_placement_numa_version());
	cb_placement_print_topology(f, pl, true);
	cb_placement_print_map(f, pl, NULL, 0);
}

/* -J and --csv files: created (exclusively unless --force) before the run,
 * so a name clash fails before any work; removed again if the run dies
 * before they are complete (usage error, resource failure, timeout). */
struct outfile {
	const char *opt, *path;
	FILE *f;
	bool to_stdout, done;
};
static struct outfile outs[2];

static void remove_unfinished(void)
{
	for (size_t i = 0; i < CB_ARRAY_LEN(outs); i++)
		if (outs[i].f && !outs[i].to_stdout && !outs[i].done)
			unlink(outs[i].path);
}

static void open_output(struct outfile *of, const char *opt, const char *path, bool force)
{
	int fd;
	of->opt = opt;
	of->path = path;
	if (!path)
		return;
	if (!strcmp(path, "-")) {
		of->to_stdout = true;
		of->f = stdout;
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0644);
	if (fd < 0 && errno == EEXIST)
		cb_die(CB_EXIT_USAGE, "%s: '%s' exists; refusing to overwrite it (use --force)",
		       opt, path);
	if (fd < 0)
		cb_die(CB_EXIT_USAGE, "%s: cannot create '%s': %s", opt, path, strerror(errno));
	of->f = fdopen(fd, "w");
	if (!of->f)
		cb_die(CB_EXIT_RESOURCE, "%s: cannot open '%s': %s", opt, path, strerror(errno));
}

static void write_output(struct outfile *of, const struct cb_report *rep,
			 void (*print)(FILE *, const struct cb_report *))
{
	if (!of->f)
		return;
	print(of->f, rep);
	if (of->to_stdout ? fflush(of->f) : fclose(of->f))
		cb_die(CB_EXIT_RESOURCE, "%s: cannot write '%s': %s", of->opt, of->path,
		       strerror(errno));
	of->done = true;
}

/* SIGINT/SIGTERM: the ranks stop after the current row (bench.c), the rows
 * so far and the footer are reported, the status is 128 + signal. One-shot
 * (SA_RESETHAND): a second signal ends the process at once. Installed even
 * where the signal was ignored (a non-interactive shell's background job). */
static void on_signal(int sig)
{
	cb_bench_stop = sig;
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* topo, --show-placement: the topology once, the rank map per rank count. */
static int show_placements(const struct cb_options *o, struct cb_placement *pl,
			   const int *counts, int n, struct cb_plan *plans, bool topo)
{
	for (int i = 0; i < n; i++) {
		if (i) {
			cb_placement_fini(pl);
			cb_placement_init(pl, o);
		}
		cb_placement_plan(pl, counts[i]);
		cb_placement_probe(pl);
		if (!i) {
			show_placement(stdout, pl);
		} else {
			printf("#\n");
			cb_placement_print_map(stdout, pl, NULL, 0);
		}
		cb_placement_enforce(pl, stdout);
	}
	for (int i = 0; !topo && i < n; i++)
		cb_plan_free(&plans[i]);
	free(plans);
	cb_placement_fini(pl);
	return CB_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct cb_options o;
	struct cb_placement pl;
	struct cb_plan *plans;
	struct cb_report rep;
	struct cb_baseline base;
	struct cb_progress prog;
	struct cb_perf_ctl pctl;
	struct cb_counter_set ctrs;
	enum cb_inject inject;
	int counts[CB_MAX_RANKS], ncounts;
	size_t total = 0;
	FILE *out;
	bool topo, silent;
	static char **argv_given;   /* static: still reachable at exit */

	/* getopt_long permutes argv: keep the command line as given. */
	argv_given = cb_xcalloc((size_t)argc + 1, sizeof *argv_given);
	memcpy(argv_given, argv, (size_t)argc * sizeof *argv);
	cb_options_parse(&o, argc, argv);
	if (o.help) {
		cb_options_usage(stdout);
		return CB_EXIT_OK;
	}
	if (o.version) {
		printf("collbench %s\n", CB_VERSION);
		return CB_EXIT_OK;
	}
	if (!strcmp(o.command, "list")) {
		if (o.list_names)
			cb_registry_print_names(stdout);
		else
			list(stdout);
		return CB_EXIT_OK;
	}
	if (o.list_names)
		cb_die(CB_EXIT_USAGE, "--names is an option of 'collbench list' only (see 'collbench --help')");
	topo = !strcmp(o.command, "topo");
	inject = cb_inject_parse(o.inject);
	{
		enum cb_wait w;
		if (comm_wait_parse(o.wait, &w))
			cb_die(CB_EXIT_USAGE, "invalid value '%s' for --wait: expected auto, spin, yield or futex (see 'collbench --help')", o.wait);
	}
	{
		int k;
		if (comm_barrier_parse(o.barrier, &k))
			cb_die(CB_EXIT_USAGE, "invalid value '%s' for --barrier: expected auto, mesh, dissemination or central (see 'collbench --help')", o.barrier);
	}

	/* topo and --show-placement describe this process's machine: threads. */
	if (!topo && !o.show_placement)
		cb_transport_start(&o);
	if (inject == CB_INJECT_DIE && !cb_xport.mpi)
		cb_die(CB_EXIT_UNSUPPORTED, "--inject die needs the MPI transport (a rank is a "
		       "process there; rank threads cannot die alone)");
	if (cb_xport.mpi)
		o.bind = CB_BIND_NONE;   /* the launcher binds the processes */
	/* Only MPI rank 0 reports; the other ranks write nothing on stdout. */
	silent = cb_xport.mpi && cb_xport.rank != 0;

	cb_placement_init(&pl, &o);
	ncounts = o.nrank_counts;
	for (int i = 0; i < ncounts; i++)
		counts[i] = o.rank_counts[i] ? o.rank_counts[i] : pl.npus;
	if (cb_xport.mpi) {
		ncounts = 1;
		counts[0] = cb_xport.size;
	}
	/* Resolve every plan before anything runs: a usage error prints
	 * nothing on stdout. */
	plans = cb_xcalloc((size_t)ncounts, sizeof *plans);
	for (int i = 0; !topo && i < ncounts; i++) {
		cb_plan_build(&plans[i], &o, counts[i], pl.npus);
		total += plans[i].npoints;
	}
	/* A run on a described machine would report a placement that never
	 * happened (hwloc binds nothing there): only topo and --show-placement
	 * may plan on one. */
	if (!pl.thissystem && !topo && !o.show_placement) {
		if (o.topology)
			cb_die(CB_EXIT_USAGE, "--topology '%s' is not this system: a run cannot be placed "
			       "on it; use 'collbench topo' or --show-placement (see 'collbench --help')",
			       o.topology);
		cb_die(CB_EXIT_USAGE, "the hwloc topology from HWLOC_XMLFILE/HWLOC_SYNTHETIC is not "
		       "this system: a run cannot be placed on it; use 'collbench topo' or "
		       "--show-placement (see 'collbench --help')");
	}
	if (topo || o.show_placement)
		return show_placements(&o, &pl, counts, ncounts, plans, topo);
	cb_plans_check_runnable(plans, ncounts);   /* exit 5 if nothing applies */

	if (o.baseline)
		cb_baseline_load(&base, o.baseline);
	if (o.counters) {
		const char *why;
		if (cb_counters_parse(&ctrs, o.counters, &why))   /* checked by options.c */
			cb_die(CB_EXIT_USAGE, "invalid value '%s' for --counters: %s", o.counters, why);
	}
	/* perf must be listening before anything runs or prints. */
	if (o.perf_ctl) {
		const char *why;
		if (cb_perf_ctl_open(&pctl, o.perf_ctl, &why))
			cb_die(CB_EXIT_USAGE, "--perf-ctl '%s': %s (see PROFILING in collbench(1))",
			       o.perf_ctl, why);
	}
	atexit(remove_unfinished);
	cb_bench_timeout_hook = remove_unfinished;
	if (!silent) {
		open_output(&outs[0], "-J/--json", o.json_path, o.force);
		open_output(&outs[1], "--csv", o.csv_path, o.force);
	}
	/* Machine-readable output on stdout moves the table to stderr. */
	out = outs[0].to_stdout || outs[1].to_stdout ? stderr : stdout;
	if (silent && !(out = fopen("/dev/null", "w")))
		cb_die(CB_EXIT_RESOURCE, "cannot open /dev/null: %s", strerror(errno));

	cb_results_init(&rep, &o, argc, argv_given);
	rep.ctrs = o.counters ? &ctrs : NULL;
	cb_results_memory(&rep, plans, ncounts);   /* -M */
	cb_progress_init(&prog, isatty(2) && !o.quiet && !silent, total);
	cb_report_preamble(out, &o, counts, ncounts);
	catch_signals();
	/* -N: the whole sweep o.cycles times, 0: until a signal. */
	for (long cy = 0; !cb_bench_stop && (o.cycles == 0 || cy < o.cycles); cy++) {
		rep.cycle = cy;
		prog.base = 0;
		for (int i = 0; i < ncounts && !cb_bench_stop; i++) {
			struct cb_bench_io io = { out, &rep, &prog, i, ncounts, cy,
						  o.perf_ctl ? &pctl : NULL, rep.ctrs,
						  o.nccl_compat ? &cb_nccl_sink : &cb_table_sink };
			if (i || cy) {
				/* Placement is planned afresh for every rank count. */
				cb_placement_fini(&pl);
				cb_placement_init(&pl, &o);
			}
			cb_placement_plan(&pl, counts[i]);
			cb_bench_run(&o, inject, &plans[i], &pl, &io);
			prog.base += plans[i].npoints;
		}
	}
	rep.sum.interrupted = cb_bench_stop;
	cb_progress_fini(&prog);
	if (o.perf_ctl)
		cb_perf_ctl_close(&pctl);
	cb_results_finish(&rep, o.baseline ? &base : NULL);
	cb_report_footer(out, &rep);
	if (silent)
		;   /* rank 0 warns */
	else if (rep.sum.min_busbw_failed)
		cb_warn("average bus bandwidth %g GB/s is below --min-busbw %g", rep.sum.avg_busbw,
			o.min_busbw);
	if (silent)
		;
	else if (o.baseline && !rep.sum.baseline_compared)
		cb_warn("--baseline '%s': no row of this run matches a row of the baseline",
			o.baseline);
	else if (rep.sum.nregs)
		cb_warn("%zu row half(s) slower than --baseline '%s' by more than %g%% (see the footer)",
			rep.sum.nregs, o.baseline, o.max_regression);
	write_output(&outs[0], &rep, cb_report_json);
	write_output(&outs[1], &rep, cb_report_csv);

	{
		/* MPI: one wrong rank fails the run everywhere (rank 0 saw every
		 * rank's counts; the others agree with it) */
		int status = cb_transport_finish(silent ? CB_EXIT_OK : rep.sum.exit_status);
		if (o.baseline)
			cb_baseline_free(&base);
		cb_results_free(&rep);
		for (int i = 0; i < ncounts; i++)
			cb_plan_free(&plans[i]);
		free(plans);
		cb_placement_fini(&pl);
		free(argv_given);
		return status;
	}
}
