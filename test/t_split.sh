# t_split.sh: --split EXPR (nccl-tests' NCCL_TESTS_SPLIT grammar and the
# NCCL_TESTS_SPLIT_MASK variable): every collective in groups at P=4 and
# P=6 under %2 and /2 with 0 wrong and the groups in the header; back to
# back check iterations with --jitter; a corrupted output in one group
# caught (exit 7, the one group's count); bad expressions exit 6; unequal
# groups (each its own size's counts and picks, the sizes in the header and
# in JSON/CSV group_sizes); under MPI (Open MPI and MPICH, 4 processes)
# every collective in groups, -A mpi on the groups' communicators, exit 7
# on a corrupted output; the variables and the option's
# precedence; the row's time is the slowest group's (from -I 1's per-rank
# means, worked out here) and busbw uses the group's rank count; JSON and
# CSV carry groups, group_ranks and split. Then --cold-cache: checked runs
# with a small --cache-size, its fields, bad values, an oversized request.
. test/lib.sh

B=$COLLBENCH
FAST="-n 2 -w 1 -c 3"
unset NCCL_TESTS_SPLIT NCCL_TESTS_SPLIT_MASK

# Every collective and algorithm, in groups.
for p in 4 6; do
	for e in %2 /2; do
		case "$p$e" in 4*) hdr="in 2 groups of 2" ;; 6%2) hdr="in 2 groups of 3" ;; *) hdr="in 3 groups of 2" ;; esac
		expect_status "all -g $p --split $e" 0 $B all -g $p --split $e -b 8 -e 64K -f 32 $FAST -q
		expect_zero_wrong "all -g $p --split $e: 0 wrong" "$TMPD/out"
		n=$(grep -c "^# Collective: .*($p ranks $hdr, --split $e)" "$TMPD/out")
		[ "$n" -ge 16 ] && ok "all -g $p --split $e: every section says '$hdr' ($n)" ||
			notok "all -g $p --split $e: every section says '$hdr' ($n sections)"
	done
done
# Every root of the rooted ones is a rank of each group.
expect_status "rooted collectives -g 6 --split /2 -r all" 0 \
	$B gather -g 6 --split /2 -r all -b 8 -e 1K -f 32 $FAST -q
expect_zero_wrong "gather -r all in groups: 0 wrong" "$TMPD/out"
expect_usage_error "-r 2 with groups of 2: not a rank of a group" $B broadcast -g 4 --split %2 -r 2

# Back to back with random delays at the barriers (groups and the run's).
expect_status "allreduce -g 4 --split %2 -c 20 --jitter 20" 0 \
	$B allreduce -g 4 --split %2 -b 4 -e 4100 -f 32 -n 2 -w 1 -c 20 --jitter 20 -q
expect_zero_wrong "allreduce in groups, jitter: 0 wrong" "$TMPD/out"
expect_status "all -g 6 --split /2 -c 10 --jitter 10" 0 \
	$B all -g 6 --split /2 -b 8 -e 4K -f 64 -n 1 -w 0 -c 10 --jitter 10 -q
expect_zero_wrong "all in groups, jitter: 0 wrong" "$TMPD/out"

# A corrupted output in one group: caught, the other group clean.
expect_status "--inject corrupt in groups: exit 7" 7 \
	$B allreduce -g 4 --split %2 -b 1K -e 1K -A ring -q --inject corrupt -J "$TMPD/c.json"

# A lost notify inside a group: the hang report names the wait in the
# group's numbering, with the cell's real value (one below the epoch).
expect_status "drop-notify in a group: exit 4" 4 \
	timeout 60 $B allreduce -g 4 --split %2 -b 64 -e 64 -n 2 -T 1 -A ring --inject drop-notify -q
expect_grep "drop-notify in a group: the report names the group wait" \
	"rank 1: .*waits \(as rank 0 of its --split group\) on cell 1 .* of rank 1's window, expected epoch ([0-9]+), seen" "$TMPD/err"
e=$(grep -oE 'split group\) .*expected epoch [0-9]+, seen [0-9]+' "$TMPD/err" | awk '{print $(NF-2)+0, $NF+0}')
set -- $e
[ -n "$e" ] && [ "$2" = $(($1 - 1)) ] && ok "drop-notify in a group: seen is the group cell's (one short)" ||
	notok "drop-notify in a group: seen is the group cell's (one short) ($e)"

# Bad expressions: usage errors, one line.
for e in %0 /0 x2 % %2x "% -1" "XOR 1" "" "and 99999999999"; do
	expect_usage_error "--split '$e'" $B allreduce -g 4 --split "$e" -b 8 -e 8
done
expect_usage_error "NCCL_TESTS_SPLIT_MASK=zz" env NCCL_TESTS_SPLIT_MASK=zz $B allreduce -g 4 -b 8 -e 8
expect_usage_error "NCCL_TESTS_SPLIT=bogus" env NCCL_TESTS_SPLIT=bogus $B allreduce -g 4 -b 8 -e 8
# Unequal groups: every group runs the point as planned for its own size
# (counts, picks); a point or half runs only where it applies at every
# size. The header names every group's size.
expect_status "all -g 6 --split '&3': groups 2, 2, 1, 1" 0 $B all -g 6 --split '&3' -b 8 -e 64K -f 32 $FAST -q
expect_zero_wrong "all in groups 2, 2, 1, 1: 0 wrong" "$TMPD/out"
n=$(grep -c '^# Collective: .*(6 ranks in 4 groups of 2, 2, 1, 1, --split &3)' "$TMPD/out")
[ "$n" -ge 16 ] && ok "groups 2, 2, 1, 1: every section names the sizes ($n)" ||
	notok "groups 2, 2, 1, 1: every section names the sizes ($n sections)"
# auto's picks by group size: the label is group 0's pick, then ";1:" and
# the groups of 1's where it differs; each what auto picks for that size
# in a run as oversubscribed (or not) as this one, since picks weigh the
# whole run's oversubscription: -g 3 alone, and -g 4 in groups of 1.
pick() { rows "$TMPD/out" | awk '{ print $6 }' | sed 's/^auto://'; }
for c in allgather allreduce; do
	$B $c -g 3 -b 8 -e 8 -A auto $FAST -q >"$TMPD/out" 2>&1; p3=$(pick)
	$B $c -g 4 --split /1 -b 8 -e 8 -A auto $FAST -q >"$TMPD/out" 2>&1; p1=$(pick)
	[ "$p3" = "$p1" ] && want="auto:$p3" || want="auto:$p3;1:$p1"
	$B $c -g 4 --split /3 -b 8 -e 8 -A auto $FAST -q >"$TMPD/out" 2>&1; got=$(rows "$TMPD/out" | awk '{ print $6 }')
	[ -n "$p3" ] && [ -n "$p1" ] && [ "$got" = "$want" ] &&
		ok "$c -g 4 --split /3 (groups 3, 1): label $got, each group's own pick" ||
		notok "$c -g 4 --split /3 (groups 3, 1): label '$got', want '$want'"
done
expect_status "-g 2:4:+1 --split %2: P=3 in groups of 2, 1" 0 $B allreduce -g 2:4:+1 --split %2 -b 8 -e 4K -f 8 $FAST -q
expect_zero_wrong "a sweep through unequal groups: 0 wrong" "$TMPD/out"
expect_grep "P=3: the header names groups of 2, 1" "^# Collective: allreduce \(3 ranks in 2 groups of 2, 1, --split %2\)" "$TMPD/out"
expect_status "rooted collectives, groups 3, 2, -r all: roots 0..1" 0 \
	$B all -g 5 --split /3 -r all -b 8 -e 1K -f 32 $FAST -q
expect_zero_wrong "-r all in groups of 3, 2: 0 wrong" "$TMPD/out"
n=$(rows "$TMPD/out" | awk '$5 == 2' | wc -l)
n1=$(rows "$TMPD/out" | awk '$5 == 1' | wc -l)
[ "$n" = 0 ] && [ "$n1" -ge 4 ] && ok "-r all in groups of 3, 2: roots 0 and 1 ($n1 rows at 1), no root 2" ||
	notok "-r all in groups of 3, 2: $n rows at root 2, $n1 at root 1"
expect_usage_error "-r 2 with groups of 3, 2: not a rank of every group" $B broadcast -g 5 --split /3 -r 2
expect_status "--inject corrupt in groups of 3, 2: exit 7" 7 \
	$B allreduce -g 5 --split /3 -b 1K -e 1K -A ring -q --inject corrupt
expect_status "allreduce -g 3 --split %2 -I 1 -J --csv (groups 2, 1)" 0 \
	$B allreduce -g 3 --split %2 -b 1K -e 64K -f 8 -A ring,auto -n 5 -w 1 -I 1 -q -J "$TMPD/u.json" --csv "$TMPD/u.csv"

# The rank lines' Group is each rank's colour, as nccl-tests prints it.
groups_of() { grep '^#  Rank ' "$TMPD/out" | awk '{ printf "%s%s", sep, $5; sep = "," }'; }
expect_status "allreduce -g 4 --split '|1'" 0 $B allreduce -g 4 --split '|1' -b 8 -e 8 -A ring -q
[ "$(groups_of)" = "1,1,3,3" ] && ok "|1 at 4: rank lines say Group 1, 1, 3, 3 (r | 1)" ||
	notok "|1 at 4: rank lines' Group $(groups_of), want 1,1,3,3"
expect_status "allreduce -g 4 --split %2 --nccl-compat -J" 0 \
	$B allreduce -g 4 --split %2 -b 8 -e 8 -A ring -q --nccl-compat -J "$TMPD/nc.json"
expect_status "allreduce -g 4, no split" 0 $B allreduce -g 4 -b 8 -e 8 -A ring -q
[ "$(groups_of)" = "0,0,0,0" ] && ok "no split: Group 0 on every rank line" ||
	notok "no split: rank lines' Group $(groups_of)"

# The variables; the option wins over them; the mask is hexadecimal.
head_of() { grep -m1 '^# Collective:' "$TMPD/out"; }
expect_status "NCCL_TESTS_SPLIT_MASK=0x1" 0 env NCCL_TESTS_SPLIT_MASK=0x1 $B allreduce -g 4 -b 8 -e 8 -A ring -q
head_of | grep -q "in 2 groups of 2, --split &1" && ok "mask 0x1: 2 groups of 2" || notok "mask 0x1: $(head_of)"
expect_status "NCCL_TESTS_SPLIT_MASK=10 (hex)" 0 env NCCL_TESTS_SPLIT_MASK=10 $B allreduce -g 32 -b 8 -e 8 -A ring -n 1 -w 0 -q
head_of | grep -q "in 2 groups of 16, --split &16" && ok "mask 10 is 16: 2 groups of 16" || notok "mask 10: $(head_of)"
expect_status "NCCL_TESTS_SPLIT='DIV 2'" 0 env NCCL_TESTS_SPLIT="DIV 2" $B allreduce -g 4 -b 8 -e 8 -A ring -q
head_of | grep -q "in 2 groups of 2, --split /2" && ok "NCCL_TESTS_SPLIT DIV 2" || notok "NCCL_TESTS_SPLIT: $(head_of)"
expect_status "the mask wins over NCCL_TESTS_SPLIT (nccl-tests' order)" 0 \
	env NCCL_TESTS_SPLIT_MASK=0 NCCL_TESTS_SPLIT=%2 $B allreduce -g 4 -b 8 -e 8 -A ring -q
head_of | grep -q "in 1 group of 4, --split &0" && ok "mask first" || notok "mask first: $(head_of)"
expect_status "--split wins over the variables" 0 \
	env NCCL_TESTS_SPLIT_MASK=zz NCCL_TESTS_SPLIT=%4 $B allreduce -g 4 --split /2 -b 8 -e 8 -A ring -q
head_of | grep -q "in 2 groups of 2, --split /2" && ok "option first" || notok "option first: $(head_of)"

# Runs whose JSON and CSV are judged at the end, in one Python (its start
# costs seconds on a loaded machine).
expect_status "allreduce -g 6 --split %2 -I 1 -J" 0 \
	$B allreduce -g 6 --split %2 -b 1K -e 64K -f 8 -A ring -n 5 -w 1 -I 1 -q -J "$TMPD/s.json"
expect_status "allreduce -g 4 --split /2 -a 1 -I 1 -J" 0 \
	$B allreduce -g 4 --split /2 -b 1K -e 64K -f 8 -A mesh -n 5 -w 1 -I 1 -q -J "$TMPD/s2.json"
expect_status "allreduce -g 4, no split, -J --csv" 0 \
	$B allreduce -g 4 -b 8 -e 8 -A ring -q -J "$TMPD/n.json" --csv "$TMPD/n.csv"
expect_status "allreduce -g 4 --split %2 --csv" 0 $B allreduce -g 4 --split %2 -b 8 -e 8 -A ring -q --csv "$TMPD/s.csv"

# MPI: the groups over the MPI transport, 4 processes, each flavour: every
# collective in groups (the MPI windows' group views), the MPI library's
# own collectives on each group's communicator (-A mpi) beside collbench's
# ring/push/pull (RMA windows under Open MPI, shared under MPICH), a
# corrupted output caught (exit 7; its JSON judged below). A flavour that
# is not built, or whose mpirun is missing, is a skip (a failure under CI).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
MPIFAST="-n 1 -w 0 -c 2 -q"
mpi_split() {
	fl=$1 bin=$2 run=$3 win=$4
	if [ ! -x "$bin" ] || ! command -v ${run%% *} >/dev/null; then
		for part in "all --split %2" "all --split %2: 0 wrong" "all --split %2: groups in every section" \
			"%2: the rank lines' Group is each rank's colour (0,1,0,1)" \
			"-A mpi --split 'DIV 2'" "-A mpi --split DIV 2: 0 wrong" "-A mpi rows ran" \
			"DIV 2: groups in every section" "all --split %2 at -np 3 (groups 2, 1)" \
			"groups 2, 1: 0 wrong" "--inject corrupt: exit 7"; do
			skip "$fl $part" "$fl not built or ${run%% *} missing"
		done
		return
	fi
	expect_status "$fl all --split %2" 0 timeout -k 5 120 $run -np 4 $bin all --split %2 -b 8 -e 4K -f 64 $MPIFAST
	expect_zero_wrong "$fl all --split %2: 0 wrong" "$TMPD/out"
	n=$(grep -c '^# Collective: .*(4 ranks in 2 groups of 2, --split %2)' "$TMPD/out")
	[ "$n" -ge 16 ] && ok "$fl all --split %2: groups in every section ($n)" ||
		notok "$fl all --split %2: groups in every section ($n sections)"
	g=$(grep '^#  Rank ' "$TMPD/out" | awk '{ printf "%s%s", sep, $5; sep = "," }')
	[ "$g" = "0,1,0,1" ] && ok "$fl %2: the rank lines' Group is each rank's colour (0,1,0,1)" ||
		notok "$fl %2: the rank lines' Group $g, want 0,1,0,1"
	expect_status "$fl -A mpi --split 'DIV 2' ($win windows)" 0 timeout -k 5 120 $run -np 4 $bin all \
		-A mpi,ring,push,pull --split "DIV 2" --mpi-window $win -b 8 -e 4K -f 64 $MPIFAST
	expect_zero_wrong "$fl -A mpi --split DIV 2: 0 wrong" "$TMPD/out"
	n=$(rows "$TMPD/out" | awk '$6 == "mpi"' | wc -l)
	[ "$n" -ge 30 ] && ok "$fl -A mpi rows ran ($n)" || notok "$fl -A mpi rows ran ($n)"
	n=$(grep -c '^# Collective: .*(4 ranks in 2 groups of 2, --split /2)' "$TMPD/out")
	[ "$n" -ge 16 ] && ok "$fl DIV 2: groups in every section ($n)" ||
		notok "$fl DIV 2: groups in every section ($n sections)"
	expect_status "$fl all --split %2 at -np 3 (groups 2, 1)" 0 timeout -k 5 120 $run -np 3 $bin all \
		--split %2 -b 8 -e 4K -f 64 $MPIFAST
	expect_zero_wrong "$fl groups 2, 1: 0 wrong" "$TMPD/out"
	rm -f "$TMPD/$fl-c.json"
	: >"$TMPD/$fl.ran"   # its JSON must then exist (judged below)
	expect_status "$fl --split %2 --inject corrupt: exit 7" 7 timeout -k 5 120 $run -np 4 $bin \
		allreduce --split %2 -A ring,mpi -b 1K -e 4K -f 4 -n 5 -w 1 -I 1 -q --inject corrupt \
		-J "$TMPD/$fl-c.json"
}
mpi_split ompi "${OMPI_COLLBENCH:-}" "mpirun.openmpi --oversubscribe" rma
mpi_split mpich "${MPICH_COLLBENCH:-}" "mpirun.mpich" shared

# ---- --cold-cache ----
COLD="--cold-cache --cache-size 64K"
expect_status "allreduce --cold-cache, every algorithm, mulsum and sum" 0 \
	$B allreduce -g 4 -b 8 -e 64K -f 16 -o sum,mulsum $COLD $FAST -q -J "$TMPD/k.json"
expect_zero_wrong "--cold-cache allreduce: 0 wrong" "$TMPD/out"
expect_status "all --off-cache (IMB's name) P=3, in groups too" 0 \
	$B all -g 4 --split %2 --off-cache --cache-size 32K -b 8 -e 16K -f 16 $FAST -q
expect_zero_wrong "all --off-cache in groups: 0 wrong" "$TMPD/out"
# -u shifts every buffer of every set: the sets are sized with the shift
expect_status "allgather --cold-cache -u 1000, all algorithms" 0 \
	$B allgather -g 3 -b 8 -e 16K -f 16 -d double -u 1000 -A all $COLD $FAST -q
expect_zero_wrong "--cold-cache -u 1000: 0 wrong" "$TMPD/out"
expect_usage_error "--cache-size 0" $B allreduce -g 2 --cold-cache --cache-size 0
expect_usage_error "--cache-size x" $B allreduce -g 2 --cold-cache --cache-size x
expect_usage_error "--cache-size without --cold-cache" $B allreduce -g 2 --cache-size 1M
expect_status "--cold-cache over the machine's memory: exit 2" 2 $B allreduce -g 2 -b 8 -e 8 --cold-cache --cache-size 64G
[ "$(wc -l <"$TMPD/err")" = 1 ] && [ ! -s "$TMPD/out" ] && ok "oversized --cold-cache: one line, nothing run" ||
	notok "oversized --cold-cache: one line ($(head -2 "$TMPD/err"))"

# The rows' fields: one line per check, "NAME" then " | PROBLEM" if any.
# time = the slowest group's (-a 1: each group's mean over its ranks, from
# -I 1's rank_means_us), busbw with the group's rank count; cold slots =
# ceil(2 x 64K / set bytes), the set page-aligned send + recv (+ premul).
python3 - "$TMPD" >"$TMPD/facts" <<'PY'
import csv, json, math, sys
d = sys.argv[1]
J = lambda f: json.load(open(d + "/" + f))["results"]
def check(name, bad):
    print(name + (" | " + "; ".join(bad[:3]) if bad else ""))
def split_row(f, p, groups):
    bad = []
    for r in J(f):
        g = len(groups[0])
        if (r["groups"], r["group_ranks"], r["nranks"]) != (len(groups), g, p):
            bad.append("groups %s group_ranks %s" % (r["groups"], r["group_ranks"]))
        for h in ("out_of_place", "in_place"):
            x = r[h]; m = x["rank_means_us"]
            want = max(sum(m[i] for i in grp) / len(grp) for grp in groups)
            if abs(x["time_us"] - want) > 1e-6 * want:
                bad.append("%s %s time %g, slowest group %g" % (r["size"], h, x["time_us"], want))
            if abs(x["busbw"] - x["algbw"] * 2 * (g - 1) / g) > 1e-6 * x["busbw"] + 1e-12:
                bad.append("busbw %g algbw %g" % (x["busbw"], x["algbw"]))
    return bad
check("%2 at 6: time is the slowest group's, busbw over groups of 3, groups/group_ranks",
      split_row("s.json", 6, [[0, 2, 4], [1, 3, 5]]))
check("/2 at 4: time is the slowest group's", split_row("s2.json", 4, [[0, 1], [2, 3]]))
check("%2 at 3 (groups 2, 1): time is the slowest group's, busbw over group 0's 2 ranks",
      split_row("u.json", 3, [[0, 2], [1]]))
g = [x["group"] for x in json.load(open(d + "/nc.json"))["config"]["devices"]]
check("--nccl-compat JSON devices[].group: each rank's colour under %2", [] if g == [0, 1, 0, 1] else [repr(g)])
r = J("u.json")[0]
c = next(csv.DictReader(open(d + "/u.csv")))
check("group_sizes '2, 1' in JSON and CSV; equal groups '3, 3'; null without a split",
      [] if (r["group_sizes"], c["group_sizes"], J("s.json")[0]["group_sizes"], J("n.json")[0]["group_sizes"])
      == ("2, 1", "2, 1", "3, 3", None) else [repr((r["group_sizes"], c["group_sizes"]))])
r = J("s2.json")[0]
check("JSON split is /2", [] if r["split"] == "/2" else [repr(r["split"])])
r = J("n.json")[0]
got = (r["groups"], r["group_ranks"], r["split"], r["cold_cache"], r["cold_slots"], r["cold_bytes"])
check("no split, no --cold-cache: groups 1, group_ranks 4, split null, cold 0, null, null",
      [] if got == (1, 4, None, 0, None, None) else [repr(got)])
r = next(csv.DictReader(open(d + "/s.csv")))
got = (r["groups"], r["group_ranks"], r["split"])
check("CSV groups group_ranks split: 2 2 %2", [] if got == ("2", "2", "%2") else [repr(got)])
r = J("c.json")[0]
check("--inject corrupt: 1 wrong element, in one group only",
      [] if r["out_of_place"]["wrong"] == 1 else [repr(r["out_of_place"]["wrong"])])
import os
for fl in ("ompi", "mpich"):
    if not os.path.exists(d + "/%s.ran" % fl):
        continue   # the flavour's skips said so
    if not os.path.exists(d + "/%s-c.json" % fl):
        check("%s --split %%2: the corrupt run's JSON" % fl, ["no JSON written"])
        continue
    bad = split_row("%s-c.json" % fl, 4, [[0, 2], [1, 3]])
    bad += ["%s %s: %s wrong" % (r["size"], r["algo"], r["out_of_place"]["wrong"])
            for r in J("%s-c.json" % fl) if r["out_of_place"]["wrong"] != 1]
    algos = sorted({r["algo"] for r in J("%s-c.json" % fl)})
    bad += [] if algos == ["mpi", "ring"] else ["algos %s" % algos]
    check("%s --split %%2: ring and mpi rows, time the slowest group's, 1 wrong in each" % fl, bad)
bad = []
pg = lambda x: (x + 4095) // 4096 * 4096
for r in J("k.json"):
    s = r["count"] * 4
    setb = pg(s) + pg(s) + (pg(s) if r["redop"] == "mulsum" else 0)
    k = math.ceil(2 * 65536 / setb) if setb < 2 * 65536 else 1
    if (r["cold_cache"], r["cold_slots"], r["cold_bytes"]) != (1, k, k * setb):
        bad.append("%s %s: %s %s %s, want 1 %d %d" % (r["size"], r["redop"], r["cold_cache"],
                                                    r["cold_slots"], r["cold_bytes"], k, k * setb))
check("cold_cache/cold_slots/cold_bytes: ceil(2 x 64K / set) sets", bad)
PY
[ -s "$TMPD/facts" ] || notok "the JSON and CSV checks ran"
while IFS= read -r line; do
	case "$line" in *" | "*) notok "$line" ;; *) ok "$line" ;; esac
done <"$TMPD/facts"

done_testing
