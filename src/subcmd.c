/* subcmd.c: option tables and whole-file output for plot and compare
 * (subcmd.h). The main option table (options.c) fills struct cb_options;
 * these fill a subcommand's own struct, so plot's -o does not clash with
 * the benchmark's -o/--op. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collbench/common.h"
#include "collbench/parse.h"
#include "collbench/subcmd.h"

#define MAXOPTS 32

static const char *set(const struct cb_subopt *d, void *opts, const char *arg)
{
	void *at = (char *)opts + d->off;
	const char *why = NULL;
	switch (d->kind) {
	case CB_SUB_FLAG:
		*(bool *)at = true;
		break;
	case CB_SUB_STRING:
		if (!*arg)
			return "empty value";
		*(const char **)at = arg;
		break;
	case CB_SUB_PCT:
		cb_parse_double(arg, 1e6, (double *)at, &why);
		break;
	case CB_SUB_SIZE:
		cb_parse_size(arg, (size_t *)at, &why);
		break;
	}
	return why;
}

static void sub_usage_error(const char *cmd, const char *what, const char *arg)
{
	cb_die(CB_EXIT_USAGE, "%s: %s '%s' (see 'collbench %s --help')", cmd, what, arg, cmd);
}

void cb_subopt_parse(const char *cmd, const struct cb_subopt *d, size_t nd, void *opts,
		     int argc, char **argv, char ***pos, int *npos)
{
	struct option lo[MAXOPTS + 1];
	char so[3 * MAXOPTS + 2], *sp = so;
	int c, idx;

	if (nd > MAXOPTS)
		cb_die(CB_EXIT_RESOURCE, "%s: option table too long", cmd);
	for (size_t i = 0; i < nd; i++)
		if (d[i].def && set(&d[i], opts, d[i].def))
			cb_die(CB_EXIT_RESOURCE, "%s: bad default for --%s", cmd, d[i].lname);
	*sp++ = ':';
	for (size_t i = 0; i < nd; i++) {
		lo[i] = (struct option){ d[i].lname, d[i].metavar ? required_argument : no_argument,
					 NULL, d[i].sname ? d[i].sname : 0x100 + (int)i };
		if (d[i].sname) {
			*sp++ = (char)d[i].sname;
			if (d[i].metavar)
				*sp++ = ':';
		}
	}
	*sp = '\0';
	memset(&lo[nd], 0, sizeof lo[nd]);
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, so, lo, &idx)) != -1) {
		const char *bad = argv[optind - 1];
		if (c == '?')
			sub_usage_error(cmd, "unknown option", bad);
		if (c == ':')
			sub_usage_error(cmd, "missing argument for", bad);
		for (size_t i = 0; i < nd; i++) {
			const char *why;
			if (c != (d[i].sname ? d[i].sname : 0x100 + (int)i))
				continue;
			if ((why = set(&d[i], opts, optarg ? optarg : "")))
				cb_die(CB_EXIT_USAGE, "%s: invalid value '%s' for --%s: %s (see "
				       "'collbench %s --help')", cmd, optarg, d[i].lname, why, cmd);
			break;
		}
	}
	*pos = argv + optind;
	*npos = argc - optind;
}

void cb_subopt_usage(FILE *f, const char *synopsis, const struct cb_subopt *d, size_t nd)
{
	fprintf(f, "Usage: %s\n\nOptions:\n", synopsis);
	for (size_t i = 0; i < nd; i++) {
		char left[64];
		int n = d[i].sname ? snprintf(left, sizeof left, "  -%c, --%s", d[i].sname, d[i].lname)
				   : snprintf(left, sizeof left, "      --%s", d[i].lname);
		if (d[i].metavar)
			snprintf(left + n, sizeof left - (size_t)n, " %s", d[i].metavar);
		fprintf(f, "%-28s %s", left, d[i].help);
		if (d[i].def)
			fprintf(f, " [%s]", d[i].def);
		fputc('\n', f);
	}
}

static void die_unlink(const char *tmp, int status, const char *opt, const char *path,
		       const char *what)
{
	int e = errno;
	if (tmp)
		unlink(tmp);
	cb_die(status, "%s: cannot %s '%s': %s", opt, what, path, strerror(e));
}

void cb_write_whole(const char *opt, const char *path, const char *buf, size_t len, bool force)
{
	char *dcopy, *tmp;
	int fd;
	FILE *f;

	if (!strcmp(path, "-")) {
		if (fwrite(buf, 1, len, stdout) != len || fflush(stdout))
			die_unlink(NULL, CB_EXIT_RESOURCE, opt, "stdout", "write");
		return;
	}
	/* Fail early, before the temporary exists, on the common mistake. */
	if (!force && access(path, F_OK) == 0)
		cb_die(CB_EXIT_USAGE, "%s: '%s' exists; refusing to overwrite it (use --force)",
		       opt, path);
	dcopy = strdup(path);
	if (!dcopy || asprintf(&tmp, "%s/.collbench-XXXXXX", dirname(dcopy)) < 0)
		cb_die(CB_EXIT_RESOURCE, "out of memory");
	free(dcopy);
	fd = mkstemp(tmp);
	if (fd < 0)
		die_unlink(NULL, CB_EXIT_USAGE, opt, path, "create");
	fchmod(fd, 0644);
	f = fdopen(fd, "w");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		die_unlink(tmp, CB_EXIT_RESOURCE, opt, path, "write");
	/* link() fails if path appeared meanwhile: never clobber without --force. */
	if (force ? rename(tmp, path) : link(tmp, path))
		die_unlink(tmp, errno == EEXIST ? CB_EXIT_USAGE : CB_EXIT_RESOURCE, opt, path,
			   "create");
	if (!force)
		unlink(tmp);
	free(tmp);
}

char *cb_read_whole(const char *path, char *err, size_t cap)
{
	struct stat st;
	char *buf;
	size_t len = 0;
	ssize_t n;
	int fd;

	/* stat before open: opening a FIFO with no writer would block. */
	if (stat(path, &st)) {
		snprintf(err, cap, "%s", strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, cap, "not a regular file");
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, cap, "%s", strerror(errno));
		return NULL;
	}
	buf = cb_xcalloc((size_t)st.st_size + 1, 1);
	while (len < (size_t)st.st_size &&
	       (n = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return buf;
}
