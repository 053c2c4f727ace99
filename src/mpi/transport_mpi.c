/* transport_mpi.c: the MPI transport (make MPI=1). One rank per process;
 * MPI_Init_thread asks for MPI_THREAD_SERIALIZED: the main thread calls
 * MPI_Init and, after the rank thread has been joined, MPI_Finalize; the rank
 * thread makes every other MPI call; the watchdog (main thread) never calls
 * MPI.
 *
 * Windows (comm.h): every rank allocates its window collectively and keeps
 * a passive-target epoch open on all ranks (MPI_Win_lock_all) for the whole
 * run.
 *  - shared (one node): MPI_Win_allocate_shared; comm->win[peer] from
 *    MPI_Win_shared_query, so algorithms load and store peers' memory
 *    directly, signal cells are the same C11 atomics as with threads, and the
 *    futex doorbell uses the shared (non-private) futex operations because
 *    waiter and notifier are different processes.
 *  - rma (across machines, or forced by --mpi-window rma): MPI_Win_allocate;
 *    only my own window is mapped. put = MPI_Put + MPI_Win_flush; remote read
 *    = MPI_Get into one of two staging buffers (alternating, so a returned
 *    block stays valid until the next-but-one get) + flush; notify =
 *    MPI_Win_sync (my local stores reach my window's public copy before a
 *    notified peer reads them) + MPI_Accumulate(+1, MPI_UINT64_T, MPI_SUM) +
 *    flush; wait = MPI_Fetch_and_op(MPI_NO_OP) on my own cell + flush until it
 *    reaches the epoch, then MPI_Win_sync. Accumulate and Fetch_and_op on a
 *    cell use the same basic type, so they are atomic with respect to each
 *    other. The epoch protocol and double buffering are the threads' ones. */
#define _GNU_SOURCE
#include <mpi.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collbench/comm.h"
#include "collbench/common.h"
#include "collbench/transport.h"

#define CHUNK (1 << 30)   /* MPI counts are int */

static struct {
	MPI_Win win;
	bool have_win;
	char *stage[2];       /* rma: MPI_Get staging, two slots */
	size_t stage_len;
	int next;
	MPI_Aint *adj;        /* rma: [nranks] offset of each rank's window in its MPI window */
} ms;

/* MPI windows need not start on a cache line (Open MPI's shared segments
 * start 8 bytes past one): collbench's window starts at the next page
 * boundary inside a segment one page larger. Mappings of a shared segment
 * have the same page offset in every process, so each process finds the
 * same start; for RMA each rank's offset is exchanged once. */
#define ALIGN_PAD 4096
static char *align_up(void *p)
{
	return (char *)(((uintptr_t)p + ALIGN_PAD - 1) & ~(uintptr_t)(ALIGN_PAD - 1));
}

/* The MPI rank of rank r of rk's comm: a --split group view numbers its
 * ranks 0..G-1 (comm.h's world[]), the window's MPI ranks are the run's. */
static int mpi_rank(const struct cb_rank *rk, int r)
{
	return rk->comm->world ? rk->comm->world[r] : r;
}

static void rma_put(const struct cb_rank *rk, int peer, size_t off, const void *src, size_t n)
{
	const char *s = src;
	peer = mpi_rank(rk, peer);
	while (n) {
		int k = n > CHUNK ? CHUNK : (int)n;
		MPI_Put(s, k, MPI_BYTE, peer, ms.adj[peer] + (MPI_Aint)off, k, MPI_BYTE, ms.win);
		s += k;
		off += (size_t)k;
		n -= (size_t)k;
	}
	MPI_Win_flush(peer, ms.win);
}

static const void *rma_get(const struct cb_rank *rk, int peer, size_t off, size_t n)
{
	char *dst = ms.stage[ms.next], *d = dst;
	ms.next ^= 1;
	if (peer == rk->rank)
		return rk->win + off;
	peer = mpi_rank(rk, peer);
	if (n > ms.stage_len)
		cb_die(CB_EXIT_RESOURCE, "MPI transport: remote read of %zu bytes exceeds the staging "
		       "buffer (%zu bytes)", n, ms.stage_len);
	while (n) {
		int k = n > CHUNK ? CHUNK : (int)n;
		MPI_Get(d, k, MPI_BYTE, peer, ms.adj[peer] + (MPI_Aint)off, k, MPI_BYTE, ms.win);
		d += k;
		off += (size_t)k;
		n -= (size_t)k;
	}
	MPI_Win_flush(peer, ms.win);
	return dst;
}

static void rma_notify(struct cb_rank *rk, int peer, size_t off)
{
	static const uint64_t one = 1;
	peer = mpi_rank(rk, peer);
	MPI_Win_sync(ms.win);
	MPI_Accumulate(&one, 1, MPI_UINT64_T, peer, ms.adj[peer] + (MPI_Aint)off, 1, MPI_UINT64_T,
		       MPI_SUM, ms.win);
	MPI_Win_flush(peer, ms.win);
}

/* Polling makes MPI progress (a peer's accumulate may need it). Short
 * waits poll back to back; then every poll yields the PU (ranks usually
 * outnumber PUs when this matters, and the other runnable processes are the
 * peers we wait for); very long waits (a dead or hung peer) sleep 100 us
 * between polls so they cost little while the watchdog or the launcher
 * ends the job. */
static void rma_wait(struct cb_rank *rk, size_t off, uint64_t expect)
{
	uint64_t v = 0, dummy = 0;
	int me = mpi_rank(rk, rk->rank);
	for (unsigned long n = 0;; n++) {
		MPI_Fetch_and_op(&dummy, &v, MPI_UINT64_T, me, ms.adj[me] + (MPI_Aint)off, MPI_NO_OP,
				 ms.win);
		MPI_Win_flush(me, ms.win);
		if (v >= expect)
			break;
		if (n > 100000) {
			struct timespec ts = { 0, 100 * 1000 };
			nanosleep(&ts, NULL);
		} else if (n > 32) {
			sched_yield();
		}
	}
	MPI_Win_sync(ms.win);
}

static const struct cb_comm_ops rma_ops = { rma_put, rma_get, rma_notify, rma_wait };

static void library_name(char *out, size_t cap)
{
	char v[MPI_MAX_LIBRARY_VERSION_STRING];
	int len = 0;
	MPI_Get_library_version(v, &len);
	v[len < (int)sizeof v ? len : (int)sizeof v - 1] = '\0';
	v[strcspn(v, "\n,")] = '\0';
	/* MPICH says "MPICH Version:<tab>4.0.2": one line, one space. */
	for (char *p; (p = strstr(v, " Version:"));)
		memmove(p, p + 9, strlen(p + 9) + 1);
	for (char *p = v; *p; p++)
		if (*p == '\t')
			*p = ' ';
	v[cap - 1 < sizeof v ? cap - 1 : sizeof v - 1] = '\0';
	memcpy(out, v, strlen(v) + 1);
}

/* MPI errors are fatal by default: the library aborts with its own message
 * and status and collbench's never appear (Debian's Open MPI, whose
 * openmpi-mca-params.conf excludes every one-sided component that works
 * over TCP, died in MPI_Win_allocate with "MPI_ERR_WIN" and exit 53).
 * collbench's communicator and window raise errors through this handler
 * instead: one line naming the call's MPI error, exit 4 (the launcher then
 * ends the other processes). 4, a hang's status: an MPI call fails during
 * a run mostly because a peer has left (its watchdog declared a hang, 4,
 * or it died), and MPICH's mpiexec ORs the ranks' statuses, so a 2 beside
 * the peers' 4 would be reported as 6. The calls whose failure collbench
 * explains itself (window allocation) run under MPI_ERRORS_RETURN. */
static void mpi_error(int code)
{
	char msg[MPI_MAX_ERROR_STRING];
	int len = 0;
	if (MPI_Error_string(code, msg, &len) != MPI_SUCCESS)
		len = snprintf(msg, sizeof msg, "code %d", code);
	msg[len < (int)sizeof msg ? len : (int)sizeof msg - 1] = '\0';
	cb_die(CB_EXIT_TIMEOUT, "MPI rank %d: MPI error: %s", cb_xport.rank, msg);
}

static void comm_error(MPI_Comm *comm, int *code, ...)
{
	(void)comm;
	mpi_error(*code);
}

static void win_error(MPI_Win *win, int *code, ...)
{
	(void)win;
	mpi_error(*code);
}

static MPI_Errhandler comm_fatal;

/* MPI_Win_allocate failed: say why and what helps. The usual cause across
 * hosts is a library without a one-sided component for the network. */
static void win_alloc_failed(int code, size_t bytes)
{
	char msg[MPI_MAX_ERROR_STRING];
	int len = 0;
	MPI_Error_string(code, msg, &len);
	msg[len < (int)sizeof msg ? len : (int)sizeof msg - 1] = '\0';
	/* The allocation is collective and fails alike on every rank (no
	 * component for the network): rank 0 says it, the others leave with
	 * the same status silently (it was printed once per rank). Were rank 0
	 * to succeed alone, its next call would fail and say so. */
	if (cb_xport.rank != 0)
		exit(CB_EXIT_RESOURCE);
	if (strstr(cb_xport.library, "Open MPI"))
		cb_die(CB_EXIT_RESOURCE, "MPI_Win_allocate of %zu bytes failed (%s): no one-sided "
		       "(osc) component of Open MPI can make this window; Debian's "
		       "/etc/openmpi/openmpi-mca-params.conf excludes pt2pt (osc = ^ucx,pt2pt): "
		       "run mpirun with --mca osc pt2pt (see \"Across machines\" in README.md)",
		       bytes, msg);
	cb_die(CB_EXIT_RESOURCE, "MPI_Win_allocate of %zu bytes failed (%s): the MPI library "
	       "cannot make an RMA window here (see \"Across machines\" in README.md)", bytes, msg);
}

void cb_mpi_init(int window)
{
	int provided = 0, nodesize = 0, leader, nhosts = 0;
	MPI_Comm node;

	cb_mpi_leave_init();
	if (MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS)
		cb_die(CB_EXIT_RESOURCE, "MPI_Init_thread failed");
	MPI_Comm_rank(MPI_COMM_WORLD, &cb_xport.rank);
	MPI_Comm_size(MPI_COMM_WORLD, &cb_xport.size);
	library_name(cb_xport.library, sizeof cb_xport.library);
	MPI_Comm_create_errhandler(comm_error, &comm_fatal);
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, comm_fatal);
	if (provided < MPI_THREAD_SERIALIZED)
		cb_die(CB_EXIT_UNSUPPORTED, "the MPI library provides thread level %d, collbench needs "
		       "MPI_THREAD_SERIALIZED (a rank thread calls MPI)", provided);
	if (cb_xport.size > CB_MAX_RANKS)
		cb_die(CB_EXIT_UNSUPPORTED, "%d MPI processes: at most %d ranks", cb_xport.size,
		       CB_MAX_RANKS);
	/* Hosts = shared-memory nodes: count the node leaders. */
	MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
	MPI_Comm_size(node, &nodesize);
	MPI_Comm_rank(node, &leader);
	leader = leader == 0;
	MPI_Allreduce(&leader, &nhosts, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
	MPI_Comm_free(&node);
	cb_xport.nhosts = nhosts;
	if (window == CB_MPIWIN_AUTO)
		window = nodesize == cb_xport.size ? CB_MPIWIN_SHARED : CB_MPIWIN_RMA;
	/* Every rank sees this (each node has fewer than all ranks): rank 0
	 * says it, the others leave with the same status silently (the
	 * transport starts under cb_usage_quiet: common.h). */
	if (window == CB_MPIWIN_SHARED && nodesize != cb_xport.size)
		cb_die(CB_EXIT_UNSUPPORTED, "--mpi-window shared: the %d ranks are on %d hosts; shared "
		       "windows need one (use --mpi-window rma or auto)", cb_xport.size, nhosts);
	cb_xport.window = window;
	cb_xport.mpi = true;
}

/* The watchdog of the end: MPICH over UCX sometimes spins in MPI_Finalize
 * for ever after the report is complete, and the launcher's one SIGTERM
 * was swallowed by collbench's handler (issue 19, finding 5). If the
 * agreement and finalize take longer than cb_xport.finalize_s, say so in
 * one write and leave with the status (the agreed one, once known). */
static _Atomic int end_status;

static void *finalize_guard(void *arg)
{
	struct timespec ts = { (time_t)cb_xport.finalize_s,
			       (long)((cb_xport.finalize_s - (double)(time_t)cb_xport.finalize_s) * 1e9) };
	char msg[200];
	int n, st;
	(void)arg;
	while (nanosleep(&ts, &ts))
		;
	st = atomic_load(&end_status);
	n = snprintf(msg, sizeof msg, "collbench: MPI rank %d: MPI_Finalize did not return within "
		     "%g s; exiting with status %d\n", cb_xport.rank, cb_xport.finalize_s, st);
	if (write(STDERR_FILENO, msg, (size_t)n) < 0)
		cb_mpi_leave(st);
	cb_mpi_leave(st);
}

int cb_mpi_finish(int status)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	int agreed = status;
	pthread_t t;
	/* From here on a signal (the launcher's SIGTERM, a second Ctrl-C)
	 * ends the process: the report is complete, nothing is left to stop
	 * gracefully. */
	for (size_t i = 0; i < CB_ARRAY_LEN(sigs); i++)
		signal(sigs[i], SIG_DFL);
	atomic_store(&end_status, status);
	if (!pthread_create(&t, NULL, finalize_guard, NULL))
		pthread_detach(t);
	MPI_Allreduce(&status, &agreed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	atomic_store(&end_status, agreed);
	cb_mpi_leave_finalizing();
	MPI_Finalize();
	cb_mpi_leave_finalized();
	return agreed;
}

char *cb_mpi_win_create(struct cb_comm *c, int rank)
{
	MPI_Info info;
	MPI_Errhandler weh;
	char *base = NULL;
	int rc;

	MPI_Aint bytes = (MPI_Aint)(c->win_bytes + ALIGN_PAD);
	MPI_Info_create(&info);
	if (cb_xport.window == CB_MPIWIN_SHARED) {
		/* Each rank's segment in its own pages (first touch by its owner). */
		MPI_Info_set(info, "alloc_shared_noncontig", "true");
		MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
		if (MPI_Win_allocate_shared(bytes, 1, info, MPI_COMM_WORLD, &base,
					    &ms.win) != MPI_SUCCESS)
			cb_die(CB_EXIT_RESOURCE, "MPI_Win_allocate_shared of %zu bytes failed", c->win_bytes);
		MPI_Comm_set_errhandler(MPI_COMM_WORLD, comm_fatal);
		for (int r = 0; r < c->nranks; r++) {
			MPI_Aint size;
			int unit;
			void *p;
			MPI_Win_shared_query(ms.win, r, &size, &unit, &p);
			c->win[r] = align_up(p);
		}
		c->direct = 1;
		c->futex_private = 0;
		c->ops = NULL;
	} else {
		MPI_Info_set(info, "accumulate_ops", "same_op_no_op");
		MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
		rc = MPI_Win_allocate(bytes, 1, info, MPI_COMM_WORLD, &base, &ms.win);
		if (rc != MPI_SUCCESS)
			win_alloc_failed(rc, c->win_bytes);
		MPI_Comm_set_errhandler(MPI_COMM_WORLD, comm_fatal);
		ms.adj = cb_xcalloc((size_t)c->nranks, sizeof *ms.adj);
		ms.adj[rank] = align_up(base) - base;
		MPI_Allgather(MPI_IN_PLACE, 1, MPI_AINT, ms.adj, 1, MPI_AINT, MPI_COMM_WORLD);
		c->win[rank] = align_up(base);
		c->direct = 0;
		c->ops = &rma_ops;
		ms.stage_len = c->half_bytes;
		for (int k = 0; k < 2; k++)
			if (posix_memalign((void **)&ms.stage[k], 4096, ms.stage_len ? ms.stage_len : 1))
				cb_die(CB_EXIT_RESOURCE, "out of memory for the MPI staging buffers");
		ms.next = 0;
	}
	MPI_Info_free(&info);
	MPI_Win_create_errhandler(win_error, &weh);
	MPI_Win_set_errhandler(ms.win, weh);
	MPI_Errhandler_free(&weh);
	ms.have_win = true;
	base = align_up(base);
	memset(base, 0, c->win_bytes);
	MPI_Win_lock_all(MPI_MODE_NOCHECK, ms.win);
	return base;
}

void cb_mpi_win_destroy(struct cb_comm *c)
{
	if (!ms.have_win)
		return;
	MPI_Win_unlock_all(ms.win);
	MPI_Win_free(&ms.win);
	ms.have_win = false;
	free(ms.stage[0]);
	free(ms.stage[1]);
	free(ms.adj);
	ms.stage[0] = ms.stage[1] = NULL;
	ms.adj = NULL;
	c->ops = NULL;
}

/* The exchange's collectives (after every row, at checkpoints) are
 * nonblocking calls completed here, not blocking ones: MPICH's blocking
 * calls poll without ever yielding (ch4 yields only under
 * MPI_THREAD_MULTIPLE), so with ranks outnumbering PUs a rank waiting for a
 * peer that has no PU burnt its time slice every call (MPICH, 4 ranks on 2
 * PUs, all -b 8 -e 4K -n 2 -w 1: 11-14 s, against 1-4 s waiting here). A
 * few tests back to back, then each test yields the PU (to the peers we
 * wait for, usually); a very long wait (a hung peer) sleeps 100 us between
 * tests so that it costs little while the watchdog ends the job. */
static void xwait(MPI_Request *req)
{
	int done = 0;
	for (unsigned long n = 0;; n++) {
		MPI_Test(req, &done, MPI_STATUS_IGNORE);
		if (done)
			return;
		if (n > 200000) {
			struct timespec ts = { 0, 100 * 1000 };
			nanosleep(&ts, NULL);
		} else if (n > 32) {
			sched_yield();
		}
	}
}

void cb_mpi_barrier(void)
{
	MPI_Request req;
	if (ms.have_win)
		MPI_Win_sync(ms.win);   /* my local stores into my window are public */
	MPI_Ibarrier(MPI_COMM_WORLD, &req);
	xwait(&req);
}

void cb_mpi_group_comm(struct cb_comm *c, int color)
{
	MPI_Comm *g = cb_xcalloc(1, sizeof *g);
	MPI_Comm_split(MPI_COMM_WORLD, color, cb_xport.rank, g);
	MPI_Comm_set_errhandler(*g, comm_fatal);   /* as the world's: one line, exit 4 */
	c->xp = g;
}

void cb_mpi_group_free(struct cb_comm *c)
{
	MPI_Comm *g = c->xp;
	if (!g)
		return;
	MPI_Comm_free(g);
	free(g);
	c->xp = NULL;
}

int cb_mpi_max_int(int v)
{
	int all = v;
	MPI_Request req;
	MPI_Iallreduce(&v, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD, &req);
	xwait(&req);
	return all;
}

void cb_mpi_bcast(void *buf, size_t len)
{
	MPI_Request req;
	MPI_Ibcast(buf, (int)len, MPI_BYTE, 0, MPI_COMM_WORLD, &req);
	xwait(&req);
}

void cb_mpi_gather(void *all, size_t len)
{
	MPI_Request req;
	if (cb_xport.rank == 0)
		MPI_Igather(MPI_IN_PLACE, (int)len, MPI_BYTE, all, (int)len, MPI_BYTE, 0, MPI_COMM_WORLD,
			    &req);
	else
		MPI_Igather((char *)all + (size_t)cb_xport.rank * len, (int)len, MPI_BYTE, NULL, 0,
			    MPI_BYTE, 0, MPI_COMM_WORLD, &req);
	xwait(&req);
}

void cb_mpi_gather_doubles(double *all, long rank_stride, long off, long n)
{
	int p = cb_xport.size, me = cb_xport.rank;
	MPI_Request req;
	if (me == 0) {
		int *cnt = cb_xcalloc((size_t)p, sizeof *cnt), *disp = cb_xcalloc((size_t)p, sizeof *disp);
		for (int r = 0; r < p; r++) {
			cnt[r] = (int)n;
			disp[r] = (int)(r * rank_stride + off);
		}
		/* cnt and disp must live until the call completes */
		MPI_Igatherv(MPI_IN_PLACE, (int)n, MPI_DOUBLE, all, cnt, disp, MPI_DOUBLE, 0,
			     MPI_COMM_WORLD, &req);
		xwait(&req);
		free(cnt);
		free(disp);
	} else {
		MPI_Igatherv(all + me * rank_stride + off, (int)n, MPI_DOUBLE, NULL, NULL, NULL,
			     MPI_DOUBLE, 0, MPI_COMM_WORLD, &req);
		xwait(&req);
	}
}
