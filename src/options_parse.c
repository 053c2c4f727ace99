/* options_parse.c: the value setters, getopt_long's loop and the rules
 * that combine options. Split from options.c (which keeps the table and
 * --help) so that each file reads as one thing. Every value is parsed here
 * once into its typed field (an enum, a CPU list, a counter set, two FIFO
 * paths), so every usage error comes from here, before anything runs, and
 * the fuzz target (fuzz/fuzz_cli.c) reaches all of them. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/parse.h"
#include "collbench/plan.h"
#include "collbench/split.h"
#include "collbench/vcoll.h"
#include "options_int.h"

const char *cb_set_long(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	if (cb_parse_long(arg, d->lo, d->hi, AT(o, d, long), &why))
		return why;
	return NULL;
}

const char *cb_set_size(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	if (cb_parse_size(arg, AT(o, d, size_t), &why))
		return why;
	return NULL;
}

/* -b/-e: one size, or a comma list of sizes (every one > 0, none twice). */
const char *cb_set_sizes(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	static char why_buf[96];
	const char *why, *p = arg;
	if (!strchr(arg, ','))
		return o->nsizes ? "a size list was given already" : cb_set_size(o, arg, d);
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

const char *cb_set_seconds(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	if (cb_parse_double(arg, 1e6, AT(o, d, double), &why))
		return why;
	return NULL;
}

const char *cb_set_string(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	if (!*arg)
		return "empty value";
	*AT(o, d, const char *) = arg;
	return NULL;
}

const char *cb_set_flag(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	(void)arg;
	*AT(o, d, bool) = true;
	return NULL;
}

/* -g: one count, auto, or a sweep (plan.h); nranks is the first count. */
const char *cb_set_nranks(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	(void)d;
	if (cb_rank_sweep_parse(arg, o->rank_counts, &o->nrank_counts, &why))
		return why;
	o->nranks = o->rank_counts[0];
	return NULL;
}

/* --skew: also the count pattern's global (vcoll.h), which the collective
 * descriptors read; every process parses the same command line. */
const char *cb_set_skew(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	if (cb_parse_double(arg, CB_SKEW_MAX, AT(o, d, double), &why))
		return why;
	cb_skew_milli = (long)(o->skew * 1000 + 0.5);
	return NULL;
}

/* --cache-size: a size above 0. */
const char *cb_set_cache_size(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why = cb_set_size(o, arg, d);
	return why ? why : o->cache_size == 0 ? "must be above 0" : NULL;
}

/* --split: the grammar of split.h. */
const char *cb_set_split(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	struct cb_split_expr e;
	const char *why;
	(void)d;
	if (cb_split_parse(arg, &e, &why))
		return why;
	o->split = arg;
	return NULL;
}

/* Repeatable: each --plugin adds a file (loaded by main before planning). */
const char *cb_set_plugin(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
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
const char *cb_set_optbool(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	if (*arg && strcmp(arg, "0") && strcmp(arg, "1"))
		return "expected 0 or 1";
	*AT(o, d, bool) = strcmp(arg, "0") != 0;
	return NULL;
}

/* nccl-tests' GPU-only options: any integer is accepted (as nccl-tests'
 * strtol does) and noted once in the header as not applicable. */
const char *cb_set_gpu_only(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
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

const char *cb_set_onoff(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	int v;
	if (cb_enum_parse(d->enums, arg, &v, NULL, &why))
		return why;
	*AT(o, d, bool) = v;
	return NULL;
}

/* An enumerated option (optenum.h): the name becomes the value here, once;
 * the field is an enum of the table's values (int-sized, as asserted). */
const char *cb_set_enum(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	int v;
	if (cb_enum_parse(d->enums, arg, &v, NULL, &why))
		return why;
	*AT(o, d, int) = v;
	return NULL;
}
_Static_assert(sizeof(enum cb_wait) == sizeof(int) && sizeof(enum cb_bind) == sizeof(int) &&
	       sizeof(enum cb_inject) == sizeof(int) && sizeof(enum cb_mpi_window) == sizeof(int) &&
	       sizeof(enum cb_transport_mode) == sizeof(int), "set_enum stores an int");

/* --mem: local, interleave or node:N (the table's template). */
const char *cb_set_mem(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	int v;
	long node;
	if (cb_enum_parse(d->enums, arg, &v, &node, &why))
		return why;
	o->place.mem = (enum cb_mem)v;
	o->place.mem_node = (int)node;
	return NULL;
}

/* Grammar only here; whether the PUs exist is known once the topology is
 * loaded (placement.c). */
const char *cb_set_cpus(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	(void)d;
	if (cb_cpulist_parse(arg, &o->place.cpus, &why))
		return why;
	o->place.cpus_arg = arg;
	return NULL;
}

const char *cb_set_counters(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	(void)d;
	if (cb_counters_parse(&o->counter_set, arg, &why))
		return why;
	o->counters = arg;
	return NULL;
}

/* The two paths; whether perf listens on them is known when main opens
 * them, just before the run. */
const char *cb_set_perf_ctl(struct cb_options *o, const char *arg, const struct cb_optdesc *d)
{
	const char *why;
	(void)d;
	if (cb_perf_fifos_parse(arg, &o->perf_fifos, &why))
		return why;
	o->perf_ctl = arg;
	return NULL;
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
	if (d->given)
		*(bool *)((char *)o + d->given) = true;
}

static const struct cb_optdesc *desc_at(size_t off)
{
	for (size_t i = 0; i < cb_noptdescs; i++)
		if (cb_optdescs[i].off == off && cb_optdescs[i].set != cb_set_gpu_only)
			return &cb_optdescs[i];
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

/* getopt_long's arrays from the table: long names, and the short letters
 * (':' after one that takes a value, '::' where the value is optional). */
enum { MAX_OPTS = 128 };   /* room for the table, checked */
static void getopt_tables(struct option *lopts, char *sopts)
{
	char *sp = sopts;
	if (cb_noptdescs > MAX_OPTS)
		cb_die(CB_EXIT_RESOURCE, "internal: more than %d options", MAX_OPTS);
	*sp++ = ':'; /* report a missing argument as ':' */
	for (size_t i = 0; i < cb_noptdescs; i++) {
		const struct cb_optdesc *d = &cb_optdescs[i];
		int has = cb_opt_optional(d) ? optional_argument : d->metavar ? required_argument : no_argument;
		lopts[i] = (struct option){ d->lname, has, NULL, d->sname ? d->sname : 0x100 + (int)i };
		if (d->sname) {
			*sp++ = (char)d->sname;
			if (d->metavar)
				*sp++ = ':';
			if (cb_opt_optional(d))
				*sp++ = ':';
		}
	}
	*sp = '\0';
	memset(&lopts[cb_noptdescs], 0, sizeof lopts[cb_noptdescs]);
}

/* The rules between options, once all are read. */
static void check_combinations(struct cb_options *o)
{
	if (!o->command)
		usage_error("no collective given; try 'collbench list'%s%s", "", "");
	nccl_tests_rules(o);
	{
		struct cb_split_expr e;
		(void)cb_split_resolve(o, &e);   /* NCCL_TESTS_SPLIT*: exit 6 now */
	}
	if (o->cache_size && !o->cold_cache)
		usage_error("--cache-size needs --cold-cache%s%s", "", "");
	if (o->place.cpus_arg && o->place.bind_set && o->place.bind == CB_BIND_NONE)
		usage_error("--cpus %s conflicts with --bind none%s", o->place.cpus_arg, "");
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

void cb_options_parse(struct cb_options *o, int argc, char **argv)
{
	struct option lopts[MAX_OPTS + 1];
	char sopts[3 * MAX_OPTS + 2];
	int c, idx;

	getopt_tables(lopts, sopts);
	memset(o, 0, sizeof *o);
	for (size_t i = 0; i < cb_noptdescs; i++)
		if (cb_optdescs[i].def)
			cb_optdescs[i].set(o, cb_optdescs[i].def, &cb_optdescs[i]);

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
		for (size_t i = 0; i < cb_noptdescs; i++) {
			const struct cb_optdesc *d = &cb_optdescs[i];
			const char *arg = optarg ? optarg : "";
			if (c != (d->sname ? d->sname : 0x100 + (int)i))
				continue;
			/* an optional value given as the next argument (-S 1) */
			if (cb_opt_optional(d) && !optarg && optind < argc &&
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
	if (!o->help && !o->version)
		check_combinations(o);
}
