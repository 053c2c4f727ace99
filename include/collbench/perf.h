/* perf.h: profiling hooks. perf stat's control FIFOs (--perf-ctl) so that
 * counting covers exactly the timed iterations, and per-rank-thread
 * counters (--counters) through perf_event_open. */
#ifndef COLLBENCH_PERF_H
#define COLLBENCH_PERF_H

#include <stdbool.h>
#include <stdint.h>

/* --- perf stat --control fifo:CTL,ACK ----------------------------------- */
struct cb_perf_ctl {
	int ctl_fd, ack_fd;
};

/* --perf-ctl CTL_FIFO,ACK_FIFO, split by the option parser. */
struct cb_perf_fifos {
	char ctl[512], ack[512];
};
int cb_perf_fifos_parse(const char *spec, struct cb_perf_fifos *f, const char **why);
/* Open both FIFOs (perf must be listening). Returns 0, or -1 with *why
 * set (the caller reports it as a usage error). */
int cb_perf_ctl_open_fifos(struct cb_perf_ctl *pc, const struct cb_perf_fifos *f, const char **why);
/* cb_perf_fifos_parse + cb_perf_ctl_open_fifos. */
int cb_perf_ctl_open(struct cb_perf_ctl *pc, const char *spec, const char **why);
/* Send "enable" / "disable" and wait for perf's ack (at most timeout_ms).
 * Returns 0, or -1 with *why set. */
int cb_perf_ctl_send(struct cb_perf_ctl *pc, const char *cmd, int timeout_ms, const char **why);
void cb_perf_ctl_close(struct cb_perf_ctl *pc);

/* --- per-thread counters ------------------------------------------------ */
#define CB_MAX_COUNTERS 8

struct cb_counter_desc {
	const char *name;
	uint32_t type;    /* PERF_TYPE_* */
	uint64_t config;  /* PERF_COUNT_* */
};

extern const struct cb_counter_desc cb_counter_descs[];
extern const unsigned cb_ncounter_descs;

/* A parsed --counters list: indexes into cb_counter_descs. */
struct cb_counter_set {
	unsigned n;
	unsigned idx[CB_MAX_COUNTERS];
};

/* Parse "task-clock,context-switches,..."; -1 with *why on an unknown name,
 * an empty item or too many. */
int cb_counters_parse(struct cb_counter_set *set, const char *list, const char **why);

/* One rank thread's open counters (opened by that thread, for itself). */
struct cb_counters {
	const struct cb_counter_set *set;
	int fd[CB_MAX_COUNTERS];      /* -1: unavailable on this machine */
	int err[CB_MAX_COUNTERS];     /* errno of the failed open */
};

void cb_counters_open(struct cb_counters *c, const struct cb_counter_set *set);
void cb_counters_start(struct cb_counters *c);  /* reset + enable */
/* Stop and read: values scaled for multiplexing; avail[i] false where the
 * event is unavailable. */
void cb_counters_stop(struct cb_counters *c, double *values, bool *avail);
void cb_counters_close(struct cb_counters *c);

#endif
