/* options.h: the command line, parsed once into typed values (options.c:
 * the table; options_parse.c: the parser). Enumerations arrive as their
 * enum (optenum.h), lists and paths as structs; every error in a value's
 * grammar (exit 6, one line on stderr, nothing on stdout) comes from
 * cb_options_parse. What needs more than the command line is checked where
 * that is known, still before anything runs: a --cpus PU or --mem node the
 * topology lacks (placement.c), -A/-d/-o/-r names against the registry,
 * plug-ins included (plan.c), -g under MPI (transport.c), perf listening
 * on --perf-ctl's FIFOs (main.c). A "given" flag (..._set) is set by the
 * parser for a value from the user, never for a default. */
#ifndef COLLBENCH_OPTIONS_H
#define COLLBENCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "collbench/comm.h"
#include "collbench/common.h"
#include "collbench/inject.h"
#include "collbench/optenum.h"
#include "collbench/perf.h"
#include "collbench/placement.h"
#include "collbench/transport.h"

struct cb_options {
	const char *command;   /* collective name, "all", "list" */
	long nranks;           /* first rank count; 0: one rank per available PU */
	/* -g: the rank counts to run, in order (plan.h's sweep grammar);
	 * a single 0 means auto */
	int rank_counts[CB_MAX_RANKS];
	int nrank_counts;
	bool nranks_set;       /* -g given (an error in MPI mode) */
	enum cb_transport_mode transport;  /* --transport */
	enum cb_mpi_window mpi_window;     /* --mpi-window */
	size_t minbytes, maxbytes, stepbytes;
	long stepfactor;
	bool stepbytes_set, stepfactor_set;
	/* -b or -e as a comma list (-b 8,1K,1M): the sizes in the order given,
	 * none twice, none 0; nsizes 0: the -b..-e sweep. size_list: which of
	 * -b/-e held it ('b', 'e'); maxbytes_set: -e given. */
#define CB_MAX_SIZE_LIST 256
	size_t sizes[CB_MAX_SIZE_LIST];
	int nsizes;
	char size_list;
	bool minbytes_set, maxbytes_set;
	/* --time-per-size: seconds that bound each row half's timed loop (it
	 * stops at the checkpoint after, or at -n iterations); 0: off */
	double time_per_size;
	long iters, warmup, check, average, blocking;
	double timeout;
	const char *algos, *dtypes, *ops, *root;
	double skew;           /* --skew: the v-collectives' count pattern (vcoll.h) */
	enum cb_inject inject; /* --inject; CB_INJECT_NONE when not given */
	long jitter_us, seed;
	enum cb_wait wait;     /* --wait */
	int barrier;           /* --barrier: CB_BARRIER_AUTO or enum cb_barrier_kind */
	const char *split;     /* --split EXPR (split.h), NULL: the environment's or none */
	bool cold_cache;       /* --cold-cache/--off-cache (coldcache.h) */
	size_t cache_size;     /* --cache-size; 0: the LLC's (main sets it from hwloc) */
	/* --bind --cpus --mem --strict-placement --topology (placement.h) */
	struct cb_placement_config place;
	bool show_placement;
	bool list_names;       /* list --names: "collective algorithm" lines */
	const char *plugins[16]; /* --plugin FILE.so, repeatable (plugin_load.h) */
	int nplugins;
	/* reports (report.h) */
	long per_iter;         /* -I: per-iteration statistics columns */
	bool latency;          /* --latency: OSU-like latency view */
	const char *json_path, *csv_path; /* "-": stdout */
	bool force;            /* overwrite existing output files */
	bool roofline;         /* measure copy bandwidth, report E */
	double min_busbw;      /* --min-busbw, valid if min_busbw_set */
	bool min_busbw_set;
	const char *baseline;  /* --baseline FILE.json */
	double max_regression; /* percent */
	bool max_regression_set;
	bool quiet;            /* -q: no progress line */
	/* profiling (perf.h) */
	const char *perf_ctl;  /* --perf-ctl as written (NULL: not given) ... */
	struct cb_perf_fifos perf_fifos; /* ... and its two paths */
	const char *counters;  /* --counters as written (NULL: not given) ... */
	struct cb_counter_set counter_set; /* ... and the events */
	long cycles;           /* -N: sweeps to run, 0: until interrupted */
	double duration;       /* --duration: seconds per timed loop, 0: -n iterations */
	bool timestamps;       /* -S: timestamp column */
	/* nccl-tests' command line (man page, NCCL-TESTS COMPATIBILITY) */
	long nthreads;         /* -t: ranks = t x each -g count */
	long agg_iters;        /* -m: calls per timed iteration */
	long per_iter_skip;    /* -K: leading samples left out of -I's statistics */
	long cputime;          /* -C: time column named cputime (CPU ranks: always CPU time) */
	long memory_report;    /* -M: buffer memory line in the footer */
	long unalign;          /* -u: send/recv start this many elements past page alignment */
	bool nccl_compat;      /* --nccl-compat: nccl-tests' table (sink_nccl.c) */
	bool algos_set;        /* -A given (--nccl-compat's default is auto) */
	/* GPU-only options given (-p -y -G -R -x -D -V): "-p 0 -G 1", noted
	 * once in the header as not applicable on CPU ranks */
	char gpu_only[160];
	bool help, version;
};

/* Parse argv into o (defaults first, through the same setters). On a usage
 * error prints one line on stderr and exits 6. */
void cb_options_parse(struct cb_options *o, int argc, char **argv);
/* --help text, generated from the table. */
void cb_options_usage(FILE *f);

#endif
