/* common.h: exit statuses, cache-line size, small helpers shared by every module */
#ifndef COLLBENCH_COMMON_H
#define COLLBENCH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CB_VERSION "0.1.0"

/* Exit statuses: nccl-tests' codes where it has one (man page, EXIT STATUS). */
enum cb_exit {
	CB_EXIT_OK = 0,
	CB_EXIT_RESOURCE = 2,    /* allocation, thread or topology failure */
	CB_EXIT_TIMEOUT = 4,     /* watchdog: no rank made progress for -T s */
	CB_EXIT_UNSUPPORTED = 5, /* valid request this build/machine cannot run */
	CB_EXIT_USAGE = 6,       /* invalid command line */
	CB_EXIT_WRONG = 7,       /* wrong results */
};

#define CB_CACHELINE 64
#define CB_MAX_RANKS 512

#define CB_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define CB_UNUSED __attribute__((unused))

/* Print "collbench: <msg>" on stderr and exit with status. */
void cb_die(int status, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
void cb_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Test and fuzzing aid: if set, cb_die calls it (it must not return, e.g.
 * it longjmps) instead of exiting. */
extern void (*cb_die_hook)(int status);
/* Set while the errors cb_die may report are found in the command line
 * or the launch alone, so every process of an MPI launch finds the same
 * one, and this process is not the launcher's rank 0: a usage error
 * (CB_EXIT_USAGE) or an unsupported request (CB_EXIT_UNSUPPORTED) then
 * exits silently with its status, and rank 0 says it once. The one
 * mechanism for "said once" (main.c sets it around parsing, the transport's
 * start and planning). */
extern bool cb_usage_quiet;

/* Allocation that exits with CB_EXIT_RESOURCE instead of returning NULL. */
void *cb_xcalloc(size_t n, size_t size);

/* Balanced split of n elements over p parts: part k starts at *off, has *len. */
static inline void cb_chunk(size_t n, int p, int k, size_t *off, size_t *len)
{
	size_t q = n / (size_t)p, rem = n % (size_t)p, uk = (size_t)k;
	*off = uk * q + (uk < rem ? uk : rem);
	*len = q + (uk < rem ? 1 : 0);
}

static inline int cb_mod(int a, int p)
{
	int m = a % p;
	return m < 0 ? m + p : m;
}

#endif
