/* compare.c: collbench compare BASE.json NEW.json (compare.h). Both files'
 * rows are sorted by their key, walked side by side, and every row half
 * present in either becomes one comparison row; the verdict is the
 * --baseline rule (results.c). Output: compare_out.c. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collbench/common.h"
#include "collbench/compare.h"
#include "collbench/results.h"
#include "collbench/subcmd.h"

struct cmp_opts {
	double max_regression;
	const char *json, *csv;
	bool force, help;
};

#define COFF(f) offsetof(struct cmp_opts, f)
static const struct cb_subopt cmp_optdescs[] = {
	{ "max-regression", 0, "PCT", "10", "a matched row half whose time grew by more than PCT percent regressed (the --baseline rule); any regression: status 7",
	  CB_SUB_PCT, COFF(max_regression) },
	{ "json", 'J', "FILE", NULL, "write the comparison as JSON to FILE (-: stdout; the table then goes to stderr)",
	  CB_SUB_STRING, COFF(json) },
	{ "csv", 0, "FILE", NULL, "write the comparison as CSV to FILE (-: stdout; the table then goes to stderr)",
	  CB_SUB_STRING, COFF(csv) },
	{ "force", 0, NULL, NULL, "let -J/--csv overwrite an existing file (else status 6)",
	  CB_SUB_FLAG, COFF(force) },
	{ "help", 'h', NULL, NULL, "show this help and exit",
	  CB_SUB_FLAG, COFF(help) },
};
#define CMP_SYNOPSIS "collbench compare BASE.json NEW.json [options]"

/* The match key: collective, algorithm, rank count, datatype, op, root,
 * size (last, so a table reads down a sweep). */
static int key_cmp(const struct cb_run_row *a, const struct cb_run_row *b)
{
	int c;
	if ((c = strcmp(a->coll, b->coll)) || (c = strcmp(a->algo, b->algo)))
		return c;
	if (a->nranks != b->nranks)
		return a->nranks < b->nranks ? -1 : 1;
	if ((c = strcmp(a->type, b->type)) || (c = strcmp(a->redop, b->redop)))
		return c;
	if (a->root != b->root)
		return a->root < b->root ? -1 : 1;
	return (a->size > b->size) - (a->size < b->size);
}

static int by_key(const void *a, const void *b)
{
	return key_cmp(*(const struct cb_run_row *const *)a, *(const struct cb_run_row *const *)b);
}

struct side {
	const struct cb_run_row **idx;
	size_t n, at;
};

static void sort_side(struct side *s, const struct cb_run *r)
{
	s->idx = cb_xcalloc(r->nrows, sizeof *s->idx);
	for (size_t i = 0; i < r->nrows; i++)
		s->idx[i] = &r->rows[i];
	s->n = r->nrows;
	s->at = 0;
	qsort(s->idx, s->n, sizeof *s->idx, by_key);
}

/* Take the rows equal to key from s (repeats averaged) into row's side k. */
static void take(struct side *s, const struct cb_run_row *key, struct cb_cmp_row *row, int k)
{
	double t = 0, bw = 0;
	int n = 0;
	for (; s->at < s->n && !key_cmp(s->idx[s->at], key); s->at++) {
		const struct cb_run_half *h = &s->idx[s->at]->half[row->half];
		if (!h->present)
			continue;
		t += h->time_us;
		bw += h->busbw;
		if (!n)
			row->ran[k] = s->idx[s->at]->ran;
		n++;
	}
	row->in[k] = n > 0;
	row->time_us[k] = n ? t / n : 0;
	row->busbw[k] = n ? bw / n : 0;
}

static void add_row(struct cb_cmp *c, const struct cb_cmp_row *r, size_t *cap)
{
	if (c->n == *cap) {
		*cap = *cap ? 2 * *cap : 256;
		c->rows = realloc(c->rows, *cap * sizeof *c->rows);
		if (!c->rows)
			cb_die(CB_EXIT_RESOURCE, "out of memory");
	}
	c->rows[c->n++] = *r;
}

static void judge(struct cb_cmp *c, struct cb_cmp_row *r)
{
	if (!r->in[0] || !r->in[1]) {
		c->nonly[r->in[1]]++;
		return;
	}
	c->nmatched++;
	r->ratio = r->time_us[0] > 0 ? r->time_us[1] / r->time_us[0] : 0;
	r->change_pct = cb_time_change_pct(r->time_us[0], r->time_us[1]);
	r->regressed = cb_time_regressed(r->time_us[0], r->time_us[1], c->max_regression);
	c->nregressed += r->regressed;
}

void cb_compare_build(struct cb_cmp *c)
{
	struct side s[2];
	size_t cap = 0;
	for (int k = 0; k < 2; k++)
		sort_side(&s[k], c->run[k]);
	while (s[0].at < s[0].n || s[1].at < s[1].n) {
		const struct cb_run_row *key;
		size_t at[2] = { s[0].at, s[1].at };
		int d = s[0].at == s[0].n ? 1 : s[1].at == s[1].n ? -1
			: key_cmp(s[0].idx[s[0].at], s[1].idx[s[1].at]);
		key = d <= 0 ? s[0].idx[s[0].at] : s[1].idx[s[1].at];
		for (int h = 0; h < 2; h++) {
			struct cb_cmp_row r = { .key = key, .half = h };
			for (int k = 0; k < 2; k++) {
				s[k].at = at[k];
				if ((k == 0 && d <= 0) || (k == 1 && d >= 0))
					take(&s[k], key, &r, k);
			}
			if (!r.in[0] && !r.in[1])
				continue;   /* no such half (in-place sendrecv) */
			judge(c, &r);
			add_row(c, &r, &cap);
		}
	}
	/* No row in common is a failure, as with --baseline: a comparison that
	 * compared nothing must not pass a CI gate. */
	c->status = c->nregressed || !c->nmatched ? CB_EXIT_WRONG : CB_EXIT_OK;
	free(s[0].idx);
	free(s[1].idx);
}

static void emit(const char *opt, const char *path, bool force, const struct cb_cmp *c,
		 void (*print)(FILE *, const struct cb_cmp *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	if (!path)
		return;
	if (!(f = open_memstream(&buf, &len)))
		cb_die(CB_EXIT_RESOURCE, "out of memory");
	print(f, c);
	if (fclose(f))
		cb_die(CB_EXIT_RESOURCE, "out of memory");
	cb_write_whole(opt, path, buf, len, force);
	free(buf);
}

int cb_compare_main(int argc, char **argv)
{
	struct cmp_opts o = { 0 };
	struct cb_run run[2];
	struct cb_cmp c = { 0 };
	char **pos;
	int npos;
	bool to_stdout;

	cb_subopt_parse("compare", cmp_optdescs, CB_ARRAY_LEN(cmp_optdescs), &o, argc, argv, &pos,
			&npos);
	if (o.help) {
		cb_subopt_usage(stdout, CMP_SYNOPSIS, cmp_optdescs, CB_ARRAY_LEN(cmp_optdescs));
		return CB_EXIT_OK;
	}
	if (npos != 2)
		cb_die(CB_EXIT_USAGE, "compare: expected BASE.json NEW.json, got %d file%s (see "
		       "'collbench compare --help')", npos, npos == 1 ? "" : "s");
	if (o.json && o.csv && !strcmp(o.json, o.csv))
		cb_die(CB_EXIT_USAGE, "compare: -J/--json and --csv name the same file '%s'", o.json);
	/* Both outputs checked before either is written: all or nothing. */
	if (!o.force && ((o.json && strcmp(o.json, "-") && !access(o.json, F_OK)) ||
			 (o.csv && strcmp(o.csv, "-") && !access(o.csv, F_OK))))
		cb_die(CB_EXIT_USAGE, "compare: '%s' exists; refusing to overwrite it (use --force)",
		       o.json && strcmp(o.json, "-") && !access(o.json, F_OK) ? o.json : o.csv);
	for (int k = 0; k < 2; k++)
		cb_run_load_or_die(&run[k], "compare", pos[k]);
	c.run[0] = &run[0];
	c.run[1] = &run[1];
	c.max_regression = o.max_regression;
	cb_compare_build(&c);
	to_stdout = (o.json && !strcmp(o.json, "-")) || (o.csv && !strcmp(o.csv, "-"));
	emit("compare: -J/--json", o.json, o.force, &c, cb_compare_json);
	emit("compare: --csv", o.csv, o.force, &c, cb_compare_csv);
	cb_compare_table(to_stdout ? stderr : stdout, &c);
	free(c.rows);
	cb_run_free(&run[0]);
	cb_run_free(&run[1]);
	return c.status;
}
