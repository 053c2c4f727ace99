/* split.c: --split's grammar and the grouping of ranks (split.h). Pure but
 * for cb_split_resolve (the environment) and cb_split_plan's errors. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collbench/options.h"
#include "collbench/split.h"

/* Keyword and symbol of each op, in enum order (tables, not branches). */
static const struct {
	const char *word, *sym;
} ops[] = {
	[CB_SPLIT_AND] = { "and", "&" },
	[CB_SPLIT_OR] = { "or", "|" },
	[CB_SPLIT_MOD] = { "mod", "%" },
	[CB_SPLIT_DIV] = { "div", "/" },
};

/* n: blanks, then 0b binary or strtoul's base 0; nothing but blanks after. */
static int parse_n(const char *s, int base, unsigned long *n, const char **why)
{
	char *end;
	while (isspace((unsigned char)*s))
		s++;
	if (!isxdigit((unsigned char)*s)) {
		*why = !*s ? "missing number" : base == 16 ? "expected a hexadecimal mask"
							 : "expected a number after the operator";
		return -1;
	}
	errno = 0;
	if (base == 0 && !strncasecmp(s, "0b", 2) && (s[2] == '0' || s[2] == '1'))
		*n = strtoul(s + 2, &end, 2);
	else
		*n = strtoul(s, &end, base);
	while (isspace((unsigned char)*end))
		end++;
	if (*end) {
		*why = "trailing characters after the number";
		return -1;
	}
	if (errno || *n > CB_SPLIT_MAX_N) {
		*why = "number above 2147483647";
		return -1;
	}
	return 0;
}

int cb_split_parse(const char *s, struct cb_split_expr *e, const char **why)
{
	while (isspace((unsigned char)*s))
		s++;
	for (int i = 0; i < (int)CB_ARRAY_LEN(ops); i++) {
		size_t lw = strlen(ops[i].word), ls = strlen(ops[i].sym);
		const char *rest = !strncasecmp(s, ops[i].word, lw) ? s + lw :
				   !strncmp(s, ops[i].sym, ls) ? s + ls : NULL;
		if (!rest)
			continue;
		e->op = (enum cb_split_op)i;
		if (parse_n(rest, 0, &e->n, why))
			return -1;
		if (e->n == 0 && (e->op == CB_SPLIT_MOD || e->op == CB_SPLIT_DIV)) {
			*why = "MOD 0 and DIV 0 divide by zero";
			return -1;
		}
		return 0;
	}
	*why = "expected AND n, OR n, MOD n, DIV n (or &n, |n, %n, /n)";
	return -1;
}

int cb_split_parse_mask(const char *s, struct cb_split_expr *e, const char **why)
{
	const char *p = s;
	while (isspace((unsigned char)*p))
		p++;
	if (!strncasecmp(p, "0x", 2))
		p += 2;
	e->op = CB_SPLIT_AND;
	return parse_n(p, 16, &e->n, why);
}

const char *cb_split_format(const struct cb_split_expr *e, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%lu", ops[e->op].sym, e->n);
	return buf;
}

unsigned long cb_split_color(const struct cb_split_expr *e, int rank)
{
	unsigned long r = (unsigned long)rank;
	switch (e->op) {
	case CB_SPLIT_AND: return r & e->n;
	case CB_SPLIT_OR: return r | e->n;
	case CB_SPLIT_MOD: return r % e->n;
	default: return r / e->n;
	}
}

/* Groups numbered by their lowest rank: group 0 holds rank 0. Quadratic in
 * the worst case (P groups of 1): at most 512^2 colour compares. */
void cb_split_groups(const struct cb_split_expr *e, int nranks, struct cb_split *s)
{
	unsigned long color[CB_MAX_RANKS];   /* [group] its colour */
	memset(s, 0, sizeof *s);
	s->nranks = nranks;
	for (int r = 0; r < nranks; r++) {
		unsigned long c = cb_split_color(e, r);
		int g = 0;
		while (g < s->ngroups && color[g] != c)
			g++;
		if (g == s->ngroups)
			color[s->ngroups++] = c;
		s->group[r] = g;
		s->local[r] = s->size[g]++;
	}
	for (int g = 0, at = 0; g < s->ngroups; at += s->size[g], g++)
		s->first[g] = at;
	for (int r = 0; r < nranks; r++)
		s->member[s->first[s->group[r]] + s->local[r]] = r;
	s->gsize = s->ngroups ? s->size[0] : 0;
	for (int g = 1; g < s->ngroups; g++)
		if (s->size[g] != s->gsize)
			s->gsize = 0;
}

const char *cb_split_sizes(const struct cb_split *s, char *buf, size_t cap)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int g = 0; g < s->ngroups && used < cap; g++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%d", g ? ", " : "", s->size[g]);
	return buf;
}

bool cb_split_resolve(const struct cb_options *o, struct cb_split_expr *e)
{
	static const char *const vars[] = { "NCCL_TESTS_SPLIT_MASK", "NCCL_TESTS_SPLIT" };
	const char *why;
	if (o->split) {
		if (cb_split_parse(o->split, e, &why))   /* checked by options.c */
			cb_die(CB_EXIT_USAGE, "invalid value '%s' for --split: %s", o->split, why);
		return true;
	}
	for (int i = 0; i < 2; i++) {
		const char *v = getenv(vars[i]);
		if (!v || !*v)
			continue;
		if (i == 0 ? cb_split_parse_mask(v, e, &why) : cb_split_parse(v, e, &why))
			cb_die(CB_EXIT_USAGE, "invalid value '%s' for %s: %s (see 'collbench --help')",
			       v, vars[i], why);
		return true;
	}
	return false;
}

int cb_split_plan(const struct cb_options *o, int nranks, int *ngroups, int *alt, int *nalt,
		  char *sizes, size_t cap)
{
	struct cb_split_expr e;
	static struct cb_split s;   /* 8 KiB: main thread only, one plan at a time */
	*ngroups = 1;
	*nalt = 0;
	if (sizes && cap)
		sizes[0] = '\0';
	if (!cb_split_resolve(o, &e))
		return nranks;
	cb_split_groups(&e, nranks, &s);
	*ngroups = s.ngroups;
	if (sizes)
		cb_split_sizes(&s, sizes, cap);
	for (int g = 1; g < s.ngroups; g++) {
		int k = 0;
		while (k < *nalt && alt[k] != s.size[g])
			k++;
		if (s.size[g] != s.size[0] && k == *nalt)
			alt[(*nalt)++] = s.size[g];
	}
	return s.size[0];
}

void cb_split_colors(const struct cb_options *o, int nranks, int *colors)
{
	struct cb_split_expr e;
	bool split = cb_split_resolve(o, &e);
	for (int r = 0; r < nranks; r++)
		colors[r] = split ? (int)cb_split_color(&e, r) : 0;
}

const char *cb_split_describe(const struct cb_options *o, int nranks, char *buf, size_t cap)
{
	struct cb_split_expr e;
	static struct cb_split s;   /* main/rank 0 thread only */
	char ex[32];
	buf[0] = '\0';
	if (cb_split_resolve(o, &e)) {
		cb_split_groups(&e, nranks, &s);
		char sizes[256];
		if (s.gsize)
			snprintf(sizes, sizeof sizes, "%d", s.gsize);
		else
			cb_split_sizes(&s, sizes, sizeof sizes);
		snprintf(buf, cap, " in %d group%s of %s, --split %s", s.ngroups,
			 s.ngroups == 1 ? "" : "s", sizes, cb_split_format(&e, ex, sizeof ex));
	}
	return buf;
}
