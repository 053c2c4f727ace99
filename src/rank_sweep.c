/* rank_sweep.c: -g's grammar (plan.h: cb_rank_sweep_parse); pure, no
 * printing: options_parse.c says the errors. */
#include <string.h>

#include "collbench/plan.h"

/* A decimal count in 1..CB_MAX_RANKS at *sp; advances *sp. */
static int rank_number(const char **sp, long *out, const char **why)
{
	const char *s = *sp;
	long v = 0;
	if (*s < '0' || *s > '9') {
		*why = *s ? "expected a rank count" : "missing rank count";
		return -1;
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > CB_MAX_RANKS) {
			*why = "rank count above 512";
			return -1;
		}
	}
	/* "0x10": not a zero followed by garbage, a number not in decimal */
	if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '.') {
		*why = "expected a decimal rank count";
		return -1;
	}
	if (v < 1) {
		*why = "rank count must be at least 1";
		return -1;
	}
	*sp = s;
	*out = v;
	return 0;
}

static int add_count(int *counts, int *n, long v, const char **why)
{
	for (int i = 0; i < *n; i++)
		if (counts[i] == v) {
			*why = "a rank count appears twice";
			return -1;
		}
	if (*n >= CB_MAX_RANKS) {
		*why = "more than 512 rank counts";
		return -1;
	}
	counts[(*n)++] = (int)v;
	return 0;
}

int cb_rank_sweep_parse(const char *s, int *counts, int *n, const char **why)
{
	long a, b, step = 0, factor = 2;
	*n = 0;
	if (!strcmp(s, "auto")) {
		counts[(*n)++] = 0;
		return 0;
	}
	if (rank_number(&s, &a, why))
		return -1;
	if (*s == ',' || !*s) {           /* N or a list */
		if (add_count(counts, n, a, why))
			return -1;
		while (*s == ',') {
			s++;
			if (rank_number(&s, &a, why) || add_count(counts, n, a, why))
				return -1;
		}
		if (*s) {
			*why = "expected N, A:B, A:B:+S, A:B:*F or N,N,...";
			return -1;
		}
		return 0;
	}
	if (*s != ':') {
		*why = "expected N, A:B, A:B:+S, A:B:*F or N,N,...";
		return -1;
	}
	s++;
	if (rank_number(&s, &b, why))
		return -1;
	if (*s == ':') {
		char kind = *++s;
		if (kind != '+' && kind != '*') {
			*why = "step must be +S (add) or *F (multiply)";
			return -1;
		}
		s++;
		if (rank_number(&s, kind == '+' ? &step : &factor, why))
			return -1;
		if (kind == '*' && factor < 2) {
			*why = "factor must be at least 2";
			return -1;
		}
	}
	if (*s) {
		*why = "expected N, A:B, A:B:+S, A:B:*F or N,N,...";
		return -1;
	}
	if (a > b) {
		*why = "start above end";
		return -1;
	}
	for (long v = a; v <= b; v = step ? v + step : v * factor)
		if (add_count(counts, n, v, why))
			return -1;
	return 0;
}
