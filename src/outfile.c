/* outfile.c: -J and --csv files written through a temporary file and
 * rename() (outfile.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "collbench/common.h"
#include "collbench/outfile.h"

/* Whether of->tmp names a file of ours: read by cb_outfile_discard, which
 * may run in a signal handler, so an atomic and not the string itself. */
static _Atomic int live[2];
static struct cb_outfile *live_of[2];

static const char *kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

/* dir and base of path into the caller's buffers (dir "." if none). */
static void split(const char *path, char *dir, size_t dcap, const char **base)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		snprintf(dir, dcap, ".");
		*base = path;
	} else if (slash == path) {
		snprintf(dir, dcap, "/");
		*base = slash + 1;
	} else {
		snprintf(dir, dcap, "%.*s", (int)(slash - path), path);
		*base = slash + 1;
	}
}

/* The directory of a resolved target and the name in it. */
static void target_dir(const struct cb_outfile *of, char *dir, size_t cap, const char **base)
{
	split(of->target, dir, cap, base);
}

void cb_outfile_check(struct cb_outfile *of, const char *opt, const char *path, bool force)
{
	struct stat st;
	memset(of, 0, sizeof *of);
	of->opt = opt;
	of->path = path;
	if (!path)
		return;
	if (!strcmp(path, "-")) {
		of->to_stdout = true;
		return;
	}
	if (!*path || strlen(path) >= CB_OUTFILE_PATH_MAX - 32)
		cb_die(CB_EXIT_USAGE, "%s: invalid file name '%s'", opt, path);
	/* stat, never open: opening a FIFO without a reader blocks. */
	if (!stat(path, &st)) {
		if (!S_ISREG(st.st_mode))
			cb_die(CB_EXIT_USAGE, "%s: '%s' is %s; -J and --csv write regular files "
			       "or '-' (stdout)", opt, path, kind(st.st_mode));
		/* An empty file (a caller's mktemp) loses nothing. */
		if (st.st_size > 0 && !force)
			cb_die(CB_EXIT_USAGE, "%s: '%s' exists; refusing to overwrite it (use --force)",
			       opt, path);
		if (access(path, W_OK))
			cb_die(CB_EXIT_USAGE, "%s: '%s' is not writable: %s", opt, path, strerror(errno));
		/* Through a symbolic link: the link stays, its target is replaced. */
		if (!realpath(path, of->target))
			cb_die(CB_EXIT_USAGE, "%s: cannot resolve '%s': %s", opt, path, strerror(errno));
		of->exists = true;
		of->dev = st.st_dev;
		of->ino = st.st_ino;
		of->mode = st.st_mode & 07777;
		of->uid = st.st_uid;
		of->gid = st.st_gid;
		return;
	}
	if (errno != ENOENT)
		cb_die(CB_EXIT_USAGE, "%s: cannot use '%s': %s", opt, path, strerror(errno));
	if (!lstat(path, &st))   /* a link to nothing: where would it write? */
		cb_die(CB_EXIT_USAGE, "%s: '%s' is a dangling symbolic link", opt, path);
	{
		char dir[CB_OUTFILE_PATH_MAX], rdir[PATH_MAX];
		const char *base;
		mode_t um;
		split(path, dir, sizeof dir, &base);
		if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
			cb_die(CB_EXIT_USAGE, "%s: invalid file name '%s'", opt, path);
		if (!realpath(dir, rdir))
			cb_die(CB_EXIT_USAGE, "%s: cannot create '%s': %s", opt, path, strerror(errno));
		if (stat(rdir, &st) || !S_ISDIR(st.st_mode))
			cb_die(CB_EXIT_USAGE, "%s: cannot create '%s': %s", opt, path, strerror(ENOTDIR));
		if (snprintf(of->target, sizeof of->target, "%s/%s", strcmp(rdir, "/") ? rdir : "",
			     base) >= (int)sizeof of->target)
			cb_die(CB_EXIT_USAGE, "%s: invalid file name '%s'", opt, path);
		um = umask(0);
		umask(um);
		of->mode = 0666 & ~um;
	}
}

bool cb_outfile_same(const struct cb_outfile *a, const struct cb_outfile *b)
{
	if (!a->path || !b->path)
		return false;
	if (a->to_stdout || b->to_stdout)
		return a->to_stdout && b->to_stdout;
	if (a->exists && b->exists)
		return a->dev == b->dev && a->ino == b->ino;
	return !strcmp(a->target, b->target);
}

bool cb_outfile_is(const struct cb_outfile *of, const char *input_path)
{
	struct stat st;
	char r[PATH_MAX];
	if (!of->path || of->to_stdout || !input_path || stat(input_path, &st))
		return false;
	if (of->exists)
		return of->dev == st.st_dev && of->ino == st.st_ino;
	return realpath(input_path, r) && !strcmp(r, of->target);
}

void cb_outfile_open(struct cb_outfile *of)
{
	char dir[CB_OUTFILE_PATH_MAX];
	const char *base;
	int fd, slot = live_of[0] ? 1 : 0;
	if (!of->path)
		return;
	if (of->to_stdout) {
		of->f = stdout;
		return;
	}
	target_dir(of, dir, sizeof dir, &base);
	/* A hidden name in the same directory: rename() is atomic there. */
	if (snprintf(of->tmp, sizeof of->tmp, "%s/.%s.XXXXXX", dir, base) >= (int)sizeof of->tmp)
		cb_die(CB_EXIT_USAGE, "%s: invalid file name '%s'", of->opt, of->path);
	live_of[slot] = of;
	/* Unnamed until complete (O_TMPFILE): a run killed by anything, even
	 * SIGKILL, leaves no trace in the directory. Linked at the end through
	 * /proc (linkat by descriptor needs CAP_DAC_READ_SEARCH); without /proc
	 * or O_TMPFILE (file systems, old kernels), a named temporary file. */
	fd = access("/proc/self/fd", X_OK) ? -1 : open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	of->unnamed = fd >= 0;
	if (fd < 0) {
		fd = mkostemp(of->tmp, O_CLOEXEC);
		if (fd < 0)
			cb_die(CB_EXIT_USAGE, "%s: cannot create '%s' (a temporary file in '%s'): %s",
			       of->opt, of->path, dir, strerror(errno));
		atomic_store_explicit(&live[slot], 1, memory_order_release);
	}
	/* The new file gets the old one's permissions, or the umask's. */
	/* The owner too where permitted (root); else the new file is the
	 * writer's, as any new file. */
	if (of->exists && (of->uid != geteuid() || of->gid != getegid()))
		(void)!fchown(fd, of->uid, of->gid);
	if (fchmod(fd, of->mode))
		cb_warn("%s: cannot set the permissions of '%s': %s", of->opt, of->path,
			strerror(errno));
	of->f = fdopen(fd, "w");
	if (!of->f) {
		int e = errno;
		close(fd);
		cb_die(CB_EXIT_RESOURCE, "%s: cannot open '%s': %s", of->opt, of->tmp, strerror(e));
	}
}

static void forget(struct cb_outfile *of)
{
	for (int i = 0; i < 2; i++)
		if (live_of[i] == of)
			atomic_store_explicit(&live[i], 0, memory_order_release);
}

/* The complete unnamed file gets its temporary name (the target itself
 * cannot be linked over: linkat never replaces). The slot goes live once
 * the name is ours: a second signal between the link and the store
 * leaves the hidden name (as mkostemp's window did), but a signal never
 * removes a name another process holds. */
static int name_it(struct cb_outfile *of)
{
	static const char az[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char proc[64], *x = of->tmp + strlen(of->tmp) - 6;
	int slot = live_of[0] == of ? 0 : 1;
	struct timespec ts;
	unsigned long v;
	clock_gettime(CLOCK_REALTIME, &ts);
	v = (unsigned long)getpid() * 2654435761UL ^ (unsigned long)ts.tv_nsec;
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(of->f));
	for (int tries = 0; tries < 100; tries++) {
		/* six letters as mkostemp's: another run's name is retried */
		v = v * 6364136223846793005UL + 1442695040888963407UL;
		for (int i = 0; i < 6; i++)
			x[i] = az[(v >> (10 + 6 * i)) % (sizeof az - 1)];
		if (!linkat(AT_FDCWD, proc, AT_FDCWD, of->tmp, AT_SYMLINK_FOLLOW)) {
			atomic_store_explicit(&live[slot], 1, memory_order_release);
			return 0;
		}
		if (errno != EEXIST)
			return errno;
	}
	return EEXIST;
}

int cb_outfile_commit(struct cb_outfile *of)
{
	int e;
	if (!of->f)
		return 0;
	errno = 0;
	if (of->to_stdout) {
		e = fflush(of->f) || ferror(of->f) ? (errno ? errno : EIO) : 0;
		of->f = NULL;
		errno = e;
		return e ? -1 : 0;
	}
	/* ferror: a write that failed earlier (the flush alone may succeed). */
	bool named = !of->unnamed;   /* of->tmp is ours to remove */
	e = fflush(of->f) || ferror(of->f) || fsync(fileno(of->f)) ? (errno ? errno : EIO) : 0;
	if (!e && of->unnamed)
		named = !(e = name_it(of));
	if (fclose(of->f) && !e)
		e = errno;
	of->f = NULL;
	if (!e && rename(of->tmp, of->target))
		e = errno;
	if (e && named)
		unlink(of->tmp);
	forget(of);
	errno = e;
	return e ? -1 : 0;
}

void cb_outfile_discard(struct cb_outfile *of)
{
	for (int i = 0; i < 2; i++)
		if (live_of[i] == of &&
		    atomic_exchange_explicit(&live[i], 0, memory_order_acq_rel))
			unlink(of->tmp);
}
