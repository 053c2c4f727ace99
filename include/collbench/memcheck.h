/* memcheck.h: is there memory for a plan? Checked before anything is
 * allocated, so that a plan too large for the machine is refused at once
 * (status 2, one line) instead of being faulted in until the kernel kills
 * the process or the watchdog calls the page faults a hang. */
#ifndef COLLBENCH_MEMCHECK_H
#define COLLBENCH_MEMCHECK_H

#include <stddef.h>

/* The bytes this process can still allocate and touch: the least of the
 * kernel's MemAvailable, each enclosing memory cgroup's limit (v2
 * memory.max and memory.high, v1 memory.limit_in_bytes) less its usage, and
 * RLIMIT_AS (ulimit -v) less the address space in use. *from names the
 * bound that won. SIZE_MAX (from "no limit known") if none is readable. */
size_t cb_mem_available(const char **from);

/* Exit with CB_EXIT_RESOURCE and one line naming what (e.g. "-g 8 -e 4G"),
 * the bytes needed and the bytes available, when need exceeds them. */
void cb_mem_check(size_t need, const char *what);

/* "1.5 GiB", "512 MiB", "12 KiB", "100 B" */
void cb_mem_human(char *buf, size_t cap, size_t bytes);

#endif
