/* rowspool.h: the rows a -J or --csv file needs at the end of the run,
 * kept in an unnamed file (O_TMPFILE, or a temporary file unlinked at
 * once) instead of memory, so that -N 0 and long sweeps run in flat
 * memory with files too. Nothing is ever visible in a directory: the
 * kernel frees the file when the process ends, however it ends. */
#ifndef COLLBENCH_ROWSPOOL_H
#define COLLBENCH_ROWSPOOL_H

#include <stddef.h>

struct cb_result;
struct cb_spool;

/* An unnamed file in the directory of path (or $TMPDIR, /tmp when path
 * is NULL or "-"); NULL if none can be made (the caller keeps the rows in
 * memory instead). */
struct cb_spool *cb_spool_open(const char *path);
/* Append a row with its -I 1 samples (which stay the caller's). Exits 2
 * with one line when the file cannot be written (a full disk). */
void cb_spool_put(struct cb_spool *sp, const struct cb_result *r);
/* Row i read back, in order (i 0 starts over): valid until the next call;
 * its samples are the spool's. Exits 2 when the file cannot be read. */
const struct cb_result *cb_spool_get(struct cb_spool *sp, size_t i);
void cb_spool_close(struct cb_spool *sp);

#endif
