# t_placement.sh: placement you can trust.
# 1. Golden maps of `collbench topo` on described machines (synthetic and
#    XML), every policy, more ranks than PUs; --show-placement prints the
#    same map. Regenerate the expected files with TOPO_UPDATE=1 (and read
#    the diff before committing it).
# 2. On this machine: binding and page nodes verified for P = 1, 2, 4 (with
#    --strict-placement, so a mismatch fails the run), every policy runs, a
#    provoked mismatch warns and, with --strict-placement, exits 2; the
#    table, JSON and CSV show the same placement, and the JSON's machine is
#    the one /sys describes.
# 3. Every placement usage error: exit 6, one line on stderr naming the
#    option, nothing on stdout.
# 4. perf: zero cpu-migrations of the pinned rank threads.
. test/lib.sh

B=$COLLBENCH
G=test/topo
S2='synthetic:pack:2 numa:2 core:4 pu:2'
RUN="allreduce -b 64 -e 4K -n 2 -w 1 -c 1"

# golden NAME cmd...: cmd's stdout without the version line equals
# $G/NAME.out; exit 0 and nothing on stderr.
golden() {
	name=$1
	shift
	"$@" >"$TMPD/topo" 2>"$TMPD/err"
	st=$?
	grep -v '^# collbench version' "$TMPD/topo" >"$TMPD/topo.f"
	[ -n "$TOPO_UPDATE" ] && cp "$TMPD/topo.f" "$G/$name.out"
	if [ "$st" = 0 ] && [ ! -s "$TMPD/err" ] && cmp -s "$G/$name.out" "$TMPD/topo.f"; then
		ok "topo golden $name"
	else
		notok "topo golden $name (exit $st)"
		diff "$G/$name.out" "$TMPD/topo.f" 2>&1 | head -12 | sed 's/^/#   /'
		sed 's/^/#   stderr: /' "$TMPD/err" | head -3
	fi
}

# --- 1. golden maps on described machines ---------------------------------
golden one-node          $B topo --topology 'synthetic:pack:1 core:4 pu:2'
golden one-node-g3       $B topo --topology 'synthetic:pack:1 core:4 pu:2' -g 3
golden s2-spread         $B topo --topology "$S2" -g 8
golden s2-compact        $B topo --topology "$S2" -g 8 --bind compact
golden s2-numa           $B topo --topology "$S2" -g 8 --bind numa
golden s2-none           $B topo --topology "$S2" -g 4 --bind none
golden s2-cpus           $B topo --topology "$S2" -g 4 --cpus 24,8,0-1
golden s2-cpus-spread    $B topo --topology "$S2" -g 4 --cpus 8-15 --bind spread
golden s2-interleave     $B topo --topology "$S2" -g 4 --mem interleave
golden s2-node3          $B topo --topology "$S2" -g 4 --mem node:3
golden numa4-numa        $B topo --topology 'synthetic:numa:4 core:2 pu:1' -g 6 --bind numa
golden numa4-spread      $B topo --topology 'synthetic:numa:4 core:2 pu:1' -g 6
golden oversub-spread    $B topo --topology 'synthetic:core:2 pu:2' -g 10
golden oversub-compact   $B topo --topology 'synthetic:core:2 pu:2' -g 10 --bind compact
golden oversub-numa      $B topo --topology 'synthetic:numa:2 core:1 pu:1' -g 5 --bind numa
golden oversub-cpus      $B topo --topology 'synthetic:core:2 pu:2' -g 5 --cpus 3,0
# An XML machine numbered like real hyperthreaded ones (core 0 = PUs 0,4):
# compact fills PUs in topology order, --cpus takes OS indexes.
golden xml-compact       $B topo --topology $G/ht2numa.xml -g 4 --bind compact
golden xml-numa          $B topo --topology $G/ht2numa.xml -g 4 --bind numa
golden xml-cpus          $B topo --topology $G/ht2numa.xml -g 3 --cpus 4,5,0
# A CPU node without memory (node 1) and a memory-only node 2 nearer to it
# than node 0: --mem local plans node 1's windows on node 2 (distance 15)
# and says so; interleave spreads over the nodes with memory only.
golden memless-local     $B topo --topology $G/memless.xml -g 4
golden memless-il        $B topo --topology $G/memless.xml -g 4 --mem interleave
# A run with --show-placement prints the same map as topo, and runs nothing.
golden s2-numa           $B $RUN --topology "$S2" -g 8 --bind numa --show-placement

# --- 2. this machine ----------------------------------------------------------
for p in 1 2 4; do
	expect_status "P=$p runs with --strict-placement" 0 $B $RUN -g $p --strict-placement
	n=$(grep -c '^#  Rank .* window NUMA [0-9][0-9,-]* *verified$' "$TMPD/out")
	[ "$n" = $p ] && ok "P=$p: $p rank lines verified (PU and page node)" ||
		notok "P=$p: $p rank lines verified (got $n)"
	expect_grep "P=$p: header says the placement was verified" \
		"^# Placement verified: $p of $p ranks? on (its|their) PU \\(sched_getcpu\\), every page on the intended NUMA node \\(move_pages: [1-9][0-9]* pages?; by node 0:[1-9][0-9]*\\)" "$TMPD/out"
	expect_zero_wrong "P=$p: results right" "$TMPD/out"
done
npu=$(sed -n 's/.*for ranks: \([0-9]*\) PU.*/\1/p' "$TMPD/out")
if [ "${npu:-0}" -lt 4 ]; then
	expect_grep "P=4 on $npu PUs: header says oversubscribed" "oversubscribed: ranks share PUs evenly" "$TMPD/out"
fi
expect_grep "header prints hwloc and libnuma versions" "^# collbench version .* hwloc [0-9.]+ libnuma " "$TMPD/out"
for b in spread compact numa; do
	expect_status "--bind $b runs verified" 0 $B $RUN -g 2 --bind $b --strict-placement
	expect_grep "--bind $b: rank 1 verified" "^#  Rank  1 .* verified$" "$TMPD/out"
done
expect_status "--bind none runs" 0 $B $RUN -g 2 --bind none --strict-placement
expect_grep "--bind none: ranks shown unbound" "^#  Rank  1 .*PU   - .*unbound, ran on PU [0-9]+$" "$TMPD/out"
expect_status "--cpus 0 puts both ranks on PU 0" 0 $B $RUN -g 2 --cpus 0 --strict-placement
[ "$(grep -c '^#  Rank .* PU   0 .* verified$' "$TMPD/out")" = 2 ] &&
	ok "--cpus 0: both ranks verified on PU 0" || notok "--cpus 0: both ranks verified on PU 0"
expect_status "--mem interleave runs verified" 0 $B $RUN -g 2 --mem interleave --strict-placement
expect_status "--mem node:0 runs verified" 0 $B $RUN -g 2 --mem node:0 --strict-placement
expect_grep "--mem node:0: window on node 0" "^#  Rank  1 .* window NUMA 0 +verified$" "$TMPD/out"
# JSON: per rank the planned window node, its distance from the rank's
# node and the pages found per node (every page).
expect_status "--mem node:0 -J runs" 0 $B $RUN -g 2 --mem node:0 -J "$TMPD/p.json" --force
if python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for r in d["placements"][0]["ranks"]:
    n = r["pages_per_node"].split(":")
    assert r["window_node"] == 0 and r["numa_distance"] == 10, r
    assert n[0] == "0" and int(n[1]) > 0, r' "$TMPD/p.json" 2>"$TMPD/err"; then
	ok "JSON: window_node 0, numa_distance 10, pages_per_node 0:N for every rank"
else
	notok "JSON: window_node 0, numa_distance 10, pages_per_node 0:N for every rank"
	tail -2 "$TMPD/err" | sed 's/^/#   /'
fi
# The placement shown three ways (table, JSON, CSV) agrees, and the JSON's
# machine agrees with /sys (test/place_agree.py): two rank counts, then
# again confined to one PU, so that the PUs for ranks are not all of them.
pin() { python3 -c 'import os, sys; os.sched_setaffinity(0, {int(sys.argv[1])}); os.execvp(sys.argv[2], sys.argv[2:])' "$@"; }
agree() {
	what=$1   # not name: expect_status sets that
	shift
	expect_status "$what: runs with -J and --csv" 0 "$@" $B $RUN -g 1,2 -A mesh \
		-J "$TMPD/a.json" --csv "$TMPD/a.csv" --force
	if "$@" python3 test/place_agree.py "$TMPD/out" "$TMPD/a.json" "$TMPD/a.csv" >"$TMPD/agree" 2>&1; then
		ok "$what: table, JSON and CSV placements agree; JSON machine as /sys says"
	else
		notok "$what: table, JSON and CSV placements agree; JSON machine as /sys says"
		sed 's/^/#   /' "$TMPD/agree" | head -6
	fi
}
agree "-g 1,2"
agree "-g 1,2 on PU $(python3 -c 'import os; print(max(os.sched_getaffinity(0)))') only" \
	pin "$(python3 -c 'import os; print(max(os.sched_getaffinity(0)))')"
expect_status "topo on this machine" 0 $B topo -g 2
expect_grep "topo on this machine: verified by probe threads" "^#  Rank  1 PU .* verified$" "$TMPD/out"
expect_grep "topo on this machine: no pid or host" "^#  Rank  0 PU " "$TMPD/out"
expect_status "--show-placement on this machine exits 0" 0 $B $RUN -g 2 --show-placement
[ "$(rows "$TMPD/out" | wc -l)" = 0 ] && ok "--show-placement runs no benchmark" ||
	notok "--show-placement runs no benchmark"

# A provoked mismatch: HWLOC_THISSYSTEM=1 makes hwloc bind for real on a
# described machine with 2 NUMA nodes; on a 1-node machine with 2 PUs rank 1's
# pages cannot be on "node 1". Memory is bound strictly (MPOL_BIND), so the
# kernel refuses the binding and the run stops: never pages elsewhere.
if grep -q ', 1 NUMA node,' "$TMPD/out" && [ "${npu:-0}" -ge 2 ]; then
	FAKE='synthetic:numa:2 core:1 pu:1'
	for strict in "" --strict-placement; do
		expect_status "unbindable node ${strict:-(no --strict-placement)} exits 2" 2 env HWLOC_THISSYSTEM=1 $B $RUN -g 2 --topology "$FAKE" $strict
		[ "$(wc -l <"$TMPD/err")" = 1 ] && [ "$(rows "$TMPD/out" | wc -l)" = 0 ] &&
			ok "unbindable node $strict: one line on stderr, no row" ||
			notok "unbindable node $strict: one line on stderr, no row"
		expect_grep "unbindable node $strict: stderr names rank 1 and node 1" "^collbench: rank 1: the kernel refuses to bind memory to NUMA node 1 \\(mbind: " "$TMPD/err"
	done
	expect_status "topo with an unbindable node exits 2" 2 env HWLOC_THISSYSTEM=1 $B topo -g 2 --topology "$FAKE" --strict-placement
	# Not enough free memory on the node for what the plan binds there.
	expect_status "more than node 0 has free exits 2" 2 $B allreduce -g 2 -b 64G -e 64G -n 1 -w 0 -A ring --roofline off --mem node:0
	[ "$(wc -l <"$TMPD/err")" = 1 ] && [ "$(rows "$TMPD/out" | wc -l)" = 0 ] &&
		ok "not enough free memory: one line on stderr, no row" ||
		notok "not enough free memory: one line on stderr, no row"
	# (On one node the machine-wide check, memcheck.c, comes first: need,
	# available; the per-node check is t_vm's pressure case.)
	expect_grep "not enough free memory: stderr says what is needed and what is there" "^collbench: (not enough free memory on NUMA node 0 for --mem node:0 \\(bound strictly\\)|.*need [0-9.]+ [KMGT]iB, available [0-9.]+ [KMGT]iB)" "$TMPD/err"
else
	skip "provoked mismatch" "needs 1 NUMA node and 2 PUs"
fi

# --- 3. usage errors ------------------------------------------------------------
R="$B $RUN -g 2"
expect_usage_error "--cpus naming a PU that does not exist" $R --cpus 0,4096
expect_usage_error "--cpus empty list" $R --cpus ''
expect_usage_error "--cpus malformed (0,,1)" $R --cpus 0,,1
expect_usage_error "--cpus malformed (1-)" $R --cpus 1-
expect_usage_error "--cpus malformed (x)" $R --cpus x
expect_usage_error "--cpus descending range" $R --cpus 1-0
expect_usage_error "--cpus duplicate" $R --cpus 0,0
expect_usage_error "--cpus with --bind none" $R --cpus 0 --bind none
expect_usage_error "--cpus PU absent from a described machine" $B topo --topology "$S2" --cpus 32
expect_usage_error "--mem node that does not exist" $R --mem node:4096
expect_usage_error "--mem node absent from a described machine" $B topo --topology "$S2" --mem node:4
expect_usage_error "--mem node without memory" $B topo --topology $G/memless.xml --mem node:1
$B topo --topology $G/memless.xml --mem node:1 2>"$TMPD/err" >/dev/null
expect_grep "--mem node without memory: names the nodes with memory" "^collbench: invalid value 'node:1' for --mem: NUMA node 1 has no memory \\(nodes with memory: 0,2\\)" "$TMPD/err"
expect_usage_error "--mem node:x" $R --mem node:x
expect_usage_error "--mem unknown policy" $R --mem far
expect_usage_error "--bind unknown policy" $R --bind wide
expect_usage_error "--topology unreadable file" $R --topology "$TMPD/no-such.xml"
echo '<topology version="2.0"><object' >"$TMPD/bad.xml"
expect_usage_error "--topology invalid XML" $R --topology "$TMPD/bad.xml"
expect_usage_error "--topology invalid synthetic" $B topo --topology 'synthetic:pack:2 bogus:3'
expect_usage_error "--topology empty synthetic" $B topo --topology 'synthetic:'
expect_usage_error "a run on a described machine is refused" $R --topology "$S2"
$R --cpus 0,4096 2>"$TMPD/err" >/dev/null
expect_grep "--cpus error names --cpus and the PU" "^collbench: invalid value '0,4096' for --cpus: PU 4096 does not exist" "$TMPD/err"
$R --mem node:4096 2>"$TMPD/err" >/dev/null
expect_grep "--mem error names --mem and the node" "^collbench: invalid value 'node:4096' for --mem: NUMA node 4096 does not exist" "$TMPD/err"
$R --topology "$TMPD/bad.xml" 2>"$TMPD/err" >/dev/null
expect_grep "--topology error names --topology" "for --topology: not a valid hwloc XML" "$TMPD/err"
$R --topology "$S2" 2>"$TMPD/err" >/dev/null
expect_grep "refused run points to topo and --show-placement" "is not this system.*collbench topo.*--show-placement" "$TMPD/err"

# --- 4. perf: the pinned rank threads never migrate --------------------------
# perf stat -t on the rank threads (not the unpinned main/watchdog thread)
# for 1 s of a run, after setup.
if command -v perf >/dev/null 2>&1 && perf stat -e cpu-migrations -- true >/dev/null 2>&1; then
	# --duration bounds the run (about 3 s per row half) even if the kill below missed.
	$B allreduce -g 4 -b 1K -e 1K -n 1 --duration 3 -w 0 -c 0 -A mesh -T 30 >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	tids=$(ls /proc/$pid/task 2>/dev/null | grep -v "^$pid\$" | paste -sd, -)
	: >"$TMPD/perf"
	if [ -n "$tids" ]; then
		perf stat -x, -e cpu-migrations,context-switches -t "$tids" -- sleep 1 2>"$TMPD/perf" >/dev/null
	fi
	# SIGTERM stops a run only at the end of a row, and this row never
	# ends: kill it outright.
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	mig=$(sed -n 's/^\([0-9]*\),.*,cpu-migrations,.*/\1/p' "$TMPD/perf" 2>/dev/null)
	cs=$(sed -n 's/^\([0-9]*\),.*,context-switches,.*/\1/p' "$TMPD/perf" 2>/dev/null)
	if [ -z "$mig" ]; then
		skip "perf: 0 cpu-migrations of pinned rank threads" "perf stat -t gave no count"
		sed 's/^/#   /' "$TMPD/perf" 2>/dev/null | head -3
	elif [ "$mig" = 0 ]; then
		ok "perf: 0 cpu-migrations of 4 pinned rank threads over 1 s ($cs context switches)"
	else
		notok "perf: 0 cpu-migrations of 4 pinned rank threads (got $mig)"
		sed 's/^/#   /' "$TMPD/perf"
	fi
else
	skip "perf: 0 cpu-migrations of pinned rank threads" "no perf"
fi

done_testing
