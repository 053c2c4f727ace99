/* slow_reap.c: an LD_PRELOAD shim for tests (t_mpi.sh builds it with
 * cc -shared -fPIC). In MPICH's hydra_pmi_proxy only, every waitpid(2) is
 * delayed by $CB_SLOW_REAP_MS milliseconds (default 200); other programs
 * are untouched, so the launcher's environment can carry it.
 *
 * Why: the proxy polls for dead ranks with waitpid(WNOHANG) between the
 * events of its loop. A rank whose PMI socket closes without PMI finalize
 * gets a placeholder exit status 1, which replaces its real status when
 * the socket close is handled before the rank is reaped. On an idle
 * machine the order varies from run to run (CI once saw 1 where the hang
 * gives 4); a slow reaper makes the bad order happen every time. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

pid_t waitpid(pid_t pid, int *status, int options)
{
	static pid_t (*real)(pid_t, int *, int);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "waitpid");
	if (!strcmp(program_invocation_short_name, "hydra_pmi_proxy")) {
		const char *v = getenv("CB_SLOW_REAP_MS");
		long ms = v ? atol(v) : 200;
		struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };
		int e = errno;
		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
		errno = e;
	}
	return real(pid, status, options);
}
