/* rowspool.c: rows kept in an unnamed file (rowspool.h). A record is the
 * struct as it is in memory (its pointers name this process's plan and
 * counter tables, alive until the run's end) followed by its -I 1 samples;
 * a NULL sample pointer in the struct says none follow. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collbench/common.h"
#include "collbench/report.h"
#include "collbench/rowspool.h"

struct cb_spool {
	FILE *f;
	size_t next;              /* the row the next cb_spool_get reads */
	bool reading;
	struct cb_result cur;     /* the row handed out, its samples owned */
};

/* An unnamed file in dir: O_TMPFILE where the file system has it, else a
 * named one unlinked before anything is written to it. */
static int unnamed(const char *dir)
{
	char tmpl[4096];
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || snprintf(tmpl, sizeof tmpl, "%s/.collbench-rows.XXXXXX", dir) >=
			       (int)sizeof tmpl)
		return fd;
	fd = mkostemp(tmpl, O_CLOEXEC);
	if (fd >= 0)
		unlink(tmpl);
	return fd;
}

struct cb_spool *cb_spool_open(const char *path)
{
	char dir[4096];
	const char *slash = path ? strrchr(path, '/') : NULL;
	struct cb_spool *sp;
	int fd;
	/* Beside the output: a file system the user chose for the results,
	 * not a tmpfs that would hold the rows in memory after all. */
	if (!path || !strcmp(path, "-"))
		snprintf(dir, sizeof dir, "%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	else if (!slash)
		snprintf(dir, sizeof dir, ".");
	else
		snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	fd = unnamed(dir);
	if (fd < 0)
		return NULL;
	sp = cb_xcalloc(1, sizeof *sp);
	sp->f = fdopen(fd, "w+");
	if (!sp->f) {
		close(fd);
		free(sp);
		return NULL;
	}
	return sp;
}

static void put_doubles(struct cb_spool *sp, const double *a, size_t n)
{
	if (a)
		fwrite(a, sizeof *a, n, sp->f);
}

void cb_spool_put(struct cb_spool *sp, const struct cb_result *r)
{
	fwrite(r, sizeof *r, 1, sp->f);
	for (int h = 0; h < 2; h++) {
		put_doubles(sp, r->half[h].times_us, (size_t)r->half[h].ntimes);
		put_doubles(sp, r->half[h].rank_means_us, (size_t)r->nranks);
		put_doubles(sp, r->half[h].proc_times_us,
			    (size_t)r->half[h].nprocs * (size_t)r->half[h].ntimes);
	}
	/* stdio reports a full disk at some later write: checked here, not
	 * at the end, so the run stops when its rows can no longer be kept. */
	if (ferror(sp->f))
		cb_die(CB_EXIT_RESOURCE, "cannot keep the rows for -J/--csv: %s",
		       strerror(errno ? errno : EIO));
}

static void free_cur(struct cb_spool *sp)
{
	for (int h = 0; h < 2; h++) {
		free(sp->cur.half[h].times_us);
		free(sp->cur.half[h].rank_means_us);
		free(sp->cur.half[h].proc_times_us);
	}
	memset(&sp->cur, 0, sizeof sp->cur);
}

/* n doubles read into a new array. */
static bool get_doubles(struct cb_spool *sp, double **a, size_t n)
{
	*a = cb_xcalloc(n ? n : 1, sizeof **a);
	return fread(*a, sizeof **a, n, sp->f) == n;
}

const struct cb_result *cb_spool_get(struct cb_spool *sp, size_t i)
{
	bool ok;
	if (!sp->reading || i == 0) {
		if (fflush(sp->f) || ferror(sp->f) || fseek(sp->f, 0, SEEK_SET))
			cb_die(CB_EXIT_RESOURCE, "cannot read the rows back for -J/--csv: %s",
			       strerror(errno ? errno : EIO));
		sp->reading = true;
		sp->next = 0;
	}
	if (i != sp->next)
		abort();   /* the printers read in order: a bug, not an input */
	free_cur(sp);
	ok = fread(&sp->cur, sizeof sp->cur, 1, sp->f) == 1;
	for (int h = 0; h < 2; h++) {
		/* The stored pointers only say whether samples follow: never
		 * freed as they are (free_cur after a short read). */
		struct cb_half *hf = &sp->cur.half[h];
		bool t = ok && hf->times_us, m = ok && hf->rank_means_us;
		bool p = ok && hf->proc_times_us;
		hf->times_us = hf->rank_means_us = hf->proc_times_us = NULL;
		if (t)
			ok = get_doubles(sp, &hf->times_us, (size_t)hf->ntimes);
		if (m && ok)
			ok = get_doubles(sp, &hf->rank_means_us, (size_t)sp->cur.nranks);
		if (p && ok)
			ok = get_doubles(sp, &hf->proc_times_us,
					 (size_t)hf->nprocs * (size_t)hf->ntimes);
	}
	if (!ok)
		cb_die(CB_EXIT_RESOURCE, "cannot read the rows back for -J/--csv: %s",
		       ferror(sp->f) ? strerror(errno) : "file shorter than written");
	sp->next++;
	return &sp->cur;
}

void cb_spool_close(struct cb_spool *sp)
{
	if (!sp)
		return;
	free_cur(sp);
	fclose(sp->f);
	free(sp);
}
