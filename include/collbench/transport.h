/* transport.h: how ranks run. threads: P rank threads in this process over
 * shared-memory windows (the default). mpi: one rank per MPI process (its
 * MPI rank), windows from MPI-3 one-sided communication; built with
 * `make MPI=1` (CB_HAVE_MPI). src/transport.c selects the mode (and holds
 * the stubs of a build without MPI); src/mpi/transport_mpi.c is the MPI
 * module. */
#ifndef COLLBENCH_TRANSPORT_H
#define COLLBENCH_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cb_comm;
struct cb_options;

enum cb_mpi_window {
	CB_MPIWIN_AUTO,    /* shared when every rank is on one node, else rma */
	CB_MPIWIN_SHARED,  /* MPI_Win_allocate_shared + MPI_Win_shared_query */
	CB_MPIWIN_RMA,     /* MPI_Win_allocate: put/get/accumulate, as across machines */
};

/* The process's transport; all zero: threads. Set by cb_transport_start. */
struct cb_transport {
	bool mpi;          /* one rank per MPI process */
	int rank, size;    /* MPI_COMM_WORLD */
	int window;        /* enum cb_mpi_window as resolved (shared or rma) */
	int nhosts;        /* distinct hosts (shared-memory nodes) */
	char library[96];  /* "Open MPI v4.1.4" and the like */
	double finalize_s; /* MPI: the bound on the agreement and MPI_Finalize */
};
extern struct cb_transport cb_xport;

/* What ran, for the header, JSON and CSV: "threads" or "mpi"; the window
 * kind ("shared", "rma"; NULL for threads); the host count (1 for
 * threads); the MPI library ("" for threads). */
const char *cb_transport_kind(void);
const char *cb_transport_window(void);
int cb_transport_hosts(void);

/* Built with MPI. */
bool cb_transport_has_mpi(void);
/* A launcher started this process (OMPI_COMM_WORLD_SIZE, PMI_SIZE,
 * PMI_RANK or PMIX_RANK in the environment). */
bool cb_transport_launched(void);
/* The rank the launcher gave this process, from the environment (before
 * MPI_Init), -1 unknown. */
int cb_transport_env_rank(void);

/* Resolve --transport and --mpi-window (usage errors exit 6, mpi without
 * MPI exits 5) and, for mpi, initialise MPI. */
void cb_transport_start(const struct cb_options *o);
/* MPI: every rank's status, agreed (the maximum), and MPI_Finalize.
 * Threads: status. */
int cb_transport_finish(int status);

/* ---- MPI module (src/mpi/transport_mpi.c); only called when cb_xport.mpi ---- */
void cb_mpi_init(int window);
int cb_mpi_finish(int status);
/* src/mpi/mpi_leave.c. Before MPI_Init: note hydra's PMI socket (PMI_FD)
 * and register the leave for exit(). cb_mpi_leave: a rank leaving before
 * MPI_Finalize (a hang, a finalize that did not return) first says PMI
 * "finalize" (so MPICH's proxy keeps its real status) and then _exit()s
 * with status. After MPI_Finalize: cb_mpi_leave_finalized (PMI is done). */
void cb_mpi_leave_init(void);
void cb_mpi_leave(int status) __attribute__((noreturn));
void cb_mpi_leave_finalized(void);
/* Called by the thread about to call MPI_Finalize: a leave from another
 * thread (the bounded finalize) first parks it, off the PMI socket. */
void cb_mpi_leave_finalizing(void);
/* Collective: allocate this rank's window of c->win_bytes (zeroed) and set
 * up c for it: peers' windows (shared) or the RMA operations. Returns my
 * window's base. */
char *cb_mpi_win_create(struct cb_comm *c, int rank);
/* Collective: release the window (after a final barrier). */
void cb_mpi_win_destroy(struct cb_comm *c);
void cb_mpi_barrier(void);
/* Collective over every rank (rank thread, every rank in the same order):
 * MPI_Comm_split by color (key: the rank) into the communicator of the
 * --split group view c, kept in c->xp for the MPI library's own
 * collectives (mpi_native.c); cb_mpi_group_free frees it (collective). */
void cb_mpi_group_comm(struct cb_comm *c, int color);
void cb_mpi_group_free(struct cb_comm *c);
/* Append algorithm "mpi" of every collective (the library's own collectives,
 * src/mpi/mpi_native.c) to the registry; a build without MPI has none. Any
 * build, any transport: under threads the rows are not applicable. */
void cb_mpi_native_register(void);
/* rank 0's len bytes at buf reach every rank's buf. */
void cb_mpi_bcast(void *buf, size_t len);
/* The largest of every rank's v (a verdict every rank must share). */
int cb_mpi_max_int(int v);
/* Every rank's len bytes at all + rank * len reach rank 0's all (in place). */
void cb_mpi_gather(void *all, size_t len);
/* Every rank's n doubles at all + (rank * ranks_stride + off) reach rank 0's
 * all at the same place. */
void cb_mpi_gather_doubles(double *all, long rank_stride, long off, long n);

#endif
