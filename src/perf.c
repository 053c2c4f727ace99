/* perf.c: perf stat's control protocol and perf_event_open counters.
 *
 * Control (perf-stat(1), --control=fifo:ctl,ack): perf opens both FIFOs
 * O_RDWR|O_NONBLOCK, reads commands up to '\n' and acks with the 5 bytes
 * "ack\n\0". We open the control FIFO O_WRONLY|O_NONBLOCK (ENXIO: nobody
 * reads it, so perf is not running) and the ack FIFO O_RDONLY|O_NONBLOCK (a
 * blocking open would hang without perf), then wait for acks with poll().
 *
 * Counters: each rank thread opens its own events (pid 0, cpu -1),
 * including kernel time where permitted (context switches are kernel
 * events), else user space only, which perf_event_paranoid 2 allows. An event the machine
 * lacks (ENOENT, EOPNOTSUPP, ...) is recorded as unavailable, never as 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "collbench/common.h"
#include "collbench/perf.h"

int cb_perf_fifos_parse(const char *spec, struct cb_perf_fifos *f, const char **why)
{
	const char *comma = strchr(spec, ',');
	size_t n = comma ? (size_t)(comma - spec) : 0;

	if (!comma || n == 0 || !comma[1]) {
		*why = "expected CTL_FIFO,ACK_FIFO";
		return -1;
	}
	if (n >= sizeof f->ctl || strlen(comma + 1) >= sizeof f->ack) {
		*why = "a FIFO path is too long";
		return -1;
	}
	memcpy(f->ctl, spec, n);
	f->ctl[n] = '\0';
	strcpy(f->ack, comma + 1);
	return 0;
}

int cb_perf_ctl_open(struct cb_perf_ctl *pc, const char *spec, const char **why)
{
	struct cb_perf_fifos f;
	pc->ctl_fd = pc->ack_fd = -1;
	if (cb_perf_fifos_parse(spec, &f, why))
		return -1;
	return cb_perf_ctl_open_fifos(pc, &f, why);
}

int cb_perf_ctl_open_fifos(struct cb_perf_ctl *pc, const struct cb_perf_fifos *f, const char **why)
{
	const char *ctl = f->ctl;

	pc->ctl_fd = pc->ack_fd = -1;
	pc->ctl_fd = open(ctl, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (pc->ctl_fd < 0) {
		*why = errno == ENXIO ? "no reader on the control FIFO (is perf stat --control running?)"
				      : "cannot open the control FIFO";
		return -1;
	}
	pc->ack_fd = open(f->ack, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (pc->ack_fd < 0) {
		*why = "cannot open the ack FIFO";
		cb_perf_ctl_close(pc);
		return -1;
	}
	/* A regular file would take the commands and never ack. */
	{
		struct stat a, b;
		if (fstat(pc->ctl_fd, &a) || fstat(pc->ack_fd, &b) || !S_ISFIFO(a.st_mode) ||
		    !S_ISFIFO(b.st_mode)) {
			*why = "not a FIFO (create both with mkfifo)";
			cb_perf_ctl_close(pc);
			return -1;
		}
	}
	/* Writes of a few bytes to a FIFO are atomic; keep ctl non-blocking
	 * so a dead perf cannot hang us. */
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

int cb_perf_ctl_send(struct cb_perf_ctl *pc, const char *cmd, int timeout_ms, const char **why)
{
	char line[32], got[16];
	size_t have = 0;
	int len = snprintf(line, sizeof line, "%s\n", cmd);
	double deadline = now_ms() + timeout_ms;

	/* A perf that has exited leaves no reader: write() then fails with
	 * EPIPE, and the SIGPIPE it raises must not kill us. Block it for the
	 * write and consume it if it came. */
	{
		sigset_t pipe_set, old;
		ssize_t w;
		int err;
		struct timespec zero = { 0, 0 };
		sigemptyset(&pipe_set);
		sigaddset(&pipe_set, SIGPIPE);
		pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
		w = write(pc->ctl_fd, line, (size_t)len);
		err = errno;
		if (w < 0 && err == EPIPE && !sigismember(&old, SIGPIPE))
			while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
				;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (w != len) {
			*why = err == EPIPE ? "the control FIFO has no reader (perf exited?)"
					    : "cannot write to the control FIFO";
			return -1;
		}
	}
	/* Read until "ack\n" (perf also sends a trailing NUL, consumed here). */
	while (have < 4 || memcmp(got + have - 4, "ack\n", 4) != 0) {
		struct pollfd p = { pc->ack_fd, POLLIN, 0 };
		int left = (int)(deadline - now_ms()), pr;
		ssize_t r;
		pr = left > 0 ? poll(&p, 1, left) : 0;
		if (pr < 0 && errno == EINTR)
			continue;   /* a signal (SIGINT ends the run later) */
		if (pr <= 0) {
			*why = "no ack from perf on the ack FIFO";
			return -1;
		}
		r = read(pc->ack_fd, got + have, 1);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r <= 0) {
			*why = "the ack FIFO was closed";
			return -1;
		}
		if (got[have] == '\0')
			continue;
		if (++have == sizeof got) {
			memmove(got, got + have - 4, 4);
			have = 4;
		}
	}
	/* Drain the NUL that follows the ack, if it is already there. */
	{
		char nul;
		if (read(pc->ack_fd, &nul, 1) < 0)
			(void)0;
	}
	return 0;
}

void cb_perf_ctl_close(struct cb_perf_ctl *pc)
{
	if (pc->ctl_fd >= 0)
		close(pc->ctl_fd);
	if (pc->ack_fd >= 0)
		close(pc->ack_fd);
	pc->ctl_fd = pc->ack_fd = -1;
}

const struct cb_counter_desc cb_counter_descs[] = {
	{ "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	{ "context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	{ "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
};
const unsigned cb_ncounter_descs = CB_ARRAY_LEN(cb_counter_descs);

int cb_counters_parse(struct cb_counter_set *set, const char *list, const char **why)
{
	set->n = 0;
	for (const char *p = list;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		unsigned i;
		if (len == 0) {
			*why = "empty counter name";
			return -1;
		}
		for (i = 0; i < cb_ncounter_descs; i++)
			if (strlen(cb_counter_descs[i].name) == len &&
			    !strncmp(cb_counter_descs[i].name, p, len))
				break;
		if (i == cb_ncounter_descs) {
			*why = "unknown counter (valid: task-clock, context-switches, cpu-migrations, "
			       "page-faults, cycles, instructions, cache-misses, branch-misses)";
			return -1;
		}
		if (set->n == CB_MAX_COUNTERS) {
			*why = "too many counters";
			return -1;
		}
		set->idx[set->n++] = i;
		if (!e)
			return 0;
		p = e + 1;
	}
}

void cb_counters_open(struct cb_counters *c, const struct cb_counter_set *set)
{
	c->set = set;
	for (unsigned i = 0; i < set->n; i++) {
		const struct cb_counter_desc *d = &cb_counter_descs[set->idx[i]];
		struct perf_event_attr a;
		memset(&a, 0, sizeof a);
		a.size = sizeof a;
		a.type = d->type;
		a.config = d->config;
		a.disabled = 1;
		a.exclude_hv = 1;
		a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
		/* Context switches and migrations happen in the kernel: count it
		 * where allowed, else fall back to user space only (paranoid 2). */
		c->fd[i] = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
		if (c->fd[i] < 0 && (errno == EACCES || errno == EPERM)) {
			a.exclude_kernel = 1;
			c->fd[i] = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
		}
		c->err[i] = c->fd[i] < 0 ? errno : 0;
	}
}

void cb_counters_start(struct cb_counters *c)
{
	for (unsigned i = 0; i < c->set->n; i++)
		if (c->fd[i] >= 0) {
			ioctl(c->fd[i], PERF_EVENT_IOC_RESET, 0);
			ioctl(c->fd[i], PERF_EVENT_IOC_ENABLE, 0);
		}
}

void cb_counters_stop(struct cb_counters *c, double *values, bool *avail)
{
	for (unsigned i = 0; i < c->set->n; i++) {
		uint64_t v[3];
		avail[i] = false;
		values[i] = 0;
		if (c->fd[i] < 0)
			continue;
		ioctl(c->fd[i], PERF_EVENT_IOC_DISABLE, 0);
		if (read(c->fd[i], v, sizeof v) != (ssize_t)sizeof v || v[2] == 0)
			continue;
		avail[i] = true;
		values[i] = (double)v[0] * ((double)v[1] / (double)v[2]);
	}
}

void cb_counters_close(struct cb_counters *c)
{
	for (unsigned i = 0; c->set && i < c->set->n; i++)
		if (c->fd[i] >= 0) {
			close(c->fd[i]);
			c->fd[i] = -1;
		}
}
