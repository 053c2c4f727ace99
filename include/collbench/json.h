/* json.h: a small JSON writer (valid output: escaped strings, no NaN or
 * infinity, booleans as booleans) and reader (for --baseline). */
#ifndef COLLBENCH_JSON_H
#define COLLBENCH_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* ---- writer: keys are NULL inside arrays ---- */
struct cb_jw {
	FILE *f;
	int depth;
	bool first[64];     /* no member written yet at this depth */
};
void cb_jw_init(struct cb_jw *w, FILE *f);
void cb_jw_open(struct cb_jw *w, const char *key, char bracket);   /* '{' or '[' */
void cb_jw_close(struct cb_jw *w, char bracket);                   /* '}' or ']' */
void cb_jw_str(struct cb_jw *w, const char *key, const char *s);   /* NULL: null */
void cb_jw_num(struct cb_jw *w, const char *key, double v);        /* not finite: null */
void cb_jw_int(struct cb_jw *w, const char *key, long long v);
void cb_jw_bool(struct cb_jw *w, const char *key, bool v);
void cb_jw_null(struct cb_jw *w, const char *key);
/* An array of n numbers on one line (not finite: null). */
void cb_jw_nums(struct cb_jw *w, const char *key, const double *v, long n);
/* A string as a JSON string literal (also for CSV's needs): to f. */
void cb_json_quote(FILE *f, const char *s);
/* Shortest round-trip-safe text of a finite number: "%.10g" style. */
void cb_json_number(char *buf, size_t cap, double v);

/* ---- reader ---- */
enum cb_jtype { CB_JNULL, CB_JBOOL, CB_JNUM, CB_JSTR, CB_JARR, CB_JOBJ };
struct cb_jv {
	enum cb_jtype type;
	bool b;
	double num;
	char *str;
	struct cb_jv *items;  /* array elements or object values */
	char **keys;          /* object keys */
	size_t n;
};
/* Parse text; 0 ok, -1 with a reason (and byte offset) in err. */
int cb_json_parse(const char *text, struct cb_jv *out, char *err, size_t cap);
const struct cb_jv *cb_json_get(const struct cb_jv *obj, const char *key);
void cb_json_free(struct cb_jv *v);

#endif
