/* optenum.c: the names of every enumerated option's values (optenum.h).
 * They were spelled in four places before (the option setter, --help's
 * prose, a second parser in comm.c or transport.c, and the man page); now
 * this table is the one source the others derive from or are checked
 * against (test/unit_options.c). --inject's table lives in inject.c beside
 * the faults it names. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "collbench/comm.h"
#include "collbench/common.h"
#include "collbench/optenum.h"
#include "collbench/placement.h"
#include "collbench/transport.h"

#define TABLE(var, opt, names, help) \
	const struct cb_enum_table var = { opt, names, CB_ARRAY_LEN(names), help }

static const struct cb_enum_name wait_names[] = {
	{ "auto", CB_WAIT_AUTO, "spin, then futex; when ranks outnumber PUs a short spin, then sched_yield while yields are quick" },
	{ "spin", CB_WAIT_SPIN, NULL },
	{ "yield", CB_WAIT_YIELD, NULL },
	{ "futex", CB_WAIT_FUTEX, NULL },
};
TABLE(cb_enum_wait, "--wait", wait_names, 1);

static const struct cb_enum_name barrier_names[] = {
	{ "auto", CB_BARRIER_AUTO, "central from 4 ranks per PU, else mesh up to 8 ranks, dissemination above" },
	{ "mesh", CB_BARRIER_MESH, NULL },
	{ "dissemination", CB_BARRIER_DISSEMINATION, NULL },
	{ "central", CB_BARRIER_CENTRAL, NULL },
};
TABLE(cb_enum_barrier, "--barrier", barrier_names, 1);

static const struct cb_enum_name transport_names[] = {
	{ "auto", CB_TRANSPORT_AUTO, "mpi when built with MPI and started by mpirun, else threads" },
	{ "threads", CB_TRANSPORT_THREADS, "-g rank threads in this process" },
	{ "mpi", CB_TRANSPORT_MPI, "one rank per MPI process; the rank count is mpirun's -np; make MPI=1" },
};
TABLE(cb_enum_transport, "--transport", transport_names, 1);

static const struct cb_enum_name mpi_window_names[] = {
	{ "auto", CB_MPIWIN_AUTO, "shared when every rank is on one node" },
	{ "shared", CB_MPIWIN_SHARED, "MPI_Win_allocate_shared, direct loads and stores; one node only" },
	{ "rma", CB_MPIWIN_RMA, "MPI_Win_allocate with put, get and accumulate, as across machines" },
};
TABLE(cb_enum_mpi_window, "--mpi-window", mpi_window_names, 1);

/* CB_BIND_LIST is not a name: --cpus without --bind means it. */
static const struct cb_enum_name bind_names[] = {
	{ "spread", CB_BIND_SPREAD, "hwloc_distrib" },
	{ "compact", CB_BIND_COMPACT, "PUs in order" },
	{ "numa", CB_BIND_NUMA, "round-robin over NUMA nodes" },
	{ "none", CB_BIND_NONE, NULL },
};
TABLE(cb_enum_bind, "--bind", bind_names, 1);

static const struct cb_enum_name mem_names[] = {
	{ "local", CB_MEM_LOCAL, "NUMA node of its PU" },
	{ "interleave", CB_MEM_INTERLEAVE, "all nodes" },
	{ "node:N", CB_MEM_NODE, NULL },
};
TABLE(cb_enum_mem, "--mem", mem_names, 1);

static const struct cb_enum_name onoff_names[] = {
	{ "on", 1, NULL },
	{ "off", 0, NULL },
};
TABLE(cb_enum_onoff, "--roofline", onoff_names, 1);

const struct cb_enum_table *const cb_enum_tables[] = {
	&cb_enum_wait, &cb_enum_barrier, &cb_enum_transport, &cb_enum_mpi_window,
	&cb_enum_bind, &cb_enum_mem, &cb_enum_inject, &cb_enum_onoff,
};
const unsigned cb_nenum_tables = CB_ARRAY_LEN(cb_enum_tables);

/* The length of a template's fixed part ("node:" of "node:N"), else 0. */
static size_t template_prefix(const char *name)
{
	size_t n = strlen(name);
	return n >= 2 && !strcmp(name + n - 2, ":N") ? n - 1 : 0;
}

/* A template's number: decimal digits only, at most INT_MAX. */
static int template_arg(const char *s, long *out)
{
	long v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return -1;
	}
	*out = v;
	return 0;
}

int cb_enum_parse(const struct cb_enum_table *t, const char *s, int *value, long *arg,
		  const char **why)
{
	static char msg[384];
	long a = -1;
	for (unsigned i = 0; i < t->n; i++) {
		size_t pre = template_prefix(t->v[i].name);
		if (pre ? !strncmp(s, t->v[i].name, pre) && !template_arg(s + pre, &a)
			: !strcmp(s, t->v[i].name)) {
			*value = t->v[i].value;
			if (arg)
				*arg = a;
			return 0;
		}
	}
	memcpy(msg, "expected ", 9);
	cb_enum_list(t, msg + 9, sizeof msg - 9);
	*why = msg;
	return -1;
}

const char *cb_enum_name(const struct cb_enum_table *t, int value)
{
	for (unsigned i = 0; i < t->n; i++)
		if (t->v[i].value == value)
			return t->v[i].name;
	return "?";
}

void cb_enum_list(const struct cb_enum_table *t, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < t->n && n < cap; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s",
				      !i ? "" : i + 1 == t->n ? " or " : ", ", t->v[i].name);
}

void cb_enum_help(const struct cb_enum_table *t, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < t->n && n < cap; i++) {
		const char *about = t->about_in_help ? t->v[i].about : NULL;
		n += (size_t)snprintf(buf + n, cap - n, "%s%s%s%s%s", i ? ", " : "", t->v[i].name,
				      about ? " (" : "", about ? about : "", about ? ")" : "");
	}
}
