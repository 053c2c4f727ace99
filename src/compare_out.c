/* compare_out.c: the comparison as a table with a summary, as JSON and as
 * CSV (compare.h). The table is for people; the verdicts come from
 * compare.c and are only printed here. */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/compare.h"
#include "collbench/json.h"
#include "collbench/report.h"

#define WORST 5
static const char *const half_short[2] = { "out", "in" };

static const char *verdict(const struct cb_cmp *c, const struct cb_cmp_row *r)
{
	if (!r->in[0])
		return "only in NEW";
	if (!r->in[1])
		return "only in BASE";
	if (r->regressed)
		return "REGRESSED";
	return r->change_pct < -c->max_regression ? "faster" : "ok";
}

/* Geometric mean of the NEW/BASE time ratios of matched rows, of one
 * collective (NULL: all); *n: how many. */
static double geomean(const struct cb_cmp *c, const char *coll, size_t *n)
{
	double s = 0;
	*n = 0;
	for (size_t i = 0; i < c->n; i++) {
		const struct cb_cmp_row *r = &c->rows[i];
		if (r->ratio > 0 && (!coll || !strcmp(r->key->coll, coll))) {
			s += log(r->ratio);
			(*n)++;
		}
	}
	return *n ? exp(s / (double)*n) : 0;
}

/* The collectives in table order, each once. */
static size_t colls(const struct cb_cmp *c, const char **out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++)
		if (n < cap && (!n || strcmp(out[n - 1], c->rows[i].key->coll)))
			out[n++] = c->rows[i].key->coll;
	return n;
}

/* Indexes of the matched rows that got slower (ratio above 1), the
 * largest ratios first. */
static size_t worst(const struct cb_cmp *c, size_t *idx)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++) {
		double v = c->rows[i].ratio;
		size_t k;
		if (v <= 1 || (n == WORST && v <= c->rows[idx[WORST - 1]].ratio))
			continue;
		k = n < WORST ? n++ : WORST - 1;
		for (; k > 0 && c->rows[idx[k - 1]].ratio < v; k--)
			idx[k] = idx[k - 1];
		idx[k] = i;
	}
	return n;
}

static void run_desc(FILE *f, const char *which, const struct cb_run *r)
{
	fprintf(f, "# %-4s %s: host %s, collbench %s%s%s, %s\n", which, r->path, r->host, r->version,
		*r->commit ? " " : "", r->commit, r->start);
}

static void row_line(FILE *f, const struct cb_cmp *c, const struct cb_cmp_row *r)
{
	const struct cb_run_row *k = r->key;
	fprintf(f, "%-15s %-14s %5d %11.0f %-7s %-5s %4d %-4s", k->coll, k->algo, k->nranks, k->size,
		k->type, k->redop, k->root, half_short[r->half]);
	for (int s = 0; s < 2; s++)
		r->in[s] ? fprintf(f, " %10.2f", r->time_us[s]) : fprintf(f, " %10s", "-");
	for (int s = 0; s < 2; s++)
		r->in[s] ? fprintf(f, " %9.3f", r->busbw[s]) : fprintf(f, " %9s", "-");
	r->ratio > 0 ? fprintf(f, " %8.3f", r->ratio) : fprintf(f, " %8s", "-");
	fprintf(f, "  %s", verdict(c, r));
	/* auto picked another algorithm: often the reason for the change */
	if (r->ran[0] && r->ran[1] && strcmp(r->ran[0], r->ran[1]))
		fprintf(f, " (%s ran %s, now %s)", r->key->algo, r->ran[0], r->ran[1]);
	fputc('\n', f);
}

static void summary(FILE *f, const struct cb_cmp *c)
{
	const char *cs[64];
	size_t n, nc = colls(c, cs, CB_ARRAY_LEN(cs)), idx[WORST], nw;
	double g;
	fprintf(f, "# Summary: %zu row halves matched, %zu regressed by more than %g%%, %zu only in "
		   "BASE, %zu only in NEW\n", c->nmatched, c->nregressed, c->max_regression,
		c->nonly[0], c->nonly[1]);
	fprintf(f, "# Geometric mean of NEW/BASE time (below 1: NEW is faster):\n");
	for (size_t i = 0; i < nc; i++)
		if ((g = geomean(c, cs[i], &n)) > 0)
			fprintf(f, "#   %-16s %7.3f  (%+.1f%%, %zu halves)\n", cs[i], g, 100 * (g - 1), n);
	if ((g = geomean(c, NULL, &n)) > 0)
		fprintf(f, "#   %-16s %7.3f  (%+.1f%%, %zu halves)\n", "overall", g, 100 * (g - 1), n);
	nw = worst(c, idx);
	if (nw)
		fprintf(f, "# Worst rows (largest NEW/BASE time):\n");
	for (size_t i = 0; i < nw; i++) {
		fprintf(f, "#   ");
		row_line(f, c, &c->rows[idx[i]]);
	}
	if (!c->nmatched)
		fprintf(f, "# FAILED: no row of NEW matches a row of BASE\n");
	else
		fprintf(f, "# %s\n", c->nregressed ? "FAILED: regressions above --max-regression" : "OK");
}

void cb_compare_table(FILE *f, const struct cb_cmp *c)
{
	fprintf(f, "# collbench compare (a row half regresses when its time grows by more than "
		   "%g%%)\n", c->max_regression);
	run_desc(f, "BASE", c->run[0]);
	run_desc(f, "NEW", c->run[1]);
	fprintf(f, "#%-14s %-14s %5s %11s %-7s %-5s %4s %-4s %10s %10s %9s %9s %8s  %s\n",
		"collective", "algo", "ranks", "size(B)", "type", "redop", "root", "half", "base_us",
		"new_us", "base_bw", "new_bw", "new/base", "verdict");
	for (size_t i = 0; i < c->n; i++)
		row_line(f, c, &c->rows[i]);
	summary(f, c);
}

static void run_json(struct cb_jw *w, const char *key, const struct cb_run *r)
{
	cb_jw_open(w, key, '{');
	cb_jw_str(w, "file", r->path);
	cb_jw_str(w, "host", r->host);
	cb_jw_str(w, "collbench_version", r->version);
	cb_jw_str(w, "start_time", r->start);
	cb_jw_str(w, "command_line", r->cmdline);
	cb_jw_close(w, '}');
}

static void row_json(struct cb_jw *w, const struct cb_cmp *c, const struct cb_cmp_row *r)
{
	static const char *const side[2] = { "base", "new" };
	char key[32];
	cb_jw_open(w, NULL, '{');
	cb_jw_str(w, "collective", r->key->coll);
	cb_jw_str(w, "algo", r->key->algo);
	cb_jw_int(w, "nranks", r->key->nranks);
	cb_jw_num(w, "size", r->key->size);
	cb_jw_str(w, "type", r->key->type);
	cb_jw_str(w, "redop", r->key->redop);
	cb_jw_int(w, "root", r->key->root);
	cb_jw_str(w, "half", r->half ? "in_place" : "out_of_place");
	for (int s = 0; s < 2; s++) {
		snprintf(key, sizeof key, "%s_time_us", side[s]);
		r->in[s] ? cb_jw_num(w, key, r->time_us[s]) : cb_jw_null(w, key);
		snprintf(key, sizeof key, "%s_busbw", side[s]);
		r->in[s] ? cb_jw_num(w, key, r->busbw[s]) : cb_jw_null(w, key);
		snprintf(key, sizeof key, "%s_ran", side[s]);
		cb_jw_str(w, key, r->ran[s]);
	}
	r->ratio > 0 ? cb_jw_num(w, "ratio", r->ratio) : cb_jw_null(w, "ratio");
	r->ratio > 0 ? cb_jw_num(w, "change_pct", r->change_pct) : cb_jw_null(w, "change_pct");
	cb_jw_str(w, "verdict", verdict(c, r));
	cb_jw_close(w, '}');
}

void cb_compare_json(FILE *f, const struct cb_cmp *c)
{
	struct cb_jw w;
	const char *cs[64];
	size_t n, nc = colls(c, cs, CB_ARRAY_LEN(cs));
	cb_jw_init(&w, f);
	cb_jw_open(&w, NULL, '{');
	cb_jw_str(&w, "format", "collbench-compare");
	cb_jw_int(&w, "format_version", CB_FORMAT_VERSION);
	cb_jw_str(&w, "collbench_version", CB_VERSION);
	run_json(&w, "base", c->run[0]);
	run_json(&w, "new", c->run[1]);
	cb_jw_num(&w, "max_regression_pct", c->max_regression);
	cb_jw_open(&w, "rows", '[');
	for (size_t i = 0; i < c->n; i++)
		row_json(&w, c, &c->rows[i]);
	cb_jw_close(&w, ']');
	cb_jw_open(&w, "summary", '{');
	cb_jw_int(&w, "matched", (long long)c->nmatched);
	cb_jw_int(&w, "regressed", (long long)c->nregressed);
	cb_jw_int(&w, "only_in_base", (long long)c->nonly[0]);
	cb_jw_int(&w, "only_in_new", (long long)c->nonly[1]);
	cb_jw_open(&w, "geomean_ratio", '{');
	for (size_t i = 0; i < nc; i++)
		cb_jw_num(&w, cs[i], geomean(c, cs[i], &n));
	cb_jw_num(&w, "overall", geomean(c, NULL, &n));
	cb_jw_close(&w, '}');
	cb_jw_int(&w, "exit_status", c->status);
	cb_jw_close(&w, '}');
	cb_jw_close(&w, '}');
}

/* RFC 4180: quoted (quotes doubled) when it holds a comma, quote or break;
 * the names come from a file, which may say anything. */
static void csv_str(FILE *f, const char *s, bool comma)
{
	if (comma)
		fputc(',', f);
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void csv_num(FILE *f, bool have, double v)
{
	char buf[40];
	fputc(',', f);
	if (have && isfinite(v)) {
		cb_json_number(buf, sizeof buf, v);
		fputs(buf, f);
	}
}

void cb_compare_csv(FILE *f, const struct cb_cmp *c)
{
	fprintf(f, "collective,algo,nranks,size,type,redop,root,half,base_time_us,new_time_us,"
		   "base_busbw,new_busbw,ratio,change_pct,verdict,base_ran,new_ran\r\n");
	for (size_t i = 0; i < c->n; i++) {
		const struct cb_cmp_row *r = &c->rows[i];
		csv_str(f, r->key->coll, false);
		csv_str(f, r->key->algo, true);
		fprintf(f, ",%d,%.0f", r->key->nranks, r->key->size);
		csv_str(f, r->key->type, true);
		csv_str(f, r->key->redop, true);
		fprintf(f, ",%d,%s", r->key->root, r->half ? "in_place" : "out_of_place");
		csv_num(f, r->in[0], r->time_us[0]);
		csv_num(f, r->in[1], r->time_us[1]);
		csv_num(f, r->in[0], r->busbw[0]);
		csv_num(f, r->in[1], r->busbw[1]);
		csv_num(f, r->ratio > 0, r->ratio);
		csv_num(f, r->ratio > 0, r->change_pct);
		fprintf(f, ",%s", verdict(c, r));
		csv_str(f, r->ran[0] ? r->ran[0] : "", true);
		csv_str(f, r->ran[1] ? r->ran[1] : "", true);
		fputs("\r\n", f);
	}
}
