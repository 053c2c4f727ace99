# t_model.sh: verify model/signals.pml with spin. The correct protocol must
# verify completely for P = 2 and 3 over 4 calls; each broken variant must
# fail with its own kind of error (ZERO: deadlock, STALE: barrier passed
# early, NODB: read of an overwritten buffer).
. test/lib.sh
if ! command -v spin >/dev/null 2>&1 || ! command -v cc >/dev/null 2>&1; then
	skip "signal protocol model" "spin or cc not installed (the test command installs them)"
	done_testing
fi
M=$(pwd)/model/signals.pml
W=$TMPD/model
mkdir -p "$W"

# verify DEFINES...: run spin + pan; pan's report is left in $W/pan.out.
verify() {
	( cd "$W" && rm -f pan* ./*.trail &&
	  spin -a "$@" "$M" >/dev/null 2>&1 &&
	  cc -O2 -DSAFETY -DMEMLIM=2048 -o pan pan.c 2>/dev/null &&
	  ./pan -m200000 >pan.out 2>&1 )
}
errors() { grep -oE 'errors: [0-9]+' "$W/pan.out" | cut -d' ' -f2; }

for p in 2 3; do
	verify -DP=$p -DITERS=4
	if [ "$(errors)" = 0 ] && ! grep -q 'max search depth too small' "$W/pan.out"; then
		ok "model P=$p, 4 calls: complete search, no deadlock, no early barrier, no read of an overwritten buffer"
	else
		notok "model P=$p, 4 calls: $(grep -E 'errors|depth' "$W/pan.out" | head -2 | tr '\n' ' ')"
	fi
done
for v in "ZERO:invalid end state" "STALE:assertion violated \\(arrived" "NODB:assertion violated \\(data"; do
	name=${v%%:*} want=${v#*:}
	for p in 2 3; do
		verify -DP=$p -DITERS=3 -D$name
		if grep -Eq "^pan:1: $want" "$W/pan.out"; then
			ok "model P=$p with $name: spin finds it ($(grep -m1 '^pan:1:' "$W/pan.out" | cut -c8-60))"
		else
			notok "model P=$p with $name: expected /$want/, got: $(grep -m1 -E '^pan:1:|errors' "$W/pan.out")"
		fi
	done
done

M=$(pwd)/model/wake.pml
verify -DN=4
[ "$(errors)" = 0 ] && ok "wake model, 4 notifies: no lost wake-up" ||
	notok "wake model, 4 notifies: $(grep -m1 -E '^pan:1:|errors' "$W/pan.out")"
verify -DN=4 -DWAKE_FIRST
grep -q '^pan:1: invalid end state' "$W/pan.out" &&
	ok "wake model with the notifier's steps swapped: spin finds the lost wake-up" ||
	notok "wake model WAKE_FIRST: expected an invalid end state, got: $(grep -m1 -E '^pan:1:|errors' "$W/pan.out")"

done_testing
