/* copybw.c: memory copy bandwidth for bench/run.sh's efficiency column.
 * T threads (default: one per online CPU), each pinned to CPU t, each
 * copying its own S-byte buffer (first-touched by itself) with memcpy, best
 * of R repetitions after a warm-up. Prints the aggregate rate in GB/s
 * (1e9 B/s) in the STREAM convention: bytes read + bytes written = 2 x S per
 * copy per thread (write-allocate traffic not counted).
 * Usage: copybw [SIZE_MIB [THREADS [REPS]]] */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static size_t S;
static int T, REPS;
static pthread_barrier_t bar;
static double best = 1e30;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *worker(void *arg)
{
	long t = (long)arg;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET((int)(t % sysconf(_SC_NPROCESSORS_ONLN)), &set);
	pthread_setaffinity_np(pthread_self(), sizeof set, &set);
	char *a = aligned_alloc(4096, S), *b = aligned_alloc(4096, S);
	if (!a || !b)
		exit(2);
	memset(a, 1, S);
	memset(b, 2, S);
	memcpy(b, a, S);
	for (int r = 0; r < REPS; r++) {
		pthread_barrier_wait(&bar);
		double t0 = now();
		memcpy(r & 1 ? a : b, r & 1 ? b : a, S);
		pthread_barrier_wait(&bar);
		double dt = now() - t0;
		pthread_mutex_lock(&mu);
		if (t == 0 && dt < best)
			best = dt;
		pthread_mutex_unlock(&mu);
	}
	free(a);
	free(b);
	return NULL;
}

int main(int argc, char **argv)
{
	S = (size_t)(argc > 1 ? atof(argv[1]) : 64.0) * (1u << 20);
	T = argc > 2 ? atoi(argv[2]) : (int)sysconf(_SC_NPROCESSORS_ONLN);
	REPS = argc > 3 ? atoi(argv[3]) : 10;
	pthread_t *th = calloc((size_t)T, sizeof *th);
	pthread_barrier_init(&bar, NULL, (unsigned)T);
	for (long t = 0; t < T; t++)
		pthread_create(&th[t], NULL, worker, (void *)t);
	for (int t = 0; t < T; t++)
		pthread_join(th[t], NULL);
	printf("%.2f\n", 2.0 * (double)S * T / best / 1e9);
	return 0;
}
