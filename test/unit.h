/* unit.h: the few assertion macros unit tests use. Each check prints
 * "ok - name" or "not ok - name"; UNIT_EXIT prints the TAP plan "1..N" (the
 * checks made) and returns. test/run.sh fails a binary whose plan is
 * missing or wrong or whose exit status is not 0 (a crash after the last
 * check included). */
#ifndef COLLBENCH_TEST_UNIT_H
#define COLLBENCH_TEST_UNIT_H

#include <stdio.h>

static int unit_failed, unit_checks;

/* cond is evaluated exactly once (it may have side effects). */
#define CHECK(cond, ...)                                                   \
	do {                                                               \
		int check_ok_ = !!(cond);                                  \
		unit_checks++;                                             \
		printf(check_ok_ ? "ok - " : "not ok - ");                 \
		if (!check_ok_)                                            \
			unit_failed = 1;                                   \
		printf(__VA_ARGS__);                                       \
		if (!check_ok_)                                            \
			printf(" [%s:%d: %s]", __FILE__, __LINE__, #cond); \
		printf("\n");                                              \
	} while (0)

#define UNIT_EXIT()                                                        \
	do {                                                               \
		printf("1..%d\n", unit_checks);                           \
		return unit_failed;                                        \
	} while (0)

#endif
