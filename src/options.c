/* options.c: one table of option descriptors; getopt_long's arrays, the
 * defaults and --help are all derived from it. Defaults are strings run
 * through the same setters as user input (fio's way), so a default can never
 * be a value the parser would reject. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/coll.h"
#include "collbench/common.h"
#include "collbench/options.h"
#include "collbench/parse.h"
#include "collbench/perf.h"
#include "collbench/plan.h"
#include "collbench/placement.h"
#include "collbench/split.h"
#include "collbench/vcoll.h"

struct cb_optdesc;
typedef const char *(*cb_setter)(struct cb_options *o, const char *arg,
				 const struct cb_optdesc *d);

struct cb_optdesc {
	const char *lname;
	int sname;          /* short letter, or 0 */
	const char *metavar;/* NULL: takes no argument */
	const char *def;    /* default, parsed by set; NULL: none */
	const char *help;
	cb_setter set;
	size_t off;         /* field in struct cb_options */
	long lo, hi;        /* integer range */
};

#define FIELD(f) offsetof(struct cb_options, f)
#define AT(o, d, type) ((type *)((char *)(o) + (d)->off))

static const char *set_long(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	if (cb_parse_long(arg, d->lo, d->hi, AT(o, d, long), &why))
		return why;
	return NULL;
}

static const char *set_size(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	if (cb_parse_size(arg, AT(o, d, size_t), &why))
		return why;
	return NULL;
}

/* -b/-e: one size, or a comma list of sizes (every one > 0, none twice). */
static const char *set_sizes(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	static char why_buf[96];
	const char *why, *p = arg;
	if (!strchr(arg, ','))
		return o->nsizes ? "a size list was given already" : set_size(o, arg, d);
	if (o->nsizes)
		return "only one of -b and -e may be a size list";
	if (arg[strlen(arg) - 1] == ',')
		return "an empty or overlong item in the size list";
	while (*p) {
		char item[64];
		size_t len = strcspn(p, ","), s;
		if (len == 0 || len >= sizeof item)
			return "an empty or overlong item in the size list";
		memcpy(item, p, len);
		item[len] = 0;
		if (cb_parse_size(item, &s, &why))
			return why;
		if (s == 0)
			return "0 in a size list (list sizes must be > 0)";
		for (int i = 0; i < o->nsizes; i++)
			if (o->sizes[i] == s) {
				snprintf(why_buf, sizeof why_buf, "size %zu given twice", s);
				return why_buf;
			}
		if (o->nsizes == CB_MAX_SIZE_LIST)
			return "more than 256 sizes in the list";
		o->sizes[o->nsizes++] = s;
		p += len + (p[len] == ',');
	}
	o->size_list = d->sname;
	return NULL;
}

static const char *set_seconds(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	if (cb_parse_double(arg, 1e6, AT(o, d, double), &why))
		return why;
	return NULL;
}

static const char *set_string(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	if (!*arg)
		return "empty value";
	*AT(o, d, const char *) = arg;
	return NULL;
}

static const char *set_flag(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	(void)arg;
	*AT(o, d, bool) = true;
	return NULL;
}

/* -g: one count, auto, or a sweep (plan.h); nranks is the first count. */
static const char *set_nranks(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	(void)d;
	if (cb_rank_sweep_parse(arg, o->rank_counts, &o->nrank_counts, &why))
		return why;
	o->nranks = o->rank_counts[0];
	return NULL;
}

static const char *set_onoff(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	if (strcmp(arg, "on") && strcmp(arg, "off"))
		return "expected on or off";
	*AT(o, d, bool) = !strcmp(arg, "on");
	return NULL;
}

static const char *set_min_busbw(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why = set_seconds(o, arg, d);
	if (!why)
		o->min_busbw_set = true;
	return why;
}

/* --skew: also the count pattern's global (vcoll.h), which the collective
 * descriptors read; every process parses the same command line. */
static const char *set_skew(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	if (cb_parse_double(arg, CB_SKEW_MAX, AT(o, d, double), &why))
		return why;
	cb_skew_milli = (long)(o->skew * 1000 + 0.5);
	return NULL;
}

/* --cache-size: a size above 0. */
static const char *set_cache_size(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why = set_size(o, arg, d);
	return why ? why : o->cache_size == 0 ? "must be above 0" : NULL;
}

/* --split: the grammar of split.h. */
static const char *set_split(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	struct cb_split_expr e;
	const char *why;
	(void)d;
	if (cb_split_parse(arg, &e, &why))
		return why;
	o->split = arg;
	return NULL;
}

/* The default arrives as d->def itself: only a user's value counts as given. */
static const char *set_max_regression(struct cb_options *o, const char *arg,
				      const struct cb_optdesc *d)
{
	const char *why = set_seconds(o, arg, d);
	if (!why && arg != d->def)
		o->max_regression_set = true;
	return why;
}

static const char *set_bind(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	(void)d;
	return cb_bind_parse(arg, &o->bind, &why) ? why : NULL;
}

static const char *set_mem(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	(void)d;
	return cb_mem_parse(arg, &o->mem, &o->mem_node, &why) ? why : NULL;
}

/* Grammar only here; whether the PUs exist is known once the topology is
 * loaded (placement.c). */
static const char *set_cpus(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	int *v, n;
	(void)d;
	if (cb_cpulist_parse(arg, &v, &n, &why))
		return why;
	free(v);
	o->cpus = arg;
	return NULL;
}

static const char *set_counters(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	struct cb_counter_set set;
	const char *why;
	(void)d;
	if (cb_counters_parse(&set, arg, &why))
		return why;
	o->counters = arg;
	return NULL;
}

static const char *set_perf_ctl(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *comma = strchr(arg, ',');
	(void)d;
	if (!comma || comma == arg || !comma[1])
		return "expected CTL_FIFO,ACK_FIFO";
	o->perf_ctl = arg;
	return NULL;
}

static const char *set_transport(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	(void)d;
	if (strcmp(arg, "auto") && strcmp(arg, "threads") && strcmp(arg, "mpi"))
		return "expected auto, threads or mpi";
	o->transport = arg;
	return NULL;
}

static const char *set_mpi_window(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	(void)d;
	if (strcmp(arg, "auto") && strcmp(arg, "shared") && strcmp(arg, "rma"))
		return "expected auto, shared or rma";
	o->mpi_window = arg;
	return NULL;
}

/* Repeatable: each --plugin adds a file (loaded by main before planning). */
static const char *set_plugin(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	(void)d;
	if (!*arg)
		return "empty value";
	if (o->nplugins == (int)CB_ARRAY_LEN(o->plugins))
		return "too many plug-ins (at most 16)";
	o->plugins[o->nplugins++] = arg;
	return NULL;
}

/* -S [0|1]: alone (collbench's form) it means 1. */
static const char *set_optbool(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	if (*arg && strcmp(arg, "0") && strcmp(arg, "1"))
		return "expected 0 or 1";
	*AT(o, d, bool) = strcmp(arg, "0") != 0;
	return NULL;
}

/* nccl-tests' GPU-only options: any integer is accepted (as nccl-tests'
 * strtol does) and noted once in the header as not applicable. */
static const char *set_gpu_only(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	long v;
	char item[48];
	size_t len = strlen(o->gpu_only);
	if (cb_parse_long(arg, -(1L << 31), 1L << 31, &v, &why))
		return why;
	snprintf(item, sizeof item, "-%c", d->sname);
	if (strstr(o->gpu_only, item))
		return NULL;   /* noted once */
	snprintf(o->gpu_only + len, sizeof o->gpu_only - len, "%s-%c %ld", len ? " " : "",
		 d->sname, v);
	return NULL;
}

/* nccl-tests' options that have no meaning on CPU ranks. */
#define GPU_ONLY(NAME, LETTER, WHAT)                                                   \
	{ NAME, LETTER, "N", NULL, "nccl-tests' " WHAT ": accepted, noted in the header, no effect on CPU ranks", \
	  set_gpu_only, 0, 0, 0 }

static const struct cb_optdesc optdescs[] = {
	{ "nranks", 'g', "N|A:B|LIST", "auto", "rank threads (1..512; auto: one per available PU); sweeps: A:B doubles from A up to B, A:B:+S steps by S, A:B:*F multiplies by F, N,N,... runs each count",
	  set_nranks, FIELD(nranks), 1, CB_MAX_RANKS },
	{ "ngpus", 0, "N|A:B|LIST", NULL, "nccl-tests' name of -g/--nranks",
	  set_nranks, FIELD(nranks), 1, CB_MAX_RANKS },
	{ "nthreads", 't', "N", "1", "threads per process, as nccl-tests' -t: the rank count is N x each -g count",
	  set_long, FIELD(nthreads), 1, CB_MAX_RANKS },
	{ "minbytes", 'b', "SIZE", "32M", "smallest message size (K, M, G suffixes, base 1024), or a comma list of sizes (-b 8,1K,1M, no -e)",
	  set_sizes, FIELD(minbytes), 0, 0 },
	{ "maxbytes", 'e', "SIZE", "32M", "largest message size, or a comma list of sizes (as -b's)",
	  set_sizes, FIELD(maxbytes), 0, 0 },
	{ "stepbytes", 'i', "SIZE", "1M", "additive size step; used when -i is given without -f, or -f <= 1",
	  set_size, FIELD(stepbytes), 0, 0 },
	{ "stepfactor", 'f', "F", "2", "multiplicative size step (> 1), default unless only -i is given",
	  set_long, FIELD(stepfactor), 0, 1L << 20 },
	{ "iters", 'n', "N", "20", "timed iterations per row",
	  set_long, FIELD(iters), 1, 1L << 30 },
	{ "agg_iters", 'm', "N", "1", "calls per timed iteration (nccl-tests' aggregated iterations); times are per call",
	  set_long, FIELD(agg_iters), 1, 1L << 20 },
	{ "warmup_iters", 'w', "N", "5", "untimed warm-up iterations per row",
	  set_long, FIELD(warmup), 0, 1L << 30 },
	{ "check", 'c', "N", "1", "check iterations per row, back to back, new inputs each (0: off)",
	  set_long, FIELD(check), 0, 1L << 20 },
	{ "average", 'a', "0|1|2|3", "1", "combine per-rank mean times: 0 rank 0, 1 avg, 2 min, 3 max",
	  set_long, FIELD(average), 0, 3 },
	{ "blocking", 'z', "0|1|2|3", "0", "0 back to back; 1 barrier after each call (timed); 2 as 0; 3 barrier after each call (untimed)",
	  set_long, FIELD(blocking), 0, 3 },
	{ "timeout", 'T', "SECONDS", "60", "fail with status 4 when no rank progresses this long (0: off)",
	  set_seconds, FIELD(timeout), 0, 0 },
	{ "algo", 'A', "LIST", "all", "algorithms, comma-separated, or all",
	  set_string, FIELD(algos), 0, 0 },
	{ "datatype", 'd', "TYPE", "float", "datatype, or all",
	  set_string, FIELD(dtypes), 0, 0 },
	{ "op", 'o', "OP", "sum", "reduction op, or all",
	  set_string, FIELD(ops), 0, 0 },
	{ "root", 'r', "ROOT", "0", "root rank of rooted collectives, or all",
	  set_string, FIELD(root), 0, 0 },
	{ "skew", 0, "F", "0", "v-collectives: block k of P holds max(0, C*(1+F*(2k-P+1)/(P-1))) elements, C the mean (0..8; 0: balanced; >= 1: zero-size blocks)",
	  set_skew, FIELD(skew), 0, 0 },
	{ "per_iter_timing", 'I', "0|1", "0", "1: per-iteration columns i_min i_p50 i_p95 i_p99 i_max (us), i_cv% and the straggler rank after each row; JSON/CSV keep every sample (times_us, rank_means_us)",
	  set_long, FIELD(per_iter), 0, 1 },
	{ "per_iter_skip", 'K', "N", "0", "with -I 1: leave the first N timed iterations out of the per-iteration statistics",
	  set_long, FIELD(per_iter_skip), 0, 1L << 30 },
	{ "latency", 0, NULL, NULL, "OSU-like latency view: one line per row half with avg, min, max, p50, p95, p99 in us",
	  set_flag, FIELD(latency), 0, 0 },
	{ "json", 'J', "FILE", NULL, "write every row with its statistics as JSON to FILE (-: stdout; the table then goes to stderr)",
	  set_string, FIELD(json_path), 0, 0 },
	{ "output_file", 0, "FILE", NULL, "nccl-tests' name of -J/--json",
	  set_string, FIELD(json_path), 0, 0 },
	{ "csv", 0, "FILE", NULL, "write every row with its statistics as CSV (RFC 4180) to FILE (-: stdout; the table then goes to stderr)",
	  set_string, FIELD(csv_path), 0, 0 },
	{ "force", 0, NULL, NULL, "let -J/--csv replace an existing non-empty file (else status 6)",
	  set_flag, FIELD(force), 0, 0 },
	{ "roofline", 0, "on|off", "on", "measure the copy bandwidth of the ranks' own buffers at each size, with the run's placement, and report memory efficiency E",
	  set_onoff, FIELD(roofline), 0, 0 },
	{ "min-busbw", 0, "GBPS", NULL, "fail with status 7 if the average bus bandwidth is below GBPS",
	  set_min_busbw, FIELD(min_busbw), 0, 0 },
	{ "baseline", 0, "FILE", NULL, "compare every row half with a JSON file written by -J; a slowdown above --max-regression fails with status 7",
	  set_string, FIELD(baseline), 0, 0 },
	{ "max-regression", 0, "PCT", "10", "with --baseline: the largest allowed growth of a row half's time, percent",
	  set_max_regression, FIELD(max_regression), 0, 0 },
	{ "quiet", 'q', NULL, NULL, "no progress line on stderr",
	  set_flag, FIELD(quiet), 0, 0 },
	{ "run_cycles", 'N', "N", "1", "run the whole sweep N times (0: until a signal: SIGINT, SIGTERM, SIGHUP)",
	  set_long, FIELD(cycles), 0, 1L << 30 },
	{ "duration", 0, "SECONDS", "0", "run each row half's timed loop for about SECONDS instead of -n iterations (0: off)",
	  set_seconds, FIELD(duration), 0, 0 },
	{ "time-per-size", 0, "SECONDS", "0", "bound each row half's timed loop to about SECONDS: at most -n iterations, fewer where they take longer (0: off)",
	  set_seconds, FIELD(time_per_size), 0, 0 },
	{ "report_timestamps", 'S', "0|1", NULL, "timestamp column (local time, %Y-%m-%d %H:%M:%S) after each row; -S alone means -S 1",
	  set_optbool, FIELD(timestamps), 0, 0 },
	{ "report_cputime", 'C', "0|1", "0", "1: the time columns are headed cputime, JSON's nccl-tests key is cpu_time (on CPU ranks the time is CPU wall time either way)",
	  set_long, FIELD(cputime), 0, 1 },
	{ "memory", 'M', "0|1", "0", "1: a footer line with the buffer memory of the ranks (send, receive, scratch)",
	  set_long, FIELD(memory_report), 0, 1 },
	{ "unalign", 'u', "N", "0", "nccl-tests' misalignment: send and recv buffers start N elements (N x the type's size in bytes) past page alignment",
	  set_long, FIELD(unalign), 0, 1L << 20 },
	{ "nccl-compat", 0, NULL, NULL, "the table exactly in nccl-tests' layout (no algo or roofline columns), one section per algorithm; -A defaults to auto",
	  set_flag, FIELD(nccl_compat), 0, 0 },
	GPU_ONLY("parallel_init", 'p', "-p"),
	GPU_ONLY("stream_null", 'y', "-y"),
	GPU_ONLY("cudagraph", 'G', "CUDA graph launches"),
	GPU_ONLY("local_register", 'R', "buffer registration"),
	GPU_ONLY("cta_policy", 'x', "CTA policy"),
	GPU_ONLY("device_implementation", 'D', "device implementation"),
	GPU_ONLY("device_cta_count", 'V', "device CTA count"),
	{ "perf-ctl", 0, "CTL,ACK", NULL, "the FIFOs of perf stat's control option: perf counts the timed iterations only (see PROFILING in collbench(1))",
	  set_perf_ctl, FIELD(perf_ctl), 0, 0 },
	{ "counters", 0, "LIST", NULL, "per-rank perf_event_open counters, totals and per iteration: task-clock, context-switches, cpu-migrations, page-faults, cycles, instructions, cache-misses, branch-misses",
	  set_counters, FIELD(counters), 0, 0 },
	{ "jitter", 0, "US", "0", "race shaking: random delays up to US microseconds at barriers, check iterations only",
	  set_long, FIELD(jitter_us), 0, 1000000 },
	{ "seed", 0, "N", "1", "seed of --jitter's delays (runs with the same seed delay alike)",
	  set_long, FIELD(seed), 0, 0x7fffffffL },
	{ "wait", 0, "MODE", "auto", "how ranks wait: auto (spin, then futex; when ranks outnumber PUs a short spin, then sched_yield while yields are quick), spin, yield, futex",
	  set_string, FIELD(wait), 0, 0 },
	{ "barrier", 0, "KIND", "auto", "barrier algorithm: auto (central from 4 ranks per PU, else mesh up to 8 ranks, dissemination above), mesh, dissemination, central",
	  set_string, FIELD(barrier), 0, 0 },
	{ "split", 0, "EXPR", NULL, "concurrent groups as nccl-tests' NCCL_TESTS_SPLIT: rank r joins group r OP n (AND n, OR n, MOD n, DIV n, or &n |n %n /n); every group runs the collective at once, a row's time is the slowest group's (else NCCL_TESTS_SPLIT_MASK=hex, NCCL_TESTS_SPLIT)",
	  set_split, FIELD(split), 0, 0 },
	{ "cold-cache", 0, NULL, NULL, "each timed iteration uses the next of a rotating set of buffers that together exceed twice the last-level cache (IMB's -off_cache)",
	  set_flag, FIELD(cold_cache), 0, 0 },
	{ "off-cache", 0, NULL, NULL, "IMB's name of --cold-cache",
	  set_flag, FIELD(cold_cache), 0, 0 },
	{ "cache-size", 0, "BYTES", NULL, "with --cold-cache: the last-level cache size to defeat (K, M, G; default: the largest cache hwloc reports)",
	  set_cache_size, FIELD(cache_size), 0, 0 },
	{ "inject", 0, "KIND", NULL, "break a run on purpose to show the checker catching it (kinds: collbench list)",
	  set_string, FIELD(inject), 0, 0 },
	{ "transport", 0, "MODE", "auto", "how ranks run: threads (-g rank threads in this process), mpi (one rank per MPI process; the rank count is mpirun's -np; make MPI=1), auto (mpi when built with MPI and started by mpirun, else threads)",
	  set_transport, FIELD(transport), 0, 0 },
	{ "mpi-window", 0, "KIND", "auto", "MPI windows: shared (MPI_Win_allocate_shared, direct loads and stores; one node only), rma (MPI_Win_allocate with put, get and accumulate, as across machines), auto (shared when every rank is on one node)",
	  set_mpi_window, FIELD(mpi_window), 0, 0 },
	{ "bind", 0, "POLICY", "spread", "rank -> PU policy: spread (hwloc_distrib), compact (PUs in order), numa (round-robin over NUMA nodes), none",
	  set_bind, FIELD(bind), 0, 0 },
	{ "cpus", 0, "LIST", NULL, "PUs for ranks by OS index, numactl grammar (0,2,4-7 or all); without --bind rank r runs on the r-th listed PU",
	  set_cpus, FIELD(cpus), 0, 0 },
	{ "mem", 0, "POLICY", "local", "rank memory: local (NUMA node of its PU), interleave (all nodes), node:N",
	  set_mem, FIELD(mem), 0, 0 },
	{ "strict-placement", 0, NULL, NULL, "a rank not running on its PU or with pages off its node is an error (status 2), not a warning",
	  set_flag, FIELD(strict_placement), 0, 0 },
	{ "topology", 0, "SPEC", NULL, "plan on another machine: FILE.xml (hwloc XML) or synthetic:\"DESC\"; with topo or --show-placement only",
	  set_string, FIELD(topology), 0, 0 },
	{ "show-placement", 0, NULL, NULL, "print the topology and the rank placement map, then exit",
	  set_flag, FIELD(show_placement), 0, 0 },
	{ "names", 0, NULL, NULL, "with list: one 'collective algorithm' pair per line, registry order (for scripts)",
	  set_flag, FIELD(list_names), 0, 0 },
	{ "plugin", 0, "FILE.so", NULL, "load algorithms from a plug-in built against collbench/plugin.h (repeatable; marked in collbench list)",
	  set_plugin, FIELD(plugins), 0, 0 },
	{ "help", 'h', NULL, NULL, "show this help and exit",
	  set_flag, FIELD(help), 0, 0 },
	{ "version", 0, NULL, NULL, "show the version and exit",
	  set_flag, FIELD(version), 0, 0 },
};

#define NOPTS CB_ARRAY_LEN(optdescs)

/* set_optbool's value is optional, and may also be the next argument when
 * it is 0 or 1 (-S alone, and nccl-tests' -S 1). */
static bool optval(const struct cb_optdesc *d)
{
	return d->set == set_optbool;
}

static void usage_error(const char *fmt, const char *a, const char *b)
{
	char msg[512];
	snprintf(msg, sizeof msg, fmt, a, b);
	cb_die(CB_EXIT_USAGE, "%s (see 'collbench --help')", msg);
}

static const char *optname(const struct cb_optdesc *d, char *buf, size_t n)
{
	if (d->sname)
		snprintf(buf, n, "-%c/--%s", d->sname, d->lname);
	else
		snprintf(buf, n, "--%s", d->lname);
	return buf;
}

static void apply(struct cb_options *o, const struct cb_optdesc *d, const char *arg)
{
	const char *why = d->set(o, arg, d);
	if (why) {
		char name[64], msg[512];
		snprintf(msg, sizeof msg, "invalid value '%s' for %s: %s", arg,
			 optname(d, name, sizeof name), why);
		cb_die(CB_EXIT_USAGE, "%s (see 'collbench --help')", msg);
	}
	if (d->off == FIELD(stepbytes))
		o->stepbytes_set = true;
	if (d->off == FIELD(stepfactor))
		o->stepfactor_set = true;
	if (d->off == FIELD(minbytes))
		o->minbytes_set = true;
	if (d->off == FIELD(maxbytes))
		o->maxbytes_set = true;
	if (d->off == FIELD(bind))
		o->bind_set = true;
	if (d->off == FIELD(nranks))
		o->nranks_set = true;
	if (d->off == FIELD(algos))
		o->algos_set = true;
}

static const struct cb_optdesc *desc_at(size_t off)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (optdescs[i].off == off && optdescs[i].set != set_gpu_only)
			return &optdescs[i];
	return NULL;
}

/* nccl-tests' meanings that combine options: -t multiplies the -g counts,
 * NCCL_TESTS_MIN_BW is --min-busbw, --nccl-compat runs auto by default. */
static void nccl_tests_rules(struct cb_options *o)
{
	const char *env = getenv("NCCL_TESTS_MIN_BW");
	if (env && *env && !o->min_busbw_set)
		apply(o, desc_at(FIELD(min_busbw)), env);
	for (int i = 0; o->nthreads > 1 && i < o->nrank_counts; i++) {
		char lim[16];
		snprintf(lim, sizeof lim, "%d", CB_MAX_RANKS);
		if (o->rank_counts[i] && o->rank_counts[i] * o->nthreads > CB_MAX_RANKS)
			usage_error("-t/--nthreads x -g/--nranks is above %s ranks%s", lim, "");
		o->rank_counts[i] *= (int)o->nthreads;
	}
	o->nranks = o->rank_counts[0];
	if (o->nccl_compat && !o->algos_set)
		o->algos = "auto";
	if (o->per_iter_skip && !o->per_iter)
		usage_error("-K/--per_iter_skip needs -I 1%s%s", "", "");
	if (o->per_iter_skip >= o->iters)
		usage_error("-K/--per_iter_skip must be below -n/--iters%s%s", "", "");
	if (o->latency && o->nccl_compat)
		usage_error("--latency and --nccl-compat are two different tables%s%s", "", "");
}

/* A size list stands for the whole sweep: no second bound, no step, and
 * --duration's open-ended loop does not combine with a time bound. The
 * bounds become the list's extremes for the checks that read them. */
static void check_size_list(struct cb_options *o)
{
	if (o->time_per_size > 0 && o->duration > 0)
		usage_error("--time-per-size and --duration exclude each other%s%s", "", "");
	if (!o->nsizes)
		return;
	if (o->size_list == 'b' ? o->maxbytes_set : o->minbytes_set)
		usage_error("a size list in %s takes no %s", o->size_list == 'b' ? "-b" : "-e",
			    o->size_list == 'b' ? "-e" : "-b");
	if (o->stepbytes_set || o->stepfactor_set)
		usage_error("-i/-f do not apply to a size list%s%s", "", "");
	o->minbytes = o->maxbytes = o->sizes[0];
	for (int i = 1; i < o->nsizes; i++) {
		o->minbytes = o->sizes[i] < o->minbytes ? o->sizes[i] : o->minbytes;
		o->maxbytes = o->sizes[i] > o->maxbytes ? o->sizes[i] : o->maxbytes;
	}
}

void cb_options_parse(struct cb_options *o, int argc, char **argv)
{
	struct option lopts[NOPTS + 1];
	char sopts[3 * NOPTS + 2], *sp = sopts;
	int c, idx;

	memset(o, 0, sizeof *o);
	for (size_t i = 0; i < NOPTS; i++)
		if (optdescs[i].def)
			optdescs[i].set(o, optdescs[i].def, &optdescs[i]);

	*sp++ = ':'; /* report a missing argument as ':' */
	for (size_t i = 0; i < NOPTS; i++) {
		const struct cb_optdesc *d = &optdescs[i];
		int has = optval(d) ? optional_argument : d->metavar ? required_argument : no_argument;
		lopts[i] = (struct option){ d->lname, has, NULL, d->sname ? d->sname : 0x100 + (int)i };
		if (d->sname) {
			*sp++ = (char)d->sname;
			if (d->metavar)
				*sp++ = ':';
			if (optval(d))
				*sp++ = ':';
		}
	}
	*sp = '\0';
	memset(&lopts[NOPTS], 0, sizeof lopts[NOPTS]);

	opterr = 0;
	optind = 0; /* 0: glibc re-initialises fully, so parsing can run again (fuzzing) */
	while ((c = getopt_long(argc, argv, sopts, lopts, &idx)) != -1) {
		const char *bad = argv[optind - 1];
		if (c == '?') {
			if (optopt && optopt < 0x100) {
				char s[3] = { '-', (char)optopt, 0 };
				usage_error("unknown option '%s'%s", s, "");
			}
			usage_error("unknown option '%s'%s", bad, "");
		}
		if (c == ':')
			usage_error("option '%s' requires an argument%s", bad, "");
		for (size_t i = 0; i < NOPTS; i++) {
			const struct cb_optdesc *d = &optdescs[i];
			const char *arg = optarg ? optarg : "";
			if (c != (d->sname ? d->sname : 0x100 + (int)i))
				continue;
			/* an optional value given as the next argument (-S 1) */
			if (optval(d) && !optarg && optind < argc &&
			    (!strcmp(argv[optind], "0") || !strcmp(argv[optind], "1")))
				arg = argv[optind++];
			apply(o, d, arg);
			break;
		}
	}
	if (optind < argc)
		o->command = argv[optind++];
	if (optind < argc)
		usage_error("unexpected argument '%s'%s", argv[optind], "");

	if (o->help || o->version)
		return;
	if (!o->command)
		usage_error("no collective given; try 'collbench list'%s%s", "", "");
	nccl_tests_rules(o);
	{
		struct cb_split_expr e;
		(void)cb_split_resolve(o, &e);   /* NCCL_TESTS_SPLIT*: exit 6 now */
	}
	if (o->cache_size && !o->cold_cache)
		usage_error("--cache-size needs --cold-cache%s%s", "", "");
	if (o->cpus && o->bind_set && o->bind == CB_BIND_NONE)
		usage_error("--cpus %s conflicts with --bind none%s", o->cpus, "");
	check_size_list(o);
	if (o->minbytes > o->maxbytes)
		usage_error("-b/--minbytes is larger than -e/--maxbytes%s%s", "", "");
	if (o->json_path && o->csv_path && !strcmp(o->json_path, o->csv_path))
		usage_error("-J/--json and --csv name the same file '%s'%s", o->json_path, "");
	if (o->max_regression_set && !o->baseline)
		usage_error("--max-regression needs --baseline%s%s", "", "");
	/* Explicit -i without -f means additive steps, as in nccl-tests. */
	if (o->stepbytes_set && !o->stepfactor_set)
		o->stepfactor = 1;
	if (o->stepfactor <= 1 && o->stepbytes == 0 && o->minbytes < o->maxbytes)
		usage_error("-f/--stepfactor %s with -i/--stepbytes 0 never reaches -e/--maxbytes%s",
			    o->stepfactor == 0 ? "0" : "1", "");
}

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
	for (size_t i = 0; i < NOPTS; i++) {
		const struct cb_optdesc *d = &optdescs[i];
		char left[64];
		int n = d->sname ? snprintf(left, sizeof left, "  -%c, --%s", d->sname, d->lname)
				 : snprintf(left, sizeof left, "      --%s", d->lname);
		if (d->metavar)
			snprintf(left + n, sizeof left - (size_t)n, optval(d) ? " [%s]" : " %s", d->metavar);
		fprintf(f, "%-28s %s", left, d->help);
		if (d->def)
			fprintf(f, " [%s]", d->def);
		fputc('\n', f);
	}
	fprintf(f, "\nExit status: 0 ok, 2 resource failure or (--strict-placement) a placement\n"
		   "mismatch or no ack from perf, 4 timeout, 5 unsupported, 6 invalid usage,\n"
		   "7 wrong results, 129/130/141/143 interrupted by SIGHUP/SIGINT/SIGPIPE/SIGTERM.\n"
		   "See collbench(1).\n");
}
