/* fuzz_cli.c: libFuzzer target for the command line. The input is split
 * at NUL or newline into argv; options are parsed and the plan built, as
 * main() does before anything runs. Usage errors longjmp back through
 * cb_die_hook instead of exiting; a crash, a sanitizer report or a hang is a
 * finding. Build and run: make fuzz [FUZZ_SECONDS=60]. */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/options.h"
#include "collbench/parse.h"
#include "collbench/plan.h"

static jmp_buf escape;

static void die_hook(int status)
{
	(void)status;
	longjmp(escape, 1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	/* Usage messages are expected: make fuzz runs with -close_fd_mask=3,
	 * which mutes them but keeps libFuzzer's own reports. */
	cb_die_hook = die_hook;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[2048];
	char *argv[64];
	int argc = 0;
	struct cb_options o;
	struct cb_plan plan = { 0 };
	size_t sz;
	const char *why;

	if (size >= sizeof buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	(void)cb_parse_size(buf, &sz, &why);

	argv[argc++] = "collbench";
	for (char *p = buf; argc < 63 && p <= buf + size;) {
		char *e = p;
		while (e < buf + size && *e != '\n' && *e != '\0')
			e++;
		*e = '\0';
		argv[argc++] = p;
		p = e + 1;
	}
	argv[argc] = NULL;
	if (setjmp(escape) == 0) {
		cb_options_parse(&o, argc, argv);
		if (!o.help && !o.version && strcmp(o.command, "list"))
			cb_plan_build(&plan, &o, o.nranks ? (int)o.nranks : 4, 4);
	}
	cb_plan_free(&plan);
	return 0;
}
