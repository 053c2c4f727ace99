/* unit_perf.c: perf's control protocol against a stand-in for perf on real
 * FIFOs (a forked child that reads commands and acks as perf does), and
 * per-thread counters on this machine. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collbench/perf.h"
#include "unit.h"

/* The stand-in: opens both FIFOs O_RDWR|O_NONBLOCK like perf, logs each
 * command line to log, acks with "ack\n\0" unless mute. */
static pid_t fake_perf(const char *ctl, const char *ack, const char *log, int mute)
{
	pid_t pid = fork();
	if (pid == 0) {
		int c = open(ctl, O_RDWR), a = open(ack, O_RDWR), l = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		char ch, line[64];
		size_t n = 0;
		while (read(c, &ch, 1) == 1) {
			if (ch != '\n' && n < sizeof line - 1) {
				line[n++] = ch;
				continue;
			}
			line[n++] = '\n';
			if (write(l, line, n) < 0)
				_exit(1);
			n = 0;
			if (!mute && write(a, "ack\n", 5) != 5)
				_exit(1);
		}
		_exit(0);
	}
	return pid;
}

static void test_ctl(void)
{
	char dir[] = "/tmp/cbperfXXXXXX", ctl[128], ack[128], log[128], spec[300], buf[128] = "";
	struct cb_perf_ctl pc;
	const char *why = NULL;
	pid_t pid;
	int fd;
	ssize_t n;

	if (!mkdtemp(dir))
		return;
	snprintf(ctl, sizeof ctl, "%s/ctl", dir);
	snprintf(ack, sizeof ack, "%s/ack", dir);
	snprintf(log, sizeof log, "%s/log", dir);
	snprintf(spec, sizeof spec, "%s,%s", ctl, ack);
	mkfifo(ctl, 0600);
	mkfifo(ack, 0600);

	CHECK(cb_perf_ctl_open(&pc, spec, &why) == -1 && why && strstr(why, "no reader"),
	      "perf-ctl without perf: fails at once, says nobody reads the FIFO");
	CHECK(cb_perf_ctl_open(&pc, "onlyone", &why) == -1, "perf-ctl spec without a comma is rejected");

	pid = fake_perf(ctl, ack, log, 0);
	usleep(100000);
	CHECK(cb_perf_ctl_open(&pc, spec, &why) == 0, "perf-ctl opens both FIFOs while perf listens");
	CHECK(cb_perf_ctl_send(&pc, "enable", 2000, &why) == 0, "enable is acked");
	CHECK(cb_perf_ctl_send(&pc, "disable", 2000, &why) == 0, "disable is acked");
	CHECK(cb_perf_ctl_send(&pc, "enable", 2000, &why) == 0, "a second enable is acked");
	cb_perf_ctl_close(&pc);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	fd = open(log, O_RDONLY);
	n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	buf[n > 0 ? n : 0] = '\0';
	CHECK(!strcmp(buf, "enable\ndisable\nenable\n"), "perf received exactly enable, disable, enable (got '%s')", buf);
	if (fd >= 0)
		close(fd);

	pid = fake_perf(ctl, ack, log, 1);
	usleep(100000);
	CHECK(cb_perf_ctl_open(&pc, spec, &why) == 0, "perf-ctl opens (mute perf)");
	CHECK(cb_perf_ctl_send(&pc, "enable", 300, &why) == -1 && strstr(why, "no ack"),
	      "a perf that never acks is a timeout, not a hang");
	cb_perf_ctl_close(&pc);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	unlink(ctl);
	unlink(ack);
	unlink(log);
	rmdir(dir);
}

static void test_counters(void)
{
	struct cb_counter_set set;
	struct cb_counters c;
	const char *why;
	double v[CB_MAX_COUNTERS];
	bool avail[CB_MAX_COUNTERS];
	volatile double x = 1;

	CHECK(cb_counters_parse(&set, "task-clock,context-switches,cycles", &why) == 0 && set.n == 3,
	      "counters list parses");
	CHECK(cb_counters_parse(&set, "task-clock,,cycles", &why) == -1, "empty counter name rejected");
	CHECK(cb_counters_parse(&set, "flops", &why) == -1 && strstr(why, "valid:"),
	      "unknown counter rejected with the valid names");
	cb_counters_parse(&set, "task-clock,context-switches,cycles", &why);
	cb_counters_open(&c, &set);
	cb_counters_start(&c);
	for (int i = 0; i < 3000000; i++)
		x = x * 1.0000001 + 1e-9;
	for (int i = 0; i < 5; i++) {
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
	cb_counters_stop(&c, v, avail);
	if (!avail[0] && (c.err[0] == EACCES || c.err[0] == EPERM)) {
		printf("ok - counters # SKIP perf_event_open not permitted here\n");
	} else {
		CHECK(avail[0] && v[0] > 1e5, "task-clock counted (%.0f ns)", v[0]);
		CHECK(avail[1] && v[1] >= 5, "context-switches counted (%.0f, 5 sleeps)", v[1]);
		CHECK((avail[2] && v[2] > 0) || (!avail[2] && c.err[2] != 0),
		      "cycles is either counted or unavailable with a reason (%s)",
		      avail[2] ? "counted" : strerror(c.err[2]));
	}
	cb_counters_close(&c);
}

int main(void)
{
	test_ctl();
	test_counters();
	UNIT_EXIT();
}
