/* linelat.c: the floor under a small P = 2 collective on this machine. Two
 * threads pinned to CPUs 0 and 1 each store a counter into a cache line of
 * their own and then wait until the other's counter catches up: one
 * iteration is the least any two-rank exchange can cost (every rank must
 * see one line the other wrote), with nothing else in it. Prints the median
 * over R runs of N iterations, in microseconds per iteration.
 * Usage: linelat [N [R]] */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static _Alignas(64) _Atomic long line[2][8];
static long N = 1000000;

static void pin(int cpu)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	pthread_setaffinity_np(pthread_self(), sizeof s, &s);
}

static void exchange(int me)
{
	for (long i = 1; i <= N; i++) {
		atomic_store_explicit(&line[me][0], i, memory_order_release);
		while (atomic_load_explicit(&line[!me][0], memory_order_acquire) < i)
			__builtin_ia32_pause();
	}
}

static void *peer(void *arg)
{
	(void)arg;
	pin(1);
	exchange(1);
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int r, runs = argc > 2 ? atoi(argv[2]) : 5;
	double t[64];
	if (argc > 1)
		N = atol(argv[1]);
	if (runs < 1 || runs > 64 || N < 1)
		return 2;
	pin(0);
	for (r = 0; r < runs; r++) {
		pthread_t th;
		struct timespec a, b;
		atomic_store(&line[0][0], 0);
		atomic_store(&line[1][0], 0);
		pthread_create(&th, NULL, peer, NULL);
		clock_gettime(CLOCK_MONOTONIC, &a);
		exchange(0);
		clock_gettime(CLOCK_MONOTONIC, &b);
		pthread_join(th, NULL);
		t[r] = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / 1e3 / (double)N;
	}
	qsort(t, (size_t)runs, sizeof *t, cmp);
	printf("%.3f\n", t[runs / 2]);
	return 0;
}
