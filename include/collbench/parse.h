/* parse.h: the grammars of option values. Each returns 0 on success and -1
 * with *why set to a short reason on failure; none prints. */
#ifndef COLLBENCH_PARSE_H
#define COLLBENCH_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Byte size: decimal integer with an optional K, M or G suffix (base 1024,
 * as nccl-tests), e.g. 64, 8K, 1M. Rejects signs, fractions, overflow. */
int cb_parse_size(const char *s, size_t *out, const char **why);
/* Decimal integer in [lo, hi]. */
int cb_parse_long(const char *s, long lo, long hi, long *out, const char **why);
/* Non-negative decimal number (e.g. seconds), at most hi. */
int cb_parse_double(const char *s, double hi, double *out, const char **why);

/* --cpus: numactl's list grammar, "all" or comma-separated N and N-M items
 * (OS indexes up to 2^20), none twice, at most CB_MAX_CPULIST PUs. The
 * indexes in the order written; n 0 for "all". Whether the PUs exist is
 * for the topology to say (placement.c). */
#define CB_MAX_CPULIST 4096
#define CB_MAX_PU_INDEX (1 << 20)
struct cb_cpulist {
	int n;
	int pu[CB_MAX_CPULIST];
};
int cb_cpulist_parse(const char *s, struct cb_cpulist *out, const char **why);

#endif
