/* results.c: the records of a run, the compulsory traffic of a point, the
 * placement snapshots (taken by placement_snap.c, kept here), the summary
 * and the CI gates (results.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "collbench/common.h"
#include "collbench/json.h"
#include "collbench/results.h"
#include "collbench/rowspool.h"

static void iso_now(char *buf, size_t cap)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void cb_results_init(struct cb_report *rep, const struct cb_options *o, int argc, char **argv)
{
	memset(rep, 0, sizeof *rep);
	rep->o = o;
	rep->argc = argc;
	rep->argv = argv;
	/* The baseline comparison and its regression lines index rows in
	 * memory; files alone read them back from an unnamed file in the
	 * output's directory (memory if none can be made). */
	rep->keep_rows = o->baseline;
	if (!rep->keep_rows && (o->json_path || o->csv_path)) {
		rep->spool = cb_spool_open(o->json_path ? o->json_path : o->csv_path);
		rep->keep_rows = !rep->spool;
	}
	iso_now(rep->start_time, sizeof rep->start_time);
	if (gethostname(rep->host, sizeof rep->host - 1))
		snprintf(rep->host, sizeof rep->host, "?");
}

void cb_results_add(struct cb_report *rep, const struct cb_result *r)
{
	struct cb_summary *s = &rep->sum;
	if (rep->keep_rows && rep->nrows == rep->cap) {
		rep->cap = rep->cap ? 2 * rep->cap : 64;
		rep->rows = realloc(rep->rows, rep->cap * sizeof *rep->rows);
		if (!rep->rows)
			cb_die(CB_EXIT_RESOURCE, "out of memory for the results");
	}
	if (rep->keep_rows) {
		rep->rows[rep->nrows] = *r;
	} else {
		/* printed (and spooled) and forgotten: -I 1's samples are the
		 * report's to free */
		if (rep->spool)
			cb_spool_put(rep->spool, r);
		for (int h = 0; h < 2; h++) {
			free(r->half[h].times_us);
			free(r->half[h].rank_means_us);
			free(r->half[h].proc_times_us);
		}
	}
	rep->nrows++;
	for (int h = 0; h < 2; h++) {
		if (!r->half[h].present)
			continue;
		s->busbw_sum += r->half[h].busbw;
		s->yield_slow += r->half[h].yield_slow;
		s->yield_paused += r->half[h].yield_paused;
		s->nbusbw++;
		rep->sec.busbw_sum += r->half[h].busbw;
		rep->sec.nbusbw++;
		if (r->half[h].wrong > 0) {
			s->out_of_bounds++;
			rep->sec.oob++;
		}
	}
}

const struct cb_result *cb_results_row(const struct cb_report *rep, size_t i)
{
	return rep->spool ? cb_spool_get(rep->spool, i) : &rep->rows[i];
}

void cb_results_memory(struct cb_report *rep, const struct cb_plan *plans, int n)
{
	for (int i = 0; i < n; i++) {
		size_t p = (size_t)plans[i].nranks, s = plans[i].max_send_bytes * p,
		       r = plans[i].max_recv_bytes * p, x = plans[i].max_scratch_bytes * p;
		if (s + r + x > rep->mem_send + rep->mem_recv + rep->mem_scratch) {
			rep->mem_send = s;
			rep->mem_recv = r;
			rep->mem_scratch = x;
		}
	}
}


const struct cb_machine_snap *cb_results_machine(struct cb_report *rep,
						 const struct cb_placement *pl)
{
	if (!rep->machine.taken) {
		cb_machine_snap_take(&rep->machine, pl);
		snprintf(rep->machine.host, sizeof rep->machine.host, "%s", rep->host);
	}
	return &rep->machine;
}

void cb_results_place(struct cb_report *rep, struct cb_place_snap *sn)
{
	if (rep->cycle > 0) {
		cb_place_snap_free(sn);   /* -N: the same placements as in the first sweep */
		return;
	}
	rep->places = realloc(rep->places, (size_t)(rep->nplaces + 1) * sizeof *rep->places);
	if (!rep->places)
		cb_die(CB_EXIT_RESOURCE, "out of memory for the report");
	rep->places[rep->nplaces++] = *sn;
	memset(sn, 0, sizeof *sn);
}

void cb_results_free(struct cb_report *rep)
{
	for (int i = 0; i < rep->nplaces; i++)
		cb_place_snap_free(&rep->places[i]);
	free(rep->places);
	cb_machine_snap_free(&rep->machine);
	for (size_t i = 0; rep->keep_rows && i < rep->nrows; i++)
		for (int h = 0; h < 2; h++) {
			free(rep->rows[i].half[h].times_us);
			free(rep->rows[i].half[h].rank_means_us);
			free(rep->rows[i].half[h].proc_times_us);
		}
	free(rep->rows);
	cb_spool_close(rep->spool);
	free(rep->sum.regs);
	memset(rep, 0, sizeof *rep);
}

double cb_min_traffic(const struct cb_point *pt, int nranks)
{
	double e = (double)pt->dt->size, p = nranks;
	double snd = (double)pt->n.send * e, rcv = (double)pt->n.recv * e;
	if (pt->coll->min_traffic)
		return pt->coll->min_traffic(&pt->n, pt->dt->size, nranks, pt->root);
	switch (pt->coll->traffic) {
	case CB_TRAFFIC_ROOT_INPUT: return snd + p * rcv;
	case CB_TRAFFIC_ROOT_OUTPUT: return p * snd + rcv;
	default: break;
	}
	return p * (snd + rcv);          /* every rank reads and writes */
}

const char *cb_signal_name(int sig)
{
	switch (sig) {
	case SIGTERM: return "SIGTERM";
	case SIGHUP: return "SIGHUP";
	case SIGPIPE: return "SIGPIPE";
	default: return "SIGINT";
	}
}

/* ---- --baseline ---- */

/* A baseline is a -J file: kilobytes to a few megabytes. The bound keeps a
 * wrong path (/dev/zero, a huge log) from filling memory. */
#define CB_BASELINE_MAX ((size_t)256 << 20)

/* The file as one string. Regular files only, checked on the open
 * descriptor (O_NONBLOCK: opening a FIFO must not wait for a writer), and
 * read up to the bound whatever size fstat claimed. */
static char *slurp(const char *path)
{
	struct stat st;
	char *buf;
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		cb_die(CB_EXIT_USAGE, "cannot read --baseline '%s': %s", path, strerror(errno));
	if (fstat(fd, &st))
		cb_die(CB_EXIT_USAGE, "cannot read --baseline '%s': %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		cb_die(CB_EXIT_USAGE, "--baseline '%s' is not a regular file (a -J file is one)", path);
	if ((size_t)st.st_size > CB_BASELINE_MAX)
		cb_die(CB_EXIT_USAGE, "--baseline '%s' is larger than %zu MiB", path,
		       CB_BASELINE_MAX >> 20);
	buf = cb_xcalloc((size_t)st.st_size + 2, 1);
	for (;;) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			cb_die(CB_EXIT_USAGE, "cannot read --baseline '%s': %s", path, strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
		/* Grew while we read: not the file we sized. */
		if (len > (size_t)st.st_size)
			cb_die(CB_EXIT_USAGE, "--baseline '%s' changed while it was read", path);
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

static const char *str_field(const struct cb_jv *o, const char *k)
{
	const struct cb_jv *v = cb_json_get(o, k);
	return v && v->type == CB_JSTR ? v->str : NULL;
}

static int num_field(const struct cb_jv *o, const char *k, double *out)
{
	const struct cb_jv *v = cb_json_get(o, k);
	if (!v || v->type != CB_JNUM)
		return -1;
	*out = v->num;
	return 0;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		cb_die(CB_EXIT_RESOURCE, "out of memory");
	return d;
}

void cb_baseline_load(struct cb_baseline *b, const char *path)
{
	char *text = slurp(path);
	cb_baseline_parse(b, text, path);
	free(text);
}

void cb_baseline_parse(struct cb_baseline *b, const char *text, const char *path)
{
	static const char *const halves[2] = { "out_of_place", "in_place" };
	char err[160], why[256];
	struct cb_jv root;
	const struct cb_jv *fmt, *rows;

	memset(b, 0, sizeof *b);
	b->path = path;
	if (cb_json_parse(text, &root, err, sizeof err))
		cb_die(CB_EXIT_USAGE, "--baseline '%s' is not valid JSON: %s", path, err);
	fmt = cb_json_get(&root, "format");
	rows = cb_json_get(&root, "results");
	if (root.type != CB_JOBJ || !fmt || fmt->type != CB_JSTR ||
	    strcmp(fmt->str, "collbench-results") || !rows || rows->type != CB_JARR) {
		snprintf(why, sizeof why, "is not a collbench -J file (no \"format\": "
			 "\"collbench-results\" with \"results\")");
		goto refuse;
	}
	b->rows = cb_xcalloc(rows->n, sizeof *b->rows);
	for (size_t i = 0; i < rows->n; i++) {
		const struct cb_jv *r = &rows->items[i];
		struct cb_base_row *br = &b->rows[i];
		const char *c = str_field(r, "collective"), *a = str_field(r, "algo"),
			   *t = str_field(r, "type"), *op = str_field(r, "redop");
		double np, sz, rt;
		if (!c || !a || !t || !op || num_field(r, "nranks", &np) ||
		    num_field(r, "size", &sz) || num_field(r, "root", &rt)) {
			snprintf(why, sizeof why, "result %zu lacks collective, algo, type, redop, "
				 "nranks, size or root", i);
			goto refuse;
		}
		/* Out-of-range numbers would not convert to the fields below. */
		if (!isfinite(np) || np < 1 || np > CB_MAX_RANKS || !isfinite(sz) || sz < 0 ||
		    sz > 0x1p62 || !isfinite(rt) || rt < -1 || rt >= CB_MAX_RANKS) {
			snprintf(why, sizeof why, "result %zu has an invalid nranks, size or root", i);
			goto refuse;
		}
		br->coll = xstrdup(c);
		br->algo = xstrdup(a);
		br->type = xstrdup(t);
		br->redop = xstrdup(op);
		br->nranks = (int)np;
		br->size = (size_t)sz;
		br->root = (int)rt;
		b->nrows++;   /* its strings are freed with the others */
		for (int h = 0; h < 2; h++) {
			const struct cb_jv *hv = cb_json_get(r, halves[h]);
			br->present[h] = hv && hv->type == CB_JOBJ &&
					 !num_field(hv, "time_us", &br->time_us[h]);
			/* A time of 0 or less would pass any slowdown. */
			if (br->present[h] && !(isfinite(br->time_us[h]) && br->time_us[h] > 0)) {
				snprintf(why, sizeof why, "result %zu has %s time_us %g; a time must "
					 "be positive", i, halves[h], br->time_us[h]);
				goto refuse;
			}
		}
	}
	cb_json_free(&root);
	return;
refuse:
	/* Freed first: a caller that survives cb_die (the fuzz target's
	 * hook) must not leak a refused file's rows. */
	cb_json_free(&root);
	cb_baseline_free(b);
	cb_die(CB_EXIT_USAGE, "--baseline '%s'%s%s", path, why[0] == 'r' ? ": " : " ", why);
}

void cb_baseline_free(struct cb_baseline *b)
{
	for (size_t i = 0; i < b->nrows; i++) {
		free(b->rows[i].coll);
		free(b->rows[i].algo);
		free(b->rows[i].type);
		free(b->rows[i].redop);
	}
	free(b->rows);
	memset(b, 0, sizeof *b);
}

static const struct cb_base_row *base_find(const struct cb_baseline *b, const struct cb_result *r)
{
	const struct cb_point *pt = r->pt;
	const char *op = pt->op ? pt->op->name : "none";
	for (size_t i = 0; i < b->nrows; i++) {
		const struct cb_base_row *br = &b->rows[i];
		if (br->nranks == r->nranks && br->size == pt->n.bytes && br->root == pt->root &&
		    !strcmp(br->coll, pt->coll->name) && !strcmp(br->algo, pt->algo->name) &&
		    !strcmp(br->type, pt->dt->name) && !strcmp(br->redop, op))
			return br;
	}
	return NULL;
}

double cb_time_change_pct(double was_us, double now_us)
{
	return was_us > 0 ? 100.0 * (now_us - was_us) / was_us : 0;
}

bool cb_time_regressed(double was_us, double now_us, double max_pct)
{
	return cb_time_change_pct(was_us, now_us) > max_pct;
}

void cb_results_finish(struct cb_report *rep, const struct cb_baseline *b)
{
	struct cb_summary *s = &rep->sum;
	const struct cb_options *o = rep->o;

	iso_now(rep->end_time, sizeof rep->end_time);
	s->avg_busbw = s->nbusbw ? s->busbw_sum / (double)s->nbusbw : 0;
	s->min_busbw_failed = o->min_busbw_set && s->avg_busbw < o->min_busbw;
	if (b) {
		for (size_t i = 0; i < rep->nrows; i++) {
			const struct cb_result *r = &rep->rows[i];
			const struct cb_base_row *br = base_find(b, r);
			for (int h = 0; br && h < 2; h++) {
				double now, was, pct;
				if (!r->half[h].present || !br->present[h])
					continue;
				s->baseline_compared++;
				now = r->half[h].time_us;
				was = br->time_us[h];
				pct = cb_time_change_pct(was, now);
				if (!cb_time_regressed(was, now, o->max_regression))
					continue;
				s->regs = realloc(s->regs, (s->nregs + 1) * sizeof *s->regs);
				if (!s->regs)
					cb_die(CB_EXIT_RESOURCE, "out of memory");
				s->regs[s->nregs++] = (struct cb_regression){ i, h, was, pct };
			}
		}
	}
	s->exit_status = (s->out_of_bounds || s->min_busbw_failed || s->nregs ||
			  (b && !s->baseline_compared)) ? CB_EXIT_WRONG : CB_EXIT_OK;
	/* Interrupted: 128 + signal, as a shell reports a killed command
	 * (man page, EXIT STATUS); the rows so far are reported as usual. */
	if (s->interrupted)
		s->exit_status = 128 + s->interrupted;
}
