/* hang_bcast.c: an LD_PRELOAD shim for tests (t_mpi.sh builds it with
 * cc -shared -fPIC; no MPI header needed). MPI rank 0 (from the launcher's
 * OMPI_COMM_WORLD_RANK or PMI_RANK) never returns from its first
 * MPI_Ibcast (the exchange's broadcast: a nonblocking call that collbench
 * completes itself, src/mpi/transport_mpi.c); other ranks and other
 * programs call the library's own.
 *
 * Why: collbench broadcasts rank 0's decisions only in the exchange after a
 * row (or at a checkpoint), so this stalls every rank in the exchange,
 * deterministically: the hang report must name the phase "exchange", not
 * the row's phase before it. The handles are passed on as the registers
 * they came in (an int in MPICH, a pointer in Open MPI). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

int MPI_Ibcast(void *buf, int count, uintptr_t type, int root, uintptr_t comm, void *req);

int MPI_Ibcast(void *buf, int count, uintptr_t type, int root, uintptr_t comm, void *req)
{
	static int (*real)(void *, int, uintptr_t, int, uintptr_t, void *);
	const char *r = getenv("OMPI_COMM_WORLD_RANK");
	if (!r)
		r = getenv("PMI_RANK");
	if (r && atoi(r) == 0)
		for (;;)
			pause();
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "MPI_Ibcast");
	return real(buf, count, type, root, comm, req);
}
