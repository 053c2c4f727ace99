/* json.c: JSON writer and reader (json.h). The -J printer of a report is
 * json_report.c (moved there: this file was past 600 lines with three
 * jobs). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/json.h"

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

void cb_jw_nums(struct cb_jw *w, const char *key, const double *v, long n)
{
	char buf[40];
	member(w, key);
	fputc('[', w->f);
	for (long i = 0; i < n; i++) {
		bool fin = v[i] == v[i] && v[i] <= 1.7976931348623157e308 &&
			   v[i] >= -1.7976931348623157e308;
		if (fin)
			cb_json_number(buf, sizeof buf, v[i]);
		fprintf(w->f, "%s%s", i ? ", " : "", fin ? buf : "null");
	}
	fputc(']', w->f);
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
			/* what item holds so far: a truncated file ends mid-item */
			cb_json_free(&item);
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
