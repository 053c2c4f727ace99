/* memplace.h: where a rank's memory goes (the node --mem means on this
 * topology), strict binding, and the page-by-page proof of where it went.
 * placement.c plans ranks onto PUs; this module answers the memory half. */
#ifndef COLLBENCH_MEMPLACE_H
#define COLLBENCH_MEMPLACE_H

#include <stddef.h>
#include <stdio.h>

struct cb_placement;

/* Largest node index page counts are kept for (higher ones count as
 * "other"). */
#define CB_MEM_MAXNODE 64

/* 1 when the NUMA node (OS index) exists and has memory. */
int cb_mem_has_memory(const struct cb_placement *pl, int node);
/* The node with memory nearest to node: itself if it has memory, else the
 * smallest hwloc distance (ties: lowest index); without a distance matrix
 * the first node with memory. -1 if no node has memory. */
int cb_mem_nearest(const struct cb_placement *pl, int node);
/* hwloc's distance between two nodes (10 = local), -1 unknown. */
int cb_mem_distance(const struct cb_placement *pl, int a, int b);
/* The nodes --mem interleave spreads over: allowed nodes with memory, as a
 * list string. */
void cb_mem_interleave_list(const struct cb_placement *pl, char *buf, size_t cap);

/* --mem node:N on a node without memory: usage error (exit 6). */
void cb_mem_check_options(const struct cb_placement *pl);
/* Before any rank allocates: each node's free memory against what the plan
 * binds to it (bytes_per_rank for each rank), since a strict binding under
 * pressure ends in the OOM killer. Not enough: one line, exit 2. */
void cb_mem_check_free(const struct cb_placement *pl, size_t bytes_per_rank);

/* Anonymous memory bound strictly (MPOL_BIND, or MPOL_INTERLEAVE) to the
 * rank's intended nodes, or unbound with no intent. A binding the kernel
 * refuses stops the run: one line, exit 2. */
void *cb_mem_alloc(struct cb_placement *pl, int rank, size_t len);
void cb_mem_free(void *p, size_t len);

/* Every page of buf (move_pages, 4096 pages a call): per-node counts added
 * to counts[CB_MEM_MAXNODE + 1] (the last: other nodes), untouched pages
 * not counted. Returns the pages found, -1 if move_pages failed. */
long cb_mem_count_pages(const void *buf, size_t len, long *counts);

/* The rank's intended nodes as a bitmap (hwloc_bitmap_t, caller frees),
 * NULL when nothing is intended (first touch); *interleave set for
 * interleave. */
void *cb_mem_intended(const struct cb_placement *pl, int rank, int *interleave);

#endif
