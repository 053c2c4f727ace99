/* unit_split.c: --split's grammar (nccl-tests' NCCL_TESTS_SPLIT and
 * NCCL_TESTS_SPLIT_MASK), the groups each op makes, the errors, and
 * --cold-cache's slot arithmetic. */
#include <stdlib.h>
#include <string.h>

#include "collbench/coldcache.h"
#include "collbench/options.h"
#include "collbench/plan.h"
#include "collbench/split.h"
#include "unit.h"

static int parses(const char *s, enum cb_split_op op, unsigned long n)
{
	struct cb_split_expr e;
	const char *why;
	return cb_split_parse(s, &e, &why) == 0 && e.op == op && e.n == n;
}

static int fails(const char *s, const char *want)
{
	struct cb_split_expr e;
	const char *why = NULL;
	return cb_split_parse(s, &e, &why) == -1 && why && strstr(why, want);
}

static void test_grammar(void)
{
	CHECK(parses("AND 3", CB_SPLIT_AND, 3) && parses("and3", CB_SPLIT_AND, 3) &&
	      parses("&3", CB_SPLIT_AND, 3), "AND n, and n, &n");
	CHECK(parses("OR 1", CB_SPLIT_OR, 1) && parses("Or 1", CB_SPLIT_OR, 1) &&
	      parses("|1", CB_SPLIT_OR, 1), "OR n, |n");
	CHECK(parses("MOD 2", CB_SPLIT_MOD, 2) && parses("%2", CB_SPLIT_MOD, 2) &&
	      parses(" % 2 ", CB_SPLIT_MOD, 2), "MOD n, %%n, blanks around");
	CHECK(parses("DIV 4", CB_SPLIT_DIV, 4) && parses("/4", CB_SPLIT_DIV, 4), "DIV n, /n");
	CHECK(parses("&0x10", CB_SPLIT_AND, 16) && parses("&0b101", CB_SPLIT_AND, 5) &&
	      parses("&010", CB_SPLIT_AND, 8) && parses("&0", CB_SPLIT_AND, 0),
	      "n as hex 0x, binary 0b, octal 0 (strtoul base 0, as nccl-tests), 0");
	CHECK(parses("%2147483647", CB_SPLIT_MOD, 2147483647UL), "the largest n");
	CHECK(fails("%0", "divide by zero") && fails("DIV 0", "divide by zero"), "MOD 0, DIV 0");
	CHECK(fails("%", "missing") && fails("MOD", "missing"), "no number");
	CHECK(fails("%2x", "trailing") && fails("&1,2", "trailing"), "trailing text");
	CHECK(fails("% -1", "number") && fails("&+1", "number"), "a sign");
	CHECK(fails("%2147483648", "above") && fails("&99999999999999999999", "above"),
	      "n too large");
	CHECK(fails("", "expected AND") && fails("XOR 1", "expected AND") &&
	      fails("2", "expected AND") && fails("^1", "expected AND"), "no operator");
}

static void test_mask(void)
{
	struct cb_split_expr e;
	const char *why;
	CHECK(cb_split_parse_mask("0x7", &e, &why) == 0 && e.op == CB_SPLIT_AND && e.n == 7,
	      "mask 0x7 is &7");
	CHECK(cb_split_parse_mask("10", &e, &why) == 0 && e.n == 16, "mask digits are hex: 10 is 16");
	CHECK(cb_split_parse_mask("ff", &e, &why) == 0 && e.n == 255, "mask ff");
	CHECK(cb_split_parse_mask("zz", &e, &why) == -1 && strstr(why, "hexadecimal"),
	      "mask zz: an error");
	CHECK(cb_split_parse_mask("0x", &e, &why) == -1, "mask 0x alone: an error");
}

static void test_format(void)
{
	static const char *const in[] = { "AND 3", "or 1", "MOD 2", "div 2", "&0x10" };
	static const char *const out[] = { "&3", "|1", "%2", "/2", "&16" };
	int ok = 1;
	for (int i = 0; i < 5; i++) {
		struct cb_split_expr e;
		const char *why;
		char buf[32];
		ok = ok && !cb_split_parse(in[i], &e, &why) &&
		     !strcmp(cb_split_format(&e, buf, sizeof buf), out[i]);
	}
	CHECK(ok, "canonical forms &3 |1 %%2 /2 &16");
}

/* groups of P ranks under s, as "members of group 0 | group 1 | ..." */
static const char *groups(const char *s, int p, char *buf, size_t cap)
{
	static struct cb_split g;
	struct cb_split_expr e;
	const char *why;
	size_t used = 0;
	if (cb_split_parse(s, &e, &why))
		return "parse error";
	cb_split_groups(&e, p, &g);
	buf[0] = '\0';
	for (int k = 0; k < g.ngroups; k++)
		for (int l = 0; l < g.size[k]; l++)
			used += (size_t)snprintf(buf + used, cap - used, "%s%d",
						 l ? "," : k ? "|" : "", g.member[g.first[k] + l]);
	return buf;
}

static void test_groups(void)
{
	static struct cb_split g;
	struct cb_split_expr e;
	const char *why;
	char b[256];
	int ok = 1;
	CHECK(!strcmp(groups("%2", 4, b, sizeof b), "0,2|1,3"), "%%2 at 4: {0,2} {1,3}");
	CHECK(!strcmp(groups("/2", 4, b, sizeof b), "0,1|2,3"), "/2 at 4: {0,1} {2,3}");
	CHECK(!strcmp(groups("%2", 6, b, sizeof b), "0,2,4|1,3,5"), "%%2 at 6: two groups of 3");
	CHECK(!strcmp(groups("/2", 6, b, sizeof b), "0,1|2,3|4,5"), "/2 at 6: three groups of 2");
	CHECK(!strcmp(groups("&1", 4, b, sizeof b), "0,2|1,3"), "&1 at 4 as %%2");
	CHECK(!strcmp(groups("|1", 4, b, sizeof b), "0,1|2,3"), "|1 at 4: colours 1,1,3,3");
	CHECK(!strcmp(groups("|2", 4, b, sizeof b), "0,2|1,3"), "|2 at 4: colours 2,3,2,3");
	CHECK(!strcmp(groups("&0", 3, b, sizeof b), "0,1,2"), "&0: one group of everyone");
	CHECK(!strcmp(groups("%8", 3, b, sizeof b), "0|1|2"), "%%8 at 3: a group per rank");
	CHECK(!strcmp(groups("&7", 16, b, sizeof b), "0,8|1,9|2,10|3,11|4,12|5,13|6,14|7,15"),
	      "&7 at 16: 8 groups of 2 (NCCL_TESTS_SPLIT_MASK=0x7)");
	cb_split_parse("%2", &e, &why);
	cb_split_groups(&e, 6, &g);
	CHECK(g.ngroups == 2 && g.gsize == 3, "%%2 at 6: gsize 3");
	for (int r = 0; r < 6; r++)
		ok = ok && g.member[g.first[g.group[r]] + g.local[r]] == r && g.local[r] == r / 2;
	CHECK(ok, "group, local and member agree; local ranks in rank order");
	cb_split_parse("&3", &e, &why);
	cb_split_groups(&e, 6, &g);
	CHECK(g.ngroups == 4 && g.gsize == 0 && !strcmp(cb_split_sizes(&g, b, sizeof b), "2, 2, 1, 1"),
	      "&3 at 6: unequal sizes 2, 2, 1, 1 (gsize 0)");
	cb_split_parse("%2", &e, &why);
	cb_split_groups(&e, 3, &g);
	CHECK(g.gsize == 0 && !strcmp(cb_split_sizes(&g, b, sizeof b), "2, 1"), "%%2 at 3: 2, 1");
	cb_split_parse("%3", &e, &why);
	cb_split_groups(&e, 512, &g);
	CHECK(g.ngroups == 3 && g.gsize == 0 && g.size[0] == 171 && g.size[2] == 170,
	      "%%3 at 512 ranks");
	cb_split_parse("/1", &e, &why);
	cb_split_groups(&e, 512, &g);
	CHECK(g.ngroups == 512 && g.gsize == 1, "/1 at 512: 512 groups of 1");
}

/* A plan of argv (after "collbench") over nranks ranks on 2 PUs. */
static void plan_of(struct cb_plan *pl, int nranks, const char **argv)
{
	static struct cb_options o;
	int argc = 0;
	while (argv[argc])
		argc++;
	cb_options_parse(&o, argc, (char **)argv);
	cb_plan_build(pl, &o, nranks, 2);
}

/* Unequal groups: every size's points, index for index, with that size's
 * counts (nccl-tests' per-collective formulas, worked out here), the
 * verdict of all sizes, and the sizes for the record. */
static void test_plan(void)
{
	struct cb_plan pl;
	const char *ag[] = { "collbench", "allgather", "--split", "%2", "-b", "4K", "-e", "4K",
			     "-A", "push", NULL };
	const char *rs[] = { "collbench", "reduce_scatter", "--split", "/3", "-b", "6K", "-e", "6K",
			     "-A", "push", NULL };
	plan_of(&pl, 3, ag);
	CHECK(pl.group_ranks == 2 && pl.ngroups == 2 && pl.nalt == 1 && pl.alt_ranks[0] == 1 &&
	      pl.group_sizes && !strcmp(pl.group_sizes, "2, 1"),
	      "allgather %%2 at 3: groups 2, 1 (group 0's size, one other, the sizes)");
	CHECK(pl.npoints == 1 && pl.points[0].n.send == 512 && pl.points[0].n.recv == 1024,
	      "groups of 2: 4 KiB allgather sends 4096 / 4 / 2 = 512 floats, receives 1024");
	CHECK(cb_plan_point(&pl, 0, 1)->n.send == 1024 && cb_plan_point(&pl, 0, 1)->n.recv == 1024 &&
	      cb_plan_point(&pl, 0, 2) == &pl.points[0],
	      "the group of 1: 4096 / 4 = 1024 floats each way; size 2 is points[]");
	cb_plan_free(&pl);
	plan_of(&pl, 5, rs);
	CHECK(pl.group_ranks == 3 && pl.nalt == 1 && pl.alt_ranks[0] == 2 &&
	      pl.points[0].n.recv == 512 && cb_plan_point(&pl, 0, 2)->n.recv == 768,
	      "reduce_scatter /3 at 5 (3, 2): 6 KiB gives 512 floats per rank in 3, 768 in 2");
	CHECK(pl.max_send_bytes >= 1536 * 4, "the windows hold the largest size's buffers");
	cb_plan_free(&pl);
	{
		/* a fresh argv: getopt_long permutes the one it parsed */
		const char *eq[] = { "collbench", "allgather", "--split", "%3", "-b", "4K", "-e", "4K",
				     NULL };
		plan_of(&pl, 3, eq);
	}
	CHECK(pl.group_ranks == 1 && pl.nalt == 0 && !strcmp(pl.group_sizes, "1, 1, 1"),
	      "%%3 at 3: equal groups, no other size");
	cb_plan_free(&pl);
}

static void test_cold(void)
{
	CHECK(cb_cold_slots(1 << 20, 4096) == 512, "2 MiB over 4 KiB sets: 512 slots");
	CHECK(cb_cold_slots(1 << 20, 3 * 4096) == 171, "rounded up: ceil(2 MiB / 12 KiB) = 171");
	CHECK(cb_cold_slots(1 << 20, 2 << 20) == 1 && cb_cold_slots(1 << 20, 8 << 20) == 1,
	      "a set of at least twice the cache: 1 slot");
	CHECK(cb_cold_slots(1 << 20, 0) == 1, "an empty set: 1 slot");
	CHECK(cb_cold_slots(1 << 20, (2 << 20) - 1) == 2, "just below twice the cache: 2 slots");
	{
		static char region[10 * 4096];
		char *d = NULL;
		const char *src = NULL;
		int ok = 1;
		for (long k = 0; k < 12; k++) {
			ok = ok && cb_cold_copy(region, sizeof region, 4000, k, &d, &src) &&
			     src == region + (2 * k) % 10 * 4096 && d == region + (2 * k + 1) % 10 * 4096;
		}
		CHECK(ok, "cold copies: the next two 4 KiB chunks of the region, wrapping");
		d = region;
		CHECK(!cb_cold_copy(region, 8192, 4097, 0, &d, &src) && d == region,
		      "a region of fewer than two chunks: no cold copy, nothing changed");
	}
}

int main(void)
{
	test_grammar();
	test_mask();
	test_format();
	test_groups();
	test_plan();
	test_cold();
	UNIT_EXIT();
}
