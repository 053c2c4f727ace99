/* results.c: the records of a run, the compulsory traffic of a point, the
 * placement snapshots, the summary and the CI gates (results.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collbench/common.h"
#include "collbench/json.h"
#include "collbench/results.h"

static void iso_now(char *buf, size_t cap)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void cb_results_init(struct cb_report *rep, const struct cb_options *o, int argc, char **argv)
{
	memset(rep, 0, sizeof *rep);
	rep->o = o;
	rep->argc = argc;
	rep->argv = argv;
	iso_now(rep->start_time, sizeof rep->start_time);
	if (gethostname(rep->host, sizeof rep->host - 1))
		snprintf(rep->host, sizeof rep->host, "?");
}

void cb_results_add(struct cb_report *rep, const struct cb_result *r)
{
	struct cb_summary *s = &rep->sum;
	if (rep->nrows == rep->cap) {
		rep->cap = rep->cap ? 2 * rep->cap : 64;
		rep->rows = realloc(rep->rows, rep->cap * sizeof *rep->rows);
		if (!rep->rows)
			cb_die(CB_EXIT_RESOURCE, "out of memory for the results");
	}
	rep->rows[rep->nrows++] = *r;
	for (int h = 0; h < 2; h++) {
		if (!r->half[h].present)
			continue;
		s->busbw_sum += r->half[h].busbw;
		s->yield_slow += r->half[h].yield_slow;
		s->yield_paused += r->half[h].yield_paused;
		s->nbusbw++;
		if (r->half[h].wrong > 0)
			s->out_of_bounds++;
	}
}

/* A printer's lines captured as one string. */
static char *capture(void (*print)(FILE *, const struct cb_placement *, bool, const char *),
		     const struct cb_placement *pl)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		cb_die(CB_EXIT_RESOURCE, "out of memory for the report");
	print(f, pl, false, NULL);
	fclose(f);
	/* The table's "# " line prefixes are not part of the text. */
	{
		char *w = buf;
		bool bol = true;
		for (const char *r = buf; *r; r++) {
			if (bol && r[0] == '#')
				r += r[1] == ' ' ? 2 : 1;
			if (!*r)
				break;
			*w++ = *r;
			bol = *r == '\n';
		}
		*w = '\0';
	}
	return buf;
}

static void print_topo(FILE *f, const struct cb_placement *pl, bool d, const char *h)
{
	(void)d;
	(void)h;
	cb_placement_print_topology(f, pl, false);
}

static void print_map(FILE *f, const struct cb_placement *pl, bool d, const char *h)
{
	(void)d;
	(void)h;
	cb_placement_print_map(f, pl, NULL, 0);
}

void cb_results_place(struct cb_report *rep, const struct cb_placement *pl)
{
	struct cb_place_snap *sn;
	if (rep->cycle > 0)
		return;   /* -N: the same placements as in the first sweep */
	if (!rep->machine) {
		rep->machine = capture(print_topo, pl);
		rep->npus = pl->npus;
		rep->nnuma = pl->nnuma;
	}
	rep->places = realloc(rep->places, (size_t)(rep->nplaces + 1) * sizeof *rep->places);
	if (!rep->places)
		cb_die(CB_EXIT_RESOURCE, "out of memory for the report");
	sn = &rep->places[rep->nplaces++];
	memset(sn, 0, sizeof *sn);
	sn->nranks = pl->nranks;
	snprintf(sn->bind, sizeof sn->bind, "%s", cb_bind_name(pl->bind));
	if (pl->mem == CB_MEM_NODE)
		snprintf(sn->mem, sizeof sn->mem, "node:%d", pl->mem_node);
	else
		snprintf(sn->mem, sizeof sn->mem, "%s",
			 pl->mem == CB_MEM_INTERLEAVE ? "interleave" : "local");
	sn->ranks = cb_xcalloc((size_t)pl->nranks, sizeof *sn->ranks);
	memcpy(sn->ranks, pl->ranks, (size_t)pl->nranks * sizeof *sn->ranks);
	sn->map = capture(print_map, pl);
}

void cb_results_free(struct cb_report *rep)
{
	for (int i = 0; i < rep->nplaces; i++) {
		free(rep->places[i].ranks);
		free(rep->places[i].map);
	}
	free(rep->places);
	for (size_t i = 0; i < rep->nrows; i++)
		for (int h = 0; h < 2; h++) {
			free(rep->rows[i].half[h].times_us);
			free(rep->rows[i].half[h].rank_means_us);
		}
	free(rep->machine);
	free(rep->rows);
	free(rep->sum.regs);
	memset(rep, 0, sizeof *rep);
}

double cb_min_traffic(const struct cb_point *pt, int nranks)
{
	double e = (double)pt->dt->size, p = nranks;
	double snd = (double)pt->n.send * e, rcv = (double)pt->n.recv * e;
	switch (pt->coll->traffic) {
	case CB_TRAFFIC_ROOT_INPUT: return snd + p * rcv;
	case CB_TRAFFIC_ROOT_OUTPUT: return p * snd + rcv;
	default: break;
	}
	return p * (snd + rcv);          /* every rank reads and writes */
}

/* ---- --baseline ---- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	if (!f)
		cb_die(CB_EXIT_USAGE, "cannot read --baseline '%s': %s", path, strerror(errno));
	do {
		if (len + 65536 + 1 > cap) {
			cap = 2 * cap + 65536 + 1;
			buf = realloc(buf, cap);
			if (!buf)
				cb_die(CB_EXIT_RESOURCE, "out of memory reading '%s'", path);
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

static const char *str_field(const struct cb_jv *o, const char *k)
{
	const struct cb_jv *v = cb_json_get(o, k);
	return v && v->type == CB_JSTR ? v->str : NULL;
}

static int num_field(const struct cb_jv *o, const char *k, double *out)
{
	const struct cb_jv *v = cb_json_get(o, k);
	if (!v || v->type != CB_JNUM)
		return -1;
	*out = v->num;
	return 0;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		cb_die(CB_EXIT_RESOURCE, "out of memory");
	return d;
}

void cb_baseline_load(struct cb_baseline *b, const char *path)
{
	static const char *const halves[2] = { "out_of_place", "in_place" };
	char *text = slurp(path), err[160];
	struct cb_jv root;
	const struct cb_jv *fmt, *rows;

	memset(b, 0, sizeof *b);
	b->path = path;
	if (cb_json_parse(text, &root, err, sizeof err))
		cb_die(CB_EXIT_USAGE, "--baseline '%s' is not valid JSON: %s", path, err);
	free(text);
	fmt = cb_json_get(&root, "format");
	rows = cb_json_get(&root, "results");
	if (root.type != CB_JOBJ || !fmt || fmt->type != CB_JSTR ||
	    strcmp(fmt->str, "collbench-results") || !rows || rows->type != CB_JARR)
		cb_die(CB_EXIT_USAGE, "--baseline '%s' is not a collbench -J file (no \"format\": "
		       "\"collbench-results\" with \"results\")", path);
	b->rows = cb_xcalloc(rows->n, sizeof *b->rows);
	for (size_t i = 0; i < rows->n; i++) {
		const struct cb_jv *r = &rows->items[i];
		struct cb_base_row *br = &b->rows[i];
		const char *c = str_field(r, "collective"), *a = str_field(r, "algo"),
			   *t = str_field(r, "type"), *op = str_field(r, "redop");
		double np, sz, rt;
		if (!c || !a || !t || !op || num_field(r, "nranks", &np) ||
		    num_field(r, "size", &sz) || num_field(r, "root", &rt))
			cb_die(CB_EXIT_USAGE, "--baseline '%s': result %zu lacks collective, algo, "
			       "type, redop, nranks, size or root", path, i);
		br->coll = xstrdup(c);
		br->algo = xstrdup(a);
		br->type = xstrdup(t);
		br->redop = xstrdup(op);
		br->nranks = (int)np;
		br->size = (size_t)sz;
		br->root = (int)rt;
		for (int h = 0; h < 2; h++) {
			const struct cb_jv *hv = cb_json_get(r, halves[h]);
			br->present[h] = hv && hv->type == CB_JOBJ &&
					 !num_field(hv, "time_us", &br->time_us[h]);
		}
		b->nrows++;
	}
	cb_json_free(&root);
}

void cb_baseline_free(struct cb_baseline *b)
{
	for (size_t i = 0; i < b->nrows; i++) {
		free(b->rows[i].coll);
		free(b->rows[i].algo);
		free(b->rows[i].type);
		free(b->rows[i].redop);
	}
	free(b->rows);
	memset(b, 0, sizeof *b);
}

static const struct cb_base_row *base_find(const struct cb_baseline *b, const struct cb_result *r)
{
	const struct cb_point *pt = r->pt;
	const char *op = pt->op ? pt->op->name : "none";
	for (size_t i = 0; i < b->nrows; i++) {
		const struct cb_base_row *br = &b->rows[i];
		if (br->nranks == r->nranks && br->size == pt->n.bytes && br->root == pt->root &&
		    !strcmp(br->coll, pt->coll->name) && !strcmp(br->algo, pt->algo->name) &&
		    !strcmp(br->type, pt->dt->name) && !strcmp(br->redop, op))
			return br;
	}
	return NULL;
}

void cb_results_finish(struct cb_report *rep, const struct cb_baseline *b)
{
	struct cb_summary *s = &rep->sum;
	const struct cb_options *o = rep->o;

	iso_now(rep->end_time, sizeof rep->end_time);
	s->avg_busbw = s->nbusbw ? s->busbw_sum / (double)s->nbusbw : 0;
	s->min_busbw_failed = o->min_busbw_set && s->avg_busbw < o->min_busbw;
	if (b) {
		for (size_t i = 0; i < rep->nrows; i++) {
			const struct cb_result *r = &rep->rows[i];
			const struct cb_base_row *br = base_find(b, r);
			for (int h = 0; br && h < 2; h++) {
				double now, was, pct;
				if (!r->half[h].present || !br->present[h])
					continue;
				s->baseline_compared++;
				now = r->half[h].time_us;
				was = br->time_us[h];
				pct = was > 0 ? 100.0 * (now - was) / was : 0;
				if (pct <= o->max_regression)
					continue;
				s->regs = realloc(s->regs, (s->nregs + 1) * sizeof *s->regs);
				if (!s->regs)
					cb_die(CB_EXIT_RESOURCE, "out of memory");
				s->regs[s->nregs++] = (struct cb_regression){ i, h, was, pct };
			}
		}
	}
	s->exit_status = (s->out_of_bounds || s->min_busbw_failed || s->nregs ||
			  (b && !s->baseline_compared)) ? CB_EXIT_WRONG : CB_EXIT_OK;
	/* Interrupted: 128 + signal, as a shell reports a killed command
	 * (man page, EXIT STATUS); the rows so far are reported as usual. */
	if (s->interrupted)
		s->exit_status = 128 + s->interrupted;
}
