/* plot.c: collbench plot RUN.json... -o FILE.svg|.html (plot.h). Reads
 * every run first (bad input: status 6, nothing written), gathers one
 * series per run and algorithm in each (collective, rank count) panel, and
 * writes the drawing (plot_draw.c) whole. */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/plot.h"
#include "collbench/subcmd.h"
#include "collbench/svg.h"

struct plot_opts {
	const char *out, *metric, *colls, *algos;
	bool in_place, linear_y, force, help;
	size_t latency_max;
};

#define POFF(f) offsetof(struct plot_opts, f)
static const struct cb_subopt plot_optdescs[] = {
	{ "output", 'o', "FILE", NULL, "write the figure to FILE: .svg (an image) or .html (one self-contained page); -: SVG on stdout",
	  CB_SUB_STRING, POFF(out) },
	{ "metric", 'm', "METRIC", "busbw", "y-axis: busbw, algbw (GB/s), time (us, log-log) or E (memory efficiency)",
	  CB_SUB_STRING, POFF(metric) },
	{ "collectives", 'C', "LIST", NULL, "only these collectives, comma-separated (default: every one in the runs)",
	  CB_SUB_STRING, POFF(colls) },
	{ "algo", 'A', "LIST", NULL, "only these algorithms, comma-separated (default: all)",
	  CB_SUB_STRING, POFF(algos) },
	{ "in-place", 0, NULL, NULL, "plot the in-place half of each row (default: out-of-place)",
	  CB_SUB_FLAG, POFF(in_place) },
	{ "linear-y", 0, NULL, NULL, "linear y-axis from 0 (default: logarithmic)",
	  CB_SUB_FLAG, POFF(linear_y) },
	{ "latency-max", 0, "SIZE", "64K", "the latency figure (time, log-log) shows sizes up to SIZE (0: no latency figure)",
	  CB_SUB_SIZE, POFF(latency_max) },
	{ "force", 0, NULL, NULL, "overwrite an existing output file (else status 6)",
	  CB_SUB_FLAG, POFF(force) },
	{ "help", 'h', NULL, NULL, "show this help and exit",
	  CB_SUB_FLAG, POFF(help) },
};
#define PLOT_SYNOPSIS "collbench plot RUN.json [RUN2.json ...] -o FILE.svg|FILE.html [options]"

#define HOFF(f) offsetof(struct cb_run_half, f)
static const struct cb_plot_metric metrics[] = {
	{ "busbw", "bus bandwidth (GB/s)", "bus bandwidth", CB_FMT_NUM, 0, HOFF(busbw) },
	{ "algbw", "algorithm bandwidth (GB/s)", "algorithm bandwidth", CB_FMT_NUM, 0, HOFF(algbw) },
	{ "time", "time per call", "time per call", CB_FMT_US, 1, HOFF(time_us) },
	{ "E", "memory efficiency E (1 = copy speed)", "memory efficiency", CB_FMT_NUM, 2, HOFF(eff) },
};

/* "a,b,c" contains name */
static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; p; p = strchr(p, ','), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

/* The metric's value of a row half, or false where it has none (or none a
 * log axis could show). */
static bool value_of(const struct cb_plot_metric *m, const struct cb_run_half *h, double *v)
{
	if (!h->present || (m->kind == 2 && !h->has_eff))
		return false;
	*v = *(const double *)((const char *)h + m->off);
	return isfinite(*v) && *v > 0;
}

/* The roofline: the value the half would have moving only the collective's
 * compulsory bytes (min_bytes) at the measured copy bandwidth, i.e. E = 1.
 * It depends on the size, not the algorithm. */
static bool roof_of(const struct cb_plot_metric *m, const struct cb_run_row *r,
		    const struct cb_run_half *h, double v, double *out)
{
	double floor_us;
	if (r->copy_bw <= 0 || r->min_bytes <= 0 || !h->present || h->time_us <= 0)
		return false;
	floor_us = r->min_bytes / (r->copy_bw * 1e3);
	*out = m->kind == 0 ? v * h->time_us / floor_us : m->kind == 1 ? floor_us : 1.0;
	return true;
}

static struct cb_plot_panel *panel_for(struct cb_plot_fig *fg, const struct cb_run_row *r)
{
	for (size_t i = fg->np; i-- > 0;)
		if (fg->p[i].nranks == r->nranks && !strcmp(fg->p[i].coll, r->coll))
			return &fg->p[i];
	fg->p = realloc(fg->p, (fg->np + 1) * sizeof *fg->p);
	if (!fg->p)
		cb_die(CB_EXIT_RESOURCE, "out of memory");
	memset(&fg->p[fg->np], 0, sizeof *fg->p);
	fg->p[fg->np].coll = r->coll;
	fg->p[fg->np].nranks = r->nranks;
	fg->p[fg->np].order = fg->np ? fg->p[fg->np - 1].order + 1 : 0;
	for (size_t i = 0; i < fg->np; i++)
		if (!strcmp(fg->p[i].coll, r->coll)) {
			fg->p[fg->np].order = fg->p[i].order;
			break;
		}
	return &fg->p[fg->np++];
}

/* algo NULL: the run's roofline. Names are interned per run: pointers
 * compare within a run. */
static struct cb_plot_series *series_for(struct cb_plot_panel *p, int run, const char *algo,
					 const struct cb_run_row *r)
{
	struct cb_plot_series *s;
	for (size_t i = p->ns; i-- > 0;) {
		s = &p->s[i];
		if (s->run == run && s->algo == algo &&
		    (!algo || (s->type == r->type && s->redop == r->redop && s->root == r->root)))
			return s;
	}
	p->s = realloc(p->s, (p->ns + 1) * sizeof *p->s);
	if (!p->s)
		cb_die(CB_EXIT_RESOURCE, "out of memory");
	s = &p->s[p->ns++];
	memset(s, 0, sizeof *s);
	*s = (struct cb_plot_series){ .run = run, .algo = algo, .type = r->type,
				      .redop = r->redop, .root = r->root };
	return s;
}

static void add_pt(struct cb_plot_series *s, double x, double y)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->pts = realloc(s->pts, s->cap * sizeof *s->pts);
		if (!s->pts)
			cb_die(CB_EXIT_RESOURCE, "out of memory");
	}
	s->pts[s->n++] = (struct cb_plot_pt){ x, y };
}

static int by_x(const void *a, const void *b)
{
	double d = ((const struct cb_plot_pt *)a)->x - ((const struct cb_plot_pt *)b)->x;
	return (d > 0) - (d < 0);
}

/* Points in size order; repeats of a size (-N cycles) averaged. */
static void settle(struct cb_plot_series *s)
{
	size_t w = 0;
	qsort(s->pts, s->n, sizeof *s->pts, by_x);
	for (size_t i = 0; i < s->n;) {
		size_t j = i;
		double sum = 0;
		for (; j < s->n && s->pts[j].x == s->pts[i].x; j++)
			sum += s->pts[j].y;
		s->pts[w++] = (struct cb_plot_pt){ s->pts[i].x, sum / (double)(j - i) };
		i = j;
	}
	s->n = w;
}

/* Colours: one per run with several runs (markers tell algorithms apart),
 * else one per algorithm in the order the collective's rows name them. */
static void style(struct cb_plot_doc *d, struct cb_plot_fig *fg)
{
	for (size_t i = 0; i < fg->np; i++) {
		struct cb_plot_panel *p = &fg->p[i];
		const char *names[64];
		int nn = 0;
		for (size_t k = 0; k < p->ns; k++) {
			struct cb_plot_series *s = &p->s[k];
			int a = 0;
			settle(s);
			while (s->algo && a < nn && strcmp(names[a], s->algo))
				a++;
			if (s->algo && a == nn && nn < 64)
				names[nn++] = s->algo;
			s->shape = a;
			s->colour = d->nruns > 1 ? s->run : a;
			p->vary_type |= s->type != p->s[0].type && strcmp(s->type, p->s[0].type);
			p->vary_type |= s->redop != p->s[0].redop && strcmp(s->redop, p->s[0].redop);
			p->vary_root |= s->root != p->s[0].root;
		}
	}
}

struct gather {
	const struct plot_opts *o;
	const struct cb_plot_metric *m;
	size_t maxsize;                 /* 0: all */
};

static void gather(struct cb_plot_doc *d, struct cb_plot_fig *fg, const struct gather *g)
{
	int h = d->in_place;
	fg->m = g->m;
	fg->xlo = INFINITY;
	fg->xhi = 0;
	for (int ri = 0; ri < d->nruns; ri++)
		for (size_t i = 0; i < d->runs[ri].nrows; i++) {
			const struct cb_run_row *r = &d->runs[ri].rows[i];
			double v, roof;
			struct cb_plot_panel *p;
			if ((g->o->colls && !in_list(g->o->colls, r->coll)) ||
			    (g->o->algos && !in_list(g->o->algos, r->algo)) ||
			    (g->maxsize && r->size > (double)g->maxsize) || r->size <= 0 ||
			    !value_of(g->m, &r->half[h], &v))
				continue;
			p = panel_for(fg, r);
			add_pt(series_for(p, ri, r->algo, r), r->size, v);
			if (roof_of(g->m, r, &r->half[h], v, &roof))
				add_pt(series_for(p, ri, NULL, r), r->size, roof);
			fg->xlo = fmin(fg->xlo, r->size);
			fg->xhi = fmax(fg->xhi, r->size);
		}
	style(d, fg);
}

static int by_panel(const void *a, const void *b)
{
	const struct cb_plot_panel *x = a, *y = b;
	return x->order != y->order ? x->order - y->order : x->nranks - y->nranks;
}

/* Rows of the grid: one per collective; columns: the rank counts (at most
 * 4 side by side), or up to 3 collectives side by side when one count ran. */
static void layout(struct cb_plot_doc *d)
{
	struct cb_plot_fig *fg = &d->fig[0];
	int per_coll = 0, run = 0;
	qsort(fg->p, fg->np, sizeof *fg->p, by_panel);
	for (size_t i = 0; i < fg->np; i++) {
		run = i && !strcmp(fg->p[i].coll, fg->p[i - 1].coll) ? run + 1 : 1;
		per_coll = run > per_coll ? run : per_coll;
	}
	d->ncols = per_coll > 1 ? (per_coll < 4 ? per_coll : 4) : (fg->np < 3 ? (int)fg->np : 3);
	for (int k = 1; k < d->nfig; k++)
		qsort(d->fig[k].p, d->fig[k].np, sizeof *d->fig[k].p, by_panel);
}

static void doc_free(struct cb_plot_doc *d)
{
	for (int k = 0; k < d->nfig; k++) {
		for (size_t i = 0; i < d->fig[k].np; i++) {
			for (size_t j = 0; j < d->fig[k].p[i].ns; j++)
				free(d->fig[k].p[i].s[j].pts);
			free(d->fig[k].p[i].s);
		}
		free(d->fig[k].p);
	}
}

static const struct cb_plot_metric *metric_named(const char *name)
{
	for (size_t i = 0; i < CB_ARRAY_LEN(metrics); i++)
		if (!strcmp(metrics[i].name, name))
			return &metrics[i];
	cb_die(CB_EXIT_USAGE, "plot: invalid value '%s' for --metric: expected busbw, algbw, time "
	       "or E (see 'collbench plot --help')", name);
}

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n >= k && !strcasecmp(s + n - k, suf);
}

static void write_doc(const struct plot_opts *o, const struct cb_plot_doc *d)
{
	char *buf = NULL;
	size_t len = 0;
	bool html = ends_with(o->out, ".html") || ends_with(o->out, ".htm");
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		cb_die(CB_EXIT_RESOURCE, "out of memory");
	if (html) {
		/* One page, nothing fetched: inline SVG, no scripts, no fonts. */
		fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
			   "<title>");
		if (d->nruns == 1)
			cb_svg_esc(f, d->runs[0].cmdline);
		else
			fprintf(f, "collbench: %d runs compared", d->nruns);
		fprintf(f, "</title>\n<style>body{margin:12px;background:#fff}</style></head><body>\n");
		cb_plot_draw(f, d, false);
		fprintf(f, "</body></html>\n");
	} else {
		cb_plot_draw(f, d, true);
	}
	if (fclose(f))
		cb_die(CB_EXIT_RESOURCE, "out of memory");
	cb_write_whole("plot: -o", o->out, buf, len, o->force);
	free(buf);
}

int cb_plot_main(int argc, char **argv)
{
	struct plot_opts o = { 0 };
	struct cb_plot_doc d = { 0 };
	struct cb_run *runs;
	char **pos;
	int npos;

	cb_subopt_parse("plot", plot_optdescs, CB_ARRAY_LEN(plot_optdescs), &o, argc, argv, &pos,
			&npos);
	if (o.help) {
		cb_subopt_usage(stdout, PLOT_SYNOPSIS, plot_optdescs, CB_ARRAY_LEN(plot_optdescs));
		return CB_EXIT_OK;
	}
	if (!npos)
		cb_die(CB_EXIT_USAGE, "plot: no RUN.json given (see 'collbench plot --help')");
	if (!o.out)
		cb_die(CB_EXIT_USAGE, "plot: no -o FILE.svg or FILE.html given (see 'collbench plot --help')");
	if (strcmp(o.out, "-") && !ends_with(o.out, ".svg") && !ends_with(o.out, ".html") &&
	    !ends_with(o.out, ".htm"))
		cb_die(CB_EXIT_USAGE, "plot: -o '%s': the name must end in .svg or .html", o.out);
	d.fig[0].m = metric_named(o.metric);
	runs = cb_xcalloc((size_t)npos, sizeof *runs);
	for (int i = 0; i < npos; i++)
		cb_run_load_or_die(&runs[i], "plot", pos[i]);
	d.runs = runs;
	d.nruns = npos;
	d.in_place = o.in_place;
	d.nfig = 1;
	d.fig[0].heading = NULL;
	d.fig[0].linear_y = o.linear_y;
	gather(&d, &d.fig[0], &(struct gather){ &o, d.fig[0].m, 0 });
	if (!d.fig[0].np)
		cb_die(CB_EXIT_USAGE, "plot: nothing to plot: no row half of the %s selected has a %s",
		       o.in_place ? "in-place" : "out-of-place", d.fig[0].m->name);
	if (d.fig[0].m->kind != 1 && o.latency_max && d.fig[0].xlo <= (double)o.latency_max) {
		d.fig[1].linear_y = false;
		d.fig[1].heading = "Latency: time per call";
		gather(&d, &d.fig[1], &(struct gather){ &o, &metrics[2], o.latency_max });
		d.nfig = 2;   /* drawn only if it has panels */
	}
	layout(&d);
	write_doc(&o, &d);
	doc_free(&d);
	for (int i = 0; i < npos; i++)
		cb_run_free(&runs[i]);
	free(runs);
	return CB_EXIT_OK;
}
