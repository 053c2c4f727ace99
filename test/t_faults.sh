# t_faults.sh: every injected fault is caught with its documented exit
# status, promptly; and a soak of back-to-back checked iterations with race
# shaking (--jitter) reports 0 wrong.
. test/lib.sh

B=$COLLBENCH
# fault STATUS MAX_SECONDS NAME args...: exit STATUS within MAX_SECONDS
fault() {
	want=$1 limit=$2 name=$3
	shift 3
	t0=$(date +%s)
	expect_status "$name: exit $want" "$want" "$@"
	dt=$(($(date +%s) - t0))
	[ "$dt" -le "$limit" ] && ok "$name: detected in ${dt} s (limit $limit)" ||
		notok "$name: detected in ${dt} s (limit $limit)"
}

# The hang faults side by side. A hang run sleeps in its waits until the
# watchdog (-T 1) ends it: about 2.3 s of wall time for 0.2 s of CPU, ten of
# them 23 s one after another. hang_bg TAG args... starts one (its exit
# status and seconds in files); hang_end TAG STATUS LIMIT NAME judges it as
# fault does, in the file's order, and leaves its output in $TMPD/out, err.
hang_bg() {
	tag=$1
	shift
	( t0=$(date +%s); "$@" >"$TMPD/$tag.out" 2>"$TMPD/$tag.err"; echo $? >"$TMPD/$tag.rc"
	  echo $(($(date +%s) - t0)) >"$TMPD/$tag.dt" ) &
	eval "bg_$tag=\$!"
}
hang_end() {
	tag=$1 want=$2 limit=$3 name=$4
	eval "wait \$bg_$tag"
	cp "$TMPD/$tag.out" "$TMPD/out"
	cp "$TMPD/$tag.err" "$TMPD/err"
	got=$(cat "$TMPD/$tag.rc" 2>/dev/null) dt=$(cat "$TMPD/$tag.dt" 2>/dev/null)
	if [ "$got" = "$want" ]; then ok "$name: exit $want"; else
		notok "$name: exit $want (exit ${got:-none}, want $want)"
		sed 's/^/#   stderr: /' "$TMPD/err" | head -5
	fi
	[ -n "$dt" ] && [ "$dt" -le "$limit" ] && ok "$name: detected in ${dt} s (limit $limit)" ||
		notok "$name: detected in ${dt:-?} s (limit $limit)"
}
for p in 2 4; do
	hang_bg dn$p $B allreduce -g $p -b 64 -e 64 -n 2 -T 1 --inject drop-notify
	hang_bg zs$p $B allreduce -g $p -b 64 -e 64 -n 2 -c 3 -T 1 --inject zero-signal
	hang_bg zr$p $B allreduce -g $p -b 64 -e 64 -n 2 -c 3 -T 1 -A ring --inject zero-signal
done
hang_bg dnll $B allreduce -g 3 -b 64 -e 64 -n 2 -T 1 -A ll --inject drop-notify
hang_bg dnea $B broadcast -g 3 -b 64 -e 64 -n 2 -T 1 -A eager -r 2 --inject drop-notify
hang_bg dnc $B allreduce -g 8 -b 64 -e 64 -n 2 -T 1 -A mesh --inject drop-notify
hang_bg zsc $B allreduce -g 8 -b 64 -e 64 -n 2 -c 3 -T 1 -A mesh --inject zero-signal

for p in 2 4; do
	hang_end dn$p 4 10 "drop-notify P=$p"
	expect_grep "drop-notify P=$p: hang report names a cell, its writer, epoch and value" \
		"waits on cell [0-9]+ \(.*written by rank [0-9]+\) of rank [0-9]+'s window, expected epoch [0-9]+, seen [0-9]+" "$TMPD/err"
	hang_end zs$p 4 10 "zero-signal P=$p"
	expect_grep "zero-signal P=$p: hang report" "timeout: no rank made progress for 1 s" "$TMPD/err"
	# Ring: a barrier per round; the report says which one each rank is in.
	hang_end zr$p 4 10 "zero-signal P=$p ring"
	expect_grep "zero-signal P=$p ring: hang report names the check iteration and the ring round (barrier of the call)" \
		"rank [0-9]+: allreduce/ring size 64 phase check iteration [0-9]+ barrier [1-9][0-9]* of the call: waits" "$TMPD/err"
	# Default runs (-c 1, no jitter) catch both in every run: each fault
	# brings the schedule that exposes it (comm.h, CB_FAULT_SLOW_*; before
	# it, no-double-buffer at P=2 was caught in 0 of 10 default runs).
	fault 7 30 "stale-epoch P=$p (default -c 1)" $B allreduce -g $p -b 64 -e 4K -f 8 -n 2 --inject stale-epoch
	fault 7 30 "no-double-buffer P=$p (default -c 1)" $B allreduce -g $p -b 64 -e 4K -f 8 -n 2 --inject no-double-buffer
	# With race shaking, across every collective.
	for f in stale-epoch no-double-buffer; do
		fault 7 30 "$f P=$p (-c 50 --jitter 50)" $B all -g $p -b 64 -e 1K -f 16 -n 1 -c 50 --jitter 50 --inject $f
	done
	fault 7 30 "ring-off-by-one P=$p" $B allreduce -g $p -b 64 -e 4K -f 8 -n 2 -A ring --inject ring-off-by-one
	fault 7 30 "corrupt P=$p" $B allreduce -g $p -b 64 -e 64 -n 2 -A mesh --inject corrupt
	[ "$(rows "$TMPD/out" | awk '{print $10, $14}')" = "1 1" ] && ok "corrupt P=$p: exactly 1 wrong per half" ||
		notok "corrupt P=$p: exactly 1 wrong per half ($(rows "$TMPD/out" | awk '{print $10, $14}'))"
done
# ring-off-by-one only breaks ring schedules: the other rows stay right.
expect_status "ring-off-by-one leaves mesh alone" 0 $B allreduce -g 4 -b 64 -e 4K -f 8 -n 2 -A mesh,twophase --inject ring-off-by-one
expect_zero_wrong "ring-off-by-one, mesh and twophase: 0 wrong" "$TMPD/out"
fault 7 30 "ring-off-by-one reduce_scatter ring" $B reduce_scatter -g 4 -b 64 -e 4K -f 8 -n 2 -A ring --inject ring-off-by-one

# The LL algorithms (allreduce ll, broadcast eager) have no barrier: their
# slots and acks carry iteration safety. Breaking either is caught, in
# every run: the fault brings the schedule that exposes it (a reader stalls
# while the other rank runs on; CB_FAULT_SLOW_READER), so no jitter and few
# check iterations are needed (before that schedule, P=2 without jitter
# caught each in 1 of 20 runs).
for p in 2 3; do
	fault 7 30 "no-double-buffer allreduce ll P=$p" $B allreduce -g $p -b 4 -e 256 -A ll \
		-n 5 -w 1 -c 2 --inject no-double-buffer
	fault 7 30 "no-ack broadcast eager P=$p" $B broadcast -g $p -b 4 -e 256 -A eager \
		-n 5 -w 1 -c 40 --inject no-ack
done
fault 7 30 "no-ack broadcast eager P=3 root 2" $B broadcast -g 3 -b 4 -e 64 -A eager -r 2 \
	-n 5 -w 1 -c 40 --inject no-ack
expect_status "no-ack leaves barriered broadcasts alone" 0 $B broadcast -g 3 -b 4 -e 256 -A pull,push \
	-n 2 -c 50 --jitter 30 --inject no-ack
hang_end dnll 4 10 "drop-notify allreduce ll"
expect_grep "drop-notify ll: hang report names the LL line" \
	"waits on cell [0-9]+ \(LL slot [01] line 0, written by rank [0-9]+\)" "$TMPD/err"
hang_end dnea 4 10 "drop-notify broadcast eager"
# Soaks: LL rows next to barriered rows (the hand-over between them), every
# root, the futex path (a lost wake-up would hang) and the spin path.
# (spin only where every rank has a PU: oversubscribed spinning takes a
# time slice per wait).
# auto at 5 and 4 ranks on 2 PUs takes the yield stage.
for wp in "futex 5 4" "spin 2 2" "auto 5 4"; do
	set -- $wp
	w=$1
	expect_status "soak: allreduce ll/mesh P=$2 --wait $w, 300 checks, jitter" 0 \
		$B allreduce -g $2 -b 4 -e 448 -f 4 -A ll,mesh,ll -n 5 -w 0 -c 300 --jitter 20 --seed 5 --wait $w
	expect_zero_wrong "soak ll P=$2 --wait $w: 0 wrong" "$TMPD/out"
	expect_status "soak: broadcast eager/push P=$3 --wait $w, every root, 300 checks, jitter" 0 \
		$B broadcast -g $3 -b 1 -e 448 -f 8 -A eager,push,eager -r all -n 20 -w 0 -c 300 --jitter 20 --seed 9 --wait $w
	expect_zero_wrong "soak eager P=$3 --wait $w: 0 wrong" "$TMPD/out"
done

# A CPU hog on the ranks' PU: auto's yield stage finds its yields slow and
# pauses (the JSON file counts both; --wait futex never yields, so its
# counts are 0), and the results stay right through the switches between
# yielding and sleeping.
yield_counts() {
	python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(s["slow_yields"], s["paused_yield_waits"])' "$1"
}
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
	taskset -c 0 sh -c 'while :; do :; done' &
	hog=$!
	expect_status "CPU hog on PU 0: allreduce P=3 --cpus 0, 200 checks" 0 \
		$B allreduce -g 3 --cpus 0 -b 4 -e 4K -f 32 -A ll,mesh,direct -n 300 -w 0 -c 200 --seed 3 \
		-J "$TMPD/hog.json"
	expect_zero_wrong "CPU hog: 0 wrong" "$TMPD/out"
	set -- $(yield_counts "$TMPD/hog.json")
	[ "${1:-0}" -gt 0 ] && [ "${2:-0}" -gt 0 ] &&
		ok "CPU hog: JSON counts slow yields ($1) and paused waits ($2)" ||
		notok "CPU hog: JSON counts slow yields and paused waits (got '$*')"
	expect_status "CPU hog on PU 0: --wait futex" 0 \
		$B allreduce -g 3 --cpus 0 -b 4 -e 4K -f 32 -A mesh -n 100 -w 0 --wait futex -J "$TMPD/hogf.json"
	[ "$(yield_counts "$TMPD/hogf.json")" = "0 0" ] &&
		ok "CPU hog, --wait futex: no yields counted (futex waits never yield)" ||
		notok "CPU hog, --wait futex: no yields counted (got '$(yield_counts "$TMPD/hogf.json")')"
	kill "$hog"
	wait "$hog" 2>/dev/null
else
	skip "CPU hog" "no taskset or no PU 0"
fi

# allreduce direct reads peers' own buffers: in place and out of place,
# sizes that cross its 64 KiB pieces and split unevenly over 3 and 5 ranks,
# back to back with random delays.
for p in 3 5; do
	expect_status "soak: allreduce direct P=$p, 1 B .. 600 KiB, 30 checks, jitter" 0 \
		$B allreduce -g $p -b 4 -e 600K -f 9 -A direct,twoshot,direct -n 2 -w 0 -c 30 --jitter 20 --seed 13
	expect_zero_wrong "soak direct P=$p: 0 wrong" "$TMPD/out"
done

# The central barrier (auto from 4 ranks per PU): a lost arrival hangs every
# rank at the release cell; stale epochs pass it early; a soak with jitter.
hang_end dnc 4 10 "drop-notify central barrier P=8"
expect_grep "drop-notify central: hang report names the release cell" \
	"waits on cell [0-9]+ \(central barrier release, written by the last rank to arrive\)" "$TMPD/err"
fault 7 30 "stale-epoch central barrier P=8" $B allreduce -g 8 -b 64 -e 4K -f 8 -n 2 -c 20 --jitter 20 -A mesh,twophase --inject stale-epoch
hang_end zsc 4 10 "zero-signal central barrier P=8"
expect_status "soak: every collective P=9 on the central barrier, 100 checks, jitter" 0 \
	$B all -g 9 -b 64 -e 64 -n 1 -w 0 -c 100 --jitter 20 --seed 17 --barrier central
expect_zero_wrong "soak central P=9: 0 wrong" "$TMPD/out"

# Soak: thousands of back-to-back checked calls with random delays.
expect_status "soak: every collective P=3, 500 checks x every algorithm x 2 halves, jitter" 0 \
	$B all -g 3 -b 64 -e 64 -n 1 -w 0 -c 500 --jitter 20 --seed 7
expect_zero_wrong "soak P=3: 0 wrong" "$TMPD/out"
expect_status "soak: allreduce P=8, 250 checks per row half, jitter" 0 \
	$B allreduce -g 8 -b 4 -e 4096 -f 1024 -n 1 -w 0 -c 250 --jitter 30 --seed 3
expect_zero_wrong "soak P=8: 0 wrong" "$TMPD/out"
expect_status "soak: alltoall and allgather P=5, uneven sizes, jitter" 0 \
	$B alltoall -g 5 -b 4 -e 1000 -f 250 -n 1 -w 0 -c 300 --jitter 20 --seed 11
expect_zero_wrong "soak alltoall P=5: 0 wrong" "$TMPD/out"

expect_usage_error "--jitter -1" $B allreduce -g 2 --jitter -1
expect_usage_error "--seed abc" $B allreduce -g 2 --seed abc

done_testing
