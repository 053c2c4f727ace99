/* unit.h: the few assertion macros unit tests use. Each check prints
 * "ok - name" or "not ok - name"; test/run.sh counts them. */
#ifndef COLLBENCH_TEST_UNIT_H
#define COLLBENCH_TEST_UNIT_H

#include <stdio.h>

static int unit_failed;

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (cond) {                                                \
			printf("ok - ");                                   \
		} else {                                                   \
			printf("not ok - ");                               \
			unit_failed = 1;                                   \
		}                                                          \
		printf(__VA_ARGS__);                                       \
		if (!(cond))                                               \
			printf(" [%s:%d: %s]", __FILE__, __LINE__, #cond); \
		printf("\n");                                              \
	} while (0)

#define UNIT_EXIT() return unit_failed

#endif
