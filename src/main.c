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
				fprintf(f, "      %-12s %s\n", cb_algos[k]->name, cb_algos[k]->summary);
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

int main(int argc, char **argv)
{
	struct cb_options o;
	struct cb_placement pl;
	struct cb_plan plan;
	struct cb_summary sum = { 0 };
	enum cb_inject inject;
	int nranks;

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
	inject = cb_inject_parse(o.inject);

	cb_placement_init(&pl);
	nranks = o.nranks ? (int)o.nranks : pl.npus;
	/* Resolve the whole plan before anything runs: a usage error prints
	 * nothing on stdout. */
	cb_plan_build(&plan, &o, nranks);
	cb_placement_plan(&pl, nranks);
	cb_bench_run(&o, inject, &plan, &pl, stdout, &sum);
	cb_report_footer(stdout, &o, &sum);
	cb_plan_free(&plan);
	cb_placement_fini(&pl);
	return sum.out_of_bounds ? CB_EXIT_WRONG : CB_EXIT_OK;
}
