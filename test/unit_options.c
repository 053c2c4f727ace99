/* unit_options.c: the option parser (options.c, options_parse.c) and the
 * name <-> value tables of the enumerated options (optenum.c):
 *   - every table's names round-trip (name -> value -> name) and are unique;
 *   - every bad value is a usage error: exit 6, one line on stderr naming
 *     the option, nothing on stdout (each in a forked child);
 *   - every table value appears in --help and in man/collbench.1 where the
 *     option is documented (MAN_PAGE overrides the path);
 *   - --cpus, --counters and --perf-ctl arrive parsed, as structs;
 *   - a "given" flag is set by a user's value, never by a default. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../src/options_int.h"
#include "collbench/optenum.h"
#include "collbench/options.h"
#include "collbench/parse.h"
#include "unit.h"

#define ARGV(...) ((const char *[]){ "collbench", __VA_ARGS__, NULL })

static int argc_of(const char **argv)
{
	int n = 0;
	while (argv[n])
		n++;
	return n;
}

static void parse(struct cb_options *o, const char **argv)
{
	cb_options_parse(o, argc_of(argv), (char **)argv);
}

static void test_round_trip(void)
{
	for (unsigned t = 0; t < cb_nenum_tables; t++) {
		const struct cb_enum_table *tab = cb_enum_tables[t];
		int ok = tab->n > 0, uniq = 1;
		for (unsigned i = 0; i < tab->n; i++) {
			const char *name = tab->v[i].name;
			char buf[64];
			size_t len = strlen(name);
			int v = -99;
			long arg = -2;
			const char *why;
			/* A template (node:N) is spelled with a number. */
			if (len >= 2 && !strcmp(name + len - 2, ":N"))
				snprintf(buf, sizeof buf, "%.*s3", (int)len - 1, name);
			else
				snprintf(buf, sizeof buf, "%s", name);
			if (cb_enum_parse(tab, buf, &v, &arg, &why) || v != tab->v[i].value ||
			    strcmp(cb_enum_name(tab, v), name) ||
			    (strcmp(buf, name) ? arg != 3 : arg != -1))
				ok = 0;
			for (unsigned k = 0; k < i; k++)
				if (!strcmp(tab->v[k].name, name) || tab->v[k].value == tab->v[i].value)
					uniq = 0;
		}
		CHECK(ok, "%s: every name -> value -> the same name", tab->option);
		CHECK(uniq, "%s: names and values unique", tab->option);
		{
			int v;
			const char *why = NULL;
			char list[512];
			cb_enum_list(tab, list, sizeof list);
			CHECK(cb_enum_parse(tab, "bogus", &v, NULL, &why) == -1 && why &&
			      strstr(why, list),
			      "%s bogus: rejected, the message lists %s", tab->option, list);
		}
	}
}

/* Runs the parser in a child with stdout and stderr in files: its exit
 * status, the lines on stderr, the bytes on stdout, the first stderr line. */
static int run_child(const char **argv, int *lines, long *outbytes, char *first, size_t cap)
{
	FILE *out = tmpfile(), *err = tmpfile();
	int st, c;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct cb_options o;
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		parse(&o, argv);
		exit(0);
	}
	waitpid(pid, &st, 0);
	fseek(out, 0, SEEK_END);
	*outbytes = ftell(out);
	rewind(err);
	*lines = 0;
	first[0] = '\0';
	if (fgets(first, (int)cap, err))
		*lines = 1;
	while ((c = fgetc(err)) != EOF)
		*lines += c == '\n';
	fclose(out);
	fclose(err);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void expect_usage(const char *opt, const char *val)
{
	const char **argv = ARGV("allreduce", opt, val);
	char first[1024];
	int lines;
	long outbytes;
	int st = run_child(argv, &lines, &outbytes, first, sizeof first);
	CHECK(st == 6 && lines == 1 && outbytes == 0 && strstr(first, opt + 2),
	      "%s '%s': exit 6 (got %d), one stderr line (%d) naming %s, empty stdout (%ld)", opt,
	      val, st, lines, opt, outbytes);
}

static void test_bad_values(void)
{
	/* Every enumerated option of the table. */
	for (size_t i = 0; i < cb_noptdescs; i++)
		if (cb_optdescs[i].enums) {
			char opt[64];
			snprintf(opt, sizeof opt, "--%s", cb_optdescs[i].lname);
			expect_usage(opt, "bogus");
			expect_usage(opt, "");
		}
	static const char *const bad[][2] = {
		{ "--mem", "node:" }, { "--mem", "node:x" }, { "--mem", "node:1x" },
		{ "--mem", "node:99999999999" }, { "--mem", "node:-1" }, { "--bind", "list" },
		{ "--wait", "AUTO" }, { "--barrier", "auto " }, { "--inject", "none" },
		{ "--cpus", "" }, { "--cpus", "7-4" }, { "--cpus", "1," }, { "--cpus", "0-3,2" },
		{ "--cpus", "99999999999" }, { "--cpus", "0-4096" }, { "--cpus", "a" },
		{ "--counters", "flops" }, { "--counters", "task-clock,,cycles" },
		{ "--counters", "" }, { "--perf-ctl", "onlyone" }, { "--perf-ctl", ",ack" },
		{ "--perf-ctl", "ctl," }, { "--roofline", "yes" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_usage(bad[i][0], bad[i][1]);
}

/* The grammar of --cpus, as parse.c has it. */
static void test_cpulist(void)
{
	static const struct {
		const char *s;
		int ok, n, first, last;
	} cases[] = {
		{ "0", 1, 1, 0, 0 },         { "0,2,4-7", 1, 6, 0, 7 },  { "7-4", 0, 0, 0, 0 },
		{ "3,1", 1, 2, 3, 1 },       { "all", 1, 0, 0, 0 },      { "", 0, 0, 0, 0 },
		{ "1,", 0, 0, 0, 0 },        { ",1", 0, 0, 0, 0 },       { "1-", 0, 0, 0, 0 },
		{ "0-3,2", 0, 0, 0, 0 },     { "a", 0, 0, 0, 0 },        { "-1", 0, 0, 0, 0 },
		{ "1 ,2", 0, 0, 0, 0 },      { "99999999999", 0, 0, 0, 0 },
		{ "0-4095", 1, 4096, 0, 4095 }, { "0-4096", 0, 0, 0, 0 },
		{ "1048576", 1, 1, 1048576, 1048576 }, { "1048577", 0, 0, 0, 0 },
	};
	static struct cb_cpulist l;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *why = NULL;
		int rc = cb_cpulist_parse(cases[i].s, &l, &why);
		if (cases[i].ok)
			CHECK(rc == 0 && l.n == cases[i].n &&
			      (l.n == 0 || (l.pu[0] == cases[i].first && l.pu[l.n - 1] == cases[i].last)),
			      "--cpus '%s' parses to %d PUs in order", cases[i].s, cases[i].n);
		else
			CHECK(rc == -1 && why && *why && l.n == 0, "--cpus '%s' rejected (%s)",
			      cases[i].s, why ? why : "?");
	}
}

/* --cpus, --counters, --perf-ctl arrive as structs; the enums as values. */
static void test_structs(void)
{
	static struct cb_options o;
	parse(&o, ARGV("allreduce", "--cpus", "3,1,4-5", "--counters", "task-clock,cycles",
		       "--perf-ctl", "/tmp/c,/tmp/a", "--mem", "node:2", "--wait", "futex",
		       "--barrier", "central", "--transport", "threads", "--inject", "corrupt"));
	CHECK(o.place.cpus.n == 4 && o.place.cpus.pu[0] == 3 && o.place.cpus.pu[1] == 1 &&
	      o.place.cpus.pu[2] == 4 && o.place.cpus.pu[3] == 5 &&
	      !strcmp(o.place.cpus_arg, "3,1,4-5"), "--cpus 3,1,4-5: PUs 3 1 4 5 in order");
	CHECK(o.counter_set.n == 2 && !strcmp(o.counters, "task-clock,cycles"),
	      "--counters task-clock,cycles: two events");
	CHECK(!strcmp(o.perf_fifos.ctl, "/tmp/c") && !strcmp(o.perf_fifos.ack, "/tmp/a"),
	      "--perf-ctl /tmp/c,/tmp/a: the two paths");
	CHECK(o.place.mem == CB_MEM_NODE && o.place.mem_node == 2, "--mem node:2");
	CHECK(o.wait == CB_WAIT_FUTEX && o.barrier == CB_BARRIER_CENTRAL &&
	      o.transport == CB_TRANSPORT_THREADS && o.inject == CB_INJECT_CORRUPT,
	      "--wait --barrier --transport --inject arrive as their enums");
	parse(&o, ARGV("allreduce", "--cpus", "all"));
	CHECK(o.place.cpus.n == 0 && !strcmp(o.place.cpus_arg, "all") && !o.counters &&
	      !o.perf_ctl && o.inject == CB_INJECT_NONE, "--cpus all: every PU; the rest unset");
	parse(&o, ARGV("allreduce"));
	CHECK(o.wait == CB_WAIT_AUTO && o.barrier == CB_BARRIER_AUTO &&
	      o.transport == CB_TRANSPORT_AUTO && o.mpi_window == CB_MPIWIN_AUTO &&
	      o.place.bind == CB_BIND_SPREAD && o.place.mem == CB_MEM_LOCAL && o.roofline,
	      "defaults: auto, auto, auto, auto, spread, local, roofline on");
}

/* One mechanism: the parser marks a user's value, a default never. */
static void test_given(void)
{
	static struct cb_options o;
	parse(&o, ARGV("allreduce"));
	CHECK(!o.place.bind_set && !o.nranks_set && !o.algos_set && !o.minbytes_set &&
	      !o.maxbytes_set && !o.stepbytes_set && !o.stepfactor_set && !o.min_busbw_set &&
	      !o.max_regression_set, "defaults are not given");
	parse(&o, ARGV("allreduce", "--bind", "spread", "-g", "2", "-A", "ring", "-b", "1K",
		       "-e", "2K", "-i", "1K", "-f", "2", "--min-busbw", "1", "--baseline", "x.json",
		       "--max-regression", "10"));
	CHECK(o.place.bind_set && o.nranks_set && o.algos_set && o.minbytes_set &&
	      o.maxbytes_set && o.stepbytes_set && o.stepfactor_set && o.min_busbw_set &&
	      o.max_regression_set, "each given, even with the default's value");
	setenv("NCCL_TESTS_MIN_BW", "3", 1);
	parse(&o, ARGV("allreduce"));
	unsetenv("NCCL_TESTS_MIN_BW");
	CHECK(o.min_busbw_set && o.min_busbw == 3, "NCCL_TESTS_MIN_BW gives --min-busbw");
}

/* man/collbench.1 with fonts and escapes removed: \fB \fI \fR \fP gone,
 * \- as -, so "node:\fIN\fR" reads node:N. */
static char *man_text(void)
{
	const char *path = getenv("MAN_PAGE") ? getenv("MAN_PAGE") : "man/collbench.1";
	FILE *f = fopen(path, "r");
	char *s, *d;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = calloc((size_t)n + 1, 1);
	if (fread(s, 1, (size_t)n, f) != (size_t)n)
		s[0] = '\0';
	fclose(f);
	for (d = s, n = 0; s[n]; n++) {
		if (s[n] == '\\' && s[n + 1] == 'f' && s[n + 2]) {
			n += 2;
			continue;
		}
		if (s[n] == '\\' && s[n + 1] == '-')
			continue;
		*d++ = s[n];
	}
	*d = '\0';
	return s;
}

/* The man page's entries for opt: from each line starting ".B --opt",
 * ".BR --opt" or ".BI --opt" to the next such line of any option. */
static int man_mentions(const char *man, const char *opt, const char *word)
{
	char head[80];
	const char *p = man;
	size_t wl = strlen(word);
	for (; (p = strstr(p, "\n.B")); p++) {
		const char *h = strchr(p + 1, ' '), *end, *q;
		if (!h || h - p > 4)
			continue;
		snprintf(head, sizeof head, " %s", opt);
		if (strncmp(h, head, strlen(head)) || (h[strlen(head)] != ' ' && h[strlen(head)] != '\n'))
			continue;
		for (end = h; (end = strstr(end, "\n.B")); end++) {
			const char *e = strchr(end + 1, ' ');
			if (e && e - end <= 4 && e[1] == '-' && e[2] == '-')
				break;
		}
		if (!end)
			end = man + strlen(man);
		for (q = h; (q = strstr(q, word)) && q < end; q++)
			if ((q == man || !((q[-1] >= 'a' && q[-1] <= 'z') || q[-1] == '-')) &&
			    !((q[wl] >= 'a' && q[wl] <= 'z') || q[wl] == '-'))
				return 1;
	}
	return 0;
}

static void test_docs(void)
{
	char *man = man_text(), *help = NULL;
	size_t hlen = 0;
	FILE *hf = open_memstream(&help, &hlen);
	CHECK(man != NULL, "man page readable (run from the source tree, or set MAN_PAGE)");
	cb_options_usage(hf);
	fclose(hf);
	for (size_t i = 0; man && i < cb_noptdescs; i++) {
		const struct cb_optdesc *d = &cb_optdescs[i];
		char opt[64], line[96];
		const char *hl;
		if (!d->enums)
			continue;
		snprintf(opt, sizeof opt, "--%s", d->lname);
		snprintf(line, sizeof line, "      %s ", opt);
		hl = strstr(help, line);
		for (unsigned k = 0; k < d->enums->n; k++) {
			char word[64];
			const char *name = d->enums->v[k].name, *eol = hl ? strchr(hl, '\n') : NULL;
			const char *at = hl ? strstr(hl, name) : NULL;
			CHECK(at && at < eol, "--help's %s line lists %s", opt, name);
			/* node:N is written node: N (.BI) or node:N */
			snprintf(word, sizeof word, "%s", name);
			if (strlen(word) >= 2 && !strcmp(word + strlen(word) - 2, ":N"))
				word[strlen(word) - 1] = '\0';
			CHECK(man_mentions(man, opt, word), "man page documents %s %s", opt, name);
		}
	}
	free(man);
	free(help);
}

int main(void)
{
	test_round_trip();
	test_bad_values();
	test_cpulist();
	test_structs();
	test_given();
	test_docs();
	UNIT_EXIT();
}
