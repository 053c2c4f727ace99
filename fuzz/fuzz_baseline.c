/* fuzz_baseline.c: libFuzzer target for --baseline files. The input is the
 * file's text: parsed (json.c) and read into baseline rows as main() does
 * with --baseline. A file collbench refuses longjmps back through
 * cb_die_hook; a crash, a sanitizer report or a hang is a finding. Build
 * and run: make fuzz [FUZZ_SECONDS=60] (both targets). */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collbench/common.h"
#include "collbench/results.h"

static jmp_buf escape;

static void die_hook(int status)
{
	(void)status;
	longjmp(escape, 1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	cb_die_hook = die_hook;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* NUL-terminated, as slurp() gives it (a NUL inside ends the text). */
	char *text = malloc(size + 1);
	struct cb_baseline b;
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* A refused file leaks what was parsed so far: make fuzz runs with
	 * detect_leaks=0, as main() exits there. */
	if (setjmp(escape) == 0) {
		cb_baseline_parse(&b, text, "fuzz");
		cb_baseline_free(&b);
	}
	free(text);
	return 0;
}
