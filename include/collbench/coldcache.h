/* coldcache.h: --cold-cache / --off-cache (IMB's -off_cache). Each timed
 * iteration (and warm-up call) of a row half uses the next of K buffer sets
 * (send, recv, mulsum's premul: one set, page-aligned parts), K chosen so
 * that the sets together exceed twice the last-level cache (--cache-size,
 * else the largest cache hwloc reports); when one set alone does, K = 1.
 * The sets lie in every window's user area, at the same offsets on every
 * rank, so peers find each other's buffers of set j where they expect them;
 * check iterations use the ordinary buffers. */
#ifndef COLLBENCH_COLDCACHE_H
#define COLLBENCH_COLDCACHE_H

#include <stdbool.h>
#include <stddef.h>

struct cb_options;
struct cb_plan;
struct cb_point;

/* Bytes of one buffer set of pt (each part unalign elements past its page:
 * -u), and its parts' offsets in it. */
size_t cb_cold_set_bytes(const struct cb_point *pt, size_t unalign, size_t *recv_off,
			 size_t *premul_off);
/* Sets to rotate over: ceil(2 cache / set), at least 1. */
long cb_cold_slots(size_t cache, size_t set_bytes);
/* The rotation's bytes per rank at the plan's largest (0: --cold-cache off). */
size_t cb_cold_plan_bytes(const struct cb_options *o, const struct cb_plan *pl);
/* A row's cold_slots and cold_bytes (report.h); 0 when off. */
void cb_cold_row(const struct cb_options *o, const struct cb_point *pt, long *slots,
		 size_t *bytes);
/* The largest cache of a topology (hwloc_topology_t), 0 if it reports none. */
size_t cb_cold_llc(void *topo);
/* When none is found: what --cold-cache assumes. */
#define CB_COLD_DEFAULT_LLC ((size_t)32 << 20)

/* The roofline's k-th copy of len bytes under --cold-cache: source and
 * destination are the next page-aligned chunks of the sets' region
 * (region_bytes at region), wrapping; false (nothing changed) when the
 * region holds fewer than two chunks. */
bool cb_cold_copy(char *region, size_t region_bytes, size_t len, long k, char **dst,
		  const char **src);

/* One row half's rotation on one rank: base is set 0; the ordinary buffers
 * (send, recv, premul) map into set j part by part. */
struct cb_cold {
	long slots;                  /* 0: off */
	size_t stride, recv_off, premul_off;
	char *base;
	const char *send, *recv, *premul, *end;   /* the ordinary buffers */
};
void cb_cold_init(struct cb_cold *cc, const struct cb_options *o, const struct cb_point *pt,
		  char *base, const char *send, const char *recv, const char *premul,
		  const char *end);
/* p (inside an ordinary buffer, or NULL) as it is in set j. */
void *cb_cold_map(const struct cb_cold *cc, long j, const void *p);

#endif
