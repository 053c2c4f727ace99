/* options.c: one table of option descriptors; getopt_long's arrays, the
 * defaults and --help are all derived from it. Defaults are strings run
 * through the same setters as user input (fio's way), so a default can never
 * be a value the parser would reject. The setters and the parser are
 * options_parse.c's (split off when this file passed 600 lines); an
 * enumerated option's names are its optenum.h table, which --help lists. */
#include <stdio.h>

#include "collbench/coll.h"
#include "collbench/common.h"
#include "options_int.h"

/* The rows give the fields up to hi in order, then .given and .enums by
 * name where the option has them; the rest are zero, which -Wextra would
 * otherwise flag on every row. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* nccl-tests' options that have no meaning on CPU ranks. */
#define GPU_ONLY(NAME, LETTER, WHAT)                                                   \
	{ NAME, LETTER, "N", NULL, "nccl-tests' " WHAT ": accepted, noted in the header, no effect on CPU ranks", \
	  cb_set_gpu_only, 0, 0, 0 }

const struct cb_optdesc cb_optdescs[] = {
	{ "nranks", 'g', "N|A:B|LIST", "auto", "rank threads (1..512; auto: one per available PU); sweeps: A:B doubles from A up to B, A:B:+S steps by S, A:B:*F multiplies by F, N,N,... runs each count",
	  cb_set_nranks, FIELD(nranks), 1, CB_MAX_RANKS, .given = GIVEN(nranks_set) },
	{ "ngpus", 0, "N|A:B|LIST", NULL, "nccl-tests' name of -g/--nranks",
	  cb_set_nranks, FIELD(nranks), 1, CB_MAX_RANKS, .given = GIVEN(nranks_set) },
	{ "nthreads", 't', "N", "1", "threads per process, as nccl-tests' -t: the rank count is N x each -g count",
	  cb_set_long, FIELD(nthreads), 1, CB_MAX_RANKS },
	{ "minbytes", 'b', "SIZE", "32M", "smallest message size (K, M, G suffixes, base 1024), or a comma list of sizes (-b 8,1K,1M, no -e)",
	  cb_set_sizes, FIELD(minbytes), 0, 0, .given = GIVEN(minbytes_set) },
	{ "maxbytes", 'e', "SIZE", "32M", "largest message size, or a comma list of sizes (as -b's)",
	  cb_set_sizes, FIELD(maxbytes), 0, 0, .given = GIVEN(maxbytes_set) },
	{ "stepbytes", 'i', "SIZE", "1M", "additive size step; used when -i is given without -f, or -f <= 1",
	  cb_set_size, FIELD(stepbytes), 0, 0, .given = GIVEN(stepbytes_set) },
	{ "stepfactor", 'f', "F", "2", "multiplicative size step (> 1), default unless only -i is given",
	  cb_set_long, FIELD(stepfactor), 0, 1L << 20, .given = GIVEN(stepfactor_set) },
	{ "iters", 'n', "N", "20", "timed iterations per row",
	  cb_set_long, FIELD(iters), 1, 1L << 30 },
	{ "agg_iters", 'm', "N", "1", "calls per timed iteration (nccl-tests' aggregated iterations); times are per call",
	  cb_set_long, FIELD(agg_iters), 1, 1L << 20 },
	{ "warmup_iters", 'w', "N", "5", "untimed warm-up iterations per row",
	  cb_set_long, FIELD(warmup), 0, 1L << 30 },
	{ "check", 'c', "N", "1", "check iterations per row, back to back, new inputs each (0: off)",
	  cb_set_long, FIELD(check), 0, 1L << 20 },
	{ "average", 'a', "0|1|2|3", "1", "combine per-rank mean times: 0 rank 0, 1 avg, 2 min, 3 max",
	  cb_set_long, FIELD(average), 0, 3 },
	{ "blocking", 'z', "0|1|2|3", "0", "0 back to back; 1 barrier after each call (timed); 2 as 0; 3 barrier after each call (untimed)",
	  cb_set_long, FIELD(blocking), 0, 3 },
	{ "timeout", 'T', "SECONDS", "60", "fail with status 4 when no rank progresses this long (0: off)",
	  cb_set_seconds, FIELD(timeout), 0, 0 },
	{ "algo", 'A', "LIST", "all", "algorithms, comma-separated, or all",
	  cb_set_string, FIELD(algos), 0, 0, .given = GIVEN(algos_set) },
	{ "datatype", 'd', "TYPE", "float", "datatype, or all",
	  cb_set_string, FIELD(dtypes), 0, 0 },
	{ "op", 'o', "OP", "sum", "reduction op, or all",
	  cb_set_string, FIELD(ops), 0, 0 },
	{ "root", 'r', "ROOT", "0", "root rank of rooted collectives, or all",
	  cb_set_string, FIELD(root), 0, 0 },
	{ "skew", 0, "F", "0", "v-collectives: block k of P holds max(0, C*(1+F*(2k-P+1)/(P-1))) elements, C the mean (0..8; 0: balanced; >= 1: zero-size blocks)",
	  cb_set_skew, FIELD(skew), 0, 0 },
	{ "per_iter_timing", 'I', "0|1", "0", "1: per-iteration columns i_min i_p50 i_p95 i_p99 i_max (us), i_cv% and the straggler rank after each row; JSON/CSV keep every sample (times_us, rank_means_us)",
	  cb_set_long, FIELD(per_iter), 0, 1 },
	{ "per_iter_skip", 'K', "N", "0", "with -I 1: leave the first N timed iterations out of the per-iteration statistics",
	  cb_set_long, FIELD(per_iter_skip), 0, 1L << 30 },
	{ "latency", 0, NULL, NULL, "OSU-like latency view: one line per row half with avg, min, max, p50, p95, p99 in us",
	  cb_set_flag, FIELD(latency), 0, 0 },
	{ "json", 'J', "FILE", NULL, "write every row with its statistics as JSON to FILE (-: stdout; the table then goes to stderr)",
	  cb_set_string, FIELD(json_path), 0, 0 },
	{ "output_file", 0, "FILE", NULL, "nccl-tests' name of -J/--json",
	  cb_set_string, FIELD(json_path), 0, 0 },
	{ "csv", 0, "FILE", NULL, "write every row with its statistics as CSV (RFC 4180) to FILE (-: stdout; the table then goes to stderr)",
	  cb_set_string, FIELD(csv_path), 0, 0 },
	{ "force", 0, NULL, NULL, "let -J/--csv replace an existing non-empty file (else status 6)",
	  cb_set_flag, FIELD(force), 0, 0 },
	{ "roofline", 0, "on|off", "on", "measure the copy bandwidth of the ranks' own buffers at each size, with the run's placement, and report memory efficiency E",
	  cb_set_onoff, FIELD(roofline), 0, 0, .enums = &cb_enum_onoff },
	{ "min-busbw", 0, "GBPS", NULL, "fail with status 7 if the average bus bandwidth is below GBPS",
	  cb_set_seconds, FIELD(min_busbw), 0, 0, .given = GIVEN(min_busbw_set) },
	{ "baseline", 0, "FILE", NULL, "compare every row half with a JSON file written by -J; a slowdown above --max-regression fails with status 7",
	  cb_set_string, FIELD(baseline), 0, 0 },
	{ "max-regression", 0, "PCT", "10", "with --baseline: the largest allowed growth of a row half's time, percent",
	  cb_set_seconds, FIELD(max_regression), 0, 0, .given = GIVEN(max_regression_set) },
	{ "quiet", 'q', NULL, NULL, "no progress line on stderr",
	  cb_set_flag, FIELD(quiet), 0, 0 },
	{ "run_cycles", 'N', "N", "1", "run the whole sweep N times (0: until a signal: SIGINT, SIGTERM, SIGHUP)",
	  cb_set_long, FIELD(cycles), 0, 1L << 30 },
	{ "duration", 0, "SECONDS", "0", "run each row half's timed loop for about SECONDS instead of -n iterations (0: off)",
	  cb_set_seconds, FIELD(duration), 0, 0 },
	{ "time-per-size", 0, "SECONDS", "0", "bound each row half's timed loop to about SECONDS: at most -n iterations, fewer where they take longer (0: off)",
	  cb_set_seconds, FIELD(time_per_size), 0, 0 },
	{ "report_timestamps", 'S', "0|1", NULL, "timestamp column (local time, %Y-%m-%d %H:%M:%S) after each row; -S alone means -S 1",
	  cb_set_optbool, FIELD(timestamps), 0, 0 },
	{ "report_cputime", 'C', "0|1", "0", "1: the time columns are headed cputime, JSON's nccl-tests key is cpu_time (on CPU ranks the time is CPU wall time either way)",
	  cb_set_long, FIELD(cputime), 0, 1 },
	{ "memory", 'M', "0|1", "0", "1: a footer line with the buffer memory of the ranks (send, receive, scratch)",
	  cb_set_long, FIELD(memory_report), 0, 1 },
	{ "unalign", 'u', "N", "0", "nccl-tests' misalignment: send and recv buffers start N elements (N x the type's size in bytes) past page alignment",
	  cb_set_long, FIELD(unalign), 0, 1L << 20 },
	{ "nccl-compat", 0, NULL, NULL, "the table exactly in nccl-tests' layout (no algo or roofline columns), one section per algorithm; -A defaults to auto",
	  cb_set_flag, FIELD(nccl_compat), 0, 0 },
	GPU_ONLY("parallel_init", 'p', "-p"),
	GPU_ONLY("stream_null", 'y', "-y"),
	GPU_ONLY("cudagraph", 'G', "CUDA graph launches"),
	GPU_ONLY("local_register", 'R', "buffer registration"),
	GPU_ONLY("cta_policy", 'x', "CTA policy"),
	GPU_ONLY("device_implementation", 'D', "device implementation"),
	GPU_ONLY("device_cta_count", 'V', "device CTA count"),
	{ "perf-ctl", 0, "CTL,ACK", NULL, "the FIFOs of perf stat's control option: perf counts the timed iterations only (see PROFILING in collbench(1))",
	  cb_set_perf_ctl, FIELD(perf_fifos), 0, 0 },
	{ "counters", 0, "LIST", NULL, "per-rank perf_event_open counters, totals and per iteration: task-clock, context-switches, cpu-migrations, page-faults, cycles, instructions, cache-misses, branch-misses",
	  cb_set_counters, FIELD(counter_set), 0, 0 },
	{ "jitter", 0, "US", "0", "race shaking: random delays up to US microseconds at barriers, check iterations only",
	  cb_set_long, FIELD(jitter_us), 0, 1000000 },
	{ "seed", 0, "N", "1", "seed of --jitter's delays (runs with the same seed delay alike)",
	  cb_set_long, FIELD(seed), 0, 0x7fffffffL },
	{ "wait", 0, "MODE", "auto", "how ranks wait:",
	  cb_set_enum, FIELD(wait), 0, 0, .enums = &cb_enum_wait },
	{ "barrier", 0, "KIND", "auto", "barrier algorithm:",
	  cb_set_enum, FIELD(barrier), 0, 0, .enums = &cb_enum_barrier },
	{ "split", 0, "EXPR", NULL, "concurrent groups as nccl-tests' NCCL_TESTS_SPLIT: rank r joins group r OP n (AND n, OR n, MOD n, DIV n, or &n |n %n /n); every group runs the collective at once, a row's time is the slowest group's (else NCCL_TESTS_SPLIT_MASK=hex, NCCL_TESTS_SPLIT)",
	  cb_set_split, FIELD(split), 0, 0 },
	{ "cold-cache", 0, NULL, NULL, "each timed iteration uses the next of a rotating set of buffers that together exceed twice the last-level cache (IMB's -off_cache)",
	  cb_set_flag, FIELD(cold_cache), 0, 0 },
	{ "off-cache", 0, NULL, NULL, "IMB's name of --cold-cache",
	  cb_set_flag, FIELD(cold_cache), 0, 0 },
	{ "cache-size", 0, "BYTES", NULL, "with --cold-cache: the last-level cache size to defeat (K, M, G; default: the largest cache hwloc reports)",
	  cb_set_cache_size, FIELD(cache_size), 0, 0 },
	{ "inject", 0, "KIND", NULL, "break a run on purpose to show the checker catching it (what each does: collbench list):",
	  cb_set_enum, FIELD(inject), 0, 0, .enums = &cb_enum_inject },
	{ "transport", 0, "MODE", "auto", "how ranks run:",
	  cb_set_enum, FIELD(transport), 0, 0, .enums = &cb_enum_transport },
	{ "mpi-window", 0, "KIND", "auto", "MPI windows:",
	  cb_set_enum, FIELD(mpi_window), 0, 0, .enums = &cb_enum_mpi_window },
	{ "bind", 0, "POLICY", "spread", "rank -> PU policy:",
	  cb_set_enum, FIELD(place.bind), 0, 0, .given = GIVEN(place.bind_set), .enums = &cb_enum_bind },
	{ "cpus", 0, "LIST", NULL, "PUs for ranks by OS index, numactl grammar (0,2,4-7 or all); without --bind rank r runs on the r-th listed PU",
	  cb_set_cpus, FIELD(place.cpus), 0, 0 },
	{ "mem", 0, "POLICY", "local", "rank memory:",
	  cb_set_mem, FIELD(place.mem), 0, 0, .enums = &cb_enum_mem },
	{ "strict-placement", 0, NULL, NULL, "a rank not running on its PU or with pages off its node is an error (status 2), not a warning",
	  cb_set_flag, FIELD(place.strict), 0, 0 },
	{ "topology", 0, "SPEC", NULL, "plan on another machine: FILE.xml (hwloc XML) or synthetic:\"DESC\"; with topo or --show-placement only",
	  cb_set_string, FIELD(place.topology), 0, 0 },
	{ "show-placement", 0, NULL, NULL, "print the topology and the rank placement map, then exit",
	  cb_set_flag, FIELD(show_placement), 0, 0 },
	{ "names", 0, NULL, NULL, "with list: one 'collective algorithm' pair per line, registry order (for scripts)",
	  cb_set_flag, FIELD(list_names), 0, 0 },
	{ "plugin", 0, "FILE.so", NULL, "load algorithms from a plug-in built against collbench/plugin.h (repeatable; marked in collbench list)",
	  cb_set_plugin, FIELD(plugins), 0, 0 },
	{ "help", 'h', NULL, NULL, "show this help and exit",
	  cb_set_flag, FIELD(help), 0, 0 },
	{ "version", 0, NULL, NULL, "show the version and exit",
	  cb_set_flag, FIELD(version), 0, 0 },
};

#pragma GCC diagnostic pop

const size_t cb_noptdescs = CB_ARRAY_LEN(cb_optdescs);

void cb_options_usage(FILE *f)
{
	fprintf(f, "Usage: collbench COLLECTIVE [options]\n"
		   "       collbench all [options]      every collective and algorithm\n"
		   "       collbench list               collectives, algorithms, datatypes, ops\n"
		   "       collbench list --names       one 'collective algorithm' pair per line\n"
		   "       collbench topo [options]     topology and rank placement map (-g, --bind,\n"
		   "                                    --cpus, --mem, --topology), then exit\n"
		   "       collbench plot RUN.json... -o FILE.svg|FILE.html\n"
		   "                                    figures of -J files (collbench plot --help)\n"
		   "       collbench compare BASE.json NEW.json\n"
		   "                                    two -J files side by side (collbench compare --help)\n\n"
		   "Collectives:");
	for (size_t i = 0; i < cb_ncolls; i++)
		fprintf(f, " %s", cb_colls[i]->name);
	fprintf(f, "\n\nOptions:\n");
	for (size_t i = 0; i < cb_noptdescs; i++) {
		const struct cb_optdesc *d = &cb_optdescs[i];
		char left[64];
		int n = d->sname ? snprintf(left, sizeof left, "  -%c, --%s", d->sname, d->lname)
				 : snprintf(left, sizeof left, "      --%s", d->lname);
		if (d->metavar)
			snprintf(left + n, sizeof left - (size_t)n, cb_opt_optional(d) ? " [%s]" : " %s", d->metavar);
		fprintf(f, "%-28s %s", left, d->help);
		if (d->enums && d->set != cb_set_onoff) {
			char vals[1024];
			cb_enum_help(d->enums, vals, sizeof vals);
			fprintf(f, " %s", vals);
		}
		if (d->def)
			fprintf(f, " [%s]", d->def);
		fputc('\n', f);
	}
	fprintf(f, "\nExit status: 0 ok, 2 resource failure or (--strict-placement) a placement\n"
		   "mismatch or no ack from perf, 4 timeout, 5 unsupported, 6 invalid usage,\n"
		   "7 wrong results, 129/130/141/143 interrupted by SIGHUP/SIGINT/SIGPIPE/SIGTERM.\n"
		   "See collbench(1).\n");
}
