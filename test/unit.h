/* unit.h: the few assertion macros unit tests use. Each check prints
 * "ok - name" or "not ok - name"; test/run.sh counts them. */
#ifndef COLLBENCH_TEST_UNIT_H
#define COLLBENCH_TEST_UNIT_H

#include <stdio.h>

static int unit_failed;

/* cond is evaluated exactly once (it may have side effects). */
#define CHECK(cond, ...)                                                   \
	do {                                                               \
		int check_ok_ = !!(cond);                                  \
		printf(check_ok_ ? "ok - " : "not ok - ");                 \
		if (!check_ok_)                                            \
			unit_failed = 1;                                   \
		printf(__VA_ARGS__);                                       \
		if (!check_ok_)                                            \
			printf(" [%s:%d: %s]", __FILE__, __LINE__, #cond); \
		printf("\n");                                              \
	} while (0)

#define UNIT_EXIT() return unit_failed

#endif
