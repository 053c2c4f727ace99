/* options.h: the command line as one table of option descriptors */
#ifndef COLLBENCH_OPTIONS_H
#define COLLBENCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct cb_options {
	const char *command;   /* collective name, "all", "list" */
	long nranks;           /* 0: one rank per available PU */
	size_t minbytes, maxbytes, stepbytes;
	long stepfactor;
	bool stepbytes_set, stepfactor_set;
	long iters, warmup, check, average, blocking;
	double timeout;
	const char *algos, *dtypes, *ops, *root;
	const char *inject;
	long jitter_us, seed;
	/* placement (placement.h) */
	int bind;              /* enum cb_bind */
	bool bind_set;         /* --bind given (else --cpus LIST means ordered) */
	const char *cpus;      /* --cpus LIST (OS indexes), NULL: all */
	int mem;               /* enum cb_mem */
	long mem_node;         /* --mem node:N */
	const char *topology;  /* --topology FILE.xml | synthetic:DESC */
	bool strict_placement, show_placement;
	bool help, version;
};

/* Parse argv into o (defaults first, through the same setters). On a usage
 * error prints one line on stderr and exits 6. */
void cb_options_parse(struct cb_options *o, int argc, char **argv);
/* --help text, generated from the table. */
void cb_options_usage(FILE *f);

#endif
