/* coldcache.c: --cold-cache's buffer sets (coldcache.h).
 *
 * Why rotation keeps every algorithm's iteration safety: an algorithm's
 * argument is about call k+1 (or k+2, scratch parity) rewriting what a
 * slower peer still reads from call k. Scratch does not rotate (the parity
 * rule holds as it is). The user buffers of set j are written again only
 * in call k+K, after every synchronisation of calls k+1 .. k+K-1, so any
 * ordering that made call k+1 safe on one set makes call k+K safe on
 * rotated ones; K = 1 is the ordinary run. Rooted LL algorithms count calls
 * per root, not buffers, and read nothing from a previous call's buffers.
 * Every set gets the row half's input before the warm-up (the timed loop
 * is not checked, but reducing uninitialised bytes could time denormals
 * and NaNs). */
#include <hwloc.h>
#include <string.h>

#include "collbench/coldcache.h"
#include "collbench/options.h"
#include "collbench/plan.h"

#define PG(x) (((x) + 4095) & ~(size_t)4095)

size_t cb_cold_set_bytes(const struct cb_point *pt, size_t unalign, size_t *recv_off,
			 size_t *premul_off)
{
	/* -u: every buffer of a set starts unalign elements past its page */
	size_t es = pt->dt->size, s = (pt->n.send + unalign) * es, r = (pt->n.recv + unalign) * es;
	size_t m = pt->op && pt->op->id == CB_OP_MULSUM ? s : 0;
	r = r > s ? r : s;   /* in-place layouts span the larger */
	if (recv_off)
		*recv_off = PG(s);
	if (premul_off)
		*premul_off = PG(s) + PG(r);
	return PG(s) + PG(r) + PG(m);
}

long cb_cold_slots(size_t cache, size_t set_bytes)
{
	size_t want = 2 * cache;
	if (set_bytes == 0 || set_bytes >= want)
		return 1;
	return (long)((want + set_bytes - 1) / set_bytes);
}

size_t cb_cold_plan_bytes(const struct cb_options *o, const struct cb_plan *pl)
{
	size_t most = 0;
	if (!o->cold_cache)
		return 0;
	/* every group size's points (unequal --split groups: plan.h) */
	for (int k = -1; k < pl->nalt; k++)
		for (size_t i = 0; i < pl->npoints; i++) {
			const struct cb_point *pt = cb_plan_size_point(pl, k, i);
			size_t set = cb_cold_set_bytes(pt, pl->unalign, NULL, NULL);
			size_t b = set * (size_t)cb_cold_slots(o->cache_size, set);
			most = b > most ? b : most;
		}
	return most;
}

void cb_cold_row(const struct cb_options *o, const struct cb_point *pt, long *slots,
		 size_t *bytes)
{
	size_t set = o->cold_cache ? cb_cold_set_bytes(pt, (size_t)o->unalign, NULL, NULL) : 0;
	*slots = o->cold_cache ? cb_cold_slots(o->cache_size, set) : 0;
	*bytes = set * (size_t)*slots;
}

size_t cb_cold_llc(void *topo)
{
	static const hwloc_obj_type_t levels[] = { HWLOC_OBJ_L5CACHE, HWLOC_OBJ_L4CACHE,
						   HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L2CACHE,
						   HWLOC_OBJ_L1CACHE };
	for (size_t i = 0; topo && i < sizeof levels / sizeof levels[0]; i++) {
		hwloc_obj_t c = hwloc_get_obj_by_type(topo, levels[i], 0);
		if (c && c->attr && c->attr->cache.size)
			return (size_t)c->attr->cache.size;
	}
	return 0;
}

bool cb_cold_copy(char *region, size_t region_bytes, size_t len, long k, char **dst,
		  const char **src)
{
	size_t chunk = PG(len), n = chunk ? region_bytes / chunk : 0;
	if (n < 2)
		return false;
	*src = region + (size_t)(2 * k) % n * chunk;
	*dst = region + (size_t)(2 * k + 1) % n * chunk;
	return true;
}

void cb_cold_init(struct cb_cold *cc, const struct cb_options *o, const struct cb_point *pt,
		  char *base, const char *send, const char *recv, const char *premul,
		  const char *end)
{
	memset(cc, 0, sizeof *cc);
	if (!o->cold_cache)
		return;
	cc->stride = cb_cold_set_bytes(pt, (size_t)o->unalign, &cc->recv_off, &cc->premul_off);
	cc->slots = cb_cold_slots(o->cache_size, cc->stride);
	cc->base = base;
	cc->send = send;
	cc->recv = recv;
	cc->premul = premul;
	cc->end = end;
}

void *cb_cold_map(const struct cb_cold *cc, long j, const void *p)
{
	const char *q = p;
	char *set = cc->base + (size_t)j * cc->stride;
	if (!p)
		return NULL;
	if (q >= cc->premul && q < cc->end)
		return set + cc->premul_off + (size_t)(q - cc->premul);
	if (q >= cc->recv)
		return set + cc->recv_off + (size_t)(q - cc->recv);
	return set + (size_t)(q - cc->send);
}
