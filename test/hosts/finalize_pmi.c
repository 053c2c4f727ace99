/* finalize_pmi.c: an LD_PRELOAD shim for tests (t_mpi.sh builds it with
 * cc -shared -fPIC; no MPI header needed). Under MPICH's hydra (PMI_FD
 * set) MPI_Finalize stands for the library's finalize stuck in its PMI
 * barrier, as after Ctrl-C across hosts: it reads the PMI socket and waits
 * for an answer that never comes. Should it read the proxy's
 * "finalize_ack" to collbench's own leave (the bounded finalize's guard
 * thread), it does what MPICH 4.0.2 did there: prints
 * "[cli_0]: expecting cmd=barrier_out, got finalize_ack" and exits 15
 * (Abort(807498255): the code's low byte). Without PMI_FD it is the
 * library's own MPI_Finalize. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int MPI_Finalize(void);

int MPI_Finalize(void)
{
	const char *v = getenv("PMI_FD");
	char buf[512];
	ssize_t k;
	if (!v || !*v) {
		int (*real)(void) = (int (*)(void))dlsym(RTLD_NEXT, "MPI_Finalize");
		return real();
	}
	k = read(atoi(v), buf, sizeof buf - 1);
	if (k > 0) {
		buf[k] = '\0';
		if (strstr(buf, "finalize_ack")) {
			fprintf(stderr, "[cli_0]: expecting cmd=barrier_out, got finalize_ack\n");
			_exit(15);
		}
	}
	for (;;)
		pause();
}
