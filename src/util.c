/* util.c: error reporting and checked allocation */
#include <stdarg.h>
#include <stdlib.h>

#include "collbench/common.h"

static void vmsg(const char *fmt, va_list ap)
{
	char line[1024];
	vsnprintf(line, sizeof line, fmt, ap);
	/* One write per message so lines from concurrent ranks never interleave. */
	fprintf(stderr, "collbench: %s\n", line);
}

void (*cb_die_hook)(int status);
bool cb_usage_quiet;

void cb_die(int status, const char *fmt, ...)
{
	va_list ap;
	if ((status != CB_EXIT_USAGE && status != CB_EXIT_UNSUPPORTED) || !cb_usage_quiet) {
		va_start(ap, fmt);
		vmsg(fmt, ap);
		va_end(ap);
	}
	if (cb_die_hook)
		cb_die_hook(status);
	exit(status);
}

void cb_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void *cb_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		cb_die(CB_EXIT_RESOURCE, "out of memory (%zu x %zu bytes)", n, size);
	return p;
}
