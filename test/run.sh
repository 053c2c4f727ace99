#!/usr/bin/env bash
# test/run.sh [NAME...]: runs the unit test binaries (build/test/unit_*) and
# the end-to-end scripts (test/t_*.sh), or only those NAMEs (file names
# without directory or extension: `make check TESTS="unit_stats t_reports"`),
# and ends with the summary line "N passed, N failed, N skipped".
#
# It fails closed. A test file passes only if
#   - its own exit status is 0 (read directly, never through a pipe), and
#   - it printed exactly one TAP plan "1..N" and N equals the checks it
#     printed ("ok - ..." / "not ok - ..."), so a file that crashes, is
#     killed, or exits early cannot pass by losing its remaining checks.
# Anything else is a failure naming the file. A check marked "# SKIP" is
# shown and counted as skipped; under CI (CI set and not "false") a skip is
# a failure too, since CI installs everything the suite needs.
#
# Files run JOBS at a time (default: the number of PUs, at most 2); each
# file's output is printed whole as soon as it ends, so output of files
# run side by side never interleaves. Files that time or load the machine
# (listed in SERIAL below) run alone, after the others.
set -u
: "${COLLBENCH:=./collbench}" "${TEST_BIN_DIR:=build/test}" "${TEST_SCRIPT_DIR:=test}"
export COLLBENCH
JOBS=${JOBS:-$(n=$(nproc 2>/dev/null || echo 1); [ "$n" -gt 2 ] && n=2; echo "$n")}
# Files whose checks measure time or contention: run with nothing beside them.
SERIAL=${SERIAL:-"t_perf t_faults t_placement"}
# The longest files start first, so the two job slots end together.
LONGEST="t_mpi t_vm t_dtypes t_colls t_reports"
CI_STRICT=0
case "${CI:-}" in "" | false | 0) ;; *) CI_STRICT=1 ;; esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s)

# The test files: name -> command.
declare -A cmd
names=()
for t in "$TEST_BIN_DIR"/unit_*; do
	[ -x "$t" ] || continue
	n=$(basename "$t")
	cmd[$n]=$t
	names+=("$n")
done
for t in "$TEST_SCRIPT_DIR"/t_*.sh; do
	[ -f "$t" ] || continue
	n=$(basename "$t" .sh)
	cmd[$n]="sh $t"
	names+=("$n")
done
if [ $# -gt 0 ]; then
	for n in "$@"; do
		[ -n "${cmd[$n]:-}" ] || { echo "test/run.sh: no test named '$n' (have: ${names[*]})" >&2; exit 2; }
	done
	names=("$@")
fi

# run_one NAME: the file's output in $work/NAME.log, its status in .rc,
# its wall time in .time. Each file has a temporary directory of its own.
run_one() {
	local n=$1 t0 rc
	t0=$(date +%s)
	mkdir -p "$work/$n.tmp"
	TMPD=$work/$n.tmp ${cmd[$n]} >"$work/$n.log" 2>&1 </dev/null
	rc=$?
	echo "$rc" >"$work/$n.rc"
	echo $(($(date +%s) - t0)) >"$work/$n.time"
	rm -rf "$work/$n.tmp"
	judge "$n" >"$work/$n.judged"
	# One file's block at a time on stdout and in the combined log.
	flock "$work/lock" sh -c 'cat "$1" | tee -a "$2"' sh "$work/$n.judged" "$all"
}

# judge NAME: print the file's output and its verdict lines.
judge() {
	local n=$1 log=$work/$1.log rc plans checks want sig
	rc=$(cat "$work/$n.rc")
	echo "# $n"
	cat "$log"
	checks=$(grep -cE '^(not )?ok - ' "$log")
	plans=$(grep -cE '^1\.\.[0-9]+$' "$log")
	want=$(grep -E '^1\.\.[0-9]+$' "$log" | head -1 | cut -c4-)
	if [ "$rc" -gt 128 ] && sig=$(kill -l "$((rc - 128))" 2>/dev/null); then
		echo "not ok - $n: killed by SIG$sig (exit $rc)"
	elif [ "$rc" != 0 ]; then
		echo "not ok - $n: exited $rc"
	fi
	if [ "$plans" = 0 ]; then
		echo "not ok - $n: no plan (it ended before its last check; $checks checks seen)"
	elif [ "$plans" != 1 ]; then
		echo "not ok - $n: $plans plans"
	elif [ "$want" != "$checks" ]; then
		echo "not ok - $n: planned $want checks, made $checks"
	fi
	if [ $CI_STRICT = 1 ]; then
		grep -E '^ok - .*# SKIP' "$log" | sed "s/^ok - /not ok - $n: skipped under CI: /"
	fi
	echo "# $n took $(cat "$work/$n.time") s"
}

# Parallel files first, JOBS at a time, then the serial ones alone.
par=() ser=()
for n in $LONGEST "${names[@]}"; do
	case " ${names[*]} " in *" $n "*) ;; *) continue ;; esac   # not asked for
	case " ${par[*]} ${ser[*]} " in *" $n "*) continue ;; esac  # already placed
	case " $SERIAL " in *" $n "*) ser+=("$n") ;; *) par+=("$n") ;; esac
done
all=$work/all.log
: >"$all"
running=0
for n in "${par[@]}"; do
	run_one "$n" &
	running=$((running + 1))
	if [ $running -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
done
wait
for n in "${ser[@]}"; do run_one "$n"; done


passed=$(grep -cE '^ok - ' "$all" | tr -d ' ')
skipped=$(grep -cE '^ok - .*# SKIP' "$all")
passed=$((passed - skipped))
failed=$(grep -c '^not ok - ' "$all")
echo "# per-file wall times (s):$(for n in "${names[@]}"; do printf ' %s %s' "$n" "$(cat "$work/$n.time")"; done)"
echo "# test wall time $(($(date +%s) - start)) s (JOBS=$JOBS)"
if [ "$failed" != 0 ]; then
	echo "# failures:"
	grep '^not ok - ' "$all"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
