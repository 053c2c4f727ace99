/* json.c: JSON writer and reader (json.h), and the -J printer of a report. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/json.h"
#include "collbench/report.h"

/* ---- writer ---- */

void cb_jw_init(struct cb_jw *w, FILE *f)
{
	memset(w, 0, sizeof *w);
	w->f = f;
	w->first[0] = true;
}

/* Length of the valid UTF-8 sequence at s, 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

void cb_json_quote(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	fputc('"', f);
	while (*p) {
		size_t n;
		if (*p == '"' || *p == '\\') {
			fputc('\\', f);
			fputc(*p++, f);
		} else if (*p == '\n') {
			fputs("\\n", f);
			p++;
		} else if (*p == '\t') {
			fputs("\\t", f);
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
		} else if ((n = utf8_len(p)) == 0) {
			fputs("\\ufffd", f);   /* not UTF-8: keep the JSON valid */
			p++;
		} else {
			fwrite(p, 1, n, f);
			p += n;
		}
	}
	fputc('"', f);
}

void cb_json_number(char *buf, size_t cap, double v)
{
	/* The shortest of %.15g..%.17g that reads back as the same double. */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, cap, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

static void member(struct cb_jw *w, const char *key)
{
	if (!w->first[w->depth])
		fputc(',', w->f);
	w->first[w->depth] = false;
	if (w->depth) {
		fputc('\n', w->f);
		for (int i = 0; i < w->depth; i++)
			fputs("  ", w->f);
	}
	if (key) {
		cb_json_quote(w->f, key);
		fputs(": ", w->f);
	}
}

void cb_jw_open(struct cb_jw *w, const char *key, char bracket)
{
	member(w, key);
	fputc(bracket, w->f);
	if (w->depth + 1 < (int)CB_ARRAY_LEN(w->first))
		w->depth++;
	w->first[w->depth] = true;
}

void cb_jw_close(struct cb_jw *w, char bracket)
{
	bool empty = w->first[w->depth];
	w->depth--;
	if (!empty) {
		fputc('\n', w->f);
		for (int i = 0; i < w->depth; i++)
			fputs("  ", w->f);
	}
	fputc(bracket, w->f);
	if (!w->depth)
		fputc('\n', w->f);
}

void cb_jw_str(struct cb_jw *w, const char *key, const char *s)
{
	member(w, key);
	if (s)
		cb_json_quote(w->f, s);
	else
		fputs("null", w->f);
}

void cb_jw_num(struct cb_jw *w, const char *key, double v)
{
	char buf[40];
	member(w, key);
	if (v != v || v > 1.7976931348623157e308 || v < -1.7976931348623157e308) {
		fputs("null", w->f);
		return;
	}
	cb_json_number(buf, sizeof buf, v);
	fputs(buf, w->f);
}

void cb_jw_int(struct cb_jw *w, const char *key, long long v)
{
	member(w, key);
	fprintf(w->f, "%lld", v);
}

void cb_jw_bool(struct cb_jw *w, const char *key, bool v)
{
	member(w, key);
	fputs(v ? "true" : "false", w->f);
}

void cb_jw_null(struct cb_jw *w, const char *key)
{
	member(w, key);
	fputs("null", w->f);
}

/* ---- reader: recursive descent, depth-limited ---- */

struct jp {
	const char *s, *p;
	char *err;
	size_t cap;
	int depth;
};

static int fail(struct jp *j, const char *what)
{
	if (!j->err[0])
		snprintf(j->err, j->cap, "%s at byte %zu", what, (size_t)(j->p - j->s));
	return -1;
}

static void ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static int parse_string(struct jp *j, char **out)
{
	size_t cap = 16, n = 0;
	char *b = malloc(cap);
	if (!b)
		return fail(j, "out of memory");
	j->p++;   /* opening quote */
	for (;;) {
		unsigned c = (unsigned char)*j->p;
		char enc[4];
		size_t k = 1;
		if (!c || c < 0x20) {
			free(b);
			return fail(j, "unterminated string");
		}
		j->p++;
		if (c == '"')
			break;
		enc[0] = (char)c;
		if (c == '\\') {
			char e = *j->p++;
			const char *m = strchr("\"\\/bfnrt", e);
			if (e && m) {
				enc[0] = "\"\\/\b\f\n\r\t"[m - "\"\\/bfnrt"];
			} else if (e == 'u') {
				unsigned u;
				if (hex4(j->p, &u)) {
					free(b);
					return fail(j, "bad \\u escape");
				}
				j->p += 4;
				if (u >= 0xd800 && u <= 0xdfff)
					u = 0xfffd;   /* surrogates: not needed here */
				if (u < 0x80) {
					enc[0] = (char)u;
				} else if (u < 0x800) {
					enc[0] = (char)(0xc0 | u >> 6);
					enc[1] = (char)(0x80 | (u & 0x3f));
					k = 2;
				} else {
					enc[0] = (char)(0xe0 | u >> 12);
					enc[1] = (char)(0x80 | ((u >> 6) & 0x3f));
					enc[2] = (char)(0x80 | (u & 0x3f));
					k = 3;
				}
			} else {
				free(b);
				return fail(j, "bad escape");
			}
		}
		if (n + k + 1 > cap) {
			char *nb = realloc(b, cap *= 2);
			if (!nb) {
				free(b);
				return fail(j, "out of memory");
			}
			b = nb;
		}
		memcpy(b + n, enc, k);
		n += k;
	}
	b[n] = '\0';
	*out = b;
	return 0;
}

static int parse_value(struct jp *j, struct cb_jv *v);

static int push(struct jp *j, struct cb_jv *v, size_t *cap, struct cb_jv *item, char *key)
{
	if (v->n == *cap) {
		size_t nc = *cap ? 2 * *cap : 8;
		struct cb_jv *ni = realloc(v->items, nc * sizeof *ni);
		char **nk;
		if (!ni)
			return fail(j, "out of memory");
		v->items = ni;
		if (v->type == CB_JOBJ) {
			nk = realloc(v->keys, nc * sizeof *nk);
			if (!nk)
				return fail(j, "out of memory");
			v->keys = nk;
		}
		*cap = nc;
	}
	v->items[v->n] = *item;
	if (v->type == CB_JOBJ)
		v->keys[v->n] = key;
	v->n++;
	return 0;
}

static int parse_container(struct jp *j, struct cb_jv *v, char close)
{
	size_t cap = 0;
	if (++j->depth > 64)
		return fail(j, "nested too deeply");
	j->p++;
	ws(j);
	if (*j->p == close) {
		j->p++;
		j->depth--;
		return 0;
	}
	for (;;) {
		struct cb_jv item;
		char *key = NULL;
		ws(j);
		if (close == '}') {
			if (*j->p != '"' || parse_string(j, &key))
				return fail(j, "expected a key");
			ws(j);
			if (*j->p++ != ':') {
				free(key);
				return fail(j, "expected ':'");
			}
		}
		if (parse_value(j, &item)) {
			free(key);
			cb_json_free(&item);   /* a nested container's items so far */
			return -1;
		}
		if (push(j, v, &cap, &item, key)) {
			free(key);
			cb_json_free(&item);
			return -1;
		}
		ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p == close) {
			j->p++;
			j->depth--;
			return 0;
		}
		return fail(j, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int parse_value(struct jp *j, struct cb_jv *v)
{
	memset(v, 0, sizeof *v);
	ws(j);
	switch (*j->p) {
	case '{':
		v->type = CB_JOBJ;
		return parse_container(j, v, '}');
	case '[':
		v->type = CB_JARR;
		return parse_container(j, v, ']');
	case '"':
		v->type = CB_JSTR;
		return parse_string(j, &v->str);
	case 't':
	case 'f':
	case 'n': {
		static const char *const lits[] = { "true", "false", "null" };
		for (int i = 0; i < 3; i++)
			if (!strncmp(j->p, lits[i], strlen(lits[i]))) {
				j->p += strlen(lits[i]);
				v->type = i < 2 ? CB_JBOOL : CB_JNULL;
				v->b = i == 0;
				return 0;
			}
		return fail(j, "unknown literal");
	}
	default: {
		char *end;
		const char *q = j->p;
		if (*q == '-')
			q++;
		if (*q < '0' || *q > '9')
			return fail(j, "unexpected character");
		v->type = CB_JNUM;
		v->num = strtod(j->p, &end);
		j->p = end;
		return 0;
	}
	}
}

int cb_json_parse(const char *text, struct cb_jv *out, char *err, size_t cap)
{
	struct jp j = { text, text, err, cap, 0 };
	err[0] = '\0';
	if (parse_value(&j, out)) {
		cb_json_free(out);
		return -1;
	}
	ws(&j);
	if (*j.p) {
		cb_json_free(out);
		return fail(&j, "trailing characters");
	}
	return 0;
}

const struct cb_jv *cb_json_get(const struct cb_jv *obj, const char *key)
{
	if (!obj || obj->type != CB_JOBJ)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return &obj->items[i];
	return NULL;
}

void cb_json_free(struct cb_jv *v)
{
	for (size_t i = 0; i < v->n; i++) {
		cb_json_free(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	memset(v, 0, sizeof *v);
}

/* ---- the -J printer ---- */

static void tri(struct cb_jw *w, const char *key, int v)
{
	if (v < 0)
		cb_jw_null(w, key);
	else
		cb_jw_bool(w, key, v);
}

static void half_json(struct cb_jw *w, const char *key, const struct cb_result *r, int h)
{
	const struct cb_half *x = &r->half[h];
	if (!x->present) {
		cb_jw_null(w, key);
		return;
	}
	cb_jw_open(w, key, '{');
	cb_jw_num(w, "time_us", x->time_us);
	cb_jw_num(w, "algbw", x->algbw);
	cb_jw_num(w, "busbw", x->busbw);
	if (x->wrong < 0)
		cb_jw_null(w, "wrong");
	else
		cb_jw_int(w, "wrong", x->wrong);
	if (x->has_eff)
		cb_jw_num(w, "efficiency", x->eff);
	else
		cb_jw_null(w, "efficiency");
	cb_jw_int(w, "iterations", x->iters);
	cb_jw_int(w, "slow_yields", x->yield_slow);
	cb_jw_int(w, "paused_yield_waits", x->yield_paused);
	cb_jw_int(w, "samples", x->st.n);
	cb_jw_num(w, "min_us", x->st.min_us);
	cb_jw_num(w, "p50_us", x->st.p50_us);
	cb_jw_num(w, "p99_us", x->st.p99_us);
	cb_jw_num(w, "max_us", x->st.max_us);
	cb_jw_num(w, "mean_us", x->st.mean_us);
	cb_jw_num(w, "stdev_us", x->st.stdev_us);
	cb_jw_num(w, "cv_pct", x->st.cv_pct);
	cb_jw_int(w, "straggler_rank", x->st.straggler);
	cb_jw_num(w, "straggler_mean_us", x->st.straggler_mean_us);
	/* --counters: summed over ranks, and that divided by "iterations";
	 * null where unavailable. */
	if (!r->ctrs) {
		cb_jw_null(w, "counters");
	} else {
		cb_jw_open(w, "counters", '{');
		for (unsigned k = 0; k < r->ctrs->n; k++) {
			cb_jw_open(w, cb_counter_descs[r->ctrs->idx[k]].name, '{');
			if (x->ctr_ok[k]) {
				cb_jw_num(w, "total", x->ctr_total[k]);
				cb_jw_num(w, "per_iter", x->ctr_per_iter[k]);
			} else {
				cb_jw_null(w, "total");
				cb_jw_null(w, "per_iter");
			}
			cb_jw_close(w, '}');
		}
		cb_jw_close(w, '}');
	}
	cb_jw_close(w, '}');
}

static void row_keys(struct cb_jw *w, const struct cb_result *r)
{
	const struct cb_point *pt = r->pt;
	cb_jw_int(w, "nranks", r->nranks);
	cb_jw_str(w, "collective", pt->coll->name);
	cb_jw_str(w, "algo", pt->algo->name);
	cb_jw_int(w, "size", (long long)pt->n.bytes);
	cb_jw_int(w, "count", (long long)pt->n.count);
	cb_jw_str(w, "type", pt->dt->name);
	cb_jw_str(w, "redop", pt->op ? pt->op->name : "none");
	cb_jw_int(w, "root", pt->root);
}

static void config_json(struct cb_jw *w, const struct cb_report *rep)
{
	const struct cb_options *o = rep->o;
	cb_jw_open(w, "config", '{');
	cb_jw_str(w, "command", o->command);
	cb_jw_open(w, "nranks", '[');
	for (int i = 0; i < rep->nplaces; i++)
		cb_jw_int(w, NULL, rep->places[i].nranks);
	cb_jw_close(w, ']');
	cb_jw_int(w, "minbytes", (long long)o->minbytes);
	cb_jw_int(w, "maxbytes", (long long)o->maxbytes);
	cb_jw_int(w, "stepfactor", o->stepfactor);
	cb_jw_int(w, "stepbytes", (long long)o->stepbytes);
	cb_jw_int(w, "iters", o->iters);
	cb_jw_int(w, "warmup_iters", o->warmup);
	cb_jw_int(w, "check", o->check);
	cb_jw_int(w, "average", o->average);
	cb_jw_int(w, "blocking", o->blocking);
	cb_jw_num(w, "timeout", o->timeout);
	cb_jw_str(w, "algo", o->algos);
	cb_jw_str(w, "datatype", o->dtypes);
	cb_jw_str(w, "op", o->ops);
	cb_jw_str(w, "root", o->root);
	cb_jw_bool(w, "roofline", o->roofline);
	cb_jw_int(w, "run_cycles", o->cycles);
	if (o->duration > 0)
		cb_jw_num(w, "duration", o->duration);
	else
		cb_jw_null(w, "duration");
	cb_jw_str(w, "counters", o->counters);
	cb_jw_bool(w, "perf_ctl", o->perf_ctl != NULL);
	cb_jw_close(w, '}');
}

static void places_json(struct cb_jw *w, const struct cb_report *rep)
{
	cb_jw_open(w, "machine", '{');
	cb_jw_str(w, "host", rep->host);
	cb_jw_str(w, "summary", rep->machine);
	cb_jw_int(w, "pus_for_ranks", rep->npus);
	cb_jw_int(w, "numa_nodes", rep->nnuma);
	cb_jw_close(w, '}');
	cb_jw_open(w, "placements", '[');
	for (int i = 0; i < rep->nplaces; i++) {
		const struct cb_place_snap *sn = &rep->places[i];
		cb_jw_open(w, NULL, '{');
		cb_jw_int(w, "nranks", sn->nranks);
		cb_jw_str(w, "bind", sn->bind);
		cb_jw_str(w, "mem", sn->mem);
		cb_jw_open(w, "ranks", '[');
		for (int r = 0; r < sn->nranks; r++) {
			const struct cb_rank_place *rp = &sn->ranks[r];
			cb_jw_open(w, NULL, '{');
			cb_jw_int(w, "rank", r);
			cb_jw_int(w, "pu", rp->pu_os);
			cb_jw_int(w, "core", rp->core);
			cb_jw_int(w, "numa", rp->numa);
			cb_jw_int(w, "ran_on", rp->ran_on);
			if (rp->host[0]) {
				cb_jw_str(w, "host", rp->host);
				cb_jw_int(w, "pid", rp->pid);
			} else {
				cb_jw_null(w, "host");
				cb_jw_null(w, "pid");
			}
			cb_jw_str(w, "window_numa", rp->window_nodes);
			tri(w, "cpu_ok", rp->cpu_ok);
			tri(w, "mem_ok", rp->mem_ok);
			cb_jw_close(w, '}');
		}
		cb_jw_close(w, ']');
		cb_jw_str(w, "map", sn->map);
		cb_jw_close(w, '}');
	}
	cb_jw_close(w, ']');
}

static void summary_json(struct cb_jw *w, const struct cb_report *rep)
{
	const struct cb_summary *s = &rep->sum;
	const struct cb_options *o = rep->o;
	cb_jw_open(w, "summary", '{');
	cb_jw_int(w, "rows", (long long)rep->nrows);
	cb_jw_int(w, "out_of_bounds", s->out_of_bounds);
	cb_jw_bool(w, "okay", s->out_of_bounds == 0);
	cb_jw_num(w, "avg_busbw", s->avg_busbw);
	cb_jw_int(w, "slow_yields", s->yield_slow);
	cb_jw_int(w, "paused_yield_waits", s->yield_paused);
	if (o->min_busbw_set) {
		cb_jw_num(w, "min_busbw", o->min_busbw);
		cb_jw_bool(w, "min_busbw_okay", !s->min_busbw_failed);
	} else {
		cb_jw_null(w, "min_busbw");
		cb_jw_null(w, "min_busbw_okay");
	}
	if (!o->baseline) {
		cb_jw_null(w, "baseline");
	} else {
		cb_jw_open(w, "baseline", '{');
		cb_jw_str(w, "file", o->baseline);
		cb_jw_num(w, "max_regression_pct", o->max_regression);
		cb_jw_int(w, "compared", s->baseline_compared);
		cb_jw_bool(w, "okay", !s->nregs && s->baseline_compared);
		cb_jw_open(w, "regressed", '[');
		for (size_t i = 0; i < s->nregs; i++) {
			const struct cb_regression *g = &s->regs[i];
			const struct cb_result *r = &rep->rows[g->row];
			cb_jw_open(w, NULL, '{');
			row_keys(w, r);
			cb_jw_bool(w, "in_place", g->half == 1);
			cb_jw_num(w, "base_time_us", g->base_time_us);
			cb_jw_num(w, "time_us", r->half[g->half].time_us);
			cb_jw_num(w, "change_pct", g->change_pct);
			cb_jw_close(w, '}');
		}
		cb_jw_close(w, ']');
		cb_jw_close(w, '}');
	}
	if (s->interrupted)
		cb_jw_str(w, "interrupted", cb_signal_name(s->interrupted));
	else
		cb_jw_null(w, "interrupted");
	cb_jw_int(w, "exit_status", s->exit_status);
	cb_jw_close(w, '}');
}

void cb_report_json(FILE *f, const struct cb_report *rep)
{
	struct cb_jw w;
	cb_jw_init(&w, f);
	cb_jw_open(&w, NULL, '{');
	cb_jw_str(&w, "format", "collbench-results");
	cb_jw_int(&w, "format_version", CB_FORMAT_VERSION);
	cb_jw_str(&w, "collbench_version", CB_VERSION);
	cb_jw_str(&w, "hwloc_version", cb_placement_hwloc_version());
	cb_jw_str(&w, "libnuma_version", cb_placement_numa_version());
	cb_jw_open(&w, "command_line", '[');
	for (int i = 0; i < rep->argc; i++)
		cb_jw_str(&w, NULL, rep->argv[i]);
	cb_jw_close(&w, ']');
	cb_jw_str(&w, "start_time", rep->start_time);
	cb_jw_str(&w, "end_time", rep->end_time);
	config_json(&w, rep);
	places_json(&w, rep);
	cb_jw_open(&w, "results", '[');
	for (size_t i = 0; i < rep->nrows; i++) {
		const struct cb_result *r = &rep->rows[i];
		cb_jw_open(&w, NULL, '{');
		row_keys(&w, r);
		cb_jw_int(&w, "cycle", r->cycle);
		cb_jw_str(&w, "timestamp", r->stamp);
		cb_jw_num(&w, "min_bytes", r->min_bytes);
		if (r->copy_bw > 0) {
			cb_jw_int(&w, "copy_bytes", (long long)r->copy_bytes);
			cb_jw_num(&w, "copy_bw", r->copy_bw);
		} else {
			cb_jw_null(&w, "copy_bytes");
			cb_jw_null(&w, "copy_bw");
		}
		half_json(&w, "out_of_place", r, 0);
		half_json(&w, "in_place", r, 1);
		cb_jw_close(&w, '}');
	}
	cb_jw_close(&w, ']');
	summary_json(&w, rep);
	cb_jw_close(&w, '}');
}
