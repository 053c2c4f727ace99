/* placement_int.h: what placement.c, placement_check.c and
 * placement_print.c share (not an interface: placement.h is). */
#ifndef COLLBENCH_PLACEMENT_INT_H
#define COLLBENCH_PLACEMENT_INT_H

#include <hwloc.h>
#include <stdio.h>

/* A cpuset or nodeset as hwloc's list ("0-3,8"), "none" when empty. */
static inline void list_str(char *buf, size_t cap, hwloc_const_bitmap_t set)
{
	if (hwloc_bitmap_iszero(set))
		snprintf(buf, cap, "none");
	else
		hwloc_bitmap_list_snprintf(buf, cap, set);
}

#endif
