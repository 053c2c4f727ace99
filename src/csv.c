/* csv.c: the --csv printer: one header row, then one record per table row
 * with the same fields as JSON (RFC 4180: CRLF line ends, fields quoted
 * when they hold a comma, a quote or a line break, quotes doubled; no
 * padding). The run's metadata repeats in trailing columns of every record
 * so that each record stands alone; after it come cycle, timestamp and,
 * with --counters, oop_/ip_<counter>_total and _per_iter. Empty field: null
 * (not measured, not checked, no in-place form, counter unavailable). */
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/json.h"
#include "collbench/report.h"

static const char *const half_cols[] = {
	"time_us", "algbw", "busbw", "wrong", "efficiency", "iterations", "samples",
	"min_us", "p50_us", "p99_us", "max_us", "mean_us", "stdev_us", "cv_pct",
	"straggler_rank", "straggler_mean_us",
};
static const char *const row_cols[] = {
	"nranks", "collective", "algo", "size", "count", "type", "redop", "root",
	"min_bytes", "copy_bytes", "copy_bw",
};
static const char *const meta_cols[] = {
	"format_version", "command_line", "start_time", "end_time", "collbench_version",
	"hwloc_version", "libnuma_version", "host", "machine", "placement",
};

struct csv {
	FILE *f;
	bool first;
};

static void field(struct csv *c, const char *s)
{
	if (!c->first)
		fputc(',', c->f);
	c->first = false;
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', c->f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', c->f);
			fputc(*s, c->f);
		}
		fputc('"', c->f);
	} else {
		fputs(s, c->f);
	}
}

static void num(struct csv *c, double v)
{
	char buf[40];
	cb_json_number(buf, sizeof buf, v);
	field(c, buf);
}

static void integer(struct csv *c, long long v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%lld", v);
	field(c, buf);
}

static void end(struct csv *c)
{
	fputs("\r\n", c->f);
	c->first = true;
}

static void half_fields(struct csv *c, const struct cb_half *x)
{
	if (!x->present) {
		for (size_t i = 0; i < CB_ARRAY_LEN(half_cols); i++)
			field(c, "");
		return;
	}
	num(c, x->time_us);
	num(c, x->algbw);
	num(c, x->busbw);
	if (x->wrong < 0)
		field(c, "");
	else
		integer(c, x->wrong);
	if (x->has_eff)
		num(c, x->eff);
	else
		field(c, "");
	integer(c, x->iters);
	integer(c, x->st.n);
	num(c, x->st.min_us);
	num(c, x->st.p50_us);
	num(c, x->st.p99_us);
	num(c, x->st.max_us);
	num(c, x->st.mean_us);
	num(c, x->st.stdev_us);
	num(c, x->st.cv_pct);
	integer(c, x->st.straggler);
	num(c, x->st.straggler_mean_us);
}

/* Text with line breaks joined by "; " (the machine summary). */
static void joined(struct csv *c, const char *s)
{
	char buf[2048];
	size_t n = 0;
	for (; s && *s && n + 3 < sizeof buf; s++) {
		if (*s == '\n') {
			if (s[1]) {
				buf[n++] = ';';
				buf[n++] = ' ';
			}
		} else {
			buf[n++] = *s;
		}
	}
	buf[n] = '\0';
	field(c, buf);
}

static void placement(struct csv *c, const struct cb_report *rep, int nranks)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		cb_die(CB_EXIT_RESOURCE, "out of memory for the CSV");
	for (int i = 0; i < rep->nplaces; i++) {
		const struct cb_place_snap *sn = &rep->places[i];
		if (sn->nranks != nranks)
			continue;
		fprintf(m, "bind %s mem %s", sn->bind, sn->mem);
		for (int r = 0; r < sn->nranks; r++)
			fprintf(m, "; rank %d PU %d core %d NUMA %d window %s", r, sn->ranks[r].pu_os,
				sn->ranks[r].core, sn->ranks[r].numa, sn->ranks[r].window_nodes);
		break;
	}
	fclose(m);
	field(c, buf);
	free(buf);
}

void cb_report_csv(FILE *f, const struct cb_report *rep)
{
	struct csv c = { f, true };
	char *cmd = NULL, vers[16];
	size_t len = 0;
	FILE *m = open_memstream(&cmd, &len);

	if (!m)
		cb_die(CB_EXIT_RESOURCE, "out of memory for the CSV");
	/* The command line as a shell would take it back: '...' around words
	 * with anything but safe characters. */
	for (int i = 0; i < rep->argc; i++) {
		const char *a = rep->argv[i];
		fputs(i ? " " : "", m);
		if (*a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			      "0123456789-_./:,+=@%") == strlen(a)) {
			fputs(a, m);
			continue;
		}
		fputc('\'', m);
		for (; *a; a++)
			fputs(*a == '\'' ? "'\\''" : (char[]){ *a, 0 }, m);
		fputc('\'', m);
	}
	fclose(m);

	for (size_t i = 0; i < CB_ARRAY_LEN(row_cols); i++)
		field(&c, row_cols[i]);
	for (int h = 0; h < 2; h++)
		for (size_t i = 0; i < CB_ARRAY_LEN(half_cols); i++) {
			char name[48];
			snprintf(name, sizeof name, "%s_%s", h ? "ip" : "oop", half_cols[i]);
			field(&c, name);
		}
	for (size_t i = 0; i < CB_ARRAY_LEN(meta_cols); i++)
		field(&c, meta_cols[i]);
	field(&c, "cycle");
	field(&c, "timestamp");
	field(&c, "ran");   /* after the columns of the first layout: positions kept */
	for (int h = 0; rep->ctrs && h < 2; h++)
		for (unsigned k = 0; k < rep->ctrs->n; k++)
			for (int t = 0; t < 2; t++) {
				char name[64];
				snprintf(name, sizeof name, "%s_%s_%s", h ? "ip" : "oop",
					 cb_counter_descs[rep->ctrs->idx[k]].name, t ? "per_iter" : "total");
				field(&c, name);
			}
	end(&c);

	snprintf(vers, sizeof vers, "%d", CB_FORMAT_VERSION);
	for (size_t k = 0; k < rep->nrows; k++) {
		const struct cb_result *r = &rep->rows[k];
		const struct cb_point *pt = r->pt;
		char ran[64];
		integer(&c, r->nranks);
		field(&c, pt->coll->name);
		field(&c, pt->algo->name);
		integer(&c, (long long)pt->n.bytes);
		integer(&c, (long long)pt->n.count);
		field(&c, pt->dt->name);
		field(&c, pt->op ? pt->op->name : "none");
		integer(&c, pt->root);
		num(&c, r->min_bytes);
		if (r->copy_bw > 0) {
			integer(&c, (long long)r->copy_bytes);
			num(&c, r->copy_bw);
		} else {
			field(&c, "");
			field(&c, "");
		}
		half_fields(&c, &r->half[0]);
		half_fields(&c, &r->half[1]);
		field(&c, vers);
		field(&c, cmd);
		field(&c, rep->start_time);
		field(&c, rep->end_time);
		field(&c, CB_VERSION);
		field(&c, cb_placement_hwloc_version());
		field(&c, cb_placement_numa_version());
		field(&c, rep->host);
		joined(&c, rep->machine);
		placement(&c, rep, r->nranks);
		integer(&c, r->cycle);
		field(&c, r->stamp);
		field(&c, cb_point_ran(pt, ran, sizeof ran));
		for (int h = 0; rep->ctrs && h < 2; h++)
			for (unsigned k = 0; k < rep->ctrs->n; k++) {
				const struct cb_half *x = &r->half[h];
				bool ok = x->present && x->ctr_ok[k];
				if (ok) {
					num(&c, x->ctr_total[k]);
					num(&c, x->ctr_per_iter[k]);
				} else {
					field(&c, "");
					field(&c, "");
				}
			}
		end(&c);
	}
	free(cmd);
}
