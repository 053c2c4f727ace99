/* vcoll.h: the count pattern of the vector collectives (alltoallv,
 * allgatherv, gatherv, scatterv, reduce_scatterv).
 *
 * THE PATTERN. C = the count column: the mean block, bytes/esize/P as for
 * the plain collective. Block k (k = 0..P-1) holds
 *     c(k) = max(0, floor(C * (1 + F * (2k - (P-1)) / (P-1))))   (P > 1)
 *     c(0) = C                                                  (P = 1)
 * elements, F = --skew (0..8, in steps of 1/1000): a straight ramp of
 * weights from 1-F (rank 0) to 1+F (rank P-1) around the mean, clamped at
 * zero, so F = 0 is the balanced plain collective, F >= 1 gives zero-size
 * blocks at the low ranks and the largest block is always rank P-1's. The
 * arithmetic is integer (F in thousandths), so every rank and every
 * process computes the same counts. pre(k) = c(0) + ... + c(k-1), T =
 * pre(P).
 *
 * What a block is, per collective (rank r):
 *   allgatherv, gatherv: rank k contributes c(k) elements, the output has
 *       block k at pre(k) (gatherv: on the root only).
 *   scatterv: the root's input has block k at pre(k); rank k gets c(k).
 *   reduce_scatterv: every input has T elements; rank k gets the reduction
 *       of block k (elements pre(k) .. pre(k+1)-1).
 *   alltoallv: a traffic matrix skewed by destination (rank P-1 is the hot
 *       expert of a mixture-of-experts layer): rank s sends c(d) elements
 *       to rank d, taken from its input at pre(d); rank d receives P blocks
 *       of c(d), block s at s*c(d). */
#ifndef COLLBENCH_VCOLL_H
#define COLLBENCH_VCOLL_H

#include <stddef.h>

#include "collbench/coll.h"

#define CB_SKEW_MAX 8.0

/* --skew in thousandths (options.c sets it; the same in every process). */
extern long cb_skew_milli;

size_t cb_vcount(size_t C, int k, int nranks);
size_t cb_vprefix(size_t C, int k, int nranks);

/* The v-collectives have no in-place form (their layouts differ per rank):
 * the in-place half does not apply ("in place"). */
bool cb_vcoll_applies(const struct cb_where *w, char *why, size_t cap);

/* The descriptor of v-algorithm NAME of COLL, whose run function is
 * COLL_NAME (shared by the algorithm files, src/algo/vcoll_*.c). */
#define VALGO(COLL, NAME, SUMMARY, SCRATCH)                 \
	const struct cb_algo cb_algo_##COLL##_##NAME = {    \
		.name = #NAME,                              \
		.coll = &cb_coll_##COLL,                    \
		.summary = SUMMARY,                         \
		.scratch_bytes = SCRATCH,                   \
		.applies = cb_vcoll_applies,                \
		.run = COLL##_##NAME,                       \
	};

#endif
