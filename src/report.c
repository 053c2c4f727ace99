/* report.c: the nccl-tests-style table (header, rank block, two-row column
 * header, rows, footer). Computes nothing: rows arrive finished. */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collbench/report.h"

/* nccl-tests' getFloatStr: the widest precision that fits the column. */
static const char *fmt_num(char *buf, size_t cap, int width, double v)
{
	static const char *const fmts[] = { "%.2f", "%.1f", "%.0f" };
	for (size_t i = 0; i < 3; i++)
		if (snprintf(buf, cap, fmts[i], v) <= width)
			return buf;
	snprintf(buf, cap, "%.1e", v);
	return buf;
}

void cb_report_header(FILE *f, const struct cb_options *o, const struct cb_placement *pl,
		      int nranks)
{
	char host[256] = "?";
	gethostname(host, sizeof host - 1);
	fprintf(f, "# collbench version %s hwloc %s libnuma %s\n", CB_VERSION,
		cb_placement_hwloc_version(), cb_placement_numa_version());
	fprintf(f, "# Collective test starting: %s\n", o->command);
	fprintf(f, "# nRanks %d minBytes %zu maxBytes %zu step: ", nranks, o->minbytes, o->maxbytes);
	if (o->stepfactor > 1)
		fprintf(f, "%ld(factor)", o->stepfactor);
	else
		fprintf(f, "%zu(bytes)", o->stepbytes);
	fprintf(f, " warmup iters: %ld iters: %ld validation: %ld average: %ld blocking: %ld timeout: %g\n",
		o->warmup, o->iters, o->check, o->average, o->blocking, o->timeout);
	fprintf(f, "#\n");
	cb_placement_print_topology(f, pl, false);
	cb_placement_print_map(f, pl, host, (int)getpid());
	fprintf(f, "#\n");
	(void)nranks;   /* pl->nranks */
	/* --strict-placement: the map above shows what went wrong; exit 2. */
	cb_placement_enforce(pl, f);
}

void cb_report_section(FILE *f, const struct cb_coll *coll)
{
	fprintf(f, "# Collective: %s\n", coll->name);
	fprintf(f, "#%78s%34s\n", "out-of-place", "in-place");
	fprintf(f, "#%11s  %12s  %8s  %6s  %6s  %13s  %7s  %6s  %6s  %6s  %7s  %6s  %6s  %6s\n",
		"size", "count", "type", "redop", "root", "algo",
		"time", "algbw", "busbw", "#wrong", "time", "algbw", "busbw", "#wrong");
	fprintf(f, "#%11s  %12s  %8s  %6s  %6s  %13s  %7s  %6s  %6s  %6s  %7s  %6s  %6s  %6s\n",
		"(B)", "(elements)", "", "", "", "", "(us)", "(GB/s)", "(GB/s)", "",
		"(us)", "(GB/s)", "(GB/s)", "");
}

static void half(FILE *f, const struct cb_half *h, struct cb_summary *s)
{
	char t[32], a[32], b[32];
	if (!h->present) {
		fprintf(f, "  %7s  %6s  %6s  %6s", "N/A", "N/A", "N/A", "N/A");
		return;
	}
	fprintf(f, "  %7s  %6s  %6s", fmt_num(t, sizeof t, 7, h->time_us),
		fmt_num(a, sizeof a, 6, h->algbw), fmt_num(b, sizeof b, 6, h->busbw));
	if (h->wrong < 0)
		fprintf(f, "  %6s", "N/A");
	else
		fprintf(f, "  %6lld", h->wrong);
	s->busbw_sum += h->busbw;
	s->nbusbw++;
	if (h->wrong > 0)
		s->out_of_bounds++;
}

void cb_report_row(FILE *f, const struct cb_result *r, struct cb_summary *s)
{
	const struct cb_point *pt = r->pt;
	fprintf(f, "%12zu  %12zu  %8s  %6s  %6d  %13s", pt->n.bytes, pt->n.count, pt->dt->name,
		pt->op ? pt->op->name : "none", pt->root, pt->algo->name);
	half(f, &r->half[0], s);
	half(f, &r->half[1], s);
	fputc('\n', f);
	fflush(f);
}

void cb_report_footer(FILE *f, const struct cb_options *o, const struct cb_summary *s)
{
	fprintf(f, "# Out of bounds values : %lld %s\n", s->out_of_bounds,
		s->out_of_bounds ? "FAILED" : "OK");
	fprintf(f, "# Avg bus bandwidth    : %g \n", s->nbusbw ? s->busbw_sum / (double)s->nbusbw : 0.0);
	fprintf(f, "#\n# Collective test concluded: %s\n#\n", o->command);
}
