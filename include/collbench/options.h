/* options.h: the command line as one table of option descriptors */
#ifndef COLLBENCH_OPTIONS_H
#define COLLBENCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "collbench/common.h"

struct cb_options {
	const char *command;   /* collective name, "all", "list" */
	long nranks;           /* first rank count; 0: one rank per available PU */
	/* -g: the rank counts to run, in order (plan.h's sweep grammar);
	 * a single 0 means auto */
	int rank_counts[CB_MAX_RANKS];
	int nrank_counts;
	bool nranks_set;       /* -g given (an error in MPI mode) */
	const char *transport; /* --transport auto|threads|mpi (transport.h) */
	const char *mpi_window;/* --mpi-window auto|shared|rma */
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
	const char *inject;
	long jitter_us, seed;
	const char *wait;      /* --wait auto|spin|yield|futex (comm.h enum cb_wait) */
	const char *barrier;   /* --barrier auto|mesh|dissemination|central */
	const char *split;     /* --split EXPR (split.h), NULL: the environment's or none */
	bool cold_cache;       /* --cold-cache/--off-cache (coldcache.h) */
	size_t cache_size;     /* --cache-size; 0: the LLC's (main sets it from hwloc) */
	/* placement (placement.h) */
	int bind;              /* enum cb_bind */
	bool bind_set;         /* --bind given (else --cpus LIST means ordered) */
	const char *cpus;      /* --cpus LIST (OS indexes), NULL: all */
	int mem;               /* enum cb_mem */
	long mem_node;         /* --mem node:N */
	const char *topology;  /* --topology FILE.xml | synthetic:DESC */
	bool strict_placement, show_placement;
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
	const char *perf_ctl;  /* --perf-ctl CTL_FIFO,ACK_FIFO */
	const char *counters;  /* --counters LIST (checked by cb_counters_parse) */
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
