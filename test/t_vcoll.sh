# t_vcoll.sh: the vector collectives (alltoallv, allgatherv, gatherv,
# scatterv, reduce_scatterv) end to end: listed with pull, push and auto
# (and direct for alltoallv, allgatherv, reduce_scatterv);
# every algorithm at several P, skews and roots with 20 back-to-back check
# iterations, 0 wrong; the bytes algbw divides by (S = algbw x time) equal to
# the pattern's total worked out here in Python from the man page's formula,
# not by collbench; --skew 0 moves the plain collective's bytes; a corrupted
# output is caught (exit 7); --jitter soak; --skew out of range is a usage
# error; JSON and CSV carry the rows; `all` covers them. Then barrier:
# listed with its kinds, one row of size 0 per kind, kinds alternating with
# the run's own barriers, a lost notify caught. Then reduce_local: every
# dtype x op exact, a corrupted output caught, busbw = bytes reduced / time.
. test/lib.sh

B=$COLLBENCH
FAST="-n 2 -w 1 -c 20"
VCOLLS="alltoallv allgatherv gatherv scatterv reduce_scatterv"

$B list --names >"$TMPD/pairs"
for c in $VCOLLS; do
	for a in pull push auto; do
		grep -qx "$c $a" "$TMPD/pairs" && ok "list: $c $a" || notok "list: $c $a"
	done
done
for c in alltoallv allgatherv reduce_scatterv; do
	grep -qx "$c direct" "$TMPD/pairs" && ok "list: $c direct" || notok "list: $c direct"
done

# Every algorithm, P in 1 2 3 5, skews balanced, with empty blocks, extreme;
# sizes that do and do not divide by P; every root for the rooted ones.
for p in 1 2 3 5; do
	for s in 0 1 2.5; do
		for c in $VCOLLS; do
			expect_status "$c P=$p skew $s" 0 $B $c -g $p --skew $s -b 4 -e 4100 -f 4 -r all $FAST
			expect_zero_wrong "$c P=$p skew $s: 0 wrong" "$TMPD/out"
		done
	done
done

# Every dtype x op of reduce_scatterv, and every dtype of the others, skewed.
expect_status "reduce_scatterv every dtype x op, skew 1.5" 0 \
	$B reduce_scatterv -g 3 --skew 1.5 -b 8 -e 8K -f 8 -d all -o all -n 1 -w 0 -c 3
expect_zero_wrong "reduce_scatterv every dtype x op: 0 wrong" "$TMPD/out"
for c in alltoallv allgatherv gatherv scatterv; do
	expect_status "$c every dtype, skew 1.5" 0 $B $c -g 3 --skew 1.5 -b 8 -e 8K -f 8 -d all -n 1 -w 0 -c 3
	expect_zero_wrong "$c every dtype: 0 wrong" "$TMPD/out"
done

# S = algbw x time against the pattern's total T x esize (independent
# Python), and at skew 0 against the plain collective's size; the
# roofline's M (min_bytes) from T by the man page's formulas.
s_check() { # NAME JSONFILE P SKEW
	python3 - "$2" "$3" "$4" <<'PY'
import json, math, sys
d = json.load(open(sys.argv[1])); p = int(sys.argv[2]); f = float(sys.argv[3])
bad = []
for r in d["results"]:
    C = r["count"]
    w = [1.0] if p == 1 else [1 + f * (2 * k - p + 1) / (p - 1) for k in range(p)]
    T = sum(max(0, math.floor(C * x + 1e-9)) for x in w)
    h = r["out_of_place"]
    S = h["algbw"] * h["time_us"] * 1e3
    if abs(S - T * 4) > 1e-6 * max(1, T * 4) or r["size"] != C * p * 4:
        bad.append("%s %s size %d: S %.1f, want %d" % (r["collective"], r["algo"], r["size"], S, T * 4))
    # the roofline's M: every rank's own blocks read and written (man page)
    M = {"alltoallv": 2 * p, "allgatherv": p + 1, "reduce_scatterv": p + 1}.get(r["collective"], 2) * T * 4
    if r["min_bytes"] != M:
        bad.append("%s size %d: M %s, want %d" % (r["collective"], r["size"], r["min_bytes"], M))
print("; ".join(bad[:3]))
PY
}
for c in $VCOLLS; do
	for s in 0 1.5; do
		expect_status "$c -J P=5 skew $s" 0 $B $c -g 5 --skew $s -b 1000 -e 100K -f 10 -n 2 -w 1 -q -J "$TMPD/j_${c}_$s.json"
		why=$(s_check x "$TMPD/j_${c}_$s.json" 5 $s)
		[ -z "$why" ] && ok "$c P=5 skew $s: algbw and M over the pattern's bytes" ||
			notok "$c P=5 skew $s: algbw and M over the pattern's bytes ($why)"
	done
done

# A corrupted output is caught, on every v-collective, exactly once per row
# half (the in-place half is N/A): at skews without empty blocks, and at
# skews whose zero-size blocks include the root's (scatterv's root 0 at
# --skew 1; root 1 too at -g 4 --skew 8; rank 0 at -g 3 --skew 2.5),
# where the fault must move to a rank whose output is checked.
corrupt_once() { # NAME ARGS...: exit 7, every row #wrong 1
	cname=$1; shift
	expect_status "$cname: exit 7" 7 "$@"
	bad=$(rows "$TMPD/out" | awk '$10 != "1" || $14 != "N/A"' | head -2)
	[ -n "$(rows "$TMPD/out")" ] && [ -z "$bad" ] && ok "$cname: 1 wrong in every row" ||
		notok "$cname: 1 wrong in every row ($bad)"
}
for c in $VCOLLS; do
	corrupt_once "$c corrupt skew 0.5" $B $c -g 4 --skew 0.5 -b 1K -e 1K --inject corrupt -n 1 -w 0
	corrupt_once "$c corrupt skew 1 root 0" $B $c -g 4 --skew 1 -r 0 -b 1K -e 1K --inject corrupt -n 1 -w 0
	corrupt_once "$c corrupt skew 8 root 0" $B $c -g 4 --skew 8 -r 0 -b 1K -e 4K --inject corrupt -n 1 -w 0
	corrupt_once "$c corrupt -g 3 skew 2.5 root 0" $B $c -g 3 --skew 2.5 -r 0 -b 24 -e 24 --inject corrupt -n 1 -w 0
done
corrupt_once "scatterv corrupt skew 8 root 1" $B scatterv -g 4 --skew 8 -r 1 -b 1K -e 1K --inject corrupt -n 1 -w 0

# Jitter soak (the issue's command).
expect_status "alltoallv -g 5 --skew 2 -c 20 --jitter 20" 0 $B alltoallv -g 5 --skew 2 -c 20 --jitter 20 -q
expect_zero_wrong "alltoallv -g 5 --skew 2 --jitter 20: 0 wrong" "$TMPD/out"
expect_status "allgatherv -g 4 --skew 1 --jitter 50" 0 $B allgatherv -g 4 --skew 1 -b 8 -e 64K -c 20 --jitter 50 -n 2 -q
expect_zero_wrong "allgatherv --jitter 50: 0 wrong" "$TMPD/out"

# The man page states the v-variants' algbw and busbw formulas.
expect_grep "man page: v-collectives' algbw and busbw" \
	'algbw = \\fIT\\fR\\\(muesize / time and$' man/collbench.1
expect_grep "man page: v-collectives' busbw factor" \
	'^busbw = algbw \\\(mu \(\\fIP\\fR\\-1\)/\\fIP\\fR, the factor' man/collbench.1

# Bad --skew: one line, exit 6.
expect_usage_error "--skew -1" $B alltoallv -g 2 --skew -1
expect_usage_error "--skew 8.5" $B alltoallv -g 2 --skew 8.5
expect_usage_error "--skew abc" $B alltoallv -g 2 --skew abc
expect_status "--skew 8 accepted" 0 $B alltoallv -g 3 --skew 8 -b 1K -e 1K -n 1 -w 0 -c 2

# CSV rows.
expect_status "scatterv --csv" 0 $B scatterv -g 3 --skew 1 -b 1K -e 4K -q --csv "$TMPD/v.csv"
expect_grep "scatterv --csv: rows" "^3,scatterv,(pull|push|auto)," "$TMPD/v.csv"

# all covers them (the issue's command), 0 wrong.
expect_status "all -g 4 -b 8 -e 64K" 0 $B all -g 4 -b 8 -e 64K -n 2 -w 1 -c 2
expect_zero_wrong "all -g 4 -b 8 -e 64K: 0 wrong" "$TMPD/out"
cp "$TMPD/out" "$TMPD/all.out"
for c in $VCOLLS; do
	expect_grep "all: $c section" "^# Collective: $c " "$TMPD/out"
done

# ---- barrier: a collective whose algorithms are the barrier kinds ----
for a in mesh dissemination central auto; do
	grep -qx "barrier $a" "$TMPD/pairs" && ok "list: barrier $a" || notok "list: barrier $a"
done
# One row per algorithm whatever -b/-e say, size and count 0; P = 9 takes
# dissemination's odd round count and central's auto default (4 per PU).
for p in 1 2 3 8 9; do
	expect_status "barrier -g $p -b 8 -e 1M" 0 $B barrier -g $p -b 8 -e 1M $FAST
	expect_zero_wrong "barrier -g $p: 0 wrong" "$TMPD/out"
	n=$(rows "$TMPD/out" | awk '$1 == 0 && $2 == 0' | wc -l)
	[ "$n" = 4 ] && ok "barrier -g $p: 4 rows of size 0" || notok "barrier -g $p: 4 rows of size 0 ($n)"
done
# Kinds alternate with the run's own barriers of another kind (--barrier):
# each kind keeps its own epoch, so nothing hangs or passes early.
for k in mesh dissemination central; do
	expect_status "barrier -g 8 --barrier $k --jitter 20" 0 $B barrier -g 8 --barrier $k -c 20 --jitter 20 -n 50 -T 30
	expect_status "allreduce then barrier, -g 9 --barrier $k" 0 $B all -g 9 --barrier $k -b 64 -e 64 -n 3 -w 1 -c 3 -T 30
	expect_zero_wrong "all -g 9 --barrier $k: 0 wrong" "$TMPD/out"
done
# A lost notify inside the barrier is a hang report, exit 4.
expect_status "barrier --inject drop-notify: exit 4" 4 $B barrier -g 4 --inject drop-notify -T 3
expect_status "barrier -J" 0 $B barrier -g 3 -q -J "$TMPD/b.json"
got=$(python3 -c 'import json, sys; print(" ".join("%s:%d" % (r["algo"], r["size"]) for r in json.load(open(sys.argv[1]))["results"]))' "$TMPD/b.json")
[ "$got" = "mesh:0 dissemination:0 central:0 auto:0" ] && ok "barrier -J: one row of size 0 per kind" ||
	notok "barrier -J: one row of size 0 per kind ($got)"
expect_grep "all: barrier section" "^# Collective: barrier " "$TMPD/all.out"

# ---- reduce_local: out = A op B on every rank alone ----
for a in local auto; do
	grep -qx "reduce_local $a" "$TMPD/pairs" && ok "list: reduce_local $a" || notok "list: reduce_local $a"
done
for p in 1 3; do
	expect_status "reduce_local -g $p every dtype x op" 0 $B reduce_local -g $p -b 8 -e 64K -f 8 -d all -o all $FAST
	expect_zero_wrong "reduce_local -g $p every dtype x op: 0 wrong" "$TMPD/out"
done
expect_status "reduce_local --inject corrupt: exit 7" 7 $B reduce_local -g 2 -b 1K -e 1K --inject corrupt -n 1 -w 0
# busbw = algbw = size / time (factor 1), next to the roofline's copybw.
expect_status "reduce_local -J" 0 $B reduce_local -g 2 -b 4K -e 64K -f 4 -n 3 -q -J "$TMPD/rl.json"
why=$(python3 -c 'import json, sys
bad = [r["size"] for r in json.load(open(sys.argv[1]))["results"]
       if r["size"] != r["count"] * 4 or r["copy_bw"] is None or
       abs(r["out_of_place"]["busbw"] * r["out_of_place"]["time_us"] * 1e3 - r["size"]) > 1e-6 * r["size"]]
print(" ".join(map(str, bad)))' "$TMPD/rl.json")
[ -z "$why" ] && ok "reduce_local: busbw = size / time, copy_bw beside it" ||
	notok "reduce_local: busbw = size / time, copy_bw beside it (sizes $why)"
expect_grep "all: reduce_local section" "^# Collective: reduce_local " "$TMPD/all.out"

done_testing
