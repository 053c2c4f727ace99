/* parse.c: strict number, size and CPU list grammars for option values
 * (the CPU list moved here from placement.c: the option parser owns every
 * grammar, so a bad list is a usage error before anything runs) */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/parse.h"

int cb_parse_size(const char *s, size_t *out, const char **why)
{
	unsigned long long v = 0;
	const char *p = s;
	unsigned shift = 0;

	if (!isdigit((unsigned char)*p)) {
		*why = *p == '-' ? "sizes cannot be negative" : "expected a size such as 64, 8K, 1M or 2G";
		return -1;
	}
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (ULLONG_MAX - d) / 10) {
			*why = "size too large";
			return -1;
		}
		v = v * 10 + d;
	}
	switch (*p) {
	case 'k': case 'K': shift = 10; p++; break;
	case 'm': case 'M': shift = 20; p++; break;
	case 'g': case 'G': shift = 30; p++; break;
	case '\0': break;
	default:
		*why = "expected a size such as 64, 8K, 1M or 2G (suffixes K, M, G)";
		return -1;
	}
	if (*p == 'b' || *p == 'B')
		p++;
	if (*p) {
		*why = "expected a size such as 64, 8K, 1M or 2G (suffixes K, M, G)";
		return -1;
	}
	/* Keep sizes well inside size_t and int64 for every derived quantity. */
	if (v > (1ull << 48) >> shift) {
		*why = "size too large (at most 262144G, 256 TiB)";
		return -1;
	}
	*out = (size_t)(v << shift);
	return 0;
}

int cb_parse_long(const char *s, long lo, long hi, long *out, const char **why)
{
	char *end;
	long v;

	errno = 0;
	if (!*s || isspace((unsigned char)*s)) {
		*why = "expected an integer";
		return -1;
	}
	v = strtol(s, &end, 10);
	if (*end) {
		*why = "expected an integer";
		return -1;
	}
	if (errno == ERANGE || v < lo || v > hi) {
		*why = "out of range";
		return -1;
	}
	*out = v;
	return 0;
}

int cb_parse_double(const char *s, double hi, double *out, const char **why)
{
	char *end;
	double v;

	errno = 0;
	if (!*s || isspace((unsigned char)*s)) {
		*why = "expected a number";
		return -1;
	}
	v = strtod(s, &end);
	if (*end || !isfinite(v)) {
		*why = "expected a number";
		return -1;
	}
	if (errno == ERANGE || v < 0 || v > hi) {
		*why = "out of range";
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_index(const char **sp, long max, long *out)
{
	const char *s = *sp;
	long v = 0;
	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (*s++ - '0');
		if (v > max)
			return -2;
	}
	*sp = s;
	*out = v;
	return 0;
}

/* One item, N or N-M, appended to out; seen: a bit per index. */
static const char *cpulist_item(const char **sp, struct cb_cpulist *out, unsigned char *seen)
{
	static char msg[96];
	long a = 0, b;
	int rc = parse_index(sp, CB_MAX_PU_INDEX, &a);
	b = a;
	if (!rc && **sp == '-') {
		(*sp)++;
		rc = parse_index(sp, CB_MAX_PU_INDEX, &b);
	}
	if (rc)
		return rc == -2 ? "PU index too large" : "malformed list (expected e.g. 0,2,4-7)";
	if (b < a) {
		snprintf(msg, sizeof msg, "descending range %ld-%ld", a, b);
		return msg;
	}
	for (long i = a; i <= b; i++) {
		if (seen[i / 8] & (1u << (i % 8))) {
			snprintf(msg, sizeof msg, "PU %ld listed twice", i);
			return msg;
		}
		seen[i / 8] |= (unsigned char)(1u << (i % 8));
		if (out->n == CB_MAX_CPULIST)
			return "more than 4096 PUs listed";
		out->pu[out->n++] = (int)i;
	}
	if (**sp && **sp != ',')
		return "malformed list (expected e.g. 0,2,4-7)";
	return NULL;
}

int cb_cpulist_parse(const char *s, struct cb_cpulist *out, const char **why)
{
	unsigned char *seen;
	const char *err = NULL;

	out->n = 0;
	if (!*s) {
		*why = "empty list";
		return -1;
	}
	if (!strcmp(s, "all"))
		return 0;
	seen = calloc(CB_MAX_PU_INDEX / 8 + 1, 1);
	if (!seen) {
		*why = "out of memory";
		return -1;
	}
	while (!err) {
		err = cpulist_item(&s, out, seen);
		if (!err && !*s++)
			break;
	}
	free(seen);
	if (err) {
		out->n = 0;
		*why = err;
		return -1;
	}
	return 0;
}
