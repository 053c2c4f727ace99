/* options_int.h: the option table's row, shared by options.c (the table,
 * --help) and options_parse.c (the setters, getopt_long, the cross-option
 * rules). Not an interface: options.h is. */
#ifndef COLLBENCH_OPTIONS_INT_H
#define COLLBENCH_OPTIONS_INT_H

#include <stddef.h>

#include "collbench/optenum.h"
#include "collbench/options.h"

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
	/* The one "was this option given" mechanism: the parser sets the
	 * bool at this offset when the user (or nccl-tests' environment)
	 * gives a value, never for the default; 0: not tracked. */
	size_t given;
	/* set_enum, set_mem, set_onoff: the option's names (optenum.h);
	 * --help lists them after help. */
	const struct cb_enum_table *enums;
};

#define FIELD(f) offsetof(struct cb_options, f)
#define GIVEN(f) offsetof(struct cb_options, f)
#define AT(o, d, type) ((type *)((char *)(o) + (d)->off))

extern const struct cb_optdesc cb_optdescs[];
extern const size_t cb_noptdescs;

/* The setters the table names (options_parse.c); each returns NULL or why
 * the value is invalid. */
const char *cb_set_long(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_size(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_sizes(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_seconds(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_string(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_flag(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_nranks(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_onoff(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_skew(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_enum(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_mem(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_cpus(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_counters(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_perf_ctl(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_cache_size(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_split(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_plugin(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_optbool(struct cb_options *o, const char *arg, const struct cb_optdesc *d);
const char *cb_set_gpu_only(struct cb_options *o, const char *arg, const struct cb_optdesc *d);

/* The value is optional (-S alone, or -S 1 as the next argument). */
static inline int cb_opt_optional(const struct cb_optdesc *d)
{
	return d->set == cb_set_optbool;
}

#endif
