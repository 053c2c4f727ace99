/* runfile.h: a -J file read back for plot and compare: the rows flattened,
 * the run's description (machine, version, date, command) for legends and
 * titles. Only "format": "collbench-results" of CB_FORMAT_VERSION; any
 * other input is refused with one reason. */
#ifndef COLLBENCH_RUNFILE_H
#define COLLBENCH_RUNFILE_H

#include <stdbool.h>
#include <stddef.h>

struct cb_run_half {
	bool present;
	double time_us, algbw, busbw;
	bool has_eff;
	double eff;
};

struct cb_run_row {
	const char *coll, *algo, *type, *redop;   /* interned in the run */
	const char *ran;     /* what auto picked ("ran", added later); NULL: absent */
	int nranks, root;
	double size, min_bytes, copy_bw;          /* copy_bw 0: not measured */
	struct cb_run_half half[2];               /* out-of-place, in-place */
};

struct cb_run {
	const char *path;
	/* Description, each "" when absent: host, collbench version, commit
	 * (a later format addition, if present), start time, the command line
	 * joined, and the config's datatype and op; placement of the first
	 * rank count. */
	char *host, *version, *commit, *start, *cmdline, *dtype, *op, *bind, *mem;
	struct cb_run_row *rows;
	size_t nrows;
	char **strs;                               /* interned strings */
	size_t nstrs;
};

/* 0, or -1 with the reason (one line, without the path) in err. */
int cb_run_load(struct cb_run *run, const char *path, char *err, size_t cap);
/* cb_run_load or exit 6 with one line naming the file. */
void cb_run_load_or_die(struct cb_run *run, const char *cmd, const char *path);
void cb_run_free(struct cb_run *run);

extern const char *const cb_half_names[2];   /* "out_of_place", "in_place" */

#endif
