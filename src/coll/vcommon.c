/* vcommon.c: the count pattern of the vector collectives (vcoll.h). */
#include <stdint.h>
#include <stdio.h>

#include "collbench/vcoll.h"

long cb_skew_milli;

size_t cb_vcount(size_t C, int k, int nranks)
{
	long long den, num;
	/* Balanced: no arithmetic at all, so that --skew 0 costs what the
	 * plain collective does (this runs per block inside every call). */
	if (nranks <= 1 || cb_skew_milli == 0)
		return C;
	den = 1000LL * (nranks - 1);
	num = den + cb_skew_milli * (2LL * k - (nranks - 1));
	if (num <= 0)
		return 0;
	/* 64-bit division when the product fits (a 128-bit one is a libgcc
	 * call); C < 2^40 and num < 2^23 always fit in 128 bits. */
	if (C <= UINT64_MAX / (unsigned long long)num)
		return (size_t)(C * (unsigned long long)num / (unsigned long long)den);
	return (size_t)((unsigned __int128)C * (unsigned long long)num / (unsigned long long)den);
}

size_t cb_vprefix(size_t C, int k, int nranks)
{
	size_t s = 0;
	if (nranks <= 1 || cb_skew_milli == 0)
		return (size_t)k * C;
	for (int i = 0; i < k; i++)
		s += cb_vcount(C, i, nranks);
	return s;
}

bool cb_vcoll_applies(const struct cb_where *w, char *why, size_t cap)
{
	if (w->inplace) {
		snprintf(why, cap, "in place (the v-collectives have none)");
		return false;
	}
	return true;
}
