/* plot_draw.c: the document of collbench plot (plot.h): a title block
 * saying what ran, then per figure a grid of panels, each with its axes,
 * lines and a legend to its right. Sizes in px; the page is meant to be
 * read at 100% in a browser. */
#define _GNU_SOURCE
#include <math.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/plot.h"
#include "collbench/svg.h"

enum {
	PANEL_W = 480, PANEL_H = 300,          /* one panel with its legend */
	PLOT_L = 66, PLOT_W = 262, PLOT_T = 30, PLOT_H = 212,
	LEG_X = PLOT_L + PLOT_W + 14,
	MARGIN = 16, LINE = 17, MAX_LEGEND = 12, DENSE = 64,
};

/* matplotlib's tab10: distinct on white, kind to most colour vision */
static const char *const palette[] = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
				       "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
				       "#222" };
/* The last colour is not a series': the legend's neutral with several runs. */
#define NCOL (CB_ARRAY_LEN(palette) - 1)
#define INK NCOL
/* Marker shapes in a 10 x 10 box around 0,0; the last two are hollow. */
static const char *const shapes[] = {
	"<circle r=\"3.6\" fill=\"%s\"/>",
	"<path d=\"M-3.2,-3.2H3.2V3.2H-3.2Z\" fill=\"%s\"/>",
	"<path d=\"M0,-4.2L4,3.4H-4Z\" fill=\"%s\"/>",
	"<path d=\"M0,-4.6L4.6,0L0,4.6L-4.6,0Z\" fill=\"%s\"/>",
	"<path d=\"M0,4.2L4,-3.4H-4Z\" fill=\"%s\"/>",
	"<path d=\"M-1.4,-4.6H1.4V-1.4H4.6V1.4H1.4V4.6H-1.4V1.4H-4.6V-1.4H-1.4Z\" fill=\"%s\"/>",
	"<circle r=\"3.2\" fill=\"#fff\" stroke=\"%s\" stroke-width=\"1.8\"/>",
	"<path d=\"M-3,-3H3V3H-3Z\" fill=\"#fff\" stroke=\"%s\" stroke-width=\"1.8\"/>",
};
#define NSHAPE CB_ARRAY_LEN(shapes)

static const char css[] =
	"text{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;font-size:12px;fill:#222}"
	".h1{font-size:17px;font-weight:bold}.h2{font-size:15px;font-weight:bold}"
	".pt{font-size:13px;font-weight:bold}.note{font-size:11.5px;fill:#555}"
	".tk{font-size:11px;fill:#444}.lg{font-size:11.5px}"
	".fr{fill:none;stroke:#888;stroke-width:1}.gr{stroke:#e3e3e3;stroke-width:1}"
	".mt{stroke:#888;stroke-width:1}"
	"polyline{fill:none;stroke-linejoin:round;stroke-linecap:round}";

static bool is_auto(const struct cb_plot_series *s)
{
	return s->algo && !strcmp(s->algo, "auto");
}

/* Drawing order: the roofline, then auto beneath the others. */
static int layer(const struct cb_plot_series *s)
{
	return !s->algo ? 0 : is_auto(s) ? 1 : 2;
}

static const char *colour(const struct cb_plot_doc *d, const struct cb_plot_series *s)
{
	if (!s->algo && d->nruns == 1)
		return "#555";
	if (is_auto(s) && d->nruns == 1)
		return "#222";
	return palette[(size_t)s->colour % NCOL];
}

static void markers(FILE *f, const struct cb_plot_doc *d)
{
	bool used[NCOL + 1][NSHAPE] = { { false } };
	for (int k = 0; k < d->nfig; k++)
		for (size_t i = 0; i < d->fig[k].np; i++)
			for (size_t j = 0; j < d->fig[k].p[i].ns; j++) {
				const struct cb_plot_series *s = &d->fig[k].p[i].s[j];
				used[(size_t)s->colour % NCOL][(size_t)s->shape % NSHAPE] = true;
				used[INK][(size_t)s->shape % NSHAPE] |= d->nruns > 1;
			}
	fprintf(f, "<defs>\n");
	for (size_t c = 0; c <= NCOL; c++)
		for (size_t m = 0; m < NSHAPE; m++) {
			if (!used[c][m])
				continue;
			fprintf(f, "<marker id=\"m%zu_%zu\" viewBox=\"-5 -5 10 10\" markerWidth=\"8\" "
				   "markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" overflow=\"visible\">",
				c, m);
			fprintf(f, shapes[m], palette[c]);
			fprintf(f, "</marker>\n");
		}
	fprintf(f, "</defs>\n");
}

/* A class per colour and marker: a polyline then costs a few bytes more
 * than its points (a 10-run figure has thousands). */
static void classes(FILE *f)
{
	fprintf(f, "<style>");
	for (size_t c = 0; c <= NCOL; c++) {
		fprintf(f, ".c%zu{stroke:%s}", c, palette[c]);
		for (size_t m = 0; m < NSHAPE; m++)
			fprintf(f, ".k%zu_%zu{marker:url(#m%zu_%zu)}", c, m, c, m);
	}
	fprintf(f, ".roof{stroke-width:1.6;stroke-dasharray:6 4}.auto{stroke-width:7;"
		   "stroke-opacity:0.3}.alg{stroke-width:1.6}.grey{stroke:#555}.ink{stroke:#222}"
		   "</style>\n");
}

/* The polyline of a series: roofline dashed, auto wide and translucent
 * underneath, the others thin with a marker per point (unless dense). */
static void polyline(FILE *f, const struct cb_plot_doc *d, const struct cb_plot_series *s,
		     const struct cb_axis *x, const struct cb_axis *y)
{
	size_t c = (size_t)s->colour % NCOL, m = (size_t)s->shape % NSHAPE;
	bool one = d->nruns == 1;
	if (!s->algo && one)
		fprintf(f, "<polyline class=\"roof grey\" points=\"");
	else if (!s->algo)
		fprintf(f, "<polyline class=\"roof c%zu\" points=\"", c);
	else if (is_auto(s) && one)
		fprintf(f, "<polyline class=\"auto ink\" points=\"");
	else if (is_auto(s))
		fprintf(f, "<polyline class=\"auto c%zu\" points=\"", c);
	else if (s->n <= DENSE)
		fprintf(f, "<polyline class=\"alg c%zu k%zu_%zu\" points=\"", c, c, m);
	else
		fprintf(f, "<polyline class=\"alg c%zu\" points=\"", c);
	for (size_t i = 0; i < s->n; i++)
		cb_svg_pt(f, cb_axis_px(x, s->pts[i].x), cb_axis_px(y, s->pts[i].y));
	fprintf(f, "\"/>\n");
}

static void label_of(const struct cb_plot_panel *p, const struct cb_plot_series *s, char *buf,
		     size_t cap)
{
	int n = snprintf(buf, cap, "%s", s->algo);
	if (p->vary_type && n >= 0 && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n, " %s %s", s->type, s->redop);
	if (p->vary_root && n >= 0 && (size_t)n < cap)
		snprintf(buf + n, cap - (size_t)n, " root %d", s->root);
}

/* A short line with the series' style and, mk given, its marker midway. */
static void legend_entry(FILE *f, double x, double y, const char *style, const char *mk,
			 const char *text)
{
	fprintf(f, "<polyline points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" style=\"%s", x, y - 4,
		x + 12, y - 4, x + 24, y - 4, style);
	if (mk)
		fprintf(f, ";marker-mid:url(#%s)", mk);
	fprintf(f, "\"/>\n");
	cb_svg_text(f, x + 30, y, "lg", "start", false, text);
}

/* One entry per algorithm (with several runs the colour is the run's, so
 * the entry is drawn in black's stead with the algorithm's marker). */
static void legend(FILE *f, const struct cb_plot_doc *d, const struct cb_plot_panel *p,
		   double x, double y)
{
	int shown = 0, hidden = 0;
	bool roof = false, seen[NSHAPE * 8] = { false };
	char style[96], mk[16], text[96];
	for (size_t j = 0; j < p->ns; j++) {
		const struct cb_plot_series *s = &p->s[j];
		roof |= !s->algo;
		if (!s->algo || (d->nruns > 1 && s->shape < (int)CB_ARRAY_LEN(seen) && seen[s->shape]))
			continue;
		if (d->nruns > 1 && s->shape < (int)CB_ARRAY_LEN(seen))
			seen[s->shape] = true;
		if (shown == MAX_LEGEND) {
			hidden++;
			continue;
		}
		label_of(p, s, text, sizeof text);
		if (is_auto(s)) {
			snprintf(style, sizeof style, "stroke:%s;stroke-width:7;stroke-opacity:0.3",
				 d->nruns > 1 ? "#222" : colour(d, s));
			legend_entry(f, x, y + shown++ * LINE, style, NULL, text);
			continue;
		}
		snprintf(style, sizeof style, "stroke:%s;stroke-width:1.6",
			 d->nruns > 1 ? "#222" : colour(d, s));
		snprintf(mk, sizeof mk, "m%zu_%zu", d->nruns > 1 ? (size_t)INK : (size_t)s->colour % NCOL,
			 (size_t)s->shape % NSHAPE);
		legend_entry(f, x, y + shown++ * LINE, style, s->n <= DENSE ? mk : NULL, text);
	}
	if (hidden) {
		snprintf(text, sizeof text, "(+%d more)", hidden);
		cb_svg_text(f, x + 30, y + shown++ * LINE, "note", "start", false, text);
	}
	if (roof)
		legend_entry(f, x, y + shown * LINE, "stroke:#555;stroke-width:1.6;stroke-dasharray:6 4",
			     NULL, "roofline (E = 1)");
}

static void y_range(const struct cb_plot_fig *fg, const struct cb_plot_panel *p,
		    struct cb_axis *y)
{
	double lo = INFINITY, hi = 0;
	for (size_t j = 0; j < p->ns; j++)
		for (size_t i = 0; i < p->s[j].n; i++) {
			lo = fmin(lo, p->s[j].pts[i].y);
			hi = fmax(hi, p->s[j].pts[i].y);
		}
	if (fg->m->kind == 2 && fg->linear_y)
		hi = fmax(hi, 1);
	cb_axis_fit(y, lo, hi, !fg->linear_y, fg->m->fmt);
}

static void axes(FILE *f, const struct cb_axis *x, const struct cb_axis *y, double px, double py,
		 const char *ylabel)
{
	struct cb_tick t[128];
	size_t n = cb_axis_ticks(x, t, CB_ARRAY_LEN(t));
	for (size_t i = 0; i < n; i++) {
		double xx = cb_axis_px(x, t[i].v);
		if (t[i].label) {
			cb_svg_line(f, xx, py + PLOT_T, xx, py + PLOT_T + PLOT_H, "gr");
			cb_svg_text(f, xx, py + PLOT_T + PLOT_H + 16, "tk", "middle", false, t[i].text);
		}
		cb_svg_line(f, xx, py + PLOT_T + PLOT_H, xx, py + PLOT_T + PLOT_H + (t[i].label ? 5 : 3),
			    "mt");
	}
	n = cb_axis_ticks(y, t, CB_ARRAY_LEN(t));
	for (size_t i = 0; i < n; i++) {
		double yy = cb_axis_px(y, t[i].v);
		if (t[i].label) {
			cb_svg_line(f, px + PLOT_L, yy, px + PLOT_L + PLOT_W, yy, "gr");
			cb_svg_text(f, px + PLOT_L - 7, yy + 4, "tk", "end", false, t[i].text);
		}
		cb_svg_line(f, px + PLOT_L - (t[i].label ? 5 : 3), yy, px + PLOT_L, yy, "mt");
	}
	cb_svg_rect(f, px + PLOT_L, py + PLOT_T, PLOT_W, PLOT_H, "fill:none;stroke:#888");
	cb_svg_text(f, px + PLOT_L + PLOT_W / 2.0, py + PLOT_T + PLOT_H + 36, "lg", "middle", false,
		    "message size (bytes, log2)");
	cb_svg_text(f, px + 16, py + PLOT_T + PLOT_H / 2.0, "lg", "middle", true, ylabel);
}

static void panel(FILE *f, const struct cb_plot_doc *d, const struct cb_plot_fig *fg,
		  const struct cb_plot_panel *p, double px, double py)
{
	struct cb_axis x, y;
	char title[96];
	/* Panel coordinates: short numbers in every point of every line. */
	fprintf(f, "<g transform=\"translate(%.0f %.0f)\">\n", px, py);
	px = py = 0;
	snprintf(title, sizeof title, "%s, %d rank%s", p->coll, p->nranks, p->nranks == 1 ? "" : "s");
	cb_svg_text(f, px + PLOT_L, py + PLOT_T - 10, "pt", "start", false, title);
	cb_axis_fit(&x, fg->xlo, fg->xhi, true, CB_FMT_BYTES);
	x.p0 = px + PLOT_L;
	x.p1 = px + PLOT_L + PLOT_W;
	y_range(fg, p, &y);
	y.p0 = py + PLOT_T + PLOT_H;
	y.p1 = py + PLOT_T;
	axes(f, &x, &y, px, py, fg->m->axis_label);
	/* roofline, then auto beneath the others, then the others */
	for (int pass = 0; pass < 3; pass++)
		for (size_t j = 0; j < p->ns; j++) {
			const struct cb_plot_series *s = &p->s[j];
			if (layer(s) == pass && s->n)
				polyline(f, d, s, &x, &y);
		}
	legend(f, d, p, px + LEG_X, py + PLOT_T + 10);
	fprintf(f, "</g>\n");
}

static double fig_height(const struct cb_plot_doc *d, const struct cb_plot_fig *fg)
{
	int rows = fg->np ? (int)((fg->np + (size_t)d->ncols - 1) / (size_t)d->ncols) : 0;
	return fg->np ? 30 + rows * PANEL_H : 0;
}

static void figure(FILE *f, const struct cb_plot_doc *d, const struct cb_plot_fig *fg, double y0)
{
	char head[160], lim[16];
	if (fg->heading) {
		cb_fmt_value(lim, sizeof lim, fg->xhi, CB_FMT_BYTES);
		snprintf(head, sizeof head, "%s, sizes up to %s (log-log)", fg->heading, lim);
	} else {
		snprintf(head, sizeof head, "%s against message size%s", fg->m->what,
			 fg->linear_y ? "" : " (log-log)");
		head[0] = (char)(head[0] - 32 * (head[0] >= 'a' && head[0] <= 'z'));
	}
	cb_svg_text(f, MARGIN, y0 + 20, "h2", "start", false, head);
	for (size_t i = 0; i < fg->np; i++)
		panel(f, d, fg, &fg->p[i], MARGIN + (double)(i % (size_t)d->ncols) * PANEL_W,
		      y0 + 30 + (double)(i / (size_t)d->ncols) * PANEL_H);
}

/* "2, 4, 8": the rank counts of the figure's panels */
static void rank_counts(const struct cb_plot_fig *fg, char *buf, size_t cap)
{
	int seen[64], n = 0;
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < fg->np; i++) {
		int k = 0;
		while (k < n && seen[k] != fg->p[i].nranks)
			k++;
		if (k < n || n == 64 || len + 8 >= cap)
			continue;
		seen[n++] = fg->p[i].nranks;
		len += (size_t)snprintf(buf + len, cap - len, "%s%d", n > 1 ? ", " : "", fg->p[i].nranks);
	}
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

/* One line naming a run: file, machine, version/commit, date (and with
 * several runs its command, which may differ). */
static void run_line(char *buf, size_t cap, const struct cb_run *r, bool several)
{
	int n = snprintf(buf, cap, "%s: host %s, collbench %s%s%s, %s", base_name(r->path),
			 *r->host ? r->host : "?", *r->version ? r->version : "?",
			 *r->commit ? " " : "", r->commit, *r->start ? r->start : "date ?");
	if (several && n > 0 && (size_t)n < cap)
		snprintf(buf + n, cap - (size_t)n, "; %s %s, bind %s, memory %s - %s", r->dtype, r->op,
			 r->bind, r->mem, r->cmdline);
}

/* SVG text does not wrap: a line longer than the page (a long command
 * line) is cut to max characters, on a UTF-8 boundary, ending in "...". */
static void clip(char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max || max < 4)
		return;
	n = max - 3;
	while (n > 0 && (s[n] & 0xc0) == 0x80)
		n--;
	memcpy(s + n, "...", 4);
}

/* Whether every run has the first one's datatype, op and placement (else
 * the title must not name the first run's as everyone's). */
static bool runs_agree(const struct cb_plot_doc *d)
{
	const struct cb_run *a = &d->runs[0];
	for (int i = 1; i < d->nruns; i++) {
		const struct cb_run *b = &d->runs[i];
		if (strcmp(a->dtype, b->dtype) || strcmp(a->op, b->op) || strcmp(a->bind, b->bind) ||
		    strcmp(a->mem, b->mem))
			return false;
	}
	return true;
}

static int title_lines(const struct cb_plot_doc *d)
{
	return 4 + (d->nruns > 1 ? d->nruns : 1);
}

static void title(FILE *f, const struct cb_plot_doc *d, double w)
{
	const struct cb_run *r0 = &d->runs[0];
	char line[1024], ranks[256];
	double y = MARGIN + 16;
	/* characters that fit: about 0.6 em each */
	size_t big = (size_t)((w - 2 * MARGIN) / 10.5), small = (size_t)((w - 2 * MARGIN) / 7.2);
	rank_counts(&d->fig[0], ranks, sizeof ranks);
	if (d->nruns == 1)
		snprintf(line, sizeof line, "%s", r0->cmdline);
	else
		snprintf(line, sizeof line, "collbench: %d runs compared", d->nruns);
	clip(line, big);
	cb_svg_text(f, MARGIN, y, "h1", "start", false, line);
	if (runs_agree(d))
		snprintf(line, sizeof line, "%s, %s half; ranks %s; datatype %s, op %s; bind %s, "
			 "memory %s", d->fig[0].m->what, d->in_place ? "in-place" : "out-of-place",
			 ranks, *r0->dtype ? r0->dtype : "?", *r0->op ? r0->op : "?",
			 *r0->bind ? r0->bind : "?", *r0->mem ? r0->mem : "?");
	else
		snprintf(line, sizeof line, "%s, %s half; ranks %s; datatypes, ops and placements "
			 "differ: see each run", d->fig[0].m->what,
			 d->in_place ? "in-place" : "out-of-place", ranks);
	clip(line, small);
	cb_svg_text(f, MARGIN, y += LINE + 3, "lg", "start", false, line);
	for (int i = 0; i < d->nruns; i++) {
		run_line(line, sizeof line, &d->runs[i], d->nruns > 1);
		clip(line, small - (d->nruns > 1 ? 5 : 0));
		y += LINE;
		if (d->nruns > 1) {
			char st[64];
			snprintf(st, sizeof st, "fill:%s", palette[(size_t)i % NCOL]);
			cb_svg_rect(f, MARGIN, y - 10, 22, 10, st);
		}
		cb_svg_text(f, MARGIN + (d->nruns > 1 ? 30 : 0), y, "lg", "start", false, line);
	}
	cb_svg_text(f, MARGIN, y + LINE, "note", "start", false,
		    "Wide pale line: auto, the algorithm collbench picks (the line it covers).");
	cb_svg_text(f, MARGIN, y + 2 * LINE, "note", "start", false,
		    "Dashed: roofline, the value at memory efficiency E = 1: only the collective's "
		    "compulsory bytes, moved at the copy bandwidth the run measured.");
}

void cb_plot_draw(FILE *f, const struct cb_plot_doc *d, bool standalone)
{
	double top = MARGIN + title_lines(d) * LINE + 14, h = top, w;
	for (int k = 0; k < d->nfig; k++)
		h += fig_height(d, &d->fig[k]);
	w = 2 * MARGIN + d->ncols * PANEL_W;
	w = w < 1000 ? 1000 : w;
	cb_svg_open(f, w, h + MARGIN, standalone, css);
	markers(f, d);
	classes(f);
	title(f, d, w);
	for (int k = 0; k < d->nfig; k++) {
		figure(f, d, &d->fig[k], top);
		top += fig_height(d, &d->fig[k]);
	}
	cb_svg_close(f);
}
