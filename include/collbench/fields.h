/* fields.h: THE ONE FIELD SCHEMA of a result record. Every field a row has
 * in the table, JSON or CSV is one entry of cb_fields[] (fields.c): its
 * name (the JSON key, and the CSV column, with oop_/ip_ before the fields
 * of a half), its kind, which formats show it, its table heading, unit and
 * width, and the function that reads it from the record. The printers
 * (report.c, json.c, csv.c) walk the schema, so a new metric is one entry
 * and the formats cannot drift apart; test/t_schema.sh checks that every
 * JSON field has its CSV column and the reverse.
 *
 * --counters are the one family whose members depend on the run: the
 * schema's CB_FS_COUNTERS section stands for them, and cb_field_counter
 * gives each member's name and value. */
#ifndef COLLBENCH_FIELDS_H
#define COLLBENCH_FIELDS_H

#include <stdbool.h>

#include "collbench/report.h"

/* CB_FK_NUMS: an array of numbers (JSON array; CSV one field, the numbers
 * separated by spaces; never a table column). */
enum cb_fkind { CB_FK_INT, CB_FK_NUM, CB_FK_STR, CB_FK_NUMS };

/* Formats a field appears in. */
enum {
	CB_FMT_TABLE = 1 << 0,
	CB_FMT_JSON = 1 << 1,
	CB_FMT_CSV = 1 << 2,
	CB_FMT_DATA = CB_FMT_JSON | CB_FMT_CSV,
	CB_FMT_ALL = CB_FMT_TABLE | CB_FMT_DATA,
};

/* Table sections, in the table's column order (report.c). The first 14
 * columns (PREFIX, then MAIN per half) never move; each later section is
 * shown only with its option. */
enum cb_fsection {
	CB_FS_PREFIX,    /* size .. algo */
	CB_FS_MAIN,      /* per half: time algbw busbw #wrong */
	CB_FS_ROOF,      /* --roofline: copybw */
	CB_FS_ROOF_HALF, /* --roofline, per half: E_out E_in */
	CB_FS_ITER,      /* -I 1, per half */
	CB_FS_COUNTERS,  /* --counters, per half */
	CB_FS_LOOP,      /* --time-per-size, per half: iterations run */
	CB_FS_STAMP,     /* -S */
	CB_FS_NONE,      /* not in the table */
};

/* A field's value: null (JSON null, empty CSV field, N/A in the table) or
 * one of i, d, s, (a, n) by the field's kind. */
struct cb_fval {
	bool null;
	long long i;
	double d;
	const char *s;
	const double *a;   /* CB_FK_NUMS: n numbers */
	long n;
	char buf[192];   /* storage for s when it is computed */
};

struct cb_field {
	const char *name;      /* JSON key; CSV column (a half's: oop_/ip_ + name) */
	enum cb_fkind kind;
	bool half;             /* a member of out_of_place / in_place */
	unsigned formats;      /* CB_FMT_* */
	/* CSV: after the run's metadata columns. The fields added after format
	 * version 1's first layout go there, so that the columns before keep
	 * their positions. */
	bool csv_late;
	enum cb_fsection section;
	const char *head, *unit; /* table heading and unit line */
	int width;
	/* The value of row r (half h, NULL for a row field; only called on a
	 * half that is present). */
	void (*get)(const struct cb_result *r, const struct cb_half *h, struct cb_fval *v);
};

extern const struct cb_field cb_fields[];
extern const unsigned cb_nfields;

/* The value of field f of row r (h: 0 or 1 for a half field); a half the
 * row does not have is null. */
void cb_field_value(const struct cb_field *f, const struct cb_result *r, int h,
		    struct cb_fval *v);

/* Counter k (index into r->ctrs) of half h, total (t = 0) or per
 * iteration (t = 1): its name ("task-clock_total"), its table heading
 * ("tclk", "tclk/it"), unit, and value (null where unavailable). */
#define CB_CTR_WIDTH 9
const char *cb_field_counter_name(const struct cb_counter_set *ctrs, unsigned k, int t,
				  char *buf, size_t cap);
void cb_field_counter_head(const struct cb_counter_set *ctrs, unsigned k, int t,
			   const char **head, const char **unit);
void cb_field_counter(const struct cb_result *r, int h, unsigned k, int t, struct cb_fval *v);

/* The CSV prefix of half h: "oop_" or "ip_"; JSON's object: "out_of_place"
 * or "in_place". */
const char *cb_half_prefix(int h);
const char *cb_half_key(int h);

#endif
