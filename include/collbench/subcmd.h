/* subcmd.h: what the file subcommands (plot, compare) share: an option
 * table parsed like the main one (descriptors, not branches), and writing
 * an output file whole or not at all. */
#ifndef COLLBENCH_SUBCMD_H
#define COLLBENCH_SUBCMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cb_subopt_kind { CB_SUB_FLAG, CB_SUB_STRING, CB_SUB_PCT, CB_SUB_SIZE };

struct cb_subopt {
	const char *lname;
	int sname;           /* short letter, or 0 */
	const char *metavar; /* NULL: a flag */
	const char *def;     /* default, parsed like user input; NULL: none */
	const char *help;
	enum cb_subopt_kind kind;
	size_t off;          /* field in the subcommand's options struct */
};

/* Parse argv (argv[0] is the subcommand's name) into opts; the positional
 * arguments are left in *pos (*npos of them, in order). A usage error
 * prints one line and exits 6. */
void cb_subopt_parse(const char *cmd, const struct cb_subopt *d, size_t nd, void *opts,
		     int argc, char **argv, char ***pos, int *npos);
/* The subcommand's --help: synopsis line, then the options table. */
void cb_subopt_usage(FILE *f, const char *synopsis, const struct cb_subopt *d, size_t nd);

/* Write len bytes to path whole or not at all: a temporary file in the same
 * directory, then link (no --force: an existing file is a usage error) or
 * rename (force). "-": stdout. A failure exits (6 usage, 2 resource) with
 * one line naming opt, leaving nothing behind. */
void cb_write_whole(const char *opt, const char *path, const char *buf, size_t len, bool force);

/* A file read whole into a NUL-terminated buffer; only a regular file (a
 * directory or FIFO would fail or block). NULL with a reason in err. */
char *cb_read_whole(const char *path, char *err, size_t cap);

#endif
