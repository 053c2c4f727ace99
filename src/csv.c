/* csv.c: the --csv printer: one header row, then one record per table row
 * with the same fields as JSON, from the one schema (fields.h; RFC 4180:
 * CRLF line ends, fields quoted when they hold a comma, a quote or a line
 * break, quotes doubled; no padding). Columns: the schema's fields of the
 * first layout (the row's, then oop_ and ip_ half fields), the run's
 * metadata (repeated in every record so that each stands alone), the
 * schema's later fields (csv_late: cycle, timestamp, ran, oop_/ip_
 * slow_yields and paused_yield_waits, then groups .. cold_bytes), and with --counters
 * oop_/ip_<counter>_total and _per_iter. Empty field: null (not measured,
 * not checked, no in-place form or not applicable, counter unavailable). */
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/fields.h"
#include "collbench/json.h"
#include "collbench/report.h"
#include "collbench/transport.h"

static const char *const meta_cols[] = {
	"format_version", "command_line", "start_time", "end_time", "collbench_version",
	"hwloc_version", "libnuma_version", "host", "machine", "placement",
	"transport", "mpi_library", "hosts", "mpi_window",
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

/* An array: one field, the numbers separated by spaces. */
static void nums(struct csv *c, const double *a, long n)
{
	char *s = cb_xcalloc((size_t)n * 40 + 1, 1), *p = s;
	for (long i = 0; i < n; i++) {
		if (i)
			*p++ = ' ';
		cb_json_number(p, 40, a[i]);
		p += strlen(p);
	}
	field(c, s);
	free(s);
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

/* One schema field's value: empty for null. */
static void value(struct csv *c, const struct cb_field *f, const struct cb_fval *v)
{
	if (v->null)
		field(c, "");
	else if (f->kind == CB_FK_INT)
		integer(c, v->i);
	else if (f->kind == CB_FK_NUM)
		num(c, v->d);
	else if (f->kind == CB_FK_NUMS)
		nums(c, v->a, v->n);
	else
		field(c, v->s);
}

/* The schema's CSV fields of one layout part (late or not): the row's,
 * then each half's, then the row fields the schema lists after the halves'
 * (added later still: the columns before keep their positions); header
 * names with r NULL. */
static void part(struct csv *c, const struct cb_result *r, bool late)
{
	unsigned first_half = 0;
	while (first_half < cb_nfields && !cb_fields[first_half].half)
		first_half++;
	for (int pass = 0; pass < 4; pass++)
		for (unsigned i = 0; i < cb_nfields; i++) {
			const struct cb_field *f = &cb_fields[i];
			int h = pass - 1;
			struct cb_fval v;
			char name[64];
			bool row_pass = pass == 0 || pass == 3;
			if (!(f->formats & CB_FMT_CSV) || f->csv_late != late || f->half == row_pass ||
			    (row_pass && (i > first_half) != (pass == 3)))
				continue;
			if (!r) {
				snprintf(name, sizeof name, "%s%s", f->half ? cb_half_prefix(h) : "", f->name);
				field(c, name);
				continue;
			}
			cb_field_value(f, r, h, &v);
			value(c, f, &v);
		}
}

/* The table's topology lines on one line, joined by "; " (the machine
 * column); "" when no rank count was placed. */
static char *machine_line(const struct cb_report *rep)
{
	char *t = rep->machine.taken ? cb_snap_topology_text(&rep->machine, false) : NULL;
	char *s = cb_xcalloc(t ? 2 * strlen(t) + 1 : 1, 1), *w = s;
	for (const char *r = t; r && *r; r++) {
		if (*r != '\n') {
			*w++ = *r;
		} else if (r[1]) {
			*w++ = ';';
			*w++ = ' ';
		}
	}
	free(t);
	return s;
}

/* The placement column of a record's rank count ("" if none was kept). */
static const char *placement(char *const *lines, const struct cb_report *rep, int nranks)
{
	for (int i = 0; i < rep->nplaces; i++)
		if (rep->places[i].nranks == nranks)
			return lines[i];
	return "";
}

/* The command line as a shell would take it back: '...' around words with
 * anything but safe characters. */
static char *shell_line(const struct cb_report *rep)
{
	char *cmd = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&cmd, &len);
	if (!m)
		cb_die(CB_EXIT_RESOURCE, "out of memory for the CSV");
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
	return cmd;
}

void cb_report_csv(FILE *f, const struct cb_report *rep)
{
	struct csv c = { f, true };
	char *cmd = shell_line(rep), vers[16], hosts[16], *machine = machine_line(rep);
	char **places = cb_xcalloc((size_t)rep->nplaces + 1, sizeof *places);

	part(&c, NULL, false);
	for (size_t i = 0; i < CB_ARRAY_LEN(meta_cols); i++)
		field(&c, meta_cols[i]);
	part(&c, NULL, true);
	for (int h = 0; rep->ctrs && h < 2; h++)
		for (unsigned k = 0; k < rep->ctrs->n; k++)
			for (int t = 0; t < 2; t++) {
				char name[64], full[80];
				cb_field_counter_name(rep->ctrs, k, t, name, sizeof name);
				snprintf(full, sizeof full, "%s%s", cb_half_prefix(h), name);
				field(&c, full);
			}
	end(&c);

	snprintf(vers, sizeof vers, "%d", CB_FORMAT_VERSION);
	for (int i = 0; i < rep->nplaces; i++)
		places[i] = cb_snap_place_line(&rep->places[i]);
	for (size_t k = 0; k < rep->nrows; k++) {
		const struct cb_result *r = cb_results_row(rep, k);
		part(&c, r, false);
		field(&c, vers);
		field(&c, cmd);
		field(&c, rep->start_time);
		field(&c, rep->end_time);
		field(&c, CB_VERSION);
		field(&c, cb_placement_hwloc_version());
		field(&c, cb_placement_numa_version());
		field(&c, rep->host);
		field(&c, machine);
		field(&c, placement(places, rep, r->nranks));
		field(&c, cb_transport_kind());
		field(&c, cb_xport.mpi ? cb_xport.library : "");
		snprintf(hosts, sizeof hosts, "%d", cb_transport_hosts());
		field(&c, hosts);
		field(&c, cb_xport.mpi ? cb_transport_window() : "");
		part(&c, r, true);
		for (int h = 0; rep->ctrs && h < 2; h++)
			for (unsigned i = 0; i < rep->ctrs->n; i++)
				for (int t = 0; t < 2; t++) {
					struct cb_fval v;
					cb_field_counter(r, h, i, t, &v);
					if (v.null)
						field(&c, "");
					else
						num(&c, v.d);
				}
		end(&c);
	}
	for (int i = 0; i < rep->nplaces; i++)
		free(places[i]);
	free(places);
	free(machine);
	free(cmd);
}
