/* memcheck.c: the memory a process may still use (memcheck.h). */
#define _GNU_SOURCE
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "collbench/common.h"
#include "collbench/memcheck.h"

/* The first number in a file ("max" and unreadable: none). */
static int read_bytes(const char *path, size_t *out)
{
	FILE *f = fopen(path, "r");
	unsigned long long v;
	int ok;
	if (!f)
		return -1;
	ok = fscanf(f, "%llu", &v) == 1;
	fclose(f);
	if (!ok)
		return -1;
	*out = v > SIZE_MAX ? SIZE_MAX : (size_t)v;
	return 0;
}

/* "Key:   N kB" of a /proc file, in bytes. */
static int proc_kb(const char *path, const char *key, size_t *out)
{
	FILE *f = fopen(path, "r");
	char line[256];
	size_t klen = strlen(key);
	int found = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			unsigned long long kb = strtoull(line + klen + 1, NULL, 10);
			*out = kb > SIZE_MAX / 1024 ? SIZE_MAX : (size_t)kb * 1024;
			found = 0;
			break;
		}
	fclose(f);
	return found;
}

static void lower(size_t *best, const char **from, size_t v, const char *name)
{
	if (v < *best) {
		*best = v;
		*from = name;
	}
}

/* limit - usage of one cgroup directory's limit files (v2: max, high). */
static void cgroup_dir(const char *dir, bool v2, size_t *best, const char **from)
{
	static const char *const v2lim[] = { "memory.max", "memory.high" };
	char path[PATH_MAX + 64];
	size_t used, lim;
	snprintf(path, sizeof path, "%s/%s", dir, v2 ? "memory.current" : "memory.usage_in_bytes");
	if (read_bytes(path, &used))
		return;
	for (size_t i = 0; i < (v2 ? 2u : 1u); i++) {
		snprintf(path, sizeof path, "%s/%s", dir, v2 ? v2lim[i] : "memory.limit_in_bytes");
		/* v1 says "no limit" with a huge number, v2 with "max". */
		if (!read_bytes(path, &lim) && lim < ((size_t)1 << 62))
			lower(best, from, lim > used ? lim - used : 0,
			      v2 ? (i ? "cgroup memory.high" : "cgroup memory.max")
				 : "cgroup memory.limit_in_bytes");
	}
}

/* Our memory cgroup and its ancestors: a limit anywhere above applies. */
static void cgroups(size_t *best, const char **from)
{
	FILE *f = fopen("/proc/self/cgroup", "r");
	char line[PATH_MAX];
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		char *ctrl = strchr(line, ':'), *rel, dir[PATH_MAX];
		bool v2;
		const char *mnt;
		if (!ctrl || !(rel = strchr(ctrl + 1, ':')))
			continue;
		*rel++ = '\0';
		rel[strcspn(rel, "\n")] = '\0';
		v2 = !strcmp(ctrl + 1, "");
		if (!v2 && !strstr(ctrl + 1, "memory"))
			continue;
		mnt = v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory";
		/* A v2 line on a v1 machine names no memory controller. */
		if (v2 && access("/sys/fs/cgroup/cgroup.controllers", R_OK))
			continue;
		snprintf(dir, sizeof dir, "%s%s", mnt, rel);
		for (;;) {
			char *slash;
			cgroup_dir(dir, v2, best, from);
			slash = strrchr(dir, '/');
			if (!slash || (size_t)(slash - dir) < strlen(mnt))
				break;
			*slash = '\0';
		}
	}
	fclose(f);
}

size_t cb_mem_available(const char **from)
{
	size_t best = SIZE_MAX, v, vm;
	struct rlimit rl;
	*from = "no limit known";
	if (!proc_kb("/proc/meminfo", "MemAvailable", &v))
		lower(&best, from, v, "MemAvailable");
	cgroups(&best, from);
	if (!getrlimit(RLIMIT_AS, &rl) && rl.rlim_cur != RLIM_INFINITY &&
	    !proc_kb("/proc/self/status", "VmSize", &vm))
		lower(&best, from, rl.rlim_cur > vm ? (size_t)(rl.rlim_cur - vm) : 0,
		      "ulimit -v");
	return best;
}

void cb_mem_human(char *buf, size_t cap, size_t b)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)b;
	int u = 0;
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(buf, cap, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

void cb_mem_check(size_t need, const char *what)
{
	const char *from;
	size_t avail = cb_mem_available(&from);
	char n[32], a[32];
	if (need <= avail)
		return;
	cb_mem_human(n, sizeof n, need);
	cb_mem_human(a, sizeof a, avail);
	cb_die(CB_EXIT_RESOURCE, "not enough memory for %s: need %s, available %s (%s)",
	       what, n, a, from);
}
