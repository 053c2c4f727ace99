# t_colls.sh: every collective x algorithm end to end, against the closed-form
# goldens: P in {1,2,3,4,5,7,8,16}; sizes that do and do not divide by P,
# including fewer elements than ranks (count 0 included); out-of-place and
# in-place; roots 0..P-1 (-r all) for small P, roots 0 and P-1 for large P;
# 20+ back-to-back check iterations per row (the cross-call race test); the
# size/count/busbw columns; and, per collective, the checker failing on a
# corrupted output.
. test/lib.sh

B=$COLLBENCH
FAST="-n 2 -w 1 -c 20"
ROOTED="broadcast reduce gather scatter"

# The collective x algorithm pairs, from the registry (`list --names`).
$B list --names >"$TMPD/pairs"
npairs=$(wc -l <"$TMPD/pairs")
[ "$npairs" -ge 21 ] && ok "registry lists $npairs collective x algorithm pairs" ||
	notok "registry lists $npairs collective x algorithm pairs (want >= 21)"

# pairs_of FILE: "collective algo" of every data row of a report (auto's
# pick after the colon dropped)
pairs_of() { awk '/^# Collective:/{c=$3} !/^#/{a=$6; sub(/:.*/, "", a); print c, a}' "$1" | sort -u; }

# expect_all_pairs NAME FILE: every registered pair has rows in FILE
expect_all_pairs() {
	missing=$(pairs_of "$2" | sort | comm -13 - "$TMPD/pairs.sorted")
	if [ -z "$missing" ]; then ok "$1"; else
		notok "$1 (missing: $(echo $missing))"
	fi
}
sort "$TMPD/pairs" >"$TMPD/pairs.sorted"

# expect_inplace_ran NAME FILE: the in-place half ran (not N/A) on every row
# except sendrecv's, which has no in-place form, and alltoall direct's, which
# does not apply in place, and is N/A there.
expect_inplace_ran() {
	bad=$(awk '/^# Collective:/{c=$3} !/^#/{ na = c == "sendrecv" || c ~ /^(alltoallv|allgatherv|gatherv|scatterv|reduce_scatterv|barrier|reduce_local)$/ || (c == "alltoall" && $6 == "direct"); if (na != ($14 == "N/A")) print c, $0 }' "$2" | head -3)
	if [ -z "$bad" ]; then ok "$1"; else notok "$1"; echo "$bad" | sed 's/^/#   /'; fi
}

for p in 1 2 3 4 5 7 8 16; do
	if [ $p -le 5 ]; then roots=all; else roots="0 $((p - 1))"; fi
	# Geometric sizes (1..1024 elements of allreduce; per-rank counts of
	# 0, 1, 5, 21... for the P-block collectives) and odd additive sizes
	# (1, 128, 255 elements). P=16 runs fewer sizes: 16 threads on 2 cores.
	if [ $p = 16 ]; then geo="-b 4 -e 4096 -f 32"; else geo="-b 4 -e 4100 -f 4"; fi
	for r in $roots; do
		expect_status "all P=$p root $r geometric sizes" 0 $B all -g $p $geo -r $r $FAST
		expect_zero_wrong "all P=$p root $r geometric sizes: 0 wrong" "$TMPD/out"
		expect_all_pairs "all P=$p root $r: every collective x algorithm ran" "$TMPD/out"
		expect_inplace_ran "all P=$p root $r: in-place ran (sendrecv N/A)" "$TMPD/out"
		if [ $r = all ]; then
			n=$(awk '/^# Collective:/{c=$3} !/^#/ && c == "gather" {print $5}' "$TMPD/out" | sort -u | wc -l)
			[ "$n" = $p ] && ok "all P=$p -r all: gather ran every root" ||
				notok "all P=$p -r all: gather ran every root ($n of $p)"
		fi
		expect_status "all P=$p root $r odd sizes" 0 $B all -g $p -b 4 -e 1020 -i 508 -r $r $FAST
		expect_zero_wrong "all P=$p root $r odd sizes (1, 128, 255 elements): 0 wrong" "$TMPD/out"
	done
done

# Fewer elements than ranks, every count from 1 to 9 over 8 ranks (split
# algorithms give some ranks empty chunks).
expect_status "P=8, 1..9 elements" 0 $B all -g 8 -b 4 -e 36 -i 4 -r 7 $FAST
expect_zero_wrong "P=8, 1..9 elements: 0 wrong" "$TMPD/out"
# Many elements, many back-to-back iterations, an odd P.
expect_status "P=3, 1 MiB, 25 checks" 0 $B all -g 3 -b 1M -e 1M -r 2 -n 2 -w 1 -c 25
expect_zero_wrong "P=3, 1 MiB, 25 checks: 0 wrong" "$TMPD/out"
# A long back-to-back run of the neighbour-only ring (no barrier per call).
expect_status "ring-neighbor P=5, 200 checks" 0 $B allreduce -A ring-neighbor -g 5 -b 4 -e 4100 -f 16 -n 20 -w 5 -c 200
expect_zero_wrong "ring-neighbor P=5, 200 checks: 0 wrong" "$TMPD/out"
# Every datatype the build has, data movement only (no reduction op).
for c in broadcast allgather alltoall gather scatter sendrecv; do
	expect_status "$c P=3 every datatype" 0 $B $c -g 3 -b 4 -e 1020 -i 508 -d all -r all -n 1 -w 1 -c 5
	expect_zero_wrong "$c P=3 every datatype: 0 wrong" "$TMPD/out"
done
# Every datatype and op the build has (whatever dtype.c lists).
expect_status "P=3 every datatype and op" 0 $B all -g 3 -b 4 -e 1020 -i 508 -d all -o all -r all -n 1 -w 1 -c 3
expect_zero_wrong "P=3 every datatype and op: 0 wrong" "$TMPD/out"

# Size, count and busbw columns as nccl-tests defines them (P=4, 1 MiB).
for c in allreduce broadcast reduce sendrecv; do
	expect_status "$c 1 MiB P=4" 0 $B $c -g 4 -b 1M -e 1M -n 5 -c 1
	expect_grep "$c: size 1048576, count 262144 (all elements)" "^ +1048576 +262144 " "$TMPD/out"
	[ "$c" = allreduce ] && continue
	bad=$(rows "$TMPD/out" | awk '$8 != $9' | head -1)
	[ -z "$bad" ] && ok "$c: busbw = algbw (factor 1)" || notok "$c: busbw = algbw (factor 1): $bad"
done
for c in allgather reduce_scatter alltoall gather scatter; do
	expect_status "$c 1 MiB P=4" 0 $B $c -g 4 -b 1M -e 1M -n 5 -c 1
	expect_grep "$c: size 1048576, count 65536 (per rank / per peer)" "^ +1048576 +65536 " "$TMPD/out"
	bad=$(rows "$TMPD/out" | awk '{ d = $9 - 0.75 * $8; if (d > 0.02 || d < -0.02) print }' | head -1)
	[ -z "$bad" ] && ok "$c: busbw = algbw * 3/4" || notok "$c: busbw = algbw * 3/4: $bad"
done
expect_status "allgather 1000 B over 3 ranks" 0 $B allgather -g 3 -b 1000 -e 1000 -n 2 -c 2
expect_grep "allgather: 1000 B over 3 ranks is count 83, size 996" "^ +996 +83 " "$TMPD/out"

# Aliases.
for a in reducescatter bcast all_gather; do
	expect_status "alias $a" 0 $B $a -g 2 -b 64 -e 64 -n 2 -c 3
	expect_zero_wrong "alias $a: 0 wrong" "$TMPD/out"
done

# The checker fails on a corrupted output: --inject corrupt flips one element
# of the root's output (rooted collectives) or the last rank's, in the first
# check iteration, so every row half reports #wrong 1 and the run exits 7.
for c in allreduce allgather reduce_scatter broadcast alltoall reduce gather scatter sendrecv; do
	expect_status "$c: corrupted output exits 7" 7 $B $c -g 4 -b 1000 -e 1000 -r 3 -c 5 -n 2 --inject corrupt
	nalg=$(grep -c "^$c " "$TMPD/pairs")
	if [ $c = sendrecv ]; then want='$10 == "1" && $14 == "N/A"'
	elif [ $c = alltoall ]; then want='$10 == "1" && ($14 == "1" || ($6 == "direct" && $14 == "N/A"))'
	else want='$10 == "1" && $14 == "1"'; fi
	# every algorithm has a row, but those not applicable at 1000 B (ll, eager)
	got=$(rows "$TMPD/out" | awk "$want" | wc -l)
	nna=$(grep -c '^# [a-z-]*: not applicable at 1000 B' "$TMPD/out")
	[ "$got" = $((nalg - nna)) ] && ok "$c: #wrong 1 in every half of all $got rows ($nna not applicable)" ||
		notok "$c: #wrong 1 in every half of all $((nalg - nna)) rows (got $got)"
	expect_grep "$c: footer FAILED" "^# Out of bounds values : [1-9][0-9]* FAILED" "$TMPD/out"
done
# Only the root's output of reduce and gather is defined; the fault lands on
# the root whichever it is, so root 0 fails too.
for c in reduce gather; do
	expect_status "$c root 0: corrupted root output exits 7" 7 $B $c -g 4 -b 1000 -e 1000 -r 0 -c 5 -n 2 --inject corrupt
	got=$(rows "$TMPD/out" | awk '$10 == "1" && $14 == "1"' | wc -l)
	[ "$got" -ge 1 ] && [ "$got" = "$(rows "$TMPD/out" | wc -l)" ] && ok "$c root 0: #wrong 1 in every half" ||
		notok "$c root 0: #wrong 1 in every half (got $got rows)"
done

# A lost notify in the neighbour-only ring ends in a timeout report naming
# the ALGO0 row, not a hang.
expect_status "ring-neighbor lost notify: exit 4" 4 $B allreduce -A ring-neighbor -g 3 -b 64 -e 64 -T 1 --inject drop-notify
expect_grep "ring-neighbor lost notify: report names the algo0 cell" \
	"rank [0-9]+: allreduce/ring-neighbor .*waits on cell [0-9]+ \(algo0 row" "$TMPD/err"

# Every collective and algorithm in one run, as the README shows it.
expect_status "all -g 4 -b 8 -e 1M" 0 $B all -g 4 -b 8 -e 1M
expect_zero_wrong "all -g 4 -b 8 -e 1M: 0 wrong" "$TMPD/out"
expect_all_pairs "all -g 4 -b 8 -e 1M: every collective x algorithm ran" "$TMPD/out"
# Every point is a row or one not-applicable line (ll and eager above 448 B:
# 2 x 12 sizes); barrier has no size: one row per algorithm.
nbar=$(grep -c '^barrier ' "$TMPD/pairs")
want=$((18 * (npairs - nbar) + nbar))
nna=$(grep -c '^# [a-z-]*: not applicable at ' "$TMPD/out")
nrows=$(rows "$TMPD/out" | wc -l)
[ $((nrows + nna)) = $want ] && [ "$nna" = 24 ] &&
	ok "all -g 4 -b 8 -e 1M: 18 sizes x $npairs algorithms, 24 of them not applicable" ||
	notok "all -g 4 -b 8 -e 1M: 18 sizes x $npairs algorithms, 24 of them not applicable ($nrows rows, $nna not applicable)"

done_testing
