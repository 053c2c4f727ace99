/* main.c: argv -> options -> plans (one per rank count) -> placement ->
 * runs -> records -> printers (table | JSON | CSV) -> gates -> status */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
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
#include "collbench/optenum.h"
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
	for (unsigned i = 0; i < cb_enum_inject.n; i++)
		fprintf(f, "  %-16s %s\n", cb_enum_inject.v[i].name, cb_enum_inject.v[i].about);
}

/* collbench topo, --show-placement: the rank map of one rank count (verified
 * by a probe thread per rank on this system; planned on a described one),
 * after the topology with its NUMA nodes for the first (first). No pid or
 * host name: the output of a described machine is deterministic. Shown
 * from snapshots, as the run's header is. */
static void show_placement(FILE *f, const struct cb_machine_snap *m,
			   const struct cb_place_snap *s, bool first)
{
	char *topo = cb_snap_topology_text(m, true), *map = cb_snap_map_text(m, s, NULL, 0, NULL);
	if (first) {
		fprintf(f, "# collbench version %s hwloc %s libnuma %s\n", CB_VERSION,
			cb_placement_hwloc_version(), cb_placement_numa_version());
		cb_snap_print(f, topo);
	} else {
		fprintf(f, "#\n");
	}
	cb_snap_print(f, map);
	free(topo);
	free(map);
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

/* Under MPI only rank 0 writes the files, so only it checks them; its
 * verdict goes to every rank (the largest status), and a usage error there ends
 * every rank at once with rank 0's status, said once by rank 0. Without
 * it, rank 0 left alone and the others waited for it in setup until the
 * watchdog's 60 s (MPICH: hydra saw rank 0 leave properly, mpi_leave.c). */
static jmp_buf rank0_jmp;
static volatile int rank0_status;

static void rank0_die(int status)
{
	rank0_status = status;
	longjmp(rank0_jmp, 1);
}

static void check_outputs_everywhere(const struct cb_options *o)
{
	int status = 0;
	if (!cb_xport.mpi) {
		check_outputs(o);
		return;
	}
	if (cb_xport.rank == 0) {
		void (*hook)(int) = cb_die_hook;
		if (!setjmp(rank0_jmp)) {
			cb_die_hook = rank0_die;
			check_outputs(o);
		}
		cb_die_hook = hook;
		status = rank0_status;
	}
	/* A reduction, not the exchange's broadcast: the broadcast is the
	 * exchange's alone (test/hosts/hang_bcast.c stalls the first one). */
	status = cb_mpi_max_int(status);
	if (status)
		exit(status);
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

/* Everything main's steps share, from the options to the exit status. */
struct run_ctx {
	struct cb_options o;
	struct cb_placement pl;
	struct cb_plan *plans;
	int counts[CB_MAX_RANKS], ncounts;
	size_t total;          /* rows of all plans, for the progress line */
	int auto_capped;       /* -g auto: the PUs when above CB_MAX_RANKS */
	bool topo, silent;
	struct cb_report rep;
	struct cb_baseline base;
	struct cb_progress prog;
	struct cb_perf_ctl pctl;
	FILE *out;
	char **argv_given;     /* argv before getopt_long permuted it */
	int argc;
};

/* topo, --show-placement: the topology once, the rank map per rank count
 * (re-planned on the topology loaded once). */
static int show_placements(struct run_ctx *x)
{
	struct cb_placement *pl = &x->pl;
	struct cb_machine_snap m = { 0 };
	for (int i = 0; i < x->ncounts; i++) {
		struct cb_place_snap s;
		cb_placement_plan(pl, x->counts[i]);
		cb_placement_probe(pl);
		if (!i)
			cb_machine_snap_take(&m, pl);
		cb_place_snap_take(&s, pl);
		show_placement(stdout, &m, &s, !i);
		if (!i)
			note_capped(stdout, x->auto_capped);
		cb_snap_enforce(&m, &s, stdout);
		cb_place_snap_free(&s);
	}
	cb_machine_snap_free(&m);
	for (int i = 0; !x->topo && i < x->ncounts; i++)
		cb_plan_free(&x->plans[i]);
	free(x->plans);
	cb_placement_fini(pl);
	return CB_EXIT_OK;
}

/* --help, --version, list: answered without running anything; -1: none
 * of them. */
static int info_commands(const struct cb_options *o)
{
	if (o->help) {
		cb_options_usage(stdout);
		return CB_EXIT_OK;
	}
	if (o->version) {
		printf("collbench %s\n", CB_VERSION);
		return CB_EXIT_OK;
	}
	cb_mpi_native_register();
	for (int i = 0; i < o->nplugins; i++)
		cb_plugin_load(o->plugins[i]);
	if (!strcmp(o->command, "list")) {
		if (o->list_names)
			cb_registry_print_names(stdout);
		else
			list(stdout);
		return CB_EXIT_OK;
	}
	if (o->list_names)
		cb_die(CB_EXIT_USAGE, "--names is an option of 'collbench list' only (see 'collbench --help')");
	return -1;
}

/* The transport (MPI or threads) and what it changes in the options. */
static void start_transport(struct run_ctx *x)
{
	/* topo and --show-placement describe this process's machine: threads. */
	if (!x->topo && !x->o.show_placement)
		cb_transport_start(&x->o);
	if (x->o.inject == CB_INJECT_DIE && !cb_xport.mpi)
		cb_die(CB_EXIT_UNSUPPORTED, "--inject die needs the MPI transport (a rank is a "
		       "process there; rank threads cannot die alone)");
	if (cb_xport.mpi)
		x->o.place.bind = CB_BIND_NONE;   /* the launcher binds the processes */
	/* Only MPI rank 0 reports; the other ranks write nothing on stdout. */
	x->silent = cb_xport.mpi && cb_xport.rank != 0;
}

/* -g's counts on this machine (auto: one rank per available PU). */
static void resolve_counts(struct run_ctx *x)
{
	const struct cb_options *o = &x->o;
	x->ncounts = o->nrank_counts;
	for (int i = 0; i < x->ncounts; i++) {
		x->counts[i] = o->rank_counts[i] ? o->rank_counts[i] : x->pl.npus;
		/* -g auto on a machine with more PUs than the largest count
		 * collbench validates (and -g N accepts): that count, said in
		 * the header. */
		if (!o->rank_counts[i] && x->counts[i] > CB_MAX_RANKS) {
			x->counts[i] = CB_MAX_RANKS;
			x->auto_capped = x->pl.npus;
		}
	}
	if (cb_xport.mpi) {
		x->ncounts = 1;
		x->counts[0] = cb_xport.size;
	}
	/* A fault between ranks needs two of them (else the run would pass
	 * and prove nothing). */
	for (int i = 0; o->inject == CB_INJECT_DROP_NOTIFY && i < x->ncounts; i++)
		if (x->counts[i] < 2)
			cb_die(CB_EXIT_USAGE, "--inject drop-notify needs at least 2 ranks (-g %d)",
			       x->counts[i]);
}

/* Every plan before anything runs: a usage error prints nothing on stdout. */
static void build_plans(struct run_ctx *x)
{
	x->plans = cb_xcalloc((size_t)x->ncounts, sizeof *x->plans);
	for (int i = 0; !x->topo && i < x->ncounts; i++) {
		cb_plan_build(&x->plans[i], &x->o, x->counts[i], x->pl.npus);
		x->total += x->plans[i].npoints;
	}
	/* A run on a described machine would report a placement that never
	 * happened (hwloc binds nothing there): only topo and --show-placement
	 * may plan on one. */
	if (!x->pl.thissystem && !x->topo && !x->o.show_placement) {
		if (x->o.place.topology)
			cb_die(CB_EXIT_USAGE, "--topology '%s' is not this system: a run cannot be placed "
			       "on it; use 'collbench topo' or --show-placement (see 'collbench --help')",
			       x->o.place.topology);
		cb_die(CB_EXIT_USAGE, "the hwloc topology from HWLOC_XMLFILE/HWLOC_SYNTHETIC is not "
		       "this system: a run cannot be placed on it; use 'collbench topo' or "
		       "--show-placement (see 'collbench --help')");
	}
}

/* Files, perf and memory, checked before anything runs or prints. */
static void prepare_run(struct run_ctx *x)
{
	const struct cb_options *o = &x->o;
	cb_plans_check_runnable(x->plans, x->ncounts);   /* exit 5 if nothing applies */
	check_outputs_everywhere(o);
	if (o->baseline)
		cb_baseline_load(&x->base, o->baseline);
	/* perf must be listening before anything runs or prints. */
	if (o->perf_ctl) {
		const char *why;
		if (cb_perf_ctl_open_fifos(&x->pctl, &o->perf_fifos, &why))
			cb_die(CB_EXIT_USAGE, "--perf-ctl '%s': %s (see PROFILING in collbench(1))",
			       o->perf_ctl, why);
	}
	/* Memory before anything is allocated (or printed): a plan the
	 * machine cannot hold is status 2 at once, not a swap storm, an OOM
	 * kill or a watchdog "hang" in setup. */
	for (int i = 0; i < x->ncounts; i++) {
		char what[96], sz[32];
		cb_mem_human(sz, sizeof sz, o->maxbytes);
		snprintf(what, sizeof what, "%d rank%s at -e %s", x->counts[i],
			 x->counts[i] == 1 ? "" : "s", sz);
		cb_mem_check(cb_bench_mem_need(o, &x->plans[i], x->pl.npus), what);
	}
	atexit(remove_unfinished);
	cb_bench_timeout_hook = remove_unfinished;
	/* Before the temporary files exist: a signal from here on stops the
	 * run (none started: no rows) and they are renamed or removed. */
	catch_signals();
	if (!x->silent) {
		cb_outfile_open(&outs[0]);
		cb_outfile_open(&outs[1]);
	}
	/* Machine-readable output on stdout moves the table to stderr. */
	x->out = outs[0].to_stdout || outs[1].to_stdout ? stderr : stdout;
	if (x->silent && !(x->out = fopen("/dev/null", "w")))
		cb_die(CB_EXIT_RESOURCE, "cannot open /dev/null: %s", strerror(errno));
}

/* -N: the whole sweep o.cycles times, 0: until a signal. The topology was
 * loaded once; each rank count is a new plan on it. */
static void run_cycles(struct run_ctx *x)
{
	const struct cb_options *o = &x->o;
	for (long cy = 0; !cb_bench_stopped() && (o->cycles == 0 || cy < o->cycles); cy++) {
		x->rep.cycle = cy;
		x->prog.base = 0;
		for (int i = 0; i < x->ncounts && !cb_bench_stopped(); i++) {
			struct cb_bench_io io = { x->out, &x->rep, &x->prog, i, x->ncounts, cy,
						  o->perf_ctl ? &x->pctl : NULL, x->rep.ctrs,
						  o->nccl_compat ? &cb_nccl_sink : &cb_table_sink };
			cb_placement_plan(&x->pl, x->counts[i]);
			cb_bench_run(o, o->inject, &x->plans[i], &x->pl, &io);
			x->prog.base += x->plans[i].npoints;
		}
	}
}

/* The gates' warnings (MPI: rank 0 warns, for every rank). */
static void warn_gates(const struct run_ctx *x)
{
	const struct cb_options *o = &x->o;
	const struct cb_summary *sum = &x->rep.sum;
	if (x->silent)
		return;
	if (sum->min_busbw_failed)
		cb_warn("average bus bandwidth %g GB/s is below --min-busbw %g", sum->avg_busbw,
			o->min_busbw);
	if (o->baseline && !sum->baseline_compared)
		cb_warn("--baseline '%s': no row of this run matches a row of the baseline",
			o->baseline);
	else if (sum->nregs)
		cb_warn("%zu row half(s) slower than --baseline '%s' by more than %g%% (see the footer)",
			sum->nregs, o->baseline, o->max_regression);
}

/* The table's own write status, the MPI agreement, and the cleanup. */
static int finish(struct run_ctx *x)
{
	/* MPI: one wrong rank fails the run everywhere (rank 0 saw every
	 * rank's counts; the others agree with it) */
	int status = x->silent ? CB_EXIT_OK : x->rep.sum.exit_status;
	/* The table is an output too: a write that failed (a full disk,
	 * /dev/full) is status 2, unless a signal (SIGPIPE: the reader
	 * left) already says how the run ended. The close is checked
	 * as well: it is the last write. */
	if (!x->silent && x->out == stdout && !x->rep.sum.interrupted) {
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
	if (!x->silent && x->rep.sum.interrupted) {
		fflush(x->out);
		fflush(stderr);
	}
	status = cb_transport_finish(status);
	if (x->o.baseline)
		cb_baseline_free(&x->base);
	cb_results_free(&x->rep);
	for (int i = 0; i < x->ncounts; i++)
		cb_plan_free(&x->plans[i]);
	free(x->plans);
	cb_placement_fini(&x->pl);
	free(x->argv_given);
	return status;
}

int main(int argc, char **argv)
{
	static struct run_ctx x;   /* static: large, and still reachable at exit */
	const struct cb_options *o = &x.o;
	int status;

	/* The file subcommands read -J files and run nothing: their own
	 * options (plot's -o is not -o/--op). */
	if (argc > 1 && !strcmp(argv[1], "plot"))
		return cb_plot_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "compare"))
		return cb_compare_main(argc - 1, argv + 1);
	/* getopt_long permutes argv: keep the command line as given. */
	x.argc = argc;
	x.argv_given = cb_xcalloc((size_t)argc + 1, sizeof *x.argv_given);
	memcpy(x.argv_given, argv, (size_t)argc * sizeof *argv);
	/* Under an MPI launcher every rank parses the same command line: its
	 * usage errors are said once, by rank 0; so are the transport's start
	 * (usage and unsupported alike) and the plans' (the command line and
	 * the rank count). The topology and the files are each host's own:
	 * their errors are said by every rank that finds one. */
	cb_usage_quiet = cb_transport_env_rank() > 0;
	cb_options_parse(&x.o, argc, argv);
	if ((status = info_commands(o)) >= 0)
		return status;
	x.topo = !strcmp(o->command, "topo");
	start_transport(&x);
	cb_usage_quiet = false;
	cb_placement_init(&x.pl, &o->place);   /* the topology, loaded once */
	if (o->cold_cache && !o->cache_size)   /* before plans: they size the buffer sets */
		x.o.cache_size = cb_cold_llc(x.pl.topo) ? cb_cold_llc(x.pl.topo) : CB_COLD_DEFAULT_LLC;
	cb_usage_quiet = cb_xport.mpi && cb_xport.rank != 0;
	resolve_counts(&x);
	build_plans(&x);
	cb_usage_quiet = false;
	if (x.topo || o->show_placement)
		return show_placements(&x);
	prepare_run(&x);

	cb_results_init(&x.rep, o, x.argc, x.argv_given);
	x.rep.ctrs = o->counters ? &o->counter_set : NULL;
	cb_results_memory(&x.rep, x.plans, x.ncounts);   /* -M */
	cb_progress_init(&x.prog, isatty(2) && !o->quiet && !x.silent, x.total);
	cb_report_preamble(x.out, o, x.counts, x.ncounts);
	note_capped(x.out, x.auto_capped);
	run_cycles(&x);
	x.rep.sum.interrupted = cb_bench_stopped();
	cb_progress_fini(&x.prog);
	if (o->perf_ctl)
		cb_perf_ctl_close(&x.pctl);
	cb_results_finish(&x.rep, o->baseline ? &x.base : NULL);
	cb_report_footer(x.out, &x.rep);
	warn_gates(&x);
	write_output(&outs[0], &x.rep, cb_report_json);
	write_output(&outs[1], &x.rep, cb_report_csv);
	return finish(&x);
}
