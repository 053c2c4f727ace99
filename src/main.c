/* main.c: argv -> options -> plan -> placement -> run -> report -> status */
#include <stdlib.h>
#include <string.h>

#include "collbench/bench.h"
#include "collbench/coll.h"
#include "collbench/common.h"
#include "collbench/inject.h"
#include "collbench/options.h"
#include "collbench/placement.h"
#include "collbench/plan.h"
#include "collbench/report.h"

static void list(FILE *f)
{
	fprintf(f, "Collectives and their algorithms:\n");
	for (size_t i = 0; i < cb_ncolls; i++) {
		const struct cb_coll *c = cb_colls[i];
		fprintf(f, "  %-16s %s%s%s\n", c->name, c->summary,
			c->alias ? "; alias " : "", c->alias ? c->alias : "");
		for (size_t k = 0; k < cb_nalgos; k++)
			if (cb_algos[k]->coll == c)
				fprintf(f, "      %-14s %s\n", cb_algos[k]->name, cb_algos[k]->summary);
	}
	fprintf(f, "Datatypes:");
	for (size_t i = 0; i < cb_ndtypes; i++)
		fprintf(f, " %s", cb_dtypes[i].name);
	fprintf(f, "\nReduction ops:");
	for (size_t i = 0; i < cb_nredops; i++)
		fprintf(f, " %s", cb_redops[i].name);
	fprintf(f, "\nFaults for --inject:\n");
	for (unsigned i = 0; i < cb_ninjects; i++)
		fprintf(f, "  %-16s %s\n", cb_injects[i].name, cb_injects[i].summary);
}

/* collbench topo, --show-placement: the topology and the rank map (verified
 * by a probe thread per rank on this system; planned on a described one).
 * No pid or host name: the output of a described machine is deterministic. */
static void show_placement(FILE *f, const struct cb_placement *pl)
{
	fprintf(f, "# collbench version %s hwloc %s libnuma %s\n", CB_VERSION,
		cb_placement_hwloc_version(), cb_placement_numa_version());
	cb_placement_print_topology(f, pl, true);
	cb_placement_print_map(f, pl, NULL, 0);
}

int main(int argc, char **argv)
{
	struct cb_options o;
	struct cb_placement pl;
	struct cb_plan plan;
	struct cb_summary sum = { 0 };
	enum cb_inject inject;
	int nranks;
	bool topo;

	cb_options_parse(&o, argc, argv);
	if (o.help) {
		cb_options_usage(stdout);
		return CB_EXIT_OK;
	}
	if (o.version) {
		printf("collbench %s\n", CB_VERSION);
		return CB_EXIT_OK;
	}
	if (!strcmp(o.command, "list")) {
		list(stdout);
		return CB_EXIT_OK;
	}
	topo = !strcmp(o.command, "topo");
	inject = cb_inject_parse(o.inject);

	cb_placement_init(&pl, &o);
	nranks = o.nranks ? (int)o.nranks : pl.npus;
	/* Resolve the whole plan before anything runs: a usage error prints
	 * nothing on stdout. */
	if (!topo)
		cb_plan_build(&plan, &o, nranks);
	/* A run on a described machine would report a placement that never
	 * happened (hwloc binds nothing there): only topo and --show-placement
	 * may plan on one. */
	if (!pl.thissystem && !topo && !o.show_placement) {
		if (o.topology)
			cb_die(CB_EXIT_USAGE, "--topology '%s' is not this system: a run cannot be placed "
			       "on it; use 'collbench topo' or --show-placement (see 'collbench --help')",
			       o.topology);
		cb_die(CB_EXIT_USAGE, "the hwloc topology from HWLOC_XMLFILE/HWLOC_SYNTHETIC is not "
		       "this system: a run cannot be placed on it; use 'collbench topo' or "
		       "--show-placement (see 'collbench --help')");
	}
	cb_placement_plan(&pl, nranks);
	if (topo || o.show_placement) {
		cb_placement_probe(&pl);
		show_placement(stdout, &pl);
		cb_placement_enforce(&pl, stdout);
		if (!topo)
			cb_plan_free(&plan);
		cb_placement_fini(&pl);
		return CB_EXIT_OK;
	}
	cb_bench_run(&o, inject, &plan, &pl, stdout, &sum);
	cb_report_footer(stdout, &o, &sum);
	cb_plan_free(&plan);
	cb_placement_fini(&pl);
	return sum.out_of_bounds ? CB_EXIT_WRONG : CB_EXIT_OK;
}
