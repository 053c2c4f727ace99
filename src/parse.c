/* parse.c: strict number and size grammars for option values */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>

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
