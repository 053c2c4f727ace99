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
#include "collbench/compare.h"
#include "collbench/inject.h"
#include "collbench/coldcache.h"
#include "collbench/memcheck.h"
#include "collbench/options.h"
#include "collbench/outfile.h"
#include "collbench/perf.h"
#include "collbench/placement.h"
#include "collbench/plan.h"
#include "collbench/plot.h"
#include "collbench/plugin_load.h"
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
				fprintf(f, "      %-14s %s%s%s%s\n", cb_algos[k]->name,
					cb_algos[k]->summary, cb_algos[k]->plugin ? " [plug-in " : "",
					cb_algos[k]->plugin ? cb_algos[k]->plugin : "",
					cb_algos[k]->plugin ? "]" : "");
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

/* -J and --csv files (outfile.h): checked before any work, written to a
 * temporary file beside the target and renamed into place when complete;
 * a run that dies first removes only its temporary files. */
static struct cb_outfile outs[2];

static void remove_unfinished(void)
{
	for (size_t i = 0; i < CB_ARRAY_LEN(outs); i++)
		cb_outfile_discard(&outs[i]);
}

static void check_outputs(const struct cb_options *o)
{
	cb_outfile_check(&outs[0], "-J/--json", o->json_path, o->force);
	cb_outfile_check(&outs[1], "--csv", o->csv_path, o->force);
	if (cb_outfile_same(&outs[0], &outs[1]))
		cb_die(CB_EXIT_USAGE, "-J/--json '%s' and --csv '%s' are the same file",
		       o->json_path, o->csv_path);
	/* The baseline is read before the run and must survive any run. */
	for (size_t i = 0; o->baseline && i < CB_ARRAY_LEN(outs); i++)
		if (cb_outfile_is(&outs[i], o->baseline))
			cb_die(CB_EXIT_USAGE, "%s '%s' is the --baseline file; write the new "
			       "results elsewhere", outs[i].opt, outs[i].path);
}

static void write_output(struct cb_outfile *of, const struct cb_report *rep,
			 void (*print)(FILE *, const struct cb_report *))
{
	if (!of->f)
		return;
	print(of->f, rep);
	if (cb_outfile_commit(of))
		cb_die(CB_EXIT_RESOURCE, "%s: cannot write '%s': %s", of->opt, of->path,
		       strerror(errno));
}

/* SIGINT, SIGTERM, SIGHUP, SIGPIPE: the ranks stop after the current row
 * (bench.c), the rows so far and the footer are reported, the files are
 * written, the status is 128 + signal. The handler only stores the signal
 * (errno saved: it may interrupt a write whose errno is still to be read).
 * A second signal ends the process at once, by that signal, after removing
 * the temporary output files (unlink is async-signal-safe), so no partial
 * file is ever left at a target. SIGPIPE repeats at every write to the
 * closed pipe and never escalates. Installed even where the signal was
 * ignored (a non-interactive shell's background job). */
static void on_signal(int sig)
{
	int saved = errno, none = 0;
	if (!atomic_compare_exchange_strong_explicit(&cb_bench_stop, &none, sig,
						     memory_order_relaxed, memory_order_relaxed) &&
	    sig != SIGPIPE) {
		remove_unfinished();
		signal(sig, SIG_DFL);
		raise(sig);   /* delivered when the handler returns */
	}
	errno = saved;
}

static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < CB_ARRAY_LEN(sigs); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < CB_ARRAY_LEN(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void note_capped(FILE *f, int npus)
{
	if (npus)
		fprintf(f, "# -g auto: %d PUs, capped at %d ranks (the largest rank count)\n",
			npus, CB_MAX_RANKS);
}

/* topo, --show-placement: the topology once, the rank map per rank count. */
static int show_placements(const struct cb_options *o, struct cb_placement *pl,
			   const int *counts, int n, struct cb_plan *plans, bool topo, int capped)
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
			note_capped(stdout, capped);
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
	int auto_capped = 0;   /* -g auto: the PUs when above CB_MAX_RANKS */
	static char **argv_given;   /* static: still reachable at exit */

	/* The file subcommands read -J files and run nothing: their own
	 * options (plot's -o is not -o/--op). */
	if (argc > 1 && !strcmp(argv[1], "plot"))
		return cb_plot_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "compare"))
		return cb_compare_main(argc - 1, argv + 1);
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
	cb_mpi_native_register();
	for (int i = 0; i < o.nplugins; i++)
		cb_plugin_load(o.plugins[i]);
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
	if (o.cold_cache && !o.cache_size)   /* before plans: they size the buffer sets */
		o.cache_size = cb_cold_llc(pl.topo) ? cb_cold_llc(pl.topo) : CB_COLD_DEFAULT_LLC;
	ncounts = o.nrank_counts;
	for (int i = 0; i < ncounts; i++) {
		counts[i] = o.rank_counts[i] ? o.rank_counts[i] : pl.npus;
		/* -g auto on a machine with more PUs than the largest count
		 * collbench validates (and -g N accepts): that count, said in
		 * the header. */
		if (!o.rank_counts[i] && counts[i] > CB_MAX_RANKS) {
			counts[i] = CB_MAX_RANKS;
			auto_capped = pl.npus;
		}
	}
	if (cb_xport.mpi) {
		ncounts = 1;
		counts[0] = cb_xport.size;
	}
	/* A fault between ranks needs two of them (else the run would pass
	 * and prove nothing). */
	for (int i = 0; inject == CB_INJECT_DROP_NOTIFY && i < ncounts; i++)
		if (counts[i] < 2)
			cb_die(CB_EXIT_USAGE, "--inject drop-notify needs at least 2 ranks (-g %d)",
			       counts[i]);
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
		return show_placements(&o, &pl, counts, ncounts, plans, topo, auto_capped);
	cb_plans_check_runnable(plans, ncounts);   /* exit 5 if nothing applies */

	if (!silent)
		check_outputs(&o);
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
	/* Memory before anything is allocated (or printed): a plan the
	 * machine cannot hold is status 2 at once, not a swap storm, an OOM
	 * kill or a watchdog "hang" in setup. */
	for (int i = 0; i < ncounts; i++) {
		char what[96], sz[32];
		cb_mem_human(sz, sizeof sz, o.maxbytes);
		snprintf(what, sizeof what, "%d rank%s at -e %s", counts[i],
			 counts[i] == 1 ? "" : "s", sz);
		cb_mem_check(cb_bench_mem_need(&o, &plans[i], pl.npus), what);
	}
	atexit(remove_unfinished);
	cb_bench_timeout_hook = remove_unfinished;
	/* Before the temporary files exist: a signal from here on stops the
	 * run (none started: no rows) and they are renamed or removed. */
	catch_signals();
	if (!silent) {
		cb_outfile_open(&outs[0]);
		cb_outfile_open(&outs[1]);
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
	note_capped(out, auto_capped);
	/* -N: the whole sweep o.cycles times, 0: until a signal. */
	for (long cy = 0; !cb_bench_stopped() && (o.cycles == 0 || cy < o.cycles); cy++) {
		rep.cycle = cy;
		prog.base = 0;
		for (int i = 0; i < ncounts && !cb_bench_stopped(); i++) {
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
	rep.sum.interrupted = cb_bench_stopped();
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
		int status = silent ? CB_EXIT_OK : rep.sum.exit_status;
		/* The table is an output too: a write that failed (a full disk,
		 * /dev/full) is status 2, unless a signal (SIGPIPE: the reader
		 * left) already says how the run ended. The close is checked
		 * as well: it is the last write. */
		if (!silent && out == stdout && !rep.sum.interrupted) {
			const char *why = NULL;
			errno = 0;
			if (fflush(stdout))
				why = strerror(errno);
			else if (ferror(stdout))
				why = "a write failed";   /* its errno is long gone */
			else if (fclose(stdout))
				why = strerror(errno);
			if (why) {
				cb_warn("cannot write the table to stdout: %s", why);
				status = CB_EXIT_RESOURCE;
			}
		}
		/* Interrupted: the rows and footer leave now, before the MPI
		 * agreement and finalize, during which Open MPI's launcher
		 * sends SIGKILL 1 s after its SIGTERM (issue 19, finding 6);
		 * a pipe's stdio buffer would otherwise die with the process. */
		if (!silent && rep.sum.interrupted) {
			fflush(out);
			fflush(stderr);
		}
		status = cb_transport_finish(status);
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
