#!/bin/sh
# test/run.sh: runs every unit test binary and every end-to-end script, then
# prints the summary line "N passed, N failed".
: "${COLLBENCH:=./collbench}" "${TEST_BIN_DIR:=build/test}"
export COLLBENCH
log=$(mktemp)
TMPD=$(mktemp -d)
export TMPD
trap 'rm -rf "$log" "$TMPD"' EXIT
start=$(date +%s)

for t in "$TEST_BIN_DIR"/unit_*; do
	[ -x "$t" ] || continue
	echo "# $(basename "$t")"
	"$t" 2>&1 | tee -a "$log"
	st=$?
	[ "$st" = 0 ] || echo "not ok - $(basename "$t") exited $st" | tee -a "$log"
done
for t in test/t_*.sh; do
	[ -f "$t" ] || continue
	echo "# $t"
	t0=$(date +%s)
	sh "$t" 2>&1 | tee -a "$log"
	echo "# $t took $(($(date +%s) - t0)) s"
done

passed=$(grep -c '^ok - ' "$log")
failed=$(grep -c '^not ok - ' "$log")
echo "# wall time $(($(date +%s) - start)) s"
if [ "$failed" != 0 ]; then
	echo "# failures:"
	grep '^not ok - ' "$log"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
