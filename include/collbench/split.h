/* split.h: --split EXPR, concurrent groups (nccl-tests' NCCL_TESTS_SPLIT and
 * NCCL_TESTS_SPLIT_MASK). Every rank r gets a colour, r OP n; ranks of one
 * colour form a group, numbered in rank order inside it (ncclCommSplit's
 * key = rank), and every group runs the collective at once.
 *
 * Grammar (nccl-tests' NCCL_TESTS_SPLIT): AND n or &n, OR n or |n, MOD n or
 * %n, DIV n or /n; keywords in any case, blanks allowed before n; n decimal,
 * 0x hexadecimal, 0b binary or 0 octal (strtoul's base 0, as nccl-tests).
 * Unlike nccl-tests, trailing text, a sign, MOD 0 and DIV 0 are errors.
 * NCCL_TESTS_SPLIT_MASK=m is &m with m hexadecimal (strtoul base 16).
 *
 * split.c is the grammar and the grouping (pure, test/unit_split.c);
 * bench_split.c runs the groups (group comm views over the run's windows,
 * the rank threads' or the MPI processes'). */
#ifndef COLLBENCH_SPLIT_H
#define COLLBENCH_SPLIT_H

#include <stdbool.h>
#include <stddef.h>

#include "collbench/common.h"

struct cb_options;

enum cb_split_op { CB_SPLIT_AND, CB_SPLIT_OR, CB_SPLIT_MOD, CB_SPLIT_DIV };

struct cb_split_expr {
	enum cb_split_op op;
	unsigned long n;
};

/* The largest n accepted (colours stay ints). */
#define CB_SPLIT_MAX_N 0x7fffffffUL

/* --split / NCCL_TESTS_SPLIT: 0, or -1 with *why set. */
int cb_split_parse(const char *s, struct cb_split_expr *e, const char **why);
/* NCCL_TESTS_SPLIT_MASK (hexadecimal, 0x optional): 0, or -1 with *why. */
int cb_split_parse_mask(const char *s, struct cb_split_expr *e, const char **why);
/* Canonical short form: "&3", "|1", "%2", "/2". */
const char *cb_split_format(const struct cb_split_expr *e, char *buf, size_t cap);
unsigned long cb_split_color(const struct cb_split_expr *e, int rank);

/* The groups of nranks ranks, numbered by their lowest rank. */
struct cb_split {
	int nranks, ngroups;
	int gsize;                    /* every group's size; 0: sizes differ */
	int group[CB_MAX_RANKS];      /* [rank] its group */
	int local[CB_MAX_RANKS];      /* [rank] its rank inside the group */
	int size[CB_MAX_RANKS];       /* [group] */
	int first[CB_MAX_RANKS];      /* [group] index of its rank 0 in member[] */
	int member[CB_MAX_RANKS];     /* member[first[g] + l]: global rank */
};
void cb_split_groups(const struct cb_split_expr *e, int nranks, struct cb_split *s);
/* "2, 1, 1" (every group's size, in group order). */
const char *cb_split_sizes(const struct cb_split *s, char *buf, size_t cap);

/* The run's expression: --split, else NCCL_TESTS_SPLIT_MASK, else
 * NCCL_TESTS_SPLIT (an empty variable is unset). Returns false when there
 * is none; a malformed variable prints one line naming it and exits 6 (the
 * option was checked when parsed). */
bool cb_split_resolve(const struct cb_options *o, struct cb_split_expr *e);

/* nccl-tests' "Group" of each rank line: the rank's colour (r OP n) under
 * a split, else 0; colors[nranks]. */
void cb_split_colors(const struct cb_options *o, int nranks, int *colors);

/* The table header's words: " in 2 groups of 2, --split %2" (unequal:
 * " in 3 groups of 2, 1, 1, --split &1"), "" without a split (nranks are
 * the section's). */
const char *cb_split_describe(const struct cb_options *o, int nranks, char *buf, size_t cap);

/* Planning (plan.c): group 0's size (rank 0's group: the points the rows
 * print), nranks without a split (threads or MPI alike); *ngroups; the
 * other sizes the groups have, each once, in group order, into alt[*nalt]
 * (at most 31 of them: distinct sizes sum to at most 512); and, if sizes
 * is not NULL, every group's size as cb_split_sizes writes them ("" without
 * a split). */
#define CB_SPLIT_MAX_ALT 32
int cb_split_plan(const struct cb_options *o, int nranks, int *ngroups, int *alt, int *nalt,
		  char *sizes, size_t cap);
/* Bytes of one group's signal cells (bench_split.c), in every window. */
size_t cb_split_cells_bytes(int gsize, int npus);

#endif
