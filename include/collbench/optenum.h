/* optenum.h: the name <-> value table of every enumerated option. One
 * table per option is the only place its names are spelled: the option
 * parser (options_parse.c) turns the name into the value once, --help lists
 * the names from it, test/unit_options.c checks that each name round-trips
 * and appears in man/collbench.1, and consumers take the value, never the
 * string. */
#ifndef COLLBENCH_OPTENUM_H
#define COLLBENCH_OPTENUM_H

#include <stddef.h>

struct cb_enum_name {
	/* A name ending in ":N" is a template: "node:N" matches node:0,
	 * node:1, ... and hands back the number. */
	const char *name;
	int value;
	const char *about;  /* short meaning for --help and list, or NULL */
};

struct cb_enum_table {
	const char *option;        /* "--wait", for messages */
	const struct cb_enum_name *v;
	unsigned n;
	/* --help shows "name (about)" for each value; false: names only (the
	 * abouts are long, e.g. --inject's, which 'collbench list' shows). */
	int about_in_help;
};

/* --transport: how ranks run (transport.c). */
enum cb_transport_mode { CB_TRANSPORT_AUTO, CB_TRANSPORT_THREADS, CB_TRANSPORT_MPI };
/* --barrier auto: chosen from the rank and PU counts at run time
 * (comm_set_barrier); the other values are enum cb_barrier_kind. */
#define CB_BARRIER_AUTO (-1)

extern const struct cb_enum_table cb_enum_wait;      /* enum cb_wait (comm.h) */
extern const struct cb_enum_table cb_enum_barrier;   /* CB_BARRIER_AUTO or enum cb_barrier_kind */
extern const struct cb_enum_table cb_enum_transport; /* enum cb_transport_mode */
extern const struct cb_enum_table cb_enum_mpi_window;/* enum cb_mpi_window (transport.h) */
extern const struct cb_enum_table cb_enum_bind;      /* enum cb_bind (placement.h) */
extern const struct cb_enum_table cb_enum_mem;       /* enum cb_mem (placement.h) */
extern const struct cb_enum_table cb_enum_inject;    /* enum cb_inject (inject.h; inject.c) */
extern const struct cb_enum_table cb_enum_onoff;     /* 0 off, 1 on (--roofline) */

/* Every table above, for tests. */
extern const struct cb_enum_table *const cb_enum_tables[];
extern const unsigned cb_nenum_tables;

/* name -> *value (and *arg for a template's number, else -1; arg may be
 * NULL for tables without templates). 0 ok; -1 with *why "expected a, b
 * or c" (static storage: valid until the next failing call). */
int cb_enum_parse(const struct cb_enum_table *t, const char *s, int *value, long *arg,
		  const char **why);
/* value -> name ("?" if none; a template's name with its ":N"). */
const char *cb_enum_name(const struct cb_enum_table *t, int value);
/* "a, b or c" into buf. */
void cb_enum_list(const struct cb_enum_table *t, char *buf, size_t cap);
/* --help's value list: "a (about), b, c" into buf. */
void cb_enum_help(const struct cb_enum_table *t, char *buf, size_t cap);

#endif
