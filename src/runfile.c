/* runfile.c: reading a -J file back (runfile.h) with json.c's reader. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/json.h"
#include "collbench/report.h"
#include "collbench/runfile.h"
#include "collbench/subcmd.h"

const char *const cb_half_names[2] = { "out_of_place", "in_place" };

static char *dup_or_die(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		cb_die(CB_EXIT_RESOURCE, "out of memory");
	return d;
}

/* Rows repeat a handful of names thousands of times: keep one copy each
 * (the last few looked up first, as rows come in runs of one algorithm). */
static const char *intern(struct cb_run *run, const char *s)
{
	for (size_t i = run->nstrs; i-- > 0;)
		if (!strcmp(run->strs[i], s))
			return run->strs[i];
	run->strs = realloc(run->strs, (run->nstrs + 1) * sizeof *run->strs);
	if (!run->strs)
		cb_die(CB_EXIT_RESOURCE, "out of memory");
	run->strs[run->nstrs] = dup_or_die(s);
	return run->strs[run->nstrs++];
}

static const char *str_at(const struct cb_jv *o, const char *k)
{
	const struct cb_jv *v = cb_json_get(o, k);
	return v && v->type == CB_JSTR ? v->str : NULL;
}

static bool num_at(const struct cb_jv *o, const char *k, double *out)
{
	const struct cb_jv *v = cb_json_get(o, k);
	if (!v || v->type != CB_JNUM)
		return false;
	*out = v->num;
	return true;
}

/* A row's root: collbench's int, or the "%6i" string --nccl-compat writes
 * as nccl-tests does. */
static bool root_at(const struct cb_jv *o, double *out)
{
	const struct cb_jv *v = cb_json_get(o, "root");
	char *end;
	long r;
	if (v && v->type == CB_JSTR) {
		r = strtol(v->str, &end, 10);
		if (end == v->str || *end)
			return false;
		*out = (double)r;
		return true;
	}
	return num_at(o, "root", out);
}

static void read_half(const struct cb_jv *hv, struct cb_run_half *h)
{
	memset(h, 0, sizeof *h);
	if (!hv || hv->type != CB_JOBJ)
		return;   /* null: the collective has no such form */
	h->present = num_at(hv, "time_us", &h->time_us);
	num_at(hv, "algbw", &h->algbw);
	num_at(hv, "busbw", &h->busbw);
	h->has_eff = num_at(hv, "efficiency", &h->eff);
}

static int read_row(struct cb_run *run, const struct cb_jv *r, struct cb_run_row *row)
{
	const char *c = str_at(r, "collective"), *a = str_at(r, "algo"), *t = str_at(r, "type"),
		   *op = str_at(r, "redop");
	double np, rt;
	if (!c || !a || !t || !op || !num_at(r, "nranks", &np) || !num_at(r, "size", &row->size) ||
	    !root_at(r, &rt))
		return -1;
	row->coll = intern(run, c);
	row->algo = intern(run, a);
	row->type = intern(run, t);
	row->redop = intern(run, op);
	row->ran = str_at(r, "ran") ? intern(run, str_at(r, "ran")) : NULL;
	row->nranks = (int)np;
	row->root = (int)rt;
	row->min_bytes = row->copy_bw = 0;
	num_at(r, "min_bytes", &row->min_bytes);
	num_at(r, "copy_bw", &row->copy_bw);
	for (int h = 0; h < 2; h++)
		read_half(cb_json_get(r, cb_half_names[h]), &row->half[h]);
	return 0;
}

static char *join_cmdline(const struct cb_jv *cl)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		cb_die(CB_EXIT_RESOURCE, "out of memory");
	for (size_t i = 0; cl && cl->type == CB_JARR && i < cl->n; i++)
		if (cl->items[i].type == CB_JSTR) {
			const char *s = cl->items[i].str, *base = strrchr(s, '/');
			/* argv[0] as its base name: the figure is not about a path */
			fprintf(f, "%s%s", i ? " " : "", i == 0 && base ? base + 1 : s);
		}
	fclose(f);
	return buf;
}

static void describe(struct cb_run *run, const struct cb_jv *root)
{
	const struct cb_jv *mach = cb_json_get(root, "machine"), *cfg = cb_json_get(root, "config"),
			   *pls = cb_json_get(root, "placements");
	const struct cb_jv *pl0 = pls && pls->type == CB_JARR && pls->n ? &pls->items[0] : NULL;
	run->host = dup_or_die(str_at(mach, "host"));
	run->version = dup_or_die(str_at(root, "collbench_version"));
	run->commit = dup_or_die(str_at(root, "commit"));
	run->start = dup_or_die(str_at(root, "start_time"));
	run->cmdline = join_cmdline(cb_json_get(root, "command_line"));
	run->dtype = dup_or_die(str_at(cfg, "datatype"));
	run->op = dup_or_die(str_at(cfg, "op"));
	run->bind = dup_or_die(str_at(pl0, "bind"));
	run->mem = dup_or_die(str_at(pl0, "mem"));
}

static int check_root(const struct cb_jv *root, char *err, size_t cap)
{
	const char *fmt = str_at(root, "format");
	const struct cb_jv *rows = cb_json_get(root, "results");
	double v;
	if (root->type != CB_JOBJ || !fmt || strcmp(fmt, "collbench-results")) {
		snprintf(err, cap, "not a collbench -J file (no \"format\": \"collbench-results\")");
		return -1;
	}
	if (!num_at(root, "format_version", &v)) {
		snprintf(err, cap, "no \"format_version\"; this collbench reads version %d",
			 CB_FORMAT_VERSION);
		return -1;
	}
	if (v != CB_FORMAT_VERSION) {
		snprintf(err, cap, "format version %g; this collbench reads version %d only", v,
			 CB_FORMAT_VERSION);
		return -1;
	}
	if (!rows || rows->type != CB_JARR || rows->n == 0) {
		snprintf(err, cap, "no result rows");
		return -1;
	}
	return 0;
}

int cb_run_load(struct cb_run *run, const char *path, char *err, size_t cap)
{
	char *text, perr[160];
	struct cb_jv root;
	const struct cb_jv *rows;

	memset(run, 0, sizeof *run);
	run->path = path;
	if (!(text = cb_read_whole(path, err, cap)))
		return -1;
	if (cb_json_parse(text, &root, perr, sizeof perr)) {
		free(text);
		snprintf(err, cap, "not valid JSON (%s; truncated?)", perr);
		return -1;
	}
	free(text);
	if (check_root(&root, err, cap)) {
		cb_json_free(&root);
		return -1;
	}
	rows = cb_json_get(&root, "results");
	run->rows = cb_xcalloc(rows->n, sizeof *run->rows);
	for (size_t i = 0; i < rows->n; i++, run->nrows++)
		if (read_row(run, &rows->items[i], &run->rows[i])) {
			snprintf(err, cap, "result %zu lacks collective, algo, type, redop, nranks, "
				 "size or root", i);
			cb_json_free(&root);
			cb_run_free(run);
			return -1;
		}
	describe(run, &root);
	cb_json_free(&root);
	return 0;
}

void cb_run_load_or_die(struct cb_run *run, const char *cmd, const char *path)
{
	char err[256];
	if (cb_run_load(run, path, err, sizeof err))
		cb_die(CB_EXIT_USAGE, "%s: '%s': %s", cmd, path, err);
}

void cb_run_free(struct cb_run *run)
{
	char **fields[] = { &run->host, &run->version, &run->commit, &run->start, &run->cmdline,
			    &run->dtype, &run->op, &run->bind, &run->mem };
	for (size_t i = 0; i < CB_ARRAY_LEN(fields); i++)
		free(*fields[i]);
	for (size_t i = 0; i < run->nstrs; i++)
		free(run->strs[i]);
	free(run->strs);
	free(run->rows);
	memset(run, 0, sizeof *run);
}
