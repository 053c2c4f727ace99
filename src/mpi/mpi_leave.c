/* mpi_leave.c: how an MPI rank leaves before MPI_Finalize (a hang the
 * watchdog declared, a bounded finalize that did not return, cb_die, any
 * exit() after MPI_Init) without its exit status being lost.
 *
 * Why: MPICH 4.0.2's hydra proxy watches each rank's PMI socket. When that
 * socket closes before the rank said PMI "finalize", the proxy records a
 * placeholder exit status 1 for the rank, and depending on whether it
 * reaps the process (waitpid) before or after it sees the socket close,
 * that placeholder replaces the rank's real status: CI once saw
 * `-T 5 --inject drop-notify` end with 1 instead of 4 (t_mpi.sh shows the
 * ordering deterministically by slowing the proxy's waitpid). A rank that
 * sends the PMI-1 wire command "cmd=finalize" on its PMI socket and waits
 * for "cmd=finalize_ack" has left PMI properly: the proxy stops watching the
 * socket and reports the real status.
 *
 * Only under hydra: it passes the socket's fd number in PMI_FD. Open MPI's
 * launcher does not (PMIx), and nothing is done there. The wait for the
 * acknowledgement is bounded (2 s): a proxy that is gone or no longer reads
 * the socket must not keep a leaving rank alive. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "collbench/transport.h"

#define ACK_WAIT_MS 2000
#define PARK_WAIT_MS 200
#define PARK_SIG (SIGRTMIN + 2)   /* no library here uses it */

static int pmi_fd = -1;          /* hydra's PMI socket; -1: none, or already left */
static struct stat pmi_sock;     /* its identity: the library may close the fd
				  * in MPI_Finalize and the number be reused */
static pthread_mutex_t leave_lock = PTHREAD_MUTEX_INITIALIZER;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t k = write(fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		s += k;
		n -= (size_t)k;
	}
	return true;
}

/* Reads replies until the acknowledgement, EOF, an error or the deadline.
 * Another reply the proxy may still owe (none is expected: collbench makes
 * no PMI calls of its own) is skipped. */
static void await_ack(int fd)
{
	static const char ack[] = "cmd=finalize_ack";
	char buf[512];
	size_t len = 0;
	long long end = now_ms() + ACK_WAIT_MS;

	for (long long left; (left = end - now_ms()) > 0;) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t k;
		int r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		k = read(fd, buf + len, sizeof buf - 1 - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		len += (size_t)k;
		buf[len] = '\0';
		if (strstr(buf, ack))
			return;
		if (len == sizeof buf - 1) {   /* keep a tail that may hold a split ack */
			memmove(buf, buf + len - (sizeof ack - 1), sizeof ack - 1);
			len = sizeof ack - 1;
		}
	}
}

/* Once per process; a second caller (the rank thread's cb_die while the
 * watchdog leaves) waits until the first has finished, so no exit closes
 * the socket between the command and its acknowledgement. */
static void pmi_finalize(void)
{
	static const char cmd[] = "cmd=finalize\n";
	struct stat sb;
	pthread_mutex_lock(&leave_lock);
	if (pmi_fd >= 0 && !fstat(pmi_fd, &sb) && sb.st_dev == pmi_sock.st_dev &&
	    sb.st_ino == pmi_sock.st_ino && write_all(pmi_fd, cmd, sizeof cmd - 1))
		await_ack(pmi_fd);
	pmi_fd = -1;
	pthread_mutex_unlock(&leave_lock);
}

static void leave_at_exit(void)
{
	pmi_finalize();
}

void cb_mpi_leave_init(void)
{
	const char *v = getenv("PMI_FD");
	char *end;
	long fd;

	if (!v || !*v)
		return;
	errno = 0;
	fd = strtol(v, &end, 10);
	if (errno || *end || fd < 0 || fd > INT_MAX || fstat((int)fd, &pmi_sock) ||
	    !S_ISSOCK(pmi_sock.st_mode))
		return;
	pmi_fd = (int)fd;
	/* exit() after MPI_Init (cb_die, a usage error found late, the
	 * non-zero ranks' silent exits) leaves PMI the same way. */
	atexit(leave_at_exit);
}

void cb_mpi_leave_finalized(void)
{
	pthread_mutex_lock(&leave_lock);
	pmi_fd = -1;   /* MPI_Finalize did PMI's finalize; the fd may be reused */
	pthread_mutex_unlock(&leave_lock);
}

/* The bounded finalize (transport_mpi.c) leaves from its guard thread while
 * the main thread is still in MPI_Finalize, which may be in a PMI exchange
 * of its own on the same socket: MPICH's finalize waits there for the PMI
 * barrier's "barrier_out", which hydra, once Ctrl-C has reached it, never
 * sends. The proxy's "finalize_ack" to our command was then read by the
 * library, which printed "expecting cmd=barrier_out, got finalize_ack" and
 * aborted with code 807498255, exit status 15 (its low byte) in place of
 * the run's. So the finalizing thread is parked first: a signal whose
 * handler never returns (async-signal-safe: pause) takes it off the
 * socket, and the guard alone reads the answer. */
static pthread_t finalizer;
static atomic_bool finalizing, parked;

static void park(int sig)
{
	(void)sig;
	atomic_store_explicit(&parked, true, memory_order_release);
	for (;;)
		pause();
}

void cb_mpi_leave_finalizing(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = park;
	sigemptyset(&sa.sa_mask);
	sigaction(PARK_SIG, &sa, NULL);
	finalizer = pthread_self();
	atomic_store_explicit(&finalizing, true, memory_order_release);
}

/* Parks the finalizing thread unless it is this one; waits for it at most
 * PARK_WAIT_MS (it is in a system call or running: it takes the signal at
 * once). */
static void park_finalizer(void)
{
	long long end;
	if (!atomic_load_explicit(&finalizing, memory_order_acquire) ||
	    pthread_equal(finalizer, pthread_self()) || pthread_kill(finalizer, PARK_SIG))
		return;
	end = now_ms() + PARK_WAIT_MS;
	while (!atomic_load_explicit(&parked, memory_order_acquire) && now_ms() < end) {
		struct timespec ts = { 0, 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

void cb_mpi_leave(int status)
{
	park_finalizer();
	pmi_finalize();
	_exit(status);
}
