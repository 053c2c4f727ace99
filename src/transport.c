/* transport.c: --transport and --mpi-window resolution; in a build without
 * MPI also the MPI module's stubs (never reached: cb_xport.mpi stays
 * false). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collbench/common.h"
#include "collbench/options.h"
#include "collbench/transport.h"

struct cb_transport cb_xport;

bool cb_transport_has_mpi(void)
{
#ifdef CB_HAVE_MPI
	return true;
#else
	return false;
#endif
}

/* Open MPI's mpirun sets OMPI_COMM_WORLD_*, MPICH's hydra PMI_*, PMIx
 * launchers (srun, prterun) PMIX_*. */
bool cb_transport_launched(void)
{
	return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMI_RANK") ||
	       getenv("PMIX_RANK");
}

int cb_transport_env_rank(void)
{
	static const char *const vars[] = { "OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK" };
	for (size_t i = 0; i < CB_ARRAY_LEN(vars); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return atoi(v);
	}
	return -1;
}

/* Its errors are every process's alike: main.c has set cb_usage_quiet
 * on all but the launcher's rank 0 (common.h), so they are said once. */
#define usage_once(msg) cb_die(CB_EXIT_USAGE, msg " (see 'collbench --help')")

void cb_transport_start(const struct cb_options *o)
{
	bool mpi;

	if (o->transport == CB_TRANSPORT_MPI) {
		if (!cb_transport_has_mpi())
			cb_die(CB_EXIT_UNSUPPORTED, "--transport mpi: this collbench was built "
			       "without MPI (build it with 'make MPI=1')");
		mpi = true;
	} else {
		mpi = o->transport == CB_TRANSPORT_AUTO && cb_transport_has_mpi() &&
		      cb_transport_launched();
		if (o->transport == CB_TRANSPORT_AUTO && !cb_transport_has_mpi() &&
		    cb_transport_launched() && cb_transport_env_rank() <= 0)
			cb_warn("started by an MPI launcher, but this collbench was built without "
				"MPI: every process runs its own rank threads (build with 'make MPI=1')");
	}
	if (!mpi)
		return;
	/* The rank count is the launcher's: one rank per process; nccl-tests'
	 * usual line (-t 1 -g 1, one rank per process) says just that. */
	if (o->nranks_set && o->nranks != 1)
		usage_once("-g/--nranks: with the MPI transport the rank count is mpirun's -np "
			   "(one rank per process); drop -g");
	if (o->place.bind_set || o->place.cpus_arg)
		usage_once("--bind/--cpus: with the MPI transport the launcher binds the processes "
			   "(e.g. mpirun --bind-to core); drop them");
	/* The run's -T bounds finalize too, at most 10 s: finalize does no
	 * work collbench waits for; a hang there must not outlive the run. */
	cb_xport.finalize_s = o->timeout > 0 && o->timeout < 10 ? o->timeout : 10;
	cb_mpi_init(o->mpi_window);
}

const char *cb_transport_kind(void)
{
	return cb_xport.mpi ? "mpi" : "threads";
}

const char *cb_transport_window(void)
{
	if (!cb_xport.mpi)
		return NULL;
	return cb_xport.window == CB_MPIWIN_SHARED ? "shared" : "rma";
}

int cb_transport_hosts(void)
{
	return cb_xport.mpi ? cb_xport.nhosts : 1;
}

int cb_transport_finish(int status)
{
	return cb_xport.mpi ? cb_mpi_finish(status) : status;
}

#ifndef CB_HAVE_MPI
static void no_mpi(void)
{
	cb_die(CB_EXIT_UNSUPPORTED, "built without MPI");
}
void cb_mpi_init(int window) { (void)window; no_mpi(); }
int cb_mpi_finish(int status) { return status; }
void cb_mpi_leave_init(void) {}
void cb_mpi_leave(int status) { _exit(status); }
void cb_mpi_leave_finalized(void) {}
void cb_mpi_leave_finalizing(void) {}
char *cb_mpi_win_create(struct cb_comm *c, int rank) { (void)c; (void)rank; no_mpi(); return NULL; }
void cb_mpi_win_destroy(struct cb_comm *c) { (void)c; }
void cb_mpi_barrier(void) {}
void cb_mpi_group_comm(struct cb_comm *c, int color) { (void)c; (void)color; }
void cb_mpi_group_free(struct cb_comm *c) { (void)c; }
void cb_mpi_native_register(void) {}
void cb_mpi_bcast(void *buf, size_t len) { (void)buf; (void)len; }
int cb_mpi_max_int(int v) { return v; }
void cb_mpi_gather(void *all, size_t len) { (void)all; (void)len; }
void cb_mpi_gather_doubles(double *all, long rank_stride, long off, long n)
{
	(void)all; (void)rank_stride; (void)off; (void)n;
}
#endif
