/* outfile.h: the -J and --csv files, written so that nothing the run did
 * not create is ever destroyed. The target is checked up front without
 * opening it (a FIFO, device or directory is refused before it can block),
 * the output goes to a temporary file in the target's directory, and only
 * a complete output is renamed into place: a reader sees the old file or
 * the whole new one, and a run that fails leaves the target as it was. */
#ifndef COLLBENCH_OUTFILE_H
#define COLLBENCH_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#define CB_OUTFILE_PATH_MAX 4096

struct cb_outfile {
	const char *opt;        /* "-J/--json", "--csv": for messages */
	const char *path;       /* as given; NULL: not requested */
	FILE *f;                /* open between cb_outfile_open and _commit */
	bool to_stdout;         /* "-" */
	bool unnamed;           /* O_TMPFILE: tmp is only linked at commit */
	bool exists;            /* the target exists (dev, ino valid) */
	dev_t dev;
	ino_t ino;
	mode_t mode;            /* the replaced file's permissions */
	uid_t uid;              /* and owner (exists) */
	gid_t gid;
	/* Where the output lands (a symbolic link's target, resolved) and its
	 * temporary file; fixed arrays so that a signal handler may unlink
	 * the temporary without touching the heap. */
	char target[CB_OUTFILE_PATH_MAX];
	char tmp[CB_OUTFILE_PATH_MAX];
};

/* Check path as an output for option opt, opening nothing: "-" is stdout;
 * otherwise a regular file (or a symbolic link to one), empty or with
 * force, or a name that does not exist yet in an existing directory.
 * Anything else is a usage error (exit 6, one line). path NULL: unused. */
void cb_outfile_check(struct cb_outfile *of, const char *opt, const char *path, bool force);

/* Whether two checked outputs, or an output and an input file (the
 * baseline), name the same file: same device and inode, or the same
 * resolved path when the output does not exist yet. */
bool cb_outfile_same(const struct cb_outfile *a, const struct cb_outfile *b);
bool cb_outfile_is(const struct cb_outfile *of, const char *input_path);

/* Create the temporary file next to the target (usage error if the
 * directory refuses it). */
void cb_outfile_open(struct cb_outfile *of);

/* The output is complete: flush, sync, close and rename it into place.
 * Returns 0, or -1 with errno set (the temporary file is removed). */
int cb_outfile_commit(struct cb_outfile *of);

/* Remove the temporary file of an output not committed. Only unlink():
 * safe in a signal handler and after a fatal error (atexit). */
void cb_outfile_discard(struct cb_outfile *of);

#endif
